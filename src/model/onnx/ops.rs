//! The operators of an ONNX chain: how each one changes the data's shape and
//! the affine map being built (see [`crate::model::onnx::loader`] for the list), and the
//! node checks they share.

use crate::error::ModelError;
use crate::model::onnx::broadcast::{broadcast, expand};
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, float_attr, inputs, int_attr, At};
use crate::model::onnx::proto::NodeProto;
use crate::model::onnx::tensor::Values;

impl Chain<'_> {
    pub fn dropout(&mut self, node: &NodeProto, at: &At) -> Result<(), ModelError> {
        attributes(node, &["ratio", "is_test", "seed"], at)?;
        inputs(node, 1, 3, at)?;
        if let Some(mode) = node.input.get(2).filter(|i| !i.is_empty()) {
            let t = self.constant(mode, at)?;
            let training = match &t.values {
                Values::Int(v) => v.iter().any(|&b| b != 0),
                Values::Float(v) => v.iter().any(|&b| b != 0.0),
            };
            if training {
                return Err(at.fail("training_mode is true: only inference is supported"));
            }
        }
        if let Some(mask) = node.output.get(1).filter(|o| !o.is_empty()) {
            if !self.flow.readers(mask).is_empty() || self.graph_outputs.contains(mask) {
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

    pub fn elementwise(
        &mut self,
        node: &NodeProto,
        at: &At,
        data_pos: usize,
        bias_of_linear: bool,
    ) -> Result<(), ModelError> {
        attributes(node, &[], at)?;
        inputs(node, 2, 2, at)?;
        let other = &node.input[1 - data_pos];
        let constant = self.constant(other, at)?;
        let c = &constant;
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
                self.pending.diagonal(|v, _| v, &c);
                "adds"
            }
            ("Sub", false) => {
                let minus: Vec<f64> = c.iter().map(|v| -v).collect();
                self.pending.diagonal(|v, _| v, &minus);
                "subtracts"
            }
            ("Sub", true) => {
                self.pending.diagonal(|v, _| -v, &c);
                "subtracts the data from"
            }
            ("Mul", _) => {
                self.pending.diagonal(|v, i| v * c[i], &zeros);
                "multiplies by"
            }
            (_, false) => {
                if let Some(i) = c.iter().position(|&v| v == 0.0) {
                    return Err(at.fail(format!("divides by zero (entry {i} of `{other}`)")));
                }
                self.pending.diagonal(|v, i| v / c[i], &zeros);
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
            let what = describe_constant(values, &constant.dims);
            self.note(at, format!("{verb} {what}, folded"));
        }
        Ok(())
    }

    pub fn matmul(&mut self, node: &NodeProto, at: &At, data_pos: usize) -> Result<(), ModelError> {
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
            // x · W with W in × out, on each row of the data.
            if rank == 0 || self.shape[rank - 1] != r {
                return Err(at.fail(format!(
                    "the data has shape {:?} and the weight `{name}` {:?}: x·W needs rows of {r} entries",
                    self.shape, w.dims
                )));
            }
            let rows = n / r;
            let mut weight = vec![0.0; rows * c * n];
            for b in 0..rows {
                for i in 0..r {
                    for j in 0..c {
                        weight[(b * c + j) * n + b * r + i] = values[i * c + j];
                    }
                }
            }
            self.pending.linear(rows * c, n, weight);
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
            self.pending.linear(r, n, values.to_vec());
            let k = if rank == 1 { 0 } else { rank - 2 };
            self.shape[k] = r;
        }
        self.after_linear = true;
        Ok(())
    }

    pub fn gemm(&mut self, node: &NodeProto, at: &At, data_pos: usize) -> Result<(), ModelError> {
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
        self.pending.linear(m, n, weight);
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
            self.pending.diagonal(|v, _| v, &bias);
        }
        self.after_linear = false;
        Ok(())
    }
}

/// "the constant 0.5", "a constant of shape [1, 1, 1, 5], all zero", "a constant of shape [784]".
fn describe_constant(values: &[f64], dims: &[usize]) -> String {
    match values {
        [v] => format!("the constant {v}"),
        [first, rest @ ..] if rest.iter().all(|v| v == first) => {
            let all = if *first == 0.0 {
                "all zero".to_string()
            } else {
                format!("all {first}")
            };
            format!("a constant of shape {dims:?}, {all}")
        }
        _ => format!("a constant of shape {dims:?}"),
    }
}
