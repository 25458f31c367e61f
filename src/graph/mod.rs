//! The region graph (docs/design.md §3): neighbours across facets, the
//! graph itself, linear regions.

pub(crate) mod build;
pub(crate) mod error;
pub(crate) mod graph_part;
pub(crate) mod linear_regions;
pub(crate) mod neighbour;
pub(crate) mod region_graph;
