//! The region graph of one part of a sharded walk (`graph --shard K/N`,
//! docs/cluster.md), made so that the parts' graphs merge into the single
//! run's graph edge for edge.
//!
//! A part walks its subtrees with facets as the single run does, and works
//! out every region's node and the crossings of its neuron facets exactly as
//! the single run does (`nodes_and_crossings`): a region's facets and the
//! pattern beyond each depend on that region alone. A crossing into a
//! pattern of the part is an edge inside it, paired and checked as in
//! [`RegionGraph::build`]. A crossing into any other pattern is a *border
//! crossing*: its neighbour is in another part (or missing, which only the
//! merge can tell). The part keeps it whole (pattern beyond, hyperplane,
//! point), and `merge` pairs the border crossings of all parts by pattern,
//! checking that each is found from both sides, as the single run checks
//! every edge.
//!
//! Whether two regions have one affine map is decided in the part too, with
//! the single run's comparison ([`compare_maps`]): the neighbour's map is a
//! function of its pattern alone, so the part computes it as the neighbour's
//! own part does. Both sides of a border edge decide it; `merge` checks they
//! agree and takes the linear regions as the connected components of the
//! edges with one map.

use crate::domain::half_space::HalfSpace;
use crate::domain::input_domain::Domain;
use crate::graph::error::GraphError;
use crate::graph::linear_regions::compare_maps;
use crate::graph::region_graph::{pair_crossings, split_crossings, RegionEdge, RegionNode};
use crate::model::network::Network;
use crate::model::pattern::Pattern;
use crate::walk::control::RunControl;
use crate::walk::region::Region;
use crate::walk::region_report::AffineMapReport;
use crate::walk::space::WorkSpace;

/// A neuron facet of a part's region across which lies a pattern that is
/// not in the part.
#[derive(Debug, Clone)]
pub struct BorderCrossing {
    /// The region's id in the part (from 0).
    pub source: usize,
    /// The neuron `(layer, index)` whose hyperplane the facet lies on.
    pub neuron: (usize, usize),
    /// The pattern beyond the facet.
    pub neighbour: Pattern,
    /// The facet's hyperplane, `a·x < b` in the region.
    pub hyperplane: HalfSpace,
    /// A point in the facet's relative interior, in input coordinates.
    pub point: Vec<f64>,
    /// Whether the region and the neighbour have one affine map (decided
    /// exactly).
    pub same_map: bool,
    /// Whether the float test could not tell the two maps apart, so they
    /// were compared exactly.
    pub exact_check: bool,
}

/// The graph of one part: its regions (ids from 0 in the part), the edges
/// between them, and the crossings into other parts.
#[derive(Debug, Clone)]
pub struct GraphPart {
    /// The regions, in id order.
    pub nodes: Vec<RegionNode>,
    /// The edges between two regions of the part, sorted, `source < target`,
    /// with whether the two have one affine map.
    pub edges: Vec<(usize, usize, RegionEdge, bool)>,
    /// How many of `edges` were compared exactly.
    pub exact_checks: usize,
    /// The crossings into patterns not in the part, by region.
    pub border: Vec<BorderCrossing>,
}

impl GraphPart {
    /// The graph part of `regions` (the regions of one part of a sharded
    /// walk of `network` on `domain`, walked in `space` with facets; ids are
    /// positions in the slice); stops with [`GraphError::Stopped`] when
    /// `control`'s flag is raised.
    pub(crate) fn build(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        regions: &[Region],
        control: Option<&RunControl>,
    ) -> Result<GraphPart, GraphError> {
        let (nodes, inside, outside) = split_crossings(network, domain, space, regions, control)?;
        let pairs = pair_crossings(inside, |i| nodes[i].pattern.to_string())?;
        // The maps beyond the border, computed from their patterns as their
        // own parts compute them.
        let beyond: Vec<AffineMapReport> = outside
            .iter()
            .map(|(_, c)| AffineMapReport::on_domain(&network.maps_for_pattern(&c.across).1, space))
            .collect();
        let maps: Vec<(&Pattern, &AffineMapReport)> = nodes
            .iter()
            .map(|n| (&n.pattern, &n.affine_map))
            .chain(
                outside
                    .iter()
                    .zip(&beyond)
                    .map(|((_, c), m)| (&c.across, m)),
            )
            .collect();
        let compared_pairs: Vec<(usize, usize)> = pairs
            .keys()
            .copied()
            .chain((0..outside.len()).map(|k| (outside[k].0, nodes.len() + k)))
            .collect();
        let compared = compare_maps(network, domain, &maps, &compared_pairs);
        let inner = pairs.len();
        let edges = pairs
            .into_iter()
            .zip(&compared.same)
            .map(|(((from, to), c), &same)| {
                let edge = c.into_edge(&nodes[from].pattern, &nodes[to].pattern);
                (from, to, edge, same)
            })
            .collect();
        let border = outside
            .into_iter()
            .enumerate()
            .map(|(k, (source, c))| BorderCrossing {
                source,
                neuron: c.neuron,
                neighbour: c.across,
                hyperplane: c.hyperplane,
                point: c.point,
                same_map: compared.same[inner + k],
                exact_check: compared.exact[inner + k],
            })
            .collect();
        Ok(GraphPart {
            nodes,
            edges,
            exact_checks: compared.exact[..inner].iter().filter(|&&e| e).count(),
            border,
        })
    }
}
