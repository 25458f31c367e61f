//! A linear program kept between solves, so that building the next one
//! allocates nothing once its rows have been seen. Allocation and freeing
//! were about a sixth of a one-thread walk of ACAS Xu N1,1 in a profile,
//! much of it a fresh `Vec` per row of every LP.

use super::{LinearProgram, LpRow, RowKind};

/// A reusable program: the ball LPs' and the box LPs' of a thread.
#[derive(Default)]
pub(crate) struct ScratchProgram {
    lp: LinearProgram,
    /// Rows of an earlier, longer LP, to reuse.
    spare: Vec<LpRow>,
}

impl ScratchProgram {
    /// The program with `objective`, `bounds` and one row per item of
    /// `rows`, each written by `fill` into a row buffer of an earlier LP
    /// where there is one.
    pub(crate) fn build<R>(
        &mut self,
        objective: impl IntoIterator<Item = f64>,
        bounds: impl IntoIterator<Item = (f64, f64)>,
        rows: impl IntoIterator<Item = R>,
        mut fill: impl FnMut(&mut LpRow, R),
    ) -> &LinearProgram {
        let ScratchProgram { lp, spare } = self;
        lp.objective.clear();
        lp.objective.extend(objective);
        lp.bounds.clear();
        lp.bounds.extend(bounds);
        let mut used = 0;
        for item in rows {
            if used == lp.rows.len() {
                lp.rows.push(spare.pop().unwrap_or_else(|| LpRow {
                    coeffs: Vec::new(),
                    kind: RowKind::LessEq,
                    rhs: 0.0,
                }));
            }
            fill(&mut lp.rows[used], item);
            used += 1;
        }
        spare.extend(lp.rows.drain(used..));
        lp
    }
}
