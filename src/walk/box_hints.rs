//! A cell's bounding box from its ancestor's. The box is `2k` LPs (the
//! minimum and the maximum of each coordinate). A cell's rows begin with
//! the rows of the ancestor cell whose box was last computed (the walk only
//! appends rows), so each of the ancestor's `2k` optima helps twice:
//!
//! - if the ancestor's optimal vertex satisfies every row added since, it
//!   is still optimal here (a maximum over a subset, attained inside it):
//!   the end is known with no LP at all;
//! - otherwise its optimal basis is still dual feasible, and the LP starts
//!   from it (`lp/basis_hint.rs`).
//!
//! Either way the answer is a float bound, as an LP's is; and the
//! ancestor's value is a valid bound for the cell in any case, since the
//! cell lies inside the ancestor.

use crate::domain::half_space::HalfSpace;
use crate::error::LpError;
use crate::lp::{Basis, LpEngine, LpOutcome, RowKind, ScratchProgram};
use crate::model::affine::dot;
use crate::walk::space::BoxOutcome;
use std::cell::RefCell;

/// The optima of a cell's box LPs, to start a descendant's from.
#[derive(Debug, Clone)]
pub(crate) struct BoxHints {
    /// How many rows the cell had.
    rows: usize,
    /// Per end (minimum, then maximum, of each coordinate): its optimum.
    ends: Vec<BoxEnd>,
}

impl BoxHints {
    /// End `e`'s optimum (the minimum of coordinate `e / 2` for even `e`,
    /// its maximum for odd): the optimal basis where the engine gave one,
    /// and the optimal vertex. Its rows are among the first
    /// [`BoxHints::rows`] of the cell's.
    pub(crate) fn end(&self, e: usize) -> Option<(Option<&Basis>, &[f64])> {
        let end = self.ends.get(e)?;
        Some((end.basis.as_ref(), &end.point))
    }
}

#[derive(Debug, Clone)]
struct BoxEnd {
    basis: Option<Basis>,
    point: Vec<f64>,
    value: f64,
}

/// The bounding box of `{t : rows}` by up to `2·dim` LPs, each starting
/// from `hints` (an ancestor's, whose rows `rows` begin with) where given;
/// with the hints for a descendant's box.
pub(crate) fn bounding_box_from<'a>(
    engine: &dyn LpEngine,
    dim: usize,
    rows: impl IntoIterator<Item = &'a HalfSpace> + Clone,
    hints: Option<&BoxHints>,
) -> Result<(BoxOutcome, Option<BoxHints>), LpError> {
    if dim == 0 {
        return Ok((BoxOutcome::Bounded(Vec::new()), None));
    }
    let count = rows.clone().into_iter().count();
    // The ends whose ancestor vertex satisfies every row added since.
    let mut ends: Vec<Option<BoxEnd>> = (0..2 * dim)
        .map(|e| {
            let h = hints?;
            let end = h.ends.get(e)?;
            let mut added = rows.clone().into_iter().skip(h.rows);
            added
                .all(|r| dot(&r.a, &end.point) <= r.b)
                .then(|| end.clone())
        })
        .collect();
    let todo: Vec<usize> = (0..2 * dim).filter(|&e| ends[e].is_none()).collect();
    if let Some(&first) = todo.first() {
        let objectives: Vec<f64> = todo[1..]
            .iter()
            .flat_map(|&e| end_objective(dim, e))
            .collect();
        let bases: Vec<Option<Basis>> = todo
            .iter()
            .map(|&e| hints.and_then(|h| h.ends.get(e)?.basis.clone()))
            .collect();
        let mut outcome = None;
        let mut next = todo.iter();
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let free = (f64::NEG_INFINITY, f64::INFINITY);
            let bounds = std::iter::repeat_n(free, dim);
            let lp = scratch.build(end_objective(dim, first), bounds, rows, |row, h| {
                row.coeffs.clear();
                row.coeffs.extend_from_slice(&h.a);
                row.kind = RowKind::LessEq;
                row.rhs = h.b;
            });
            engine.maximise_each_from(
                lp,
                &mut objectives.chunks(dim),
                &bases,
                &mut |answer, basis| {
                    let &e = next.next().expect("one answer per objective");
                    match answer {
                        LpOutcome::Optimal { x, value } => {
                            ends[e] = Some(BoxEnd {
                                basis,
                                point: x,
                                value,
                            });
                            true
                        }
                        LpOutcome::Infeasible => {
                            outcome = Some(BoxOutcome::Empty);
                            false
                        }
                        LpOutcome::Unbounded => {
                            outcome = Some(BoxOutcome::Unbounded);
                            false
                        }
                    }
                },
            )
        })?;
        if let Some(outcome) = outcome {
            return Ok((outcome, None));
        }
    }
    let ends: Vec<BoxEnd> = ends
        .into_iter()
        .map(|e| e.expect("every end decided"))
        .collect();
    // End 2i maximised −t_i: the minimum of t_i is minus its value.
    let bounds = ends.chunks(2).map(|e| (-e[0].value, e[1].value)).collect();
    Ok((
        BoxOutcome::Bounded(bounds),
        Some(BoxHints { rows: count, ends }),
    ))
}

thread_local! {
    /// A thread's box LP, kept between cells (a `Vec` per row and cell was
    /// a few percent of a walk in malloc and free).
    static SCRATCH: RefCell<ScratchProgram> = RefCell::new(ScratchProgram::default());
}

/// The objective of end `e`: `−t_{e/2}` for even `e`, `t_{e/2}` for odd.
fn end_objective(dim: usize, e: usize) -> impl Iterator<Item = f64> {
    let end = if e.is_multiple_of(2) { -1.0 } else { 1.0 };
    (0..dim).map(move |i| if i == e / 2 { end } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::{Counted, DenseSimplex, GoodLpMicrolp};

    fn row(a: [f64; 2], b: f64) -> HalfSpace {
        HalfSpace { a: a.to_vec(), b }
    }

    fn bounds(outcome: BoxOutcome) -> Vec<(f64, f64)> {
        match outcome {
            BoxOutcome::Bounded(b) => b,
            _ => panic!("bounded"),
        }
    }

    fn close(a: &[(f64, f64)], b: &[(f64, f64)]) -> bool {
        a.iter()
            .zip(b)
            .all(|(x, y)| (x.0 - y.0).abs() < 1e-12 && (x.1 - y.1).abs() < 1e-12)
    }

    /// The unit square, then cells inside it: a row that cuts nothing off
    /// leaves every end to the hints (no LP); a row that cuts the square
    /// to `x ≤ 1/2` gives the box worked out by hand, `[0, 1/2] × [0, 1]`,
    /// as the reference engine does without hints.
    #[test]
    fn descendants_boxes_from_hints() {
        let square = vec![
            row([1.0, 0.0], 1.0),
            row([-1.0, 0.0], 0.0),
            row([0.0, 1.0], 1.0),
            row([0.0, -1.0], 0.0),
        ];
        let (outcome, hints) = bounding_box_from(&DenseSimplex, 2, &square, None).unwrap();
        assert!(close(&bounds(outcome), &[(0.0, 1.0), (0.0, 1.0)]));
        let hints = hints.expect("hints");

        let mut loose = square.clone();
        loose.push(row([1.0, 1.0], 2.5));
        let counted = Counted::new(&DenseSimplex);
        let (outcome, _) = bounding_box_from(&counted, 2, &loose, Some(&hints)).unwrap();
        assert!(close(&bounds(outcome), &[(0.0, 1.0), (0.0, 1.0)]));
        assert_eq!(counted.solves(), 0, "a row that cuts nothing needs no LP");

        let mut half = square.clone();
        half.push(row([1.0, 0.0], 0.5));
        let counted = Counted::new(&DenseSimplex);
        let (outcome, _) = bounding_box_from(&counted, 2, &half, Some(&hints)).unwrap();
        let expected = [(0.0, 0.5), (0.0, 1.0)];
        assert!(close(&bounds(outcome), &expected));
        assert!(counted.solves() >= 1, "the maximum of x moved: an LP");
        let reference = bounds(bounding_box_from(&GoodLpMicrolp, 2, &half, None).unwrap().0);
        assert!(close(&reference, &expected), "{reference:?}");
    }
}
