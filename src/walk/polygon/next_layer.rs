//! The next layer's pre-activations on the children of one cell, each
//! computed from the previous child's by the neurons whose bits differ.
//!
//! A cell's children (the pieces a layer cuts it into) differ from one
//! another only in which of the layer's neurons are on, and in tree order
//! neighbouring children differ in a few neurons. With `z` the layer's
//! pre-activations on the cell and `W` the next layer, a child with bits
//! `b` has `W diag(b) z + c`; turning neuron `j` on adds `W[:, j] z_j`, and
//! off subtracts it. So a child costs `n_next × (changed bits) × 3`
//! multiply-adds instead of `n_next × n × 3`: on a 2-input [64, 64, 64]
//! net, a few instead of 64 per row.
//!
//! The sums are rounded in a different order from the direct product, by
//! at most a few units of `f64::EPSILON` of the largest terms per update;
//! the rows' error bound (`SAME_MAP_RELATIVE` times the unmasked absolute
//! bound, `split.rs`) covers [`MAX_UPDATES`] of them with a wide margin,
//! after which the next child is computed directly again. A row that is
//! zero because every input it weighs is off is recognised structurally
//! (`split.rs`), not from these sums.

use crate::model::affine::{norm, Affine};
use crate::walk::pre_activation::PreActivations;
use crate::walk::tree::current_subtree;
use std::sync::Mutex;

/// Updates in a row before a child is computed directly again: far below
/// the `1e-9 / 1.1e-16 ≈ 10^7` updates the error bound would allow.
const MAX_UPDATES: usize = 256;

/// The last child's next-layer pre-activations, for the next child.
pub(crate) struct NextLayer {
    /// One per frontier subtree that has split a child of the cell.
    last: Mutex<Vec<Last>>,
}

struct Last {
    /// The frontier subtree it was computed in (`tree::current_subtree`).
    subtree: usize,
    bits: Vec<bool>,
    z: Affine,
    terms: Vec<f64>,
    updates: usize,
}

impl NextLayer {
    /// No child yet.
    pub fn new() -> Self {
        NextLayer {
            last: Mutex::new(Vec::new()),
        }
    }

    /// The pre-activations of `weights` (the next layer, whose slopes are
    /// `slopes.1`) on the child with `bits`, of a cell whose layer's
    /// pre-activations are `z` (that layer's slopes are `slopes.0`). A
    /// layer with a leaky neuron (slope ≠ 0) is always computed directly.
    pub fn child(
        &self,
        weights: &Affine,
        z: &Affine,
        bits: &[bool],
        slopes: (&[f64], &[f64]),
    ) -> PreActivations {
        let (alpha, next_slopes) = slopes;
        // Only the last child of the same frontier subtree is reused, so
        // that every run computes each child the same way (the order of
        // subtrees on threads varies; the order within one does not).
        let subtree = current_subtree().filter(|_| alpha.iter().all(|&a| a == 0.0));
        let Some(subtree) = subtree else {
            let (next, terms) = direct_product(weights, z, bits, alpha);
            return PreActivations::from_parts(next, terms, next_slopes);
        };
        let mut lasts = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let found = lasts.iter().position(|l| l.subtree == subtree);
        let changed: Vec<usize> = match found {
            Some(at) => (0..bits.len())
                .filter(|&j| lasts[at].bits[j] != bits[j])
                .collect(),
            None => Vec::new(),
        };
        let direct = match found {
            None => true,
            Some(at) => {
                lasts[at].updates + changed.len() > MAX_UPDATES || 2 * changed.len() > bits.len()
            }
        };
        if direct {
            let (next, terms) = direct_product(weights, z, bits, alpha);
            let fresh = Last {
                subtree,
                bits: bits.to_vec(),
                z: next.clone(),
                terms: terms.clone(),
                updates: 0,
            };
            match found {
                Some(at) => lasts[at] = fresh,
                None => lasts.push(fresh),
            }
            return PreActivations::from_parts(next, terms, next_slopes);
        }
        let l = &mut lasts[found.expect("not direct")];
        let k = z.cols();
        let (weight, bias) = l.z.parts_mut();
        for &j in &changed {
            let sign = if bits[j] { 1.0 } else { -1.0 };
            let (row, c) = (z.row(j), z.bias()[j]);
            let size = norm(row) + c.abs();
            for i in 0..weights.rows() {
                let w = weights.row(i)[j];
                if w == 0.0 {
                    continue;
                }
                let sw = sign * w;
                for (o, v) in weight[i * k..(i + 1) * k].iter_mut().zip(row) {
                    *o += sw * v;
                }
                bias[i] += sw * c;
                l.terms[i] += sign * w.abs() * size;
            }
            l.bits[j] = bits[j];
        }
        l.updates += changed.len();
        PreActivations::from_parts(l.z.clone(), l.terms.clone(), next_slopes)
    }
}

/// `W diag(bits) z + c` and its rows' term sizes, as `PreActivations::new`
/// computes them from the activated map (the same sums in the same order,
/// so the same floats), skipping the neurons that are off with slope 0. An
/// off neuron with slope `α ≠ 0` enters as `α z_j`.
fn direct_product(
    weights: &Affine,
    z: &Affine,
    bits: &[bool],
    slopes: &[f64],
) -> (Affine, Vec<f64>) {
    let (n, k) = (weights.rows(), z.cols());
    let scaled: Vec<(Vec<f64>, f64)> = (0..z.rows())
        .map(|j| match (bits[j], slopes[j]) {
            (false, a) if a != 0.0 && a != 1.0 => {
                (z.row(j).iter().map(|v| v * a).collect(), z.bias()[j] * a)
            }
            _ => (Vec::new(), 0.0),
        })
        .collect();
    let on: Vec<(usize, &[f64], f64, f64)> = (0..z.rows())
        .filter(|&j| bits[j] || slopes[j] != 0.0)
        .map(|j| {
            let (row, c) = if scaled[j].0.is_empty() {
                (z.row(j), z.bias()[j])
            } else {
                (scaled[j].0.as_slice(), scaled[j].1)
            };
            (j, row, c, norm(row) + c.abs())
        })
        .collect();
    let mut weight = vec![0.0; n * k];
    let mut bias = weights.bias().to_vec();
    let mut terms = Vec::with_capacity(n);
    for i in 0..n {
        let w = weights.row(i);
        let out = &mut weight[i * k..(i + 1) * k];
        // Sums kept in locals, not stored back at every term (a chain of
        // stores and loads was most of this function's time); the same
        // sums in the same order.
        let (mut b, mut size) = (bias[i], 0.0);
        if k == 2 {
            let (mut o0, mut o1) = (0.0, 0.0);
            for &(j, row, c, s) in &on {
                let wij = w[j];
                if wij == 0.0 {
                    continue;
                }
                o0 += wij * row[0];
                o1 += wij * row[1];
                b += wij * c;
                size += wij.abs() * s;
            }
            out[0] = o0;
            out[1] = o1;
        } else {
            for &(j, row, c, s) in &on {
                let wij = w[j];
                if wij == 0.0 {
                    continue;
                }
                for (o, v) in out.iter_mut().zip(row) {
                    *o += wij * v;
                }
                b += wij * c;
                size += wij.abs() * s;
            }
        }
        bias[i] = b;
        terms.push(size + weights.bias()[i].abs());
    }
    (Affine::new(n, k, weight, bias), terms)
}
