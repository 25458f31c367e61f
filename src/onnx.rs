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

use crate::affine::Affine;
use crate::error::ModelError;
use crate::network::{Activation, LayerSpec, Network};
use crate::onnx_proto::{
    AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, DATA_TYPE_DOUBLE,
    DATA_TYPE_FLOAT,
};
use crate::onnx_tensor::{constant_node_value, data_type_name, decode_tensor, Tensor};
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
    /// ``node 0 `input_Sub` (Sub): subtracts a constant of shape [1, 1, 1, 5] (all zero), folded into hidden layer 0``.
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

/// The affine map from the last ReLU's output (or the input) to the current
/// value, kept sparse while it is an identity or a diagonal.
enum Pending {
    Identity,
    Diagonal { scale: Vec<f64>, shift: Vec<f64> },
    Dense(Affine),
}

/// A node being read: its place, for errors.
struct At<'a> {
    path: &'a Path,
    index: usize,
    name: &'a str,
    op: &'a str,
}

impl At<'_> {
    fn fail(&self, message: impl Into<String>) -> ModelError {
        ModelError::OnnxNode {
            path: self.path.to_path_buf(),
            index: self.index,
            name: self.name.to_string(),
            op_type: self.op.to_string(),
            message: message.into(),
        }
    }

    fn label(&self) -> String {
        if self.name.is_empty() {
            format!("node {} ({})", self.index, self.op)
        } else {
            format!("node {} `{}` ({})", self.index, self.name, self.op)
        }
    }
}

/// The state of the walk along the chain.
struct Chain<'a> {
    path: &'a Path,
    initializers: HashMap<&'a str, &'a TensorProto>,
    constants: HashMap<String, Tensor>,
    /// Nodes (by index) that read each value, `Constant` nodes excluded.
    readers: HashMap<&'a str, Vec<usize>>,
    graph_outputs: HashSet<&'a str>,
    known: HashSet<String>,
    current: String,
    shape: Vec<usize>,
    pending: Pending,
    layers: Vec<LayerSpec>,
    after_linear: bool,
    /// (description, index of the layer it folds into).
    folded: Vec<(String, usize)>,
    nodes: &'a [NodeProto],
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
            pending: Pending::Identity,
            layers: Vec::new(),
            after_linear: false,
            folded: Vec::new(),
            nodes: &graph.node,
        })
    }

    fn features(&self) -> usize {
        self.shape.iter().product()
    }

    fn is_constant(&self, name: &str) -> bool {
        self.constants.contains_key(name) || self.initializers.contains_key(name)
    }

    fn constant(&self, name: &str, at: &At) -> Result<Tensor, ModelError> {
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
                let affine = self.take_pending();
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

    fn dropout(&mut self, node: &NodeProto, at: &At) -> Result<(), ModelError> {
        attributes(node, &["ratio", "is_test", "seed"], at)?;
        inputs(node, 1, 3, at)?;
        if let Some(mode) = node.input.get(2).filter(|i| !i.is_empty()) {
            let t = self.constant(mode, at)?;
            let training = match &t.values {
                crate::onnx_tensor::Values::Int(v) => v.iter().any(|&b| b != 0),
                crate::onnx_tensor::Values::Float(v) => v.iter().any(|&b| b != 0.0),
            };
            if training {
                return Err(at.fail("training_mode is true: only inference is supported"));
            }
        }
        if let Some(mask) = node.output.get(1).filter(|o| !o.is_empty()) {
            if self.readers.contains_key(mask.as_str())
                || self.graph_outputs.contains(mask.as_str())
            {
                return Err(at.fail(format!(
                    "its mask output `{mask}` is used: only inference is supported"
                )));
            }
        }
        if node.output.len() > 2 {
            return Err(at.fail(format!(
                "expected at most two outputs, found {}",
                node.output.len()
            )));
        }
        self.note(at, "inference: passes the data through, dropped".into());
        Ok(())
    }

    fn reshape(&mut self, node: &NodeProto, at: &At, before: &[usize]) -> Result<(), ModelError> {
        let attrs = attributes(node, &["allowzero", "shape"], at)?;
        inputs(node, 1, 2, at)?;
        let target: Vec<i64> = match (node.input.get(1), attrs.get("shape")) {
            (Some(s), _) => self
                .constant(s, at)?
                .ints("the shape")
                .map_err(|m| at.fail(m))?
                .to_vec(),
            (None, Some(a)) => a.ints.clone(),
            (None, None) => return Err(at.fail("no target shape")),
        };
        let allow_zero = int_attr(&attrs, "allowzero", 0) != 0;
        let n = self.features();
        let mut dims = Vec::with_capacity(target.len());
        let mut infer = None;
        for (k, &d) in target.iter().enumerate() {
            match d {
                -1 if infer.is_none() => {
                    infer = Some(k);
                    dims.push(1);
                }
                0 if !allow_zero => dims.push(*self.shape.get(k).ok_or_else(|| {
                    at.fail(format!("target {target:?}: dimension {k} copies a dimension the data does not have"))
                })?),
                d if d > 0 => dims.push(d as usize),
                _ => return Err(at.fail(format!("target shape {target:?} is not supported"))),
            }
        }
        let known: usize = dims.iter().product();
        if let Some(k) = infer {
            if known == 0 || !n.is_multiple_of(known) {
                return Err(at.fail(format!("cannot reshape {before:?} to {target:?}")));
            }
            dims[k] = n / known;
        }
        if dims.iter().product::<usize>() != n {
            return Err(at.fail(format!(
                "cannot reshape {before:?} ({n} entries) to {target:?}"
            )));
        }
        if dims.iter().filter(|&&d| d != 1).count() > 1 {
            return Err(at.fail(format!(
                "reshapes {before:?} to {dims:?}: only a reshape to a vector is supported"
            )));
        }
        self.shape = dims;
        self.note_reshape(at, before);
        Ok(())
    }

    fn elementwise(
        &mut self,
        node: &NodeProto,
        at: &At,
        data_pos: usize,
        bias_of_linear: bool,
    ) -> Result<(), ModelError> {
        attributes(node, &[], at)?;
        inputs(node, 2, 2, at)?;
        let other = &node.input[1 - data_pos];
        let c = self.constant(other, at)?;
        let values = c
            .floats(&format!("the constant `{other}`"))
            .map_err(|m| at.fail(m))?;
        let out_shape = broadcast(&self.shape, &c.dims).ok_or_else(|| {
            at.fail(format!(
                "the constant `{other}` of shape {:?} does not broadcast to the data's shape {:?}",
                c.dims, self.shape
            ))
        })?;
        if out_shape.iter().product::<usize>() != self.features() {
            return Err(at.fail(format!(
                "broadcasting the constant `{other}` of shape {:?} against the data's shape {:?} repeats the data",
                c.dims, self.shape
            )));
        }
        let c = expand(values, &c.dims, &out_shape);
        let zeros = vec![0.0; c.len()];
        let constant_first = data_pos == 1;
        let verb = match (at.op, constant_first) {
            ("Add", _) => {
                self.apply_diagonal(|v, _| v, &c);
                "adds"
            }
            ("Sub", false) => {
                let minus: Vec<f64> = c.iter().map(|v| -v).collect();
                self.apply_diagonal(|v, _| v, &minus);
                "subtracts"
            }
            ("Sub", true) => {
                self.apply_diagonal(|v, _| -v, &c);
                "subtracts the data from"
            }
            ("Mul", _) => {
                self.apply_diagonal(|v, i| v * c[i], &zeros);
                "multiplies by"
            }
            (_, false) => {
                if let Some(i) = c.iter().position(|&v| v == 0.0) {
                    return Err(at.fail(format!("divides by zero (entry {i} of `{other}`)")));
                }
                self.apply_diagonal(|v, i| v / c[i], &zeros);
                "divides by"
            }
            (_, true) => {
                return Err(at.fail(
                    "divides a constant by the data, which is not affine: only division by a constant is supported",
                ))
            }
        };
        self.shape = out_shape;
        if !(bias_of_linear && at.op == "Add") {
            let what = describe_constant(&c);
            self.note(at, format!("{verb} {what}, folded"));
        }
        Ok(())
    }

    fn matmul(&mut self, node: &NodeProto, at: &At, data_pos: usize) -> Result<(), ModelError> {
        attributes(node, &[], at)?;
        inputs(node, 2, 2, at)?;
        let name = &node.input[1 - data_pos];
        let w = self.constant(name, at)?;
        let values = w
            .floats(&format!("the weight `{name}`"))
            .map_err(|m| at.fail(m))?;
        let [r, c] = w.dims[..] else {
            return Err(at.fail(format!(
                "the weight `{name}` has shape {:?}: only a 2-D weight is supported",
                w.dims
            )));
        };
        let n = self.features();
        let rank = self.shape.len();
        if data_pos == 0 {
            // x · W with W in × out.
            if rank == 0 || self.shape[rank - 1] != r || n != r {
                return Err(at.fail(format!(
                    "the data has shape {:?} and the weight `{name}` {:?}: x·W needs a vector of {r} entries",
                    self.shape, w.dims
                )));
            }
            let mut weight = vec![0.0; r * c];
            for i in 0..r {
                for j in 0..c {
                    weight[j * r + i] = values[i * c + j];
                }
            }
            self.apply_linear(c, weight);
            self.shape[rank - 1] = c;
        } else {
            // W · x with W out × in, on a vector or a column.
            let column_ok = match rank {
                1 => self.shape[0] == c,
                0 => false,
                _ => self.shape[rank - 2] == c && self.shape[rank - 1] == 1 && n == c,
            };
            if !column_ok {
                return Err(at.fail(format!(
                    "the weight `{name}` has shape {:?} and the data {:?}: W·x needs a vector or a column of {c} entries",
                    w.dims, self.shape
                )));
            }
            self.apply_linear(r, values.to_vec());
            let k = if rank == 1 { 0 } else { rank - 2 };
            self.shape[k] = r;
        }
        self.after_linear = true;
        Ok(())
    }

    fn gemm(&mut self, node: &NodeProto, at: &At, data_pos: usize) -> Result<(), ModelError> {
        let attrs = attributes(node, &["alpha", "beta", "transA", "transB"], at)?;
        inputs(node, 2, 3, at)?;
        if data_pos != 0 {
            return Err(at.fail("the data must be the first operand A; B must be a constant"));
        }
        if int_attr(&attrs, "transA", 0) != 0 {
            return Err(at.fail("transA = 1 is not supported"));
        }
        let trans_b = int_attr(&attrs, "transB", 0);
        if trans_b != 0 && trans_b != 1 {
            return Err(at.fail(format!("transB = {trans_b} is not supported")));
        }
        let alpha = float_attr(&attrs, "alpha", 1.0);
        let beta = float_attr(&attrs, "beta", 1.0);
        let n = self.features();
        if self.shape.len() != 2 || self.shape[0] != 1 {
            return Err(at.fail(format!(
                "the data has shape {:?}: Gemm needs one row [1, n] (add a Flatten before it)",
                self.shape
            )));
        }
        let name = &node.input[1];
        let b = self.constant(name, at)?;
        let values = b
            .floats(&format!("the weight `{name}`"))
            .map_err(|m| at.fail(m))?;
        let [r, c] = b.dims[..] else {
            return Err(at.fail(format!(
                "the weight `{name}` has shape {:?}: B must be 2-D",
                b.dims
            )));
        };
        let (k, m) = if trans_b == 1 { (c, r) } else { (r, c) };
        if k != n {
            return Err(at.fail(format!(
                "the data has {n} entries but the weight `{name}` of shape {:?} (transB = {trans_b}) takes {k}",
                b.dims
            )));
        }
        let mut weight = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                let v = if trans_b == 1 {
                    values[i * n + j]
                } else {
                    values[j * m + i]
                };
                weight[i * n + j] = if alpha == 1.0 { v } else { alpha * v };
            }
        }
        self.apply_linear(m, weight);
        self.shape = vec![1, m];
        if let Some(cname) = node.input.get(2).filter(|s| !s.is_empty()) {
            let ct = self.constant(cname, at)?;
            let cv = ct
                .floats(&format!("the bias `{cname}`"))
                .map_err(|m| at.fail(m))?;
            if broadcast(&[1, m], &ct.dims).as_deref() != Some(&[1, m][..]) {
                return Err(at.fail(format!(
                    "the bias `{cname}` of shape {:?} does not broadcast to [1, {m}]",
                    ct.dims
                )));
            }
            let bias: Vec<f64> = expand(cv, &ct.dims, &[1, m])
                .into_iter()
                .map(|v| if beta == 1.0 { v } else { beta * v })
                .collect();
            self.apply_diagonal(|v, _| v, &bias);
        }
        self.after_linear = false;
        Ok(())
    }

    /// `value_i ↦ f(value_i, i) + shift_i` on the current value.
    fn apply_diagonal(&mut self, f: impl Fn(f64, usize) -> f64, shift: &[f64]) {
        self.pending = match std::mem::replace(&mut self.pending, Pending::Identity) {
            Pending::Identity => Pending::Diagonal {
                scale: (0..shift.len()).map(|i| f(1.0, i)).collect(),
                shift: shift.to_vec(),
            },
            Pending::Diagonal { scale, shift: old } => Pending::Diagonal {
                scale: scale.iter().enumerate().map(|(i, &s)| f(s, i)).collect(),
                shift: old
                    .iter()
                    .enumerate()
                    .map(|(i, &t)| f(t, i) + shift[i])
                    .collect(),
            },
            Pending::Dense(a) => {
                let cols = a.cols();
                let mut weight = a.weight().to_vec();
                for (i, row) in weight.chunks_mut(cols).enumerate() {
                    for v in row {
                        *v = f(*v, i);
                    }
                }
                let bias = a
                    .bias()
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| f(b, i) + shift[i])
                    .collect();
                Pending::Dense(Affine::new(a.rows(), cols, weight, bias))
            }
        };
    }

    /// `x ↦ W x` (`W` row-major `rows × features`) after the current value.
    fn apply_linear(&mut self, rows: usize, weight: Vec<f64>) {
        let cols = self.features();
        let w = Affine::new(rows, cols, weight, vec![0.0; rows]);
        self.pending = match std::mem::replace(&mut self.pending, Pending::Identity) {
            Pending::Identity => Pending::Dense(w),
            Pending::Diagonal { scale, shift } => {
                // W (s ⊙ x + t) = (W diag s) x + W t.
                let bias = w.apply(&shift);
                let mut weight = w.weight().to_vec();
                for row in weight.chunks_mut(cols) {
                    for (v, s) in row.iter_mut().zip(&scale) {
                        *v *= s;
                    }
                }
                Pending::Dense(Affine::new(rows, cols, weight, bias))
            }
            Pending::Dense(a) => Pending::Dense(w.after(&a)),
        };
    }

    /// The pending map as an affine layer; the pending map restarts.
    fn take_pending(&mut self) -> Affine {
        let n = self.features();
        match std::mem::replace(&mut self.pending, Pending::Identity) {
            Pending::Identity => Affine::identity(n),
            Pending::Diagonal { scale, shift } => {
                let mut weight = vec![0.0; n * n];
                for (i, s) in scale.iter().enumerate() {
                    weight[i * n + i] = *s;
                }
                Affine::new(n, n, weight, shift)
            }
            Pending::Dense(a) => a,
        }
    }

    fn note(&mut self, at: &At, what: String) {
        self.folded
            .push((format!("{}: {what}", at.label()), self.layers.len()));
    }

    fn note_reshape(&mut self, at: &At, before: &[usize]) {
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
        if self.layers.is_empty() || !matches!(self.pending, Pending::Identity) {
            let affine = self.take_pending();
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

/// The node's attributes by name; any name outside `allowed` is an error.
fn attributes<'n>(
    node: &'n NodeProto,
    allowed: &[&str],
    at: &At,
) -> Result<HashMap<&'n str, &'n AttributeProto>, ModelError> {
    let mut map = HashMap::new();
    for a in &node.attribute {
        let name = a.name.as_deref().unwrap_or("");
        if !allowed.contains(&name) {
            return Err(at.fail(format!("attribute `{name}` is not supported")));
        }
        map.insert(name, a);
    }
    Ok(map)
}

fn inputs(node: &NodeProto, min: usize, max: usize, at: &At) -> Result<(), ModelError> {
    let n = node.input.len();
    if n < min || n > max {
        return Err(at.fail(format!("expected {min} to {max} inputs, found {n}")));
    }
    Ok(())
}

fn int_attr(attrs: &HashMap<&str, &AttributeProto>, name: &str, default: i64) -> i64 {
    attrs.get(name).and_then(|a| a.i).unwrap_or(default)
}

fn float_attr(attrs: &HashMap<&str, &AttributeProto>, name: &str, default: f64) -> f64 {
    attrs
        .get(name)
        .and_then(|a| a.f)
        .map(f64::from)
        .unwrap_or(default)
}

/// The numpy broadcast of two shapes, or `None` if they do not broadcast.
fn broadcast(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let rank = a.len().max(b.len());
    let mut out = vec![0; rank];
    for (k, o) in out.iter_mut().enumerate() {
        let da = (k + a.len()).checked_sub(rank).map_or(1, |i| a[i]);
        let db = (k + b.len()).checked_sub(rank).map_or(1, |i| b[i]);
        *o = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(out)
}

/// The values of a tensor of shape `dims`, broadcast to `out` (row-major).
fn expand(values: &[f64], dims: &[usize], out: &[usize]) -> Vec<f64> {
    let offset = out.len() - dims.len();
    let mut strides = vec![0; out.len()];
    let mut stride = 1;
    for k in (0..dims.len()).rev() {
        if dims[k] != 1 {
            strides[k + offset] = stride;
        }
        stride *= dims[k];
    }
    let total: usize = out.iter().product();
    let mut result = Vec::with_capacity(total);
    let mut index = vec![0; out.len()];
    for _ in 0..total {
        result.push(
            values[index
                .iter()
                .zip(&strides)
                .map(|(i, s)| i * s)
                .sum::<usize>()],
        );
        for k in (0..out.len()).rev() {
            index[k] += 1;
            if index[k] < out[k] {
                break;
            }
            index[k] = 0;
        }
    }
    result
}

/// "the constant 0.5", "a constant of 5 entries, all zero", "a constant of 784 entries".
fn describe_constant(c: &[f64]) -> String {
    match c {
        [v] => format!("the constant {v}"),
        [first, rest @ ..] if rest.iter().all(|v| v == first) => {
            let all = if *first == 0.0 {
                "all zero".to_string()
            } else {
                format!("all {first}")
            };
            format!("a constant of {} entries, {all}", c.len())
        }
        _ => format!("a constant of {} entries", c.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(broadcast(&[1, 5], &[5]), Some(vec![1, 5]));
        assert_eq!(broadcast(&[5], &[1, 1, 5]), Some(vec![1, 1, 5]));
        assert_eq!(broadcast(&[1, 5], &[]), Some(vec![1, 5]));
        assert_eq!(broadcast(&[5, 1], &[1, 5]), Some(vec![5, 5]));
        assert_eq!(broadcast(&[4], &[5]), None);
        assert_eq!(expand(&[2.0], &[], &[1, 3]), vec![2.0; 3]);
        assert_eq!(
            expand(&[1.0, 2.0], &[2, 1], &[2, 2]),
            vec![1.0, 1.0, 2.0, 2.0]
        );
        assert_eq!(
            expand(&[1.0, 2.0], &[1, 2], &[2, 2]),
            vec![1.0, 2.0, 1.0, 2.0]
        );
    }

    #[test]
    fn garbage_is_a_format_error() {
        let e = parse_onnx_model(b"\xff\xff\xff not protobuf", Path::new("m.onnx")).unwrap_err();
        assert!(matches!(e, ModelError::Format { .. }), "{e}");
    }
}
