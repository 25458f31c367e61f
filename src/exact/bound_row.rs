//! The row of a bound of a cell's box as the prover and the checker both
//! write it (docs/certificate.md, "Cell boxes"): the side of the bound that
//! its proof shows empty.

use crate::exact::interval::{Interval, IntervalHalf};

/// The side of the bound `y_i ≥ value` (or, when `upper`, `y_i ≤ value`)
/// that lies outside it, `y_i < value` (or `−y_i < −value`), on `dim` free
/// coordinates. Its numbers are doubles, so each enclosure is the number
/// itself: the row is exact.
pub fn bound_side(dim: usize, i: usize, upper: bool, value: f64) -> IntervalHalf {
    let sign = if upper { -1.0 } else { 1.0 };
    let mut a = vec![Interval::ZERO; dim];
    a[i] = Interval::point(sign);
    IntervalHalf {
        a,
        b: Interval::point(sign * value),
    }
}
