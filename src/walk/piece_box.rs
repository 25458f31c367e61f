//! A piece's own box: its cell's box narrowed by the row of each cut that
//! made the piece, by bound propagation (no LP). The side test's box bound
//! (`side_test.rs`) then decides more neurons on the piece without an LP.
//!
//! For a row `h·t < b` and a box `[l, u]`, every point of the box that
//! satisfies the row has `h_i t_i < b − Σ_{j≠i} min(h_j l_j, h_j u_j)`, which
//! bounds `t_i` above (for `h_i > 0`) or below (for `h_i < 0`). The result
//! contains the piece; its float rounding (a few units of `1e-16` of the
//! box) is far inside the margin the box bound keeps before it decides
//! (`NEAR_TIE_MARGIN`, `1e-6`).

use crate::domain::half_space::HalfSpace;
use std::sync::Arc;

/// `bbox` narrowed by `row` (`None`: no row, or nothing narrowed, or a
/// box found empty, which the piece's own ball contradicts: then the
/// cell's box is kept).
pub(crate) fn narrowed(
    bbox: &[(f64, f64)],
    row: Option<&HalfSpace>,
) -> Option<Arc<Vec<(f64, f64)>>> {
    let h = row?;
    let least = |hj: f64, (l, u): (f64, f64)| (hj * l).min(hj * u);
    let total: f64 = h.a.iter().zip(bbox).map(|(&hj, &lu)| least(hj, lu)).sum();
    if !total.is_finite() {
        return None;
    }
    let mut out = bbox.to_vec();
    let mut changed = false;
    for (i, (&hi, bounds)) in h.a.iter().zip(out.iter_mut()).enumerate() {
        if hi == 0.0 {
            continue;
        }
        let rest = total - least(hi, bbox[i]);
        let limit = (h.b - rest) / hi;
        if hi > 0.0 && limit < bounds.1 {
            bounds.1 = limit;
            changed = true;
        } else if hi < 0.0 && limit > bounds.0 {
            bounds.0 = limit;
            changed = true;
        }
        if bounds.0 > bounds.1 {
            return None;
        }
    }
    changed.then(|| Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagonal_cut_narrows_the_square() {
        // x + y < 0 (unit normal) on [-1, 1]²: x < −y ≤ 1 gives nothing
        // new... but x + y < 0 with y ≥ −1 gives x < 1, and with the row
        // x + y < −1: x < −1 − y ≤ 0, so x, y ∈ [−1, 0].
        let s = std::f64::consts::FRAC_1_SQRT_2;
        let square = [(-1.0, 1.0), (-1.0, 1.0)];
        let row = HalfSpace {
            a: vec![s, s],
            b: -s,
        };
        let b = narrowed(&square, Some(&row)).expect("narrowed");
        for (i, &(l, u)) in b.iter().enumerate() {
            assert_eq!(l, -1.0, "coordinate {i}");
            assert!((u - 0.0).abs() < 1e-15, "coordinate {i}: {u}");
        }
        // x + y < 2 on the square narrows nothing.
        let row = HalfSpace {
            a: vec![s, s],
            b: 2.0 * s,
        };
        assert!(narrowed(&square, Some(&row)).is_none());
    }
}
