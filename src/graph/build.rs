//! Walking a network into its region graph: the walk with facets, then
//! [`RegionGraph::build`] on the regions it found. The one place where the
//! regions of a graph are collected, for the library, the command line and
//! the tests; and the same for one part of a sharded walk ([`GraphPart`]).

use crate::domain::input_domain::Domain;
use crate::graph::error::GraphError;
use crate::graph::graph_part::GraphPart;
use crate::graph::region_graph::RegionGraph;
use crate::lp::LpEngine;
use crate::model::network::Network;
use crate::walk::region::Region;
use crate::walk::space::WorkSpace;
use crate::walk::stats::WalkStats;
use crate::walk::walker::{WalkOptions, Walker};

impl RegionGraph {
    /// Walks `network` on `domain` (set up as `space`) with facets and
    /// Chebyshev balls ([`RegionGraph::walk_options`]), and builds the graph
    /// of the regions found.
    pub fn walk(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        engine: &dyn LpEngine,
    ) -> Result<(RegionGraph, WalkStats), GraphError> {
        Self::walk_with(network, domain, space, engine, Self::walk_options(), |_| {})
    }

    /// As [`RegionGraph::walk`], with the walk's `options` (facets and float
    /// decisions are always turned on: the graph needs them; without Chebyshev balls the nodes'
    /// witnesses and radii are the walk's cheaper ones), calling `progress`
    /// with the number of regions found so far after each region.
    pub fn walk_with(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        engine: &dyn LpEngine,
        options: WalkOptions,
        progress: impl FnMut(u64),
    ) -> Result<(RegionGraph, WalkStats), GraphError> {
        let (regions, options, stats) = walk_regions(space, engine, options, progress)?;
        let graph = Self::build_controlled(network, domain, space, &regions, options.control)?;
        Ok((graph, stats))
    }
}

impl GraphPart {
    /// As [`RegionGraph::walk_with`], for the part of the walk that
    /// `options.shard` names: the graph of its regions, with the crossings
    /// into other parts kept for `merge`.
    pub fn walk_with(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        engine: &dyn LpEngine,
        options: WalkOptions,
        progress: impl FnMut(u64),
    ) -> Result<(GraphPart, WalkStats), GraphError> {
        let (regions, options, stats) = walk_regions(space, engine, options, progress)?;
        let part = GraphPart::build(network, domain, space, &regions, options.control)?;
        Ok((part, stats))
    }
}

/// Walks `space` with `options` (facets and float decisions turned on: the
/// graph needs them), calling `progress` with the number of regions found
/// so far after each region, and collects the regions. Returns them with the
/// options used; a stopped walk is [`GraphError::Stopped`].
fn walk_regions(
    space: &WorkSpace,
    engine: &dyn LpEngine,
    options: WalkOptions,
    mut progress: impl FnMut(u64),
) -> Result<(Vec<Region>, WalkOptions, WalkStats), GraphError> {
    let options = WalkOptions {
        facets: true,
        // See `RegionGraph::walk_options`: facets are float decisions.
        float_decisions: true,
        ..options
    };
    let mut regions = Vec::new();
    let stats = Walker::new(space, engine, options).run(|region| {
        regions.push(region);
        progress(regions.len() as u64);
        Ok(())
    })?;
    if stats.stopped.is_some() {
        return Err(GraphError::Stopped);
    }
    Ok((regions, options, stats))
}
