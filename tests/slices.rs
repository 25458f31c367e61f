//! `--plane` and `--segment`: a model sliced by a plane (segment) through
//! given points has the regions of the lower-dimensional model made by
//! composing its first layer with the slice's affine map. The expected
//! regions come from the exact polygon (interval) oracle run on that
//! composed model (`tests/common/oracle.rs`), which shares no code with the
//! crate.

mod common;

use common::cli::{fails, json_of, run, stderr};
use common::nets::random_net;
use common::oracle::{exact, oracle_regions, OracleLayer};
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// `layers` as a JSON model with one output (sum of the last hidden layer).
fn model_json(layers: &[OracleLayer]) -> Value {
    let mut all: Vec<Value> = layers
        .iter()
        .map(|l| json!({"weight": l.weight, "bias": l.bias}))
        .collect();
    let last = layers.last().unwrap().weight.len();
    all.push(json!({"weight": [vec![1.0; last]], "bias": [0.0]}));
    json!({ "layers": all })
}

/// The first layer composed with `x = P0 + Σ_j s_j (P_j − P0)`, computed
/// in rationals and checked to be exact in `f64`, so the composed model is
/// the sliced one exactly.
fn compose(layers: &[OracleLayer], points: &[Vec<f64>]) -> Vec<OracleLayer> {
    let first = &layers[0];
    let q = |v: f64| exact(v);
    let to_f64 = |v: BigRational| {
        let f = v.to_f64().unwrap();
        assert_eq!(q(f), v, "the composed weight is exact in f64");
        f
    };
    let weight = first
        .weight
        .iter()
        .map(|row| {
            (1..points.len())
                .map(|j| {
                    to_f64(
                        row.iter()
                            .enumerate()
                            .fold(BigRational::zero(), |acc, (i, &w)| {
                                acc + q(w) * (q(points[j][i]) - q(points[0][i]))
                            }),
                    )
                })
                .collect()
        })
        .collect();
    let bias = first
        .weight
        .iter()
        .zip(&first.bias)
        .map(|(row, &b)| {
            to_f64(
                row.iter()
                    .zip(&points[0])
                    .fold(q(b), |acc, (&w, &p)| acc + q(w) * q(p)),
            )
        })
        .collect();
    let mut out = vec![OracleLayer { weight, bias }];
    out.extend(layers[1..].iter().cloned());
    out
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn csv(points: &[Vec<f64>]) -> String {
    points
        .iter()
        .map(|p| {
            p.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The patterns of an `enumerate` run's region file.
fn patterns(args: &[&str], out: &Path) -> (BTreeSet<String>, Vec<Value>) {
    let mut full = args.to_vec();
    full.extend(["-o", out.to_str().unwrap()]);
    let o = run(&full);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let regions = v["regions"].as_array().unwrap().clone();
    (
        regions
            .iter()
            .map(|r| r["pattern"].as_str().unwrap().to_string())
            .collect(),
        regions,
    )
}

/// Tidy points (multiples of 1/8) so the composed weights stay exact.
fn plane_points() -> Vec<Vec<f64>> {
    vec![
        vec![-0.5, 0.25, 0.125],
        vec![0.75, -0.25, 0.5],
        vec![0.0, 1.0, -0.625],
    ]
}

#[test]
fn plane_count_equals_the_composed_models_oracle_count() {
    let dir = tempfile::tempdir().unwrap();
    for seed in [3, 11] {
        let net = random_net(seed, 3, &[6, 5]);
        let model = write(&dir.path().join("m3.json"), &model_json(&net).to_string());
        let pts = plane_points();
        let plane = write(&dir.path().join("plane.csv"), &csv(&pts));
        // Expected: the oracle on the composed 2-D model over [0, 1]².
        let expected: BTreeSet<String> =
            oracle_regions(&compose(&net, &pts), &[0.0, 0.0], &[1.0, 1.0])
                .into_iter()
                .map(|r| r.pattern)
                .collect();
        assert!(
            expected.len() > 5,
            "seed {seed}: the plane cuts several regions"
        );
        let count = json_of(&run(&["count", &model, "--plane", &plane, "--json"]));
        assert_eq!(
            count["regions"].as_u64().unwrap() as usize,
            expected.len(),
            "seed {seed}"
        );
        let (found, regions) = patterns(
            &["enumerate", &model, "--plane", &plane],
            &dir.path().join("r.json"),
        );
        assert_eq!(found, expected, "seed {seed}: the same patterns");
        // Each region in slice coordinates, with its input witness on the
        // plane: x = P0 + u (P1 − P0) + v (P2 − P0).
        for r in &regions {
            let w: Vec<f64> = serde_json::from_value(r["witness"].clone()).unwrap();
            assert_eq!(w.len(), 2);
            assert!(w.iter().all(|&s| (0.0..=1.0).contains(&s)));
            let x: Vec<f64> = serde_json::from_value(r["input"]["witness"].clone()).unwrap();
            for i in 0..3 {
                let on =
                    pts[0][i] + w[0] * (pts[1][i] - pts[0][i]) + w[1] * (pts[2][i] - pts[0][i]);
                assert!((x[i] - on).abs() < 1e-12, "{x:?} on the plane");
            }
            assert_eq!(r["affine_map"]["A"][0].as_array().unwrap().len(), 2);
            assert_eq!(
                r["input"]["affine_map"]["A"][0].as_array().unwrap().len(),
                3
            );
        }
        // A window other than [0, 1]²: the oracle over the same window.
        let expected: BTreeSet<String> =
            oracle_regions(&compose(&net, &pts), &[-1.0, 0.5], &[2.0, 1.5])
                .into_iter()
                .map(|r| r.pattern)
                .collect();
        let count = json_of(&run(&[
            "count",
            &model,
            "--plane",
            &plane,
            "--plane-box=-1:2,0.5:1.5",
            "--json",
        ]));
        assert_eq!(
            count["regions"].as_u64().unwrap() as usize,
            expected.len(),
            "seed {seed}"
        );
    }
}

#[test]
fn plane_certificate_verifies_and_rows_of_a_data_file_pick_points() {
    let dir = tempfile::tempdir().unwrap();
    let net = random_net(5, 3, &[5, 4]);
    let model = write(&dir.path().join("m3.json"), &model_json(&net).to_string());
    let pts = plane_points();
    // The three points as rows 4, 1, 2 of a five-row data file.
    let data = vec![
        vec![9.0; 3],
        pts[1].clone(),
        pts[2].clone(),
        vec![7.0; 3],
        pts[0].clone(),
    ];
    let data = write(&dir.path().join("data.csv"), &csv(&data));
    let plane = format!("{data}:4,1,2");
    let expected = oracle_regions(&compose(&net, &pts), &[0.0, 0.0], &[1.0, 1.0]).len();
    let cert = dir.path().join("c.jsonl");
    let c = json_of(&run(&[
        "certify",
        &model,
        "--plane",
        &plane,
        "-o",
        cert.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(c["regions"].as_u64().unwrap() as usize, expected);
    let v = run(&["verify", &model, "--plane", &plane, cert.to_str().unwrap()]);
    assert!(v.status.success(), "{}", stderr(&v));
    // The checker sees the slice from the domain: another plane is refused.
    let other = format!("{data}:4,2,1");
    let v = run(&["verify", &model, "--plane", &other, cert.to_str().unwrap()]);
    assert_ne!(v.status.code(), Some(0), "another plane must not verify");
}

#[test]
fn segment_count_equals_the_composed_models_interval_oracle() {
    let dir = tempfile::tempdir().unwrap();
    let net = random_net(7, 3, &[8, 6]);
    let model = write(&dir.path().join("m3.json"), &model_json(&net).to_string());
    let pts = vec![plane_points()[0].clone(), plane_points()[1].clone()];
    let seg = write(&dir.path().join("seg.csv"), &csv(&pts));
    let expected = oracle_regions(&compose(&net, &pts), &[-0.5], &[1.5]).len();
    assert!(expected > 2);
    let count = json_of(&run(&[
        "count",
        &model,
        "--segment",
        &seg,
        "--segment-range=-0.5:1.5",
        "--json",
    ]));
    assert_eq!(count["regions"].as_u64().unwrap() as usize, expected);
}

#[test]
fn dependent_points_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let net = random_net(3, 3, &[4]);
    let model = write(&dir.path().join("m3.json"), &model_json(&net).to_string());
    // P2 = P0 + 2 (P1 − P0): on one line.
    let line = write(&dir.path().join("line.csv"), "0,0,0\n0.5,0.25,1\n1,0.5,2\n");
    fails(
        &["count", &model, "--plane", &line],
        2,
        "not affinely independent",
    );
    let two = write(&dir.path().join("two.csv"), "0,0,0\n1,1,1\n");
    fails(&["count", &model, "--plane", &two], 2, "3 points needed");
    fails(
        &["count", &model, "--plane", &format!("{two}:0,1,5")],
        2,
        "row 5",
    );
}
