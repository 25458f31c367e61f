//! The fast LP engine for the walk's sizes (few variables, tens to hundreds
//! of rows): the dense dual simplex of [`WarmLp`], one reusable workspace per
//! thread so that a solve allocates only its answer.

use super::warm_lp::{BallSession, WarmLp, NAME};
use super::{Basis, DualOutcome, LinearProgram, LpDuals, LpEngine, LpOutcome, SideLp};
use crate::error::LpError;
use std::cell::RefCell;

/// A dense dual simplex with an explicit `n × n` basis inverse
/// (`n` = number of variables), for LPs with few variables.
#[derive(Debug, Default, Clone, Copy)]
pub struct DenseSimplex;

thread_local! {
    static WORKSPACE: RefCell<WarmLp> = RefCell::new(WarmLp::new());
    /// Side tests' ball LPs, apart from the workspace so that the LPs in
    /// between (a cell's box, an exact decision's) leave a piece's
    /// installed LP in place (`warm_lp/ball_session.rs`).
    static SIDES: RefCell<BallSession> = RefCell::new(BallSession::new());
}

impl LpEngine for DenseSimplex {
    fn name(&self) -> &'static str {
        NAME
    }

    fn maximise(&self, lp: &LinearProgram) -> Result<LpOutcome, LpError> {
        WORKSPACE.with(|w| w.borrow_mut().solve(lp))
    }

    /// `lp` from scratch, each next objective from the last basis
    /// (`WarmLp::set_objective`).
    fn maximise_each(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        each: &mut dyn FnMut(LpOutcome) -> bool,
    ) -> Result<(), LpError> {
        WORKSPACE.with(|w| {
            let mut w = w.borrow_mut();
            if !each(w.solve(lp)?) {
                return Ok(());
            }
            for objective in objectives {
                if !each(w.set_objective(objective)?) {
                    break;
                }
            }
            Ok(())
        })
    }

    fn maximise_from(
        &self,
        lp: &LinearProgram,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        WORKSPACE.with(|w| {
            let mut w = w.borrow_mut();
            let outcome = w.solve_from(lp, hint)?;
            Ok((outcome, w.final_basis()))
        })
    }

    /// From the installed LP of the same piece when the key names one.
    fn maximise_side(
        &self,
        side: &SideLp<'_>,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        SIDES.with(|s| s.borrow_mut().solve(side, hint))
    }

    /// Each objective from its hint, or without one from the last basis.
    fn maximise_each_from(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        hints: &[Option<Basis>],
        each: &mut dyn FnMut(LpOutcome, Option<Basis>) -> bool,
    ) -> Result<(), LpError> {
        let hint = |k: usize| hints.get(k).and_then(Option::as_ref);
        WORKSPACE.with(|w| {
            let mut w = w.borrow_mut();
            let outcome = w.solve_from(lp, hint(0))?;
            if !each(outcome, w.final_basis()) {
                return Ok(());
            }
            for (k, objective) in objectives.enumerate() {
                let outcome = w.set_objective_from(objective, hint(k + 1))?;
                if !each(outcome, w.final_basis()) {
                    break;
                }
            }
            Ok(())
        })
    }
}

impl LpDuals for DenseSimplex {
    fn maximise_with_duals(&self, lp: &LinearProgram) -> Result<DualOutcome, LpError> {
        WORKSPACE.with(|w| {
            let mut w = w.borrow_mut();
            w.solve(lp)?;
            Ok(w.dual_outcome())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::{LpRow, Multipliers, RowKind, WarmLp};

    const FREE: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);

    /// The unit square `[0, 1]²` as rows `a·t ≤ b`.
    const SQUARE: [([f64; 2], f64); 4] = [
        ([1.0, 0.0], 1.0),
        ([-1.0, 0.0], 0.0),
        ([0.0, 1.0], 1.0),
        ([0.0, -1.0], 0.0),
    ];

    fn leq(coeffs: &[f64], rhs: f64) -> LpRow {
        LpRow {
            coeffs: coeffs.to_vec(),
            kind: RowKind::LessEq,
            rhs,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn optimum(lp: &LinearProgram) -> (Vec<f64>, f64, Multipliers) {
        match DenseSimplex.maximise_with_duals(lp).unwrap() {
            DualOutcome::Optimal { x, value, duals } => (x, value, duals),
            other => panic!("{other:?}"),
        }
    }

    /// The ball LP of `a·t ≤ b` in two coordinates, radius at most 1.
    fn ball(rows: &[([f64; 2], f64)]) -> LinearProgram {
        LinearProgram {
            objective: vec![0.0, 0.0, 1.0],
            bounds: vec![FREE, FREE, (f64::NEG_INFINITY, 1.0)],
            rows: rows
                .iter()
                .map(|(a, b)| leq(&[a[0], a[1], a[0].hypot(a[1])], *b))
                .collect(),
        }
    }

    #[test]
    fn a_textbook_lp_and_its_duals() {
        // max x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6, x, y ≥ 0. Both rows are
        // tight at the optimum: solving them gives (8/5, 6/5), value 14/5;
        // λ1 (1, 2) + λ2 (3, 1) = (1, 1) gives λ = (2/5, 1/5).
        let lp = LinearProgram {
            objective: vec![1.0, 1.0],
            bounds: vec![(0.0, f64::INFINITY); 2],
            rows: vec![leq(&[1.0, 2.0], 4.0), leq(&[3.0, 1.0], 6.0)],
        };
        let (x, value, duals) = optimum(&lp);
        assert!(close(x[0], 1.6) && close(x[1], 1.2) && close(value, 2.8));
        let mut rows = duals.rows.clone();
        rows.sort_by_key(|r| r.0);
        assert!(rows.len() == 2 && close(rows[0].1, 0.4) && close(rows[1].1, 0.2));
        assert_eq!(duals.bounds, vec![(0.0, 0.0); 2]);
    }

    #[test]
    fn an_equality_multiplier_may_be_negative() {
        // max x + y s.t. x − y = 0, x ≤ 2: the optimum is (2, 2), value 4;
        // λ (1, −1) + μ (1, 0) = (1, 1) gives λ = −1, μ = 2, and the dual
        // value λ·0 + μ·2 = 4.
        let lp = LinearProgram {
            objective: vec![1.0, 1.0],
            bounds: vec![(f64::NEG_INFINITY, 2.0), FREE],
            rows: vec![LpRow {
                coeffs: vec![1.0, -1.0],
                kind: RowKind::Equal,
                rhs: 0.0,
            }],
        };
        let (x, value, duals) = optimum(&lp);
        assert!(close(x[0], 2.0) && close(x[1], 2.0) && close(value, 4.0));
        assert_eq!(duals.rows.len(), 1);
        assert!(close(duals.rows[0].1, -1.0));
        assert!(close(duals.bounds[0].1, 2.0) && duals.bounds[0].0 == 0.0);
    }

    #[test]
    fn chebyshev_balls_of_a_square_and_a_degenerate_triangle() {
        // The unit square: radius 1/2 at its centre.
        let (x, r, _) = optimum(&ball(&SQUARE));
        assert!(close(r, 0.5) && close(x[0], 0.5) && close(x[1], 0.5));
        // The triangle x, y ≥ 0, x + y ≤ 1, with the vertex (1, 0) made
        // degenerate by more rows through it (x ≤ 1, 2x + y ≤ 2) and the
        // hypotenuse written again as 3x + 3y ≤ 3. The inradius of a right
        // triangle with legs a, b and hypotenuse c is (a + b − c)/2, here
        // (2 − √2)/2, at (r, r).
        let triangle = [
            ([-1.0, 0.0], 0.0),
            ([0.0, -1.0], 0.0),
            ([1.0, 1.0], 1.0),
            ([1.0, 0.0], 1.0),
            ([2.0, 1.0], 2.0),
            ([3.0, 3.0], 3.0),
        ];
        let want = (2.0 - 2f64.sqrt()) / 2.0;
        let (x, r, _) = optimum(&ball(&triangle));
        assert!(close(r, want) && close(x[0], want) && close(x[1], want));
        // max x over the triangle: the degenerate vertex (1, 0), value 1.
        let lp = LinearProgram {
            objective: vec![1.0, 0.0],
            bounds: vec![FREE; 2],
            rows: triangle.iter().map(|(a, b)| leq(a, *b)).collect(),
        };
        let (x, value, _) = optimum(&lp);
        assert!(close(value, 1.0) && close(x[0], 1.0) && close(x[1], 0.0));
    }

    #[test]
    fn infeasible_and_unbounded_lps_come_with_certificates() {
        // x ≤ −1 with 0 ≤ x ≤ 1: the row plus the lower bound −x ≤ 0 give
        // 0 ≤ −1.
        let lp = LinearProgram {
            objective: vec![1.0],
            bounds: vec![(0.0, 1.0)],
            rows: vec![leq(&[1.0], -1.0)],
        };
        match DenseSimplex.maximise_with_duals(&lp).unwrap() {
            DualOutcome::Infeasible { farkas } => {
                assert_eq!(farkas.rows, vec![(0, 1.0)]);
                assert_eq!(farkas.bounds, vec![(1.0, 0.0)]);
            }
            other => panic!("{other:?}"),
        }
        // max x s.t. x − y ≤ 0: x = y grows without bound; a ray has
        // d_x ≤ d_y and d_x > 0.
        let lp = LinearProgram {
            objective: vec![1.0, 0.0],
            bounds: vec![FREE; 2],
            rows: vec![leq(&[1.0, -1.0], 0.0)],
        };
        match DenseSimplex.maximise_with_duals(&lp).unwrap() {
            DualOutcome::Unbounded { ray } => assert!(ray[0] > 0.0 && ray[0] <= ray[1]),
            other => panic!("{other:?}"),
        }
        // A half-plane t1 ≤ 0 has balls of every radius: the cap 1 binds,
        // and the centre found is at distance 1 from the line.
        let (x, r, _) = optimum(&ball(&[([1.0, 0.0], 0.0)]));
        assert!(close(r, 1.0) && x[0] <= -1.0 + 1e-12);
    }

    #[test]
    fn an_lp_without_variables_is_decided_by_its_right_hand_sides() {
        // 0 ≤ 1 holds and 0 ≤ −1 does not, whatever the (empty) point.
        let mut lp = LinearProgram {
            rows: vec![leq(&[], 1.0)],
            ..LinearProgram::default()
        };
        assert_eq!(
            DenseSimplex.maximise(&lp).unwrap(),
            LpOutcome::Optimal {
                x: vec![],
                value: 0.0
            }
        );
        lp.rows.push(leq(&[], -1.0));
        assert_eq!(DenseSimplex.maximise(&lp).unwrap(), LpOutcome::Infeasible);
    }

    #[test]
    fn new_objectives_on_a_quadrant() {
        // x, y ≥ 0 (as rows): max −x − y is 0 at the vertex (0, 0); then
        // max x runs along the edge y = 0 for ever; then max −x is 0 again
        // (from a fresh start), and with x + y ≤ 1 added, max x + 2y is 2 at
        // (0, 1).
        let mut warm = WarmLp::new();
        let lp = LinearProgram {
            objective: vec![-1.0, -1.0],
            bounds: vec![FREE; 2],
            rows: vec![leq(&[-1.0, 0.0], 0.0), leq(&[0.0, -1.0], 0.0)],
        };
        let value = |o: LpOutcome| match o {
            LpOutcome::Optimal { value, .. } => value,
            other => panic!("{other:?}"),
        };
        assert!(close(value(warm.solve(&lp).unwrap()), 0.0));
        assert_eq!(
            warm.set_objective(&[1.0, 0.0]).unwrap(),
            LpOutcome::Unbounded
        );
        match warm.dual_outcome() {
            DualOutcome::Unbounded { ray } => assert!(ray[0] > 0.0 && close(ray[1], 0.0)),
            other => panic!("{other:?}"),
        }
        assert!(close(value(warm.set_objective(&[-1.0, 0.0]).unwrap()), 0.0));
        warm.add_row(&leq(&[1.0, 1.0], 1.0)).unwrap();
        assert!(close(value(warm.set_objective(&[1.0, 2.0]).unwrap()), 2.0));
    }

    #[test]
    fn adding_a_row_warm_gives_the_new_optimum() {
        // The unit square, then x + y ≤ 1 cuts it to the triangle above.
        let mut warm = WarmLp::new();
        warm.solve(&ball(&SQUARE)).unwrap();
        let cut = leq(&[1.0, 1.0, 2f64.sqrt()], 1.0);
        match warm.add_row(&cut).unwrap() {
            LpOutcome::Optimal { value, .. } => assert!(close(value, (2.0 - 2f64.sqrt()) / 2.0)),
            other => panic!("{other:?}"),
        }
        // The new row, index 4, is active.
        let DualOutcome::Optimal { duals, .. } = warm.dual_outcome() else {
            panic!()
        };
        assert!(duals.rows.iter().any(|&(j, l)| j == 4 && l > 0.0));
    }
}
