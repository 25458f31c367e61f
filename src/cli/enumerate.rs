//! `enumerate`: writes every region to a region file, or to stdout.

use super::args::Target;
use super::checkpoint::{create_unfinished, identity, reopen_unfinished, sync, CheckpointArgs};
use super::job::{create_output, Job, ENGINE};
use super::progress::Watcher;
use super::resolve::BadInput;
use super::run_args::RunArgs;
use super::stop::check_complete;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use regionwalk::{
    stream_regions, write_region_file, Decisions, RegionFormat, RegionWriter, RunControl,
    RunHeader, WalkOptions, WalkStats, WalkSummary,
};
use serde_json::json;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Args)]
pub struct EnumerateArgs {
    #[command(flatten)]
    target: Target,
    /// Output file, or `-` for stdout. Written to a temporary name and renamed when complete.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// Layout: one JSON document, or JSON Lines (default: by the file's extension, `.jsonl` or else json).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Decide every cut exactly (as `certify` does) and add each region's witness and affine map as exact rationals.
    #[arg(long)]
    exact: bool,
    /// Mark each constraint `"facet": true|false` (one more LP per constraint).
    #[arg(long)]
    facets: bool,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    checkpoint: CheckpointArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Jsonl,
}

pub fn run(args: &EnumerateArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let output = args.output.as_path();
    let format = match args.format {
        Some(FormatArg::Json) => RegionFormat::Json,
        Some(FormatArg::Jsonl) => RegionFormat::Jsonl,
        None if output.extension().is_some_and(|e| e == "jsonl") => RegionFormat::Jsonl,
        None => RegionFormat::Json,
    };
    if args.checkpoint.active() {
        if output == Path::new("-") {
            return Err(BadInput(
                "enumerate -o - takes no --checkpoint or --resume: a pipe cannot be continued; write to a file".into(),
            )
            .into());
        }
        return resumable(&job, args, output, format);
    }
    let stats = if output == Path::new("-") {
        let stdout = BufWriter::new(std::io::stdout().lock());
        write(&job, args, stdout, format)?.1
    } else {
        let file = create_output(output)?;
        let (file, stats) = write(&job, args, file, format)
            .with_context(|| format!("{}: writing regions", output.display()))?;
        // A stopped run's file is kept too: its summary says
        // `"complete": false`, and readers refuse it as a full enumeration.
        file.commit()
            .with_context(|| format!("{}: cannot complete the output file", output.display()))?;
        stats
    };
    check_complete(&stats)
}

/// Walks `job` with the options `args` ask for and writes the region file to `out`.
fn write<W: Write>(
    job: &Job,
    args: &EnumerateArgs,
    out: W,
    format: RegionFormat,
) -> Result<(W, WalkStats)> {
    let control = args.run.stop.control()?;
    let writer = RegionWriter::new(out, format, &serde_json::to_value(header(job, args)?)?)?;
    let options = options(args, control)?;
    let watcher = Watcher::start(&args.run.progress, control);
    let (out, stats) = write_region_file(
        &job.model.network,
        &job.domain,
        &job.space,
        &ENGINE,
        options,
        writer,
        |_| {},
    )?;
    watcher.finish();
    Ok((out, stats))
}

/// The header of the region file.
fn header(job: &Job, args: &EnumerateArgs) -> Result<RunHeader> {
    let mut header = job.header_for(args.run.shard.shard()?)?;
    if args.exact {
        header.decisions = Decisions::Exact;
    }
    Ok(header)
}

/// The walk's options for `args`.
fn options(args: &EnumerateArgs, control: &'static RunControl) -> Result<WalkOptions> {
    Ok(WalkOptions {
        chebyshev: true,
        facets: args.facets,
        certify: args.exact,
        control: Some(control),
        shard: args.run.shard.shard()?,
        ..WalkOptions::default()
    })
}

/// `enumerate` with `--checkpoint` or `--resume`: the regions go to
/// `OUTPUT.partial` (no summary, so it never looks complete), which a stop
/// cuts after the last finished subtree and records in the checkpoint, and
/// which the completed run ends and renames to `output`.
fn resumable(job: &Job, args: &EnumerateArgs, output: &Path, format: RegionFormat) -> Result<()> {
    let header = header(job, args)?;
    let run = identity(
        job,
        "enumerate",
        &header,
        json!({
            "shard": args.run.shard.shard()?,
            "jsonl": format == RegionFormat::Jsonl,
            "facets": args.facets,
            "exact": args.exact,
        }),
    );
    let start = args.checkpoint.start(&run)?;
    let writer = match &start.checkpoint {
        None => {
            let mut name = output.file_name().unwrap_or_default().to_os_string();
            name.push(".partial");
            let path = output.with_file_name(name);
            let file = create_unfinished(&path)?;
            let writer = RegionWriter::new(
                BufWriter::new(file),
                format,
                &serde_json::to_value(&header)?,
            )?;
            (path, writer)
        }
        Some(checkpoint) => {
            let (path, file) = reopen_unfinished(checkpoint, "region file")?;
            let writer = RegionWriter::resume(
                BufWriter::new(file),
                format,
                checkpoint.regions,
                checkpoint.partial.as_ref().map_or(0, |p| p.bytes),
            );
            (path, writer)
        }
    };
    let (partial, mut writer) = writer;
    let control = args.run.stop.control()?;
    let options = WalkOptions {
        resume_at: start.subtrees_done(),
        resume_path: start.resume_path(),
        ..options(args, control)?
    };
    let watcher = Watcher::start(&args.run.progress, control);
    let clock = Instant::now();
    let (stats, settled) = stream_regions(
        &job.model.network,
        &job.domain,
        &job.space,
        &ENGINE,
        options,
        &mut writer,
        |_| {},
    )
    .with_context(|| format!("{}: writing regions", partial.display()))?;
    watcher.finish();
    match settled {
        Some(settled) => {
            sync(writer.into_unfinished()?, &partial)?;
            args.checkpoint.stopped(&run, &stats, settled, &partial)?;
        }
        None => {
            let summary = WalkSummary::new(writer.written(), stats, clock.elapsed().as_secs_f64());
            sync(writer.finish(&serde_json::to_value(summary)?)?, &partial)?;
            std::fs::rename(&partial, output).with_context(|| {
                format!("{}: cannot complete the output file", output.display())
            })?;
            args.checkpoint.finish(&run, &stats, (0, None), None)?;
        }
    }
    check_complete(&stats)
}
