//! `certify`: enumerates with every decision proved, and writes the proofs.

use super::args::Target;
use super::job::{Job, ENGINE};
use super::progress::Progress;
use anyhow::Result;
use clap::Args;
use regionwalk::{json_line, write_certificate, CertifyReport, RunReport, WalkSummary};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct CertifyArgs {
    #[command(flatten)]
    target: Target,
    /// The certificate file (JSON Lines, docs/certificate.md).
    #[arg(short = 'o', long = "output", value_name = "CERT")]
    output: PathBuf,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &CertifyArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let mut progress = Progress::new();
    let done = write_certificate(
        &job.model.network,
        &job.domain,
        &job.space,
        &ENGINE,
        &args.output,
        |n| progress.tick(n),
    )?;
    progress.finish();
    let mut out = std::io::stdout().lock();
    if args.json {
        let report = CertifyReport {
            certificate: args.output.display().to_string(),
            certificate_bytes: done.bytes,
            run: RunReport::new(
                job.header(),
                &job.model,
                WalkSummary::new(done.regions, done.stats, done.seconds),
            ),
        };
        writeln!(out, "{}", json_line(&report)?)?;
    } else {
        writeln!(
            out,
            "{} regions, every decision proved; certificate {} ({} bytes)",
            done.regions,
            args.output.display(),
            done.bytes
        )?;
        writeln!(
            out,
            "  work: {} LPs, {} exact fallbacks, {:.3} s",
            done.stats.lp_solves, done.stats.exact_fallbacks, done.seconds
        )?;
        writeln!(
            out,
            "  check it with: regionwalk verify MODEL DOMAIN {}",
            args.output.display()
        )?;
    }
    Ok(())
}
