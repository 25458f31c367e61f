//! A cell's box, proved (docs/certificate.md, "Cell boxes"). The walk
//! bounds each cell by a box of `2k` float LPs, and a neuron whose row keeps
//! one sign over that box is decided with no LP (the side test's box bound).
//! To certify such a decision the box itself needs a proof: each bound
//! `y_i ≥ l` says that the side `y_i < l` of the cell is empty, which is a
//! one-sided test like any other, proved by multipliers on the rows active
//! at that bound's LP optimum (its basis), rounded from a float solve and
//! paid for by the box of the cell's parent (`rounded_multipliers.rs`).
//!
//! Here the bound is not given: the multipliers are, and the bound is the
//! best one they prove. With integers `λ ≥ 0` on the support and `λ_s` on
//! the side, every point of the cell has
//! `Σ λ_j (a_j·y − b_j) + λ_s y_i < λ_s l`, so when `m` is the minimum of the
//! left side over the parent's box, no point of the cell has `y_i < m/λ_s`:
//! `l = m/λ_s` is proved (and `−m/λ_s` bounds `y_i` above when the side is
//! `−y_i`). The bound is rounded outward onto a grid (short numbers in the
//! certificate, room for the checker's own enclosures) and checked in
//! interval arithmetic exactly as the checker will check it.

use crate::exact::bound_row::bound_side;
use crate::exact::interval::{self, Interval, IntervalHalf, Known};
use crate::walk::prover::RowTag;
use crate::walk::rounded_multipliers::{candidate, holds_enclosed};
use num_integer::Integer;

/// One proved bound of a cell's box: `y_i ≥ value` or `y_i ≤ value`, with
/// integer multipliers over rows of the cell and over the bound's side
/// (`RowTag::Side`: `y_i < value`, or `y_i > value`), the side shown empty.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundRecord {
    /// The bound (free coordinates), a double.
    pub value: f64,
    /// The positive multipliers, by row, in the order they are summed.
    pub lambda: Vec<(RowTag, u64)>,
}

/// A cell's box as the certificate gives it: per free coordinate, its lower
/// and its upper bound where proved; `None` where the box of the cell's
/// parent holds (the domain's box at the root).
pub type BoxRecord = Vec<[Option<BoundRecord>; 2]>;

/// A bound is rounded outward to a multiple of `2^-BOUND_GRID_BITS` times
/// the parent box's width (a power of two), then one more step out. Why 36:
/// the step is then about `1.5e-11` of the width, far below the side test's
/// box margin (`NEAR_TIE_MARGIN`, `1e-6` of the domain's half-width), so no
/// decision is lost to it; and the bound's numerator and denominator stay
/// near 12 digits each instead of a double's 17 and 16. The extra step
/// leaves the checker room should its enclosures come out a few units wider
/// than the prover's.
const BOUND_GRID_BITS: i32 = 36;

/// A bound leaves the checker this many times the width of the prover's
/// enclosure of its slack as room. The bound is the best its multipliers
/// prove, so its slack is as thin as the enclosure: a checker whose
/// enclosures come out wider (another build's arithmetic, such as one
/// rounding bound per dot product instead of one per operation) would find
/// it undecided and rebuild the cell's exact rows, which is right but slow
/// (a certificate of ACAS Xu N1,1 over property 4 with the grid step alone
/// as room took 42 s to verify so, against 3.7 s). Why 1024: a dot
/// product's rounding bound `γ_n` is at most `n` times the per-operation
/// one, and the layers are 50 wide; the bound moves by about `1e-13` of
/// the parent box's width, far below the side test's box margin.
const ENCLOSURE_ROOM: f64 = 1024.0;

/// The bits of the largest multiplier of a bound's proof
/// (`rounded_multipliers.rs` scales the float solution so). A bound, unlike
/// a side shown empty, has no slack to pay for the rounding but what it
/// gives up: rounding to `k` bits moves it by about `2^-k` of the rows'
/// size over the parent's box. Why 20, measured on ACAS Xu N1,1 over
/// property 4 (31,840 bounds), in working units (the domain is
/// `[-1, 1]^k`): at 12 bits the median bound was `1.8e-3` looser than the
/// float LP's, and 1,016 side tests that the float box decided were not
/// decided by the proved one (1% more LPs); at 20 bits `7e-6`, 5 tests; at
/// 32 bits `1.8e-9`, none, but a certificate 0.55 MB larger.
const BOUND_MULTIPLIER_BITS: i32 = 20;

/// The bound of coordinate `i` (the upper one when `upper`) that rounded
/// multipliers (of [`BOUND_MULTIPLIER_BITS`]) on `support` (rows of the
/// cell, enclosed, with their `tags`) prove over the parent's box `parent`,
/// checked as the checker checks it; `None` when the float solve fails or
/// the check does.
pub(crate) fn prove_bound(
    support: &[&IntervalHalf],
    tags: &[RowTag],
    (i, upper): (usize, bool),
    parent: &[(f64, f64)],
) -> Option<BoundRecord> {
    let dim = parent.len();
    let open = bound_side(dim, i, upper, 0.0);
    let normals: Vec<f64> = support
        .iter()
        .copied()
        .chain([&open])
        .flat_map(|r| r.a.iter().map(Interval::mid))
        .collect();
    let step = grid_step(parent[i])?;
    let lambda = reduced(candidate(dim, &normals, BOUND_MULTIPLIER_BITS)?);
    let side_lambda = *lambda.last()? as f64;
    if side_lambda == 0.0 {
        return None;
    }
    // The minimum over the parent's box with the side's offset left out.
    let mut rows: Vec<&IntervalHalf> = support.iter().copied().chain([&open]).collect();
    let mut rho = vec![Interval::ZERO; dim];
    let mut beta = Interval::ZERO;
    for (row, &l) in rows.iter().zip(&lambda).filter(|(_, &l)| l != 0) {
        let l = Interval::point(l as f64);
        for (r, a) in rho.iter_mut().zip(&row.a) {
            *r = r.add_product(l, *a);
        }
        beta = beta.add_product(l, row.b);
    }
    let (min, _) = interval::range_over_box(&rho, beta.neg(), parent);
    let room = ENCLOSURE_ROOM * (min.hi - min.lo);
    let raw = (min.lo - room) / side_lambda;
    let value = if upper {
        ((-raw / step).ceil() + 1.0) * step
    } else {
        ((raw / step).floor() - 1.0) * step
    };
    if !value.is_finite() {
        return None;
    }
    let side = bound_side(dim, i, upper, value);
    *rows.last_mut().expect("the side") = &side;
    if holds_enclosed(dim, &rows, &lambda, parent) != Known::Yes {
        return None;
    }
    let tags = tags.iter().copied().chain([RowTag::Side]);
    Some(BoundRecord {
        value,
        lambda: tags.zip(lambda).filter(|&(_, l)| l > 0).collect(),
    })
}

/// The grid a bound of an interval `(lo, hi)` is rounded to: a power of two
/// near `2^-BOUND_GRID_BITS` of its width; `None` for an interval without
/// width.
fn grid_step((lo, hi): (f64, f64)) -> Option<f64> {
    let width = hi - lo;
    (width > 0.0 && width.is_finite())
        .then(|| 2f64.powi(width.log2().floor() as i32 - BOUND_GRID_BITS))
}

/// The multipliers divided by their greatest common divisor (any positive
/// multiple proves the same bound; smaller integers are shorter to write).
fn reduced(lambda: Vec<u64>) -> Vec<u64> {
    let g = lambda.iter().fold(0u64, |g, &v| g.gcd(&v));
    if g > 1 {
        lambda.into_iter().map(|v| v / g).collect()
    } else {
        lambda
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a: &[f64], b: f64) -> IntervalHalf {
        IntervalHalf::of_points(a, b)
    }

    /// The triangle `y0 > 0.25`, `y1 > 0`, `y0 + y1 < 0.75` inside the
    /// square `[−1, 1]²`: by hand, `y0 < 0.75 − y1 < 0.75`, so `y0 ≤ 0.75`,
    /// attained at the vertex (0.75, 0) where `y1 > 0` and `y0 + y1 < 0.75`
    /// are active; and `y0 ≥ 0.25` by its own row.
    #[test]
    fn the_bounds_of_a_triangle_are_those_worked_by_hand() {
        let lower_y0 = row(&[-1.0, 0.0], -0.25);
        let lower_y1 = row(&[0.0, -1.0], 0.0);
        let diagonal = row(&[1.0, 1.0], 0.75);
        let square = [(-1.0, 1.0), (-1.0, 1.0)];
        let tags = [RowTag::Domain(0), RowTag::Domain(1)];
        let upper =
            prove_bound(&[&lower_y1, &diagonal], &tags, (0, true), &square).expect("a proof");
        // Two grid steps of 2^-35 (the width 2 is 2^1) at most above 0.75.
        assert!(upper.value >= 0.75 && upper.value <= 0.75 + 2.0 * 2f64.powi(-35));
        // The exact multipliers are 1 on each row and 1 on the side
        // (y1 > 0 plus y0 + y1 < 0.75 plus y0 > 0.75 sum to 0 < 0): equal
        // integers, reduced to 1.
        let ones: Vec<u64> = upper.lambda.iter().map(|&(_, l)| l).collect();
        assert_eq!(ones, vec![1, 1, 1]);
        let lower =
            prove_bound(&[&lower_y0, &lower_y1], &tags, (0, false), &square).expect("a proof");
        assert!(lower.value <= 0.25 && lower.value >= 0.25 - 2.0 * 2f64.powi(-35));
    }

    /// A bound that the rows do not imply is never proved, whatever the
    /// float target says: `y0 ≤ 0.5` does not hold on the triangle above.
    #[test]
    fn a_bound_past_the_cell_is_never_proved() {
        let lower_y1 = row(&[0.0, -1.0], 0.0);
        let diagonal = row(&[1.0, 1.0], 0.75);
        let square = [(-1.0, 1.0), (-1.0, 1.0)];
        let tags = [RowTag::Domain(0), RowTag::Domain(1)];
        let upper = prove_bound(&[&lower_y1, &diagonal], &tags, (0, true), &square)
            .expect("a proof of what holds");
        assert!(upper.value >= 0.75, "{upper:?}");
    }
}
