//! The choice of each pivot: which violated row enters (the largest
//! violation, or Bland's first) and which basic row leaves (Harris's ratio
//! test, or Bland's smallest index among ties).

use super::{max_abs, Class, WarmLp, NOT_BASIC};
use crate::lp::simplex_tolerance::{DEGENERATE_STEP, DIRECTION, DUAL_FEAS, PIVOT, PRIMAL_FEAS};

impl WarmLp {
    /// `(a·x1, a·x0 − b)` for row `j`, the first set to zero when it is
    /// below the direction tolerance.
    pub(super) fn slack(&self, j: usize, d_scale: f64) -> (f64, f64) {
        let s1 = self.s1[j];
        let s1 = if s1.abs() <= DIRECTION * self.norm[j] * d_scale {
            0.0
        } else {
            s1
        };
        (s1, self.s0[j])
    }

    /// The entering row: the most violated one (violations for every large
    /// `M` first), or under Bland's rule the first violated one. A violated
    /// equality row is flipped first so that it is violated as a `≤` row.
    pub(super) fn price(&mut self) -> Option<usize> {
        let x_scale = 1.0 + max_abs(&self.x0);
        let d_scale = 1.0 + max_abs(&self.x1);
        let mut best: Option<(usize, bool, f64)> = None;
        for j in 0..self.b.len() {
            if self.pos[j] != NOT_BASIC || self.class[j] == Class::Artificial {
                continue;
            }
            let (mut s1, mut s0) = self.slack(j, d_scale);
            let tol = PRIMAL_FEAS * self.norm[j] * x_scale;
            if self.class[j] == Class::Equal && (s1 < 0.0 || (s1 == 0.0 && s0 < -tol)) {
                self.flip(j);
                (s1, s0) = (-s1, -s0);
            }
            let (big_m, score) = if s1 > 0.0 {
                (true, s1 / self.norm[j])
            } else if s1 == 0.0 && s0 > tol {
                (false, s0 / self.norm[j])
            } else {
                continue;
            };
            if self.bland {
                return Some(j);
            }
            if best.is_none_or(|(_, m, s)| (big_m, score) > (m, s)) {
                best = Some((j, big_m, score));
            }
        }
        best.map(|(j, _, _)| j)
    }

    fn flip(&mut self, j: usize) {
        let n = self.n;
        for v in &mut self.a[j * n..(j + 1) * n] {
            *v = -*v;
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
