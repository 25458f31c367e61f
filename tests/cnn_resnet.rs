//! The small CNN and ResNet-style MLP of `fixtures/make_cnn_resnet.py`
//! (written node for node as PyTorch's TorchScript exporter writes them):
//! their regions against the exact oracle on the networks composed by hand
//! in this file from the weights the script wrote beside them (not from the
//! Rust loader), their exact maps against the oracle's, and each region's
//! map at its witness against a forward pass of the modules written here.

mod common;

use common::oracle::{leaky_output_map, leaky_slice_regions, OracleLayer};
use common::walk::{assert_map_at_witness, enumerate};
use regionwalk::{exact_affine_map, load_model, Domain, Network, Pattern, RegionReport};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// How far a region's map at its witness may be from the forward pass:
/// the same few dozen f64 products summed in another order (the map
/// composes layers first), so a few ulps of values near 1 apart; 1e-9
/// leaves a wide margin and still catches a wrong weight, slope or block.
const FORWARD_TOLERANCE: f64 = 1e-9;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cnn_resnet")
        .join(name)
}

fn weights(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(&format!("{name}.weights.json"))).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["initializers"].clone()
}

fn matrix(w: &Value, name: &str) -> Vec<Vec<f64>> {
    serde_json::from_value(w[name].clone()).unwrap()
}

fn vector(w: &Value, name: &str) -> Vec<f64> {
    serde_json::from_value(w[name].clone()).unwrap()
}

fn mat_vec(m: &[Vec<f64>], b: &[f64], x: &[f64]) -> Vec<f64> {
    m.iter()
        .zip(b)
        .map(|(r, b)| r.iter().zip(x).map(|(w, v)| w * v).sum::<f64>() + b)
        .collect()
}

fn leaky(v: Vec<f64>, alpha: f64) -> Vec<f64> {
    v.into_iter()
        .map(|z| if z > 0.0 { z } else { alpha * z })
        .collect()
}

/// `[a | b]` side by side, `a` of `ca` columns and `b` of `cb`; either may
/// be `None` for zeros.
fn block_row(parts: &[(Option<&[Vec<f64>]>, usize)], rows: usize) -> Vec<Vec<f64>> {
    (0..rows)
        .map(|i| {
            parts
                .iter()
                .flat_map(|(m, cols)| match m {
                    Some(m) => m[i].clone(),
                    None => vec![0.0; *cols],
                })
                .collect()
        })
        .collect()
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

/// Checks the walk of `net` on `domain` against the oracle on the hand
/// composition `(layers, slopes, out)` with `fixed` inputs and free box
/// `lo..hi`, and every region's map at its witness against `forward`.
fn check(
    net: &Network,
    domain: &Domain,
    (layers, slopes, out): (&[OracleLayer], &[Vec<f64>], &OracleLayer),
    fixed: &[(usize, f64)],
    (lo, hi): (&[f64], &[f64]),
    forward: impl Fn(&[f64]) -> Vec<f64>,
) -> usize {
    assert_eq!(net.slopes(), slopes, "the loader's blocks and slopes");
    let regions = leaky_slice_regions(layers, slopes, fixed, lo, hi);
    let expected: BTreeSet<String> = regions.iter().map(|r| r.pattern.clone()).collect();
    let (reports, _): (Vec<RegionReport>, _) = enumerate(net, domain);
    let found: BTreeSet<String> = reports.iter().map(|r| r.pattern.clone()).collect();
    assert_eq!(found, expected);
    for r in &reports {
        let y = forward(&r.witness);
        assert_map_at_witness(r, &y, FORWARD_TOLERANCE, "forward pass");
        let (a, c) = exact_affine_map(net, &Pattern::parse(&r.pattern).unwrap());
        assert_eq!(
            (a, c),
            leaky_output_map(layers, slopes, out, &r.pattern),
            "region {}",
            r.id
        );
    }
    reports.len()
}

/// The ResNet-style MLP: `h1 = leaky(fc1 x)`, `h2 = relu(fc2 h1)`,
/// `h3 = relu(fc3 (h1 + h2))`, `y = out [h3, x]`. As a chain: layer 0 is
/// fc1's 6 leaky neurons and `x` carried; layer 1 is fc2's 6 ReLUs, then
/// `x` and `h1` carried (in the order they were computed); layer 2 is
/// fc3's 4 ReLUs on `h1 + h2`, then `x` carried; the output reads `[h3, x]`.
#[test]
fn the_resnet_mlp_matches_the_oracle_and_its_forward_pass() {
    let w = weights("resmlp2d");
    let (f1, b1) = (matrix(&w, "fc1.weight"), vector(&w, "fc1.bias"));
    let (f2, b2) = (matrix(&w, "fc2.weight"), vector(&w, "fc2.bias"));
    let (f3, b3) = (matrix(&w, "fc3.weight"), vector(&w, "fc3.bias"));
    let (fo, bo) = (matrix(&w, "out.weight"), vector(&w, "out.bias"));
    let (i2, i6) = (identity(2), identity(6));
    let layer0 = OracleLayer {
        weight: [f1.clone(), i2.clone()].concat(),
        bias: [b1.clone(), vec![0.0; 2]].concat(),
    };
    let layer1 = OracleLayer {
        weight: [
            block_row(&[(Some(&f2), 6), (None, 2)], 6),
            block_row(&[(None, 6), (Some(&i2), 2)], 2),
            block_row(&[(Some(&i6), 6), (None, 2)], 6),
        ]
        .concat(),
        bias: [b2.clone(), vec![0.0; 8]].concat(),
    };
    let layer2 = OracleLayer {
        weight: [
            block_row(&[(Some(&f3), 6), (None, 2), (Some(&f3), 6)], 4),
            block_row(&[(None, 6), (Some(&i2), 2), (None, 6)], 2),
        ]
        .concat(),
        bias: [b3.clone(), vec![0.0; 2]].concat(),
    };
    let slopes = vec![
        [vec![0.125; 6], vec![1.0; 2]].concat(),
        [vec![0.0; 6], vec![1.0; 8]].concat(),
        [vec![0.0; 4], vec![1.0; 2]].concat(),
    ];
    let out = OracleLayer {
        weight: fo.clone(),
        bias: bo.clone(),
    };
    let net = load_model(&fixture("resmlp2d.onnx"), None).unwrap().network;
    let forward = |x: &[f64]| {
        let h1 = leaky(mat_vec(&f1, &b1, x), 0.125);
        let h2 = leaky(mat_vec(&f2, &b2, &h1), 0.0);
        let sum: Vec<f64> = h1.iter().zip(&h2).map(|(a, b)| a + b).collect();
        let h3 = leaky(mat_vec(&f3, &b3, &sum), 0.0);
        mat_vec(&fo, &bo, &[h3, x.to_vec()].concat())
    };
    let domain = common::walk::boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let n = check(
        &net,
        &domain,
        (&[layer0, layer1, layer2], &slopes, &out),
        &[],
        (&[-1.0, -1.0], &[1.0, 1.0]),
        forward,
    );
    assert!(n > 20, "{n} regions: too few to test");
}

/// The CNN on the slice where pixels (1, 1) and (2, 2) range over [-1, 1]
/// and the others are 0.25: layer 0 is the convolution (2 maps of 4 × 4,
/// ReLU) as a 32 × 16 matrix built here by a plain loop; layer 1 is the
/// Linear after the 2 × 2 average pool (each column one weight times 1/4,
/// exact), leaky with slope 1/16.
#[test]
fn the_cnn_matches_the_oracle_and_its_forward_pass_on_a_two_pixel_slice() {
    let w = weights("cnn4x4");
    let kernel: Vec<Vec<Vec<Vec<f64>>>> = serde_json::from_value(w["0.weight"].clone()).unwrap();
    let kb = vector(&w, "0.bias");
    let (f4, b4) = (matrix(&w, "4.weight"), vector(&w, "4.bias"));
    let (f6, b6) = (matrix(&w, "6.weight"), vector(&w, "6.bias"));
    let conv_row = |m: usize, oy: usize, ox: usize| -> Vec<f64> {
        let mut row = vec![0.0; 16];
        for (ky, kernel_row) in kernel[m][0].iter().enumerate() {
            for (kx, &k) in kernel_row.iter().enumerate() {
                let (py, px) = ((oy + ky) as i64 - 1, (ox + kx) as i64 - 1);
                if (0..4).contains(&py) && (0..4).contains(&px) {
                    row[(py * 4 + px) as usize] = k;
                }
            }
        }
        row
    };
    let mut conv = Vec::new();
    let mut conv_bias = Vec::new();
    for (m, &bias) in kb.iter().enumerate() {
        for oy in 0..4 {
            for ox in 0..4 {
                conv.push(conv_row(m, oy, ox));
                conv_bias.push(bias);
            }
        }
    }
    // Pool output (m, py, px) is entry m·4 + py·2 + px of the flattened
    // [1, 2, 2, 2]; conv neuron (m, oy, ox) falls in pool (m, oy/2, ox/2).
    let pooled: Vec<Vec<f64>> = f4
        .iter()
        .map(|r| {
            (0..32)
                .map(|c| {
                    let (m, oy, ox) = (c / 16, c % 16 / 4, c % 4);
                    r[m * 4 + oy / 2 * 2 + ox / 2] * 0.25
                })
                .collect()
        })
        .collect();
    let layers = [
        OracleLayer {
            weight: conv.clone(),
            bias: conv_bias.clone(),
        },
        OracleLayer {
            weight: pooled,
            bias: b4.clone(),
        },
    ];
    let slopes = vec![vec![0.0; 32], vec![0.0625; 4]];
    let out = OracleLayer {
        weight: f6.clone(),
        bias: b6.clone(),
    };
    let free = [5, 10];
    let fixed: Vec<(usize, f64)> = (0..16)
        .filter(|i| !free.contains(i))
        .map(|i| (i, 0.25))
        .collect();
    let bounds: Vec<(f64, f64)> = (0..16)
        .map(|i| {
            if free.contains(&i) {
                (-1.0, 1.0)
            } else {
                (0.25, 0.25)
            }
        })
        .collect();
    let domain = Domain::new_box(bounds, 16).unwrap();
    let net = load_model(&fixture("cnn4x4.onnx"), None).unwrap().network;
    let forward = |x: &[f64]| {
        let r = leaky(mat_vec(&conv, &conv_bias, x), 0.0);
        let mut pool = vec![0.0; 8];
        for (c, v) in r.iter().enumerate() {
            let (m, oy, ox) = (c / 16, c % 16 / 4, c % 4);
            pool[m * 4 + oy / 2 * 2 + ox / 2] += v / 4.0;
        }
        let h = leaky(mat_vec(&f4, &b4, &pool), 0.0625);
        mat_vec(&f6, &b6, &h)
    };
    let n = check(
        &net,
        &domain,
        (&layers, &slopes, &out),
        &fixed,
        (&[-1.0, -1.0], &[1.0, 1.0]),
        forward,
    );
    assert!(n > 10, "{n} regions: too few to test");
}
