//! `LeakyRelu` and `PRelu`: a hidden layer whose neurons keep a slope `α`
//! on their negative side (docs/design.md §1). The slopes are read exactly
//! (an `f32` attribute or tensor entry is a dyadic rational, and so is its
//! `f64`), so certificates stay exact.

use crate::error::ModelError;
use crate::model::onnx::broadcast::{broadcast, expand};
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, float_attr, inputs, At};
use crate::model::onnx::proto::NodeProto;

/// ONNX's default `alpha` of `LeakyRelu`.
const LEAKY_RELU_DEFAULT_ALPHA: f64 = 0.01;

impl Chain<'_> {
    /// `LeakyRelu(alpha)`: one slope for every neuron of the layer.
    pub fn leaky_relu(
        &mut self,
        node: &NodeProto,
        at: &At,
        index: usize,
    ) -> Result<(), ModelError> {
        let attrs = attributes(node, &["alpha"], at)?;
        inputs(node, 1, 1, at)?;
        let alpha = float_attr(&attrs, "alpha", LEAKY_RELU_DEFAULT_ALPHA);
        if !alpha.is_finite() {
            return Err(at.fail(format!("alpha is not finite ({alpha})")));
        }
        let n = self.features();
        self.end_layer(vec![alpha; n], index);
        Ok(())
    }

    /// `PRelu(X, slope)`: a constant slope that broadcasts to the data's
    /// shape (one per channel, shared, or one per entry).
    pub fn prelu(
        &mut self,
        node: &NodeProto,
        at: &At,
        data_pos: usize,
        index: usize,
    ) -> Result<(), ModelError> {
        attributes(node, &[], at)?;
        inputs(node, 2, 2, at)?;
        if data_pos != 0 {
            return Err(at.fail("reads the data as its slope: the data must be input 0"));
        }
        let name = &node.input[1];
        let slope = self.constant(name, at)?;
        let values = slope
            .floats(&format!("the slope `{name}`"))
            .map_err(|m| at.fail(m))?;
        let fits = broadcast(&self.shape, &slope.dims).is_some_and(|out| out == self.shape);
        if !fits {
            return Err(at.fail(format!(
                "the slope `{name}` of shape {:?} does not broadcast to the data's shape {:?}",
                slope.dims, self.shape
            )));
        }
        let alpha = expand(values, &slope.dims, &self.shape);
        if let Some(i) = alpha.iter().position(|v| !v.is_finite()) {
            return Err(at.fail(format!("slope entry {i} is not finite ({})", alpha[i])));
        }
        self.end_layer(alpha, index);
        Ok(())
    }
}
