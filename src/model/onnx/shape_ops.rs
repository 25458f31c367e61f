//! The operators on the chain that change the data's shape or type but not
//! its entries (`Flatten`, `Reshape`, `Squeeze`, `Unsqueeze`, a `Cast`
//! between float types), and `Transpose`, which reorders the entries: a
//! permutation, folded into the layer's map.

use crate::error::ModelError;
use crate::model::onnx::indexing::{permutation, squeeze_dims, unsqueeze_dims};
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, inputs, int_attr, At};
use crate::model::onnx::op_kind::{cast_target, casts_to_float};
use crate::model::onnx::proto::NodeProto;
use crate::model::onnx::reshape::reshape_target;
use crate::model::onnx::tensor::data_type_name;

impl Chain<'_> {
    pub fn cast(&mut self, node: &NodeProto, at: &At) -> Result<(), ModelError> {
        attributes(node, &["to", "saturate", "round_mode"], at)?;
        inputs(node, 1, 1, at)?;
        let code = cast_target(node).unwrap_or(0) as i32;
        if !casts_to_float(node) {
            return Err(at.fail(format!(
                "casts to {}: only casts between float types are read",
                data_type_name(code)
            )));
        }
        let (from, to) = (data_type_name(self.elem), data_type_name(code));
        let what = if from == to {
            format!("casts {from} to {to}, nothing to compute")
        } else if to == "float64" {
            format!("casts {from} to {to}, nothing to compute (regionwalk computes in float64)")
        } else {
            format!("rounds {from} to {to}, dropped (regionwalk computes in float64)")
        };
        self.elem = code;
        self.note(at, what);
        Ok(())
    }

    pub fn flatten(
        &mut self,
        node: &NodeProto,
        at: &At,
        before: &[usize],
    ) -> Result<(), ModelError> {
        let attrs = attributes(node, &["axis"], at)?;
        inputs(node, 1, 1, at)?;
        let rank = self.shape.len() as i64;
        let axis = int_attr(&attrs, "axis", 1);
        let axis = if axis < 0 { axis + rank } else { axis };
        if !(0..=rank).contains(&axis) {
            return Err(at.fail(format!("axis {axis} is out of range for rank {rank}")));
        }
        let (outer, inner) = self.shape.split_at(axis as usize);
        self.shape = vec![outer.iter().product(), inner.iter().product()];
        self.note_reshape(at, before);
        Ok(())
    }

    pub fn reshape(
        &mut self,
        node: &NodeProto,
        at: &At,
        before: &[usize],
    ) -> Result<(), ModelError> {
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
        self.shape = reshape_target(&self.shape, &target, allow_zero).map_err(|m| at.fail(m))?;
        self.note_reshape(at, before);
        Ok(())
    }

    /// `Squeeze` and `Unsqueeze`, with their axes as an attribute (before
    /// opset 13) or a constant input.
    pub fn squeeze(
        &mut self,
        node: &NodeProto,
        at: &At,
        before: &[usize],
    ) -> Result<(), ModelError> {
        let attrs = attributes(node, &["axes"], at)?;
        inputs(node, 1, 2, at)?;
        let axes: Option<Vec<i64>> = match (
            node.input.get(1).filter(|s| !s.is_empty()),
            attrs.get("axes"),
        ) {
            (Some(s), _) => Some(
                self.constant(s, at)?
                    .ints("the axes")
                    .map_err(|m| at.fail(m))?
                    .to_vec(),
            ),
            (None, Some(a)) => Some(a.ints.clone()),
            (None, None) => None,
        };
        self.shape = match (at.op, axes) {
            ("Unsqueeze", Some(axes)) => unsqueeze_dims(&self.shape, &axes),
            ("Unsqueeze", None) => Err("no axes".to_string()),
            (_, axes) => squeeze_dims(&self.shape, axes.as_deref()),
        }
        .map_err(|m| at.fail(m))?;
        self.note_reshape(at, before);
        Ok(())
    }

    /// `Transpose`: a reshape when only axes of length 1 move, else a
    /// permutation of the entries.
    pub fn transpose(
        &mut self,
        node: &NodeProto,
        at: &At,
        before: &[usize],
    ) -> Result<(), ModelError> {
        let attrs = attributes(node, &["perm"], at)?;
        inputs(node, 1, 1, at)?;
        let perm: Vec<i64> = match attrs.get("perm") {
            Some(a) => a.ints.clone(),
            None => (0..self.shape.len() as i64).rev().collect(),
        };
        let (dims, src) = permutation(&self.shape, &perm).map_err(|m| at.fail(m))?;
        self.shape = dims;
        if src.iter().enumerate().all(|(j, &i)| i == j) {
            self.note_reshape(at, before);
        } else {
            let n = src.len();
            let src: Vec<Option<usize>> = src.into_iter().map(Some).collect();
            self.pending.gather(n, &src, 0.0);
            let what = format!(
                "permutes the axes of {before:?} by {perm:?} to {:?}, folded",
                self.shape
            );
            self.note(at, what);
        }
        Ok(())
    }
}
