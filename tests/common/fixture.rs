//! The bundled JSON fixtures as oracle layers: read with serde_json alone,
//! so the oracle sees the file's numbers without the crate's loader.

use super::oracle::OracleLayer;
use serde_json::Value;
use std::path::Path;

/// The hidden layers (every layer but the last) of a JSON model under the
/// crate root.
pub fn hidden_layers(relative: &str) -> Vec<OracleLayer> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let layers = model["layers"].as_array().unwrap();
    layers[..layers.len() - 1]
        .iter()
        .map(|l| OracleLayer {
            weight: serde_json::from_value(l["weight"].clone()).unwrap(),
            bias: serde_json::from_value(l["bias"].clone()).unwrap(),
        })
        .collect()
}
