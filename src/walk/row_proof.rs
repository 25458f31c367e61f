//! The certificate's proof of a miss that the walk proved by one row of
//! the piece and the box, with no LP (`row_bound.rs`).
//!
//! That bound is a Lagrangian one: for the piece's row `g·y < h`, a
//! multiplier `λ ≥ 0` and the side `s·y < d` shown empty,
//! `min over the box of (s + λ g)·y − (d + λ h) ≥ 0` means that no point of
//! the box satisfies both rows, so the side is empty on the piece, which
//! lies in the box. That is the certificate's one-sided test by multipliers
//! with the box rule (docs/certificate.md), on two rows: `λ` on the piece's
//! row and `1` on the side, scaled to integers. So a certifying walk may
//! use the row bound too: the multipliers are found here again on the
//! certificate's own rows (free coordinates, where the walk's were in
//! working ones), rounded to integers as
//! [`rounded_multipliers`](crate::walk::rounded_multipliers) rounds its own,
//! and checked as the checker checks them, on enclosures first and on exact
//! numbers where those cannot tell.

use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::interval::{IntervalHalf, Known};
use crate::walk::rounded_multipliers::{holds, holds_enclosed, scaled, Rounded, MULTIPLIER_BITS};
use crate::walk::row_bound::{best_multiplier, Signed};
use num_bigint::BigInt;

/// Integer multipliers of `row` and `side` (in that order) for which the
/// enclosures show `min over the box of ρ·y − β ≥ 0`; [`Rounded::Undecided`]
/// when an enclosure straddles zero (the exact numbers then decide:
/// [`row_multipliers`]).
pub(crate) fn row_multipliers_enclosed(
    row: &IntervalHalf,
    side: &IntervalHalf,
    bounds: &[(f64, f64)],
) -> Rounded {
    let mid = |h: &IntervalHalf| (h.a.iter().map(|v| v.mid()).collect(), h.b.mid());
    let Some(candidates) = candidates(mid(row), mid(side), bounds) else {
        return Rounded::Failed;
    };
    let rows = [row, side];
    for lambda in candidates {
        match holds_enclosed(bounds.len(), &rows, &lambda, bounds) {
            Known::Yes => return Rounded::Proved(lambda.iter().map(|&l| l.into()).collect()),
            Known::No => {}
            Known::Unknown => return Rounded::Undecided,
        }
    }
    Rounded::Failed
}

/// [`row_multipliers_enclosed`] on exact rows, checked exactly over the box
/// `bounds` (whose ends are the doubles `float_box`).
pub(crate) fn row_multipliers(
    row: &ExactHalf,
    side: &ExactHalf,
    float_box: &[(f64, f64)],
    bounds: &[(Dyadic, Dyadic)],
) -> Option<Vec<BigInt>> {
    let float = |h: &ExactHalf| (h.a.iter().map(Dyadic::to_f64).collect(), h.b.to_f64());
    let rows = [row.clone(), side.clone()];
    candidates(float(row), float(side), float_box)?
        .map(|lambda| lambda.iter().map(|&l| BigInt::from(l)).collect::<Vec<_>>())
        .find(|lambda| holds(bounds.len(), &rows, lambda, bounds))
}

/// Candidate integer multipliers `[λ_row, λ_side]`: the best `λ` of the row
/// bound for the side `s·y < d` (its function is `−(s·y − d)`, whose
/// minimum over the piece must be nonnegative), with the side's multiplier
/// 1, scaled so the larger is `2^bits` for each of [`MULTIPLIER_BITS`];
/// `None` when no `λ > 0` raises the bound above the box's alone.
fn candidates(
    (g, h): (Vec<f64>, f64),
    (s, d): (Vec<f64>, f64),
    bounds: &[(f64, f64)],
) -> Option<impl Iterator<Item = Vec<u64>>> {
    // The row bound's function is σ(a·y + c) with σ = 1, a = s, c = −d:
    // its minimum over the piece is what the check needs nonnegative.
    let f = Signed {
        a: &s,
        c: -d,
        sign: 1.0,
    };
    let lambda = best_multiplier(bounds, &f, (&g, h), 0.0)?;
    let weights = [lambda, 1.0];
    Some(
        MULTIPLIER_BITS
            .into_iter()
            .map_while(move |bits| scaled(&weights, bits)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn half(a: &[f64], b: f64) -> IntervalHalf {
        IntervalHalf::of_points(a, b)
    }

    fn exact(h: &IntervalHalf) -> ExactHalf {
        ExactHalf::of_floats(&h.a.iter().map(|v| v.lo).collect::<Vec<_>>(), h.b.lo)
    }

    /// The triangle `x, y ∈ [0, 1]`, `x + y < 1` of `row_bound.rs`'s test,
    /// and the side `x + y > 1.5` (as a row, `−x − y < −1.5`): empty, since
    /// `x + y < 1` there. By hand, `λ = 1` on the hypotenuse cancels the
    /// normals and leaves `−(−1.5) − 1 = 0.5` of slack; the box alone
    /// (corner `(1, 1)`, where `x + y = 2`) proves nothing.
    #[test]
    fn the_hypotenuse_proves_the_far_side_empty() {
        let unit = [(0.0, 1.0), (0.0, 1.0)];
        let row = half(&[1.0, 1.0], 1.0);
        let side = half(&[-1.0, -1.0], -1.5);
        let Rounded::Proved(l) = row_multipliers_enclosed(&row, &side, &unit) else {
            panic!("a proof")
        };
        // λ = 1: both multipliers are 2^12, the first precision tried.
        assert_eq!(l, vec![BigInt::from(4096), BigInt::from(4096)]);
        let bounds: Vec<(Dyadic, Dyadic)> = unit
            .iter()
            .map(|&(l, h)| (Dyadic::from_f64(l), Dyadic::from_f64(h)))
            .collect();
        assert_eq!(
            row_multipliers(&exact(&row), &exact(&side), &unit, &bounds),
            Some(l)
        );
        // The side x + y > 0.5 meets the triangle: nothing proves it empty.
        let near = half(&[-1.0, -1.0], -0.5);
        assert_eq!(
            row_multipliers_enclosed(&row, &near, &unit),
            Rounded::Failed
        );
        assert_eq!(
            row_multipliers(&exact(&row), &exact(&near), &unit, &bounds),
            None
        );
    }

    /// A multiplier that is no power of two (`λ = 3`, so the side's is
    /// `2^12 / 3`, rounded): the rounding leaves a residual normal that the
    /// slack pays for, and the proof still checks.
    #[test]
    fn a_rounded_multiplier_is_paid_for_by_the_slack() {
        let unit = [(0.0, 1.0), (0.0, 1.0)];
        // 3x + 3y < 3 is the hypotenuse scaled by 3: λ = 1/3 on it.
        let row = half(&[3.0, 3.0], 3.0);
        let side = half(&[-1.0, -1.0], -1.5);
        let Rounded::Proved(l) = row_multipliers_enclosed(&row, &side, &unit) else {
            panic!("a proof")
        };
        assert_eq!(l, vec![BigInt::from(1365), BigInt::from(4096)]);
    }
}
