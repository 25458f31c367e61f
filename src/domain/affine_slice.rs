//! A plane or segment through given input points (docs/domains.md): the
//! slice `x = P0 + Σ_j s_j (P_j − P0)` for `s` in a window box. Its
//! coordinates `s` (`(u, v)` or `t`) are the domain's own coordinates: its
//! rows and the regions found on it are written in them. The map is exact
//! (every `f64` is a dyadic rational), so the exact code folds it into the
//! first layer without rounding (`exact/slice.rs`).

use crate::domain::half_space::HalfSpace;
use crate::error::DomainError;
use num_rational::BigRational;
use num_traits::Zero;
use serde_json::{json, Value};

/// A plane (three points) or a segment (two points) through the input
/// space, with a window on its coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct AffineSlice {
    /// `P0, P1, …`: `k + 1` input points.
    points: Vec<Vec<f64>>,
    /// One interval per slice coordinate.
    window: Vec<(f64, f64)>,
}

impl AffineSlice {
    /// The slice through `points` (two or three, each with `dim` finite
    /// coordinates) over `window` (one non-empty interval per slice
    /// coordinate, or `None` for `[0, 1]^k`). Points that are not affinely
    /// independent are an error: the slice would have fewer dimensions than
    /// it names.
    pub fn new(
        points: Vec<Vec<f64>>,
        window: Option<Vec<(f64, f64)>>,
        dim: usize,
    ) -> Result<Self, DomainError> {
        let error = |message: String| DomainError::Slice { message };
        if !(2..=3).contains(&points.len()) {
            return Err(error(format!(
                "a plane needs 3 points and a segment 2, but {} were given",
                points.len()
            )));
        }
        for (i, p) in points.iter().enumerate() {
            if p.len() != dim {
                return Err(error(format!(
                    "point {i} has {} coordinates but the model takes {dim} inputs",
                    p.len()
                )));
            }
            if let Some(j) = p.iter().position(|v| !v.is_finite()) {
                return Err(error(format!("point {i}, coordinate {j} is not finite")));
            }
        }
        let k = points.len() - 1;
        let window = window.unwrap_or_else(|| vec![(0.0, 1.0); k]);
        if window.len() != k {
            return Err(error(format!(
                "the window has {} intervals but the slice has {k} coordinates",
                window.len()
            )));
        }
        for (j, &(lo, hi)) in window.iter().enumerate() {
            if lo >= hi || !lo.is_finite() || !hi.is_finite() {
                return Err(error(format!(
                    "window interval {j} [{lo}, {hi}] is empty or not finite"
                )));
            }
        }
        let slice = AffineSlice { points, window };
        if !slice.independent() {
            return Err(error(format!(
                "the {} points are not affinely independent (they lie on a {}), so they span no {}",
                k + 1,
                if k == 1 { "single point" } else { "line" },
                if k == 1 { "segment" } else { "plane" },
            )));
        }
        Ok(slice)
    }

    /// Whether the directions `P_j − P0` are linearly independent, decided
    /// exactly: their Gram determinant is positive (Cauchy–Schwarz is an
    /// equality exactly for dependent pairs).
    fn independent(&self) -> bool {
        let q = |v: f64| BigRational::from_float(v).expect("finite");
        let dirs: Vec<Vec<BigRational>> = (1..self.points.len())
            .map(|j| {
                self.points[j]
                    .iter()
                    .zip(&self.points[0])
                    .map(|(&a, &b)| q(a) - q(b))
                    .collect()
            })
            .collect();
        let dot = |a: &[BigRational], b: &[BigRational]| {
            a.iter()
                .zip(b)
                .fold(BigRational::zero(), |acc, (x, y)| acc + x * y)
        };
        match dirs.as_slice() {
            [u] => !dot(u, u).is_zero(),
            [u, v] => {
                let det = dot(u, u) * dot(v, v) - dot(u, v) * dot(u, v);
                !det.is_zero()
            }
            _ => false,
        }
    }

    /// The number `k` of slice coordinates: 2 for a plane, 1 for a segment.
    pub fn dim(&self) -> usize {
        self.window.len()
    }

    /// The input dimension `d`.
    pub fn input_dim(&self) -> usize {
        self.points[0].len()
    }

    /// The points `P0, P1, …`.
    pub fn points(&self) -> &[Vec<f64>] {
        &self.points
    }

    /// The window: one interval per slice coordinate.
    pub fn window(&self) -> &[(f64, f64)] {
        &self.window
    }

    /// The input point at slice point `s`, in `f64` (rounded; for drawing
    /// and float work only).
    pub fn to_input(&self, s: &[f64]) -> Vec<f64> {
        let p0 = &self.points[0];
        (0..p0.len())
            .map(|i| {
                p0[i]
                    + s.iter()
                        .enumerate()
                        .map(|(j, sj)| sj * (self.points[j + 1][i] - p0[i]))
                        .sum::<f64>()
            })
            .collect()
    }

    /// The window's rows `±s_j ≤ …`, in slice coordinates: row `2j` is
    /// `−s_j ≤ −lo_j`, row `2j+1` is `s_j ≤ hi_j` (as a box's rows).
    pub fn rows(&self) -> Vec<HalfSpace> {
        crate::domain::input_domain::box_rows(&self.window)
    }

    /// A JSON description: `kind` `plane` or `segment`, the points and the
    /// window.
    pub fn to_json(&self) -> Value {
        json!({
            "kind": if self.dim() == 2 { "plane" } else { "segment" },
            "points": self.points,
            "lo": self.window.iter().map(|p| p.0).collect::<Vec<_>>(),
            "hi": self.window.iter().map(|p| p.1).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_points_and_window() {
        let p = vec![
            vec![0.0, 0.0, 1.0],
            vec![1.0, 0.0, 1.0],
            vec![0.0, 2.0, 1.0],
        ];
        let s = AffineSlice::new(p.clone(), None, 3).unwrap();
        assert_eq!((s.dim(), s.input_dim()), (2, 3));
        assert_eq!(s.window(), [(0.0, 1.0), (0.0, 1.0)]);
        // (u, v) = (0.5, 0.25): P0 + 0.5 (1, 0, 0) + 0.25 (0, 2, 0).
        assert_eq!(s.to_input(&[0.5, 0.25]), [0.5, 0.5, 1.0]);
        // Collinear: P2 = P0 + 3 (P1 − P0), exactly.
        let line = vec![
            vec![0.0, 0.0, 0.0],
            vec![0.1, 0.2, 0.0],
            vec![0.3, 0.6, 0.0],
        ];
        // 0.3 and 3 · 0.1 differ as numbers, yet the directions (a, 2a)
        // and (b, 2b) are parallel exactly (doubling is exact): an error.
        let e = AffineSlice::new(line, None, 3).unwrap_err();
        assert!(e.to_string().contains("not affinely independent"), "{e}");
        let line = vec![
            vec![0.0, 0.0, 0.0],
            vec![0.5, 0.25, 0.0],
            vec![1.5, 0.75, 0.0],
        ];
        let e = AffineSlice::new(line, None, 3).unwrap_err();
        assert!(e.to_string().contains("not affinely independent"), "{e}");
        let e = AffineSlice::new(vec![p[0].clone(), p[0].clone()], None, 3).unwrap_err();
        assert!(e.to_string().contains("not affinely independent"), "{e}");
        let e = AffineSlice::new(p.clone(), None, 2).unwrap_err();
        assert!(e.to_string().contains("point 0 has 3"), "{e}");
        let e = AffineSlice::new(p, Some(vec![(0.0, 1.0), (1.0, 1.0)]), 3).unwrap_err();
        assert!(e.to_string().contains("window interval 1"), "{e}");
    }
}
