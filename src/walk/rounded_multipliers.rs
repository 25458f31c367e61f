//! Small multipliers with box slack: a proof that one side of a row is empty
//! on a piece, found in floats and checked exactly (`docs/certificate.md`).
//!
//! Motzkin's multipliers cancel the normals exactly: `Σ λ_j a_j = 0`. On a
//! deep network that takes integers of hundreds of digits (a Cramer minor
//! of rows that are themselves products of six weight matrices), and most of
//! a certificate was such digits. When the piece lies in the domain box `B`,
//! the normals need not cancel. For `λ_j ≥ 0`, not all zero, every point of
//! the strict system `a_j·y < b_j` has `ρ·y < β`, where `ρ = Σ λ_j a_j` and
//! `β = Σ λ_j b_j`. If `min over B of ρ·y ≥ β`, no point of `B` has that,
//! so the system has no solution. Multipliers rounded from a float solve
//! leave a residual normal `ρ` of the order of the rounding; the slack the
//! side's emptiness leaves (`β` well below zero) pays for it. Where it does
//! not (a side that touches the piece), the caller falls back to exact
//! multipliers.

use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::{range_over_box, ExactHalf};
use crate::exact::interval::{self, Interval, IntervalHalf, Known};
use num_bigint::BigInt;
use num_traits::Zero;

/// Bits of the largest multiplier once the float solution is scaled to
/// integers, tried in turn until the exact check passes. Rounding to `k` bits
/// leaves a residual normal of about `2^-k` of the rows' size, which the
/// side's slack must pay for. Why these: on ACAS Xu N1,1 (property 4) most
/// empty sides have slack to spare at 12 bits (four-digit integers, the
/// smallest certificate); 20 and 32 bits catch the thinner ones, and 32 bits
/// (2^-32 ≈ 2e-10) is below the walk's tolerances (`1e-7` and up), so a side
/// that the float walk found empty with margin passes by then. Motzkin's
/// exact multipliers, the fallback, had a median of 165 digits there.
pub(crate) const MULTIPLIER_BITS: [i32; 3] = [12, 20, 32];

/// How negative a float multiplier may come out and still be read as zero,
/// relative to the largest. Why `1e-9`: a row active at the optimum by
/// accident (slack below `ACTIVE_SLACK`, not in the true support) gets a
/// multiplier of the solve's rounding, about `1e-13` relative; a clearly
/// negative one means the support is wrong, and the exact path decides.
const NEGATIVE_AS_ZERO: f64 = 1e-9;

/// Integer multipliers `λ_j ≥ 0` over `rows` (the last is the side shown
/// empty) with `Σ λ_j b_j ≤ min over the box of (Σ λ_j a_j)·y`, checked
/// exactly; `None` when the support is not `dim + 1` rows, the float solve
/// fails, or the exact check does.
pub fn rounded_multipliers(
    dim: usize,
    rows: &[ExactHalf],
    bounds: &[(Dyadic, Dyadic)],
) -> Option<Vec<BigInt>> {
    if rows.len() != dim + 1 || bounds.len() != dim {
        return None;
    }
    let normals: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.a.iter().map(Dyadic::to_f64))
        .collect();
    candidates(dim, &normals)?
        .map(|lambda| lambda.into_iter().map(BigInt::from).collect::<Vec<_>>())
        .find(|lambda| holds(dim, rows, lambda, bounds))
}

/// What the enclosed check made of the candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rounded {
    /// These multipliers pass: the enclosure of the box slack is
    /// nonnegative, so the exact slack is.
    Proved(Vec<BigInt>),
    /// No candidate passes, each shown so by its enclosure (or none could
    /// be found).
    Failed,
    /// An enclosure straddled zero: the exact check must decide.
    Undecided,
}

/// [`rounded_multipliers`] on rows known by their enclosures
/// (`exact/interval.rs`), against a box of doubles: the same candidates,
/// checked in interval arithmetic.
pub fn rounded_multipliers_enclosed(
    dim: usize,
    rows: &[&IntervalHalf],
    bounds: &[(f64, f64)],
) -> Rounded {
    if rows.len() != dim + 1 || bounds.len() != dim {
        return Rounded::Failed;
    }
    let normals: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.a.iter().map(Interval::mid))
        .collect();
    let Some(mut candidates) = candidates(dim, &normals) else {
        return Rounded::Failed;
    };
    candidates
        .find_map(|lambda| match holds_enclosed(dim, rows, &lambda, bounds) {
            Known::Yes => Some(Rounded::Proved(
                lambda.into_iter().map(BigInt::from).collect(),
            )),
            Known::No => None,
            Known::Unknown => Some(Rounded::Undecided),
        })
        .unwrap_or(Rounded::Failed)
}

/// The float solution on the rows' normals (`dim + 1` rows of `dim`, one
/// after the other), scaled and rounded to integers at each of
/// [`MULTIPLIER_BITS`] in turn (at most `2^32`, so each is a double too);
/// `None` if the solve fails.
fn candidates(dim: usize, normals: &[f64]) -> Option<impl Iterator<Item = Vec<u64>>> {
    let lambda = float_multipliers(dim, normals)?;
    Some(
        MULTIPLIER_BITS
            .into_iter()
            .map_while(move |bits| scaled(&lambda, bits)),
    )
}

/// The float solution on the rows' normals (laid out as for
/// [`float_multipliers`]), scaled so that the largest is `2^bits` and
/// rounded to integers (`bits` at most 52, so each is a double too); `None`
/// if the solve fails.
pub(crate) fn candidate(dim: usize, normals: &[f64], bits: i32) -> Option<Vec<u64>> {
    scaled(&float_multipliers(dim, normals)?, bits)
}

/// `lambda` scaled so that its largest entry is `2^bits`, rounded to
/// integers; `None` when no entry is positive.
pub(crate) fn scaled(lambda: &[f64], bits: i32) -> Option<Vec<u64>> {
    let top = lambda.iter().cloned().fold(0.0, f64::max);
    if top <= 0.0 || !top.is_finite() {
        return None;
    }
    Some(
        lambda
            .iter()
            .map(|l| ((l / top).max(0.0) * 2f64.powi(bits)).round() as u64)
            .collect(),
    )
}

/// The exact check, as the checker does it: `min over the box of ρ·y − β ≥ 0`.
pub(crate) fn holds(
    dim: usize,
    rows: &[ExactHalf],
    lambda: &[BigInt],
    bounds: &[(Dyadic, Dyadic)],
) -> bool {
    let mut rho = vec![Dyadic::zero(); dim];
    let mut beta = Dyadic::zero();
    for (row, l) in rows.iter().zip(lambda).filter(|(_, l)| !l.is_zero()) {
        for (r, a) in rho.iter_mut().zip(&row.a) {
            r.add_multiple(a, l);
        }
        beta.add_multiple(&row.b, l);
    }
    let (lo, _) = range_over_box(&rho, &-&beta, bounds);
    lo.signum() >= 0
}

/// The same check on enclosures: `Yes` when the exact slack is certainly
/// nonnegative, `No` when certainly negative.
pub(crate) fn holds_enclosed(
    dim: usize,
    rows: &[&IntervalHalf],
    lambda: &[u64],
    bounds: &[(f64, f64)],
) -> Known {
    let mut rho = vec![Interval::ZERO; dim];
    let mut beta = Interval::ZERO;
    for (row, &l) in rows.iter().zip(lambda).filter(|(_, &l)| l != 0) {
        // At most 2^32 (MULTIPLIER_BITS): a double exactly.
        let l = Interval::point(l as f64);
        for (r, a) in rho.iter_mut().zip(&row.a) {
            *r = r.add_product(l, *a);
        }
        beta = beta.add_product(l, row.b);
    }
    let (min, _) = interval::range_over_box(&rho, beta.neg(), bounds);
    Known::of(min.lo >= 0.0, min.hi < 0.0)
}

/// Float multipliers of the rows, the last fixed by scale: the solution of
/// `Σ_{j<dim} μ_j â_j = −â_dim` on unit normals, back on the rows' own scale;
/// `None` if it is singular or clearly negative somewhere. `normals` holds
/// the `dim + 1` rows' normals one after the other (one buffer, not a
/// vector per row: this runs for every bound of a cell's box and every
/// multiplier test).
fn float_multipliers(dim: usize, normals: &[f64]) -> Option<Vec<f64>> {
    debug_assert_eq!(normals.len(), dim * (dim + 1));
    let norms: Vec<f64> = normals
        .chunks_exact(dim.max(1))
        .map(|a| a.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    if norms.iter().any(|n| !(n.is_finite() && *n > 0.0)) {
        return None;
    }
    // Row i of the augmented system: coordinate i of the first `dim` unit
    // normals, then −(coordinate i of the last).
    let width = dim + 1;
    let mut m = vec![0.0; dim * width];
    for (i, row) in m.chunks_exact_mut(width).enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            let unit = normals[j * dim + i] / norms[j];
            *v = if j == dim { -unit } else { unit };
        }
    }
    let mu = solve(&mut m, dim)?;
    let top = mu.iter().cloned().fold(1.0, f64::max);
    if mu
        .iter()
        .any(|&v| v < -NEGATIVE_AS_ZERO * top || !v.is_finite())
    {
        return None;
    }
    // Back to the rows as written: μ_j â_j = (μ_j / ‖a_j‖) a_j.
    Some(
        mu.iter()
            .chain([&1.0])
            .zip(&norms)
            .map(|(m, norm)| m.max(0.0) / norm)
            .collect(),
    )
}

/// Solves the `n × n` system whose augmented rows (`n + 1` entries each)
/// are laid out one after the other in `m` (Gaussian elimination with
/// partial pivoting); `None` if it is singular in floats.
fn solve(m: &mut [f64], n: usize) -> Option<Vec<f64>> {
    let w = n + 1;
    for k in 0..n {
        let p = (k..n).max_by(|&i, &j| m[i * w + k].abs().total_cmp(&m[j * w + k].abs()))?;
        if m[p * w + k].abs() < f64::MIN_POSITIVE {
            return None;
        }
        if p != k {
            for c in 0..w {
                m.swap(k * w + c, p * w + c);
            }
        }
        let (top, rest) = m.split_at_mut((k + 1) * w);
        let pivot = &top[k * w..];
        for row in rest.chunks_exact_mut(w) {
            let f = row[k] / pivot[k];
            for (v, p) in row[k..].iter_mut().zip(&pivot[k..]) {
                *v -= f * p;
            }
        }
    }
    let mut x = vec![0.0; n];
    for k in (0..n).rev() {
        let s: f64 = (k + 1..n).map(|j| m[k * w + j] * x[j]).sum();
        x[k] = (m[k * w + n] - s) / m[k * w + k];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn half(a: &[f64], b: f64) -> ExactHalf {
        ExactHalf::of_floats(a, b)
    }

    fn unit_box(dim: usize) -> Vec<(Dyadic, Dyadic)> {
        vec![(Dyadic::from_f64(-1.0), Dyadic::from_f64(1.0)); dim]
    }

    #[test]
    fn a_triangle_outside_is_proved_with_small_integers() {
        // y0 > 0, y1 > 0 and 3·y0 + y1 < −0.5: empty. By hand the exact
        // multipliers are (3, 1, 1); scaled so the largest is 2^12, the
        // first precision tried, and the slack (0.5) pays for the rounding.
        let rows = [
            half(&[-1.0, 0.0], 0.0),
            half(&[0.0, -1.0], 0.0),
            half(&[3.0, 1.0], -0.5),
        ];
        let l = rounded_multipliers(2, &rows, &unit_box(2)).expect("a proof");
        let top = BigInt::from(1u64 << 12);
        assert_eq!(l[0], top);
        // 2^12 / 3 = 1365.33 rounds to 1365.
        assert_eq!(&l[1] * 3, top - 1);
    }

    #[test]
    fn a_side_with_interior_is_never_proved_empty() {
        // Moved so that the triangle has interior: no multipliers can pass the
        // exact check, whatever the float solve says.
        let rows = [
            half(&[-1.0, 0.0], 0.0),
            half(&[0.0, -1.0], 0.0),
            half(&[3.0, 1.0], 0.5),
        ];
        assert_eq!(rounded_multipliers(2, &rows, &unit_box(2)), None);
        // Touching at one point (the offset 0): no slack, so no rounded proof.
        let rows = [
            half(&[-1.0, 0.0], 0.0),
            half(&[0.0, -1.0], 0.0),
            half(&[3.0, 1.0], 0.0),
        ];
        // Exact multipliers (3, 1, 1) would pass; rounded ones are (3, 1, 1)
        // scaled to 2^k and rounded, and 2^k/3 is never an integer, so the
        // residual normal is nonzero with no offset to pay for it.
        assert_eq!(rounded_multipliers(2, &rows, &unit_box(2)), None);
    }

    #[test]
    fn the_residual_is_paid_for_by_the_box() {
        // Rows whose exact multipliers are irrational-looking in binary
        // (thirds, sevenths): the rounded ones leave a residual normal, and
        // the check passes only through the box term.
        let rows = [
            half(&[-1.0, 0.0], 0.0),
            half(&[0.0, -1.0], 0.0),
            half(&[1.0 / 3.0, 1.0 / 7.0], -0.25),
        ];
        let l = rounded_multipliers(2, &rows, &unit_box(2)).expect("a proof");
        let rho: Vec<Dyadic> = (0..2)
            .map(|i| {
                rows.iter()
                    .zip(&l)
                    .fold(Dyadic::zero(), |s, (r, l)| &s + &r.a[i].mul_int(l))
            })
            .collect();
        assert!(
            rho.iter().any(|v| !v.is_zero()),
            "rounding left no residual"
        );
        assert!(holds(2, &rows, &l, &unit_box(2)));
    }
}
