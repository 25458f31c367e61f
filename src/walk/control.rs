//! Stopping a walk early, and watching where it is.
//!
//! A [`RunControl`] holds the limits of a run (a number of regions, a
//! deadline) and a flag anyone may raise (a signal handler, another thread);
//! the walk stops at the first of them and says so in its stats
//! ([`Stopped`]). While it runs, the control shows how many regions are out
//! and how much of the walk's top-level frontier is done, which is what a
//! progress display needs.
//!
//! The frontier is the list of independent subtrees the walk hands to its
//! workers, in tree order (docs/design.md §2). Its size does not depend on
//! the thread count, so "subtrees `done..` of `frontier` are unfinished"
//! names the same part of the tree on every machine.

use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering::Relaxed};
use std::time::Instant;

/// Why a walk stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// It reached [`RunControl::max_regions`].
    MaxRegions,
    /// It passed [`RunControl::deadline`].
    TimeLimit,
    /// Someone raised the flag ([`RunControl::interrupt`]): Ctrl-C, SIGTERM.
    Interrupted,
}

/// What a stopped walk did and did not do: the regions it handed out are
/// those of frontier subtrees `0..subtrees_done`, then a prefix, in tree
/// order, of subtree `subtrees_done`; subtrees `subtrees_done..frontier` are
/// unfinished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stopped {
    /// Why it stopped.
    pub reason: StopReason,
    /// Subtrees in the walk's top-level frontier.
    pub frontier: u64,
    /// Subtrees finished, the first ones in tree order.
    pub subtrees_done: u64,
}

/// One of `count` equal parts of a walk, for a cluster: the top-level
/// frontier (at least `8 × count` subtrees, the same for every part) is cut
/// into `count` consecutive runs of subtrees, and part `index` (from 0)
/// walks the `index`-th. The parts' regions, put one after another in part
/// order, are the whole walk's regions in its own order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shard {
    /// This part, from 0.
    pub index: usize,
    /// The number of parts.
    pub count: usize,
}

/// The subtrees a sharded walk took: `first..end` of its frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ShardRun {
    /// The part, from 1 (as `--shard K/N` names it).
    pub index: usize,
    /// The number of parts.
    pub count: usize,
    /// Subtrees in the whole walk's frontier.
    pub frontier: u64,
    /// The first subtree of this part.
    pub first: u64,
    /// One past its last subtree.
    pub end: u64,
}

impl Shard {
    /// The frontier subtrees `first..end` of this part, of `frontier` in all.
    pub fn range(&self, frontier: usize) -> (usize, usize) {
        let cut = |k: usize| (k as u128 * frontier as u128 / self.count as u128) as usize;
        (cut(self.index), cut(self.index + 1))
    }
}

/// Limits of a walk and a flag to stop it; shared with whoever watches it.
#[derive(Debug, Default)]
pub struct RunControl {
    /// Stop after this many regions.
    pub max_regions: Option<u64>,
    /// Stop at this time.
    pub deadline: Option<Instant>,
    interrupted: AtomicBool,
    /// Set once the walk has stopped: 1 + the reason's index.
    reason: AtomicU8,
    regions: AtomicU64,
    frontier: AtomicU64,
    subtrees_done: AtomicU64,
    /// Subtrees an earlier run finished, skipped by this one (a resume).
    skipped: AtomicU64,
}

/// Where a walk is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkPosition {
    /// Regions handed out so far.
    pub regions: u64,
    /// Subtrees in the top-level frontier (0 until it is built).
    pub frontier: u64,
    /// Of them, finished.
    pub subtrees_done: u64,
}

impl RunControl {
    /// A control with no limits.
    pub fn new() -> Self {
        RunControl::default()
    }

    /// A control that stops after `max_regions` regions or at `deadline`,
    /// whichever comes first (`None`: no such limit).
    pub fn with_limits(max_regions: Option<u64>, deadline: Option<Instant>) -> Self {
        RunControl {
            max_regions,
            deadline,
            ..RunControl::default()
        }
    }

    /// Asks the walk to stop soon. Safe to call from a signal handler's
    /// thread: it only sets a flag.
    pub fn interrupt(&self) {
        self.interrupted.store(true, Relaxed);
    }

    /// Whether someone asked the run to stop ([`RunControl::interrupt`]):
    /// for the parts of a run that are not a walk (sampling points).
    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Relaxed)
    }

    /// Where the walk is.
    pub fn position(&self) -> WalkPosition {
        WalkPosition {
            regions: self.regions.load(Relaxed),
            frontier: self.frontier.load(Relaxed),
            subtrees_done: self.subtrees_done.load(Relaxed),
        }
    }

    /// Why the walk stopped early, if it did.
    pub fn stop_reason(&self) -> Option<StopReason> {
        match self.reason.load(Relaxed) {
            1 => Some(StopReason::MaxRegions),
            2 => Some(StopReason::TimeLimit),
            3 => Some(StopReason::Interrupted),
            _ => None,
        }
    }

    /// The walk's record of its stop, if it stopped early.
    pub(crate) fn stopped(&self) -> Option<Stopped> {
        let p = self.position();
        self.stop_reason().map(|reason| Stopped {
            reason,
            frontier: p.frontier,
            subtrees_done: p.subtrees_done,
        })
    }

    /// Starts a walk of a frontier of `frontier` subtrees whose first
    /// `skipped` an earlier run finished.
    pub(crate) fn start(&self, frontier: usize, skipped: usize) {
        self.frontier.store(frontier as u64, Relaxed);
        self.skipped.store(skipped as u64, Relaxed);
        self.subtrees_done.store(skipped as u64, Relaxed);
        self.regions.store(0, Relaxed);
        self.reason.store(0, Relaxed);
    }

    pub(crate) fn region(&self) {
        self.regions.fetch_add(1, Relaxed);
    }

    /// Records that `done` subtrees of this walk are finished, and decides
    /// whether to stop; the first reason that holds is kept. The consumer
    /// asks before each region, so while a region is handed out
    /// [`RunControl::position`] names its subtree.
    pub(crate) fn should_stop(&self, done: usize) -> bool {
        self.subtrees_done
            .store(self.skipped.load(Relaxed) + done as u64, Relaxed);
        let reason = if self
            .max_regions
            .is_some_and(|m| self.regions.load(Relaxed) >= m)
        {
            StopReason::MaxRegions
        } else if self.interrupted.load(Relaxed) {
            StopReason::Interrupted
        } else if self.deadline.is_some_and(|d| Instant::now() >= d) {
            StopReason::TimeLimit
        } else {
            return false;
        };
        let code = match reason {
            StopReason::MaxRegions => 1,
            StopReason::TimeLimit => 2,
            StopReason::Interrupted => 3,
        };
        self.reason.store(code, Relaxed);
        true
    }
}
