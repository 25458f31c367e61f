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
