//! Starting from a hint: the optimal basis of an earlier LP over the same
//! variables and objective with fewer rows (`lp/basis_hint.rs`), and reading
//! the final basis off as the next hint.

use super::{engine_error, max_abs, Class, Origin, Status, WarmLp, NOT_BASIC};
use crate::error::LpError;
use crate::lp::basis_inverse::dot;
use crate::lp::simplex_tolerance::DUAL_FEAS;
use crate::lp::{Basis, BasisRow, LinearProgram, LpOutcome};

impl WarmLp {
    /// Solves `lp` from `hint` where it fits (a dual simplex from there),
    /// else from the cold start of [`Self::solve`]; keeps the final basis.
    pub fn solve_from(
        &mut self,
        lp: &LinearProgram,
        hint: Option<&Basis>,
    ) -> Result<LpOutcome, LpError> {
        self.load(lp)?;
        if !hint.is_some_and(|h| self.install(h)) {
            self.start_basis();
        }
        self.run()?;
        Ok(self.outcome())
    }

    /// Replaces the objective of the LP last solved and re-solves it: from
    /// `hint` where it fits, else from the current basis
    /// ([`Self::set_objective`]).
    pub fn set_objective_from(
        &mut self,
        objective: &[f64],
        hint: Option<&Basis>,
    ) -> Result<LpOutcome, LpError> {
        let Some(hint) = hint else {
            return self.set_objective(objective);
        };
        if self.status == Status::Empty {
            return Err(engine_error("set_objective before any solve".into()));
        }
        if objective.len() != self.n {
            return self.set_objective(objective);
        }
        self.c.clear();
        self.c.extend_from_slice(objective);
        self.c_scale = max_abs(&self.c).max(1.0);
        // A hint that does not fit has cleared the basis: start cold.
        if !self.install(hint) {
            self.start_basis();
        }
        self.pivots = 0;
        self.run()?;
        Ok(self.outcome())
    }

    /// The final basis of the last solve as a hint, when it is an optimum
    /// with no artificial row left.
    pub fn final_basis(&self) -> Option<Basis> {
        if self.status != Status::Feasible || self.artificials > 0 {
            return None;
        }
        let rows = self.basis.iter().map(|&j| match self.origin[j] {
            Origin::Row(i) => Some(BasisRow::Row(i as u32)),
            Origin::Upper(i) => Some(BasisRow::Upper(i as u32)),
            Origin::Lower(i) => Some(BasisRow::Lower(i as u32)),
            Origin::Artificial(_) => None,
        });
        rows.collect::<Option<Vec<_>>>().map(Basis)
    }

    /// Makes `hint` the basis of the rows loaded, with the objective `c`:
    /// false (and nothing to undo but the basis, which the caller replaces)
    /// when it names a row the LP does not have, names one twice, is
    /// singular, or is not dual feasible for `c`.
    pub(super) fn install(&mut self, hint: &Basis) -> bool {
        let n = self.n;
        if hint.0.len() != n {
            return false;
        }
        for &j in &self.basis {
            self.pos[j] = NOT_BASIC;
            self.skip[j] = self.class[j] == Class::Artificial;
        }
        self.basis.clear();
        for &row in &hint.0 {
            let j = match row {
                BasisRow::Row(i) if (i as usize) < self.given_rows => i as usize,
                BasisRow::Upper(i) if (i as usize) < n => self.var_rows[i as usize][0],
                BasisRow::Lower(i) if (i as usize) < n => self.var_rows[i as usize][1],
                _ => NOT_BASIC,
            };
            if j == NOT_BASIC || self.pos[j] != NOT_BASIC || self.flipped[j] {
                self.unmark();
                return false;
            }
            self.pos[j] = self.basis.len();
            self.skip[j] = true;
            self.basis.push(j);
        }
        self.basis_rows.clear();
        for &j in &self.basis {
            self.basis_rows.extend(self.cols.iter().map(|col| col[j]));
        }
        // Sized for this LP (its last one may have had other variables).
        self.inv.reset_diagonal(n, std::iter::empty());
        if self
            .inv
            .refactor(self.basis_rows.chunks_exact(n.max(1)))
            .is_err()
        {
            self.unmark();
            return false;
        }
        self.y.clear();
        for k in 0..n {
            self.y.push(dot(&self.c, self.inv.col(k)));
        }
        let tol = -DUAL_FEAS * self.c_scale;
        let feasible =
            (0..n).all(|k| self.class[self.basis[k]] != Class::LessEq || self.y[k] >= tol);
        if !feasible {
            self.unmark();
            return false;
        }
        self.artificials = 0;
        self.since_refactor = 0;
        self.bland = self.bland_from_start;
        self.degenerate_run = 0;
        self.recompute();
        true
    }

    /// Clears the marks of a basis that was being installed.
    fn unmark(&mut self) {
        for &j in &self.basis {
            self.pos[j] = NOT_BASIC;
            self.skip[j] = self.class[j] == Class::Artificial;
        }
        self.basis.clear();
    }
}
