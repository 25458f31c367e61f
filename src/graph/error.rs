//! Why a region graph could not be built. Each variant names the regions at
//! fault by id and pattern, so the message alone is enough to reproduce it.

use crate::error::WalkError;
use thiserror::Error;

/// A region graph that failed its checks (docs/design.md §3). None of these is bad
/// input: each means the enumeration or its float decisions are inconsistent.
#[derive(Debug, Error)]
pub enum GraphError {
    /// The walk that produced the regions failed.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// The walk, or the building of the graph from its regions, stopped
    /// early under its control (`WalkOptions::control`): a graph of part of
    /// the regions is not built.
    #[error("the walk stopped before its end; a region graph needs every region")]
    Stopped,
    /// A region came without facets (the walk ran without `WalkOptions::facets`).
    #[error("region {region} ({pattern}) was walked without facets (WalkOptions::facets)")]
    NoFacets {
        /// The region's id.
        region: u64,
        /// Its pattern.
        pattern: String,
    },
    /// Across a facet lies a pattern that is not among the regions: the
    /// enumeration is incomplete.
    #[error(
        "the enumeration is incomplete: region {region} ({pattern}) has a facet on neuron \
         [{layer}, {index}] across which lies pattern {neighbour}, which is not among the regions"
    )]
    MissingNeighbour {
        /// The region's id.
        region: u64,
        /// Its pattern.
        pattern: String,
        /// The facet's neuron: hidden layer.
        layer: usize,
        /// The facet's neuron: index in its layer.
        index: usize,
        /// The pattern the crossing rule found across the facet.
        neighbour: String,
    },
    /// Crossing a facet flipped no neuron: the facet's point was not on its
    /// neuron's hyperplane.
    #[error("region {region} ({pattern}): crossing its facet on neuron [{layer}, {index}] flips no neuron")]
    NoFlip {
        /// The region's id.
        region: u64,
        /// Its pattern.
        pattern: String,
        /// The facet's neuron: hidden layer.
        layer: usize,
        /// The facet's neuron: index in its layer.
        index: usize,
    },
    /// Two facets of one region lead to the same neighbour; convex regions
    /// share at most one facet.
    #[error("regions {region} ({pattern}) and {neighbour} ({neighbour_pattern}) meet across two facets of region {region}")]
    TwoFacets {
        /// The region whose facets these are.
        region: u64,
        /// Its pattern.
        pattern: String,
        /// The neighbour found twice.
        neighbour: u64,
        /// Its pattern.
        neighbour_pattern: String,
    },
    /// An edge seen from one side only.
    #[error(
        "edge not symmetric: region {from} ({from_pattern}) finds {to} ({to_pattern}) across a \
         facet, but {to} has no facet leading back"
    )]
    Asymmetric {
        /// The region that finds the edge.
        from: u64,
        /// Its pattern.
        from_pattern: String,
        /// The region it finds.
        to: u64,
        /// Its pattern.
        to_pattern: String,
    },
    /// The graph is not connected although the domain is convex.
    #[error(
        "the region graph has {components} connected components over a convex domain: region \
         {unreachable} ({pattern}) cannot be reached from region 0"
    )]
    Disconnected {
        /// How many components.
        components: usize,
        /// A region not connected to region 0.
        unreachable: u64,
        /// Its pattern.
        pattern: String,
    },
}
