//! The ONNX loader: a chain of affine operators and ReLUs, read into a
//! [`Network`], with the classifier head cut off.
//!
//! # What is read
//!
//! The data flows along a chain: one data input, each node reading the
//! output of the node before it (plus constants). The chain may branch and
//! join again (a residual connection: `residual.rs`), the other branch
//! carried through hidden layers by linear neurons. The operators on the chain
//! (`docs/models.md` has the full table):
//!
//! - affine layers, folded exactly into the layer's map: `Gemm`, `MatMul`
//!   with a constant weight, `Conv` (any stride, padding, dilation, groups),
//!   `BatchNormalization` (inference), `AveragePool`, `GlobalAveragePool`,
//!   `Pad` with a constant, `Transpose`, and `Add`, `Sub`, `Mul`, `Div`,
//!   `Neg` with constant operands (normalisations, biases);
//! - `Relu`, `LeakyRelu` and `PRelu`, which end a hidden layer;
//! - steps that compute nothing: `Identity`, `Dropout` (inference), a `Cast`
//!   between float types, `Flatten`, `Reshape`, `Squeeze`, `Unsqueeze`.
//!
//! Constants come from initializers, `Constant` nodes, and any node computing
//! from constants and the data's (static) shape only: exporters' `Shape →
//! Gather → Concat → Reshape` chains, `ConstantOfShape`
//! ([`crate::model::onnx::const_eval`]).
//!
//! Where the chain meets a head (`Sigmoid`, `Softmax`, `ArgMax`, `ZipMap`,
//! a cast to integers, …; [`crate::model::onnx::op_kind`]) or branches into
//! parts that only read its value, it stops: that value (the logits) is the
//! network's output, and the rest is listed in [`OnnxModel::head_cut`]. A
//! caller may choose the output instead ([`load_onnx_model_with`]).
//!
//! Anything else is a [`ModelError::OnnxNode`] naming the node's index, name
//! and operator type. Folding is done in `f64`; it can differ from the graph's
//! own (float32) arithmetic by rounding, never by more.

use crate::error::ModelError;
use crate::model::network::{Activation, LayerSpec, Network};
use crate::model::onnx::affine_chain::AffineChain;
use crate::model::onnx::const_eval::{evaluate, shape_of};
use crate::model::onnx::dataflow::Dataflow;
use crate::model::onnx::head::{HeadCut, KeptOutput};
use crate::model::onnx::node::{attributes, inputs, At};
use crate::model::onnx::op_kind::{a, not_yet, CHAIN_OPS};
use crate::model::onnx::proto::{
    GraphProto, ModelProto, NodeProto, TensorProto, DATA_TYPE_DOUBLE, DATA_TYPE_FLOAT,
};
use crate::model::onnx::residual::Held;
use crate::model::onnx::tensor::{constant_node_value, data_type_name, decode_tensor, Tensor};
use prost::Message;
use std::collections::HashMap;
use std::path::Path;

/// A network read from ONNX, with what the loader folded away and cut off.
#[derive(Debug, Clone)]
pub struct OnnxModel {
    /// The network.
    pub network: Network,
    /// One line per node that was folded into a layer or dropped (input
    /// normalisation, reshapes, identities, convolutions), e.g.
    /// ``node 0 `input_Sub` (Sub): subtracts a constant of shape [1, 1, 1, 5], all zero, folded into hidden layer 0``.
    /// The `MatMul`/`Gemm` of each layer, its bias `Add`, and the `Relu`s
    /// are not listed.
    pub folded: Vec<String>,
    /// The value the network computes, among the graph's outputs.
    pub kept: KeptOutput,
    /// The nodes cut off: the head after the kept value, and with a chosen
    /// output the nodes it does not depend on. In graph order.
    pub head_cut: Vec<HeadCut>,
}

/// Reads an ONNX model file, counting regions for the output the graph
/// leads to (the logits, where a head is cut).
pub fn load_onnx_model(path: &Path) -> Result<OnnxModel, ModelError> {
    load_onnx_model_with(path, None)
}

/// Reads an ONNX model file; with `output`, the network computes that value
/// of the graph (a graph output or any value computed from the input), and
/// the nodes it does not depend on are cut.
pub fn load_onnx_model_with(path: &Path, output: Option<&str>) -> Result<OnnxModel, ModelError> {
    let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_onnx_model_with(&bytes, path, output)
}

/// Parses the bytes of an ONNX model; `path` names it in errors.
pub fn parse_onnx_model(bytes: &[u8], path: &Path) -> Result<OnnxModel, ModelError> {
    parse_onnx_model_with(bytes, path, None)
}

/// Parses the bytes of an ONNX model, with an output chosen as in
/// [`load_onnx_model_with`]; `path` names it in errors.
pub fn parse_onnx_model_with(
    bytes: &[u8],
    path: &Path,
    output: Option<&str>,
) -> Result<OnnxModel, ModelError> {
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
    let mut chain = Chain::start(graph, path, output)?;
    for (index, node) in graph.node.iter().enumerate() {
        chain.node(index, node)?;
    }
    chain.finish()
}

/// The state of the walk along the chain.
pub(crate) struct Chain<'a> {
    pub path: &'a Path,
    pub initializers: HashMap<&'a str, &'a TensorProto>,
    pub constants: HashMap<String, Tensor>,
    /// Values computed from constants that could not be evaluated, with why.
    pub unevaluated: HashMap<String, String>,
    pub flow: Dataflow,
    /// The shape of each data value the chain computed.
    pub shapes: HashMap<String, Vec<usize>>,
    pub current: String,
    pub shape: Vec<usize>,
    /// The element type of the current value (float32 or float64).
    pub elem: i32,
    pub pending: AffineChain,
    pub layers: Vec<LayerSpec>,
    pub after_linear: bool,
    /// (description, index of the layer it folds into).
    pub folded: Vec<(String, usize)>,
    pub nodes: &'a [NodeProto],
    pub graph_outputs: Vec<String>,
    pub output: Option<&'a str>,
    /// Whether the chain has ended (a head, or the chosen output).
    pub stopped: bool,
    /// Values computed earlier that a later node reads (a residual
    /// connection's other branch), each as a map of the state.
    pub held: HashMap<String, Held>,
    pub cut: Vec<HeadCut>,
}

impl<'a> Chain<'a> {
    fn start(
        graph: &'a GraphProto,
        path: &'a Path,
        output: Option<&'a str>,
    ) -> Result<Self, ModelError> {
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
        let graph_outputs: Vec<String> = graph
            .output
            .iter()
            .map(|o| o.name.clone().unwrap_or_default())
            .collect();
        let flow = Dataflow::new(&graph.node, &name, output).map_err(|m| {
            format_error(format!(
                "the chosen output {m} (the graph's outputs: {graph_outputs:?})"
            ))
        })?;
        Ok(Chain {
            path,
            initializers,
            constants: HashMap::new(),
            unevaluated: HashMap::new(),
            flow,
            shapes: HashMap::from([(name.clone(), shape.clone())]),
            current: name,
            shape,
            elem,
            pending: AffineChain::Identity,
            layers: Vec::new(),
            after_linear: false,
            folded: Vec::new(),
            nodes: &graph.node,
            graph_outputs,
            output,
            stopped: false,
            held: HashMap::new(),
            cut: Vec::new(),
        })
    }

    pub fn features(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn is_constant(&self, name: &str) -> bool {
        self.constants.contains_key(name)
            || self.initializers.contains_key(name)
            || self.unevaluated.contains_key(name)
    }

    pub fn constant(&self, name: &str, at: &At) -> Result<Tensor, ModelError> {
        if let Some(t) = self.constants.get(name) {
            return Ok(t.clone());
        }
        if let Some(why) = self.unevaluated.get(name) {
            return Err(at.fail(format!("the constant `{name}` {why}")));
        }
        let proto = self
            .initializers
            .get(name)
            .ok_or_else(|| at.fail(format!("`{name}` is not a constant")))?;
        decode_tensor(proto).map_err(|m| at.fail(m))
    }

    /// The place of node `k`, for errors and lists.
    pub fn at(&self, k: usize) -> At<'a> {
        let n = &self.nodes[k];
        At {
            path: self.path,
            index: k,
            name: n.name.as_deref().unwrap_or(""),
            op: n.op_type.as_deref().unwrap_or(""),
        }
    }

    fn node(&mut self, index: usize, node: &'a NodeProto) -> Result<(), ModelError> {
        let at = self.at(index);
        if !self.flow.is_data[index] {
            self.evaluate_constant(node, &at);
            return Ok(());
        }
        if self.stopped || !self.flow.live[index] || self.output == Some(self.current.as_str()) {
            self.stopped |= self.flow.live[index];
            self.cut.push(at.cut());
            return Ok(());
        }
        let reads = self.flow.data_inputs(index).to_vec();
        let follow = reads
            .iter()
            .find(|r| **r == self.current)
            .or(reads.first())
            .cloned();
        if let Some(value) = follow {
            self.go_to(&value, index);
        }
        if self.head_starts_at(node, &at)? {
            self.stopped = true;
            self.cut.push(at.cut());
            return Ok(());
        }
        let domain = node.domain.as_deref().unwrap_or("");
        if !domain.is_empty() && domain != "ai.onnx" {
            return Err(at.fail(format!("operator domain `{domain}` is not supported")));
        }
        if reads.len() >= 2 {
            self.join(node, &at, &reads)?;
        } else {
            self.step(node, index)?;
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
        for o in node.output.iter().filter(|o| !o.is_empty()) {
            self.shapes.insert(o.clone(), self.shape.clone());
        }
        Ok(())
    }

    /// A node reading the current value (and constants).
    fn step(&mut self, node: &'a NodeProto, index: usize) -> Result<(), ModelError> {
        let at = self.at(index);
        let data_pos = self.data_operand(node, &at)?;
        let was_after_linear = std::mem::replace(&mut self.after_linear, false);
        let before = self.shape.clone();
        match at.op {
            "Relu" => {
                attributes(node, &[], &at)?;
                inputs(node, 1, 1, &at)?;
                self.end_layer(vec![0.0; self.features()], index);
            }
            "LeakyRelu" => self.leaky_relu(node, &at, index)?,
            "PRelu" => self.prelu(node, &at, data_pos, index)?,
            "Identity" => {
                attributes(node, &[], &at)?;
                inputs(node, 1, 1, &at)?;
                self.note(&at, "passes the data through, dropped".into());
            }
            "Dropout" => self.dropout(node, &at)?,
            "Cast" => self.cast(node, &at)?,
            "Flatten" => self.flatten(node, &at, &before)?,
            "Reshape" => self.reshape(node, &at, &before)?,
            "Squeeze" | "Unsqueeze" => self.squeeze(node, &at, &before)?,
            "Transpose" => self.transpose(node, &at, &before)?,
            "Add" | "Sub" | "Mul" | "Div" => {
                self.elementwise(node, &at, data_pos, was_after_linear)?
            }
            "Neg" => {
                attributes(node, &[], &at)?;
                inputs(node, 1, 1, &at)?;
                self.pending
                    .diagonal(|v, _| -v, &vec![0.0; self.features()]);
                self.note(&at, "negates, folded".into());
            }
            "MatMul" => self.matmul(node, &at, data_pos)?,
            "Gemm" => self.gemm(node, &at, data_pos)?,
            "Conv" => self.conv(node, &at)?,
            "BatchNormalization" => self.batch_norm(node, &at)?,
            "AveragePool" | "GlobalAveragePool" => self.average_pool(node, &at)?,
            "Pad" => self.pad(node, &at)?,
            other => {
                return Err(at.fail(match not_yet(other) {
                    Some(why) => format!("{} is {why}", a(other)),
                    None => format!("operator `{other}` is not supported (supported: {CHAIN_OPS})"),
                }))
            }
        }
        Ok(())
    }

    /// Evaluates a node that computes from constants and shapes only; what
    /// cannot be evaluated is an error only if the chain reads it.
    fn evaluate_constant(&mut self, node: &NodeProto, at: &At) {
        let result = match at.op {
            "Constant" => match node.output.as_slice() {
                [_] => constant_node_value(&node.attribute).map(|t| vec![t]),
                _ => Err("a Constant node needs exactly one output".into()),
            },
            "Shape" | "Size" => {
                let input = node.input.first().map(String::as_str).unwrap_or("");
                match self.shapes.get(input) {
                    Some(dims) => shape_of(node, dims).map(|t| vec![t]),
                    None if self.is_constant(input) => self
                        .constant(input, at)
                        .map_err(|e| e.to_string())
                        .and_then(|t| shape_of(node, &t.dims).map(|t| vec![t])),
                    None => Err(format!(
                        "reads the shape of `{input}`, which is not computed on the chain of layers"
                    )),
                }
            }
            _ => node
                .input
                .iter()
                .map(|i| match i.as_str() {
                    "" => Ok(None),
                    name => self.constant(name, at).map(Some).map_err(|e| match e {
                        ModelError::OnnxNode { message, .. } => message,
                        other => other.to_string(),
                    }),
                })
                .collect::<Result<Vec<_>, _>>()
                .and_then(|ins| evaluate(node, &ins)),
        };
        match result {
            Ok(values) => {
                for (name, t) in node.output.iter().zip(values) {
                    self.constants.insert(name.clone(), t);
                }
            }
            Err(why) => {
                for name in &node.output {
                    let why = format!(
                        "is computed by {}, which cannot be evaluated: {why}",
                        at.label()
                    );
                    self.unevaluated.insert(name.clone(), why);
                }
            }
        }
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

    fn finish(mut self) -> Result<OnnxModel, ModelError> {
        if !self.stopped {
            let ends = match self.output {
                Some(o) => o == self.current,
                None => self.graph_outputs.contains(&self.current),
            };
            if !ends {
                return Err(ModelError::Format {
                    path: self.path.to_path_buf(),
                    message: format!(
                        "the graph's outputs {:?} are not the end of the chain of layers (`{}`)",
                        self.output
                            .map(|o| vec![o.to_string()])
                            .unwrap_or_else(|| self.graph_outputs.clone()),
                        self.current
                    ),
                });
            }
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
            .filter(|l| l.activation != Activation::Identity)
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
        Ok(OnnxModel {
            network,
            folded,
            kept: KeptOutput {
                name: self.current,
                graph_outputs: self.graph_outputs,
                chosen: self.output.map(str::to_string),
            },
            head_cut: self.cut,
        })
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
