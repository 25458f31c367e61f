//! The region graph (issue 4) against answers known without the enumerator:
//! edge-count formulas of hyperplane arrangements, the sawtooth's path, hand
//! worked linear regions and degenerate crossings, and the adjacency of the
//! exact polygons of `tests/common/oracle.rs`. Each test says where its
//! expectation comes from.

mod common;

use common::graph::{edge_patterns, oracle_adjacency, polygon_sides};
use common::nets::*;
use common::oracle::{oracle_regions, output_map};
use common::walk::{boxed, network, walk_graph, with_output};
use rand::rngs::StdRng;
use rand::SeedableRng;
use regionwalk::{
    exact_affine_map, linear_regions, Domain, GoodLpMicrolp, GraphError, Network, RegionGraph,
    WalkOptions, Walker, WorkSpace,
};
use std::collections::BTreeSet;

/// (activation regions, linear regions) of `net` on `domain`.
fn counts(net: &Network, domain: &Domain) -> (usize, usize) {
    let (_, graph, _) = walk_graph(net, domain);
    let linear = linear_regions(&graph, net, domain);
    (graph.node_count(), linear.count)
}

#[test]
fn edges_of_one_generic_layer_over_whole_space() {
    // n hyperplanes in general position in R^d: each is cut by the other
    // n − 1 (in general position within it, R^(d−1)) into Σ_{i<d} C(n−1, i)
    // facets (Zaslavsky one dimension down), each shared by two regions.
    for (seed, &(d, n)) in [(1, 5), (2, 6), (2, 9), (3, 7), (3, 9), (4, 8)]
        .iter()
        .enumerate()
    {
        let mut rng = StdRng::seed_from_u64(500 + seed as u64);
        let net = network(&[generic_layer(&mut rng, d, n)]);
        let (d64, n64) = (d as u64, n as u64);
        let expected_edges = n64 * (0..d64).map(|i| binomial(n64 - 1, i)).sum::<u64>();
        let expected_regions: u64 = (0..=d64).map(|i| binomial(n64, i)).sum();
        let (_, graph, _) = walk_graph(&net, &Domain::Whole(d));
        assert_eq!(graph.node_count() as u64, expected_regions, "d {d}, n {n}");
        assert_eq!(graph.edge_count() as u64, expected_edges, "d {d}, n {n}");
        assert!(graph.edges().all(|(_, _, e)| e.neurons.len() == 1));
    }
}

#[test]
fn edges_of_one_generic_layer_on_a_2d_box() {
    // Each line crossing the open box is cut by the others into
    // 1 + (intersection points on it inside the box) segments, each an edge
    // (no three lines concurrent inside the box); exact line geometry.
    let (lo, hi) = ([-1.0, -0.5], [1.0, 1.25]);
    let corners = box_corners(&lo, &hi);
    for seed in 0..8u64 {
        let mut rng = StdRng::seed_from_u64(700 + seed);
        let n = 3 + 2 * seed as usize;
        let layer = general_lines(&mut rng, n, &lo, &hi);
        let lines = lines_of(&layer);
        let expected: usize = lines
            .iter()
            .filter(|l| crosses_box(l, &corners))
            .map(|l| {
                1 + lines
                    .iter()
                    .filter_map(|m| intersection(l, m))
                    .filter(|p| strictly_inside(p, &lo, &hi))
                    .count()
            })
            .sum();
        let (_, graph, _) = walk_graph(&network(&[layer]), &boxed(&lo, &hi));
        assert_eq!(graph.edge_count(), expected, "seed {seed}, n {n}");
    }
}

#[test]
fn the_sawtooth_is_a_path() {
    // Telgarsky's sawtooth with L layers has 2^L linear pieces on (0, 1) in
    // order: its graph is a path of 2^L nodes and 2^L − 1 edges.
    for depth in 1..=8 {
        let net = network(&sawtooth(depth));
        let (_, graph, _) = walk_graph(&net, &boxed(&[0.0], &[1.0]));
        let n = 1usize << depth;
        assert_eq!(graph.node_count(), n, "L = {depth}");
        assert_eq!(graph.edge_count(), n - 1, "L = {depth}");
        let g = graph.graph();
        let ends = g.node_indices().filter(|&i| g.neighbors(i).count() == 1);
        assert_eq!(ends.count(), 2, "L = {depth}: a path has two ends");
        assert!(g.node_indices().all(|i| g.neighbors(i).count() <= 2));
    }
}

#[test]
fn linear_regions_of_hand_worked_networks() {
    let pair = vec![layer(vec![vec![1.0], vec![-1.0]], vec![0.0, 0.0])];
    let line = boxed(&[-1.0], &[1.0]);
    // ReLU(x) − ReLU(−x) = x on both sides of 0: 2 activation regions, 1 linear.
    let identity = with_output(&pair, vec![vec![1.0, -1.0]], vec![0.0]);
    assert_eq!(counts(&identity, &line), (2, 1));
    // |x| = ReLU(x) + ReLU(−x): slopes −1 and 1, so 2 and 2.
    let abs = with_output(&pair, vec![vec![1.0, 1.0]], vec![0.0]);
    assert_eq!(counts(&abs, &line), (2, 2));
    // Slopes 1 and 1 + 2^-52: equal in every float test, different exactly.
    let almost = with_output(&pair, vec![vec![1.0, -(1.0 + f64::EPSILON)]], vec![0.0]);
    let (_, graph, _) = walk_graph(&almost, &line);
    let linear = linear_regions(&graph, &almost, &line);
    assert_eq!((linear.count, linear.exact_checks), (2, 1));
    // Lines x = 0, y = 0 and x + y = 1/2 on the square: 1 + 3 + 3 = 7
    // regions. The output ReLU(x) + 0·ReLU(y) + ReLU(x + y − 1/2) ignores
    // y = 0, so its linear regions are those of the other two lines:
    // 1 + 2 + 1 = 4.
    let three = vec![layer(
        vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]],
        vec![0.0, 0.0, -0.5],
    )];
    let square = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let ignoring = with_output(&three, vec![vec![1.0, 0.0, 1.0]], vec![0.0]);
    assert_eq!(counts(&ignoring, &square), (7, 4));
    let (_, graph, _) = walk_graph(&ignoring, &square);
    let linear = linear_regions(&graph, &ignoring, &square);
    assert_eq!(graph.edges().count(), linear.same_map.len());
    for ((_, _, e), same) in graph.edges().zip(&linear.same_map) {
        assert_eq!(*same, e.neurons == [(0, 1)], "{:?}", e.neurons);
    }
    let mut sizes: Vec<usize> = linear.members.iter().map(Vec::len).collect();
    sizes.sort();
    // The y = 0 line is cut into three segments: three merged pairs and one
    // region alone (the corner x < 0, x + y > 1/2 does not touch y = 0).
    assert_eq!(sizes, [1, 2, 2, 2]);
}

#[test]
fn linear_regions_on_a_slice_compare_the_free_coordinates() {
    // ReLU(x + y) − ReLU(−x − y) = x + y with y fixed at 0.25: two
    // activation regions (x + y = 0 at x = −0.25), one linear region of the
    // slice. The fixed column folds into the constant on both sides.
    let pair = vec![layer(
        vec![vec![1.0, 1.0], vec![-1.0, -1.0]],
        vec![0.0, 0.0],
    )];
    let net = with_output(&pair, vec![vec![1.0, -1.0]], vec![0.0]);
    assert_eq!(counts(&net, &boxed(&[-1.0, 0.25], &[1.0, 0.25])), (2, 1));
}

#[test]
fn exact_maps_are_the_oracles_composition_of_the_layers() {
    // Full-precision weights (three layers of generic lines and planes), so
    // the float map rounds; the exact map must be the oracle's composition
    // of the layers in rationals (tests/common/oracle.rs), entry by entry.
    let mut rng = StdRng::seed_from_u64(11);
    let layers = vec![
        generic_layer(&mut rng, 2, 6),
        generic_layer(&mut rng, 6, 6),
        generic_layer(&mut rng, 6, 6),
    ];
    let out = generic_layer(&mut rng, 6, 2);
    let net = with_output(&layers, out.weight.clone(), out.bias.clone());
    let (reports, _, _) = walk_graph(&net, &boxed(&[-1.0, -1.0], &[1.0, 1.0]));
    assert!(reports.len() > 10);
    for r in &reports {
        let exact = exact_affine_map(&net, &regionwalk::Pattern::parse(&r.pattern).unwrap());
        assert_eq!(
            exact,
            output_map(&layers, &out, &r.pattern),
            "{}",
            r.pattern
        );
    }
}

#[test]
fn a_duplicated_neuron_flips_with_its_copy() {
    // Two copies of x + y (docs/design.md §3): one hyperplane, regions 00 and 11,
    // and the edge between them flips both copies. A negated copy: 01 and 10.
    let square = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    for (rows, patterns) in [
        (vec![vec![1.0, 1.0], vec![1.0, 1.0]], ["00", "11"]),
        (vec![vec![1.0, 1.0], vec![-1.0, -1.0]], ["01", "10"]),
        (vec![vec![1.0, 1.0], vec![3.0, 3.0]], ["00", "11"]),
    ] {
        let net = network(&[layer(rows, vec![0.0, 0.0])]);
        let (_, graph, _) = walk_graph(&net, &square);
        let found: BTreeSet<String> = graph.nodes().map(|n| n.pattern.to_string()).collect();
        assert_eq!(found, patterns.iter().map(|s| s.to_string()).collect());
        let edges: Vec<_> = graph.edges().map(|(_, _, e)| e.neurons.clone()).collect();
        assert_eq!(edges, [vec![(0, 0), (0, 1)]]);
    }
}

/// An edge as (smaller pattern, larger pattern, flipped neurons).
type LabelledEdge = (String, String, Vec<(usize, usize)>);

#[test]
fn a_deeper_neuron_bent_onto_a_facet_flips_with_it() {
    // h = (ReLU(x), ReLU(y)), then ReLU(h0 + h1): zero on the quadrant
    // x ≤ 0, y ≤ 0 and positive elsewhere, so its zero set there is the
    // quadrant's boundary. Four quadrants 11|1, 01|1, 10|1, 00|0; crossing
    // into the negative quadrant flips the first-layer neuron and the deeper one.
    let net = network(&[
        layer(vec![vec![1.0, 0.0], vec![0.0, 1.0]], vec![0.0, 0.0]),
        layer(vec![vec![1.0, 1.0]], vec![0.0]),
    ]);
    let (_, graph, _) = walk_graph(&net, &boxed(&[-1.0, -1.0], &[1.0, 1.0]));
    let nodes: Vec<String> = graph.nodes().map(|n| n.pattern.to_string()).collect();
    let mut edges: Vec<LabelledEdge> = graph
        .edges()
        .map(|(s, t, e)| {
            let (p, q) = (nodes[s].clone(), nodes[t].clone());
            let (p, q) = if p < q { (p, q) } else { (q, p) };
            (p, q, e.neurons.clone())
        })
        .collect();
    edges.sort();
    let e = |p: &str, q: &str, n: &[(usize, usize)]| (p.to_string(), q.to_string(), n.to_vec());
    assert_eq!(
        edges,
        [
            e("00|0", "01|1", &[(0, 1), (1, 0)]),
            e("00|0", "10|1", &[(0, 0), (1, 0)]),
            e("01|1", "11|1", &[(0, 0)]),
            e("10|1", "11|1", &[(0, 1)]),
        ]
    );
}

/// A random network and its box: (seed, inputs, widths, lo, hi).
type Case = (u64, usize, &'static [usize], [f64; 2], [f64; 2]);

#[test]
fn adjacency_matches_the_exact_polygons() {
    // A second construction: the oracle's exact polygons (or intervals) are
    // adjacent iff they share an edge of positive length (an endpoint); the
    // two edge sets must be equal. Each region's facet count must equal its
    // polygon's number of sides.
    // (seed, inputs, hidden widths, box lo, box hi); 1-D cases use the first entries.
    let cases: [Case; 6] = [
        (1, 2, &[8, 8, 8], [-1.0, -1.0], [1.0, 1.0]),
        (2, 2, &[10, 10], [-1.0, -0.5], [0.75, 1.0]),
        (3, 2, &[12, 12, 12], [-1.0, -1.0], [1.0, 1.0]),
        (4, 2, &[16, 16, 16], [-1.0, -1.0], [1.0, 1.0]),
        (5, 1, &[16, 16, 16], [-2.0, 0.0], [2.0, 0.0]),
        (6, 1, &[24, 24, 24, 24], [-2.0, 0.0], [2.0, 0.0]),
    ];
    for (seed, d, widths, lo, hi) in cases {
        let layers = random_net(900 + seed, d, widths);
        let oracle = oracle_regions(&layers, &lo[..d], &hi[..d]);
        let expected = oracle_adjacency(&oracle);
        let (reports, graph, _) = walk_graph(&network(&layers), &boxed(&lo[..d], &hi[..d]));
        let found = edge_patterns(&graph);
        let missing: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "seed {seed}: missing {missing:?}, extra {extra:?}"
        );
        assert!(
            expected.len() > 3 * d,
            "seed {seed}: only {} edges; the test would be weak",
            expected.len()
        );
        if d == 2 {
            for region in &oracle {
                let report = reports
                    .iter()
                    .find(|r| r.pattern == region.pattern)
                    .unwrap();
                let facets = report
                    .constraints
                    .iter()
                    .filter(|c| c.facet == Some(true))
                    .count();
                assert_eq!(
                    facets,
                    polygon_sides(&region.vertices),
                    "seed {seed}, region {}",
                    region.pattern
                );
            }
        }
    }
}

#[test]
fn a_missing_region_is_an_error_naming_both_patterns() {
    // Drop one region of a walk: its neighbours' facets lead to a pattern
    // that is not listed, and the build must say so, never drop the edge.
    let net = network(&[general_lines(
        &mut StdRng::seed_from_u64(3),
        4,
        &[-1.0, -1.0],
        &[1.0, 1.0],
    )]);
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    let walk = |options: WalkOptions| {
        let mut regions = Vec::new();
        Walker::new(&space, &GoodLpMicrolp, options)
            .run(|r| {
                regions.push(r);
                Ok(())
            })
            .unwrap();
        regions
    };
    let mut regions = walk(RegionGraph::walk_options());
    let dropped = regions.remove(2).pattern.to_string();
    let err = RegionGraph::build(&net, &domain, &space, &regions).unwrap_err();
    let GraphError::MissingNeighbour {
        ref pattern,
        ref neighbour,
        ..
    } = err
    else {
        panic!("expected MissingNeighbour, got {err}");
    };
    assert_eq!(neighbour, &dropped);
    let message = err.to_string();
    assert!(
        message.contains(pattern.as_str()) && message.contains(&dropped),
        "{message}"
    );
    // Regions walked without facets cannot make a graph.
    let plain = walk(WalkOptions::default());
    assert!(matches!(
        RegionGraph::build(&net, &domain, &space, &plain),
        Err(GraphError::NoFacets { .. })
    ));
}

/// The oracle's regions of `layers` on the box `lo..hi` cut by the row
/// `cut·x ≤ c`: the regions of the network with one more first-layer neuron
/// `cut·x − c` (feeding nothing) on its off side, with its bit removed.
fn oracle_cut_by(
    layers: &[common::oracle::OracleLayer],
    cut: &[f64],
    c: f64,
    lo: &[f64],
    hi: &[f64],
) -> Vec<common::oracle::OracleRegion> {
    let mut with_cut = layers.to_vec();
    with_cut[0].weight.push(cut.to_vec());
    with_cut[0].bias.push(-c);
    if let Some(next) = with_cut.get_mut(1) {
        for row in &mut next.weight {
            row.push(0.0);
        }
    }
    let at = layers[0].weight.len();
    oracle_regions(&with_cut, lo, hi)
        .into_iter()
        .filter(|r| r.pattern.as_bytes()[at] == b'0')
        .map(|mut r| {
            r.pattern.remove(at);
            r
        })
        .collect()
}

#[test]
fn graphs_on_polytopes_and_unbounded_domains_match_the_oracle() {
    // The square cut by x + 2y ≤ 1/2, given as a polytope; and the
    // half-plane x + 2y ≤ 1/2 alone, unbounded, for three lines no two of
    // which are parallel, so every region and every facet has a vertex, and
    // all of them lie in the square of half-width 4 (by hand: (0, 1/4),
    // (0, 1/2), (−1/4, 1/4), (−1/6, 1/3)). The oracle's regions on the off
    // side of the cut, and their adjacency, are the expected graph.
    let cut = [1.0, 2.0];
    let deep = random_net(950, 2, &[6, 6]);
    let lines = vec![layer(
        vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, -1.0]],
        vec![0.0, -0.25, 0.5],
    )];
    let square_rows = vec![
        vec![1.0, 0.0],
        vec![-1.0, 0.0],
        vec![0.0, 1.0],
        vec![0.0, -1.0],
        cut.to_vec(),
    ];
    let cases = [
        (
            deep,
            Domain::Polytope {
                a: square_rows,
                b: vec![1.0, 1.0, 1.0, 1.0, 0.5],
            },
            1.0,
        ),
        (
            lines,
            Domain::Polytope {
                a: vec![cut.to_vec()],
                b: vec![0.5],
            },
            4.0,
        ),
    ];
    for (layers, domain, r) in cases {
        let oracle = oracle_cut_by(&layers, &cut, 0.5, &[-r, -r], &[r, r]);
        let (_, graph, _) = walk_graph(&network(&layers), &domain);
        let nodes: BTreeSet<String> = graph.nodes().map(|n| n.pattern.to_string()).collect();
        let expected: BTreeSet<String> = oracle.iter().map(|r| r.pattern.clone()).collect();
        assert_eq!(nodes, expected);
        assert_eq!(edge_patterns(&graph), oracle_adjacency(&oracle));
        assert!(graph.edge_count() > 3);
    }
}
