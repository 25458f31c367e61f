//! Running the enumerator in tests, and the invariants every enumeration must
//! satisfy (checked on every test that enumerates): patterns unique; each
//! witness strictly inside its region, with the region's pattern under a
//! plain forward pass; every radius positive; the affine map equal to the
//! network at the witness; fixed coordinates kept.

use super::graph::graph_sanity_check;
use super::oracle::OracleLayer;
use regionwalk::{
    Activation, Affine, Domain, EngineChoice, LayerSpec, Network, RegionGraph, RegionReport,
    WalkStats, Walker, WorkSpace,
};
use std::collections::BTreeSet;

/// The engine every enumerating test walks with: the default one (polygons
/// in two free coordinates, the dense LP engine elsewhere; walks with facets,
/// as the region graph's here, take the LP walk). The engines are
/// cross-checked on the oracle cases in `tests/walk_engines.rs`.
pub const ENGINE: EngineChoice = EngineChoice::Auto;

/// The hidden layers of `layers` followed by an output layer summing the
/// last hidden layer with weights `1, -2, 3, -4, ...` (any fixed output will
/// do: regions depend on the hidden layers only).
pub fn network(layers: &[OracleLayer]) -> Network {
    let width = layers.last().map(|l| l.weight.len()).unwrap_or(1);
    let out: Vec<f64> = (0..width)
        .map(|i| {
            if i % 2 == 0 {
                (i + 1) as f64
            } else {
                -((i + 1) as f64)
            }
        })
        .collect();
    with_output(layers, vec![out], vec![0.5])
}

/// The hidden ReLU layers of `hidden` followed by the output layer `(out, bias)`.
pub fn with_output(hidden: &[OracleLayer], out: Vec<Vec<f64>>, bias: Vec<f64>) -> Network {
    let mut specs: Vec<LayerSpec> = hidden
        .iter()
        .map(|l| LayerSpec {
            affine: Affine::from_rows(l.weight[0].len(), &l.weight, l.bias.clone()),
            activation: Activation::Relu,
        })
        .collect();
    specs.push(LayerSpec {
        affine: Affine::from_rows(out[0].len(), &out, bias),
        activation: Activation::Identity,
    });
    Network::from_layers(specs, "<test>".into()).expect("valid test network")
}

/// A box domain.
pub fn boxed(lo: &[f64], hi: &[f64]) -> Domain {
    Domain::new_box(
        lo.iter().copied().zip(hi.iter().copied()).collect(),
        lo.len(),
    )
    .unwrap()
}

/// Enumerates every region of `net` on `domain`, checks the invariants, and
/// returns the reports in id order with the walk's statistics. The region
/// graph is built and checked too (edges symmetric, graph connected, each
/// edge crossing from its source to its target: `graph::graph_sanity_check`).
pub fn enumerate(net: &Network, domain: &Domain) -> (Vec<RegionReport>, WalkStats) {
    let (reports, _, stats) = walk_graph(net, domain);
    (reports, stats)
}

/// As [`enumerate`], also returning the region graph.
pub fn walk_graph(net: &Network, domain: &Domain) -> (Vec<RegionReport>, RegionGraph, WalkStats) {
    let space = WorkSpace::new(net, domain, ENGINE.engine()).expect("domain has interior");
    let rows = domain.rows();
    let mut regions = Vec::new();
    let stats = Walker::new(&space, ENGINE.engine(), RegionGraph::walk_options())
        .run(|region| {
            regions.push(region);
            Ok(())
        })
        .expect("walk succeeds");
    let reports: Vec<RegionReport> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| RegionReport::new(i as u64, net, &space, &rows, r))
        .collect();
    sanity_check(net, domain, &reports);
    let graph = RegionGraph::build(net, domain, &space, &regions)
        .unwrap_or_else(|e| panic!("region graph: {e}"));
    graph_sanity_check(net, domain, &reports, &graph);
    (reports, graph, stats)
}

/// The set of patterns of `net` on `domain` (invariants checked).
pub fn patterns(net: &Network, domain: &Domain) -> BTreeSet<String> {
    enumerate(net, domain)
        .0
        .into_iter()
        .map(|r| r.pattern)
        .collect()
}

/// Asserts the invariants listed in the module doc.
pub fn sanity_check(net: &Network, domain: &Domain, reports: &[RegionReport]) {
    let mut seen = BTreeSet::new();
    for (i, r) in reports.iter().enumerate() {
        assert_eq!(r.id, i as u64, "ids count up from 0");
        assert!(
            seen.insert(r.pattern.clone()),
            "pattern {} appears twice",
            r.pattern
        );
        assert!(r.radius > 0.0, "region {}: radius {}", r.id, r.radius);
        assert!(
            r.radius_is_chebyshev,
            "region {}: Chebyshev LP failed",
            r.id
        );
        let x = &r.witness;
        for c in &r.constraints {
            let lhs: f64 = c.a.iter().zip(x).map(|(a, v)| a * v).sum();
            assert!(
                lhs < c.b,
                "region {}: witness violates {:?}: {lhs} >= {}",
                r.id,
                c.source,
                c.b
            );
        }
        assert_eq!(
            net.pattern_at(x).to_string(),
            r.pattern,
            "region {}: forward pattern at witness",
            r.id
        );
        let (_, out) = net.forward(x);
        for (k, row) in r.affine_map.a.iter().enumerate() {
            let mapped: f64 =
                row.iter().zip(x).map(|(a, v)| a * v).sum::<f64>() + r.affine_map.c[k];
            let scale = 1.0 + out[k].abs();
            assert!(
                (mapped - out[k]).abs() <= 1e-9 * scale,
                "region {}: affine map {mapped} vs forward {}",
                r.id,
                out[k]
            );
        }
        for (j, v) in domain.fixed() {
            assert_eq!(x[j], v, "region {}: fixed coordinate {j} moved", r.id);
        }
    }
}

/// Asserts that region `r`'s affine map at its witness is `y` (a forward
/// pass computed by the caller) within `tolerance` relative to `1 + |y|`.
pub fn assert_map_at_witness(r: &RegionReport, y: &[f64], tolerance: f64, what: &str) {
    for (k, row) in r.affine_map.a.iter().enumerate() {
        let mapped: f64 =
            row.iter().zip(&r.witness).map(|(a, v)| a * v).sum::<f64>() + r.affine_map.c[k];
        assert!(
            (mapped - y[k]).abs() <= tolerance * (1.0 + y[k].abs()),
            "{what}, region {}: map {mapped} vs forward {}",
            r.id,
            y[k]
        );
    }
}
