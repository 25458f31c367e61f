//! The exact half of the polygon walk: a convex polygon in integer
//! homogeneous coordinates on the free coordinates `y`, clipped by exact
//! rows with no division and no tolerance (docs/design.md §4).
//!
//! A dyadic row `a·y + c` scales to integers `(A, B, C)` (a power of two,
//! which keeps every sign), a vertex is an integer triple `(X, Y, W)` with
//! `W ≥ 0` (a point `(X/W, Y/W)`, or a direction when `W = 0`), and the
//! crossing of an edge `u v` with a row whose values there are `f(u) > 0 >
//! f(v)` is `|f(v)| u + |f(u)| v`, reduced by the gcd of its entries. The
//! polygon is a boundary cycle on the oriented projective plane, as the
//! float polygon is (`float_polygon.rs`), from the same three directions.
//! A side is decided as the oracle of docs/design.md §7 decides it: `≥ 0`
//! at every vertex and `> 0` at one is on, `≤ 0` everywhere is off (a row
//! that vanishes on the polygon too: the zero convention), otherwise it cuts
//! and each side keeps a vertex strictly inside it.
//!
//! # Complexity
//! `O(v)` big-integer products per test and per clip; the entries of a
//! vertex stay those of the intersection of its two lines (about twice a
//! row's bits) thanks to the gcd.

use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::walk::polygon::float_polygon::{Line, Polygon, Vertex, WHOLE_PLANE};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// A row `A y₁ + B y₂ + C` with integer coefficients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExactLine([BigInt; 3]);

impl ExactLine {
    /// The line at infinity, `w = 0`, of the arcs at infinity.
    fn at_infinity() -> Self {
        ExactLine([BigInt::zero(), BigInt::zero(), BigInt::from(1)])
    }

    /// The coefficients `(A, B, C)`; `None` for the line at infinity.
    pub fn coefficients(&self) -> Option<&[BigInt; 3]> {
        (!self.is_constant()).then_some(&self.0)
    }

    /// The row `a·y + c` scaled by a power of two to integers.
    pub fn new(a: &[Dyadic], c: &Dyadic) -> Self {
        assert_eq!(a.len(), 2, "a polygon lives in two coordinates");
        let terms = [&a[0], &a[1], c];
        let e = terms
            .iter()
            .filter(|d| !d.is_zero())
            .map(|d| d.exponent())
            .min()
            .unwrap_or(0);
        let int = |d: &Dyadic| {
            if d.is_zero() {
                BigInt::zero()
            } else {
                d.mantissa_at(e)
            }
        };
        ExactLine([int(&a[0]), int(&a[1]), int(c)])
    }

    /// The side `b − a·y > 0` of the strict row `a·y < b`.
    pub fn inside(h: &ExactHalf) -> Self {
        ExactLine::new(&[-&h.a[0], -&h.a[1]], &h.b)
    }

    /// Whether the normal `(A, B)` is zero: the row is constant.
    pub fn is_constant(&self) -> bool {
        self.0[0].is_zero() && self.0[1].is_zero()
    }

    /// The sign of the constant `C`.
    pub fn constant_sign(&self) -> Ordering {
        self.0[2].sign_cmp()
    }

    fn value(&self, v: &[BigInt; 3]) -> BigInt {
        &self.0[0] * &v[0] + &self.0[1] * &v[1] + &self.0[2] * &v[2]
    }

    /// The line's point nearest the origin, `(−C A, −C B, A² + B²)`.
    fn foot(&self) -> [BigInt; 3] {
        let [a, b, c] = &self.0;
        reduced([-(c * a), -(c * b), a * a + b * b])
    }
}

/// Sign helper for big integers.
trait SignCmp {
    fn sign_cmp(&self) -> Ordering;
}

impl SignCmp for BigInt {
    fn sign_cmp(&self) -> Ordering {
        self.cmp(&BigInt::zero())
    }
}

/// How an exact row meets an exact polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExactSide {
    /// Positive inside: the neuron is on throughout.
    On,
    /// Not positive anywhere inside: off throughout.
    Off,
    /// Both sides have interior.
    Cut,
}

/// A convex polygon with integer homogeneous vertices, as a boundary cycle,
/// with the line of each edge (`edges[j]` from vertex `j` to `j + 1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExactPolygon {
    vertices: Vec<[BigInt; 3]>,
    edges: Vec<ExactLine>,
}

/// The rows leave no interior: exact arithmetic contradicts the float walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Empty;

impl ExactPolygon {
    /// The whole plane: the directions of [`WHOLE_PLANE`].
    pub fn whole() -> Self {
        ExactPolygon {
            vertices: WHOLE_PLANE
                .iter()
                .map(|&[x, y]| [BigInt::from(x), BigInt::from(y), BigInt::zero()])
                .collect(),
            edges: vec![ExactLine::at_infinity(); WHOLE_PLANE.len()],
        }
    }

    /// The polygon `{y : every row}` (strict rows `a·y < b`); [`Empty`]
    /// when it has no interior.
    pub fn of_rows<'a>(rows: impl IntoIterator<Item = &'a ExactHalf>) -> Result<Self, Empty> {
        let mut p = ExactPolygon::whole();
        for row in rows {
            let line = ExactLine::inside(row);
            if line.is_constant() {
                if line.constant_sign() == Ordering::Greater {
                    continue;
                }
                return Err(Empty);
            }
            let (side, signs) = p.side(&line);
            p = match side {
                ExactSide::On => p,
                ExactSide::Off => return Err(Empty),
                ExactSide::Cut => p.clip(&line, &signs, true),
            };
        }
        Ok(p)
    }

    /// How `line` meets the polygon, and its values' signs at the vertices.
    /// A constant row is on iff its constant is positive.
    pub fn side(&self, line: &ExactLine) -> (ExactSide, Vec<(Ordering, BigInt)>) {
        let values: Vec<(Ordering, BigInt)> = self
            .vertices
            .iter()
            .map(|v| {
                let f = line.value(v);
                (f.sign_cmp(), f)
            })
            .collect();
        let pos = values.iter().any(|(s, _)| *s == Ordering::Greater);
        let neg = values.iter().any(|(s, _)| *s == Ordering::Less);
        let side = if line.is_constant() {
            if line.constant_sign() == Ordering::Greater {
                ExactSide::On
            } else {
                ExactSide::Off
            }
        } else {
            match (pos, neg) {
                (true, false) => ExactSide::On,
                (_, true) if pos => ExactSide::Cut,
                _ => ExactSide::Off,
            }
        };
        (side, values)
    }

    /// The part where `line` is `≥ 0` (`positive`) or `≤ 0`, for a line
    /// that cuts the polygon (`values` from [`ExactPolygon::side`]).
    pub fn clip(&self, line: &ExactLine, values: &[(Ordering, BigInt)], positive: bool) -> Self {
        let n = self.vertices.len();
        let kept = if positive {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        // Each vertex with the line of the edge leaving it, and whether it
        // lies on `line`.
        let mut out: Vec<([BigInt; 3], ExactLine, bool)> = Vec::with_capacity(n + 2);
        for j in 0..n {
            let k = (j + 1) % n;
            let ((su, fu), (sv, fv)) = (&values[j], &values[k]);
            let edge = &self.edges[j];
            if *su != kept.reverse() {
                // A vertex on the line whose edge leaves the kept side
                // continues along the line.
                let leaves = su.is_eq() && *sv == kept.reverse();
                let next = if leaves { line } else { edge };
                out.push((self.vertices[j].clone(), next.clone(), su.is_eq()));
            }
            if su.is_ne() && sv.is_ne() && su != sv {
                let (u, v) = (&self.vertices[j], &self.vertices[k]);
                let (a, b) = (fv.abs(), fu.abs());
                let p = [
                    &a * &u[0] + &b * &v[0],
                    &a * &u[1] + &b * &v[1],
                    &a * &u[2] + &b * &v[2],
                ];
                let next = if *su == kept { line } else { edge };
                out.push((reduced(p), next.clone(), true));
            }
        }
        // Two consecutive vertices on the line at infinity are its two
        // directions: the edge between them goes by its foot point.
        let m = out.len();
        let mut vertices = Vec::with_capacity(m + 1);
        let mut edges = Vec::with_capacity(m + 1);
        for j in 0..m {
            let (v, edge, on_line) = &out[j];
            let (w, _, next_on_line) = &out[(j + 1) % m];
            vertices.push(v.clone());
            edges.push(edge.clone());
            if *on_line && *next_on_line && v[2].is_zero() && w[2].is_zero() {
                vertices.push(line.foot());
                edges.push(line.clone());
            }
        }
        ExactPolygon { vertices, edges }
    }

    /// The polygon in float working coordinates: `to_working` maps a free
    /// point to working coordinates, `scale` is the working frame's scale
    /// per coordinate, and `line` rounds an edge's line (not at infinity)
    /// to working coordinates. Each vertex carries its rounding as its
    /// error.
    pub fn to_float(
        &self,
        to_working: impl Fn(&[f64]) -> Vec<f64>,
        scale: &[f64],
        offset_size: f64,
        line: impl Fn(&[BigInt; 3]) -> Line,
    ) -> Polygon {
        let eps = f64::EPSILON;
        let vertices = self
            .vertices
            .iter()
            .map(|v| {
                if v[2].is_zero() {
                    let (x, y) = scaled_pair(&v[0], &v[1]);
                    let (x, y) = (x / scale[0], y / scale[1]);
                    let n = x.hypot(y);
                    Vertex {
                        p: [x / n, y / n, 0.0],
                        err: 8.0 * eps,
                    }
                } else {
                    let y = [ratio(&v[0], &v[2]), ratio(&v[1], &v[2])];
                    let t = to_working(&y);
                    let err = 8.0 * eps * (1.0 + t[0].abs() + t[1].abs() + offset_size);
                    Vertex {
                        p: [t[0], t[1], 1.0],
                        err,
                    }
                }
            })
            .collect();
        let edges = self
            .edges
            .iter()
            .map(|e| e.coefficients().map_or(Line::AT_INFINITY, &line))
            .collect();
        Polygon { vertices, edges }
    }
}

/// `v` divided by the gcd of its entries.
fn reduced(v: [BigInt; 3]) -> [BigInt; 3] {
    let g = v[0].gcd(&v[1]).gcd(&v[2]);
    if g.is_zero() || g == BigInt::from(1) {
        return v;
    }
    v.map(|x| x / &g)
}

/// `n / d` rounded to `f64`.
fn ratio(n: &BigInt, d: &BigInt) -> f64 {
    num_rational::BigRational::new_raw(n.clone(), d.clone())
        .to_f64()
        .unwrap_or(f64::NAN)
}

/// `(x, y)` scaled by one power of two so both fit an `f64` (a direction's
/// entries).
fn scaled_pair(x: &BigInt, y: &BigInt) -> (f64, f64) {
    let bits = x.bits().max(y.bits());
    let shift = bits.saturating_sub(60) as usize;
    let f = |v: &BigInt| (v >> shift).to_f64().unwrap_or(f64::NAN);
    (f(x), f(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn half(a: [f64; 2], b: f64) -> ExactHalf {
        ExactHalf {
            a: a.iter().map(|&v| Dyadic::from_f64(v)).collect(),
            b: Dyadic::from_f64(b),
        }
    }

    fn line(a: [f64; 2], c: f64) -> ExactLine {
        ExactLine::new(
            &[Dyadic::from_f64(a[0]), Dyadic::from_f64(a[1])],
            &Dyadic::from_f64(c),
        )
    }

    fn points(p: &ExactPolygon) -> Vec<(f64, f64)> {
        let mut v: Vec<(f64, f64)> = p
            .vertices
            .iter()
            .filter(|v| !v[2].is_zero())
            .map(|v| (ratio(&v[0], &v[2]), ratio(&v[1], &v[2])))
            .collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v
    }

    #[test]
    fn a_box_from_its_rows_and_a_corner_cut_off() {
        // The square (0, 1)² from its four rows: its corners, by hand.
        let sq = ExactPolygon::of_rows(&[
            half([-1.0, 0.0], 0.0),
            half([1.0, 0.0], 1.0),
            half([0.0, -1.0], 0.0),
            half([0.0, 1.0], 1.0),
        ])
        .unwrap();
        assert_eq!(
            points(&sq),
            [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
        );
        // x + y − 1 passes through two corners: it cuts, each side a triangle.
        let l = line([1.0, 1.0], -1.0);
        let (side, values) = sq.side(&l);
        assert_eq!(side, ExactSide::Cut);
        assert_eq!(
            points(&sq.clip(&l, &values, true)),
            [(0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
        );
        assert_eq!(
            points(&sq.clip(&l, &values, false)),
            [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0)]
        );
        // x − 1 touches one side only: off; x − 1/2^60 cuts.
        assert_eq!(sq.side(&line([1.0, 0.0], -1.0)).0, ExactSide::Off);
        assert_eq!(sq.side(&line([-1.0, 0.0], 1.0)).0, ExactSide::On);
        assert_eq!(
            sq.side(&line([1.0, 0.0], -(2f64.powi(-60)))).0,
            ExactSide::Cut
        );
        // A zero row is off; a positive constant is on.
        assert_eq!(sq.side(&line([0.0, 0.0], 0.0)).0, ExactSide::Off);
        assert_eq!(sq.side(&line([0.0, 0.0], 3.0)).0, ExactSide::On);
    }

    #[test]
    fn a_strip_keeps_a_foot_point_on_each_side() {
        // 0 < y < 1 over the whole plane: unbounded both ways; the two lines'
        // foot points (0, 0) and (0, 1) are its finite vertices.
        let strip =
            ExactPolygon::of_rows(&[half([0.0, -1.0], 0.0), half([0.0, 1.0], 1.0)]).unwrap();
        assert_eq!(points(&strip), [(0.0, 0.0), (0.0, 1.0)]);
        // The parallel y − 1/2 cuts it; y − 2 misses it (off); x cuts it.
        assert_eq!(strip.side(&line([0.0, 1.0], -0.5)).0, ExactSide::Cut);
        assert_eq!(strip.side(&line([0.0, 1.0], -2.0)).0, ExactSide::Off);
        assert_eq!(strip.side(&line([1.0, 0.0], 0.0)).0, ExactSide::Cut);
        // Rows with no common interior: y < 0 and y > 1.
        assert_eq!(
            ExactPolygon::of_rows(&[half([0.0, 1.0], 0.0), half([0.0, -1.0], -1.0)]),
            Err(Empty)
        );
    }

    #[test]
    fn rounding_to_float_keeps_the_vertices() {
        let tri = ExactPolygon::of_rows(&[
            half([-1.0, 0.0], 0.0),
            half([0.0, -1.0], 0.0),
            half([1.0, 1.0], 1.0),
        ])
        .unwrap();
        let f = tri.to_float(|y| y.to_vec(), &[1.0, 1.0], 0.0, |_| Line::AT_INFINITY);
        let mut got: Vec<(f64, f64)> = f.vertices.iter().map(|v| (v.p[0], v.p[1])).collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(got, [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0)]);
    }
}
