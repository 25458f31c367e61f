//! `sample`: points in the domain, their distinct patterns, and how they
//! compare with the exact regions (docs/sampling.md).

use super::args::Target;
use super::job::{create_output, Job, ENGINE};
use anyhow::{Context, Result};
use clap::Args;
use regionwalk::{json_line, run_sample, ExactSource, PointSource, SampleOptions, SampleRunReport};
use std::io::Write;
use std::path::PathBuf;

/// The flags of `sample`.
#[derive(Args)]
pub struct SampleArgs {
    #[command(flatten)]
    target: Target,
    /// Draw this many points uniformly in the domain.
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "points",
        conflicts_with = "points"
    )]
    samples: Option<u64>,
    /// Seed of the points and of the Monte Carlo volumes (default: drawn at random, and reported).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Read the points from a file instead: CSV (one point per line) or .npy (a 2-D float array).
    #[arg(long, value_name = "FILE")]
    points: Option<PathBuf>,
    /// Enumerate the exact regions in this run, and compare the sample with them.
    #[arg(long, conflicts_with = "against")]
    exact: bool,
    /// Compare the sample with the regions of a file written by `enumerate` (json or jsonl).
    #[arg(long, value_name = "REGIONS.json")]
    against: Option<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Write the discovery curve to this CSV file: `n,observed,expected`.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
}

pub fn run(args: &SampleArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let options = SampleOptions {
        points: match &args.points {
            Some(path) => PointSource::File(path.clone()),
            None => PointSource::Uniform {
                samples: args.samples.unwrap_or(0),
            },
        },
        exact: match (&args.against, args.exact) {
            (Some(path), _) => ExactSource::File(path.clone()),
            (None, true) => ExactSource::Walk,
            (None, false) => ExactSource::None,
        },
        seed: args.seed.unwrap_or_else(rand::random),
    };
    let report = run_sample(
        &job.model.network,
        &job.domain,
        &job.space,
        &ENGINE,
        &options,
    )?;
    if let Some(path) = &args.csv {
        let mut file = create_output(path)?;
        report
            .write_curve_csv(&mut file)
            .and_then(|()| file.commit())
            .with_context(|| format!("{}: writing the discovery curve", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let report = SampleRunReport {
            header: job.header(),
            report: &report,
        };
        writeln!(out, "{}", json_line(&report)?)?;
    } else {
        write!(out, "{report}")?;
    }
    Ok(())
}
