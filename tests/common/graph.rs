//! Checking region graphs: invariants every built graph must satisfy, and a
//! second, independent construction of the adjacency from the exact polygons
//! of `oracle.rs` (two regions are adjacent iff their closures share an edge
//! of positive length; two intervals iff they share an endpoint).

use super::oracle::{output_map, OracleLayer, OracleRegion};
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use regionwalk::{Domain, Network, RegionGraph, RegionReport};
use std::collections::{BTreeMap, BTreeSet};

type Q = BigRational;

/// The neurons `(layer, index)` whose bits differ between two printed patterns.
pub fn pattern_diff(p: &str, q: &str) -> Vec<(usize, usize)> {
    p.split('|')
        .zip(q.split('|'))
        .enumerate()
        .flat_map(|(layer, (a, b))| {
            a.chars()
                .zip(b.chars())
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(move |(i, _)| (layer, i))
        })
        .collect()
}

/// Asserts: nodes are the reports in order; edges sorted, `source < target`;
/// each edge's neurons are the two patterns' difference; its point lies on
/// its hyperplane, with the source's witness below and the target's above;
/// and a plain forward pass just below and just above the point (along the
/// hyperplane's normal within the domain's slice) gives the source's and the
/// target's patterns. (The build itself has checked symmetry and connectivity.)
pub fn graph_sanity_check(
    net: &Network,
    domain: &Domain,
    reports: &[RegionReport],
    graph: &RegionGraph,
) {
    assert_eq!(graph.node_count(), reports.len());
    for (node, r) in graph.nodes().zip(reports) {
        assert_eq!(node.id, r.id);
        assert_eq!(node.pattern.to_string(), r.pattern);
        assert_eq!(node.witness, r.witness);
    }
    let fixed: Vec<usize> = domain.fixed().iter().map(|f| f.0).collect();
    let step = match domain {
        Domain::Box(b) => {
            1e-9 * b
                .iter()
                .filter(|(lo, hi)| hi > lo)
                .map(|(lo, hi)| 0.5 * (hi - lo))
                .fold(f64::INFINITY, f64::min)
        }
        _ => 1e-9,
    };
    let mut last = None;
    for (s, t, e) in graph.edges() {
        assert!(
            s < t && last < Some((s, t)),
            "edges sorted, source < target"
        );
        last = Some((s, t));
        let (ps, pt) = (&reports[s].pattern, &reports[t].pattern);
        assert_eq!(e.neurons, pattern_diff(ps, pt), "edge {s}-{t}");
        let (a, b) = (&e.hyperplane.a, e.hyperplane.b);
        let side = |x: &[f64]| a.iter().zip(x).map(|(a, x)| a * x).sum::<f64>() - b;
        let size: f64 = a
            .iter()
            .zip(&e.point)
            .map(|(a, x)| (a * x).abs())
            .sum::<f64>()
            + b.abs();
        assert!(
            side(&e.point).abs() <= 1e-9 * size.max(1.0),
            "edge {s}-{t}: point off its hyperplane by {}",
            side(&e.point)
        );
        assert!(side(&reports[s].witness) < 0.0, "edge {s}-{t}: source side");
        assert!(side(&reports[t].witness) > 0.0, "edge {s}-{t}: target side");
        let normal: Vec<f64> = a
            .iter()
            .enumerate()
            .map(|(i, &v)| if fixed.contains(&i) { 0.0 } else { v })
            .collect();
        let n = normal.iter().map(|v| v * v).sum::<f64>().sqrt();
        for (sign, want) in [(-1.0, ps), (1.0, pt)] {
            let x: Vec<f64> = e
                .point
                .iter()
                .zip(&normal)
                .map(|(p, v)| p + sign * step * v / n)
                .collect();
            assert_eq!(
                &net.pattern_at(&x).to_string(),
                want,
                "edge {s}-{t}: forward pattern {} the facet",
                if sign < 0.0 { "below" } else { "above" }
            );
        }
    }
}

/// The adjacent pairs of oracle regions (patterns, smaller first): 1-D
/// intervals sharing an endpoint, 2-D polygons sharing an edge of positive
/// length (collinear edges whose parameter intervals overlap in more than a
/// point), all in exact arithmetic.
pub fn oracle_adjacency(regions: &[OracleRegion]) -> BTreeSet<(String, String)> {
    let pair = |i: usize, j: usize| {
        let (p, q) = (regions[i].pattern.clone(), regions[j].pattern.clone());
        if p < q {
            (p, q)
        } else {
            (q, p)
        }
    };
    let mut out = BTreeSet::new();
    if regions.first().is_some_and(|r| r.vertices[0].len() == 1) {
        for i in 0..regions.len() {
            for j in 0..regions.len() {
                if regions[i].vertices[1][0] == regions[j].vertices[0][0] {
                    out.insert(pair(i, j));
                }
            }
        }
        return out;
    }
    // Canonical line (a, b, c) with first nonzero of (a, b) equal to 1 ->
    // (region, lo, hi) of each polygon edge on it.
    let mut lines: BTreeMap<[Q; 3], Vec<(usize, Q, Q)>> = BTreeMap::new();
    for (r, region) in regions.iter().enumerate() {
        let v = &region.vertices;
        for k in 0..v.len() {
            let (p, q) = (&v[k], &v[(k + 1) % v.len()]);
            if p == q {
                continue;
            }
            let a = &q[1] - &p[1];
            let b = &p[0] - &q[0];
            let c = -(&a * &p[0] + &b * &p[1]);
            let s = if a.is_zero() { b.clone() } else { a.clone() };
            let param = |x: &Vec<Q>| {
                if b.is_zero() {
                    x[1].clone()
                } else {
                    x[0].clone()
                }
            };
            let (u, w) = (param(p), param(q));
            let (lo, hi) = if u < w { (u, w) } else { (w, u) };
            lines
                .entry([&a / &s, &b / &s, &c / &s])
                .or_default()
                .push((r, lo, hi));
        }
    }
    for segments in lines.values() {
        for (i, (r, lo, hi)) in segments.iter().enumerate() {
            for (s, lo2, hi2) in &segments[i + 1..] {
                let overlap = hi.min(hi2) - lo.max(lo2);
                if r != s && overlap.is_positive() {
                    out.insert(pair(*r, *s));
                }
            }
        }
    }
    out
}

/// The number of sides of a convex polygon whose vertex list may repeat
/// points or hold points in the middle of a side (as clipping leaves them).
pub fn polygon_sides(vertices: &[Vec<Q>]) -> usize {
    let mut v: Vec<Vec<Q>> = vertices.to_vec();
    loop {
        let n = v.len();
        let redundant = (0..n).find(|&i| {
            let (p, q, r) = (&v[(i + n - 1) % n], &v[i], &v[(i + 1) % n]);
            let cross = (&q[0] - &p[0]) * (&r[1] - &p[1]) - (&q[1] - &p[1]) * (&r[0] - &p[0]);
            q == r || cross.is_zero()
        });
        match redundant {
            Some(i) if n > 3 => {
                v.remove(i);
            }
            _ => return n,
        }
    }
}

/// The graph's edges as pairs of patterns, smaller first.
pub fn edge_patterns(graph: &RegionGraph) -> BTreeSet<(String, String)> {
    let nodes: Vec<String> = graph.nodes().map(|n| n.pattern.to_string()).collect();
    graph
        .edges()
        .map(|(s, t, _)| {
            let (p, q) = (nodes[s].clone(), nodes[t].clone());
            if p < q {
                (p, q)
            } else {
                (q, p)
            }
        })
        .collect()
}

/// The number of linear regions among the oracle's `regions` of `layers`
/// with the output layer `out`: the connected components of the adjacent
/// pairs whose exact output maps (the oracle's, in rationals) are equal.
pub fn oracle_linear_count(
    layers: &[OracleLayer],
    out: &OracleLayer,
    regions: &[OracleRegion],
) -> usize {
    let index: BTreeMap<&str, usize> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.pattern.as_str(), i))
        .collect();
    let maps: Vec<_> = regions
        .iter()
        .map(|r| output_map(layers, out, &r.pattern))
        .collect();
    let mut parent: Vec<usize> = (0..regions.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (p, q) in oracle_adjacency(regions) {
        let (i, j) = (index[p.as_str()], index[q.as_str()]);
        if maps[i] == maps[j] {
            let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
            parent[ri] = rj;
        }
    }
    (0..regions.len())
        .filter(|&i| root(&mut parent, i) == i)
        .count()
}
