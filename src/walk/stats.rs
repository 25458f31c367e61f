//! Counters of the walk's work, shared across threads.

use crate::striped_counter::StripedCounter;
use crate::walk::control::{ShardRun, Stopped};
use serde::Serialize;

/// Live counters, updated by the walk's threads.
#[derive(Debug, Default)]
pub struct Counters {
    pruned: StripedCounter,
    pruned_by_row: StripedCounter,
    both_sides: StripedCounter,
    thin_splits: StripedCounter,
    side_tests: StripedCounter,
    near_ties: StripedCounter,
    mirrored: StripedCounter,
}

impl Counters {
    pub(crate) fn pruned(&self) {
        self.pruned.add(1);
    }
    /// `n` side tests decided by the box at once, with no side test run
    /// (a certifying walk's neuron whose row keeps one sign over its
    /// cell's box, on each of `n` pieces).
    pub(crate) fn pruned_at_once(&self, n: u64) {
        self.side_tests.add(n);
        self.pruned.add(n);
    }
    pub(crate) fn pruned_by_row(&self) {
        self.pruned_by_row.add(1);
    }
    pub(crate) fn both_sides(&self) {
        self.both_sides.add(1);
    }
    pub(crate) fn thin_split(&self) {
        self.thin_splits.add(1);
    }
    pub(crate) fn mirrored(&self) {
        self.mirrored.add(1);
    }
    pub(crate) fn near_tie(&self) {
        self.near_ties.add(1);
    }
    pub(crate) fn side_test(&self) {
        self.side_tests.add(1);
    }
    /// `n` side tests at once (the polygon walk counts a piece's tests
    /// locally: one atomic add per piece, not per test).
    pub(crate) fn side_tests(&self, n: u64) {
        self.side_tests.add(n);
    }

    /// A snapshot, with the number of LPs solved so far, of exact fallbacks
    /// and of rows checked exactly for constancy.
    pub fn snapshot(&self, lp_solves: u64, exact_fallbacks: u64, near_tie_rows: u64) -> WalkStats {
        WalkStats {
            lp_solves,
            exact_fallbacks,
            near_ties: self.near_ties.get() + near_tie_rows,
            cut_by_mirror: self.mirrored.get(),
            side_tests: self.side_tests.get(),
            pruned_by_box: self.pruned.get(),
            pruned_by_row: self.pruned_by_row.get(),
            both_sides_solved: self.both_sides.get(),
            thin_splits: self.thin_splits.get(),
            stopped: None,
            shard: None,
        }
    }
}

/// What the walk did, for reports and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WalkStats {
    /// LPs solved (side tests, cell boxes, leaf Chebyshev balls).
    pub lp_solves: u64,
    /// Side tests run (one per piece and neuron with a nonconstant row).
    pub side_tests: u64,
    /// Side tests decided by the box bound, without an LP.
    pub pruned_by_box: u64,
    /// Side tests found one-sided without an LP by the box and one of the
    /// piece's rows (a one-multiplier Lagrangian bound, `row_bound.rs`).
    pub pruned_by_row: u64,
    /// Side tests found to cut without an LP: the witness's mirror image
    /// lies inside the other side (`side_test.rs`).
    pub cut_by_mirror: u64,
    /// Side tests whose witness was too near the hyperplane, so both sides
    /// needed an LP.
    pub both_sides_solved: u64,
    /// Pieces thicker than τ whose two sides were both thinner than τ; each
    /// was kept whole (see `side_test.rs`). Nonzero means the float decision
    /// was delicate there.
    pub thin_splits: u64,
    /// Float decisions whose margin was within what rounding and the LP's
    /// tolerance could move (docs/numerics.md), or, in the polygon walk,
    /// float signs at a vertex too close to call: decided exactly, unless
    /// the run asked for float decisions (`--float`).
    pub near_ties: u64,
    /// Tests whose float decision failed its exact proof and were
    /// re-decided by the exact LP (when certifying, or for a near-tie).
    pub exact_fallbacks: u64,
    /// Set when the walk stopped before its end (a limit, or a signal): then
    /// the regions handed out are only part of them (`walk/control.rs`).
    /// (Reported by the run's summary, not here.)
    #[serde(skip)]
    pub stopped: Option<Stopped>,
    /// Set when the walk took one part of the tree (a shard). (Reported by
    /// the run's summary, not here.)
    #[serde(skip)]
    pub shard: Option<ShardRun>,
}
