//! `AveragePool` and `GlobalAveragePool`: each output is the mean of a
//! window of its channel, a linear map folded into the layer.

use crate::error::ModelError;
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, inputs, int_attr, At};
use crate::model::onnx::proto::NodeProto;
use crate::model::onnx::window::Window;
use std::collections::HashMap;

impl Chain<'_> {
    pub fn average_pool(&mut self, node: &NodeProto, at: &At) -> Result<(), ModelError> {
        inputs(node, 1, 1, at)?;
        let [1, channels, ref spatial @ ..] = self.shape[..] else {
            return Err(at.fail(format!(
                "the data has shape {:?}: pooling needs one sample [1, C, d1, …]",
                self.shape
            )));
        };
        let spatial = spatial.to_vec();
        let global = at.op == "GlobalAveragePool";
        let (window, include_pad, ceil) = if global {
            attributes(node, &[], at)?;
            (
                Window::new(&HashMap::new(), &spatial, spatial.clone(), at)?,
                false,
                false,
            )
        } else {
            let attrs = attributes(
                node,
                &[
                    "auto_pad",
                    "ceil_mode",
                    "count_include_pad",
                    "dilations",
                    "kernel_shape",
                    "pads",
                    "strides",
                ],
                at,
            )?;
            let kernel: Vec<usize> = attrs
                .get("kernel_shape")
                .ok_or_else(|| at.fail("no kernel_shape"))?
                .ints
                .iter()
                .map(|&k| usize::try_from(k).unwrap_or(0))
                .collect();
            if kernel.contains(&0) {
                return Err(at.fail(format!("kernel_shape {kernel:?} must be positive")));
            }
            let include_pad = int_attr(&attrs, "count_include_pad", 0) != 0;
            let ceil = int_attr(&attrs, "ceil_mode", 0) != 0;
            (
                Window::with_ceil(&attrs, &spatial, kernel, ceil, at)?,
                include_pad,
                ceil,
            )
        };
        let n = self.features();
        let in_size: usize = spatial.iter().product();
        let out_size: usize = window.output.iter().product();
        // Per output position: the input positions it averages.
        let mut windows: Vec<Vec<usize>> = vec![Vec::new(); out_size];
        window.for_each(|o, _, i| windows[o].extend(i));
        // With count_include_pad, a window counts its entries in the padded
        // input: the whole kernel, but for a last window that `ceil_mode`
        // lets reach past the padding.
        let padded_counts = window.padded_counts();
        let rows = channels * out_size;
        let mut weight = vec![0.0; rows * n];
        for (o, seen) in windows.iter().enumerate() {
            if seen.is_empty() {
                return Err(at.fail(format!("output position {o} averages padding only")));
            }
            let count = if include_pad {
                padded_counts[o]
            } else {
                seen.len()
            } as f64;
            for c in 0..channels {
                for &i in seen {
                    weight[(c * out_size + o) * n + c * in_size + i] += 1.0 / count;
                }
            }
        }
        self.pending.linear(rows, n, weight);
        let before = self.shape.clone();
        self.shape = [vec![1, channels], window.output.clone()].concat();
        let how = if global {
            String::new()
        } else {
            let ceil = if ceil { ", ceil_mode 1" } else { "" };
            let pad = if include_pad { ", pads counted" } else { "" };
            format!(" ({}{ceil}{pad})", window.describe())
        };
        let what = format!(
            "averages {before:?} to {:?}{how} as a {rows} × {n} linear map, folded",
            self.shape
        );
        self.note(at, what);
        Ok(())
    }
}
