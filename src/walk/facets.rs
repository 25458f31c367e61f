//! The facets of a region (docs/design.md §3): which of its rows bound it in a
//! `(k−1)`-dimensional face, each with a point in that face's relative
//! interior.
//!
//! Row `j` of the open polyhedron `{t : a_i·t < b_i}` is a facet iff the LP
//!
//! ```text
//! maximise r  subject to  a_j·t = b_j,
//!                         a_i·t + r‖a_i‖ ≤ b_i   (every other row i),
//!                         0 ≤ r ≤ RADIUS_CAP
//! ```
//!
//! has `r* > τ` (`TAU_INTERIOR`): some point of the hyperplane is farther
//! than τ from every other row. Its optimum `y`, projected onto the
//! hyperplane, is the facet's relative-interior point; the neighbour rule
//! crosses the facet there. Rows that define the same hyperplane on the same
//! side are one facet: they are merged first (`SAME_HYPERPLANE`), the first
//! keeps the facet and the others are redundant.
//!
//! Two cheap tests spare most rows their LP, given [`FacetHints`]:
//! - **Ray test** (a facet without LP). From a point `w` inside the region,
//!   step along row `j`'s normal onto its hyperplane. If that point is
//!   farther than τ from every other row, it is feasible for the LP with `r`
//!   = that distance, so `r* > τ` and the LP would say "facet" too. The point
//!   is kept as the facet's relative-interior point, with the same guarantee
//!   as the LP's optimum: more than τ from every other row.
//! - **Box test** (redundant without LP). If row `j`'s hyperplane lies beyond
//!   a box that contains the region, by more than `τ‖a_j‖₁` (room for the
//!   box's own LP error, far below τ), the LP would be infeasible.
//!
//! Only rows that neither test decides go to the LP, so the decisions are
//! the LP's. On ACAS Xu N3,3 over the property-4 box the two tests leave
//! 7.2k of 24.3k facet LPs.
//!
//! # Complexity
//! `O(m² k)` for a region with `m` rows in `k` coordinates (repeated rows,
//! ray and box tests), plus one LP with `k + 1` variables and `m` rows per
//! row that the tests leave undecided.
//!
//! # Example
//! ```
//! use regionwalk::{region_facets, FacetHints, GoodLpMicrolp, HalfSpace};
//! // The square (-1, 1)², with its right side given twice and a line x < 5
//! // that does not touch it: four facets.
//! let row = |a: [f64; 2], b| HalfSpace { a: a.to_vec(), b };
//! let rows = [row([1.0, 0.0], 1.0), row([-1.0, 0.0], 1.0), row([0.0, 1.0], 1.0),
//!             row([0.0, -1.0], 1.0), row([1.0, 0.0], 1.0), row([1.0, 0.0], 5.0)];
//! let facets = region_facets(&GoodLpMicrolp, 2, &rows, FacetHints::default()).unwrap();
//! assert_eq!(facets.iter().map(|f| f.row).collect::<Vec<_>>(), [0, 1, 2, 3]);
//! // The point on the right side is its centre.
//! assert!((facets[0].point[0] - 1.0).abs() < 1e-12 && facets[0].point[1].abs() < 1e-9);
//! ```

use crate::domain::half_space::HalfSpace;
use crate::error::LpError;
use crate::lp::chebyshev::ball_row;
use crate::lp::{LinearProgram, LpEngine, LpOutcome, LpRow, RowKind};
use crate::model::affine::{dot, norm};
use crate::tolerance::{RADIUS_CAP, SAME_HYPERPLANE, TAU_INTERIOR};
use serde::Serialize;

/// A facet of a region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facet {
    /// The row of the region (index into its rows) that the facet lies on.
    pub row: usize,
    /// A point in the facet's relative interior, on the row's hyperplane, in
    /// the coordinates of the rows.
    pub point: Vec<f64>,
    /// How far `point` is from every other row's hyperplane (the LP's `r*`,
    /// or less when the ray test found the point), capped at `RADIUS_CAP`.
    pub radius: f64,
}

/// What the caller knows about the polyhedron, to spare rows their LP
/// (module doc). Without hints every row gets an LP.
#[derive(Debug, Clone, Copy, Default)]
pub struct FacetHints<'a> {
    /// A point inside the polyhedron (for the ray test).
    pub inside: Option<&'a [f64]>,
    /// A box `[lo_i, hi_i]` that contains the polyhedron (for the box test).
    pub bbox: Option<&'a [(f64, f64)]>,
}

/// Whether two rows are one hyperplane on the same side (see `SAME_HYPERPLANE`).
fn same_hyperplane(p: &HalfSpace, q: &HalfSpace) -> bool {
    p.a.iter()
        .zip(&q.a)
        .all(|(x, y)| (x - y).abs() <= SAME_HYPERPLANE)
        && (p.b - q.b).abs() <= SAME_HYPERPLANE * p.b.abs().max(q.b.abs()).max(1.0)
}

/// The facets of the open polyhedron `{t ∈ R^dim : a·t < b for every row}`
/// (a region's rows, in working coordinates), in row order.
pub fn region_facets(
    engine: &dyn LpEngine,
    dim: usize,
    rows: &[HalfSpace],
    hints: FacetHints<'_>,
) -> Result<Vec<Facet>, LpError> {
    // first[i]: the first row that is the same hyperplane as row i.
    let first: Vec<usize> = (0..rows.len())
        .map(|i| {
            (0..i)
                .find(|&j| same_hyperplane(&rows[j], &rows[i]))
                .unwrap_or(i)
        })
        .collect();
    let mut facets = Vec::new();
    for (j, row) in rows.iter().enumerate() {
        if first[j] != j {
            continue;
        }
        let others = || {
            rows.iter()
                .enumerate()
                .filter(|&(i, _)| first[i] != j)
                .map(|(_, h)| h)
        };
        if let Some(w) = hints.inside {
            let y = project(w, row);
            let radius = others()
                .map(|h| (h.b - dot(&h.a, &y)) / norm(&h.a))
                .fold(RADIUS_CAP, f64::min);
            if radius > TAU_INTERIOR {
                facets.push(Facet {
                    row: j,
                    point: y,
                    radius,
                });
                continue;
            }
        }
        if let Some(bbox) = hints.bbox {
            let (mut hi, mut l1) = (0.0, 0.0);
            for (&a, &(l, h)) in row.a.iter().zip(bbox) {
                hi += (a * l).max(a * h);
                l1 += a.abs();
            }
            if hi + TAU_INTERIOR * l1 < row.b {
                continue;
            }
        }
        let mut lp_rows: Vec<LpRow> = others().map(|h| ball_row(h, norm(&h.a))).collect();
        let mut coeffs = row.a.clone();
        coeffs.push(0.0);
        lp_rows.push(LpRow {
            coeffs,
            kind: RowKind::Equal,
            rhs: row.b,
        });
        let mut objective = vec![0.0; dim + 1];
        objective[dim] = 1.0;
        let mut bounds = vec![(f64::NEG_INFINITY, f64::INFINITY); dim + 1];
        bounds[dim] = (0.0, RADIUS_CAP);
        let lp = LinearProgram {
            objective,
            bounds,
            rows: lp_rows,
        };
        match engine.maximise(&lp)? {
            LpOutcome::Optimal { mut x, .. } => {
                let radius = x.pop().unwrap_or(0.0);
                if radius > TAU_INTERIOR {
                    facets.push(Facet {
                        row: j,
                        point: project(&x, row),
                        radius,
                    });
                }
            }
            LpOutcome::Infeasible => {}
            LpOutcome::Unbounded => {
                return Err(LpError::Engine {
                    engine: engine.name(),
                    message: "facet LP reported unbounded although its radius is capped".into(),
                })
            }
        }
    }
    Ok(facets)
}

/// `y` moved onto the hyperplane `a·t = b` along `a`, so that the row's own
/// pre-activation is zero there up to rounding, not up to the LP's tolerance.
fn project(y: &[f64], h: &HalfSpace) -> Vec<f64> {
    let n2 = dot(&h.a, &h.a);
    if n2 == 0.0 {
        return y.to_vec();
    }
    let step = (dot(&h.a, y) - h.b) / n2;
    y.iter().zip(&h.a).map(|(v, a)| v - step * a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::GoodLpMicrolp;

    fn row(a: &[f64], b: f64) -> HalfSpace {
        HalfSpace { a: a.to_vec(), b }
    }

    #[test]
    fn a_triangle_with_a_row_through_its_corner() {
        // x > 0, y > 0, x + y < 1, and x − y < 1, which only touches the
        // corner (1, 0): three facets, the fourth row redundant.
        let s = std::f64::consts::FRAC_1_SQRT_2;
        let rows = [
            row(&[-1.0, 0.0], 0.0),
            row(&[0.0, -1.0], 0.0),
            row(&[s, s], s),
            row(&[s, -s], s),
        ];
        let by_lp = region_facets(&GoodLpMicrolp, 2, &rows, FacetHints::default()).unwrap();
        // From an interior point the ray test finds the three facets without
        // an LP, and the fourth row still goes to the LP: the same answer.
        let inside = FacetHints {
            inside: Some(&[0.25, 0.25]),
            bbox: None,
        };
        let by_ray = region_facets(&GoodLpMicrolp, 2, &rows, inside).unwrap();
        // A box around the triangle has x − y = 1 through its corner, not
        // beyond it: the LP still decides that row.
        let boxed = FacetHints {
            inside: Some(&[0.25, 0.25]),
            bbox: Some(&[(0.0, 1.0), (0.0, 1.0)]),
        };
        let by_box = region_facets(&GoodLpMicrolp, 2, &rows, boxed).unwrap();
        for facets in [by_lp, by_ray, by_box] {
            assert_eq!(facets.iter().map(|f| f.row).collect::<Vec<_>>(), [0, 1, 2]);
            check_points(&rows, &facets);
        }
    }

    fn check_points(rows: &[HalfSpace], facets: &[Facet]) {
        for f in facets {
            let h = &rows[f.row];
            assert!((dot(&h.a, &f.point) - h.b).abs() < 1e-15);
            for (i, other) in rows.iter().enumerate().filter(|&(i, _)| i != f.row) {
                assert!(dot(&other.a, &f.point) < other.b, "row {i}");
            }
        }
    }

    #[test]
    fn a_row_beyond_the_box_needs_no_lp() {
        // The square (-1, 1)² and x < 5: the box test settles x < 5 and the
        // ray test the four sides, so no LP runs at all.
        struct NoLp;
        impl LpEngine for NoLp {
            fn name(&self) -> &'static str {
                "none"
            }
            fn maximise(&self, _: &LinearProgram) -> Result<LpOutcome, LpError> {
                panic!("no LP expected")
            }
        }
        let rows = [
            row(&[1.0, 0.0], 1.0),
            row(&[-1.0, 0.0], 1.0),
            row(&[0.0, 1.0], 1.0),
            row(&[0.0, -1.0], 1.0),
            row(&[1.0, 0.0], 5.0),
        ];
        let hints = FacetHints {
            inside: Some(&[0.0, 0.0]),
            bbox: Some(&[(-1.0, 1.0), (-1.0, 1.0)]),
        };
        let facets = region_facets(&NoLp, 2, &rows, hints).unwrap();
        assert_eq!(
            facets.iter().map(|f| f.row).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn nearly_equal_rows_are_one_facet() {
        // The same half-space x < 1 twice, one copy off by an ulp of
        // normalisation: the first is the facet, the second redundant.
        let rows = [
            row(&[-1.0], 1.0),
            row(&[1.0], 1.0),
            row(&[1.0 - f64::EPSILON / 2.0], 1.0),
        ];
        let facets = region_facets(&GoodLpMicrolp, 1, &rows, FacetHints::default()).unwrap();
        assert_eq!(facets.iter().map(|f| f.row).collect::<Vec<_>>(), [0, 1]);
    }
}
