//! Reading what the fixture scripts wrote beside each ONNX fixture
//! (`NAME.expected.json`): values computed by `onnx.reference.ReferenceEvaluator`,
//! or the node an error must name.

#![allow(dead_code)]

use regionwalk::{load_onnx_model_with, ModelError};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// `|a − b| ≤ tol · max(1, |b|)` entry by entry.
pub fn assert_close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            (a - b).abs() <= tol * b.abs().max(1.0),
            "{what}: entry {i}: got {a}, expected {b} (tolerance {tol})"
        );
    }
}

/// How close the f64 network must come to the evaluator: float32 graphs
/// were evaluated in float32, float64 ones in float64.
pub fn tolerance(expected: &Value) -> f64 {
    if expected["dtype"] == "float64" {
        1e-12
    } else {
        2e-5
    }
}

/// Every `NAME.expected.json` under `fixtures/DIR`, as (NAME, value), by name.
pub fn expected_files(dir: &str) -> Vec<(String, Value)> {
    let dir = crate_root().join("fixtures").join(dir);
    let mut cases: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let stem = name.strip_suffix(".expected.json")?.to_string();
            let expected = read_json(&dir.join(&name));
            Some((stem, expected))
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

/// Asserts that `err` is what `want` (the `error` object of an expected
/// file) describes: a node error at the index, name and op type given, or
/// an error about the whole graph, with the file name and `contains`.
pub fn check_error(err: &ModelError, want: &Value, file: &str) {
    let message = err.to_string();
    let contains = want["contains"].as_str().unwrap();
    let mut parts = vec![contains.to_string(), file.to_string()];
    if want.get("graph").is_some() {
        assert!(matches!(err, ModelError::Format { .. }), "{file}: {err:?}");
    } else {
        assert!(
            matches!(err, ModelError::OnnxNode { .. }),
            "{file}: {err:?}"
        );
        let index = want["index"].as_u64().unwrap();
        let name = want["name"].as_str().unwrap();
        let op = want["op_type"].as_str().unwrap();
        parts.push(format!("node {index} `{name}` ({op}): "));
    }
    for part in parts {
        assert!(
            message.contains(&part),
            "{file}: `{message}` lacks `{part}`"
        );
    }
}

/// Loads `fixtures/DIR/STEM.onnx` with the case's output choice and checks
/// the kept value, the nodes cut (`[index, op_type]` pairs), and the
/// network's outputs at the case's inputs against the expected values.
pub fn check_case(dir: &str, stem: &str, case: &Value, tol: f64) {
    let output = case["output"].as_str();
    let what = format!("{stem} (output {output:?})");
    let path = crate_root()
        .join("fixtures")
        .join(dir)
        .join(format!("{stem}.onnx"));
    let model = load_onnx_model_with(&path, output).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.kept.name, case["kept"].as_str().unwrap(), "{what}");
    assert_eq!(model.kept.chosen.as_deref(), output, "{what}");
    let cut: Vec<(u64, String)> = model
        .head_cut
        .iter()
        .map(|c| (c.index as u64, c.op_type.clone()))
        .collect();
    let want: Vec<(u64, String)> = case["cut"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_u64().unwrap(), p[1].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(cut, want, "{what}");
    let inputs = case["inputs"].as_array().unwrap();
    let outputs = case["outputs"].as_array().unwrap();
    assert!(!inputs.is_empty(), "{what}: no points");
    for (x, y) in inputs.iter().zip(outputs) {
        let got = model.network.forward(&numbers(x)).1;
        assert_close(&got, &numbers(y), tol, &what);
    }
}

/// Checks every expected file with `cases` under `fixtures/DIR`; returns
/// the names checked.
pub fn check_cases(dir: &str) -> Vec<String> {
    let mut checked = Vec::new();
    for (stem, expected) in expected_files(dir) {
        let Some(cases) = expected.get("cases") else {
            continue;
        };
        for case in cases.as_array().unwrap() {
            check_case(dir, &stem, case, tolerance(&expected));
        }
        checked.push(stem);
    }
    checked
}
