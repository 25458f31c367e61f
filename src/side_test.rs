//! The side test of DESIGN §2: does the hyperplane `â·t + ĉ = 0` (unit
//! normal) cut an open polyhedron with a known interior ball, or does the
//! polyhedron lie on one side? Cheap bounds first; the known witness decides
//! one side for free; an LP decides the other.

use crate::affine::{dot, norm};
use crate::chebyshev::{chebyshev_ball, Ball, HalfSpace};
use crate::error::LpError;
use crate::lp::LpEngine;
use crate::stats::Counters;
use crate::tolerance::{RADIUS_CAP, TAU_INTERIOR};

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
pub fn side_test(
    engine: &dyn LpEngine,
    counters: &Counters,
    p: &Polyhedron<'_>,
    a: &[f64],
    c: f64,
) -> Result<Decision, LpError> {
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
            return Ok(Decision::AllOn(None));
        }
        if hi <= 0.0 {
            counters.pruned();
            return Ok(Decision::AllOff(None));
        }
    }
    // 2. The witness ball: the side it lies on, with a ball of radius
    //    min(ρ, |z(w)|), is surely nonempty when that radius exceeds τ.
    let w = &p.ball.center;
    let s = dot(a, w) + c;
    let sure = p.ball.radius.min(s.abs());
    let dim = a.len();
    let side_ball = |sign: f64| -> Result<Option<Ball>, LpError> {
        // The side sign·z > 0, i.e. −sign·â·t < sign·ĉ.
        let extra = HalfSpace {
            a: a.iter().map(|v| -sign * v).collect(),
            b: sign * c,
        };
        let ball = chebyshev_ball(engine, dim, p.rows.iter().chain([&extra]), norm, RADIUS_CAP)?;
        Ok(ball.filter(|b| b.radius > TAU_INTERIOR))
    };
    if sure > TAU_INTERIOR {
        let known = Ball {
            center: w.clone(),
            radius: sure,
        };
        return Ok(if s > 0.0 {
            match side_ball(-1.0)? {
                Some(off) => Decision::Cut { off, on: known },
                None => Decision::AllOn(None),
            }
        } else {
            match side_ball(1.0)? {
                Some(on) => Decision::Cut { off: known, on },
                None => Decision::AllOff(None),
            }
        });
    }
    // 3. The witness is too close to the hyperplane (or the polyhedron is
    //    thin): solve both sides.
    counters.both_sides();
    let on = side_ball(1.0)?;
    let off = side_ball(-1.0)?;
    Ok(match (off, on) {
        (Some(off), Some(on)) => Decision::Cut { off, on },
        (None, Some(on)) => Decision::AllOn(Some(on)),
        (Some(off), None) => Decision::AllOff(Some(off)),
        // Both sides thinner than τ although the polyhedron was not: keep it
        // whole, on the side of the witness (off when the witness is on the
        // hyperplane, as the zero convention has it). Counted, so a report can
        // show how often it happened.
        (None, None) => {
            counters.thin_split();
            if s > 0.0 {
                Decision::AllOn(None)
            } else {
                Decision::AllOff(None)
            }
        }
    })
}
