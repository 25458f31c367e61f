//! The JSON model format (documented in `docs/model-json.md`):
//!
//! ```json
//! {"layers": [
//!   {"weight": [[1.0, -2.0], [0.5, 1.0]], "bias": [0.0, 0.1], "activation": "relu"},
//!   {"weight": [[1.0, 1.0]], "bias": [0.0]}
//! ], "meta": {"anything": "ignored"}}
//! ```
//!
//! `weight` is `out × in`, as PyTorch stores it. `activation` is `relu`,
//! `leaky_relu` or `identity`; hidden layers default to `relu`, the last
//! layer to `identity`. A `leaky_relu` layer states its `negative_slope`: one
//! number for the layer, or one per neuron (a PReLU).

use crate::error::ModelError;
use crate::model::affine::Affine;
use crate::model::network::{Activation, LayerSpec, Network};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    layers: Vec<LayerFile>,
    #[serde(default)]
    #[allow(dead_code)]
    meta: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerFile {
    weight: Vec<Vec<f64>>,
    bias: Vec<f64>,
    #[serde(default)]
    activation: Option<String>,
    #[serde(default)]
    negative_slope: Option<Slope>,
}

/// A leaky layer's negative-side slope: one for all its neurons, or one each.
#[derive(Deserialize)]
#[serde(untagged)]
enum Slope {
    Shared(f64),
    PerNeuron(Vec<f64>),
}

/// Reads a JSON model file.
pub fn load_json_model(path: &Path) -> Result<Network, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_json_model(&text, path)
}

/// Parses the text of a JSON model; `path` names it in errors.
pub fn parse_json_model(text: &str, path: &Path) -> Result<Network, ModelError> {
    let file: ModelFile = serde_json::from_str(text).map_err(|e| ModelError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let last = file.layers.len().saturating_sub(1);
    let layer_error = |layer: usize, message: String| ModelError::Layer {
        path: path.to_path_buf(),
        layer,
        message,
    };
    let mut specs = Vec::with_capacity(file.layers.len());
    for (k, layer) in file.layers.into_iter().enumerate() {
        let cols = layer.weight.first().map(Vec::len).unwrap_or(0);
        if layer.weight.is_empty() || cols == 0 {
            return Err(layer_error(k, "weight is empty".into()));
        }
        if let Some(i) = layer.weight.iter().position(|r| r.len() != cols) {
            return Err(layer_error(
                k,
                format!(
                    "weight row {i} has {} entries but row 0 has {cols}",
                    layer.weight[i].len()
                ),
            ));
        }
        if layer.bias.len() != layer.weight.len() {
            return Err(layer_error(
                k,
                format!(
                    "bias has {} entries but weight has {} rows",
                    layer.bias.len(),
                    layer.weight.len()
                ),
            ));
        }
        let rows = layer.weight.len();
        let activation =
            match (layer.activation.as_deref(), layer.negative_slope) {
                (Some("leaky_relu"), Some(Slope::Shared(a))) => Activation::Leaky(vec![a; rows]),
                (Some("leaky_relu"), Some(Slope::PerNeuron(alpha))) => {
                    if alpha.len() != rows {
                        return Err(layer_error(
                            k,
                            format!(
                                "negative_slope has {} entries but weight has {rows} rows",
                                alpha.len()
                            ),
                        ));
                    }
                    Activation::Leaky(alpha)
                }
                (Some("leaky_relu"), None) => return Err(layer_error(
                    k,
                    "a `leaky_relu` layer needs its `negative_slope` (a number, or one per neuron)"
                        .into(),
                )),
                (_, Some(_)) => {
                    return Err(layer_error(
                        k,
                        "`negative_slope` is only for a `leaky_relu` layer".into(),
                    ))
                }
                (None, None) if k == last => Activation::Identity,
                (None, None) => Activation::Relu,
                (Some("relu"), None) => Activation::Relu,
                (Some("identity"), None) => Activation::Identity,
                (Some(other), None) => {
                    return Err(layer_error(
                        k,
                        format!(
                        "unknown activation `{other}` (expected `relu`, `leaky_relu` or `identity`)"
                    ),
                    ))
                }
            };
        specs.push(LayerSpec {
            affine: Affine::from_rows(cols, &layer.weight, layer.bias),
            activation,
        });
    }
    Network::from_layers(specs, path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Network, ModelError> {
        parse_json_model(text, Path::new("m.json"))
    }

    #[test]
    fn defaults_hidden_relu_last_identity() {
        let net = parse(
            r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
                           {"weight": [[1, 1]], "bias": [0]}], "meta": {"x": 1}}"#,
        )
        .unwrap();
        assert_eq!(net.hidden_widths(), vec![2]);
        assert_eq!(net.forward(&[-2.0]).1, vec![2.0]);
    }

    #[test]
    fn errors_name_layer_and_row() {
        let e = parse(r#"{"layers": [{"weight": [[1.0, 2.0], [1.0]], "bias": [0, 0]}]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("layer 0") && e.contains("row 1"), "{e}");
        let e = parse(r#"{"layers": [{"weight": [[1.0]], "bias": [0], "activation": "tanh"}]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("tanh"), "{e}");
        let e = parse(r#"{"layers": []}"#).unwrap_err().to_string();
        assert!(e.contains("no layers"), "{e}");
        let e = parse("{\"layers\": [\n{\"weight\": [[1.0]], \"bias\": [0],}]}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2"), "{e}");
    }
}
