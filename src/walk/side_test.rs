//! The side test of docs/design.md §2: does the hyperplane `â·t + ĉ = 0` (unit
//! normal) cut an open polyhedron with a known interior ball, or does the
//! polyhedron lie on one side? Cheap bounds first; the known witness decides
//! one side for free; an LP decides the other.

use crate::domain::half_space::HalfSpace;
use crate::error::LpError;
use crate::lp::chebyshev::{chebyshev_side, Ball};
use crate::lp::{Basis, LpEngine, SideLp};
use crate::model::affine::{dot, norm};
use crate::tolerance::{NEAR_TIE_MARGIN, NEAR_TIE_SAFETY, RADIUS_CAP, TAU_INTERIOR};
use crate::walk::row_bound::proving_row;
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
    /// A bound on the rounding error of the float rows (the polyhedron's
    /// and the tested one's), in working units: how far a float row may lie
    /// from the exact one (see `PreActivations::row_error`).
    pub row_error: f64,
    /// The final basis of a ball LP of these rows (or of some of them, in
    /// order), to start each side's ball LP from (`lp/basis_hint.rs`).
    pub basis: Option<&'a Basis>,
    /// Names `rows` and `basis` together for the LP engine
    /// ([`SideLp::key`]): the same nonzero key only for the same rows and
    /// basis. 0 names nothing.
    pub key: u64,
    /// Whether a miss may be proved by the box and one row
    /// (`row_bound.rs`) instead of an LP. A certifying walk writes that
    /// proof as multipliers on the row and the side (`row_proof.rs`).
    pub row_bound: bool,
}

/// What the float side test concludes, and whether that conclusion is
/// clear: a *near-tie* is a decision whose float margin is within
/// [`NEAR_TIE_SAFETY`] of what rounding and the LP's tolerance could move
/// (docs/numerics.md); an exact decider re-decides those.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The decision.
    pub decision: Decision,
    /// With a one-sided decision made by an LP, that LP's optimum for the
    /// side found empty (the *probe*), whose active rows support an exact
    /// certificate.
    pub probe: Option<Ball>,
    /// With a one-sided decision made by the box and one row of the piece
    /// (`row_bound.rs`), that row's index: the support, with the side, of
    /// multipliers that show the other side empty over the box.
    pub by_row: Option<usize>,
    /// The decision is a near-tie.
    pub near_tie: bool,
    /// The final bases of the ball LPs solved for the off and the on side
    /// (rows: the polyhedron's, then the side's own): hints for the ball
    /// LPs of a piece made of that side. The walk takes them before the
    /// decider sees the verdict.
    pub bases: SideBases,
}

/// The final bases of a side test's ball LPs, by side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SideBases {
    /// The off side's (`z < 0`).
    pub off: Option<Basis>,
    /// The on side's (`z > 0`).
    pub on: Option<Basis>,
}

impl Verdict {
    fn clear(decision: Decision, probe: Option<Ball>, bases: SideBases) -> Self {
        Verdict {
            decision,
            probe,
            by_row: None,
            near_tie: false,
            bases,
        }
    }
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

/// Decides how `z(t) = â·t + ĉ` (with `‖â‖ = 1`) meets the polyhedron, and
/// whether the decision is clear or a near-tie.
pub fn side_test(
    engine: &dyn LpEngine,
    counters: &Counters,
    p: &Polyhedron<'_>,
    a: &[f64],
    c: f64,
) -> Result<Verdict, LpError> {
    debug_assert!((norm(a) - 1.0).abs() < 1e-9);
    // What rounding could move, times the safety factor: a side is clearly
    // empty when its Chebyshev radius is below −margin, clearly has
    // interior when it is above `thick`; a box bound decides clearly when
    // the range stays `margin` away from zero.
    let margin = near_tie_margin(p.row_error);
    let thick_radius = TAU_INTERIOR.max(NEAR_TIE_SAFETY * p.row_error);
    // 1. The range of z over a box containing the polyhedron.
    if let Some(on) = p.bbox.and_then(|bbox| box_side(bbox, a, c, margin)) {
        counters.pruned();
        let decision = if on {
            Decision::AllOn(None)
        } else {
            Decision::AllOff(None)
        };
        return Ok(Verdict::clear(decision, None, SideBases::default()));
    }
    // 2. The witness ball: the side it lies on, with a ball of radius
    //    min(ρ, |z(w)|), surely has interior when that radius is thick.
    let w = &p.ball.center;
    let s = dot(a, w) + c;
    let sure = p.ball.radius.min(s.abs());
    let dim = a.len();
    // The Chebyshev LP of the side sign·z > 0, i.e. −sign·â·t < sign·ĉ.
    let side_ball = |sign: f64| -> Result<(Option<Ball>, Option<Basis>), LpError> {
        let side = SideLp {
            key: p.key,
            dim,
            rows: p.rows,
            z: (a, c),
            sign,
            cap: RADIUS_CAP,
        };
        chebyshev_side(engine, &side, p.basis)
    };
    let thick = |b: &Option<Ball>| b.as_ref().is_some_and(|b| b.radius > thick_radius);
    // A side judged empty is clearly so when its best radius is below
    // −margin; an infeasible LP (impossible with a free radius, in exact
    // arithmetic) is not trusted.
    let clearly_empty = |b: &Option<Ball>| b.as_ref().is_some_and(|b| b.radius < -margin);
    if sure > thick_radius {
        // The witness's side's ball, built only for a cut.
        let known = || Ball {
            center: w.clone(),
            radius: sure,
        };
        let on_side = s > 0.0;
        if let Some(other) = mirror_ball(p.rows, a, w, s, thick_radius) {
            counters.mirrored();
            let (off, on) = if on_side {
                (other, known())
            } else {
                (known(), other)
            };
            return Ok(Verdict::clear(
                Decision::Cut { off, on },
                None,
                SideBases::default(),
            ));
        }
        // The other side is empty when the witness's side of z stays above
        // the margin on the whole piece.
        if let (true, Some(bbox)) = (p.row_bound, p.bbox) {
            let sign = if on_side { 1.0 } else { -1.0 };
            if let Some(row) = proving_row(p.rows, bbox, (a, c), sign, margin) {
                counters.pruned_by_row();
                let decision = if on_side {
                    Decision::AllOn(None)
                } else {
                    Decision::AllOff(None)
                };
                return Ok(Verdict {
                    by_row: Some(row),
                    ..Verdict::clear(decision, None, SideBases::default())
                });
            }
        }
        let (other, basis) = side_ball(if on_side { -1.0 } else { 1.0 })?;
        let bases = if on_side {
            SideBases {
                off: basis,
                on: None,
            }
        } else {
            SideBases {
                off: None,
                on: basis,
            }
        };
        if thick(&other) {
            let other = other.expect("thick");
            let (off, on) = if on_side {
                (other, known())
            } else {
                (known(), other)
            };
            return Ok(Verdict::clear(Decision::Cut { off, on }, None, bases));
        }
        let near_tie = !clearly_empty(&other);
        let decision = if on_side {
            Decision::AllOn(None)
        } else {
            Decision::AllOff(None)
        };
        return Ok(Verdict {
            decision,
            probe: other,
            by_row: None,
            near_tie,
            bases,
        });
    }
    // 3. The witness is too close to the hyperplane (or the polyhedron is
    //    thin): solve both sides.
    counters.both_sides();
    let (on, on_basis) = side_ball(1.0)?;
    let (off, off_basis) = side_ball(-1.0)?;
    let bases = SideBases {
        off: off_basis,
        on: on_basis,
    };
    Ok(match (thick(&off), thick(&on)) {
        (true, true) => Verdict::clear(
            Decision::Cut {
                off: off.expect("thick"),
                on: on.expect("thick"),
            },
            None,
            bases,
        ),
        (false, true) => Verdict {
            near_tie: !clearly_empty(&off),
            decision: Decision::AllOn(on),
            probe: off,
            by_row: None,
            bases,
        },
        (true, false) => Verdict {
            near_tie: !clearly_empty(&on),
            decision: Decision::AllOff(off),
            probe: on,
            by_row: None,
            bases,
        },
        // Both sides thinner than the threshold although the polyhedron
        // was not: a float walk keeps it whole, on the side of the witness
        // (off when the witness is on the hyperplane, as the zero convention
        // has it); always a near-tie. Counted, so a report can show how
        // often it happened.
        (false, false) => {
            counters.thin_split();
            let (decision, probe) = if s > 0.0 {
                (Decision::AllOn(None), off)
            } else {
                (Decision::AllOff(None), on)
            };
            Verdict {
                decision,
                probe,
                by_row: None,
                near_tie: true,
                bases,
            }
        }
    })
}

/// The margin a float decision with rows of rounding error at most
/// `row_error` must clear not to be a near-tie.
pub(crate) fn near_tie_margin(row_error: f64) -> f64 {
    NEAR_TIE_MARGIN.max(NEAR_TIE_SAFETY * row_error)
}

/// The side of `z = a·t + c` over the box `bbox`, when its range there keeps
/// clear of zero by `margin`: on (`true`) or off. The range is summed in
/// floats term by term, each term's end rounded to nearest; rounding is
/// monotone, so over a box inside `bbox` the same sums are no wider (the
/// depth-first split relies on this to decide a row once for all pieces).
pub(crate) fn box_side(bbox: &[(f64, f64)], a: &[f64], c: f64, margin: f64) -> Option<bool> {
    let (mut lo, mut hi) = (c, c);
    for (&ai, &(l, h)) in a.iter().zip(bbox) {
        let (x, y) = (ai * l, ai * h);
        lo += x.min(y);
        hi += x.max(y);
    }
    if lo >= margin {
        Some(true)
    } else if hi <= -margin {
        Some(false)
    } else {
        None
    }
}

/// A ball on the other side of `z = â·t + ĉ` from the witness `w` (where
/// `z(w) = s`), found without an LP: the mirror image of `w` in the
/// hyperplane, `w − 2 s â`, or the point half as far past it, `w − 1.5 s â`,
/// when one of them lies inside every row by more than `thick`. The ball's
/// radius is the least of the point's distances to the rows and to the
/// hyperplane (rows and `â` have unit normals). Where the hyperplane passes
/// near the witness this replaces the side's Chebyshev LP by a few dot
/// products (4–8% of the side tests' LPs on the benchmark cases).
fn mirror_ball(rows: &[HalfSpace], a: &[f64], w: &[f64], s: f64, thick: f64) -> Option<Ball> {
    // At `w − step·â` a row's slack is `b − h·w + step·(h·â)`, and z is
    // `s − step` (‖â‖ = 1): no point is built until one is found.
    // Both points in one pass over the rows: a row's slack at `w` and its
    // dot with `â` serve both (the second point was measured in a second
    // pass, after the first failed). Each radius is the same minimum of
    // the same terms; a point is dropped at the first row that brings it
    // within `thick`, and the pass ends when both are dropped. The rows
    // are read newest first: the latest cuts lie nearest the witness, and
    // most points fail on one of them (a minimum does not depend on the
    // order; d=4 bench net 4% and ACAS Xu N2,1 prop 3 3% faster, same run).
    let steps = [2.0 * s, 1.5 * s];
    let mut radius = steps.map(|step| {
        let z = s - step;
        (z * s < 0.0 && z.abs() > thick).then_some(z.abs())
    });
    for h in rows.iter().rev() {
        if radius.iter().all(Option::is_none) {
            return None;
        }
        let (slack, along) = (h.b - dot(&h.a, w), dot(&h.a, a));
        for (r, step) in radius.iter_mut().zip(steps) {
            if let Some(value) = r {
                let least = value.min(slack + step * along);
                *r = (least > thick).then_some(least);
            }
        }
    }
    let (radius, step) = radius
        .into_iter()
        .zip(steps)
        .find_map(|(r, step)| Some((r?, step)))?;
    let center = w.iter().zip(a).map(|(wi, ai)| wi - step * ai).collect();
    Some(Ball { center, radius })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::GoodLpMicrolp;

    /// What the depth-first split relies on to decide a row once per cell
    /// (`depth_first::decide_by_box`): a side the box decides, every box
    /// inside it decides the same way, with the same or a smaller margin.
    /// The inner boxes share ends with the outer one now and then, and the
    /// margins are tight, so a rounding that is not monotone would show.
    #[test]
    fn a_side_the_box_decides_every_inner_box_decides() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut decided = 0;
        for _ in 0..20_000 {
            let dim = rng.gen_range(1..7);
            let a: Vec<f64> = (0..dim).map(|_| rng.gen_range(-1.0..1.0)).collect();
            let outer: Vec<(f64, f64)> = (0..dim)
                .map(|_| {
                    let (x, y): (f64, f64) = (rng.gen_range(-1.0..1.0), rng.gen_range(-1.0..1.0));
                    (x.min(y), x.max(y))
                })
                .collect();
            let inner: Vec<(f64, f64)> = outer
                .iter()
                .map(|&(l, h)| {
                    let pick = |rng: &mut rand_chacha::ChaCha8Rng| {
                        if rng.gen_bool(0.3) {
                            l
                        } else {
                            rng.gen_range(l..=h)
                        }
                    };
                    let (x, y) = (pick(&mut rng), pick(&mut rng));
                    (x.min(y), x.max(y))
                })
                .collect();
            // An offset just clearing the outer box's range by `margin`.
            let margin = 1e-6;
            let low: f64 = a
                .iter()
                .zip(&outer)
                .map(|(ai, &(l, h))| (ai * l).min(ai * h))
                .sum();
            let c = margin - low + rng.gen_range(-1e-15..1e-15);
            let (outer_side, inner_side) = (
                box_side(&outer, &a, c, margin),
                box_side(&inner, &a, c, margin * 0.999),
            );
            if let Some(on) = outer_side {
                decided += 1;
                assert_eq!(
                    inner_side,
                    Some(on),
                    "a = {a:?}, outer {outer:?}, inner {inner:?}"
                );
            }
        }
        assert!(decided > 1000, "too few decided cases to test: {decided}");
    }

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

    fn verdict(a: f64, c: f64, with_box: bool) -> (Verdict, Counters) {
        let (rows, bbox, ball) = interval();
        let p = Polyhedron {
            rows: &rows,
            bbox: with_box.then_some(bbox.as_slice()),
            ball: &ball,
            row_error: 0.0,
            basis: None,
            key: 0,
            row_bound: true,
        };
        let counters = Counters::default();
        let v = side_test(&GoodLpMicrolp, &counters, &p, &[a], c).unwrap();
        (v, counters)
    }

    fn test(a: f64, c: f64, with_box: bool) -> (Decision, Option<Ball>, Counters) {
        let (v, counters) = verdict(a, c, with_box);
        assert!(!v.near_tie, "{v:?}");
        (v.decision, v.probe, counters)
    }

    #[test]
    fn a_hyperplane_at_the_edge_is_a_near_tie() {
        // x − 1 on (-1, 1): off throughout, but the hyperplane touches the
        // interval's end, so the on side's best radius is 0, within the
        // margin: a near-tie, with or without the box (whose range [−2, 0]
        // reaches zero). 0.5 outside is clear.
        for with_box in [false, true] {
            let (v, _) = verdict(1.0, -1.0, with_box);
            assert_eq!(v.decision, Decision::AllOff(None));
            assert!(v.near_tie, "{v:?}");
            let (v, _) = verdict(1.0, -1.5, with_box);
            assert!(!v.near_tie, "{v:?}");
        }
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
        assert_eq!(counters.snapshot(0, 0, 0).pruned_by_box, 1);
        let (d, _, counters) = test(-1.0, -2.0, true);
        assert_eq!(d, Decision::AllOff(None));
        assert_eq!(counters.snapshot(0, 0, 0).pruned_by_box, 1);
        // Without it, the witness 0 lies on the on side (z = 2) and an LP
        // finds the off side empty.
        let (d, _, counters) = test(1.0, 2.0, false);
        assert_eq!(d, Decision::AllOn(None));
        assert_eq!(counters.snapshot(0, 0, 0).pruned_by_box, 0);
        assert_eq!(test(-1.0, -2.0, false).0, Decision::AllOff(None));
    }

    #[test]
    fn a_hyperplane_through_the_witness_solves_both_sides() {
        // x = 0 through the centre: the witness decides nothing, both sides
        // are solved, and both have interior.
        let (d, _, counters) = test(1.0, 0.0, false);
        assert!(matches!(d, Decision::Cut { .. }), "{d:?}");
        assert_eq!(counters.snapshot(0, 0, 0).both_sides_solved, 1);
    }
}
