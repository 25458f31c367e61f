//! Residual connections (docs/models.md, "Residual connections"): a graph
//! that branches and joins again is read as a chain whose hidden layers
//! carry the other branch by linear neurons (slope 1). Checked against the
//! exact oracle on a network composed by hand in this file from the weights
//! that the `onnx` package reads (`fixtures/onnx_initializers_to_json.py`,
//! independent of the Rust loader), and against a forward pass of the
//! residual network written here.

mod common;

use common::certify::certified_count;
use common::oracle::{leaky_output_map, leaky_slice_regions, OracleLayer};
use common::walk::{assert_map_at_witness, boxed, enumerate};
use regionwalk::{exact_affine_map, load_model, Domain, Network, Pattern};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// How far a region's affine map at its witness may be from the forward
/// pass written here: both sum the same few dozen f64 products of weights
/// below 1 in a different order (the map composes the layers first), so they
/// differ by a few ulps of values near 1; 1e-9 leaves a wide margin and
/// still catches any wrong weight, slope or block.
const FORWARD_TOLERANCE: f64 = 1e-9;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `(weight rows, bias)` of initializer `name` and its bias.
fn read_layer(weights: &Value, name: &str) -> OracleLayer {
    let init = &weights["initializers"];
    OracleLayer {
        weight: serde_json::from_value(init[format!("{name}.weight")].clone()).unwrap(),
        bias: serde_json::from_value(init[format!("{name}.bias")].clone()).unwrap(),
    }
}

fn identity_rows(n: usize, cols: usize, at: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| {
            (0..cols)
                .map(|j| if j == at + i { 1.0 } else { 0.0 })
                .collect()
        })
        .collect()
}

/// `resmlp3d`: h1 = relu(l1 x); h2 = relu(l2 h1); h3 = relu(l3 (h1 + h2));
/// y = l4 h3, composed by hand as a chain: layer 1 carries h1 beside h2 by
/// linear neurons, and layer 2 reads `[l3 l3]` on `(h2, h1)`. Returns the
/// hidden layers, their slopes, the output layer, and the raw weights.
fn resmlp3d_by_hand() -> (
    Vec<OracleLayer>,
    Vec<Vec<f64>>,
    OracleLayer,
    [OracleLayer; 4],
) {
    let text =
        std::fs::read_to_string(root().join("fixtures/torch/resmlp3d.weights.json")).unwrap();
    let weights: Value = serde_json::from_str(&text).unwrap();
    let [l1, l2, l3, l4] = ["l1", "l2", "l3", "l4"].map(|n| read_layer(&weights, n));
    let n = l1.bias.len();
    let layer1 = OracleLayer {
        weight: l2
            .weight
            .iter()
            .cloned()
            .chain(identity_rows(n, n, 0))
            .collect(),
        bias: l2.bias.iter().copied().chain(vec![0.0; n]).collect(),
    };
    let layer2 = OracleLayer {
        weight: l3
            .weight
            .iter()
            .map(|r| [r.clone(), r.clone()].concat())
            .collect(),
        bias: l3.bias.clone(),
    };
    let slopes = vec![
        vec![0.0; n],
        [vec![0.0; n], vec![1.0; n]].concat(),
        vec![0.0; n],
    ];
    (
        vec![l1.clone(), layer1, layer2],
        slopes,
        l4.clone(),
        [l1, l2, l3, l4],
    )
}

fn apply(l: &OracleLayer, x: &[f64]) -> Vec<f64> {
    l.weight
        .iter()
        .zip(&l.bias)
        .map(|(r, b)| r.iter().zip(x).map(|(w, v)| w * v).sum::<f64>() + b)
        .collect()
}

fn relu(v: Vec<f64>) -> Vec<f64> {
    v.into_iter().map(|z| z.max(0.0)).collect()
}

/// The residual network's forward pass, as the graph computes it.
fn resmlp3d_forward(l: &[OracleLayer; 4], x: &[f64]) -> Vec<f64> {
    let h1 = relu(apply(&l[0], x));
    let h2 = relu(apply(&l[1], &h1));
    let sum: Vec<f64> = h1.iter().zip(&h2).map(|(a, b)| a + b).collect();
    apply(&l[3], &relu(apply(&l[2], &sum)))
}

/// Both PyTorch exports of `resmlp3d` load (the Add was an error before),
/// on the slice `x₂ = 1/4`: their regions are the oracle's on the network
/// composed by hand, their exact maps are its maps, and at every witness
/// the region's map is the residual forward pass.
#[test]
fn torch_residual_exports_match_the_oracle_and_the_forward_pass() {
    let (layers, slopes, out, raw) = resmlp3d_by_hand();
    let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    let regions = leaky_slice_regions(&layers, &slopes, &[(2, 0.25)], &lo, &hi);
    let expected: BTreeSet<String> = regions.iter().map(|r| r.pattern.clone()).collect();
    assert!(expected.len() > 10, "too few regions to test");
    let domain = Domain::new_box(vec![(-1.0, 1.0), (-1.0, 1.0), (0.25, 0.25)], 3).unwrap();
    for file in ["resmlp3d.ts.onnx", "resmlp3d.dynamo.onnx"] {
        let net: Network = load_model(&root().join("fixtures/torch").join(file), None)
            .unwrap()
            .network;
        assert_eq!(net.slopes(), slopes.as_slice(), "{file}");
        let (reports, _) = enumerate(&net, &domain);
        let found: BTreeSet<String> = reports.iter().map(|r| r.pattern.clone()).collect();
        assert_eq!(found, expected, "{file}");
        for r in &reports {
            let y = resmlp3d_forward(&raw, &r.witness);
            assert_map_at_witness(r, &y, FORWARD_TOLERANCE, file);
            let (a, c) = exact_affine_map(&net, &Pattern::parse(&r.pattern).unwrap());
            assert_eq!(
                (a, c),
                leaky_output_map(&layers, &slopes, &out, &r.pattern),
                "{file}, region {}",
                r.id
            );
        }
    }
}

/// A certificate of the residual network verifies, with the oracle's count.
#[test]
fn residual_certificates_verify() {
    let (layers, slopes, _, _) = resmlp3d_by_hand();
    let expected =
        leaky_slice_regions(&layers, &slopes, &[(2, 0.25)], &[-1.0, -1.0], &[1.0, 1.0]).len();
    let net = load_model(&root().join("fixtures/torch/resmlp3d.ts.onnx"), None)
        .unwrap()
        .network;
    let domain = Domain::new_box(vec![(-1.0, 1.0), (-1.0, 1.0), (0.25, 0.25)], 3).unwrap();
    assert_eq!(certified_count(&net, &domain), expected as u64);
}

/// The skip connection `y = relu(W x + b) + x` carries the input through
/// the hidden layer: its regions are those of the 3 ReLU neurons alone
/// (the network without the skip, chosen as the output `r`), and the linear
/// neurons are always 1.
#[test]
fn a_skip_over_the_input_adds_no_region() {
    let path = root().join("fixtures/onnx/skip_connection.onnx");
    let net = load_model(&path, None).unwrap().network;
    assert_eq!(
        net.slopes(),
        &[[vec![0.0; 3], vec![1.0; 3]].concat()],
        "3 ReLUs, then the input carried"
    );
    let without = regionwalk::load_model_with(
        &path,
        &regionwalk::LoadOptions {
            format: None,
            output: Some("r".into()),
        },
    )
    .unwrap()
    .network;
    let domain = boxed(&[-1.0, -1.0, -1.0], &[1.0, 1.0, 1.0]);
    let with: BTreeSet<String> = enumerate(&net, &domain)
        .0
        .into_iter()
        .map(|r| r.pattern)
        .collect();
    let plain: BTreeSet<String> = enumerate(&without, &domain)
        .0
        .into_iter()
        .map(|r| format!("{}111", r.pattern))
        .collect();
    assert_eq!(with, plain);
}
