//! A hidden layer's pre-activations on a cell, as affine functions of the
//! working coordinates, with the size of the terms each row sums: the scale
//! of the zero-row test (docs/design.md §1's zero convention, `ZERO_ROW_RELATIVE`).
//! The walk and the neighbour rule decide "this neuron is constant here" with
//! the same code, so they agree on every such neuron. A linear neuron (slope
//! 1, no kink) counts as constant and on wherever it is.

use crate::model::affine::{norm, Affine};
use crate::model::network::LINEAR_SLOPE;
use crate::tolerance::ZERO_ROW_RELATIVE;

/// `z = W m + b` for a layer `(W, b)` and the previous layer's output `m` on a cell.
pub(crate) struct PreActivations {
    /// The pre-activations as a map of the working coordinates.
    pub z: Affine,
    /// Per row `i`: `Σ_j |w_ij| (‖m_j‖ + |m_j(0)|) + |b_i|`, the size of the
    /// terms whose sum is row `i` of `z`.
    terms: Vec<f64>,
    /// Per row: whether the neuron is linear (no kink).
    linear: Vec<bool>,
}

/// Which neurons of a layer with negative-side slopes `slopes` are linear.
fn linear_of(slopes: &[f64]) -> Vec<bool> {
    slopes.iter().map(|&a| a == LINEAR_SLOPE).collect()
}

/// Rows of `W` whose term sizes are summed together in [`term_sizes`].
const ROWS_AT_ONCE: usize = 8;

/// Per row `i` of `weights`: `Σ_j |w_ij| s_j + |b_i|`, summed over `j` in
/// order. Terms with `s_j = 0` (inputs masked off by the previous layer's
/// pattern, about half) are skipped: adding `+0` moves no sum but the sign
/// of a zero, which the `+ |b_i|` at the end makes `+0` either way. Rows
/// are summed `ROWS_AT_ONCE` at a time, so that their chains of adds run
/// side by side rather than one after another (a row's own chain is the
/// same: its sum is bit for bit the plain loop's).
fn term_sizes(weights: &Affine, sizes: &[f64]) -> Vec<f64> {
    let live: Vec<(usize, f64)> = sizes
        .iter()
        .enumerate()
        .filter(|&(_, &s)| s != 0.0)
        .map(|(j, &s)| (j, s))
        .collect();
    let (n, m) = (weights.rows(), weights.cols());
    let w = weights.weight();
    let mut terms = Vec::with_capacity(n);
    for first in (0..n).step_by(ROWS_AT_ONCE) {
        let rows = ROWS_AT_ONCE.min(n - first);
        let mut sums = [0.0; ROWS_AT_ONCE];
        for &(j, s) in &live {
            for (t, sum) in sums[..rows].iter_mut().enumerate() {
                *sum += w[(first + t) * m + j].abs() * s;
            }
        }
        terms.extend((0..rows).map(|t| sums[t] + weights.bias()[first + t].abs()));
    }
    terms
}

impl PreActivations {
    /// The pre-activations of `weights` after `input` (the output of the
    /// previous hidden layer on the cell, activated by its pattern), for a
    /// layer whose neurons have negative-side slopes `slopes`.
    pub fn new(weights: &Affine, input: &Affine, slopes: &[f64]) -> Self {
        let z = weights.after(input);
        let input_sizes: Vec<f64> = (0..input.rows())
            .map(|j| norm(input.row(j)) + input.bias()[j].abs())
            .collect();
        let terms = term_sizes(weights, &input_sizes);
        PreActivations {
            z,
            terms,
            linear: linear_of(slopes),
        }
    }

    /// Pre-activations `z` whose rows sum terms of sizes `terms`, computed
    /// elsewhere (the polygon walk updates them from a sibling cell's), of
    /// a layer with negative-side slopes `slopes`.
    pub fn from_parts(z: Affine, terms: Vec<f64>, slopes: &[f64]) -> Self {
        PreActivations {
            z,
            terms,
            linear: linear_of(slopes),
        }
    }

    /// Whether neuron `i` is linear: it never cuts, and is on.
    pub fn linear(&self, i: usize) -> bool {
        self.linear[i]
    }

    /// The size of the terms of row `i`.
    pub fn terms(&self, i: usize) -> f64 {
        self.terms[i]
    }

    /// A bound on the rounding error of row `i` once its normal is made a
    /// unit vector, in working units: [`ZERO_ROW_RELATIVE`] times the size of
    /// its terms over its length. Infinite for a zero row.
    pub fn row_error(&self, i: usize) -> f64 {
        ZERO_ROW_RELATIVE * self.terms[i] / norm(self.z.row(i))
    }

    /// `Some(on)` when row `i` is constant on the cell (its normal is zero up
    /// to `ZERO_ROW_RELATIVE` of its terms): on iff its value is positive
    /// beyond the same bound, off otherwise (the zero convention). `None`
    /// when it varies. A linear neuron is `Some(true)`: it cuts nothing.
    pub fn constant(&self, i: usize) -> Option<bool> {
        if self.linear[i] {
            return Some(true);
        }
        let bound = ZERO_ROW_RELATIVE * self.terms[i];
        (norm(self.z.row(i)) <= bound).then(|| self.z.bias()[i] > bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocked, masked sums are bit for bit the plain per-row sums over
    /// every input (the definition of the term sizes), for layer heights on
    /// both sides of a block and inputs masked to zero.
    #[test]
    fn term_sizes_are_the_plain_sums_bit_for_bit() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        for n in [1, 3, 8, 9, 17, 50] {
            let m = rng.gen_range(1..60);
            let value = |rng: &mut rand_chacha::ChaCha8Rng, zero: f64| {
                if rng.gen_bool(zero) {
                    0.0
                } else {
                    rng.gen_range(-1.0..1.0) * 10f64.powi(rng.gen_range(-6..6))
                }
            };
            let weights = Affine::new(
                n,
                m,
                (0..n * m).map(|_| value(&mut rng, 0.1)).collect(),
                (0..n).map(|_| value(&mut rng, 0.3)).collect(),
            );
            let sizes: Vec<f64> = (0..m).map(|_| value(&mut rng, 0.5).abs()).collect();
            let plain: Vec<u64> = (0..n)
                .map(|i| {
                    let sum: f64 = weights
                        .row(i)
                        .iter()
                        .zip(&sizes)
                        .map(|(w, s)| w.abs() * s)
                        .sum();
                    (sum + weights.bias()[i].abs()).to_bits()
                })
                .collect();
            let blocked: Vec<u64> = term_sizes(&weights, &sizes)
                .iter()
                .map(|v| v.to_bits())
                .collect();
            assert_eq!(blocked, plain, "n = {n}, m = {m}");
        }
    }
}
