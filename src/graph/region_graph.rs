//! The region graph (docs/design.md §3): one node per activation region, one edge
//! per facet two regions share.
//!
//! Every region's facets come from the walk ([`WalkOptions::facets`]). Across
//! each neuron facet the crossing rule of [`neighbour_pattern`] gives the
//! neighbour's pattern, which must be one of the regions (else the
//! enumeration was incomplete: [`GraphError::MissingNeighbour`]). Domain
//! facets are the boundary and have no neighbour. Every build checks that
//! each edge is found from both sides and that the graph is connected (every
//! domain regionwalk accepts is convex).
//!
//! # Complexity
//! `O(F · Σ_l n_l n_{l−1} k)` for `F` facets in all (one crossing per
//! facet), in parallel over regions, plus a hash lookup per facet.
//!
//! # Example
//! ```
//! use regionwalk::{parse_json_model, BoxSpec, GoodLpMicrolp, RegionGraph, WorkSpace};
//! // |x| on (-1, 1): two regions, one edge across x = 0.
//! let net = parse_json_model(
//!     r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
//!                    {"weight": [[1, 1]], "bias": [0]}]}"#,
//!     "abs.json".as_ref(),
//! ).unwrap();
//! let domain = BoxSpec::parse("-1:1").unwrap().resolve(1).unwrap();
//! let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
//! let (graph, _) = RegionGraph::walk(&net, &domain, &space, &GoodLpMicrolp).unwrap();
//! assert_eq!((graph.node_count(), graph.edge_count()), (2, 1));
//! let (source, target, edge) = graph.edges().next().unwrap();
//! assert_eq!((source, target), (0, 1));
//! assert_eq!(edge.neurons, [(0, 0), (0, 1)]);
//! ```

use crate::domain::half_space::HalfSpace;
use crate::domain::input_domain::Domain;
use crate::graph::error::GraphError;
use crate::graph::neighbour::neighbour_pattern;
use crate::model::network::Network;
use crate::model::pattern::Pattern;
use crate::walk::control::RunControl;
use crate::walk::region::{Region, RowSource};
use crate::walk::region_report::{AffineMapReport, RegionReport};
use crate::walk::space::WorkSpace;
use crate::walk::walker::WalkOptions;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::{Bfs, EdgeRef};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// A node: one activation region, in input coordinates.
#[derive(Debug, Clone)]
pub struct RegionNode {
    /// Its id: its position in the walk's tree order, from 0.
    pub id: u64,
    /// Its activation pattern.
    pub pattern: Pattern,
    /// A point strictly inside (the Chebyshev centre when it was computed).
    pub witness: Vec<f64>,
    /// The Chebyshev radius in input units (a lower bound when
    /// `radius_is_chebyshev` is false).
    pub radius: f64,
    /// False when `radius` is only the walk's lower bound.
    pub radius_is_chebyshev: bool,
    /// The network on the region: `A x + c`.
    pub affine_map: AffineMapReport,
    /// The domain rows ([`Domain::rows`]) that are facets of the region: its
    /// share of the domain's boundary.
    pub domain_facets: Vec<usize>,
}

/// An edge: a facet shared by two regions.
#[derive(Debug, Clone)]
pub struct RegionEdge {
    /// The neurons `(layer, index)` whose state differs between the two
    /// regions, in order: one in general position, several where neurons
    /// are duplicated or a deeper neuron bends onto the facet.
    pub neurons: Vec<(usize, usize)>,
    /// The facet's hyperplane in input coordinates, `a·x = b`, oriented so
    /// that the edge's source has `a·x < b` and its target `a·x > b`.
    pub hyperplane: HalfSpace,
    /// A point in the facet's relative interior, in input coordinates.
    pub point: Vec<f64>,
}

/// The region graph: nodes are regions (node index = region id), edges are
/// shared facets, each edge stored once with source id < target id.
#[derive(Debug, Clone)]
pub struct RegionGraph {
    graph: UnGraph<RegionNode, RegionEdge>,
}

/// A neuron facet of a region, crossed: the pattern beyond it.
pub(crate) struct Crossing {
    /// The neuron `(layer, index)` whose hyperplane the facet lies on.
    pub(crate) neuron: (usize, usize),
    /// The pattern just beyond the facet ([`neighbour_pattern`]).
    pub(crate) across: Pattern,
    /// The facet's hyperplane, the crossing region's row: `a·x < b` inside.
    pub(crate) hyperplane: HalfSpace,
    /// A point in the facet's relative interior, in input coordinates.
    pub(crate) point: Vec<f64>,
}

impl Crossing {
    /// The error when no region has the pattern beyond: the enumeration
    /// (region `from`, of pattern `pattern`) is incomplete.
    pub(crate) fn missing(&self, from: usize, pattern: &Pattern) -> GraphError {
        GraphError::MissingNeighbour {
            region: from as u64,
            pattern: pattern.to_string(),
            layer: self.neuron.0,
            index: self.neuron.1,
            neighbour: self.across.to_string(),
        }
    }

    /// The edge from the region of pattern `from` to the one of `to`.
    pub(crate) fn into_edge(self, from: &Pattern, to: &Pattern) -> RegionEdge {
        RegionEdge {
            neurons: flipped(from, to),
            hyperplane: self.hyperplane,
            point: self.point,
        }
    }
}

impl RegionGraph {
    /// The walk options a graph needs: facets, and Chebyshev balls for the
    /// nodes' witnesses and radii. Float decisions: facets are float LPs
    /// with the tolerance τ, and a region thinner than τ, which the default
    /// walk's exact near-ties would find, has no float facet, so the graph
    /// would not be connected (docs/graph.md says so; exact facets for such
    /// slivers are not built yet).
    pub fn walk_options() -> WalkOptions {
        WalkOptions {
            chebyshev: true,
            facets: true,
            float_decisions: true,
            ..WalkOptions::default()
        }
    }

    /// Builds the graph of `regions` (every region of `network` on `domain`,
    /// walked in `space` with [`WalkOptions::facets`]; ids are positions in
    /// the slice), and checks it: every neighbour enumerated, every edge
    /// found from both sides, the graph connected.
    pub fn build(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        regions: &[Region],
    ) -> Result<RegionGraph, GraphError> {
        Self::build_controlled(network, domain, space, regions, None)
    }

    /// As [`RegionGraph::build`], stopping with [`GraphError::Stopped`]
    /// when `control`'s flag is raised (checked before each region).
    pub(crate) fn build_controlled(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        regions: &[Region],
        control: Option<&RunControl>,
    ) -> Result<RegionGraph, GraphError> {
        let (nodes, directed, outside) = split_crossings(network, domain, space, regions, control)?;
        if let Some((from, c)) = outside.first() {
            return Err(c.missing(*from, &nodes[*from].pattern));
        }
        let pairs = pair_crossings(directed, |i| nodes[i].pattern.to_string())?;
        let edges: Vec<(usize, usize, RegionEdge)> = pairs
            .into_iter()
            .map(|((from, to), c)| {
                (
                    from,
                    to,
                    c.into_edge(&nodes[from].pattern, &nodes[to].pattern),
                )
            })
            .collect();
        Self::assemble(nodes, edges)
    }

    /// The graph of `nodes` (node `i` of id `i`) and `edges` (sorted by
    /// `(source, target)`, source < target), checked to be connected.
    pub(crate) fn assemble(
        nodes: Vec<RegionNode>,
        edges: Vec<(usize, usize, RegionEdge)>,
    ) -> Result<RegionGraph, GraphError> {
        let mut graph = UnGraph::with_capacity(nodes.len(), edges.len());
        for node in nodes {
            graph.add_node(node);
        }
        for (from, to, edge) in edges {
            graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), edge);
        }
        let graph = RegionGraph { graph };
        graph.check_connected()?;
        Ok(graph)
    }

    fn check_connected(&self) -> Result<(), GraphError> {
        let g = &self.graph;
        if g.node_count() == 0 {
            return Ok(());
        }
        let mut seen = vec![false; g.node_count()];
        let mut bfs = Bfs::new(g, NodeIndex::new(0));
        while let Some(n) = bfs.next(g) {
            seen[n.index()] = true;
        }
        match seen.iter().position(|&s| !s) {
            None => Ok(()),
            Some(i) => Err(GraphError::Disconnected {
                components: petgraph::algo::connected_components(g),
                unreachable: i as u64,
                pattern: g[NodeIndex::new(i)].pattern.to_string(),
            }),
        }
    }

    /// The petgraph graph: node index `i` is region `i`.
    pub fn graph(&self) -> &UnGraph<RegionNode, RegionEdge> {
        &self.graph
    }

    /// The number of regions.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of shared facets.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The regions, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &RegionNode> {
        self.graph.node_weights()
    }

    /// The edges as `(source id, target id, edge)`, source < target, sorted.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize, &RegionEdge)> {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index(), e.weight()))
    }
}

/// Each region's node (id = its position in `regions`) and the crossings
/// of its neuron facets, worked out in parallel; stops with
/// [`GraphError::Stopped`] when `control`'s flag is raised.
pub(crate) fn nodes_and_crossings(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    regions: &[Region],
    control: Option<&RunControl>,
) -> Result<Vec<(RegionNode, Vec<Crossing>)>, GraphError> {
    let domain_rows = domain.rows();
    regions
        .par_iter()
        .enumerate()
        .map(|(id, region)| {
            if control.is_some_and(RunControl::interrupted) {
                return Err(GraphError::Stopped);
            }
            let report = RegionReport::new(id as u64, network, space, &domain_rows, region);
            let crossings = crossings(id, region, &report, space)?;
            let node = RegionNode {
                id: id as u64,
                pattern: region.pattern.clone(),
                witness: report.witness,
                radius: report.radius,
                radius_is_chebyshev: report.radius_is_chebyshev,
                affine_map: report.affine_map,
                domain_facets: facet_domain_rows(region),
            };
            Ok((node, crossings))
        })
        .collect()
}

/// The nodes of some regions, their crossings into regions among them
/// `(from, to, crossing)`, and their crossings into other patterns `(from,
/// crossing)`.
pub(crate) type SplitCrossings = (
    Vec<RegionNode>,
    Vec<(usize, usize, Crossing)>,
    Vec<(usize, Crossing)>,
);

/// [`nodes_and_crossings`], with the crossings split by whether a region of
/// `regions` lies beyond: `(from, to, crossing)` if so, else `(from,
/// crossing)`.
pub(crate) fn split_crossings(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    regions: &[Region],
    control: Option<&RunControl>,
) -> Result<SplitCrossings, GraphError> {
    let index: HashMap<&Pattern, usize> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.pattern, i))
        .collect();
    let mut nodes = Vec::with_capacity(regions.len());
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for (from, (node, crossings)) in nodes_and_crossings(network, domain, space, regions, control)?
        .into_iter()
        .enumerate()
    {
        for c in crossings {
            match index.get(&c.across) {
                Some(&to) => inside.push((from, to, c)),
                None => outside.push((from, c)),
            }
        }
        nodes.push(node);
    }
    Ok((nodes, inside, outside))
}

/// The crossings `(from, to, crossing)` of regions into regions (a
/// [`Crossing`], or a crossing as read back from a graph part), checked:
/// no region crosses into another twice, and every crossing is matched by
/// one back. Returns each shared facet once, by `(from, to)` with
/// `from < to`, as crossed from `from` (so its hyperplane has `from` below).
/// `pattern_of` names a region in errors.
pub(crate) fn pair_crossings<C>(
    directed: Vec<(usize, usize, C)>,
    pattern_of: impl Fn(usize) -> String,
) -> Result<BTreeMap<(usize, usize), C>, GraphError> {
    let mut map: BTreeMap<(usize, usize), C> = BTreeMap::new();
    for (from, to, c) in directed {
        if map.insert((from, to), c).is_some() {
            return Err(GraphError::TwoFacets {
                region: from as u64,
                pattern: pattern_of(from),
                neighbour: to as u64,
                neighbour_pattern: pattern_of(to),
            });
        }
    }
    if let Some(&(from, to)) = map.keys().find(|&&(a, b)| !map.contains_key(&(b, a))) {
        return Err(GraphError::Asymmetric {
            from: from as u64,
            from_pattern: pattern_of(from),
            to: to as u64,
            to_pattern: pattern_of(to),
        });
    }
    map.retain(|&(a, b), _| a < b);
    Ok(map)
}

/// The crossings of every neuron facet of `region` (region `id`).
fn crossings(
    id: usize,
    region: &Region,
    report: &RegionReport,
    space: &WorkSpace,
) -> Result<Vec<Crossing>, GraphError> {
    let facets = region.facets.as_ref().ok_or_else(|| GraphError::NoFacets {
        region: id as u64,
        pattern: region.pattern.to_string(),
    })?;
    let mut out = Vec::new();
    for f in facets {
        let RowSource::Neuron {
            layer, index: i, ..
        } = region.sources[f.row]
        else {
            continue;
        };
        let across = neighbour_pattern(&space.network, &f.point, &region.rows[f.row].a);
        if across == region.pattern {
            return Err(GraphError::NoFlip {
                region: id as u64,
                pattern: region.pattern.to_string(),
                layer,
                index: i,
            });
        }
        let row = &report.constraints[f.row];
        out.push(Crossing {
            neuron: (layer, i),
            across,
            hyperplane: HalfSpace {
                a: row.a.clone(),
                b: row.b,
            },
            point: space.to_domain(&f.point),
        });
    }
    Ok(out)
}

/// The domain rows among `region`'s facets.
fn facet_domain_rows(region: &Region) -> Vec<usize> {
    let facets = region.facets.as_deref().unwrap_or_default();
    facets
        .iter()
        .filter_map(|f| match region.sources[f.row] {
            RowSource::Domain(i) => Some(i),
            RowSource::Neuron { .. } => None,
        })
        .collect()
}

/// The neurons whose bits differ between two patterns of one network.
pub(crate) fn flipped(p: &Pattern, q: &Pattern) -> Vec<(usize, usize)> {
    p.layers()
        .iter()
        .zip(q.layers())
        .enumerate()
        .flat_map(|(layer, (a, b))| {
            a.iter()
                .zip(b)
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(move |(i, _)| (layer, i))
        })
        .collect()
}
