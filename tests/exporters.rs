//! ONNX files as the exporters users have write them, loaded without hand
//! edits, each checked against a count that does not go through the ONNX
//! loader.
//!
//! - `fixtures/exporters/skl_*`: real skl2onnx exports (MLPClassifier binary
//!   and multi-class, MLPRegressor; float32 and float64), made by
//!   `fixtures/make_exporter_fixtures.py`.
//! - `fixtures/exporters/tf2onnx_repro_*`: a node-for-node reproduction of
//!   tf2onnx's output for a Keras model (same script; not a real export).
//! - `fixtures/torch/*`: real `torch.onnx.export` files, TorchScript
//!   (`.ts.onnx`) and dynamo (`.dynamo.onnx`), copied from the shared data
//!   folder (see `fixtures/torch/README.md`).
//!
//! Independent expectations: each file has a JSON twin holding the same
//! weights, written by the exporting script from the model's own arrays. In
//! 2-D the expected patterns are those of the exact oracle
//! (`tests/common/oracle.rs`) on the twin's hidden layers read with
//! serde_json alone; in 3-D, those of the twin loaded by the JSON loader.
//! The value the network computes is checked against
//! `onnx.reference.ReferenceEvaluator` (skl2onnx and tf2onnx manifests, and
//! the PyTorch files without a twin). The batch norm folded by the loader is
//! checked against the one PyTorch's dynamo exporter folded itself, and the
//! CNN on a two-pixel slice against the oracle on a slice twin.

mod common;
mod onnx_expect;

use common::cli::json_model_hidden_layers;
use common::oracle::oracle_regions;
use common::walk::{boxed, patterns};
use onnx_expect::{assert_close, check_cases, crate_root, numbers, read_json};
use regionwalk::{load_json_model, load_model, LoadedModel, Network};
use serde_json::Value;
use std::collections::BTreeSet;

/// The patterns of the JSON twin at `json` (relative to the crate root) on
/// the box `lo..hi`: by the exact oracle in 2-D, else by the walk on the
/// twin as the JSON loader reads it.
fn twin_patterns(json: &str, lo: &[f64], hi: &[f64]) -> BTreeSet<String> {
    if lo.len() <= 2 {
        oracle_regions(&json_model_hidden_layers(json), lo, hi)
            .into_iter()
            .map(|r| r.pattern)
            .collect()
    } else {
        let twin = load_json_model(&crate_root().join(json)).unwrap();
        patterns(&twin, &boxed(lo, hi))
    }
}

/// Loads `onnx` (relative to the crate root) as a user would, checks that
/// its regions on `lo..hi` are those of its twin `json` and that both compute
/// the same function; returns the model and the number of regions.
fn same_as_twin(onnx: &str, json: &str, lo: &[f64], hi: &[f64]) -> (LoadedModel, usize) {
    let model = load_model(&crate_root().join(onnx), None).unwrap_or_else(|e| panic!("{e}"));
    let twin: Network = load_json_model(&crate_root().join(json)).unwrap();
    assert_eq!(
        model.network.hidden_widths(),
        twin.hidden_widths(),
        "{onnx}"
    );
    let expected = twin_patterns(json, lo, hi);
    let found = patterns(&model.network, &boxed(lo, hi));
    assert_eq!(
        found, expected,
        "{onnx}: patterns differ from its JSON twin"
    );
    // The same weights: the same outputs, up to the order of summation.
    for k in 0..20 {
        let x: Vec<f64> = (0..lo.len())
            .map(|i| lo[i] + (hi[i] - lo[i]) * (((k * 7 + i * 3) % 20) as f64 + 0.5) / 20.0)
            .collect();
        let (a, b) = (model.network.forward(&x).1, twin.forward(&x).1);
        assert_close(&a, &b, 1e-12, onnx);
    }
    (model, expected.len())
}

fn cut_ops(model: &LoadedModel) -> Vec<&str> {
    model.head_cut.iter().map(|c| c.op_type.as_str()).collect()
}

fn manifest() -> Vec<Value> {
    let v = read_json(&crate_root().join("fixtures/exporters/manifest.json"));
    v.as_array().unwrap().clone()
}

/// skl2onnx (real) and tf2onnx (reproduced) files: regions equal to the
/// twin's, the head cut at the value the script found the head reading, and
/// that value equal to the reference evaluator's.
#[test]
fn skl2onnx_and_tf2onnx_files_count_as_their_twins() {
    let entries = manifest();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    for want in [
        "skl_binary_f32",
        "skl_binary_f64",
        "skl_multiclass_f32",
        "skl_multiclass_f64",
        "skl_regressor_f32",
        "skl_regressor_f64",
        "tf2onnx_repro_keras_softmax",
    ] {
        assert!(names.contains(&want), "{want} missing from the manifest");
    }
    for e in &entries {
        let name = e["name"].as_str().unwrap();
        let dir = "fixtures/exporters";
        let box_: Vec<Vec<f64>> = e["box"].as_array().unwrap().iter().map(numbers).collect();
        let lo: Vec<f64> = box_.iter().map(|b| b[0]).collect();
        let hi: Vec<f64> = box_.iter().map(|b| b[1]).collect();
        let (model, count) = same_as_twin(
            &format!("{dir}/{}", e["onnx"].as_str().unwrap()),
            &format!("{dir}/{}", e["json"].as_str().unwrap()),
            &lo,
            &hi,
        );
        assert!(count > 10, "{name}: {count} regions, too few to test much");
        let kept = model.kept_output.as_ref().unwrap();
        assert_eq!(kept.name, e["kept"].as_str().unwrap(), "{name}");
        let want: Vec<&str> = e["cut"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(cut_ops(&model), want, "{name}");
        let tol = if e["dtype"] == "float64" { 1e-12 } else { 2e-5 };
        let points = e["points"].as_array().unwrap();
        for (x, y) in points.iter().zip(e["kept_values"].as_array().unwrap()) {
            assert_close(
                &model.network.forward(&numbers(x)).1,
                &numbers(y),
                tol,
                name,
            );
        }
    }
}

/// skl2onnx's classifier head, node by node: the logits `add_result2` are
/// kept, the Sigmoid (named `Relu2` by skl2onnx) and the label part are cut.
#[test]
fn skl2onnx_binary_head_is_reported() {
    let model = load_model(
        &crate_root().join("fixtures/exporters/skl_binary_f32.onnx"),
        None,
    )
    .unwrap();
    assert_eq!(model.head_cut[0].to_string(), "node 9 `Relu2` (Sigmoid)");
    let note = model.head_note().unwrap();
    assert!(
        note.starts_with("regions are counted for `add_result2`; other graph outputs, not counted: `output_label`, `output_probability`; cut: node 9 `Relu2` (Sigmoid), node 10 `Sub` (Sub), node 11 `Concat` (Concat)"),
        "{note}"
    );
    // The input Cast is a float-to-float no-op, listed among the folded steps.
    assert!(
        model.folded[0].starts_with("node 0 `Cast` (Cast): casts float32 to float32"),
        "{:?}",
        model.folded
    );
}

/// PyTorch exports, both exporters, against the JSON twins the exporting
/// script wrote from the `state_dict`.
#[test]
fn torch_exports_count_as_their_twins() {
    let cases: [(&str, &[&str], usize); 3] = [
        ("mlp2d_16x16", &[], 2),
        ("mlp2d_12x3_softmax", &["Softmax"], 2),
        ("mlp3d_flatten", &[], 3),
    ];
    for (name, cut, dim) in cases {
        let json = format!("fixtures/torch/{name}.json");
        let mut counts = Vec::new();
        for exporter in ["ts", "dynamo"] {
            let onnx = format!("fixtures/torch/{name}.{exporter}.onnx");
            let (model, count) = same_as_twin(&onnx, &json, &vec![-1.0; dim], &vec![1.0; dim]);
            assert_eq!(cut_ops(&model), cut, "{onnx}");
            counts.push(count);
        }
        assert!(counts[0] > 10, "{name}: {counts:?}");
    }
}

/// The PyTorch files without a JSON twin compute what the reference
/// evaluator computes (values written by `fixtures/make_onnx_op_fixtures.py`).
#[test]
fn torch_cnn_and_batchnorm_match_the_reference_evaluator() {
    let checked = check_cases("torch");
    assert_eq!(
        checked,
        ["bn3d.dynamo", "bn3d.ts", "cnn5x5.dynamo", "cnn5x5.ts"]
    );
}

/// `bn3d`: the TorchScript file keeps its BatchNormalization, which the
/// loader folds; the dynamo exporter folded it into the Gemm itself. Two
/// foldings, one by PyTorch: the same regions.
#[test]
fn batch_norm_folded_by_us_and_by_pytorch_agree() {
    let load = |f: &str| {
        load_model(&crate_root().join("fixtures/torch").join(f), None)
            .unwrap()
            .network
    };
    let (ours, theirs) = (load("bn3d.ts.onnx"), load("bn3d.dynamo.onnx"));
    let domain = boxed(&[-1.0; 3], &[1.0; 3]);
    let expected = patterns(&theirs, &domain);
    assert!(expected.len() > 10, "{} regions", expected.len());
    assert_eq!(patterns(&ours, &domain), expected);
}

/// `cnn5x5` on a slice: pixels (2, 2) and (1, 3) free in [-1, 1], the other
/// 23 fixed at 0. The exact oracle counts the slice twin, whose first layer
/// the fixture script computed from the convolution weights by a plain loop.
#[test]
fn cnn_on_a_two_pixel_slice_matches_the_oracle() {
    let twin = "fixtures/torch/cnn5x5_slice.json";
    let expected: BTreeSet<String> =
        oracle_regions(&json_model_hidden_layers(twin), &[-1.0; 2], &[1.0; 2])
            .into_iter()
            .map(|r| r.pattern)
            .collect();
    assert!(expected.len() > 10, "{} regions", expected.len());
    let meta = read_json(&crate_root().join(twin))["meta"]["free_inputs"].clone();
    let free: Vec<usize> = numbers(&meta).iter().map(|&i| i as usize).collect();
    let mut lo = vec![0.0; 25];
    let mut hi = vec![0.0; 25];
    for &i in &free {
        (lo[i], hi[i]) = (-1.0, 1.0);
    }
    for exporter in ["ts", "dynamo"] {
        let path = crate_root().join(format!("fixtures/torch/cnn5x5.{exporter}.onnx"));
        let model = load_model(&path, None).unwrap();
        assert_eq!(model.network.hidden_widths(), vec![50, 8]);
        assert_eq!(
            patterns(&model.network, &boxed(&lo, &hi)),
            expected,
            "{exporter}"
        );
        assert!(
            model.folded[0].starts_with("node 0 ")
                && model.folded[0].ends_with("(Conv): convolution of [1, 1, 5, 5] to [1, 2, 5, 5] (kernel [3, 3], strides [1, 1], pads [1, 1, 1, 1], dilations [1, 1], group 1) as a 50 × 25 affine map, folded into hidden layer 0"),
            "{:?}",
            model.folded
        );
    }
}

/// Choosing an output before the residual join of `resmlp3d` reads the
/// chain up to it and cuts the rest. (The whole network, join included, is
/// checked in `tests/residual.rs`; LeakyReLU exports in `tests/leaky.rs`.)
#[test]
fn an_output_before_a_residual_join_reads_the_chain_up_to_it() {
    let before_join = regionwalk::load_model_with(
        &crate_root().join("fixtures/torch/resmlp3d.ts.onnx"),
        &regionwalk::LoadOptions {
            format: None,
            output: Some("/Relu_1_output_0".into()),
        },
    )
    .unwrap();
    assert_eq!(before_join.network.hidden_widths(), vec![8, 8]);
    let cut: Vec<usize> = before_join.head_cut.iter().map(|c| c.index).collect();
    assert_eq!(cut, [4, 5, 6, 7]);
}
