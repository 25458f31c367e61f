//! Re-solving after the objective changes, from the current basis. The
//! vertex stays feasible, so the primal simplex finishes the job: the basic
//! `≤` row with the most negative multiplier leaves, the vertex moves along
//! the edge that leaves it, and the first row met enters. The bounding box
//! of a cell is `2n` such solves over the same rows.

use super::{engine_error, max_abs, times, Class, Status, WarmLp};
use super::{ITERATIONS_BASE, ITERATIONS_PER_ROW};
use crate::error::LpError;
use crate::lp::basis_inverse::dot;
use crate::lp::simplex_tolerance::{DEGENERATE_RUN, DUAL_FEAS, PIVOT, PRIMAL_FEAS};
use crate::lp::LpOutcome;

impl WarmLp {
    /// Replaces the objective of the LP last solved and re-solves it from
    /// the current basis (a fresh start from the stored rows when the last
    /// answer left no feasible vertex to start from).
    pub fn set_objective(&mut self, objective: &[f64]) -> Result<LpOutcome, LpError> {
        if self.status == Status::Empty {
            return Err(engine_error("set_objective before any solve".into()));
        }
        if objective.len() != self.n {
            return Err(engine_error(format!(
                "an objective of {} coefficients for {} variables",
                objective.len(),
                self.n
            )));
        }
        self.c.clear();
        self.c.extend_from_slice(objective);
        self.c_scale = max_abs(&self.c).max(1.0);
        self.pivots = 0;
        self.degenerate_run = 0;
        self.bland = self.bland_from_start;
        match self.status {
            // No point satisfies the rows, whatever the objective.
            Status::Empty | Status::Infeasible => {}
            Status::Feasible if self.artificials == 0 => {
                for k in 0..self.n {
                    self.y[k] = dot(&self.c, self.inv.col(k));
                }
                self.primal()?;
            }
            Status::Feasible | Status::Ray => {
                self.start_basis();
                self.run()?;
            }
        }
        Ok(self.outcome())
    }

    /// Primal simplex pivots from a feasible vertex until every `≤` row of
    /// the basis has a nonnegative multiplier (optimal) or an edge goes on
    /// for ever (unbounded).
    fn primal(&mut self) -> Result<(), LpError> {
        let limit = ITERATIONS_PER_ROW * (self.b.len() + self.n) + ITERATIONS_BASE;
        for _ in 0..limit {
            let Some(k) = self.primal_leaving() else {
                if self.settle()? {
                    return Ok(());
                }
                continue;
            };
            // The edge is −d_k: row j's a·x changes at the rate −t_j.
            times(&self.cols, self.b.len(), self.inv.col(k), &mut self.t);
            let Some(r) = self.primal_ratio_test() else {
                self.ray.clear();
                self.ray.extend(self.inv.col(k).iter().map(|d| -d));
                self.status = Status::Ray;
                return Ok(());
            };
            // A step of zero length (the row was already tight) is
            // degenerate; only those can cycle.
            let slack = (-self.s0[r]).max(0.0) * self.inv_norm[r];
            if slack <= PRIMAL_FEAS * (1.0 + max_abs(&self.x0)) {
                self.degenerate_run += 1;
                if self.degenerate_run > DEGENERATE_RUN + self.n {
                    self.bland = true;
                }
            } else {
                self.degenerate_run = 0;
            }
            self.gather_row(r);
            self.inv.coordinates(&self.row_buf, &mut self.w);
            let theta = self.y[k] / self.w[k];
            self.exchange(r, k, theta)?;
        }
        Err(engine_error(format!(
            "no answer after {limit} primal pivots ({} rows, {} variables)",
            self.b.len(),
            self.n
        )))
    }

    /// The basis position whose `≤` row leaves: the most negative
    /// multiplier, or under Bland's rule the smallest row index among the
    /// negative ones.
    fn primal_leaving(&self) -> Option<usize> {
        let tol = -DUAL_FEAS * self.c_scale;
        let negative =
            (0..self.n).filter(|&k| self.class[self.basis[k]] == Class::LessEq && self.y[k] < tol);
        if self.bland {
            negative.min_by_key(|&k| self.basis[k])
        } else {
            negative.min_by(|&i, &j| self.y[i].total_cmp(&self.y[j]))
        }
    }

    /// The row met first along the edge (with `t` its rates): Harris's two passes (the fastest-approaching row among
    /// near-ties), or under Bland's rule the smallest index among ties. An
    /// equality row that the edge would cross from below is flipped first.
    fn primal_ratio_test(&mut self) -> Option<usize> {
        let pivot_tol = PIVOT * max_abs(&self.t).max(1.0);
        for e in 0..self.equalities.len() {
            let j = self.equalities[e];
            if !self.skip[j] && self.t[j] > pivot_tol {
                self.flip(j);
                self.t[j] = -self.t[j];
            }
        }
        let x_tol = PRIMAL_FEAS * (1.0 + max_abs(&self.x0));
        let candidates = || (0..self.b.len()).filter(|&j| !self.skip[j] && -self.t[j] > pivot_tol);
        let ratio = |j: usize| (-self.s0[j]).max(0.0) / -self.t[j];
        if self.bland {
            let min = candidates().map(ratio).fold(f64::INFINITY, f64::min);
            let tie = min + x_tol;
            return candidates().filter(|&j| ratio(j) <= tie).min();
        }
        let bound = candidates()
            .map(|j| ((-self.s0[j]).max(0.0) + x_tol / self.inv_norm[j]) / -self.t[j])
            .fold(f64::INFINITY, f64::min);
        candidates()
            .filter(|&j| ratio(j) <= bound)
            .max_by(|&i, &j| {
                (-self.t[i] * self.inv_norm[i]).total_cmp(&(-self.t[j] * self.inv_norm[j]))
            })
    }
}
