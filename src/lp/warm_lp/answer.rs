//! Reading the answer off the final basis: the point, the outcome, and its
//! certificate (multipliers, Farkas combination or ray).

use super::{Class, Origin, Status, WarmLp, NOT_BASIC};
use crate::lp::basis_inverse::dot;
use crate::lp::simplex_tolerance::UNBOUNDED;
use crate::lp::{DualOutcome, LpOutcome, Multipliers};

impl WarmLp {
    /// The outcome of the last solve.
    pub fn outcome(&self) -> LpOutcome {
        match self.status {
            Status::Empty | Status::Infeasible => LpOutcome::Infeasible,
            Status::Ray => LpOutcome::Unbounded,
            Status::Feasible if self.unbounded() => LpOutcome::Unbounded,
            Status::Feasible => {
                let x = self.point();
                let value = dot(&self.c, &x);
                LpOutcome::Optimal { x, value }
            }
        }
    }

    /// The outcome of the last solve with its certificate.
    pub fn dual_outcome(&self) -> DualOutcome {
        let mut m = Multipliers {
            rows: Vec::new(),
            bounds: vec![(0.0, 0.0); self.n],
        };
        match self.status {
            Status::Empty => DualOutcome::Infeasible { farkas: m },
            Status::Ray => DualOutcome::Unbounded {
                ray: self.ray.clone(),
            },
            Status::Feasible if self.unbounded() => DualOutcome::Unbounded {
                ray: self.x1.clone(),
            },
            Status::Feasible => {
                for (k, &j) in self.basis.iter().enumerate() {
                    self.weigh(&mut m, j, self.y[k]);
                }
                let x = self.point();
                let value = dot(&self.c, &x);
                DualOutcome::Optimal { x, value, duals: m }
            }
            Status::Infeasible => {
                self.weigh(&mut m, self.farkas_row, 1.0);
                for (k, &j) in self.basis.iter().enumerate() {
                    self.weigh(&mut m, j, -self.farkas_w[k]);
                }
                DualOutcome::Infeasible { farkas: m }
            }
        }
    }

    /// Adds the weight `l` of row `j` (as stored) to `m`, in the LP's own
    /// terms: a flipped equality's weight changes sign, a `≤` row's tiny
    /// negative (within the tolerances) becomes zero.
    fn weigh(&self, m: &mut Multipliers, j: usize, l: f64) {
        let l = match self.class[j] {
            Class::Equal if self.flipped[j] => -l,
            Class::Equal => l,
            Class::LessEq => l.max(0.0),
            Class::Artificial => return,
        };
        match self.origin[j] {
            Origin::Row(i) => m.rows.push((i, l)),
            Origin::Upper(i) => m.bounds[i].1 += l,
            Origin::Lower(i) => m.bounds[i].0 += l,
            Origin::Artificial(_) => {}
        }
    }

    /// Whether an artificial row at the end carries weight: the objective
    /// then grows with `M`.
    fn unbounded(&self) -> bool {
        let tol = UNBOUNDED * self.c_scale;
        self.basis
            .iter()
            .zip(&self.y)
            .any(|(&j, &y)| self.class[j] == Class::Artificial && y > tol)
    }

    /// The optimal point. With artificial rows left in the basis (all of
    /// weight zero) the vertex `x0 + M·x1` is optimal for every large `M`:
    /// take the smallest `M ≥ 0` at which every row holds.
    fn point(&self) -> Vec<f64> {
        let mut x = self.x0.clone();
        if self.artificials == 0 {
            return x;
        }
        let (_, d_tol) = self.tolerances();
        let mut m: f64 = 0.0;
        for j in 0..self.b.len() {
            if self.pos[j] != NOT_BASIC || self.class[j] == Class::Artificial {
                continue;
            }
            let (s1, s0) = self.slack(j, d_tol);
            if s1 < 0.0 {
                m = m.max(s0 / -s1);
            }
        }
        for (xi, di) in x.iter_mut().zip(&self.x1) {
            *xi += m * di;
        }
        x
    }
}
