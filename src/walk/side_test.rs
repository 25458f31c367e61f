//! The side test of docs/design.md §2: does the hyperplane `â·t + ĉ = 0` (unit
//! normal) cut an open polyhedron with a known interior ball, or does the
//! polyhedron lie on one side? Cheap bounds first; the known witness decides
//! one side for free; an LP decides the other.

use crate::domain::half_space::HalfSpace;
use crate::error::LpError;
use crate::lp::chebyshev::{chebyshev_ball, Ball};
use crate::lp::LpEngine;
use crate::model::affine::{dot, norm};
use crate::tolerance::{RADIUS_CAP, TAU_INTERIOR};
use crate::walk::stats::Counters;

/// The polyhedron being tested: its rows, a box that contains it (if known),
/// and a ball inside it.
pub struct Polyhedron<'a> {
    /// The rows `a·t < b`, unit normals.
    pub rows: &'a [HalfSpace],
    /// A box containing the polyhedron, where one is known.
    pub bbox: Option<&'a [(f64, f64)]>,
    /// A ball inside the polyhedron (its radius may be small).
    pub ball: &'a Ball,
}

/// The outcome of a side test.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// The off side (`z < 0`) has no interior: the neuron is on throughout.
    /// Carries a ball inside the on side when the witness had to move.
    AllOn(Option<Ball>),
    /// The on side (`z > 0`) has no interior: the neuron is off throughout.
    AllOff(Option<Ball>),
    /// Both sides have interior: a ball inside each.
    Cut {
        /// A ball in `{z < 0}`.
        off: Ball,
        /// A ball in `{z > 0}`.
        on: Ball,
    },
}

/// Decides how `z(t) = â·t + ĉ` (with `‖â‖ = 1`) meets the polyhedron.
/// With a one-sided decision made by an LP, also returns that LP's optimum
/// for the side found empty (the *probe*), whose active rows support an
/// exact certificate.
pub fn side_test(
    engine: &dyn LpEngine,
    counters: &Counters,
    p: &Polyhedron<'_>,
    a: &[f64],
    c: f64,
) -> Result<(Decision, Option<Ball>), LpError> {
    debug_assert!((norm(a) - 1.0).abs() < 1e-9);
    // 1. The exact range of z over a box containing the polyhedron.
    if let Some(bbox) = p.bbox {
        let (mut lo, mut hi) = (c, c);
        for (&ai, &(l, h)) in a.iter().zip(bbox) {
            let (x, y) = (ai * l, ai * h);
            lo += x.min(y);
            hi += x.max(y);
        }
        if lo >= 0.0 {
            counters.pruned();
            return Ok((Decision::AllOn(None), None));
        }
        if hi <= 0.0 {
            counters.pruned();
            return Ok((Decision::AllOff(None), None));
        }
    }
    // 2. The witness ball: the side it lies on, with a ball of radius
    //    min(ρ, |z(w)|), is surely nonempty when that radius exceeds τ.
    let w = &p.ball.center;
    let s = dot(a, w) + c;
    let sure = p.ball.radius.min(s.abs());
    let dim = a.len();
    // The Chebyshev LP of the side sign·z > 0, i.e. −sign·â·t < sign·ĉ.
    let side_ball = |sign: f64| -> Result<Option<Ball>, LpError> {
        let extra = HalfSpace {
            a: a.iter().map(|v| -sign * v).collect(),
            b: sign * c,
        };
        chebyshev_ball(engine, dim, p.rows.iter().chain([&extra]), norm, RADIUS_CAP)
    };
    let thick = |b: &Option<Ball>| b.as_ref().is_some_and(|b| b.radius > TAU_INTERIOR);
    if sure > TAU_INTERIOR {
        let known = Ball {
            center: w.clone(),
            radius: sure,
        };
        return Ok(if s > 0.0 {
            let off = side_ball(-1.0)?;
            if thick(&off) {
                (
                    Decision::Cut {
                        off: off.expect("thick"),
                        on: known,
                    },
                    None,
                )
            } else {
                (Decision::AllOn(None), off)
            }
        } else {
            let on = side_ball(1.0)?;
            if thick(&on) {
                (
                    Decision::Cut {
                        off: known,
                        on: on.expect("thick"),
                    },
                    None,
                )
            } else {
                (Decision::AllOff(None), on)
            }
        });
    }
    // 3. The witness is too close to the hyperplane (or the polyhedron is
    //    thin): solve both sides.
    counters.both_sides();
    let on = side_ball(1.0)?;
    let off = side_ball(-1.0)?;
    Ok(match (thick(&off), thick(&on)) {
        (true, true) => (
            Decision::Cut {
                off: off.expect("thick"),
                on: on.expect("thick"),
            },
            None,
        ),
        (false, true) => (Decision::AllOn(on), off),
        (true, false) => (Decision::AllOff(off), on),
        // Both sides thinner than τ although the polyhedron was not: keep it
        // whole, on the side of the witness (off when the witness is on the
        // hyperplane, as the zero convention has it). Counted, so a report can
        // show how often it happened.
        (false, false) => {
            counters.thin_split();
            if s > 0.0 {
                (Decision::AllOn(None), off)
            } else {
                (Decision::AllOff(None), on)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::GoodLpMicrolp;

    /// The interval (-1, 1) as rows `−t < 1`, `t < 1`, with its own box and
    /// its Chebyshev ball (centre 0, radius 1).
    fn interval() -> (Vec<HalfSpace>, Vec<(f64, f64)>, Ball) {
        let rows = vec![
            HalfSpace {
                a: vec![-1.0],
                b: 1.0,
            },
            HalfSpace {
                a: vec![1.0],
                b: 1.0,
            },
        ];
        let ball = Ball {
            center: vec![0.0],
            radius: 1.0,
        };
        (rows, vec![(-1.0, 1.0)], ball)
    }

    fn test(a: f64, c: f64, with_box: bool) -> (Decision, Option<Ball>, Counters) {
        let (rows, bbox, ball) = interval();
        let p = Polyhedron {
            rows: &rows,
            bbox: with_box.then_some(bbox.as_slice()),
            ball: &ball,
        };
        let counters = Counters::default();
        let (d, probe) = side_test(&GoodLpMicrolp, &counters, &p, &[a], c).unwrap();
        (d, probe, counters)
    }

    #[test]
    fn a_hyperplane_inside_cuts_with_a_ball_on_each_side() {
        // x − 0.5 = 0 at x = 0.5, inside (-1, 1): both sides have interior,
        // (-1, 0.5) off and (0.5, 1) on.
        for with_box in [false, true] {
            match test(1.0, -0.5, with_box).0 {
                Decision::Cut { off, on } => {
                    assert!(off.radius > 0.0 && on.radius > 0.0);
                    assert!(off.center[0] + off.radius <= 0.5 + 1e-9, "{off:?}");
                    assert!(on.center[0] - on.radius >= 0.5 - 1e-9, "{on:?}");
                    assert!(off.center[0] - off.radius >= -1.0 - 1e-9);
                    assert!(on.center[0] + on.radius <= 1.0 + 1e-9);
                }
                other => panic!("expected a cut, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_hyperplane_outside_leaves_one_side() {
        // x + 2 ≥ 1 on (-1, 1): on throughout; −x − 2 ≤ −1: off throughout.
        // With the box, its range [1, 3] (or [−3, −1]) decides without an LP.
        let (d, probe, counters) = test(1.0, 2.0, true);
        assert_eq!((d, probe), (Decision::AllOn(None), None));
        assert_eq!(counters.snapshot(0, 0).pruned_by_box, 1);
        let (d, _, counters) = test(-1.0, -2.0, true);
        assert_eq!(d, Decision::AllOff(None));
        assert_eq!(counters.snapshot(0, 0).pruned_by_box, 1);
        // Without it, the witness 0 lies on the on side (z = 2) and an LP
        // finds the off side empty.
        let (d, _, counters) = test(1.0, 2.0, false);
        assert_eq!(d, Decision::AllOn(None));
        assert_eq!(counters.snapshot(0, 0).pruned_by_box, 0);
        assert_eq!(test(-1.0, -2.0, false).0, Decision::AllOff(None));
    }

    #[test]
    fn a_hyperplane_through_the_witness_solves_both_sides() {
        // x = 0 through the centre: the witness decides nothing, both sides
        // are solved, and both have interior.
        let (d, _, counters) = test(1.0, 0.0, false);
        assert!(matches!(d, Decision::Cut { .. }), "{d:?}");
        assert_eq!(counters.snapshot(0, 0).both_sides_solved, 1);
    }
}
