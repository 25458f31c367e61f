//! The ONNX loader: a chain of affine operators and ReLUs, read into a
//! [`Network`].
//!
//! # What is read
//!
//! The graph must be a chain: one data input, each node reading the output of
//! the node before it (plus constants), one output. The operators:
//!
//! - `Gemm` with `alpha`, `beta`, `transA = 0`, `transB` 0 or 1, a constant
//!   `B` and an optional constant `C`;
//! - `MatMul` with a constant 2-D weight on either side (`x·W` with `W`
//!   `in × out`, as MATLAB exports it, or `W·x` with `W` `out × in` on a
//!   column vector), usually followed by an `Add` of the bias;
//! - `Relu`, which ends a hidden layer;
//! - `Add`, `Sub`, `Mul`, `Div` with a constant operand (on either side,
//!   except that a constant cannot be divided by the data): normalisations,
//!   folded into the neighbouring affine layer;
//! - `Flatten`, `Reshape` to a vector, `Identity`, and `Dropout` (inference),
//!   which compute nothing;
//! - `Constant` nodes, as a source of constants.
//!
//! Constants are `float32` or `float64` tensors stored as `raw_data` or in the
//! typed fields (`int64` for `Reshape` shapes). The input may have a dynamic
//! or unit batch dimension; the network is read for one sample, whose entries
//! in row-major order are the network's inputs.
//!
//! Anything else is a [`ModelError::OnnxNode`] naming the node's index, name
//! and operator type. Folding is done in `f64`; it can differ from the graph's
//! own (float32) arithmetic by rounding, never by more.

use crate::error::ModelError;
use crate::model::network::{Activation, LayerSpec, Network};
use crate::model::onnx::affine_chain::AffineChain;
use crate::model::onnx::node::{attributes, inputs, int_attr, At};
use crate::model::onnx::proto::{
    GraphProto, ModelProto, NodeProto, TensorProto, DATA_TYPE_DOUBLE, DATA_TYPE_FLOAT,
};
use crate::model::onnx::tensor::{constant_node_value, data_type_name, decode_tensor, Tensor};
use prost::Message;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A network read from ONNX, with what the loader folded away.
#[derive(Debug, Clone)]
pub struct OnnxModel {
    /// The network.
    pub network: Network,
    /// One line per node that was folded into a layer or dropped (input
    /// normalisation, reshapes, identities), e.g.
    /// ``node 0 `input_Sub` (Sub): subtracts a constant of shape [1, 1, 1, 5], all zero, folded into hidden layer 0``.
    /// The `MatMul`/`Gemm` of each layer, its bias `Add`, and the `Relu`s
    /// are not listed.
    pub folded: Vec<String>,
}

/// Reads an ONNX model file.
pub fn load_onnx_model(path: &Path) -> Result<OnnxModel, ModelError> {
    let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_onnx_model(&bytes, path)
}

/// Parses the bytes of an ONNX model; `path` names it in errors.
pub fn parse_onnx_model(bytes: &[u8], path: &Path) -> Result<OnnxModel, ModelError> {
    let format_error = |message: String| ModelError::Format {
        path: path.to_path_buf(),
        message,
    };
    let model = ModelProto::decode(bytes)
        .map_err(|e| format_error(format!("not an ONNX model (protobuf decoding failed: {e})")))?;
    let graph = model
        .graph
        .as_ref()
        .ok_or_else(|| format_error("the ONNX model has no graph".into()))?;
    let mut chain = Chain::start(graph, path)?;
    for (index, node) in graph.node.iter().enumerate() {
        chain.node(index, node)?;
    }
    chain.finish(graph)
}

/// The state of the walk along the chain.
pub(crate) struct Chain<'a> {
    pub path: &'a Path,
    pub initializers: HashMap<&'a str, &'a TensorProto>,
    pub constants: HashMap<String, Tensor>,
    /// Nodes (by index) that read each value, `Constant` nodes excluded.
    pub readers: HashMap<&'a str, Vec<usize>>,
    pub graph_outputs: HashSet<&'a str>,
    pub known: HashSet<String>,
    pub current: String,
    pub shape: Vec<usize>,
    pub pending: AffineChain,
    pub layers: Vec<LayerSpec>,
    pub after_linear: bool,
    /// (description, index of the layer it folds into).
    pub folded: Vec<(String, usize)>,
    pub nodes: &'a [NodeProto],
}

impl<'a> Chain<'a> {
    fn start(graph: &'a GraphProto, path: &'a Path) -> Result<Self, ModelError> {
        let format_error = |message: String| ModelError::Format {
            path: path.to_path_buf(),
            message,
        };
        let initializers: HashMap<&str, &TensorProto> = graph
            .initializer
            .iter()
            .map(|t| (t.name.as_deref().unwrap_or(""), t))
            .collect();
        let data: Vec<_> = graph
            .input
            .iter()
            .filter(|i| !initializers.contains_key(i.name.as_deref().unwrap_or("")))
            .collect();
        let [input] = data.as_slice() else {
            let names: Vec<_> = data
                .iter()
                .map(|i| i.name.as_deref().unwrap_or(""))
                .collect();
            return Err(format_error(format!(
                "the graph must have exactly one input that is not a constant, found {}: {names:?}",
                names.len()
            )));
        };
        let name = input.name.clone().unwrap_or_default();
        let tensor = input
            .r#type
            .as_ref()
            .and_then(|t| t.tensor_type.as_ref())
            .ok_or_else(|| format_error(format!("the input `{name}` is not a tensor")))?;
        let elem = tensor.elem_type.unwrap_or(0);
        if elem != DATA_TYPE_FLOAT && elem != DATA_TYPE_DOUBLE {
            return Err(format_error(format!(
                "the input `{name}` has element type {} (expected float32 or float64)",
                data_type_name(elem)
            )));
        }
        let dims = &tensor
            .shape
            .as_ref()
            .ok_or_else(|| format_error(format!("the input `{name}` has no shape")))?
            .dim;
        let mut shape = Vec::with_capacity(dims.len());
        for (i, d) in dims.iter().enumerate() {
            match d.dim_value {
                Some(v) if v > 0 => shape.push(v as usize),
                _ if i == 0 && dims.len() >= 2 => shape.push(1),
                _ => {
                    return Err(format_error(format!(
                        "the input `{name}` has a dynamic or zero dimension {i}: only the first (batch) dimension may be dynamic"
                    )))
                }
            }
        }
        let mut readers: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, node) in graph.node.iter().enumerate() {
            if node.op_type.as_deref() == Some("Constant") {
                continue;
            }
            for i in node.input.iter().filter(|i| !i.is_empty()) {
                let list = readers.entry(i.as_str()).or_default();
                if list.last() != Some(&k) {
                    list.push(k);
                }
            }
        }
        Ok(Chain {
            path,
            initializers,
            constants: HashMap::new(),
            readers,
            graph_outputs: graph
                .output
                .iter()
                .map(|o| o.name.as_deref().unwrap_or(""))
                .collect(),
            known: HashSet::from([name.clone()]),
            current: name,
            shape,
            pending: AffineChain::Identity,
            layers: Vec::new(),
            after_linear: false,
            folded: Vec::new(),
            nodes: &graph.node,
        })
    }

    pub fn features(&self) -> usize {
        self.shape.iter().product()
    }

    fn is_constant(&self, name: &str) -> bool {
        self.constants.contains_key(name) || self.initializers.contains_key(name)
    }

    pub fn constant(&self, name: &str, at: &At) -> Result<Tensor, ModelError> {
        if let Some(t) = self.constants.get(name) {
            return Ok(t.clone());
        }
        let proto = self
            .initializers
            .get(name)
            .ok_or_else(|| at.fail(format!("`{name}` is not a constant")))?;
        decode_tensor(proto).map_err(|m| at.fail(m))
    }

    fn node(&mut self, index: usize, node: &'a NodeProto) -> Result<(), ModelError> {
        let at = At {
            path: self.path,
            index,
            name: node.name.as_deref().unwrap_or(""),
            op: node.op_type.as_deref().unwrap_or(""),
        };
        let domain = node.domain.as_deref().unwrap_or("");
        if !domain.is_empty() && domain != "ai.onnx" {
            return Err(at.fail(format!("operator domain `{domain}` is not supported")));
        }
        if at.op == "Constant" {
            let tensor = constant_node_value(&node.attribute).map_err(|m| at.fail(m))?;
            let [out] = node.output.as_slice() else {
                return Err(at.fail("a Constant node needs exactly one output"));
            };
            self.constants.insert(out.clone(), tensor);
            return Ok(());
        }
        let data_pos = self.data_operand(node, &at)?;
        let was_after_linear = std::mem::replace(&mut self.after_linear, false);
        let before = self.shape.clone();
        match at.op {
            "Relu" => {
                attributes(node, &[], &at)?;
                inputs(node, 1, 1, &at)?;
                let affine = self.pending.take(self.features());
                self.layers.push(LayerSpec {
                    affine,
                    activation: Activation::Relu,
                });
            }
            "Identity" => {
                attributes(node, &[], &at)?;
                inputs(node, 1, 1, &at)?;
                self.note(&at, "passes the data through, dropped".into());
            }
            "Dropout" => self.dropout(node, &at)?,
            "Flatten" => {
                let attrs = attributes(node, &["axis"], &at)?;
                inputs(node, 1, 1, &at)?;
                let rank = self.shape.len() as i64;
                let axis = int_attr(&attrs, "axis", 1);
                let axis = if axis < 0 { axis + rank } else { axis };
                if !(0..=rank).contains(&axis) {
                    return Err(at.fail(format!("axis {axis} is out of range for rank {rank}")));
                }
                let (outer, inner) = self.shape.split_at(axis as usize);
                self.shape = vec![outer.iter().product(), inner.iter().product()];
                self.note_reshape(&at, &before);
            }
            "Reshape" => self.reshape(node, &at, &before)?,
            "Add" | "Sub" | "Mul" | "Div" => self.elementwise(node, &at, data_pos, was_after_linear)?,
            "MatMul" => self.matmul(node, &at, data_pos)?,
            "Gemm" => self.gemm(node, &at, data_pos)?,
            other => {
                return Err(at.fail(format!(
                    "operator `{other}` is not supported (supported: Gemm, MatMul, Add, Sub, Mul, Div, Relu, Flatten, Reshape, Identity, Dropout, Constant)"
                )))
            }
        }
        let out = match at.op {
            "Dropout" => node.output.first(),
            _ => match node.output.as_slice() {
                [out] => Some(out),
                _ => None,
            },
        }
        .ok_or_else(|| at.fail(format!("expected one output, found {}", node.output.len())))?;
        self.current = out.clone();
        self.known.extend(node.output.iter().cloned());
        Ok(())
    }

    /// Finds which input of `node` is the data (the current value), checking
    /// that the chain does not branch and that every other input is constant.
    fn data_operand(&self, node: &NodeProto, at: &At) -> Result<usize, ModelError> {
        let Some(pos) = node.input.iter().position(|i| *i == self.current) else {
            let unknown = node
                .input
                .iter()
                .find(|i| !i.is_empty() && !self.is_constant(i));
            return Err(match unknown {
                Some(i) if self.known.contains(i) => at.fail(format!(
                    "reads `{i}`, which is not the output of the node before it (`{}`): the graph branches, and only a chain of layers is supported",
                    self.current
                )),
                Some(i) => at.fail(format!("input `{i}` is neither a constant nor the output of an earlier node")),
                None => at.fail(format!(
                    "does not read the data (`{}`): only a chain of layers is supported",
                    self.current
                )),
            });
        };
        for (k, i) in node.input.iter().enumerate() {
            if k != pos && !i.is_empty() && !self.is_constant(i) {
                return Err(at.fail(format!(
                    "operand {k} `{i}` is not a constant: only constant operands fold into an affine layer"
                )));
            }
        }
        let readers = self
            .readers
            .get(self.current.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let others: Vec<String> = readers
            .iter()
            .filter(|&&k| k != at.index)
            .map(|&k| {
                let n = &self.nodes[k];
                At {
                    path: self.path,
                    index: k,
                    name: n.name.as_deref().unwrap_or(""),
                    op: n.op_type.as_deref().unwrap_or(""),
                }
                .label()
            })
            .collect();
        if !others.is_empty() || self.graph_outputs.contains(self.current.as_str()) {
            let also = if others.is_empty() {
                "a graph output".to_string()
            } else {
                others.join(", ")
            };
            return Err(at.fail(format!(
                "its input `{}` is also read by {also}: the graph branches, and only a chain of layers is supported",
                self.current
            )));
        }
        Ok(pos)
    }

    pub fn note(&mut self, at: &At, what: String) {
        self.folded
            .push((format!("{}: {what}", at.label()), self.layers.len()));
    }

    pub fn note_reshape(&mut self, at: &At, before: &[usize]) {
        let what = format!(
            "reshapes {before:?} to {:?}, nothing to compute",
            self.shape
        );
        self.note(at, what);
    }

    fn finish(mut self, graph: &GraphProto) -> Result<OnnxModel, ModelError> {
        let outputs: Vec<_> = graph
            .output
            .iter()
            .map(|o| o.name.as_deref().unwrap_or(""))
            .collect();
        if outputs != [self.current.as_str()] {
            return Err(ModelError::Format {
                path: self.path.to_path_buf(),
                message: format!(
                    "the graph's outputs {outputs:?} are not the end of the chain of layers (`{}`)",
                    self.current
                ),
            });
        }
        if self.layers.is_empty() || !self.pending.is_identity() {
            let affine = self.pending.take(self.features());
            self.layers.push(LayerSpec {
                affine,
                activation: Activation::Identity,
            });
        }
        let hidden = self
            .layers
            .iter()
            .filter(|l| l.activation == Activation::Relu)
            .count();
        let folded = self
            .folded
            .into_iter()
            .map(|(text, layer)| {
                if text.ends_with(", folded") {
                    let into = if layer < hidden {
                        format!("hidden layer {layer}")
                    } else {
                        "the output layer".to_string()
                    };
                    format!("{text} into {into}")
                } else {
                    text
                }
            })
            .collect();
        let network = Network::from_layers(self.layers, self.path.to_path_buf())?;
        Ok(OnnxModel { network, folded })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_a_format_error() {
        let e = parse_onnx_model(b"\xff\xff\xff not protobuf", Path::new("m.onnx")).unwrap_err();
        assert!(matches!(e, ModelError::Format { .. }), "{e}");
    }
}
