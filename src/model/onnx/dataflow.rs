//! Which values of an ONNX graph carry the data, and which nodes read them:
//! the static picture the loader walks along.
//!
//! A value is *data* if it depends on the graph's input through something
//! other than its shape; every other value is a constant (an initializer, a
//! `Constant`, or a node computing from constants and shapes only, such as
//! the `Shape → Gather → Concat` chains exporters write for a `Reshape`). A
//! node is a data node if it reads a data value, except `Shape` and `Size`,
//! which read only the (static) shape.
//!
//! With a chosen output, only the nodes that output depends on are *live*:
//! the others are cut before the walk.

use crate::model::onnx::proto::NodeProto;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Operators that read a value's shape, never its entries.
const SHAPE_READERS: [&str; 2] = ["Shape", "Size"];

/// The data dependencies of a graph.
pub(crate) struct Dataflow {
    /// Per node: whether it computes from the data.
    pub is_data: Vec<bool>,
    /// Per node: whether the counted output depends on it (every data node
    /// when no output is chosen).
    pub live: Vec<bool>,
    /// Each data value and the node computing it (`None` for the input).
    pub producer: HashMap<String, Option<usize>>,
    /// Per data value: the live data nodes reading it, in graph order.
    readers: HashMap<String, Vec<usize>>,
    /// Per node: its distinct data inputs, in order.
    data_inputs: Vec<Vec<String>>,
}

impl Dataflow {
    /// Analyses `nodes` (in graph order) fed by the data input `input`. With
    /// `output`, nodes that value does not depend on are not live; an
    /// `output` that is not a data value is an error message.
    pub fn new(nodes: &[NodeProto], input: &str, output: Option<&str>) -> Result<Self, String> {
        let mut producer: HashMap<String, Option<usize>> = HashMap::from([(input.into(), None)]);
        let mut is_data = Vec::with_capacity(nodes.len());
        let mut data_inputs = Vec::with_capacity(nodes.len());
        for (k, node) in nodes.iter().enumerate() {
            let op = node.op_type.as_deref().unwrap_or("");
            let mut reads: Vec<String> = Vec::new();
            for i in &node.input {
                if producer.contains_key(i) && !reads.contains(i) {
                    reads.push(i.clone());
                }
            }
            let data = !reads.is_empty() && !SHAPE_READERS.contains(&op);
            if data {
                for o in node.output.iter().filter(|o| !o.is_empty()) {
                    producer.insert(o.clone(), Some(k));
                }
            } else {
                reads.clear();
            }
            is_data.push(data);
            data_inputs.push(reads);
        }
        let live = match output {
            None => is_data.clone(),
            Some(name) => {
                let Some(&start) = producer.get(name) else {
                    return Err(format!("`{name}` is not a value computed from the input"));
                };
                let mut live = vec![false; nodes.len()];
                let mut stack: Vec<usize> = start.into_iter().collect();
                while let Some(k) = stack.pop() {
                    if std::mem::replace(&mut live[k], true) {
                        continue;
                    }
                    stack.extend(data_inputs[k].iter().filter_map(|v| producer[v]));
                }
                live
            }
        };
        let mut readers: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, reads) in data_inputs.iter().enumerate() {
            if live[k] {
                for v in reads {
                    readers.entry(v.clone()).or_default().push(k);
                }
            }
        }
        Ok(Dataflow {
            is_data,
            live,
            producer,
            readers,
            data_inputs,
        })
    }

    /// The live data nodes reading `value`.
    pub fn readers(&self, value: &str) -> &[usize] {
        self.readers.get(value).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The data inputs of node `k`.
    pub fn data_inputs(&self, k: usize) -> &[String] {
        &self.data_inputs[k]
    }

    /// Every live data node that depends on `value`, in graph order.
    pub fn downstream(&self, value: &str, nodes: &[NodeProto]) -> Vec<usize> {
        let mut found = BTreeSet::new();
        let mut stack = vec![value.to_string()];
        let mut seen = HashSet::new();
        while let Some(v) = stack.pop() {
            if !seen.insert(v.clone()) {
                continue;
            }
            for &k in self.readers(&v) {
                if found.insert(k) {
                    stack.extend(nodes[k].output.iter().filter(|o| !o.is_empty()).cloned());
                }
            }
        }
        found.into_iter().collect()
    }

    /// The first of `candidates` that reads two data values: where two paths
    /// from one value meet again.
    pub fn first_join(&self, candidates: &[usize]) -> Option<usize> {
        candidates
            .iter()
            .copied()
            .find(|&k| self.data_inputs[k].len() >= 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(op: &str, inputs: &[&str], outputs: &[&str]) -> NodeProto {
        NodeProto {
            op_type: Some(op.into()),
            input: inputs.iter().map(|s| s.to_string()).collect(),
            output: outputs.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn shapes_are_constants_and_joins_are_found() {
        // x → Gemm → h → Relu → r; Shape(r) → Gather → Reshape(r, s) → y;
        // r also feeds Add(y, r) → z.
        let nodes = [
            node("Gemm", &["x", "w"], &["h"]),
            node("Relu", &["h"], &["r"]),
            node("Shape", &["r"], &["s0"]),
            node("Gather", &["s0", "i"], &["s"]),
            node("Reshape", &["r", "s"], &["y"]),
            node("Add", &["y", "r"], &["z"]),
        ];
        let flow = Dataflow::new(&nodes, "x", None).unwrap();
        assert_eq!(flow.is_data, [true, true, false, false, true, true]);
        assert_eq!(flow.readers("r"), &[4, 5]);
        assert_eq!(flow.downstream("r", &nodes), vec![4, 5]);
        assert_eq!(flow.downstream("x", &nodes), vec![0, 1, 4, 5]);
        assert_eq!(flow.first_join(&[4, 5]), Some(5));
        // Choosing `y` leaves the Add out.
        let flow = Dataflow::new(&nodes, "x", Some("y")).unwrap();
        assert_eq!(flow.live, [true, true, false, false, true, false]);
        assert_eq!(flow.readers("r"), &[4]);
        assert!(Dataflow::new(&nodes, "x", Some("s")).is_err());
        assert!(Dataflow::new(&nodes, "x", Some("nothing")).is_err());
    }
}
