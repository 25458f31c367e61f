//! `certify`: enumerates with every decision proved, and writes the proofs.

use super::args::Target;
use super::job::{Job, ENGINE};
use super::progress::Watcher;
use super::run_args::RunArgs;
use super::stop::check_complete;
use anyhow::Result;
use clap::Args;
use regionwalk::{
    json_line, write_certificate_controlled, CertifyReport, Decisions, RunReport, WalkSummary,
};
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
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: &CertifyArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let control = args.run.stop.control()?;
    let watcher = Watcher::start(&args.run.progress, control);
    let done = write_certificate_controlled(
        &job.model.network,
        &job.domain,
        &job.space,
        &ENGINE,
        &args.output,
        Some(control),
        args.run.shard.shard()?,
        |_| {},
    )?;
    watcher.finish();
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut header = job.header_for(args.run.shard.shard()?)?;
        header.decisions = Decisions::Exact;
        let report = CertifyReport {
            certificate: args.output.display().to_string(),
            certificate_bytes: done.bytes,
            run: RunReport::new(
                header,
                &job.model,
                WalkSummary::new(done.regions, done.stats, done.seconds),
            ),
        };
        writeln!(out, "{}", json_line(&report)?)?;
    } else if done.stats.stopped.is_some() {
        writeln!(
            out,
            "{} regions proved before the stop; no certificate written ({} left as it was)",
            done.regions,
            args.output.display()
        )?;
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
    check_complete(&done.stats)
}
