//! LP outcomes with their dual certificates: the multipliers that prove an
//! optimum optimal, a Farkas combination that proves infeasibility, a ray
//! that proves unboundedness. A caller (the certifier) can read the support
//! of a Motzkin certificate from them instead of guessing active rows.

use super::{LinearProgram, LpEngine, RowKind};
use crate::error::LpError;

/// Nonnegative weights on the rows and bounds of a [`LinearProgram`]
/// (equality rows may carry either sign).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Multipliers {
    /// `(row index, λ)`: `λ ≥ 0` for a `≤` row, any sign for an `=` row. The
    /// rows listed are those of the final basis (tight at the point).
    pub rows: Vec<(usize, f64)>,
    /// One pair of weights `(lower, upper) ≥ 0` per variable: on the lower
    /// bound `−x_i ≤ −lo_i` and on the upper bound `x_i ≤ hi_i`. Nonzero only
    /// for finite bounds.
    pub bounds: Vec<(f64, f64)>,
}

impl Multipliers {
    /// The combined normal `Σ_j λ_j a_j + Σ_i (upper_i − lower_i) e_i`.
    pub fn combined_normal(&self, lp: &LinearProgram) -> Vec<f64> {
        let mut sum: Vec<f64> = self.bounds.iter().map(|&(l, u)| u - l).collect();
        sum.resize(lp.objective.len(), 0.0);
        for &(j, l) in &self.rows {
            for (s, a) in sum.iter_mut().zip(&lp.rows[j].coeffs) {
                *s += l * a;
            }
        }
        sum
    }

    /// The combined right-hand side `Σ_j λ_j b_j + Σ_i (upper_i·hi_i −
    /// lower_i·lo_i)`: every feasible `x` has `(combined normal)·x ≤` this.
    pub fn combined_rhs(&self, lp: &LinearProgram) -> f64 {
        let rows: f64 = self.rows.iter().map(|&(j, l)| l * lp.rows[j].rhs).sum();
        let term = |w: f64, bound: f64| if w == 0.0 { 0.0 } else { w * bound };
        let bounds: f64 = self
            .bounds
            .iter()
            .zip(&lp.bounds)
            .map(|(&(l, u), &(lo, hi))| term(u, hi) - term(l, lo))
            .sum();
        rows + bounds
    }

    /// The most negative weight that must be nonnegative (on a `≤` row or a
    /// bound), or 0: how far the sign conditions fail.
    pub fn worst_sign(&self, lp: &LinearProgram) -> f64 {
        let rows = self
            .rows
            .iter()
            .filter(|&&(j, _)| lp.rows[j].kind == RowKind::LessEq)
            .map(|&(_, l)| l);
        let bounds = self.bounds.iter().flat_map(|&(l, u)| [l, u]);
        rows.chain(bounds).fold(0.0, f64::min)
    }

    /// The sum of the absolute weights.
    pub fn weight(&self) -> f64 {
        let rows: f64 = self.rows.iter().map(|r| r.1.abs()).sum();
        rows + self
            .bounds
            .iter()
            .map(|&(l, u)| l.abs() + u.abs())
            .sum::<f64>()
    }
}

/// An LP outcome with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub enum DualOutcome {
    /// An optimum with multipliers: the combined normal is `c`, and the
    /// combined right-hand side is `c·x` (strong duality).
    Optimal {
        /// The optimal point.
        x: Vec<f64>,
        /// The objective value at `x`.
        value: f64,
        /// The multipliers of the active rows and bounds.
        duals: Multipliers,
    },
    /// No point satisfies the rows: the combined normal is zero and the
    /// combined right-hand side negative (Farkas).
    Infeasible {
        /// The Farkas combination.
        farkas: Multipliers,
    },
    /// The objective grows without bound: the LP is feasible and `ray`
    /// satisfies `a_j·ray ≤ 0` on every `≤` row, `= 0` on every `=` row,
    /// stays within the bounds' directions, and has `c·ray > 0`.
    Unbounded {
        /// A recession direction along which the objective grows.
        ray: Vec<f64>,
    },
}

/// An engine that also returns dual certificates.
pub trait LpDuals: LpEngine {
    /// Maximises `lp` and returns the outcome with its certificate.
    fn maximise_with_duals(&self, lp: &LinearProgram) -> Result<DualOutcome, LpError>;
}
