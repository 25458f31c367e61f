//! `Conv`, folded exactly into the layer's affine map: each output entry is
//! a weighted sum of input entries, so the convolution is a (sparse) matrix
//! from the `C·d1·d2·…` input entries to the `M·o1·o2·…` output entries,
//! plus the bias of each output channel. Any number of spatial axes, stride,
//! padding (`pads` or `auto_pad`), dilation and groups.

use crate::error::ModelError;
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, inputs, int_attr, At};
use crate::model::onnx::proto::NodeProto;
use crate::model::onnx::window::Window;

impl Chain<'_> {
    pub fn conv(&mut self, node: &NodeProto, at: &At) -> Result<(), ModelError> {
        let attrs = attributes(
            node,
            &[
                "auto_pad",
                "dilations",
                "group",
                "kernel_shape",
                "pads",
                "strides",
            ],
            at,
        )?;
        inputs(node, 2, 3, at)?;
        if node.input[0] != self.current {
            return Err(
                at.fail("the data must be the first input X; the weight W must be a constant")
            );
        }
        let [1, channels, ref spatial @ ..] = self.shape[..] else {
            return Err(at.fail(format!(
                "the data has shape {:?}: Conv needs one sample [1, C, d1, …]",
                self.shape
            )));
        };
        if spatial.is_empty() {
            return Err(at.fail("Conv needs at least one spatial axis"));
        }
        let name = &node.input[1];
        let w = self.constant(name, at)?;
        let values = w
            .floats(&format!("the weight `{name}`"))
            .map_err(|m| at.fail(m))?;
        let groups = usize::try_from(int_attr(&attrs, "group", 1))
            .ok()
            .filter(|&g| g > 0)
            .ok_or_else(|| at.fail("group must be positive"))?;
        let [maps, per_group, ref kernel @ ..] = w.dims[..] else {
            return Err(at.fail(format!("the weight `{name}` has shape {:?}", w.dims)));
        };
        if kernel.len() != spatial.len()
            || channels % groups != 0
            || maps % groups != 0
            || per_group != channels / groups
        {
            return Err(at.fail(format!(
                "the weight `{name}` of shape {:?} does not fit data of shape {:?} in {groups} group(s)",
                w.dims, self.shape
            )));
        }
        if let Some(k) = attrs.get("kernel_shape") {
            if k.ints
                .iter()
                .map(|&v| v as usize)
                .ne(kernel.iter().copied())
            {
                return Err(at.fail(format!(
                    "kernel_shape {:?} differs from the weight's {kernel:?}",
                    k.ints
                )));
            }
        }
        let window = Window::new(&attrs, spatial, kernel.to_vec(), at)?;
        let bias = match node.input.get(2).filter(|s| !s.is_empty()) {
            Some(b) => {
                let t = self.constant(b, at)?;
                let v = t
                    .floats(&format!("the bias `{b}`"))
                    .map_err(|m| at.fail(m))?
                    .to_vec();
                if v.len() != maps {
                    return Err(at.fail(format!(
                        "the bias `{b}` has {} entries for {maps} output channels",
                        v.len()
                    )));
                }
                v
            }
            None => vec![0.0; maps],
        };
        let n = self.features();
        let in_size: usize = spatial.iter().product();
        let out_size: usize = window.output.iter().product();
        let kernel_size: usize = kernel.iter().product();
        let rows = maps * out_size;
        let mut weight = vec![0.0; rows * n];
        let maps_per_group = maps / groups;
        window.for_each(|o, k, i| {
            let Some(i) = i else { return };
            for m in 0..maps {
                let g = m / maps_per_group;
                for c in 0..per_group {
                    let v = values[(m * per_group + c) * kernel_size + k];
                    let column = (g * per_group + c) * in_size + i;
                    weight[(m * out_size + o) * n + column] += v;
                }
            }
        });
        self.pending.linear(rows, n, weight);
        let shift: Vec<f64> = bias
            .iter()
            .flat_map(|&b| std::iter::repeat_n(b, out_size))
            .collect();
        self.pending.diagonal(|v, _| v, &shift);
        let before = self.shape.clone();
        self.shape = [vec![1, maps], window.output.clone()].concat();
        let what = format!(
            "convolution of {before:?} to {:?} ({}, group {groups}) as a {rows} × {n} affine map, folded",
            self.shape,
            window.describe()
        );
        self.note(at, what);
        self.after_linear = true;
        Ok(())
    }
}
