//! `verify`: checks a certificate with the independent checker. It loads
//! the model and the domain as given (`resolve.rs`) and sets up nothing for
//! a walk: no working space, no LP (`tests/checker_isolation.rs`).

use super::args::Target;
use super::resolve::load_target;
use anyhow::Result;
use clap::Args;
use regionwalk::{check_certificate, json_line, CheckLimits, VerifyReport};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    target: Target,
    /// The certificate file written by `certify`.
    #[arg(value_name = "CERT")]
    certificate: PathBuf,
    /// Print `{"verified", "regions", "reason"}` on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The checker's limits (docs/certificate.md, "Limits"); a certificate over
/// one is rejected.
#[derive(Args)]
struct LimitArgs {
    /// The longest line, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = CheckLimits::default().max_line_bytes)]
    max_line_bytes: usize,
    /// The longest certificate, in bytes after decompression.
    #[arg(long, value_name = "BYTES", default_value_t = CheckLimits::default().max_total_bytes)]
    max_total_bytes: u64,
    /// The most decimal digits in one number.
    #[arg(long, value_name = "N", default_value_t = CheckLimits::default().max_digits)]
    max_digits: usize,
    /// The deepest nesting of JSON arrays and objects in one line.
    #[arg(long, value_name = "N", default_value_t = CheckLimits::default().max_depth)]
    max_depth: usize,
}

impl LimitArgs {
    fn limits(&self) -> CheckLimits {
        CheckLimits {
            max_line_bytes: self.max_line_bytes,
            max_total_bytes: self.max_total_bytes,
            max_digits: self.max_digits,
            max_depth: self.max_depth,
        }
    }
}

/// A rejected certificate: exit code 1, with the file and the checker's reason.
#[derive(Debug, thiserror::Error)]
#[error("certificate rejected: {0}")]
pub struct Rejected(pub String);

pub fn run(args: &VerifyArgs) -> Result<()> {
    let (model, domain) = load_target(&args.target)?;
    let start = Instant::now();
    let verdict = check_certificate(
        &model.network,
        &domain,
        &args.certificate,
        &args.limits.limits(),
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let reason = verdict.reason.as_ref().map(|r| r.to_string());
    let mut out = std::io::stdout().lock();
    if args.json {
        let report = VerifyReport {
            reason: reason.clone(),
            regions: verdict.regions,
            seconds,
            verified: verdict.verified,
        };
        writeln!(out, "{}", json_line(&report)?)?;
    } else if verdict.verified {
        writeln!(
            out,
            "verified: {} activation regions ({seconds:.3} s)",
            verdict.regions
        )?;
    }
    match reason {
        None => Ok(()),
        Some(reason) => Err(Rejected(format!("{}: {reason}", args.certificate.display())).into()),
    }
}
