//! `enumerate`: writes every region to a region file, or to stdout.

use super::args::Target;
use super::job::{create_output, Job, ENGINE};
use super::progress::{ProgressArgs, Watcher};
use super::shard::ShardArgs;
use super::stop::{check_complete, StopArgs};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use regionwalk::{
    write_region_file, Decisions, RegionFormat, RegionWriter, WalkOptions, WalkStats,
};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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
    stop: StopArgs,
    #[command(flatten)]
    progress: ProgressArgs,
    #[command(flatten)]
    shard: ShardArgs,
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
    let mut header = job.header_for(args.shard.shard()?)?;
    if args.exact {
        header.decisions = Decisions::Exact;
    }
    let control = args.stop.control()?;
    let writer = RegionWriter::new(out, format, &serde_json::to_value(&header)?)?;
    let options = WalkOptions {
        chebyshev: true,
        facets: args.facets,
        certify: args.exact,
        control: Some(control),
        shard: args.shard.shard()?,
        ..WalkOptions::default()
    };
    let watcher = Watcher::start(&args.progress, control);
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
