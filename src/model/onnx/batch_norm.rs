//! `BatchNormalization` in inference: per channel,
//! `y = scale · (x − mean) / √(var + ε) + B`, a diagonal affine map folded
//! into the layer.

use crate::error::ModelError;
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, float_attr, inputs, int_attr, At};
use crate::model::onnx::proto::NodeProto;

impl Chain<'_> {
    pub fn batch_norm(&mut self, node: &NodeProto, at: &At) -> Result<(), ModelError> {
        let attrs = attributes(
            node,
            &[
                "epsilon",
                "momentum",
                "training_mode",
                "spatial",
                "is_test",
                "consumed_inputs",
            ],
            at,
        )?;
        inputs(node, 5, 5, at)?;
        if int_attr(&attrs, "training_mode", 0) != 0 {
            return Err(at.fail("training_mode = 1: only inference is supported"));
        }
        if int_attr(&attrs, "spatial", 1) != 1 {
            return Err(at.fail("spatial = 0 is not supported"));
        }
        if node.input[0] != self.current {
            return Err(at.fail("the data must be the first input X"));
        }
        if node.output.len() > 1 {
            return Err(
                at.fail("it has the running statistics as outputs, which only training computes")
            );
        }
        let [1, channels, ref rest @ ..] = self.shape[..] else {
            return Err(at.fail(format!(
                "the data has shape {:?}: BatchNormalization needs one sample [1, C, …]",
                self.shape
            )));
        };
        let epsilon = float_attr(&attrs, "epsilon", 1e-5);
        let mut params = Vec::with_capacity(4);
        for (name, what) in node.input[1..].iter().zip(["scale", "B", "mean", "var"]) {
            let t = self.constant(name, at)?;
            let v = t
                .floats(&format!("the {what} `{name}`"))
                .map_err(|m| at.fail(m))?
                .to_vec();
            if v.len() != channels {
                return Err(at.fail(format!(
                    "the {what} `{name}` has {} entries for {channels} channels",
                    v.len()
                )));
            }
            params.push(v);
        }
        let [scale, b, mean, var] = &params[..] else {
            unreachable!("four parameters")
        };
        if let Some(c) = (0..channels).find(|&c| var[c] + epsilon <= 0.0) {
            return Err(at.fail(format!(
                "channel {c} has variance {} and epsilon {epsilon}: no square root",
                var[c]
            )));
        }
        let per: usize = rest.iter().product();
        let factor: Vec<f64> = (0..channels)
            .map(|c| scale[c] / (var[c] + epsilon).sqrt())
            .collect();
        let mut shift = Vec::with_capacity(channels * per);
        for c in 0..channels {
            shift.extend(std::iter::repeat_n(b[c] - mean[c] * factor[c], per));
        }
        self.pending.diagonal(|v, i| v * factor[i / per], &shift);
        self.note(
            at,
            format!("batch normalisation (inference) of {channels} channels, folded"),
        );
        Ok(())
    }
}
