//! A region's shape on a 2-D (or 1-D) domain, in the domain's free
//! coordinates: the window clipped by the region's rows, in `f64`.

use crate::exact::slice::Slice;
use crate::walk::region_report::ConstraintReport;

/// A row `a·p ≤ b` on the free coordinates.
pub type Row = ([f64; 2], f64);

/// The hidden neuron a region's row comes from: (layer, index, on).
pub type NeuronLabel = Option<(usize, usize, bool)>;

/// The constraint `a·x ≤ b` (in the domain's coordinates) on the slice's
/// free coordinates: fixed coordinates move into `b`. One free coordinate
/// gives `a = [a_0, 0]`.
pub fn free_row(slice: &Slice, c: &ConstraintReport) -> Row {
    let free = slice.free();
    let fixed: f64 = slice.fixed().iter().map(|&(i, v)| c.a[i] * v).sum();
    let a0 = c.a[free[0]];
    let a1 = free.get(1).map_or(0.0, |&i| c.a[i]);
    ([a0, a1], c.b - fixed)
}

/// `polygon` cut by `a·p ≤ b` (Sutherland–Hodgman; the polygon is convex).
pub fn clip(polygon: &[[f64; 2]], (a, b): &Row) -> Vec<[f64; 2]> {
    let side = |p: &[f64; 2]| a[0] * p[0] + a[1] * p[1] - b;
    let mut out = Vec::with_capacity(polygon.len() + 1);
    for (i, p) in polygon.iter().enumerate() {
        let q = &polygon[(i + 1) % polygon.len()];
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(*p);
        }
        if (sp < 0.0 && sq > 0.0) || (sp > 0.0 && sq < 0.0) {
            let t = sp / (sp - sq);
            out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
        }
    }
    out
}

/// The window `[lo_0, hi_0] × [lo_1, hi_1]` as a counter-clockwise polygon.
pub fn rectangle(window: &[(f64, f64)]) -> Vec<[f64; 2]> {
    let ((x0, x1), (y0, y1)) = (window[0], window[1]);
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
}

/// The polygon of a region: the window clipped by every row.
pub fn region_polygon(window: &[(f64, f64)], rows: &[Row]) -> Vec<[f64; 2]> {
    rows.iter().fold(rectangle(window), |p, r| clip(&p, r))
}

/// The interval of a region on a 1-D window: `[lo, hi]` cut by every row
/// `a_0 t ≤ b`.
pub fn region_interval(window: (f64, f64), rows: &[Row]) -> (f64, f64) {
    rows.iter().fold(window, |(lo, hi), ([a, _], b)| {
        if *a > 0.0 {
            (lo, hi.min(b / a))
        } else if *a < 0.0 {
            (lo.max(b / a), hi)
        } else {
            (lo, hi)
        }
    })
}

/// The signed area of a polygon (positive counter-clockwise; shoelace).
pub fn area(polygon: &[[f64; 2]]) -> f64 {
    let n = polygon.len();
    0.5 * (0..n)
        .map(|i| {
            let (p, q) = (polygon[i], polygon[(i + 1) % n]);
            p[0] * q[1] - q[0] * p[1]
        })
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_a_square() {
        // The unit square cut by x + y ≤ 1: the lower-left triangle, area 1/2.
        let sq = rectangle(&[(0.0, 1.0), (0.0, 1.0)]);
        assert_eq!(area(&sq), 1.0);
        let tri = clip(&sq, &([1.0, 1.0], 1.0));
        assert_eq!(area(&tri), 0.5);
        // Cut again by x ≥ 1/2 (−x ≤ −1/2): a triangle of legs 1/2, area 1/8.
        assert_eq!(area(&clip(&tri, &([-1.0, 0.0], -0.5))), 0.125);
        assert_eq!(
            region_interval((0.0, 4.0), &[([2.0, 0.0], 2.0), ([-1.0, 0.0], -0.5)]),
            (0.5, 1.0)
        );
    }
}
