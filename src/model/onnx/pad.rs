//! `Pad`: the data's entries in a larger (or, with negative pads, smaller)
//! tensor, the new entries a constant (`constant` mode), the nearest edge
//! entry (`edge`), or the mirror image without repeating the edge
//! (`reflect`). Each is an affine map folded into the layer.

use crate::error::ModelError;
use crate::model::onnx::indexing::{step, strides};
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, float_attr, inputs, At};
use crate::model::onnx::proto::NodeProto;

impl Chain<'_> {
    pub fn pad(&mut self, node: &NodeProto, at: &At) -> Result<(), ModelError> {
        let attrs = attributes(node, &["mode", "pads", "value"], at)?;
        inputs(node, 1, 4, at)?;
        if node.input[0] != self.current {
            return Err(at.fail("the data must be the first input"));
        }
        let mode = attrs
            .get("mode")
            .and_then(|a| a.s.as_deref())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_else(|| "constant".into());
        if !["constant", "edge", "reflect"].contains(&mode.as_str()) {
            return Err(at.fail(format!(
                "mode `{mode}` is not supported yet: only constant, edge and reflect padding"
            )));
        }
        let rank = self.shape.len();
        let optional = |k: usize| node.input.get(k).filter(|s| !s.is_empty());
        let (pads, value, axes) = match attrs.get("pads") {
            // Before opset 11: pads and value are attributes.
            Some(a) => (a.ints.clone(), float_attr(&attrs, "value", 0.0), None),
            None => {
                let pads_name = optional(1).ok_or_else(|| at.fail("no pads"))?;
                let pads = self
                    .constant(pads_name, at)?
                    .ints("the pads")
                    .map_err(|m| at.fail(m))?
                    .to_vec();
                let value = match optional(2) {
                    Some(v) => {
                        let t = self.constant(v, at)?;
                        match t.floats("the constant value").map_err(|m| at.fail(m))? {
                            [v] => *v,
                            other => {
                                return Err(at.fail(format!(
                                    "the constant value has {} entries, not one",
                                    other.len()
                                )))
                            }
                        }
                    }
                    None => 0.0,
                };
                let axes = match optional(3) {
                    Some(a) => Some(
                        self.constant(a, at)?
                            .ints("the axes")
                            .map_err(|m| at.fail(m))?
                            .to_vec(),
                    ),
                    None => None,
                };
                (pads, value, axes)
            }
        };
        let axes: Vec<usize> = match axes {
            Some(a) => a
                .iter()
                .map(|&x| {
                    let x = if x < 0 { x + rank as i64 } else { x };
                    usize::try_from(x)
                        .ok()
                        .filter(|&x| x < rank)
                        .ok_or_else(|| at.fail(format!("axis {x} is out of range")))
                })
                .collect::<Result<_, _>>()?,
            None => (0..rank).collect(),
        };
        if pads.len() != 2 * axes.len() {
            return Err(at.fail(format!(
                "pads {pads:?} must have {} entries",
                2 * axes.len()
            )));
        }
        let mut begin = vec![0i64; rank];
        let mut end = vec![0i64; rank];
        for (k, &a) in axes.iter().enumerate() {
            begin[a] = pads[k];
            end[a] = pads[k + axes.len()];
        }
        let mut out = Vec::with_capacity(rank);
        for a in 0..rank {
            let d = self.shape[a] as i64 + begin[a] + end[a];
            if d <= 0 {
                return Err(at.fail(format!(
                    "pads {pads:?} leave nothing of axis {a} (length {})",
                    self.shape[a]
                )));
            }
            out.push(d as usize);
        }
        let in_strides = strides(&self.shape);
        let total: usize = out.iter().product();
        let mut src = Vec::with_capacity(total);
        let mut index = vec![0usize; rank];
        for _ in 0..total {
            let mut flat = Some(0usize);
            for a in 0..rank {
                let d = self.shape[a] as i64;
                let p = source(&mode, index[a] as i64 - begin[a], d);
                flat = match (flat, p) {
                    (Some(f), Some(p)) => Some(f + p as usize * in_strides[a]),
                    _ => None,
                };
            }
            src.push(flat);
            step(&mut index, &out);
        }
        let n = self.features();
        self.pending.gather(n, &src, value);
        let before = std::mem::replace(&mut self.shape, out);
        let what = match mode.as_str() {
            "constant" => format!("pads {before:?} to {:?} with {value}, folded", self.shape),
            _ => format!("pads {before:?} to {:?} ({mode}), folded", self.shape),
        };
        self.note(at, what);
        Ok(())
    }
}

/// The input index that output index `p` (counted from the input's start)
/// copies along an axis of length `d`, or `None` for the constant.
fn source(mode: &str, p: i64, d: i64) -> Option<i64> {
    if (0..d).contains(&p) {
        return Some(p);
    }
    match mode {
        "edge" => Some(p.clamp(0, d - 1)),
        // Mirror in the edge entries without repeating them: period
        // 2(d − 1), as numpy's `reflect` (a single entry repeats).
        "reflect" if d == 1 => Some(0),
        "reflect" => {
            let period = 2 * (d - 1);
            let m = p.rem_euclid(period);
            Some(if m < d { m } else { period - m })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::source;

    #[test]
    fn edge_and_reflect_follow_numpy() {
        // numpy.pad(range(3), 4, mode): edge 0 0 0 0 | 0 1 2 | 2 2 2 2,
        // reflect 0 1 2 1 | 0 1 2 | 1 0 1 2.
        let row = |mode| {
            (-4..7)
                .map(|p| source(mode, p, 3).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(row("edge"), [0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2]);
        assert_eq!(row("reflect"), [0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2]);
        assert_eq!(source("constant", -1, 3), None);
        assert_eq!(source("reflect", 5, 1), Some(0));
    }
}
