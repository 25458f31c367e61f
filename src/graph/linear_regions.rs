//! Linear regions (docs/design.md §1): the connected components of the region graph
//! once only the edges between regions with the same affine map are kept.
//!
//! Two maps are compared exactly. A float test first: if some entry of the
//! two f64 maps differs by more than `SAME_MAP_RELATIVE` of its absolute
//! bound, the maps surely differ. Otherwise both maps are recomputed exactly
//! ([`ExactAffine::of_pattern`]) and compared for equality. On a slice (a
//! box with fixed coordinates) the maps are compared as functions of the free
//! coordinates: the fixed columns are folded into the constant, exactly
//! ([`Slice::exact_restrict`]). On a plane or segment every edge is compared
//! exactly, on the plane's coordinates.
//!
//! # Complexity
//! One float map bound per region (`O(Σ_l n_l n_{l−1} d)`), one comparison
//! per edge, one exact map per region on an edge the float test cannot
//! decide, and a union-find over the edges.
//!
//! # Example
//! ```
//! use regionwalk::{linear_regions, parse_json_model, BoxSpec, GoodLpMicrolp, RegionGraph, WorkSpace};
//! // ReLU(x) − ReLU(−x) = x on (-1, 1): two activation regions, one linear region.
//! let net = parse_json_model(
//!     r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
//!                    {"weight": [[1, -1]], "bias": [0]}]}"#,
//!     "id.json".as_ref(),
//! ).unwrap();
//! let domain = BoxSpec::parse("-1:1").unwrap().resolve(1).unwrap();
//! let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
//! let (graph, _) = RegionGraph::walk(&net, &domain, &space, &GoodLpMicrolp).unwrap();
//! let linear = linear_regions(&graph, &net, &domain);
//! assert_eq!((graph.node_count(), linear.count), (2, 1));
//! assert_eq!(linear.members, [vec![0, 1]]);
//! ```

use crate::domain::input_domain::Domain;
use crate::exact::affine::ExactAffine;
use crate::exact::slice::Slice;
use crate::graph::region_graph::RegionGraph;
use crate::model::affine::Affine;
use crate::model::network::Network;
use crate::model::pattern::Pattern;
use crate::tolerance::SAME_MAP_RELATIVE;
use crate::walk::region_report::AffineMapReport;
use petgraph::unionfind::UnionFind;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The linear regions of a region graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinearRegions {
    /// How many linear regions.
    pub count: usize,
    /// For each region id, the index of its linear region. Linear regions
    /// are numbered in the order of their smallest member.
    pub of_region: Vec<usize>,
    /// The member region ids of each linear region, ascending.
    pub members: Vec<Vec<u64>>,
    /// For each edge, in the order of [`RegionGraph::edges`]: whether its two
    /// regions have the same affine map.
    pub same_map: Vec<bool>,
    /// How many edges the float test could not decide, so were compared exactly.
    pub exact_checks: usize,
}

/// The linear regions of `graph`, a region graph of `network` on `domain`.
pub fn linear_regions(graph: &RegionGraph, network: &Network, domain: &Domain) -> LinearRegions {
    let maps: Vec<(&Pattern, &AffineMapReport)> =
        graph.nodes().map(|n| (&n.pattern, &n.affine_map)).collect();
    let edges: Vec<(usize, usize)> = graph.edges().map(|(s, t, _)| (s, t)).collect();
    let compared = compare_maps(network, domain, &maps, &edges);
    let exact_checks = compared.exact.iter().filter(|&&e| e).count();
    LinearRegions::of_edges(maps.len(), &edges, compared.same, exact_checks)
}

/// For each of some pairs of regions: whether their affine maps are equal,
/// and whether the float test left that to the exact comparison.
pub(crate) struct ComparedMaps {
    /// Whether the two maps are equal (decided exactly).
    pub(crate) same: Vec<bool>,
    /// Whether the float test could not tell them apart, so they were
    /// compared exactly.
    pub(crate) exact: Vec<bool>,
}

/// Compares the maps of the pairs `edges` of `regions` (each a pattern of
/// `network` on `domain` with its map as region reports give it): the
/// float test, then, where it cannot decide, the exact maps.
pub(crate) fn compare_maps(
    network: &Network,
    domain: &Domain,
    regions: &[(&Pattern, &AffineMapReport)],
    edges: &[(usize, usize)],
) -> ComparedMaps {
    let slice = Slice::new(domain);
    let abs = AbsNetwork::new(network);
    let float_maps: Vec<SliceMap> = regions
        .par_iter()
        .map(|(pattern, map)| float_slice_map(map, &abs.bound(pattern), &slice))
        .collect();
    // On a plane or segment the float maps are not maps of free input
    // coordinates: every edge is compared exactly.
    let undecided: Vec<bool> = edges
        .iter()
        .map(|&(s, t)| slice.is_plane() || may_be_equal(&float_maps[s], &float_maps[t]))
        .collect();
    let need: BTreeSet<usize> = edges
        .iter()
        .zip(&undecided)
        .filter(|(_, &u)| u)
        .flat_map(|(&(s, t), _)| [s, t])
        .collect();
    let exact: HashMap<usize, ExactAffine> = need
        .into_par_iter()
        .map(|i| {
            let map = ExactAffine::of_pattern(network, regions[i].0);
            (i, slice.exact_restrict(&map))
        })
        .collect();
    let same: Vec<bool> = edges
        .iter()
        .zip(&undecided)
        .map(|(&(s, t), &u)| u && exact[&s] == exact[&t])
        .collect();
    ComparedMaps {
        same,
        exact: undecided,
    }
}

impl LinearRegions {
    /// The linear regions of `regions` regions joined by `edges` (sorted,
    /// as [`RegionGraph::edges`] gives them), of which those with
    /// `same_map` join one linear region; `exact_checks` edges were compared
    /// exactly.
    pub(crate) fn of_edges(
        regions: usize,
        edges: &[(usize, usize)],
        same_map: Vec<bool>,
        exact_checks: usize,
    ) -> LinearRegions {
        let mut sets = UnionFind::<usize>::new(regions);
        for (&(s, t), &same) in edges.iter().zip(&same_map) {
            if same {
                sets.union(s, t);
            }
        }
        let mut label: HashMap<usize, usize> = HashMap::new();
        let mut members: Vec<Vec<u64>> = Vec::new();
        let of_region: Vec<usize> = (0..regions)
            .map(|i| {
                let next = label.len();
                let k = *label.entry(sets.find(i)).or_insert(next);
                if k == members.len() {
                    members.push(Vec::new());
                }
                members[k].push(i as u64);
                k
            })
            .collect();
        LinearRegions {
            count: members.len(),
            of_region,
            members,
            same_map,
            exact_checks,
        }
    }
}

/// A float map of the free coordinates: `A` (outputs × free inputs) and
/// `c`, each entry with its absolute bound beside it.
#[derive(Debug, PartialEq)]
struct SliceMap {
    a: Vec<Vec<(f64, f64)>>,
    c: Vec<(f64, f64)>,
}

/// A region's f64 map on the slice, each entry paired with its absolute bound.
fn float_slice_map(m: &AffineMapReport, bound: &Affine, slice: &Slice) -> SliceMap {
    let a = (0..m.a.len())
        .map(|o| {
            let pairs: Vec<(f64, f64)> = m.a[o]
                .iter()
                .copied()
                .zip(bound.row(o).iter().copied())
                .collect();
            slice.free_part(&pairs)
        })
        .collect();
    let c = (0..m.c.len())
        .map(|o| {
            slice
                .fixed()
                .iter()
                .fold((m.c[o], bound.bias()[o]), |(c, b), &(i, v)| {
                    (c + m.a[o][i] * v, b + bound.row(o)[i] * v.abs())
                })
        })
        .collect();
    SliceMap { a, c }
}

/// False when some entry surely differs (see `SAME_MAP_RELATIVE`).
fn may_be_equal(p: &SliceMap, q: &SliceMap) -> bool {
    let close = |&(x, bx): &(f64, f64), &(y, by): &(f64, f64)| {
        (x - y).abs() <= SAME_MAP_RELATIVE * (bx + by)
    };
    p.a.iter()
        .flatten()
        .zip(q.a.iter().flatten())
        .all(|(x, y)| close(x, y))
        && p.c.iter().zip(&q.c).all(|(x, y)| close(x, y))
}

/// The network with every weight and bias replaced by its absolute value:
/// its masked product bounds the terms of each entry of a region's map.
struct AbsNetwork {
    hidden: Vec<Affine>,
    /// `|α|` per hidden neuron: an off leaky neuron's row enters that many times.
    slopes: Vec<Vec<f64>>,
    output: Affine,
}

impl AbsNetwork {
    fn new(network: &Network) -> Self {
        let abs = |m: &Affine| {
            Affine::new(
                m.rows(),
                m.cols(),
                m.weight().iter().map(|v| v.abs()).collect(),
                m.bias().iter().map(|v| v.abs()).collect(),
            )
        };
        AbsNetwork {
            hidden: network.hidden().iter().map(abs).collect(),
            slopes: network
                .slopes()
                .iter()
                .map(|l| l.iter().map(|a| a.abs()).collect())
                .collect(),
            output: abs(network.output()),
        }
    }

    /// `|W_out| M_L |W_L| ... M_1 |W_1|` with the pattern's masks `M_l`
    /// (an off neuron's row times `|α|`)
    /// (biases likewise), as an affine map of the input.
    fn bound(&self, pattern: &Pattern) -> Affine {
        let d = self
            .hidden
            .first()
            .map(Affine::cols)
            .unwrap_or(self.output.cols());
        let mut h = Affine::identity(d);
        for ((layer, bits), slopes) in self.hidden.iter().zip(pattern.layers()).zip(&self.slopes) {
            h = layer.after(&h);
            h.activate_rows(bits, slopes);
        }
        self.output.after(&h)
    }
}
