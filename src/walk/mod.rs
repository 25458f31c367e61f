//! The enumeration (docs/design.md §2): the layer-by-layer walk, the side
//! test, the float and the certifying deciders with their proofs, the
//! working space, facets, and regions as users read them.

pub(crate) mod box_hints;
pub(crate) mod box_proof;
pub(crate) mod certifying;
pub(crate) mod control;
pub(crate) mod decider;
pub(crate) mod depth_first;
pub(crate) mod exact_alternative;
pub(crate) mod facets;
pub(crate) mod motzkin;
pub(crate) mod near_ties;
pub(crate) mod ordered_stream;
pub(crate) mod piece_box;
pub(crate) mod polygon;
pub(crate) mod pre_activation;
pub(crate) mod prover;
pub(crate) mod region;
pub(crate) mod region_report;
pub(crate) mod rounded_multipliers;
pub(crate) mod row_bound;
pub(crate) mod row_proof;
pub(crate) mod side_test;
pub(crate) mod space;
pub(crate) mod stats;
pub(crate) mod subtree;
#[cfg(test)]
mod tests;
pub(crate) mod tree;
pub(crate) mod tree_size;
pub(crate) mod walker;
