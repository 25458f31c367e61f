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

impl PreActivations {
    /// The pre-activations of `weights` after `input` (the output of the
    /// previous hidden layer on the cell, activated by its pattern), for a
    /// layer whose neurons have negative-side slopes `slopes`.
    pub fn new(weights: &Affine, input: &Affine, slopes: &[f64]) -> Self {
        let z = weights.after(input);
        let input_sizes: Vec<f64> = (0..input.rows())
            .map(|j| norm(input.row(j)) + input.bias()[j].abs())
            .collect();
        let terms = (0..weights.rows())
            .map(|i| {
                weights
                    .row(i)
                    .iter()
                    .zip(&input_sizes)
                    .map(|(w, s)| w.abs() * s)
                    .sum::<f64>()
                    + weights.bias()[i].abs()
            })
            .collect();
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
