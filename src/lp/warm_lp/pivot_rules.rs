//! The choice of each pivot: which violated row enters (the largest
//! violation, or Bland's first) and which basic row leaves (Harris's ratio
//! test, or Bland's smallest index among ties).

use super::{max_abs, Class, WarmLp};
use crate::lp::simplex_tolerance::{DEGENERATE_STEP, DIRECTION, DUAL_FEAS, PIVOT, PRIMAL_FEAS};

impl WarmLp {
    /// `(a·x1, a·x0 − b)` for row `j`, the first set to zero when its
    /// distance `|a·x1|/‖a‖` is at most `d_tol`.
    pub(super) fn slack(&self, j: usize, d_tol: f64) -> (f64, f64) {
        let s1 = self.s1[j];
        let s1 = if (s1 * self.inv_norm[j]).abs() <= d_tol {
            0.0
        } else {
            s1
        };
        (s1, self.s0[j])
    }

    /// The tolerances on distances at the current vertex:
    /// [`PRIMAL_FEAS`] and [`DIRECTION`] scaled by `1 + ‖x0‖∞`, `1 + ‖x1‖∞`.
    pub(super) fn tolerances(&self) -> (f64, f64) {
        (
            PRIMAL_FEAS * (1.0 + max_abs(&self.x0)),
            DIRECTION * (1.0 + max_abs(&self.x1)),
        )
    }

    /// The entering row: the most violated one, by distance (violations for
    /// every large `M` first), or under Bland's rule the first violated one.
    /// An equality row violated from below is flipped first, so that it is
    /// violated as a `≤` row.
    pub(super) fn price(&mut self) -> Option<usize> {
        let (x_tol, d_tol) = self.tolerances();
        for e in 0..self.equalities.len() {
            let j = self.equalities[e];
            let (s1, s0) = self.slack(j, d_tol);
            if !self.skip[j] && (s1 < 0.0 || (s1 == 0.0 && s0 * self.inv_norm[j] < -x_tol)) {
                self.flip(j);
            }
        }
        if self.artificials == 0 {
            return self.price_plain(x_tol);
        }
        let (mut best1, mut best0) = (d_tol, x_tol);
        let (mut big_m, mut plain) = (None, None);
        for j in 0..self.b.len() {
            if self.skip[j] {
                continue;
            }
            let v1 = self.s1[j] * self.inv_norm[j];
            if v1 > d_tol {
                if self.bland {
                    return Some(j);
                }
                if v1 > best1 {
                    (best1, big_m) = (v1, Some(j));
                }
            } else if v1 >= -d_tol {
                let v0 = self.s0[j] * self.inv_norm[j];
                if v0 > best0 {
                    if self.bland {
                        return Some(j);
                    }
                    (best0, plain) = (v0, Some(j));
                }
            }
        }
        big_m.or(plain)
    }

    /// [`Self::price`] once no artificial row is left: `x1 = 0`.
    fn price_plain(&self, tol: f64) -> Option<usize> {
        let mut best = tol;
        let mut choice = None;
        let rows = self.s0.iter().zip(&self.inv_norm).zip(&self.skip);
        for (j, ((&s, &inv), &skip)) in rows.enumerate() {
            let v = s * inv;
            if v > best && !skip {
                if self.bland {
                    return Some(j);
                }
                (best, choice) = (v, Some(j));
            }
        }
        choice
    }

    pub(super) fn flip(&mut self, j: usize) {
        for col in &mut self.cols {
            col[j] = -col[j];
        }
        self.b[j] = -self.b[j];
        self.s0[j] = -self.s0[j];
        self.s1[j] = -self.s1[j];
        self.flipped[j] = !self.flipped[j];
    }

    /// The basis position that leaves when the row with coordinates `w`
    /// enters: the first `≤` row whose multiplier `y_k − θ·w_k` reaches zero
    /// as `θ` grows. Harris's two passes (the largest coordinate among the
    /// near-ties), or under Bland's rule the smallest row index among ties.
    pub(super) fn ratio_test(&self) -> Option<usize> {
        let pivot_tol = PIVOT * max_abs(&self.w).max(1.0);
        let candidates = || {
            (0..self.n).filter(move |&k| {
                self.w[k] > pivot_tol && self.class[self.basis[k]] != Class::Equal
            })
        };
        let ratio = |k: usize| self.y[k].max(0.0) / self.w[k];
        if self.bland {
            let min = candidates().map(ratio).fold(f64::INFINITY, f64::min);
            let tie = min + DEGENERATE_STEP * self.c_scale;
            return candidates()
                .filter(|&k| ratio(k) <= tie)
                .min_by_key(|&k| self.basis[k]);
        }
        let slack = DUAL_FEAS * self.c_scale;
        let bound = candidates()
            .map(|k| (self.y[k].max(0.0) + slack) / self.w[k])
            .fold(f64::INFINITY, f64::min);
        candidates()
            .filter(|&k| ratio(k) <= bound)
            .max_by(|&i, &j| self.w[i].total_cmp(&self.w[j]))
    }
}
