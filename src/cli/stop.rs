//! Clean stops of the enumerating commands: `--max-regions`,
//! `--time-limit`, and Ctrl-C or SIGTERM. A stopped run still writes its
//! output, marked `"complete": false` with what is unfinished, and exits
//! with [`EXIT_INCOMPLETE`] (docs/cli.md, "Stopping a run").

use anyhow::{bail, Result};
use clap::Args;
use regionwalk::{RunControl, StopReason, WalkStats};
use std::time::{Duration, Instant};

/// The exit code of a run that stopped before its end.
pub const EXIT_INCOMPLETE: u8 = 3;

/// The flags that stop a walk early.
#[derive(Args, Clone, Copy)]
pub struct StopArgs {
    /// Stop after this many regions (the output says `"complete": false`, exit code 3).
    #[arg(long, value_name = "N")]
    pub max_regions: Option<u64>,
    /// Stop after this many seconds of walking (the output says `"complete": false`, exit code 3).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

/// A run that stopped before its end: its output is written and says so.
#[derive(Debug, thiserror::Error)]
#[error("stopped before the end ({reason}): the output is partial and marked \"complete\": false; {done} of {frontier} top-level subtrees done")]
pub struct Incomplete {
    reason: &'static str,
    done: u64,
    frontier: u64,
}

impl StopArgs {
    /// The walk's control for these flags, with Ctrl-C and SIGTERM raising
    /// its stop flag. Built once per process (the signal handler holds it).
    pub fn control(&self) -> Result<&'static RunControl> {
        let deadline = match self.time_limit {
            Some(s) if !(s >= 0.0 && s.is_finite()) => {
                bail!(crate::cli::resolve::BadInput(format!(
                    "--time-limit {s}: give a number of seconds, 0 or more"
                )))
            }
            Some(s) => Some(Instant::now() + Duration::from_secs_f64(s)),
            None => None,
        };
        let control: &'static RunControl = Box::leak(Box::new(RunControl::with_limits(
            self.max_regions,
            deadline,
        )));
        // A second handler cannot be installed in one process; the first
        // one's control stays in charge (only tests run several walks).
        let _ = ctrlc::set_handler(move || control.interrupt());
        Ok(control)
    }
}

/// `Ok` when the walk ran to its end, else the [`Incomplete`] error (exit
/// code 3) naming why and how far it got. Call it after writing the output.
pub fn check_complete(stats: &WalkStats) -> Result<()> {
    match stats.stopped {
        None => Ok(()),
        Some(s) => Err(Incomplete {
            reason: match s.reason {
                StopReason::MaxRegions => "--max-regions reached",
                StopReason::TimeLimit => "--time-limit reached",
                StopReason::Interrupted => "interrupted",
            },
            done: s.subtrees_done,
            frontier: s.frontier,
        }
        .into()),
    }
}
