//! The sliding window of `Conv` and `AveragePool`: kernel, strides,
//! dilations and padding (explicit `pads` or `auto_pad`), and which input
//! entry each output position sees at each kernel offset.

use crate::error::ModelError;
use crate::model::onnx::indexing::step;
use crate::model::onnx::node::At;
use crate::model::onnx::proto::AttributeProto;
use std::collections::HashMap;

/// A window over the spatial axes of an `[1, C, d1, d2, …]` input.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    pub kernel: Vec<usize>,
    pub strides: Vec<usize>,
    pub dilations: Vec<usize>,
    /// Padding before and after each spatial axis.
    pub pads: Vec<(usize, usize)>,
    /// The spatial input size.
    pub input: Vec<usize>,
    /// The spatial output size.
    pub output: Vec<usize>,
}

/// How many windows an axis of padded length `padded` holds for a window of
/// `span` and `stride`: `⌊(padded − span) / stride⌋ + 1`, or with `ceil`
/// (`AveragePool`'s `ceil_mode = 1`) `⌈(padded − span) / stride⌉ + 1`, less
/// one if that last window would start in the right padding (past
/// `input + pad_begin`), as ONNX (opset 19) and PyTorch define it.
fn window_count(padded: usize, span: usize, stride: usize, ceil: bool, inside_end: usize) -> usize {
    if !ceil {
        return (padded - span) / stride + 1;
    }
    let out = (padded - span).div_ceil(stride) + 1;
    if (out - 1) * stride >= inside_end {
        out - 1
    } else {
        out
    }
}

fn ints(attrs: &HashMap<&str, &AttributeProto>, name: &str) -> Option<Vec<i64>> {
    attrs.get(name).map(|a| a.ints.clone())
}

fn positive(values: Vec<i64>, what: &str, at: &At) -> Result<Vec<usize>, ModelError> {
    values
        .iter()
        .map(|&v| usize::try_from(v).ok().filter(|&v| v > 0))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| at.fail(format!("{what} {values:?} must be positive")))
}

impl Window {
    /// Reads `strides`, `dilations`, `pads` and `auto_pad` for a kernel of
    /// size `kernel` over a spatial input of size `input`.
    pub fn new(
        attrs: &HashMap<&str, &AttributeProto>,
        input: &[usize],
        kernel: Vec<usize>,
        at: &At,
    ) -> Result<Self, ModelError> {
        Self::with_ceil(attrs, input, kernel, false, at)
    }

    /// [`Window::new`], counting the windows with `ceil` (`ceil_mode = 1`):
    /// the last window may then reach past the padded input.
    pub fn with_ceil(
        attrs: &HashMap<&str, &AttributeProto>,
        input: &[usize],
        kernel: Vec<usize>,
        ceil: bool,
        at: &At,
    ) -> Result<Self, ModelError> {
        let r = input.len();
        let strides = positive(ints(attrs, "strides").unwrap_or(vec![1; r]), "strides", at)?;
        let dilations = positive(
            ints(attrs, "dilations").unwrap_or(vec![1; r]),
            "dilations",
            at,
        )?;
        if strides.len() != r || dilations.len() != r || kernel.len() != r {
            return Err(at.fail(format!(
                "kernel {kernel:?}, strides {strides:?} and dilations {dilations:?} must each have {r} entries (the spatial axes)"
            )));
        }
        let auto_pad = attrs
            .get("auto_pad")
            .and_then(|a| a.s.as_deref())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_else(|| "NOTSET".into());
        let span: Vec<usize> = (0..r).map(|k| (kernel[k] - 1) * dilations[k] + 1).collect();
        let pads: Vec<(usize, usize)> = match auto_pad.as_str() {
            "NOTSET" => {
                let p = ints(attrs, "pads").unwrap_or(vec![0; 2 * r]);
                if p.len() != 2 * r || p.iter().any(|&v| v < 0) {
                    return Err(
                        at.fail(format!("pads {p:?} must be {} non-negative numbers", 2 * r))
                    );
                }
                (0..r).map(|k| (p[k] as usize, p[k + r] as usize)).collect()
            }
            "VALID" => vec![(0, 0); r],
            "SAME_UPPER" | "SAME_LOWER" => (0..r)
                .map(|k| {
                    let out = input[k].div_ceil(strides[k]);
                    let total = ((out - 1) * strides[k] + span[k]).saturating_sub(input[k]);
                    let (small, big) = (total / 2, total - total / 2);
                    if auto_pad == "SAME_UPPER" {
                        (small, big)
                    } else {
                        (big, small)
                    }
                })
                .collect(),
            other => return Err(at.fail(format!("auto_pad `{other}` is not supported"))),
        };
        let mut output = Vec::with_capacity(r);
        for k in 0..r {
            let padded = input[k] + pads[k].0 + pads[k].1;
            if padded < span[k] {
                return Err(at.fail(format!(
                    "the window ({} wide with dilation) is larger than the padded input ({padded}) on spatial axis {k}",
                    span[k]
                )));
            }
            output.push(window_count(
                padded,
                span[k],
                strides[k],
                ceil,
                input[k] + pads[k].0,
            ));
        }
        Ok(Window {
            kernel,
            strides,
            dilations,
            pads,
            input: input.to_vec(),
            output,
        })
    }

    /// Calls `f(output position, kernel offset, input position)` for every
    /// output position and kernel offset (each counted row-major over the
    /// spatial axes); the input position is `None` in the padding.
    pub fn for_each(&self, mut f: impl FnMut(usize, usize, Option<usize>)) {
        let r = self.input.len();
        let out_total: usize = self.output.iter().product();
        let kernel_total: usize = self.kernel.iter().product();
        let mut o = vec![0usize; r];
        for out_flat in 0..out_total {
            let mut kk = vec![0usize; r];
            for kernel_flat in 0..kernel_total {
                let mut flat = 0usize;
                let mut inside = true;
                for a in 0..r {
                    let p = (o[a] * self.strides[a] + kk[a] * self.dilations[a]) as i64
                        - self.pads[a].0 as i64;
                    if p < 0 || p >= self.input[a] as i64 {
                        inside = false;
                        break;
                    }
                    flat = flat * self.input[a] + p as usize;
                }
                f(out_flat, kernel_flat, inside.then_some(flat));
                step(&mut kk, &self.kernel);
            }
            step(&mut o, &self.output);
        }
    }

    /// Per output position (row-major), how many kernel offsets fall inside
    /// the padded input (the input and its pads; with `ceil_mode` the last
    /// windows may reach past it): what `count_include_pad = 1` divides by.
    pub fn padded_counts(&self) -> Vec<usize> {
        let r = self.input.len();
        let out_total: usize = self.output.iter().product();
        let mut o = vec![0usize; r];
        let mut counts = Vec::with_capacity(out_total);
        for _ in 0..out_total {
            let count = (0..r)
                .map(|a| {
                    let end = self.input[a] + self.pads[a].0 + self.pads[a].1;
                    (0..self.kernel[a])
                        .filter(|&k| o[a] * self.strides[a] + k * self.dilations[a] < end)
                        .count()
                })
                .product();
            counts.push(count);
            step(&mut o, &self.output);
        }
        counts
    }

    /// `kernel [3, 3], strides [1, 1], pads [1, 1, 1, 1], dilations [1, 1]`.
    pub fn describe(&self) -> String {
        let (begin, end): (Vec<usize>, Vec<usize>) = self.pads.iter().copied().unzip();
        format!(
            "kernel {:?}, strides {:?}, pads {:?}, dilations {:?}",
            self.kernel,
            self.strides,
            [begin, end].concat(),
            self.dilations
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn at() -> At<'static> {
        At {
            path: Path::new("m.onnx"),
            index: 0,
            name: "conv",
            op: "Conv",
        }
    }

    fn attr_ints(name: &str, v: &[i64]) -> AttributeProto {
        AttributeProto {
            name: Some(name.into()),
            ints: v.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn sizes_follow_the_onnx_formulas() {
        let strides = attr_ints("strides", &[2]);
        let pads = attr_ints("pads", &[1, 0]);
        let attrs = HashMap::from([("strides", &strides), ("pads", &pads)]);
        // (7 + 1 + 0 − 3) / 2 + 1 = 3 outputs, reading −1..1, 1..3, 3..5.
        let w = Window::new(&attrs, &[7], vec![3], &at()).unwrap();
        assert_eq!(w.output, vec![3]);
        let mut seen = Vec::new();
        w.for_each(|o, k, i| seen.push((o, k, i)));
        assert_eq!(seen[..3], [(0, 0, None), (0, 1, Some(0)), (0, 2, Some(1))]);
        assert_eq!(seen[8], (2, 2, Some(5)));
        // SAME_UPPER, stride 2 on 5: 3 outputs, total padding 2 split 1 + 1.
        let same = AttributeProto {
            name: Some("auto_pad".into()),
            s: Some(b"SAME_UPPER".to_vec()),
            ..Default::default()
        };
        let attrs = HashMap::from([("strides", &strides), ("auto_pad", &same)]);
        let w = Window::new(&attrs, &[5], vec![3], &at()).unwrap();
        assert_eq!((w.output.clone(), w.pads.clone()), (vec![3], vec![(1, 1)]));
    }

    #[test]
    fn ceil_mode_counts_a_last_partial_window_unless_it_starts_in_the_padding() {
        // 7 + 1 padded to 8, kernel 3, stride 2: floor 5/2 + 1 = 3 windows,
        // ceil 4, the last reading 6..8, of which 6 and 7 are in the padded
        // input: count_include_pad divides it by 2 (per axis).
        let strides = attr_ints("strides", &[2]);
        let pads = attr_ints("pads", &[1, 0]);
        let attrs = HashMap::from([("strides", &strides), ("pads", &pads)]);
        let floor = Window::new(&attrs, &[7], vec![3], &at()).unwrap();
        let ceil = Window::with_ceil(&attrs, &[7], vec![3], true, &at()).unwrap();
        assert_eq!((floor.output, ceil.output.clone()), (vec![3], vec![4]));
        assert_eq!(ceil.padded_counts(), vec![3, 3, 3, 2]);
        // 4 + 2 padded at the end, kernel 2, stride 3: ceil 4/3 + 1 = 3, but
        // the third window would start at 6, in the right padding (past
        // 4 + 0): dropped, as ONNX (opset 19) and PyTorch define it.
        let strides = attr_ints("strides", &[3]);
        let pads = attr_ints("pads", &[0, 2]);
        let attrs = HashMap::from([("strides", &strides), ("pads", &pads)]);
        let ceil = Window::with_ceil(&attrs, &[4], vec![2], true, &at()).unwrap();
        assert_eq!(ceil.output, vec![2]);
    }
}
