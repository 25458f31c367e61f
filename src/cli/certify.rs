//! `certify`: enumerates with every decision proved, and writes the proofs.

use super::args::Target;
use super::checkpoint::{create_unfinished, identity, reopen_unfinished, sync, CheckpointArgs};
use super::job::{Job, ENGINE};
use super::progress::Watcher;
use super::run_args::RunArgs;
use super::stop::check_complete;
use anyhow::{Context, Result};
use clap::Args;
use regionwalk::{
    certificate_summary, json_line, stream_certificate, write_certificate_controlled,
    CertificateSink, CertificateWriter, Certified, CertifyReport, Decisions, RunReport,
    SliceNetwork, WalkOptions, WalkSummary,
};
use serde_json::json;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

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
    #[command(flatten)]
    checkpoint: CheckpointArgs,
}

pub fn run(args: &CertifyArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let control = args.run.stop.control()?;
    let watcher = Watcher::start(&args.run.progress, control);
    let done = if args.checkpoint.active() {
        resumable(&job, args)?
    } else {
        write_certificate_controlled(
            &job.model.network,
            &job.domain,
            &job.space,
            &ENGINE,
            &args.output,
            Some(control),
            args.run.shard.shard()?,
            |_| {},
        )?
    };
    watcher.finish();
    let mut out = std::io::stdout().lock();
    if args.json {
        let report = CertifyReport {
            certificate: args.output.display().to_string(),
            certificate_bytes: done.bytes,
            run: RunReport::new(
                header(&job, args)?,
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

/// The run's header: decisions exact, and the model's SHA-256 in a part.
fn header(job: &Job, args: &CertifyArgs) -> Result<regionwalk::RunHeader> {
    let mut header = job.header_for(args.run.shard.shard()?)?;
    header.decisions = Decisions::Exact;
    Ok(header)
}

/// The unfinished certificate of a checkpointed run: `CERT` without a
/// `.gz`, then `.partial`. It is plain JSON Lines without a summary line, so
/// it never looks complete (`verify` rejects it).
fn partial_path(output: &Path) -> PathBuf {
    let plain = if output.extension().is_some_and(|e| e == "gz") {
        output.with_extension("")
    } else {
        output.to_path_buf()
    };
    let mut name = plain.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    plain.with_file_name(name)
}

/// `certify` with `--checkpoint` or `--resume` (docs/large-runs.md): the
/// lines go to the unfinished certificate ([`partial_path`]), which a stop
/// keeps, recorded in the checkpoint, and which the completed run ends with
/// its summary and puts in place as `CERT` (compressed if `CERT` ends in
/// `.gz`).
fn resumable(job: &Job, args: &CertifyArgs) -> Result<Certified> {
    let output = args.output.as_path();
    let gzip = output.extension().is_some_and(|e| e == "gz");
    let shard = args.run.shard.shard()?;
    let run = identity(
        job,
        "certify",
        &header(job, args)?,
        json!({"shard": shard, "gzip": gzip}),
    );
    let start = args.checkpoint.start(&run)?;
    let (partial, mut writer) = match &start.checkpoint {
        None => {
            let path = partial_path(output);
            let file = create_unfinished(&path)?;
            let free = SliceNetwork::new(&job.model.network, &job.domain);
            let writer = CertificateWriter::new(
                BufWriter::new(file),
                &job.model.network,
                &job.domain,
                free.free(),
            )?;
            (path, writer)
        }
        Some(checkpoint) => {
            let (path, file) = reopen_unfinished(checkpoint, "certificate")?;
            let bytes = checkpoint.partial.as_ref().map_or(0, |p| p.bytes);
            let writer = CertificateWriter::resume(BufWriter::new(file), checkpoint.regions, bytes);
            (path, writer)
        }
    };
    let options = WalkOptions {
        control: Some(args.run.stop.control()?),
        shard,
        resume_at: start.subtrees_done(),
        resume_path: start.resume_path(),
        ..WalkOptions::default()
    };
    let clock = Instant::now();
    let (stats, settled) = stream_certificate(&job.space, &ENGINE, options, &mut writer, |_| {})
        .with_context(|| format!("{}: writing the certificate", partial.display()))?;
    let seconds = clock.elapsed().as_secs_f64();
    let regions = writer.written();
    let bytes = match settled {
        Some(settled) => {
            sync(writer.into_unfinished()?, &partial)?;
            args.checkpoint.stopped(&run, &stats, settled, &partial)?;
            0
        }
        None => {
            sync(
                writer.finish(certificate_summary(stats, seconds))?,
                &partial,
            )?;
            put_in_place(&partial, output, gzip)?;
            args.checkpoint.finish(&run, &stats, (0, None), None)?;
            std::fs::metadata(output).map(|m| m.len()).unwrap_or(0)
        }
    };
    Ok(Certified {
        regions,
        stats,
        seconds,
        bytes,
    })
}

/// Puts the finished certificate `partial` in place as `output`: renamed,
/// or compressed into it (written to a temporary name and renamed), then
/// removed.
fn put_in_place(partial: &Path, output: &Path, gzip: bool) -> Result<()> {
    let failed = || format!("{}: cannot complete the certificate", output.display());
    if !gzip {
        return std::fs::rename(partial, output).with_context(failed);
    }
    let mut sink = CertificateSink::create(output).with_context(failed)?;
    std::io::copy(&mut File::open(partial).with_context(failed)?, &mut sink)
        .with_context(failed)?;
    sink.commit().with_context(failed)?;
    std::fs::remove_file(partial).with_context(failed)
}
