//! What the ONNX loader cut off the graph, and which value the regions are
//! counted for.
//!
//! A classifier exported from scikit-learn, PyTorch or Keras ends in a head:
//! a `Sigmoid` or `Softmax`, then labels (`ArgMax`, `ZipMap`, casts). A head
//! reads the logits only, so it does not change the activation regions: the
//! loader keeps the network up to the logits and cuts the rest. With several
//! graph outputs, the caller may choose one; the nodes it does not depend on
//! are cut too.

use serde::Serialize;
use std::fmt;

/// A node of the ONNX graph that is not part of the network read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadCut {
    /// The node's position in the graph, from 0.
    pub index: usize,
    /// The node's name (ONNX allows it to be empty).
    pub name: String,
    /// The node's operator type, e.g. `Sigmoid`.
    pub op_type: String,
}

impl fmt::Display for HeadCut {
    /// ``node 9 `Relu2` (Sigmoid)``, or `node 9 (Sigmoid)` without a name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "node {}", self.index)?;
        if !self.name.is_empty() {
            write!(f, " `{}`", self.name)?;
        }
        write!(f, " ({})", self.op_type)
    }
}

/// The value of an ONNX graph whose regions are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptOutput {
    /// The value the network computes: a graph output, or the logits that a
    /// cut head read.
    pub name: String,
    /// The graph's declared outputs.
    pub graph_outputs: Vec<String>,
    /// The output the caller chose, if any (regions are counted for
    /// [`KeptOutput::name`], which it equals or which feeds it through a head).
    pub chosen: Option<String>,
}

/// One line for stderr about what was cut, or `None` when the graph was read
/// whole and its one output is the value kept: e.g.
/// ``regions are counted for `add_result2`; cut after it: node 9 `Relu2` (Sigmoid), node 10 `Sub` (Sub)``.
pub(crate) fn head_note(kept: &KeptOutput, cut: &[HeadCut]) -> Option<String> {
    let whole = cut.is_empty() && kept.graph_outputs == [kept.name.clone()];
    if whole {
        return None;
    }
    let mut note = format!("regions are counted for `{}`", kept.name);
    if let Some(chosen) = kept.chosen.as_ref().filter(|c| **c != kept.name) {
        note.push_str(&format!(
            " (the value the chosen output `{chosen}` is read from)"
        ));
    } else if kept.chosen.is_some() {
        note.push_str(" (the chosen output)");
    }
    let others: Vec<String> = kept
        .graph_outputs
        .iter()
        .filter(|o| **o != kept.name)
        .map(|o| format!("`{o}`"))
        .collect();
    if !others.is_empty() {
        note.push_str(&format!(
            "; other graph outputs, not counted: {}",
            others.join(", ")
        ));
    }
    if !cut.is_empty() {
        let nodes: Vec<String> = cut.iter().map(ToString::to_string).collect();
        note.push_str(&format!("; cut: {}", nodes.join(", ")));
    }
    Some(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_the_kept_value_and_the_cut_nodes() {
        let kept = KeptOutput {
            name: "logits".into(),
            graph_outputs: vec!["label".into(), "probabilities".into()],
            chosen: None,
        };
        let cut = [HeadCut {
            index: 9,
            name: "Relu2".into(),
            op_type: "Sigmoid".into(),
        }];
        assert_eq!(
            head_note(&kept, &cut).unwrap(),
            "regions are counted for `logits`; other graph outputs, not counted: `label`, `probabilities`; cut: node 9 `Relu2` (Sigmoid)"
        );
        let whole = KeptOutput {
            name: "y".into(),
            graph_outputs: vec!["y".into()],
            chosen: None,
        };
        assert_eq!(head_note(&whole, &[]), None);
    }
}
