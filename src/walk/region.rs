//! What the walk hands out: finished regions, in working coordinates, with
//! where each of their rows comes from.

use crate::domain::half_space::HalfSpace;
use crate::exact::point::ExactPoint;
use crate::lp::chebyshev::Ball;
use crate::model::pattern::Pattern;
use crate::walk::facets::Facet;
use crate::walk::prover::SplitRecord;
use serde::Serialize;

/// Where a row of a region comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowSource {
    /// Row `i` of [`crate::Domain::rows`].
    Domain(usize),
    /// A hidden neuron, on the side the region lies on.
    Neuron {
        /// Hidden layer, from 0.
        layer: usize,
        /// Neuron within the layer, from 0.
        index: usize,
        /// True when the region has the neuron on (the row is `−z ≤ 0`),
        /// false when off (`z ≤ 0`).
        on: bool,
    },
}

/// A finished region, in working coordinates.
#[derive(Debug, Clone)]
pub struct Region {
    /// Its activation pattern (empty when
    /// [`crate::WalkOptions::region_pattern`] is off).
    pub pattern: Pattern,
    /// Its rows `a·t < b` with unit normals: the domain's rows, then the
    /// neurons that cut one of its ancestors, in the order they cut.
    pub rows: Vec<HalfSpace>,
    /// Where each row comes from.
    pub sources: Vec<RowSource>,
    /// A ball inside it, in working coordinates (its radius is a lower
    /// bound, not the Chebyshev radius; no centre when
    /// [`crate::WalkOptions::region_pattern`] is off).
    pub ball: Ball,
    /// With [`crate::WalkOptions::chebyshev`]: the Chebyshev ball measured
    /// in input units (centre in working coordinates, radius in input units).
    pub chebyshev: Option<Ball>,
    /// With [`crate::WalkOptions::certify`]: an exact point strictly inside,
    /// on the free input coordinates.
    pub exact_witness: Option<ExactPoint>,
    /// With [`crate::WalkOptions::certify`]: the proofs of the splits that
    /// come before this region in the tree's pre-order (the splits of the
    /// cells whose first region this is), outermost first.
    pub splits: Vec<SplitRecord>,
    /// With [`crate::WalkOptions::facets`]: which rows are facets, each with
    /// a point in its relative interior (docs/design.md §3). The other rows
    /// are redundant.
    pub facets: Option<Vec<Facet>>,
    /// Where it is in its frontier subtree: the index of the child taken at
    /// each step from the subtree's root (`walk/subtree.rs`). A resumed run
    /// continues after it ([`crate::WalkOptions::resume_path`]).
    pub position: Vec<u32>,
}
