//! Checks one test of a split: how a neuron's row `z = a·y + c` is decided on
//! one piece of a cell. A test is one of (`docs/certificate.md`)
//! - constant: the exact normal `a` is zero, and the sign of `c` decides;
//! - box: the exact range of the row over the domain box keeps one sign;
//! - multipliers: Motzkin's alternative, or its relaxation over the domain
//!   box, shows the other side empty;
//! - cut: a witness strictly inside the piece on each side.
//!
//! Everything is recomputed here in exact arithmetic from the network's own
//! rows; nothing of the prover is trusted but the numbers in the file.

use crate::check::format::{
    side_name, side_of, BOX_TEST, CONSTANT_TEST, CUT_TEST, LINEAR_TEST, SIDE_ROW,
};
use crate::check::json_view::Json;
use crate::check::limits::{CheckLimits, Limit};
use crate::check::rejection::{MultiplierFault, TestFault, WitnessFault};
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::{range_over_box, ExactHalf};
use crate::exact::point::{parse_rational, ExactPoint};
use num_bigint::BigInt;
use num_traits::Signed;
use std::borrow::Cow;

/// A row of a piece with its name in the certificate (`d3`, `n1.7`).
pub(super) type NamedRow = (String, ExactHalf);

/// How a checked test decides its piece.
pub(super) enum Outcome {
    /// The piece lies on one side: `true` for on.
    OneSided(bool),
    /// The neuron cuts the piece in two.
    Cut,
}

/// What the tests of one certificate are checked against: the number of free
/// coordinates, for a box domain the box, and the limits on numbers.
pub(super) struct NeuronTests {
    dim: usize,
    box_bounds: Option<Vec<(Dyadic, Dyadic)>>,
    limits: CheckLimits,
}

impl NeuronTests {
    /// Tests on `dim` free coordinates; `box_bounds` when the domain is a box.
    pub(super) fn new(
        dim: usize,
        box_bounds: Option<Vec<(Dyadic, Dyadic)>>,
        limits: CheckLimits,
    ) -> Self {
        NeuronTests {
            dim,
            box_bounds,
            limits,
        }
    }

    /// Checks `test` of the row `z = a·y + c` on a piece with `rows`, of a
    /// neuron that is `linear` in the network (slope 1) or not.
    pub(super) fn check(
        &self,
        test: &Json,
        rows: &[NamedRow],
        (a, c): (&[Dyadic], &Dyadic),
        linear: bool,
    ) -> Result<Outcome, TestFault> {
        match (linear, test.as_str().as_deref() == Some(LINEAR_TEST)) {
            (true, true) => return Ok(Outcome::OneSided(true)),
            (true, false) => return Err(TestFault::UnmarkedLinear),
            (false, true) => return Err(TestFault::NotLinear),
            (false, false) => {}
        }
        let constant = a.iter().all(Dyadic::is_zero);
        if test.as_str().as_deref() == Some(CONSTANT_TEST) {
            return if constant {
                Ok(Outcome::OneSided(c.signum() > 0))
            } else {
                Err(TestFault::NotConstant)
            };
        }
        if constant {
            return Err(TestFault::UnmarkedConstant);
        }
        let [boxed, on_side, off_side, cut] =
            test.fields([BOX_TEST, side_name(true), side_name(false), CUT_TEST]);
        if let Some(side) = boxed.as_str() {
            let bounds = self.box_bounds.as_ref().ok_or(TestFault::NotABox)?;
            let (lo, hi) = range_over_box(a, c, bounds);
            return match side_of(&side) {
                Some(true) if lo.signum() >= 0 => Ok(Outcome::OneSided(true)),
                Some(false) if hi.signum() <= 0 => Ok(Outcome::OneSided(false)),
                _ => Err(TestFault::BoxRange {
                    side: side.into_owned(),
                }),
            };
        }
        for (on, lambda) in [(true, on_side), (false, off_side)] {
            if lambda != Json::ABSENT {
                self.motzkin(&lambda, rows, &ExactHalf::side(a, c, !on))
                    .map_err(TestFault::Multipliers)?;
                return Ok(Outcome::OneSided(on));
            }
        }
        if let Some(cut) = cut.as_array() {
            for (k, on) in [(0, false), (1, true)] {
                let w = cut.get(k);
                if w == Json::ABSENT {
                    return Err(TestFault::CutWithoutTwoWitnesses);
                }
                let w = witness(&w, self.dim, &self.limits).map_err(TestFault::Witness)?;
                if w.slack_sign(&ExactHalf::side(a, c, on)) >= 0 {
                    return Err(TestFault::WitnessOffSide { on });
                }
                if let Some(row) = violated_row(&w, rows) {
                    return Err(TestFault::WitnessOutside { on, row });
                }
            }
            return Ok(Outcome::Cut);
        }
        Err(TestFault::UnknownTest {
            test: test.to_value(),
        })
    }

    /// Checks multipliers: `λ > 0` on named rows (or `s`, the side shown
    /// empty), with `ρ = Σ λ_j a_j` and `β = Σ λ_j b_j`. Every solution of the
    /// strict system of the piece's rows and `side` has `ρ·y < β`. So it has
    /// none when `ρ = 0` and `β ≤ 0` (Motzkin), or, on a box domain (which
    /// holds every piece), when `ρ·y ≥ β` on the whole box.
    fn motzkin(
        &self,
        lambda: &Json,
        rows: &[NamedRow],
        side: &ExactHalf,
    ) -> Result<(), MultiplierFault> {
        let entries = lambda.as_array().ok_or(MultiplierFault::NotAList)?;
        if entries.is_empty() {
            return Err(MultiplierFault::Empty);
        }
        let mut sum_a = vec![Dyadic::zero(); self.dim];
        let mut sum_b = Dyadic::zero();
        let mut seen: Vec<Cow<str>> = Vec::new();
        for e in entries.iter() {
            let tag = e.item(0).as_str();
            let tag = tag.ok_or(MultiplierFault::NoRowName)?;
            let text = e.item(1).as_str();
            let text = text.ok_or(MultiplierFault::NotInteger)?;
            if !self.limits.digits_within(&text) {
                return Err(MultiplierFault::TooManyDigits {
                    row: tag.to_string(),
                    max: self.limits.get(Limit::Digits),
                });
            }
            let l: BigInt = text.parse().map_err(|_| MultiplierFault::NotInteger)?;
            if !l.is_positive() {
                return Err(MultiplierFault::NotPositive {
                    row: tag.to_string(),
                    value: l,
                });
            }
            if seen.contains(&tag) {
                return Err(MultiplierFault::Repeated {
                    row: tag.into_owned(),
                });
            }
            let row = if tag == SIDE_ROW {
                side
            } else {
                &rows
                    .iter()
                    .find(|(t, _)| *t == tag)
                    .ok_or_else(|| MultiplierFault::UnknownRow {
                        row: tag.to_string(),
                    })?
                    .1
            };
            for (s, a) in sum_a.iter_mut().zip(&row.a) {
                s.add_multiple(a, &l);
            }
            sum_b.add_multiple(&row.b, &l);
            seen.push(tag);
        }
        if sum_a.iter().all(Dyadic::is_zero) {
            return if sum_b.signum() > 0 {
                Err(MultiplierFault::PositiveOffsets)
            } else {
                Ok(())
            };
        }
        // Normals that do not cancel: on a box domain every piece lies in
        // the box, so min over the box of (Σ λ a)·y ≥ Σ λ b is a proof too.
        let bounds = self
            .box_bounds
            .as_ref()
            .ok_or(MultiplierFault::NormalsNotCancelled)?;
        let (lo, _) = range_over_box(&sum_a, &-&sum_b, bounds);
        if lo.signum() < 0 {
            return Err(MultiplierFault::BoxSlackShort);
        }
        Ok(())
    }
}

/// Parses a witness: a point of `dim` coordinates written as `p/q` strings,
/// each within the limit on digits.
pub(super) fn witness(
    v: &Json,
    dim: usize,
    limits: &CheckLimits,
) -> Result<ExactPoint, WitnessFault> {
    let coords = v
        .as_array()
        .ok_or(WitnessFault::NotAList)?
        .exactly(dim)
        .map_err(|found| WitnessFault::Dimension { found, dim })?;
    let q = coords
        .into_iter()
        .enumerate()
        .map(|(coordinate, c)| {
            let text = c.as_str().ok_or(WitnessFault::NotRational { coordinate })?;
            if !limits.digits_within(&text) {
                return Err(WitnessFault::TooManyDigits {
                    coordinate,
                    max: limits.get(Limit::Digits),
                });
            }
            parse_rational(&text).ok_or(WitnessFault::NotRational { coordinate })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ExactPoint::from_rationals(q))
}

/// The name of the first row that `w` does not satisfy strictly, if any.
pub(super) fn violated_row(w: &ExactPoint, rows: &[NamedRow]) -> Option<String> {
    rows.iter()
        .find(|(_, h)| w.slack_sign(h) >= 0)
        .map(|(tag, _)| tag.clone())
}
