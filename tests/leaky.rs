//! Leaky neurons (`LeakyRelu`, `PRelu`; docs/design.md §1): the walk, the
//! exact maps, the certificates and the ONNX loader against the exact oracle
//! (`tests/common/oracle.rs`, extended for slopes independently of the crate),
//! and linear neurons (slope 1) costing no test.

mod common;

use common::certify::{certified_count, certify, check};
use common::nets::random_net;
use common::oracle::{
    exact, leaky_output_map, leaky_pattern_at, leaky_regions, OracleLayer, OracleRegion,
};
use common::walk::{boxed, sanity_check};
use num_rational::BigRational;
use regionwalk::{
    exact_affine_map, load_model, Activation, Affine, Domain, EngineChoice, LayerSpec, Network,
    Pattern, RegionReport, RowSource, WalkOptions, WalkStats, Walker, WorkSpace,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Slopes cycled over the neurons: ReLU, leaky, linear, negative, steeper
/// than 1, small. Each is exact in f64.
const SLOPES: [f64; 6] = [0.0, 0.125, 1.0, -0.5, 2.0, 0.01];

/// Slopes for `layers`, neuron `i` of layer `k` taking `SLOPES[(i + 2k + shift) % 6]`.
fn slopes_for(layers: &[OracleLayer], shift: usize) -> Vec<Vec<f64>> {
    layers
        .iter()
        .enumerate()
        .map(|(k, l)| {
            (0..l.bias.len())
                .map(|i| SLOPES[(i + 2 * k + shift) % SLOPES.len()])
                .collect()
        })
        .collect()
}

/// The output layer of every test network: fixed weights `1, −2, 3, …`.
fn output_layer(width: usize) -> OracleLayer {
    OracleLayer {
        weight: vec![(0..width)
            .map(|i| {
                if i % 2 == 0 {
                    (i + 1) as f64
                } else {
                    -((i + 1) as f64)
                }
            })
            .collect()],
        bias: vec![0.5],
    }
}

/// The network with hidden `layers` of negative-side `slopes`, and
/// [`output_layer`].
fn leaky_network(layers: &[OracleLayer], slopes: &[Vec<f64>]) -> Network {
    let mut specs: Vec<LayerSpec> = layers
        .iter()
        .zip(slopes)
        .map(|(l, a)| LayerSpec {
            affine: Affine::from_rows(l.weight[0].len(), &l.weight, l.bias.clone()),
            activation: Activation::Leaky(a.clone()),
        })
        .collect();
    let out = output_layer(layers.last().unwrap().bias.len());
    specs.push(LayerSpec {
        affine: Affine::from_rows(out.weight[0].len(), &out.weight, out.bias),
        activation: Activation::Identity,
    });
    Network::from_layers(specs, "<test>".into()).unwrap()
}

/// Every region with `engine` (and `--float` decisions when `float`), as
/// reports with their invariants checked, and the walk's statistics.
fn walk(
    net: &Network,
    domain: &Domain,
    engine: EngineChoice,
    float: bool,
) -> (Vec<RegionReport>, WalkStats) {
    let space = WorkSpace::new(net, domain, engine.engine()).unwrap();
    let rows = domain.rows();
    let options = WalkOptions {
        chebyshev: true,
        float_decisions: float,
        ..WalkOptions::default()
    };
    let mut reports = Vec::new();
    let stats = Walker::new(&space, engine.engine(), options)
        .run(|r| {
            let id = reports.len() as u64;
            reports.push(RegionReport::new(id, net, &space, &rows, &r));
            Ok(())
        })
        .unwrap();
    sanity_check(net, domain, &reports);
    (reports, stats)
}

fn oracle_patterns(regions: &[OracleRegion]) -> BTreeSet<String> {
    regions.iter().map(|r| r.pattern.clone()).collect()
}

/// Random 1- and 2-input networks with every kind of slope: each engine's
/// regions are the oracle's, and each region's witness has the region's
/// pattern under the oracle's exact forward pass.
#[test]
fn leaky_walks_match_the_exact_oracle() {
    let cases: [(u64, usize, &[usize]); 5] = [
        (1, 2, &[6, 5]),
        (2, 2, &[5, 4, 3]),
        (3, 1, &[6, 6]),
        (4, 2, &[8]),
        (5, 2, &[4, 6]),
    ];
    for (seed, d, widths) in cases {
        let layers = random_net(seed, d, widths);
        let slopes = slopes_for(&layers, seed as usize);
        let net = leaky_network(&layers, &slopes);
        let (lo, hi) = (vec![-1.0; d], vec![1.0; d]);
        let expected = oracle_patterns(&leaky_regions(&layers, &slopes, &lo, &hi));
        assert!(expected.len() > 4, "seed {seed}: too few regions to test");
        for (engine, float) in [
            (EngineChoice::Auto, false),
            (EngineChoice::Dense, false),
            (EngineChoice::Dense, true),
        ] {
            let (reports, _) = walk(&net, &boxed(&lo, &hi), engine, float);
            let found: BTreeSet<String> = reports.iter().map(|r| r.pattern.clone()).collect();
            assert_eq!(found, expected, "seed {seed}, {engine:?}, float {float}");
            for r in &reports {
                let x: Vec<BigRational> = r.witness.iter().map(|&v| exact(v)).collect();
                assert_eq!(leaky_pattern_at(&layers, &slopes, &x), r.pattern);
            }
        }
    }
}

/// The exact map of each region equals the oracle's map, composed in
/// rationals from the layers and the slopes.
#[test]
fn leaky_maps_are_the_oracles_exactly() {
    let layers = random_net(7, 2, &[5, 5]);
    let slopes = slopes_for(&layers, 1);
    let net = leaky_network(&layers, &slopes);
    let out = output_layer(5);
    let regions = leaky_regions(&layers, &slopes, &[-1.0, -1.0], &[1.0, 1.0]);
    for r in &regions {
        let (a, c) = exact_affine_map(&net, &Pattern::parse(&r.pattern).unwrap());
        let (oa, oc) = leaky_output_map(&layers, &slopes, &out, &r.pattern);
        assert_eq!((a, c), (oa, oc), "region {}", r.pattern);
    }
}

/// A linear neuron (slope 1) is no hyperplane: a network with linear
/// neurons added to both of its layers (the second layer does not read the
/// first layer's linear neurons) walks with exactly the side tests and LPs
/// of the network without them, and its patterns are the other's with a 1
/// for each linear neuron.
#[test]
fn linear_neurons_cost_no_test() {
    let base = random_net(11, 2, &[6, 5]);
    let extra = random_net(12, 2, &[3, 2]);
    // Layer 0: base neurons then 3 linear ones; layer 1 reads only the base.
    let mut with = base.clone();
    with[0].weight.extend(extra[0].weight.iter().cloned());
    with[0].bias.extend(&extra[0].bias);
    for row in &mut with[1].weight {
        row.extend([0.0; 3]);
    }
    let lin1: Vec<Vec<f64>> = (0..2).map(|i| vec![0.25 * (i + 1) as f64; 9]).collect();
    with[1].weight.extend(lin1);
    with[1].bias.extend([0.125, -0.25]);
    let slopes_base = vec![vec![0.0; 6], vec![0.0; 5]];
    let slopes_with = vec![
        [vec![0.0; 6], vec![1.0; 3]].concat(),
        [vec![0.0; 5], vec![1.0; 2]].concat(),
    ];
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let (a, stats_a) = walk(
        &leaky_network(&base, &slopes_base),
        &domain,
        EngineChoice::Dense,
        false,
    );
    let (b, stats_b) = walk(
        &leaky_network(&with, &slopes_with),
        &domain,
        EngineChoice::Dense,
        false,
    );
    let widened: Vec<String> = a
        .iter()
        .map(|r| {
            let (l0, l1) = r.pattern.split_once('|').unwrap();
            format!("{l0}111|{l1}11")
        })
        .collect();
    let with_patterns: Vec<String> = b.iter().map(|r| r.pattern.clone()).collect();
    assert_eq!(with_patterns, widened);
    assert_eq!(
        (stats_b.side_tests, stats_b.lp_solves),
        (stats_a.side_tests, stats_a.lp_solves)
    );
    let is_linear = |c: &regionwalk::ConstraintReport| match c.source {
        RowSource::Neuron { layer, index, .. } => index >= [6, 5][layer],
        RowSource::Domain(_) => false,
    };
    assert!(b.iter().all(|r| !r.constraints.iter().any(is_linear)));
}

/// Certificates of leaky networks verify with the oracle's count; a linear
/// neuron's test is `lin`, and changing it, or checking the certificate
/// against the same weights with other slopes, is rejected.
#[test]
fn leaky_certificates_verify_and_forgeries_fail() {
    let layers = random_net(21, 2, &[5, 4]);
    let slopes = slopes_for(&layers, 0);
    let net = leaky_network(&layers, &slopes);
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let expected = leaky_regions(&layers, &slopes, &[-1.0, -1.0], &[1.0, 1.0]).len() as u64;
    assert_eq!(certified_count(&net, &domain), expected);
    let (text, _, _) = certify(&net, &domain);
    assert!(text.contains("\"lin\""), "a linear neuron's test is `lin`");
    let forged = text.replacen("\"lin\"", "\"k\"", 1);
    let verdict = check(&net, &domain, &forged);
    assert!(!verdict.verified);
    let reason = verdict.reason.unwrap().to_string();
    assert!(
        reason.contains("the neuron is linear (slope 1), but the test is not marked so"),
        "{reason}"
    );
    let relu = leaky_network(&layers, &slopes_for(&layers, 3));
    let verdict = check(&relu, &domain, &text);
    assert!(!verdict.verified);
    assert!(verdict
        .reason
        .unwrap()
        .to_string()
        .contains("for a different network"));
}

/// The JSON model format's `leaky_relu` layers, shared and per-neuron
/// slopes, and its errors.
#[test]
fn json_leaky_layers_and_their_errors() {
    let parse = |text: &str| regionwalk::parse_json_model(text, "m.json".as_ref());
    let net = parse(
        r#"{"layers": [
            {"weight": [[1.0], [-1.0]], "bias": [0, 0.5], "activation": "leaky_relu", "negative_slope": 0.25},
            {"weight": [[1.0, 1.0]], "bias": [0], "activation": "leaky_relu", "negative_slope": [1.0]},
            {"weight": [[2.0]], "bias": [0]}]}"#,
    )
    .unwrap();
    assert_eq!(net.slopes(), &[vec![0.25, 0.25], vec![1.0]]);
    // At x = −2: z = (−2, 2.5) → h = (−0.5, 2.5); z' = 2 → y = 4.
    assert_eq!(net.forward(&[-2.0]).1, vec![4.0]);
    // At x = 2: z = (2, −1.5) → h = (2, −0.375); z' = 1.625 → y = 3.25.
    assert_eq!(net.forward(&[2.0]).1, vec![3.25]);
    assert_eq!(net.pattern_at(&[2.0]).to_string(), "10|1");
    for (text, needle) in [
        (
            r#"{"layers": [{"weight": [[1.0]], "bias": [0], "activation": "leaky_relu"}]}"#,
            "layer 0: a `leaky_relu` layer needs its `negative_slope`",
        ),
        (
            r#"{"layers": [{"weight": [[1.0]], "bias": [0], "activation": "leaky_relu", "negative_slope": [0.1, 0.2]}]}"#,
            "layer 0: negative_slope has 2 entries but weight has 1 rows",
        ),
        (
            r#"{"layers": [{"weight": [[1.0]], "bias": [0], "negative_slope": 0.1}]}"#,
            "layer 0: `negative_slope` is only for a `leaky_relu` layer",
        ),
    ] {
        let e = parse(text).unwrap_err().to_string();
        assert!(e.contains(needle), "{e}");
    }
}

/// The weights and slopes of a JSON model file for the oracle: hidden
/// layers, their slopes (0 for `relu`), and the output layer.
fn json_leaky_layers(path: &Path) -> (Vec<OracleLayer>, Vec<Vec<f64>>, OracleLayer) {
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut layers = Vec::new();
    let mut slopes = Vec::new();
    for l in model["layers"].as_array().unwrap() {
        let layer = OracleLayer {
            weight: serde_json::from_value(l["weight"].clone()).unwrap(),
            bias: serde_json::from_value(l["bias"].clone()).unwrap(),
        };
        let n = layer.bias.len();
        slopes.push(match &l["negative_slope"] {
            Value::Number(a) => vec![a.as_f64().unwrap(); n],
            Value::Array(a) => a.iter().map(|v| v.as_f64().unwrap()).collect(),
            _ => vec![0.0; n],
        });
        layers.push(layer);
    }
    let out = layers.pop().unwrap();
    slopes.pop();
    (layers, slopes, out)
}

/// PyTorch's LeakyReLU(0.1) MLP, as both exporters write it, loads; its
/// regions are the oracle's on the weights the `onnx` package reads
/// (`fixtures/gemm_chain_to_json.py`, independent of the Rust loader), and
/// its maps are the oracle's exactly.
#[test]
fn torch_leaky_relu_exports_load_and_match_the_oracle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (layers, slopes, out) = json_leaky_layers(&root.join("fixtures/torch/leaky2d.json"));
    // The float32 0.1, exactly.
    assert_eq!(slopes[0][0], 0.10000000149011612);
    let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    let regions = leaky_regions(&layers, &slopes, &lo, &hi);
    let expected = oracle_patterns(&regions);
    for file in ["leaky2d.ts.onnx", "leaky2d.dynamo.onnx"] {
        let model = load_model(&root.join("fixtures/torch").join(file), None).unwrap();
        let net = &model.network;
        assert_eq!(net.slopes(), slopes.as_slice(), "{file}");
        let (reports, _) = walk(net, &boxed(&lo, &hi), EngineChoice::Auto, false);
        let found: BTreeSet<String> = reports.iter().map(|r| r.pattern.clone()).collect();
        assert_eq!(found, expected, "{file}");
        for r in regions.iter().take(20) {
            let (a, c) = exact_affine_map(net, &Pattern::parse(&r.pattern).unwrap());
            assert_eq!(
                (a, c),
                leaky_output_map(&layers, &slopes, &out, &r.pattern),
                "{file}"
            );
        }
    }
}

/// The region graph of a leaky network (facets, the neighbour rule across
/// each of them, every edge checked by `graph_sanity_check`) has one node per
/// oracle region.
#[test]
fn leaky_region_graph_is_sane() {
    let layers = random_net(31, 2, &[5, 4]);
    let slopes = slopes_for(&layers, 2);
    let net = leaky_network(&layers, &slopes);
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let (reports, graph, _) = common::walk::walk_graph(&net, &domain);
    let expected = leaky_regions(&layers, &slopes, &[-1.0, -1.0], &[1.0, 1.0]);
    assert_eq!(graph.node_count(), expected.len());
    assert_eq!(reports.len(), expected.len());
}

/// Sampling's exact point patterns on a leaky network are the oracle's, on
/// random points and on points exactly on a leaky neuron's hyperplane.
#[test]
fn point_patterns_of_leaky_networks_are_exact() {
    use rand::{Rng, SeedableRng};
    let layers = random_net(41, 2, &[6, 5]);
    let slopes = slopes_for(&layers, 4);
    let net = leaky_network(&layers, &slopes);
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let mut points: Vec<Vec<f64>> = (0..300)
        .map(|_| vec![rng.gen_range(-1.0..1.0), rng.gen_range(-1.0..1.0)])
        .collect();
    // On neuron [0, 0]'s line, at x₀ = 1/4 (weights are multiples of 1/1024,
    // so this x₁ is exact when w₁ is a power of two times it; else rounding
    // puts it within an ulp, which the exact pass must still decide).
    let (w, b) = (&layers[0].weight[0], layers[0].bias[0]);
    points.push(vec![0.25, -(b + w[0] * 0.25) / w[1]]);
    for x in &points {
        let q: Vec<BigRational> = x.iter().map(|&v| exact(v)).collect();
        assert_eq!(
            regionwalk::point_pattern(&net, x).pattern.to_string(),
            leaky_pattern_at(&layers, &slopes, &q),
            "at {x:?}"
        );
    }
}

/// The bounds beside a count: `2^N` and the first layer's Zaslavsky count
/// take only neurons with a kink; Serra's theorem, whose proof needs an off
/// neuron to drop a dimension, is not given for leaky neurons.
#[test]
fn bounds_count_kinked_neurons_and_skip_serra_for_leaky_networks() {
    let layers = random_net(51, 2, &[6, 6]);
    // Layer 0: slopes 0, 0.125, 1, −0.5, 2, 0.01 (one linear); layer 1:
    // 1, −0.5, 2, 0.01, 0, 0.125 (one linear).
    let net = leaky_network(&layers, &slopes_for(&layers, 0));
    let b = regionwalk::region_bounds(&net);
    assert_eq!(b.codes, num_bigint::BigUint::from(1u32 << 10));
    // Σ_{i≤2} C(5, i) = 1 + 5 + 10.
    assert_eq!(b.first_layer, num_bigint::BigUint::from(16u32));
    assert_eq!(b.serra, None);
    let relu = leaky_network(&layers, &[vec![0.0; 6], vec![0.0; 6]]);
    assert!(regionwalk::region_bounds(&relu).serra.is_some());
}
