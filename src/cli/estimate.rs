//! `count --estimate PROBES`: how many regions a count would find, estimated
//! from random paths down the walk's tree, before committing to a long run
//! (docs/large-runs.md).

use super::job::{Job, ENGINE};
use anyhow::Result;
use regionwalk::{json_line, LpEngine, WalkOptions, Walker};
use std::io::Write;
use std::time::Instant;

/// The probes' seed: fixed, so that one command gives one estimate on every
/// machine and thread count.
const ESTIMATE_SEED: u64 = 13;

/// Prints the estimate of `job`'s count (with float decisions if `float`)
/// from `probes` probes, as text or one JSON object.
pub fn run(job: &Job, probes: u64, float: bool, json: bool) -> Result<()> {
    let start = Instant::now();
    let walker = Walker::new(
        &job.space,
        &ENGINE,
        WalkOptions {
            float_decisions: float,
            ..WalkOptions::default()
        },
    );
    let estimate = walker.estimate_regions(probes.max(1), ESTIMATE_SEED)?;
    let seconds = start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    if json {
        let mut report = serde_json::to_value(job.header())?;
        report["estimate"] = serde_json::to_value(estimate)?;
        report["seconds"] = seconds.into();
        report["lp_solves"] = walker.stats().lp_solves.into();
        writeln!(out, "{}", json_line(&report)?)?;
    } else {
        writeln!(
            out,
            "about {:.3e} activation regions (standard error {:.2e}): Knuth's estimate from {} random paths down the walk's tree, {seconds:.1} s, {} LPs with {}",
            estimate.regions,
            estimate.std_error,
            estimate.probes,
            walker.stats().lp_solves,
            ENGINE.name()
        )?;
    }
    Ok(())
}
