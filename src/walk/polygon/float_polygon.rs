//! A convex polygon of the plane in float homogeneous coordinates, possibly
//! unbounded, with an error bound on every vertex: the float half of the
//! polygon walk's side test (docs/design.md §2).
//!
//! A vertex is `(x, y, w)` with `w = 1` (a point) or `w = 0` (a direction,
//! unit length: a vertex at infinity). A polygon is its boundary cycle on
//! the oriented projective plane: every edge is the shorter arc between two
//! consecutive vertices, so Sutherland–Hodgman clipping works unchanged on
//! unbounded cells, and the whole plane is the cycle of three directions
//! that span it. A half-plane `â·t + ĉ > 0` is `â·(x, y) + ĉ w > 0`. Where a
//! clip leaves two opposite directions next to each other (the clipping line
//! runs from one to the other through the plane), the line's point nearest
//! the origin is put between them, so no edge is half a great circle.
//!
//! Every polygon except the whole plane is then the cone over its vertices:
//! a row is `≥ 0` on it iff it is `≥ 0` at every vertex. So a row whose
//! values at the vertices are all clearly positive (all clearly negative)
//! leaves the polygon on one side, and clearly mixed signs cut it, with a
//! vertex strictly inside each side. "Clearly" means beyond
//! [`POLYGON_NEAR_TIE_SAFETY`] times the value's error bound; anything else is a
//! near-tie that the caller decides exactly (`exact_polygon.rs`).
//!
//! # Complexity
//! `O(v)` per side test and per clip for a polygon of `v` vertices.

use crate::tolerance::POLYGON_NEAR_TIE_SAFETY;

/// Rounding of one float operation, relative.
const EPS: f64 = f64::EPSILON;

/// The whole plane's three directions (the exact polygon starts from the
/// same): arcs of 100°, 132° and 128° between them, none near half a turn,
/// and none along an axis, so rows of one input coordinate (common in
/// small models) do not vanish at a vertex of the first cell.
pub(crate) const WHOLE_PLANE: [[i64; 2]; 3] = [[5, 1], [-2, 5], [-3, -6]];

/// A vertex, with a bound on its distance from the true vertex (for a
/// direction: between the unit vectors).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Vertex {
    /// `(x, y, w)`: a point when `w = 1`, a unit direction when `w = 0`.
    pub p: [f64; 3],
    /// The error bound.
    pub err: f64,
}

impl Vertex {
    /// Whether the vertex is at infinity.
    pub fn at_infinity(&self) -> bool {
        self.p[2] == 0.0
    }

    /// `|x| + |y| + w`: what a row's coefficient errors are multiplied by.
    fn size(&self) -> f64 {
        self.p[0].abs() + self.p[1].abs() + self.p[2]
    }
}

/// A row `â·t + ĉ` with `‖â‖ = 1`, and a bound on the error of each of its
/// coefficients.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// The unit normal.
    pub a: [f64; 2],
    /// The constant.
    pub c: f64,
    /// The error bound of each coefficient.
    pub err: f64,
}

impl Line {
    /// The line at infinity, `w = 0`: the line of the arcs at infinity
    /// (not a row; never clipped by).
    pub const AT_INFINITY: Line = Line {
        a: [0.0, 0.0],
        c: 1.0,
        err: 0.0,
    };

    /// Whether this is the line at infinity.
    pub fn at_infinity(&self) -> bool {
        self.a == [0.0, 0.0]
    }

    /// The row's value at `v` (homogeneous).
    pub fn value(&self, v: &Vertex) -> f64 {
        self.a[0] * v.p[0] + self.a[1] * v.p[1] + self.c * v.p[2]
    }

    /// What the error of [`Line::value`] at a vertex grows by per unit of
    /// the vertex's size: the row's error and the evaluation's rounding. The
    /// vertex's own error adds to it (the normal has length 1).
    fn coefficient_error(&self) -> f64 {
        self.err + 4.0 * EPS * (1.0 + self.c.abs())
    }

    /// The point of the line nearest the origin, with its distance from
    /// the true line as its error.
    fn foot(&self) -> Vertex {
        Vertex {
            p: [-self.c * self.a[0], -self.c * self.a[1], 1.0],
            err: (self.err + 4.0 * EPS) * (2.0 + self.c.abs()),
        }
    }
}

/// What the float values say about a row on a polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FloatSide {
    /// Clearly positive at every vertex.
    On,
    /// Clearly negative at every vertex.
    Off,
    /// Clearly positive at one vertex and clearly negative at another, and
    /// clear everywhere.
    Cut,
    /// Some value is within its safety margin of zero.
    NearTie,
}

/// A convex polygon: its boundary cycle, with the line each edge lies on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Polygon {
    /// The vertices, in order along the boundary.
    pub vertices: Vec<Vertex>,
    /// `edges[j]`: the line of the edge from vertex `j` to vertex `j + 1`
    /// ([`Line::AT_INFINITY`] for an arc at infinity).
    pub edges: Vec<Line>,
}

impl Polygon {
    /// The whole plane: the three directions of [`WHOLE_PLANE`], whose
    /// positive combinations are every direction, with the arcs between
    /// them at infinity. (The walk starts from the exact polygon's.)
    #[cfg(test)]
    pub fn whole() -> Self {
        let dir = |&[x, y]: &[i64; 2]| {
            let (x, y) = (x as f64, y as f64);
            let n = x.hypot(y);
            Vertex {
                p: [x / n, y / n, 0.0],
                err: 2.0 * EPS,
            }
        };
        Polygon {
            vertices: WHOLE_PLANE.iter().map(dir).collect(),
            edges: vec![Line::AT_INFINITY; 3],
        }
    }

    /// How `line` meets the polygon.
    pub fn side(&self, line: &Line) -> FloatSide {
        let (mut pos, mut neg) = (false, false);
        let k = line.coefficient_error();
        for v in &self.vertices {
            let f = line.value(v);
            if f.abs() <= POLYGON_NEAR_TIE_SAFETY * (v.err + k * v.size()) {
                return FloatSide::NearTie;
            }
            pos |= f > 0.0;
            neg |= f < 0.0;
        }
        match (pos, neg) {
            (true, false) => FloatSide::On,
            (false, true) => FloatSide::Off,
            _ => FloatSide::Cut,
        }
    }

    /// The part where `line` is positive (`positive`) or negative, for a
    /// line that cuts the polygon with every value clear ([`Polygon::side`]
    /// said [`FloatSide::Cut`]). Each crossing is the intersection of its
    /// edge's line with `line`, so its error depends on those two lines
    /// only, never on the clips before.
    pub fn clip(&self, line: &Line, positive: bool) -> Polygon {
        let n = self.vertices.len();
        let sign = if positive { 1.0 } else { -1.0 };
        let values: Vec<f64> = self.vertices.iter().map(|v| line.value(v)).collect();
        let mut vertices = Vec::with_capacity(n + 2);
        let mut edges = Vec::with_capacity(n + 2);
        // Where the new edge along the line starts.
        let mut exit = None;
        for j in 0..n {
            let k = (j + 1) % n;
            let (fu, fv) = (sign * values[j], sign * values[k]);
            let edge = &self.edges[j];
            if fu > 0.0 {
                vertices.push(self.vertices[j]);
                edges.push(edge.clone());
            }
            if (fu > 0.0) != (fv > 0.0) {
                let (u, v) = (&self.vertices[j], &self.vertices[k]);
                vertices.push(crossing(edge, line, u, v));
                if fu > 0.0 {
                    edges.push(line.clone());
                    exit = Some(vertices.len() - 1);
                } else {
                    edges.push(edge.clone());
                }
            }
        }
        // The new edge runs from the exit crossing to the entry crossing,
        // which follows it cyclically. Two crossings at infinity are the
        // line's two directions: the edge between them goes through the
        // plane, by the line's foot point.
        let exit = exit.expect("a cut has an exit crossing");
        let entry = (exit + 1) % vertices.len();
        if vertices[exit].at_infinity() && vertices[entry].at_infinity() {
            vertices.insert(exit + 1, line.foot());
            edges.insert(exit + 1, line.clone());
        }
        Polygon { vertices, edges }
    }

    /// A point inside: the mean of the finite vertices, moved along the
    /// mean of the directions (so it is a positive combination of every
    /// vertex, inside the cone over them); `None` for the whole plane.
    pub fn inner_point(&self) -> Option<[f64; 2]> {
        let finite: Vec<&Vertex> = self.vertices.iter().filter(|v| !v.at_infinity()).collect();
        if finite.is_empty() {
            return None;
        }
        let k = finite.len() as f64;
        let mean = [
            finite.iter().map(|v| v.p[0]).sum::<f64>() / k,
            finite.iter().map(|v| v.p[1]).sum::<f64>() / k,
        ];
        let dirs: Vec<&Vertex> = self.vertices.iter().filter(|v| v.at_infinity()).collect();
        if dirs.is_empty() {
            return Some(mean);
        }
        let spread = finite
            .iter()
            .map(|v| (v.p[0] - mean[0]).hypot(v.p[1] - mean[1]))
            .fold(1.0, f64::max);
        let m = dirs.len() as f64;
        Some([
            mean[0] + spread * dirs.iter().map(|v| v.p[0]).sum::<f64>() / m,
            mean[1] + spread * dirs.iter().map(|v| v.p[1]).sum::<f64>() / m,
        ])
    }
}

/// The crossing of the edge `u v`, on line `g`, with `line`: `g × line`
/// in homogeneous coordinates, the representative on the edge (a point
/// with `w > 0`, or for an arc at infinity the direction on `u`'s and `v`'s
/// side), normalised. Its error is the two lines' errors over the sine of
/// their angle (for a direction: the clipping line's normal's error).
fn crossing(g: &Line, line: &Line, u: &Vertex, v: &Vertex) -> Vertex {
    let (ga, gc, fa, fc) = (g.a, g.c, line.a, line.c);
    let x = ga[1] * fc - gc * fa[1];
    let y = gc * fa[0] - ga[0] * fc;
    let w = ga[0] * fa[1] - ga[1] * fa[0];
    if g.at_infinity() {
        let toward = x * (u.p[0] + v.p[0]) + y * (u.p[1] + v.p[1]);
        let s = if toward < 0.0 { -1.0 } else { 1.0 } / x.hypot(y);
        return Vertex {
            p: [s * x, s * y, 0.0],
            err: 2.0 * line.err + 8.0 * EPS,
        };
    }
    let p = [x / w, y / w, 1.0];
    let size = p[0].abs() + p[1].abs() + 1.0;
    let err = (g.err + line.err + 8.0 * EPS * (1.0 + gc.abs() + fc.abs())) * size / w.abs();
    Vertex { p, err }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(a: [f64; 2], c: f64) -> Line {
        let n = a[0].hypot(a[1]);
        Line {
            a: [a[0] / n, a[1] / n],
            c: c / n,
            err: 0.0,
        }
    }

    /// The square (−1, 1)², counter-clockwise from (−1, −1), each edge on
    /// its side's line.
    fn square() -> Polygon {
        let corner = |x: f64, y: f64| Vertex {
            p: [x, y, 1.0],
            err: 0.0,
        };
        Polygon {
            vertices: vec![
                corner(-1.0, -1.0),
                corner(1.0, -1.0),
                corner(1.0, 1.0),
                corner(-1.0, 1.0),
            ],
            edges: vec![
                line([0.0, 1.0], 1.0),
                line([-1.0, 0.0], 1.0),
                line([0.0, -1.0], 1.0),
                line([1.0, 0.0], 1.0),
            ],
        }
    }

    fn points(p: &Polygon) -> Vec<[f64; 3]> {
        p.vertices.iter().map(|v| v.p).collect()
    }

    #[test]
    fn the_whole_plane_cut_twice_is_a_wedge_with_one_corner() {
        // x + 2y > 0, then 3x − y − 1 > 0: the wedge at (2/7, −1/7) between
        // the directions (2, −1)/√5 and (1, 3)/√10, with arcs at infinity
        // between them. (3x − y alone would pass through the first line's
        // foot point, the origin: a near-tie.)
        let mut p = Polygon::whole();
        for l in [line([1.0, 2.0], 0.0), line([3.0, -1.0], -1.0)] {
            assert_eq!(p.side(&l), FloatSide::Cut, "{p:?}");
            p = p.clip(&l, true);
        }
        let finite: Vec<&Vertex> = p.vertices.iter().filter(|v| !v.at_infinity()).collect();
        assert_eq!(finite.len(), 1, "{p:?}");
        let corner = finite[0].p;
        assert!((corner[0] - 2.0 / 7.0).abs() < 1e-15 && (corner[1] + 1.0 / 7.0).abs() < 1e-15);
        let c = p.inner_point().unwrap();
        assert!(c[0] + 2.0 * c[1] > 0.0 && 3.0 * c[0] - c[1] > 1.0, "{c:?}");
        // x + y is 1/7 at the corner and grows along both directions: a
        // line through the corner is a near-tie, one below it cuts, one
        // above leaves the wedge on its positive side.
        assert_eq!(p.side(&line([1.0, 1.0], -1.0 / 7.0)), FloatSide::NearTie);
        assert_eq!(p.side(&line([1.0, 1.0], -1.0)), FloatSide::Cut);
        assert_eq!(p.side(&line([1.0, 1.0], 1.0)), FloatSide::On);
    }

    #[test]
    fn a_half_plane_has_its_foot_point_and_a_strip_two() {
        // y > 0: the directions ±x on the line, the foot (0, 0), and the
        // whole plane's directions above it.
        assert_eq!(
            Polygon::whole().side(&line([0.0, 1.0], 0.0)),
            FloatSide::Cut
        );
        let half = Polygon::whole().clip(&line([0.0, 1.0], 0.0), true);
        assert_eq!(half.vertices.len(), 5, "{half:?}");
        let finite: Vec<[f64; 3]> = points(&half).into_iter().filter(|p| p[2] == 1.0).collect();
        assert_eq!(finite.len(), 1);
        assert!(finite[0][0].abs() < 1e-15 && finite[0][1].abs() < 1e-15);
        // A side test of y − 1 (parallel) on it: the directions ±x are
        // zeros of it, a near-tie for the exact path.
        assert_eq!(half.side(&line([0.0, 1.0], -1.0)), FloatSide::NearTie);
        // x + y − 1 cuts it; its on side is unbounded, its off side too.
        let l = line([1.0, 1.0], -1.0);
        assert_eq!(half.side(&l), FloatSide::Cut);
        let on = half.clip(&l, true);
        let off = half.clip(&l, false);
        let inside = |p: &Polygon, f: &dyn Fn([f64; 2]) -> bool| f(p.inner_point().unwrap());
        assert!(inside(&on, &|q| q[1] > 0.0 && q[0] + q[1] > 1.0));
        assert!(inside(&off, &|q| q[1] > 0.0 && q[0] + q[1] < 1.0));
    }

    #[test]
    fn sides_of_a_square() {
        let sq = square();
        assert_eq!(sq.side(&line([1.0, 0.0], 2.0)), FloatSide::On);
        assert_eq!(sq.side(&line([1.0, 1.0], -3.0)), FloatSide::Off);
        assert_eq!(sq.side(&line([1.0, 1.0], 0.0)), FloatSide::NearTie);
        // The diagonal x + y = 0 passes through two corners: a near-tie.
        // x + y = 1.5 cuts off the corner (1, 1): a triangle on the on side.
        let l = line([1.0, 1.0], -1.5);
        assert_eq!(sq.side(&l), FloatSide::Cut);
        assert_eq!(sq.clip(&l, true).vertices.len(), 3);
        assert_eq!(sq.clip(&l, false).vertices.len(), 5);
        let c = sq.clip(&l, true).inner_point().unwrap();
        assert!((c[0] - 5.0 / 6.0).abs() < 1e-12 && (c[1] - 5.0 / 6.0).abs() < 1e-12);
    }
}
