//! One ONNX node as the loader reads it: where it is (for errors), its
//! attributes and its inputs, checked against what an operator allows.

use crate::error::ModelError;
use crate::model::onnx::head::HeadCut;
use crate::model::onnx::proto::{AttributeProto, NodeProto};
use std::collections::HashMap;
use std::path::Path;

/// A node being read: its place, for errors.
pub(crate) struct At<'a> {
    pub path: &'a Path,
    pub index: usize,
    pub name: &'a str,
    pub op: &'a str,
}

impl At<'_> {
    pub fn fail(&self, message: impl Into<String>) -> ModelError {
        ModelError::OnnxNode {
            path: self.path.to_path_buf(),
            index: self.index,
            name: self.name.to_string(),
            op_type: self.op.to_string(),
            message: message.into(),
        }
    }

    /// The node as an entry of the list of nodes cut off.
    pub fn cut(&self) -> HeadCut {
        HeadCut {
            index: self.index,
            name: self.name.to_string(),
            op_type: self.op.to_string(),
        }
    }

    pub(crate) fn label(&self) -> String {
        self.cut().to_string()
    }
}

/// The node's attributes by name; any name outside `allowed` is an error.
pub(crate) fn attributes<'n>(
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

pub(crate) fn inputs(node: &NodeProto, min: usize, max: usize, at: &At) -> Result<(), ModelError> {
    let n = node.input.len();
    if n < min || n > max {
        return Err(at.fail(format!("expected {min} to {max} inputs, found {n}")));
    }
    Ok(())
}

pub(crate) fn int_attr(attrs: &HashMap<&str, &AttributeProto>, name: &str, default: i64) -> i64 {
    attrs.get(name).and_then(|a| a.i).unwrap_or(default)
}

pub(crate) fn float_attr(attrs: &HashMap<&str, &AttributeProto>, name: &str, default: f64) -> f64 {
    attrs
        .get(name)
        .and_then(|a| a.f)
        .map(f64::from)
        .unwrap_or(default)
}
