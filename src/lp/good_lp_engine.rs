//! The reference LP engine: `good_lp` with its pure-Rust `microlp` backend.

use super::{LinearProgram, LpEngine, LpOutcome, RowKind};
use crate::error::LpError;
use good_lp::{
    microlp, variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel,
};

/// `good_lp` driving `microlp`, a pure-Rust dense simplex: builds everywhere,
/// needs no C or C++ toolchain.
#[derive(Debug, Default, Clone, Copy)]
pub struct GoodLpMicrolp;

const NAME: &str = "good_lp/microlp";

impl LpEngine for GoodLpMicrolp {
    fn name(&self) -> &'static str {
        NAME
    }

    fn maximise(&self, lp: &LinearProgram) -> Result<LpOutcome, LpError> {
        let mut vars = ProblemVariables::new();
        let xs: Vec<_> = lp
            .bounds
            .iter()
            .map(|&(lo, hi)| vars.add(variable().min(lo).max(hi)))
            .collect();
        let objective: Expression = xs.iter().zip(&lp.objective).map(|(&v, &c)| c * v).sum();
        let mut model = vars.maximise(objective.clone()).using(microlp);
        for row in &lp.rows {
            let lhs: Expression = xs
                .iter()
                .zip(&row.coeffs)
                .filter(|(_, &c)| c != 0.0)
                .map(|(&v, &c)| c * v)
                .sum();
            model = match row.kind {
                RowKind::LessEq => model.with(lhs.leq(row.rhs)),
                RowKind::Equal => model.with(lhs.eq(row.rhs)),
            };
        }
        match model.solve() {
            Ok(solution) => {
                let x: Vec<f64> = xs.iter().map(|&v| solution.value(v)).collect();
                let value = lp.objective.iter().zip(&x).map(|(c, v)| c * v).sum();
                Ok(LpOutcome::Optimal { x, value })
            }
            Err(ResolutionError::Infeasible) => Ok(LpOutcome::Infeasible),
            Err(ResolutionError::Unbounded) => Ok(LpOutcome::Unbounded),
            Err(other) => Err(LpError::Engine {
                engine: NAME,
                message: other.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::LpRow;

    #[test]
    fn solves_a_small_lp() {
        // max x + y s.t. x + 2y <= 4, 3x + y <= 6: optimum at (8/5, 6/5), value 14/5.
        let lp = LinearProgram {
            objective: vec![1.0, 1.0],
            bounds: vec![(0.0, f64::INFINITY); 2],
            rows: vec![
                LpRow {
                    coeffs: vec![1.0, 2.0],
                    kind: RowKind::LessEq,
                    rhs: 4.0,
                },
                LpRow {
                    coeffs: vec![3.0, 1.0],
                    kind: RowKind::LessEq,
                    rhs: 6.0,
                },
            ],
        };
        match GoodLpMicrolp.maximise(&lp).unwrap() {
            LpOutcome::Optimal { value, .. } => assert!((value - 2.8).abs() < 1e-9),
            other => panic!("{other:?}"),
        }
        let infeasible = LinearProgram {
            objective: vec![1.0],
            bounds: vec![(0.0, 1.0)],
            rows: vec![LpRow {
                coeffs: vec![1.0],
                kind: RowKind::LessEq,
                rhs: -1.0,
            }],
        };
        assert_eq!(
            GoodLpMicrolp.maximise(&infeasible).unwrap(),
            LpOutcome::Infeasible
        );
    }
}
