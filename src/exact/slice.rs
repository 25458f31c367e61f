//! The slice a domain cuts out of the input space, and the three coordinate
//! systems on it (docs/design.md §1). A box coordinate with `lo == hi` is
//! *fixed*; every other coordinate is *free*, and the regions are counted in
//! the free coordinates (they are full-dimensional there).
//!
//! A plane or segment domain (`Domain::Affine`) is a slice too, an affine
//! one: its own coordinates `s` are the free ones (none is fixed), and the
//! input is `x = P0 + U s` with `U`'s columns `P_j − P0`, held exactly as
//! dyadics, so the first layer folds it in without rounding.
//!
//! - **input** `x ∈ R^d`, as the network takes it;
//! - **domain** coordinates, in which the domain's rows and the reported
//!   regions are written: the input's, or a plane's `(u, v)` (a segment's
//!   `t`);
//! - **free** `y ∈ R^k`: the free coordinates of the domain's, unscaled. The exact
//!   code (certifier and checker) works here: a fixed coordinate's value
//!   folds into the constants exactly;
//! - **working** `t ∈ R^k`: `y_j = o_j + s_j t_j`. A bounded domain is mapped
//!   onto the cube `[-1, 1]^k`, so that the walk's tolerances are relative to
//!   the domain's size; an unbounded one is not scaled (`o = 0`, `s = 1`).
//!
//! Every conversion between them, in `f64` and exactly, is here. The slice
//! depends on the domain and exact arithmetic only (not on the LP or the
//! walk), so the independent checker can use it.

use crate::domain::affine_slice::AffineSlice;
use crate::domain::half_space::HalfSpace;
use crate::domain::input_domain::Domain;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::point::ExactPoint;
use crate::model::affine::{dot, Affine};
use num_rational::BigRational;
use num_traits::ToPrimitive;

/// The free and fixed coordinates of a domain, with its working frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    /// The free input coordinates, ascending.
    free: Vec<usize>,
    /// The fixed input coordinates, ascending, with their values.
    fixed: Vec<(usize, f64)>,
    /// The domain point at `t = 0`: the fixed values, and the frame's
    /// centre `o_j` on free coordinate `free[j]`.
    origin: Vec<f64>,
    /// Per free coordinate: `s_j`, domain units per working unit.
    scale: Vec<f64>,
    /// `o_j` exactly.
    exact_offset: Vec<Dyadic>,
    /// For a plane or segment: the map from its coordinates to the input.
    plane: Option<Box<PlaneMap>>,
}

/// `x = P0 + U s`, exactly and rounded.
#[derive(Debug, Clone, PartialEq)]
struct PlaneMap {
    /// The slice, as given.
    slice: AffineSlice,
    /// `P0` exactly.
    base: Vec<Dyadic>,
    /// The columns `P_j − P0` of `U`, exactly.
    directions: Vec<Vec<Dyadic>>,
    /// The same columns rounded to `f64`.
    rounded: Vec<Vec<f64>>,
}

impl PlaneMap {
    fn new(slice: &AffineSlice) -> Self {
        let points: Vec<Vec<Dyadic>> = slice
            .points()
            .iter()
            .map(|p| p.iter().copied().map(Dyadic::from_f64).collect())
            .collect();
        let directions = points[1..]
            .iter()
            .map(|p| p.iter().zip(&points[0]).map(|(a, b)| a - b).collect())
            .collect();
        let rounded = slice.points()[1..]
            .iter()
            .map(|p| {
                p.iter()
                    .zip(&slice.points()[0])
                    .map(|(a, b)| a - b)
                    .collect()
            })
            .collect();
        PlaneMap {
            slice: slice.clone(),
            base: points[0].clone(),
            directions,
            rounded,
        }
    }

    /// `(Uᵀ a, a·P0)` for an input row normal `a`, exactly.
    fn pull_back(&self, a: &[Dyadic]) -> (Vec<Dyadic>, Dyadic) {
        let dot = |u: &[Dyadic]| {
            u.iter()
                .zip(a)
                .filter(|(_, w)| !w.is_zero())
                .fold(Dyadic::zero(), |acc, (x, w)| &acc + &(x * w))
        };
        (
            self.directions.iter().map(|u| dot(u)).collect(),
            dot(&self.base),
        )
    }
}

impl Slice {
    /// The slice of `domain` (a box's `lo == hi` coordinates are fixed;
    /// other domains fix none), with working coordinates equal to the free
    /// ones.
    pub fn new(domain: &Domain) -> Self {
        if let Domain::Affine(plane) = domain {
            let k = plane.dim();
            return Slice {
                free: (0..k).collect(),
                fixed: Vec::new(),
                origin: vec![0.0; k],
                scale: vec![1.0; k],
                exact_offset: vec![Dyadic::zero(); k],
                plane: Some(Box::new(PlaneMap::new(plane))),
            };
        }
        let fixed = domain.fixed();
        let free: Vec<usize> = (0..domain.dim())
            .filter(|i| !fixed.iter().any(|(j, _)| j == i))
            .collect();
        let mut origin = vec![0.0; domain.dim()];
        for &(i, v) in &fixed {
            origin[i] = v;
        }
        let k = free.len();
        Slice {
            free,
            fixed,
            origin,
            scale: vec![1.0; k],
            exact_offset: vec![Dyadic::zero(); k],
            plane: None,
        }
    }

    /// The same slice with working coordinates that map the box `bounds`
    /// (one interval per domain coordinate) onto `[-1, 1]^k`: `o_j` is the
    /// centre and `s_j` the half-width of free coordinate `j`'s interval. A
    /// free coordinate whose interval has no width is centred but not scaled
    /// (the domain then has no interior, which the caller finds).
    pub fn scaled_to(mut self, bounds: &[(f64, f64)]) -> Self {
        for (j, &i) in self.free.iter().enumerate() {
            let (lo, hi) = bounds[i];
            let half = 0.5 * (hi - lo);
            self.origin[i] = 0.5 * (lo + hi);
            self.scale[j] = if half > 0.0 { half } else { 1.0 };
            self.exact_offset[j] = Dyadic::from_f64(self.origin[i]);
        }
        self
    }

    /// The input dimension `d`.
    pub fn input_dim(&self) -> usize {
        match &self.plane {
            Some(p) => p.base.len(),
            None => self.origin.len(),
        }
    }

    /// Whether this is a plane or segment (its domain coordinates are not
    /// the input's).
    pub fn is_plane(&self) -> bool {
        self.plane.is_some()
    }

    /// The input point of the domain point `z`: `z` itself, or `P0 + U z`
    /// on a plane (in `f64`, rounded).
    pub fn domain_to_input(&self, z: &[f64]) -> Vec<f64> {
        match &self.plane {
            Some(p) => p.slice.to_input(z),
            None => z.to_vec(),
        }
    }

    /// The number `k` of free (and working) coordinates.
    pub fn dim(&self) -> usize {
        self.free.len()
    }

    /// The free input coordinates, ascending.
    pub fn free(&self) -> &[usize] {
        &self.free
    }

    /// The fixed input coordinates, ascending, with their values.
    pub fn fixed(&self) -> &[(usize, f64)] {
        &self.fixed
    }

    /// Per working coordinate, input units per working unit (`s_j`).
    pub fn scale(&self) -> &[f64] {
        &self.scale
    }

    /// The entries of `x` (one per input coordinate) on the free coordinates.
    pub fn free_part<T: Clone>(&self, x: &[T]) -> Vec<T> {
        self.free.iter().map(|&i| x[i].clone()).collect()
    }

    /// The map `x = E t + o` from working to input coordinates: column `j`
    /// of `E` has the single entry `s_j`, in row `free[j]`; on a plane,
    /// `E = U diag(s)` and `o = P0 + U o'` (rounded).
    pub fn embedding(&self) -> Affine {
        let (d, k) = (self.input_dim(), self.dim());
        let mut weight = vec![0.0; d * k];
        if let Some(p) = &self.plane {
            for (j, u) in p.rounded.iter().enumerate() {
                for i in 0..d {
                    weight[i * k + j] = u[i] * self.scale[j];
                }
            }
            return Affine::new(d, k, weight, p.slice.to_input(&self.origin));
        }
        for (j, &i) in self.free.iter().enumerate() {
            weight[i * k + j] = self.scale[j];
        }
        Affine::new(d, k, weight, self.origin.clone())
    }

    /// An input row `a·x + c` as a row of domain coordinates, in `f64`
    /// (for reports): `(a, c)` itself, or `(Uᵀ a, c + a·P0)` on a plane.
    pub fn row_on_domain(&self, a: &[f64], c: f64) -> (Vec<f64>, f64) {
        match &self.plane {
            Some(p) => (
                p.rounded.iter().map(|u| dot(u, a)).collect(),
                c + dot(a, &p.slice.points()[0]),
            ),
            None => (a.to_vec(), c),
        }
    }

    /// The domain point of working point `t`.
    pub fn to_domain(&self, t: &[f64]) -> Vec<f64> {
        let mut x = self.origin.clone();
        for (j, &i) in self.free.iter().enumerate() {
            x[i] = self.scale[j] * t[j] + self.origin[i];
        }
        x
    }

    /// The input point of working point `t`.
    pub fn to_input(&self, t: &[f64]) -> Vec<f64> {
        self.domain_to_input(&self.to_domain(t))
    }

    /// The working point of the domain point `x` (which should lie in the
    /// slice; its fixed coordinates are not read), or `None` for a point of
    /// the wrong dimension.
    pub fn to_working(&self, x: &[f64]) -> Option<Vec<f64>> {
        (x.len() == self.origin.len()).then(|| self.free_to_working(&self.free_part(x)))
    }

    /// The working point of the free-coordinate point `y`.
    pub fn free_to_working(&self, y: &[f64]) -> Vec<f64> {
        self.free
            .iter()
            .zip(&self.scale)
            .zip(y)
            .map(|((&i, s), v)| (v - self.origin[i]) / s)
            .collect()
    }

    /// The domain row `a·x ≤ b` in working coordinates, not normalised:
    /// `(a_j s_j)_j · t ≤ b − a·o`.
    pub fn working_row(&self, h: &HalfSpace) -> HalfSpace {
        HalfSpace {
            a: self
                .free
                .iter()
                .zip(&self.scale)
                .map(|(&i, s)| h.a[i] * s)
                .collect(),
            b: h.b - dot(&h.a, &self.origin),
        }
    }

    /// The domain row `a·x ≤ b` on the free coordinates, exactly: the fixed
    /// coordinates' terms move into the offset.
    pub fn exact_row(&self, h: &HalfSpace) -> ExactHalf {
        let fixed_part = self.fixed.iter().fold(Dyadic::zero(), |acc, (j, v)| {
            &acc + &(&Dyadic::from_f64(h.a[*j]) * &Dyadic::from_f64(*v))
        });
        ExactHalf {
            a: self
                .free_part(&h.a)
                .into_iter()
                .map(Dyadic::from_f64)
                .collect(),
            b: &Dyadic::from_f64(h.b) - &fixed_part,
        }
    }

    /// `domain`'s box on the free coordinates, exactly, if it is a box (or
    /// a slice's window).
    pub fn exact_box(&self, domain: &Domain) -> Option<Vec<(Dyadic, Dyadic)>> {
        domain.window().map(|v| {
            self.free_part(v)
                .into_iter()
                .map(|(lo, hi)| (Dyadic::from_f64(lo), Dyadic::from_f64(hi)))
                .collect()
        })
    }

    /// The map `m` of the input restricted to the slice, exactly: a map of
    /// the free coordinates, the fixed columns folded into the constant.
    pub fn exact_restrict(&self, m: &ExactAffine) -> ExactAffine {
        if let Some(p) = &self.plane {
            let mut weight = Vec::with_capacity(m.rows() * self.dim());
            let mut bias = Vec::with_capacity(m.rows());
            for i in 0..m.rows() {
                let (a, c) = p.pull_back(m.row(i));
                weight.extend(a);
                bias.push(m.bias(i) + &c);
            }
            return ExactAffine::new(m.rows(), self.dim(), weight, bias);
        }
        let mut weight = Vec::with_capacity(m.rows() * self.dim());
        let mut bias = Vec::with_capacity(m.rows());
        for i in 0..m.rows() {
            let row = m.row(i);
            weight.extend(self.free_part(row));
            let fixed_part = self.fixed.iter().fold(Dyadic::zero(), |acc, (j, v)| {
                &acc + &(&row[*j] * &Dyadic::from_f64(*v))
            });
            bias.push(m.bias(i) + &fixed_part);
        }
        ExactAffine::new(m.rows(), self.dim(), weight, bias)
    }

    /// The exact free-coordinate point of working point `t`: the dyadic
    /// value of the `f64` input point, on the free coordinates.
    pub fn exact_point(&self, t: &[f64]) -> ExactPoint {
        ExactPoint::from_f64(&self.free_part(&self.to_domain(t)))
    }

    /// A working point near the exact free-coordinate point `y` (rounded to
    /// `f64`, for float work only).
    pub fn working_near(&self, y: &ExactPoint) -> Vec<f64> {
        let y: Vec<f64> = y
            .to_rationals()
            .iter()
            .map(|v| v.to_f64().unwrap_or(f64::NAN))
            .collect();
        self.free_to_working(&y)
    }

    /// The exact input point of the free-coordinate point `y`: the fixed
    /// coordinates at their values.
    pub fn exact_input(&self, y: &ExactPoint) -> Vec<BigRational> {
        if let Some(p) = &self.plane {
            let s = y.to_rationals();
            return (0..self.input_dim())
                .map(|i| {
                    p.directions
                        .iter()
                        .zip(&s)
                        .fold(p.base[i].to_rational(), |acc, (u, sj)| {
                            acc + u[i].to_rational() * sj
                        })
                })
                .collect();
        }
        let mut free = y.to_rationals().into_iter();
        (0..self.input_dim())
            .map(|i| match self.fixed.iter().find(|(j, _)| *j == i) {
                Some(&(_, v)) => Dyadic::from_f64(v).to_rational(),
                None => free.next().expect("a coordinate per free coordinate"),
            })
            .collect()
    }

    /// The float image in working coordinates of the exact free-coordinate
    /// row `a·y + c`: `(a_j s_j)_j` and `c + Σ a_j o_j` (the latter exact
    /// before its one rounding).
    pub fn exact_to_working(&self, a: &[Dyadic], c: &Dyadic) -> (Vec<f64>, f64) {
        let at = a
            .iter()
            .zip(&self.scale)
            .map(|(v, s)| v.to_f64() * s)
            .collect();
        let ct = a
            .iter()
            .zip(&self.exact_offset)
            .fold(c.clone(), |acc, (v, o)| &acc + &(v * o));
        (at, ct.to_f64())
    }
}

/// `h` with a unit normal, or `None` when its normal is zero.
pub fn unit_row(h: HalfSpace) -> Option<HalfSpace> {
    let n = crate::model::affine::norm(&h.a);
    (n > 0.0).then(|| HalfSpace {
        a: h.a.iter().map(|v| v / n).collect(),
        b: h.b / n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: f64) -> Dyadic {
        Dyadic::from_f64(v)
    }

    /// The box [0, 2] × {0.25} × [−4, 4]: coordinate 1 fixed at 1/4; the
    /// frame centres are 1 and 0, the half-widths 1 and 4.
    fn slice() -> (Domain, Slice) {
        let domain = Domain::new_box(vec![(0.0, 2.0), (0.25, 0.25), (-4.0, 4.0)], 3).unwrap();
        let Domain::Box(v) = &domain else {
            unreachable!()
        };
        let slice = Slice::new(&domain).scaled_to(v);
        (domain, slice)
    }

    #[test]
    fn a_point_of_huge_numbers_rounds_to_a_finite_working_point() {
        // Regression test for 34ceb6e: y0 = (2^2000 + 1) / (2^2001 + 3),
        // about 1/2, in lowest terms (the numerator is odd and the two differ
        // from 2× by 1, so any common factor divides 1). Rounding numerator
        // and denominator to f64 first gave inf / inf = NaN; the working
        // coordinate of 1/2 is (1/2 − 1) / 1 = −1/2, and of y1 = 3 it is 3/4.
        use num_bigint::BigInt;
        let (_, s) = slice();
        let p = BigInt::from(2).pow(2000u32);
        let y0 = BigRational::new(&p + 1, &p * 2 + 3);
        assert!(y0.numer().bits() > 1000, "the fraction stayed huge");
        let y = ExactPoint::from_rationals(vec![y0, BigRational::from_integer(3.into())]);
        let t = s.working_near(&y);
        assert!(t.iter().all(|v| v.is_finite()), "{t:?}");
        assert!(
            (t[0] + 0.5).abs() < 1e-15 && (t[1] - 0.75).abs() < 1e-15,
            "{t:?}"
        );
    }

    #[test]
    fn free_and_fixed_coordinates() {
        let (domain, s) = slice();
        assert_eq!((s.input_dim(), s.dim()), (3, 2));
        assert_eq!(s.free(), [0, 2]);
        assert_eq!(s.fixed(), [(1, 0.25)]);
        assert_eq!(s.scale(), [1.0, 4.0]);
        assert_eq!(s.free_part(&[7, 8, 9]), [7, 9]);
        assert_eq!(
            s.exact_box(&domain).unwrap(),
            [(d(0.0), d(2.0)), (d(-4.0), d(4.0))]
        );
        // A polytope or the whole space fixes nothing and, unscaled, its
        // working coordinates are the input's.
        let whole = Slice::new(&Domain::Whole(2));
        assert_eq!((whole.free(), whole.fixed()), (&[0, 1][..], &[][..]));
        assert_eq!(whole.to_input(&[0.5, -3.0]), [0.5, -3.0]);
    }

    #[test]
    fn working_and_input_points_map_back_exactly() {
        let (_, s) = slice();
        // x = (1.5, 0.25, −3): t = ((1.5 − 1) / 1, (−3 − 0) / 4) = (0.5, −0.75).
        let x = [1.5, 0.25, -3.0];
        let t = s.to_working(&x).unwrap();
        assert_eq!(t, [0.5, -0.75]);
        assert_eq!(s.to_input(&t), x);
        assert_eq!(s.embedding().apply(&t), x);
        assert_eq!(s.to_working(&[1.0]), None);
        // The corners of the box are the corners of the cube.
        assert_eq!(s.to_input(&[-1.0, 1.0]), [0.0, 0.25, 4.0]);
        // Exactly: the free point (1.5, −3), and back to working coordinates.
        let y = s.exact_point(&t);
        assert_eq!(y, ExactPoint::Dyadic(vec![d(1.5), d(-3.0)]));
        assert_eq!(s.working_near(&y), t);
        let q = |n: i64, m: i64| BigRational::new(n.into(), m.into());
        assert_eq!(s.exact_input(&y), [q(3, 2), q(1, 4), q(-3, 1)]);
    }

    #[test]
    fn rows_and_maps_on_the_slice() {
        let (_, s) = slice();
        // x0 + 2 x1 + 3 x2 ≤ 1 with x1 = 1/4: on free coordinates
        // y0 + 3 y1 ≤ 1/2; in working ones (y0 = 1 + t0, y1 = 4 t1)
        // t0 + 12 t1 ≤ −1/2.
        let h = HalfSpace {
            a: vec![1.0, 2.0, 3.0],
            b: 1.0,
        };
        assert_eq!(
            s.exact_row(&h),
            ExactHalf {
                a: vec![d(1.0), d(3.0)],
                b: d(0.5)
            }
        );
        assert_eq!(
            s.working_row(&h),
            HalfSpace {
                a: vec![1.0, 12.0],
                b: -0.5
            }
        );
        // The exact row y0 + 3 y1 + 1/2 in working coordinates:
        // t0 + 12 t1 + 3/2.
        assert_eq!(
            s.exact_to_working(&[d(1.0), d(3.0)], &d(0.5)),
            (vec![1.0, 12.0], 1.5)
        );
        // The map x ↦ (x0 + 2 x1 + 3 x2 + 1) on the slice: y0 + 3 y1 + 3/2.
        let m = ExactAffine::new(1, 3, vec![d(1.0), d(2.0), d(3.0)], vec![d(1.0)]);
        let r = s.exact_restrict(&m);
        assert_eq!(
            r,
            ExactAffine::new(1, 2, vec![d(1.0), d(3.0)], vec![d(1.5)])
        );
        assert_eq!(
            unit_row(HalfSpace {
                a: vec![3.0, 4.0],
                b: 10.0
            }),
            Some(HalfSpace {
                a: vec![0.6, 0.8],
                b: 2.0
            })
        );
        assert_eq!(
            unit_row(HalfSpace {
                a: vec![0.0],
                b: 1.0
            }),
            None
        );
    }

    #[test]
    fn a_plane_folds_into_maps_exactly() {
        // The plane x = (0, 0, 1) + u (1, 0, 0) + v (0, 2, 0) = (u, 2v, 1).
        let plane = AffineSlice::new(
            vec![
                vec![0.0, 0.0, 1.0],
                vec![1.0, 0.0, 1.0],
                vec![0.0, 2.0, 1.0],
            ],
            None,
            3,
        )
        .unwrap();
        let domain = Domain::Affine(plane);
        let s = Slice::new(&domain).scaled_to(domain.window().unwrap());
        assert!(s.is_plane());
        assert_eq!((s.input_dim(), s.dim()), (3, 2));
        // x0 + 2 x1 + 3 x2 + 1 on the plane: u + 4 v + 4.
        let m = ExactAffine::new(1, 3, vec![d(1.0), d(2.0), d(3.0)], vec![d(1.0)]);
        assert_eq!(
            s.exact_restrict(&m),
            ExactAffine::new(1, 2, vec![d(1.0), d(4.0)], vec![d(4.0)])
        );
        assert_eq!(
            s.row_on_domain(&[1.0, 2.0, 3.0], 1.0),
            (vec![1.0, 4.0], 4.0)
        );
        // The window [0, 1]² is the working cube: t = (0, 0) is (1/2, 1/2).
        assert_eq!(s.to_domain(&[0.0, 0.0]), [0.5, 0.5]);
        assert_eq!(s.to_input(&[1.0, -1.0]), [1.0, 0.0, 1.0]);
        assert_eq!(s.embedding().apply(&[1.0, -1.0]), [1.0, 0.0, 1.0]);
        let q = |n: i64, m: i64| BigRational::new(n.into(), m.into());
        let y = ExactPoint::Dyadic(vec![d(0.5), d(0.25)]);
        assert_eq!(s.exact_input(&y), [q(1, 2), q(1, 2), q(1, 1)]);
        assert_eq!(
            s.exact_box(&domain).unwrap(),
            [(d(0.0), d(1.0)), (d(0.0), d(1.0))]
        );
    }
}
