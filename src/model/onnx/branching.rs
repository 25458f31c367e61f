//! Where the chain may go on: a node must read the value before it, and
//! where that value is read by several nodes, or by a head operator, the
//! rest of the graph must be a head (cut off) — otherwise the error names
//! the node where two paths join again (a residual connection), where the
//! graph branches into several outputs, or the non-linear operator between
//! layers.

use crate::error::ModelError;
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::At;
use crate::model::onnx::op_kind::{hidden_nonlinear_advice, in_head, starts_head};
use crate::model::onnx::proto::NodeProto;

impl<'a> Chain<'a> {
    /// Whether the chain ends before `node` because the rest of the graph
    /// is a head reading the current value; an error where the rest is not
    /// a head but the chain cannot go on either.
    pub fn head_starts_at(&self, node: &NodeProto, at: &At) -> Result<bool, ModelError> {
        let readers = self.flow.readers(&self.current);
        let head_op = starts_head(node);
        if readers.len() <= 1 && !head_op {
            return Ok(false);
        }
        let down = self.flow.downstream(&self.current, self.nodes);
        let Some(layer) = down.iter().copied().find(|&k| !in_head(&self.nodes[k])) else {
            return Ok(true);
        };
        if readers.len() <= 1 {
            return Err(at.fail(format!(
                "{}; here {} computes a layer from its result",
                hidden_nonlinear_advice(at.op),
                self.at(layer).label()
            )));
        }
        if self.flow.first_join(&down).is_some() {
            // The branches join again: a residual connection, read by
            // holding the other branch (`residual.rs`).
            return Ok(false);
        }
        let outputs: Vec<String> = down
            .iter()
            .flat_map(|&k| &self.nodes[k].output)
            .filter(|o| self.graph_outputs.contains(o))
            .map(|o| format!("`{o}`"))
            .collect();
        Err(self.at(readers[1]).fail(format!(
            "reads `{}`, which {} reads too: the graph branches into parts that compute layers of their own and end in different outputs ({}); choose the output to count regions for (`--model-output NAME`)",
            self.current,
            self.at(readers[0]).label(),
            outputs.join(", ")
        )))
    }

    /// Finds which input of `node` is the data (the current value), checking
    /// that every other input is constant.
    pub fn data_operand(&self, node: &NodeProto, at: &At) -> Result<usize, ModelError> {
        let Some(pos) = node.input.iter().position(|i| *i == self.current) else {
            let unknown = node
                .input
                .iter()
                .find(|i| !i.is_empty() && !self.is_constant(i));
            return Err(match unknown {
                Some(i) if self.flow.producer.contains_key(i) => at.fail(format!(
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
        Ok(pos)
    }
}
