//! Residual connections: a graph whose values branch and join again (`Add`,
//! `Sub`, `Sum` or `Concat` of two values computed from the input), read as
//! a plain chain of layers (docs/models.md, "Residual connections").
//!
//! Every data value is an affine map of the *state*: the output of the last
//! hidden layer (the input before the first). The loader follows one value
//! at a time (`Chain::current`); a value that a later node reads too is
//! *held* beside it, as its own map of the state. A join adds (or stacks)
//! the maps of its operands, which is exact: both are affine in the same
//! state. When a hidden layer ends the current value, every held value that
//! a later node still reads is carried through that layer by neurons of
//! slope 1 (linear: no kink, so no hyperplane and no test; docs/design.md §1),
//! and becomes a map of the new state again. A skip over the input, or over
//! a layer's output, is thus one more block of linear neurons per layer it
//! skips, and the regions are those of the ReLU (or leaky) neurons only.

use crate::error::ModelError;
use crate::model::affine::Affine;
use crate::model::network::{Activation, LayerSpec, LINEAR_SLOPE};
use crate::model::onnx::affine_chain::AffineChain;
use crate::model::onnx::loader::Chain;
use crate::model::onnx::node::{attributes, int_attr, At};
use crate::model::onnx::proto::NodeProto;

/// A value the chain computed and a later node reads.
#[derive(Debug, Clone)]
pub(crate) struct Held {
    /// The node that computed it (`None`: the input), which orders the
    /// blocks of carried values.
    pub from: Option<usize>,
    /// Its map of the state.
    pub pending: AffineChain,
    /// Its shape.
    pub shape: Vec<usize>,
    /// Its element type.
    pub elem: i32,
    /// Whether it is the output of a linear step (a bias `Add` may follow).
    pub after_linear: bool,
}

impl Chain<'_> {
    /// Whether a live node after node `index` reads `value`.
    fn read_after(&self, value: &str, index: usize) -> bool {
        self.flow.readers(value).iter().any(|&k| k > index)
    }

    /// The current value as a held one.
    fn snapshot(&self) -> Held {
        Held {
            from: self.flow.producer.get(&self.current).copied().flatten(),
            pending: self.pending.clone(),
            shape: self.shape.clone(),
            elem: self.elem,
            after_linear: self.after_linear,
        }
    }

    /// Before node `index`: holds the current value if a later node reads
    /// it too, and makes `value` (a held value the node reads) the current
    /// one. Nothing changes on a plain chain.
    pub fn go_to(&mut self, value: &str, index: usize) {
        if self.read_after(&self.current, index) && !self.held.contains_key(&self.current) {
            self.held.insert(self.current.clone(), self.snapshot());
        }
        if value == self.current {
            return;
        }
        let Some(h) = self.held.get(value).cloned() else {
            return;
        };
        self.current = value.to_string();
        self.pending = h.pending;
        self.shape = h.shape;
        self.elem = h.elem;
        self.after_linear = h.after_linear;
    }

    /// The map of `value` (the current or a held one) of the state, dense.
    fn map_of(&self, value: &str, at: &At) -> Result<(Affine, Vec<usize>), ModelError> {
        let (pending, shape) = if value == self.current {
            (&self.pending, &self.shape)
        } else {
            let h = self.held.get(value).ok_or_else(|| {
                at.fail(format!(
                    "reads `{value}`, which is not computed on the chain of layers"
                ))
            })?;
            (&h.pending, &h.shape)
        };
        let n: usize = shape.iter().product();
        Ok((pending.clone().take(n), shape.clone()))
    }

    /// A node reading two or more values computed from the input: `Add`,
    /// `Sub` and `Sum` of equal shapes, `Concat` along an axis. Its result
    /// becomes the current value.
    pub fn join(&mut self, node: &NodeProto, at: &At, reads: &[String]) -> Result<(), ModelError> {
        let maps = node
            .input
            .iter()
            .map(|i| self.map_of(i, at))
            .collect::<Result<Vec<_>, _>>()?;
        let (map, shape) = match at.op {
            "Add" | "Sub" | "Sum" => {
                attributes(node, &[], at)?;
                let shape = maps[0].1.clone();
                if let Some((_, other)) = maps.iter().find(|(_, s)| *s != shape) {
                    return Err(at.fail(format!(
                        "joins values of shapes {shape:?} and {other:?}: a join of two values computed from the input needs equal shapes"
                    )));
                }
                let sign = |k: usize| if at.op == "Sub" && k > 0 { -1.0 } else { 1.0 };
                let (rows, cols) = (maps[0].0.rows(), maps[0].0.cols());
                let mut weight = vec![0.0; rows * cols];
                let mut bias = vec![0.0; rows];
                for (k, (m, _)) in maps.iter().enumerate() {
                    for (w, v) in weight.iter_mut().zip(m.weight()) {
                        *w += sign(k) * v;
                    }
                    for (b, v) in bias.iter_mut().zip(m.bias()) {
                        *b += sign(k) * v;
                    }
                }
                (Affine::new(rows, cols, weight, bias), shape)
            }
            "Concat" => concat(node, at, &maps)?,
            _ => return Err(self.join_error(node, at, reads)),
        };
        let what = format!(
            "{} {}, folded",
            match at.op {
                "Concat" => "concatenates",
                "Sub" => "subtracts",
                _ => "adds",
            },
            reads
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        );
        self.shape = shape;
        self.pending = AffineChain::Dense(map);
        self.after_linear = false;
        self.note(at, what);
        Ok(())
    }

    /// The error at a node that reads two values computed from the input
    /// but is not affine in them.
    fn join_error(&self, node: &NodeProto, at: &At, reads: &[String]) -> ModelError {
        let _ = node;
        at.fail(format!(
            "reads {} together, which are both computed from the input: only Add, Sub, Sum and Concat join two such values (they are affine); a product of two is not piecewise-linear",
            reads
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        ))
    }

    /// Ends a hidden layer on the current value with negative-side slopes
    /// `alpha` (all 0 for ReLU), carrying every held value that a node after
    /// `index` reads through it by linear neurons.
    pub fn end_layer(&mut self, alpha: Vec<f64>, index: usize) {
        let n = self.features();
        let mut carried: Vec<(String, Held)> = self
            .held
            .drain()
            .filter(|(v, _)| self.flow.readers(v).iter().any(|&k| k > index))
            .collect();
        carried.sort_by_key(|(v, h)| (h.from, v.clone()));
        let own = self.pending.take(n);
        if carried.is_empty() {
            let activation = if alpha.iter().all(|&a| a == 0.0) {
                Activation::Relu
            } else {
                Activation::Leaky(alpha)
            };
            self.layers.push(LayerSpec {
                affine: own,
                activation,
            });
            return;
        }
        let cols = own.cols();
        let mut weight = own.weight().to_vec();
        let mut bias = own.bias().to_vec();
        let mut slopes = alpha;
        let mut blocks = Vec::with_capacity(carried.len());
        let mut start = n;
        for (name, h) in carried {
            let size: usize = h.shape.iter().product();
            let map = h.pending.clone().take(size);
            weight.extend_from_slice(map.weight());
            bias.extend_from_slice(map.bias());
            slopes.extend(vec![LINEAR_SLOPE; size]);
            blocks.push((name, h, start, size));
            start += size;
        }
        debug_assert_eq!(weight.len(), start * cols);
        self.layers.push(LayerSpec {
            affine: Affine::new(start, cols, weight, bias),
            activation: Activation::Leaky(slopes),
        });
        self.pending = AffineChain::Dense(selection(start, 0, n));
        for (name, h, first, size) in blocks {
            self.held.insert(
                name,
                Held {
                    pending: AffineChain::Dense(selection(start, first, size)),
                    after_linear: false,
                    ..h
                },
            );
        }
    }
}

/// The map picking entries `first..first + size` of a state of `width`.
fn selection(width: usize, first: usize, size: usize) -> Affine {
    let mut weight = vec![0.0; size * width];
    for i in 0..size {
        weight[i * width + first + i] = 1.0;
    }
    Affine::new(size, width, weight, vec![0.0; size])
}

/// `Concat` of the maps (row-major values of their shapes) along `axis`.
fn concat(
    node: &NodeProto,
    at: &At,
    maps: &[(Affine, Vec<usize>)],
) -> Result<(Affine, Vec<usize>), ModelError> {
    let attrs = attributes(node, &["axis"], at)?;
    let rank = maps[0].1.len() as i64;
    let axis = int_attr(&attrs, "axis", 0);
    let axis = if axis < 0 { axis + rank } else { axis };
    if !(0..rank).contains(&axis) {
        return Err(at.fail(format!("axis {axis} is out of range for rank {rank}")));
    }
    let axis = axis as usize;
    let mut shape = maps[0].1.clone();
    for (_, s) in &maps[1..] {
        let same_elsewhere = s.len() == shape.len()
            && s.iter()
                .zip(&shape)
                .enumerate()
                .all(|(k, (a, b))| k == axis || a == b);
        if !same_elsewhere {
            return Err(at.fail(format!(
                "concatenates shapes {:?} and {s:?} along axis {axis}: they must agree elsewhere",
                maps[0].1
            )));
        }
        shape[axis] += s[axis];
    }
    // Row-major: an outer index (axes before `axis`), then each input's
    // block of `s[axis] × inner` entries in turn.
    let outer: usize = shape[..axis].iter().product();
    let inner: usize = shape[axis + 1..].iter().product();
    let cols = maps[0].0.cols();
    let mut weight = Vec::with_capacity(shape.iter().product::<usize>() * cols);
    let mut bias = Vec::new();
    for o in 0..outer {
        for (m, s) in maps {
            let block = s[axis] * inner;
            for r in o * block..(o + 1) * block {
                weight.extend_from_slice(m.row(r));
                bias.push(m.bias()[r]);
            }
        }
    }
    let rows = bias.len();
    Ok((Affine::new(rows, cols, weight, bias), shape))
}
