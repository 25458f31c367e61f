//! Running the `regionwalk` binary in tests, and reading the bundled 2-D
//! fixture's hidden layers for the oracle.

use super::oracle::OracleLayer;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

/// The bundled 2-D model: 2 inputs, hidden layers 16-16, one output.
pub const FIXTURE: &str = "fixtures/net2d_16x16.json";

/// Runs the binary from the crate root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regionwalk"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs")
}

/// Its standard output.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Its standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Its standard output as one JSON object, after asserting success.
pub fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// The layers of a JSON model file (relative to the crate root), read with
/// serde_json alone, for the oracle: the hidden ones and the output one.
pub fn json_model_layers(path: &str) -> (Vec<OracleLayer>, OracleLayer) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut layers: Vec<OracleLayer> = model["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| OracleLayer {
            weight: serde_json::from_value(l["weight"].clone()).unwrap(),
            bias: serde_json::from_value(l["bias"].clone()).unwrap(),
        })
        .collect();
    let out = layers.pop().unwrap();
    (layers, out)
}

/// The hidden layers of a JSON model file, for the oracle.
pub fn json_model_hidden_layers(path: &str) -> Vec<OracleLayer> {
    json_model_layers(path).0
}

/// The number of regions of [`FIXTURE`] on the square `(−1, 1)²`, by the
/// exact oracle.
pub fn fixture_count_by_oracle() -> usize {
    super::oracle::oracle_regions(
        &json_model_hidden_layers(FIXTURE),
        &[-1.0, -1.0],
        &[1.0, 1.0],
    )
    .len()
}

/// Runs a command that must fail with exit code `code` and an error naming `needle`.
pub fn fails(args: &[&str], code: i32, needle: &str) -> String {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: `{err}` does not name `{needle}`"
    );
    err
}

/// Writes `dir/name`, a JSON network on the plane, with weights from a fixed linear congruential
/// sequence: hidden layers of `widths`, one output.
pub fn lcg_model(dir: &Path, name: &str, widths: &[usize], seed: u64) -> String {
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    let mut layers = Vec::new();
    let mut inputs = 2;
    for &w in widths.iter().chain([&1]) {
        let weight: Vec<Vec<f64>> = (0..w)
            .map(|_| (0..inputs).map(|_| next()).collect())
            .collect();
        let bias: Vec<f64> = (0..w).map(|_| next()).collect();
        layers.push(json!({"weight": weight, "bias": bias}));
        inputs = w;
    }
    let path = dir.join(name);
    std::fs::write(&path, json!({ "layers": layers }).to_string()).unwrap();
    path.to_str().unwrap().to_string()
}
