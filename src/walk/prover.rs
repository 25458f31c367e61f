//! Certification of the walk's float decisions in exact arithmetic (`docs/design.md`
//! §4). For every (piece, neuron) test the float side test proposes a
//! decision; this module proves it, or re-decides it exactly:
//!
//! - a zero row: exact (the exact row is zero; its constant's sign decides);
//! - one-sided: the exact range of the row over the domain's box, or
//!   multipliers for the empty side on the rows active at the float LP's
//!   optimum: small ones rounded from a float solve, paid for by the domain
//!   box ([`rounded_multipliers`]), else Motzkin's exact ones
//!   ([`decide_interior`]);
//! - a cut: the two float witnesses, each checked strictly inside the piece
//!   and on its side.
//!
//! When a proof fails, the test is decided by the exact LP on all rows (the
//! *exact fallback*): the result is then exact for the exact network, even
//! for slivers thinner than the float tolerance. A piece that the exact LP
//! finds empty on both sides has no interior, which its float witness
//! contradicts: that is an error ([`NoInterior`]), never a proof.

use crate::domain::half_space::HalfSpace;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::{range_over_box, ExactHalf};
use crate::exact::interval::{self, Interval, IntervalHalf, Known};
use crate::exact::point::ExactPoint;
use crate::exact::slice::Slice;
use crate::lp::chebyshev::Ball;
use crate::model::pattern::Pattern;
use crate::tolerance::ACTIVE_SLACK;
use crate::walk::box_proof::BoxRecord;
use crate::walk::exact_alternative::{decide_interior, to_integers, Alternative};
use crate::walk::motzkin::null_multipliers;
use crate::walk::rounded_multipliers::{
    rounded_multipliers, rounded_multipliers_enclosed, Rounded,
};
use crate::walk::row_proof::{row_multipliers, row_multipliers_enclosed};
use crate::walk::side_test::Decision;
use crate::walk::space::WorkSpace;
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// Names a row of a piece in a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowTag {
    /// Row `i` of [`crate::Domain::rows`].
    Domain(usize),
    /// The row of a neuron that cut an ancestor (on the piece's side).
    Neuron {
        /// Hidden layer.
        layer: usize,
        /// Neuron index.
        index: usize,
    },
    /// The side being shown empty.
    Side,
}

/// The proof of one (piece, neuron) decision.
#[derive(Debug, Clone, PartialEq)]
pub enum TestRecord {
    /// The neuron's exact row is constant on the piece.
    Constant,
    /// The neuron is linear (slope 1): it has no kink, so it cuts nothing
    /// and is on.
    Linear,
    /// One-sided, by the row's exact range over the cell's box (the
    /// domain's, or the proved box of the split's cell).
    Box {
        /// True when the neuron is on throughout.
        on: bool,
    },
    /// One-sided, by Motzkin multipliers (nonzero only) for the empty side.
    Motzkin {
        /// True when the neuron is on throughout (the off side is empty).
        on: bool,
        /// Multipliers by row.
        lambda: Vec<(RowTag, BigInt)>,
    },
    /// A cut, with a witness strictly inside each side.
    Cut {
        /// In `{z < 0}`.
        off: ExactPoint,
        /// In `{z > 0}`.
        on: ExactPoint,
    },
}

/// The proofs of one cell's split by one layer: `tests[i][p]` is neuron
/// `i`'s test on the `p`-th piece present when it was tested.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitRecord {
    /// The hidden layer.
    pub layer: usize,
    /// The cell's pattern (layers before `layer`).
    pub pattern: Pattern,
    /// The proofs.
    pub tests: Vec<Vec<TestRecord>>,
    /// The cell's box where it is tighter than its parent's, with the
    /// proof of each bound (`box_proof.rs`); `None` when the parent's box
    /// holds as it is.
    pub cell_box: Option<BoxRecord>,
}

/// What the float side test found of the side it judged empty: where the
/// support of a proof that it is empty lies.
#[derive(Debug, Clone, Copy, Default)]
pub struct Support<'v> {
    /// The float LP optimum of that side (the *probe*), when an LP ran:
    /// the rows active there, with the side, support multipliers.
    pub probe: Option<&'v Ball>,
    /// The row of the piece that, with the box, bounded the tested row away
    /// from that side (`row_bound.rs`): it and the side support
    /// multipliers (`row_proof.rs`).
    pub row: Option<usize>,
}

/// Enclosures of the minimum and the maximum of a row over a box.
pub type Range = (Interval, Interval);

/// Certifies decisions for one walk.
pub struct Certifier<'a> {
    slice: &'a Slice,
    /// The domain's box on the free coordinates, in doubles (its ends are
    /// doubles), where the domain is a box or a slice's window: the root
    /// cell's box.
    root_box: Option<Vec<(f64, f64)>>,
    fallbacks: AtomicU64,
}

/// Exact arithmetic finds no interior where the float walk found one: both
/// sides of a row on a piece, or a finished region, are empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoInterior;

/// A piece known by the enclosures of its rows (`exact/interval.rs`): what
/// the certifier tries first, at float speed.
pub struct EnclosedPiece<'p> {
    /// Enclosures of the exact rows `a·y < b` on free coordinates.
    pub rows: &'p [Arc<IntervalHalf>],
    /// The tag of row `j` (asked only for a proof's support).
    pub tag: &'p dyn Fn(usize) -> RowTag,
    /// The same rows in working coordinates, unit normals.
    pub float_rows: &'p [HalfSpace],
    /// A box that holds the piece (free coordinates, doubles): its cell's,
    /// proved (`box_proof.rs`), or the domain's; `None` when there is none.
    pub bbox: Option<&'p [(f64, f64)]>,
    /// A ball centre (working coordinates) that the enclosures already
    /// showed strictly inside the first this many rows: a witness at that
    /// centre is checked against the other rows only.
    pub inside: Option<(&'p [f64], usize)>,
}

/// A piece as the certifier sees it: exact rows with their tags, the float
/// rows (working coordinates) in the same order, and its float ball.
pub struct ExactPiece<'p> {
    /// Exact rows `a·y < b` on free coordinates.
    pub rows: &'p [ExactHalf],
    /// Their tags.
    pub tags: &'p [RowTag],
    /// The same rows in working coordinates, unit normals.
    pub float_rows: &'p [HalfSpace],
    /// A ball inside (working coordinates).
    pub ball: &'p Ball,
    /// A box that holds the piece, as [`EnclosedPiece::bbox`].
    pub bbox: Option<&'p [(f64, f64)]>,
}

impl<'a> Certifier<'a> {
    /// A certifier for walks over `space`.
    pub fn new(space: &'a WorkSpace) -> Self {
        let box_bounds = space.slice.exact_box(&space.domain);
        Certifier {
            slice: &space.slice,
            root_box: box_bounds.as_deref().and_then(interval::double_box),
            fallbacks: AtomicU64::new(0),
        }
    }

    /// The root cell's box (free coordinates): the domain's, when it is a
    /// box or a slice's window.
    pub fn root_box(&self) -> Option<&[(f64, f64)]> {
        self.root_box.as_deref()
    }

    /// How many tests needed the exact fallback.
    pub fn fallbacks(&self) -> u64 {
        self.fallbacks.load(Relaxed)
    }

    /// A zero-radius ball at an exact point (for the float walk to go on from).
    fn thin_ball(&self, y: &ExactPoint) -> Ball {
        Ball {
            center: self.slice.working_near(y),
            radius: 0.0,
        }
    }

    /// A witness strictly inside the piece (a region, at the end of the walk).
    pub fn region_witness(&self, piece: &ExactPiece<'_>) -> Result<ExactPoint, NoInterior> {
        let y = self.slice.exact_point(&piece.ball.center);
        if y.strictly_inside(piece.rows) {
            return Ok(y);
        }
        self.fallbacks.fetch_add(1, Relaxed);
        match decide(self.slice.dim(), piece.rows.iter()) {
            Alternative::Interior(y) => Ok(ExactPoint::from_rationals(y)),
            Alternative::Empty(_) => Err(NoInterior),
        }
    }

    /// A witness strictly inside a region from its ball's centre, shown
    /// so by the rows' enclosures (the caller leaves out rows already
    /// shown to hold there); `None` when they do not show it (the exact
    /// [`Certifier::region_witness`] then decides).
    pub fn region_witness_enclosed(
        &self,
        rows: &[Arc<IntervalHalf>],
        ball: &Ball,
    ) -> Option<ExactPoint> {
        self.enclosed_witness(rows, None, ball)
    }

    /// The float centre of `ball` on free coordinates (exact doubles), as a
    /// witness when the enclosures show it strictly inside `rows` and
    /// `side`.
    fn enclosed_witness(
        &self,
        rows: &[Arc<IntervalHalf>],
        side: Option<&IntervalHalf>,
        ball: &Ball,
    ) -> Option<ExactPoint> {
        let y = self.slice.free_part(&self.slice.to_domain(&ball.center));
        let inside = |h: &IntervalHalf| h.holds_at(&y) == Known::Yes;
        (side.is_none_or(inside) && rows.iter().all(|h| inside(h)))
            .then(|| ExactPoint::from_f64(&y))
    }

    /// The proof of the float decision `float` for the row `z = a·y + c`
    /// (enclosed) on `piece`, from enclosures alone: a float witness inside
    /// each side of a cut, the row's range over the piece's box (`range`,
    /// its minimum and maximum, enclosed), or rounded multipliers on the
    /// probe's active rows, each shown by enclosures that exclude the
    /// boundary. `None` when they show nothing; then [`Certifier::certify`]
    /// decides on the exact rows. A proof found here is one the exact path
    /// would accept, so the decision stands as it is.
    pub fn certify_enclosed(
        &self,
        piece: &EnclosedPiece<'_>,
        ((a, c), range): ((&[Interval], Interval), Option<Range>),
        z_float: (&[f64], f64),
        float: &Decision,
        support: Support<'_>,
    ) -> Option<TestRecord> {
        let on = match float {
            Decision::Cut { off, on } => {
                let witness = |on: bool, ball: &Ball| {
                    let known = match piece.inside {
                        Some((centre, n)) if centre == ball.center.as_slice() => n,
                        _ => 0,
                    };
                    let side = IntervalHalf::side(a, c, on);
                    self.enclosed_witness(&piece.rows[known..], Some(&side), ball)
                };
                return Some(TestRecord::Cut {
                    off: witness(false, off)?,
                    on: witness(true, on)?,
                });
            }
            Decision::AllOn(_) => true,
            Decision::AllOff(_) => false,
        };
        let bounds = piece.bbox?;
        let (min, max) = range?;
        let by_box = if on {
            Known::of(min.lo >= 0.0, min.hi < 0.0)
        } else {
            Known::of(max.hi <= 0.0, max.lo > 0.0)
        };
        match by_box {
            Known::Yes => return Some(TestRecord::Box { on }),
            Known::Unknown => return None,
            Known::No => {}
        }
        let side = IntervalHalf::side(a, c, !on);
        if let Some(j) = support.row {
            return match row_multipliers_enclosed(&piece.rows[j], &side, bounds) {
                Rounded::Proved(l) => Some(multipliers_record(
                    on,
                    vec![(piece.tag)(j), RowTag::Side],
                    l,
                )),
                Rounded::Failed | Rounded::Undecided => None,
            };
        }
        let active = active_rows(piece.float_rows, z_float, on, support.probe?)?;
        let support: Vec<&IntervalHalf> = active
            .iter()
            .map(|&j| &*piece.rows[j])
            .chain([&side])
            .collect();
        match rounded_multipliers_enclosed(self.slice.dim(), &support, bounds) {
            Rounded::Proved(l) => {
                let tags = active.iter().map(|&j| (piece.tag)(j)).chain([RowTag::Side]);
                Some(multipliers_record(on, tags.collect(), l))
            }
            Rounded::Failed | Rounded::Undecided => None,
        }
    }

    /// Proves (or re-decides) the float decision `float` for the row
    /// `z = a·y + c` on `piece`. `z_float` is the same row in working
    /// coordinates with a unit normal (`â·t + ĉ`); `support` is what the
    /// float test found of the side it judged empty (an LP's optimum, or the
    /// row that bounded it away).
    /// Errs when both sides are empty in exact arithmetic.
    pub fn certify(
        &self,
        piece: &ExactPiece<'_>,
        (a, c): (&[Dyadic], &Dyadic),
        z_float: (&[f64], f64),
        float: Decision,
        support: Support<'_>,
    ) -> Result<(Decision, TestRecord), NoInterior> {
        match float {
            Decision::AllOn(moved) => self.one_sided(piece, (a, c), z_float, true, moved, support),
            Decision::AllOff(moved) => {
                self.one_sided(piece, (a, c), z_float, false, moved, support)
            }
            Decision::Cut { off, on } => self.cut(piece, (a, c), off, on),
        }
    }

    /// Proves the float decision "on throughout" (`on`) or "off throughout";
    /// where the proof fails, decides exactly: the decision may then turn
    /// into a cut or the other one-sided decision.
    fn one_sided(
        &self,
        piece: &ExactPiece<'_>,
        (a, c): (&[Dyadic], &Dyadic),
        z_float: (&[f64], f64),
        on: bool,
        moved: Option<Ball>,
        support: Support<'_>,
    ) -> Result<(Decision, TestRecord), NoInterior> {
        let side = |on: bool| ExactHalf::side(a, c, on);
        let one_sided = |on: bool, m: Option<Ball>| {
            if on {
                Decision::AllOn(m)
            } else {
                Decision::AllOff(m)
            }
        };
        if let Some(record) = self.prove_empty(piece, (a, c), z_float, on, support) {
            return Ok((one_sided(on, moved), record));
        }
        self.fallbacks.fetch_add(1, Relaxed);
        let empty_side = side(!on);
        let y_empty = match decide(self.slice.dim(), piece.rows.iter().chain([&empty_side])) {
            Alternative::Empty(l) => {
                return Ok((one_sided(on, moved), motzkin(on, piece.tags, &l)))
            }
            // The float decision was wrong: the "empty" side has interior.
            Alternative::Interior(y) => ExactPoint::from_rationals(y),
        };
        let thin = self.thin_ball(&y_empty);
        let kept = moved.unwrap_or_else(|| piece.ball.clone());
        Ok(match self.witness_or_proof(piece, &side(on), &kept) {
            Ok((w, ball)) => {
                let (off, on_w, off_ball, on_ball) = if on {
                    (y_empty, w, thin, ball)
                } else {
                    (w, y_empty, ball, thin)
                };
                (
                    Decision::Cut {
                        off: off_ball,
                        on: on_ball,
                    },
                    TestRecord::Cut { off, on: on_w },
                )
            }
            Err(l) => (one_sided(!on, Some(thin)), motzkin(!on, piece.tags, &l)),
        })
    }

    /// Proves a float cut by a witness on each side; where one side has none
    /// in exact arithmetic, the piece is on the other side throughout.
    fn cut(
        &self,
        piece: &ExactPiece<'_>,
        (a, c): (&[Dyadic], &Dyadic),
        off: Ball,
        on: Ball,
    ) -> Result<(Decision, TestRecord), NoInterior> {
        let off_side = self.witness_or_proof(piece, &ExactHalf::side(a, c, false), &off);
        let on_side = self.witness_or_proof(piece, &ExactHalf::side(a, c, true), &on);
        Ok(match (off_side, on_side) {
            (Ok((off, off_ball)), Ok((on, on_ball))) => (
                Decision::Cut {
                    off: off_ball,
                    on: on_ball,
                },
                TestRecord::Cut { off, on },
            ),
            (Err(l), Ok((_, on_ball))) => (
                Decision::AllOn(Some(on_ball)),
                motzkin(true, piece.tags, &l),
            ),
            (Ok((_, off_ball)), Err(l)) => (
                Decision::AllOff(Some(off_ball)),
                motzkin(false, piece.tags, &l),
            ),
            // Both sides empty: the piece has no interior, which its own
            // witness contradicts. No proof can be written for it.
            (Err(_), Err(_)) => return Err(NoInterior),
        })
    }

    /// A witness of the side `side_row` of the piece, from the float ball if
    /// it checks exactly, else from the exact LP; or the multipliers proving
    /// the side empty.
    fn witness_or_proof(
        &self,
        piece: &ExactPiece<'_>,
        side_row: &ExactHalf,
        ball: &Ball,
    ) -> Result<(ExactPoint, Ball), Vec<BigRational>> {
        let y = self.slice.exact_point(&ball.center);
        if side_row_holds(&y, side_row) && y.strictly_inside(piece.rows) {
            return Ok((y, ball.clone()));
        }
        self.fallbacks.fetch_add(1, Relaxed);
        match decide(self.slice.dim(), piece.rows.iter().chain([side_row])) {
            Alternative::Interior(y) => {
                let y = ExactPoint::from_rationals(y);
                let ball = self.thin_ball(&y);
                Ok((y, ball))
            }
            Alternative::Empty(l) => Err(l),
        }
    }

    /// A proof that the side opposite to `on` is empty, without the full
    /// exact LP: the domain box, multipliers on the row that bounded it
    /// away, or multipliers on the probe's active rows.
    fn prove_empty(
        &self,
        piece: &ExactPiece<'_>,
        (a, c): (&[Dyadic], &Dyadic),
        (a_hat, c_hat): (&[f64], f64),
        on: bool,
        support: Support<'_>,
    ) -> Option<TestRecord> {
        let box_bounds: Option<Vec<(Dyadic, Dyadic)>> = piece.bbox.map(|b| {
            b.iter()
                .map(|&(l, h)| (Dyadic::from_f64(l), Dyadic::from_f64(h)))
                .collect()
        });
        if let Some(bounds) = &box_bounds {
            let (lo, hi) = range_over_box(a, c, bounds);
            if (on && lo.signum() >= 0) || (!on && hi.signum() <= 0) {
                return Some(TestRecord::Box { on });
            }
        }
        let empty_side = ExactHalf::side(a, c, !on);
        if let (Some(j), Some(float_box), Some(bounds)) = (support.row, piece.bbox, &box_bounds) {
            let by_row = row_multipliers(&piece.rows[j], &empty_side, float_box, bounds);
            if let Some(l) = by_row {
                return Some(multipliers_record(on, vec![piece.tags[j], RowTag::Side], l));
            }
        }
        let active = active_rows(piece.float_rows, (a_hat, c_hat), on, support.probe?)?;
        let support: Vec<ExactHalf> = active
            .iter()
            .map(|&j| piece.rows[j].clone())
            .chain([empty_side])
            .collect();
        let tags: Vec<RowTag> = active
            .iter()
            .map(|&j| piece.tags[j])
            .chain([RowTag::Side])
            .collect();
        if let Some(bounds) = &box_bounds {
            if let Some(l) = rounded_multipliers(self.slice.dim(), &support, bounds) {
                return Some(multipliers_record(on, tags, l));
            }
        }
        if let Some(l) = null_multipliers(self.slice.dim(), &support) {
            return Some(multipliers_record(on, tags, l));
        }
        let rows = support.iter();
        match decide(self.slice.dim(), rows) {
            Alternative::Empty(l) => Some(motzkin(on, &tags[..tags.len() - 1], &l)),
            Alternative::Interior(_) => None,
        }
    }
}

/// The rows active at the float LP's optimum `probe` of the side opposite
/// to `on` of `â·t + ĉ` (slack below `ACTIVE_SLACK`): the support of the
/// multipliers that show that side empty. `None` when the side's own row is
/// not active (the probe is not at that side's boundary).
fn active_rows(
    float_rows: &[HalfSpace],
    (a_hat, c_hat): (&[f64], f64),
    on: bool,
    probe: &Ball,
) -> Option<Vec<usize>> {
    // The empty side's float row: off is â·t + ĉ < 0, on is −â·t − ĉ < 0.
    let sign = if on { 1.0 } else { -1.0 };
    let empty_row = HalfSpace {
        a: a_hat.iter().map(|v| sign * v).collect(),
        b: -sign * c_hat,
    };
    let slack = |h: &HalfSpace| h.b - crate::model::affine::dot(&h.a, &probe.center) - probe.radius;
    if slack(&empty_row) > ACTIVE_SLACK {
        return None;
    }
    Some(
        float_rows
            .iter()
            .enumerate()
            .filter(|(_, h)| slack(h) <= ACTIVE_SLACK)
            .map(|(j, _)| j)
            .collect(),
    )
}

/// True if `y` satisfies the side row strictly.
fn side_row_holds(y: &ExactPoint, row: &ExactHalf) -> bool {
    y.slack_sign(row) < 0
}

/// The record of multipliers `l` over `tags` followed by the side row.
fn motzkin(on: bool, tags: &[RowTag], l: &[BigRational]) -> TestRecord {
    let tags = tags.iter().copied().chain([RowTag::Side]).collect();
    multipliers_record(on, tags, to_integers(l))
}

/// The record of integer multipliers over `tags`, zeros dropped and the
/// rest divided by their gcd (any positive multiple is as good a proof; the
/// Bareiss minors share large factors, and this cuts certificates several
/// times).
fn multipliers_record(on: bool, tags: Vec<RowTag>, l: Vec<BigInt>) -> TestRecord {
    // Rounded multipliers are machine integers: their gcd needs no big one.
    let small: Option<Vec<u64>> = l.iter().map(|v| v.to_u64()).collect();
    let g = match small {
        Some(s) => BigInt::from(s.iter().fold(0u64, |g, &v| g.gcd(&v))),
        None => l.iter().fold(BigInt::zero(), |g, v| g.gcd(v)),
    };
    let lambda = tags
        .into_iter()
        .zip(l)
        .filter(|(_, v)| v.is_positive())
        .map(|(t, v)| (t, if g.is_zero() { v } else { v / &g }))
        .collect();
    TestRecord::Motzkin { on, lambda }
}

/// Decides the rows exactly.
fn decide<'r>(dim: usize, rows: impl Iterator<Item = &'r ExactHalf>) -> Alternative {
    let q: Vec<(Vec<BigRational>, BigRational)> = rows
        .map(|h| {
            (
                h.a.iter().map(Dyadic::to_rational).collect(),
                h.b.to_rational(),
            )
        })
        .collect();
    decide_interior(dim, &q)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::input_domain::Domain;
    use crate::lp::GoodLpMicrolp;
    use crate::model::network::relu_network;

    fn d(v: f64) -> Dyadic {
        Dyadic::from_f64(v)
    }

    fn ball(center: f64, radius: f64) -> Ball {
        Ball {
            center: vec![center],
            radius,
        }
    }

    /// |y| on the box (−1, 1): working and free coordinates coincide there.
    fn space() -> WorkSpace {
        let net = relu_network(&[(vec![vec![1.0], vec![-1.0]], vec![0.0, 0.0])]);
        WorkSpace::new(&net, &Domain::Box(vec![(-1.0, 1.0)]), &GoodLpMicrolp).unwrap()
    }

    /// A 1-D piece from rows `a y < b`, tagged `d0, d1, n0.0, …`.
    struct Rows {
        exact: Vec<ExactHalf>,
        float: Vec<HalfSpace>,
        tags: Vec<RowTag>,
    }

    fn rows(rows: &[(f64, f64)]) -> Rows {
        let tag = |j: usize| match j {
            0 | 1 => RowTag::Domain(j),
            _ => RowTag::Neuron {
                layer: 0,
                index: j - 2,
            },
        };
        Rows {
            exact: rows
                .iter()
                .map(|&(a, b)| ExactHalf {
                    a: vec![d(a)],
                    b: d(b),
                })
                .collect(),
            float: rows
                .iter()
                .map(|&(a, b)| HalfSpace { a: vec![a], b })
                .collect(),
            tags: (0..rows.len()).map(tag).collect(),
        }
    }

    /// The domain box of [`space`], on its one free coordinate.
    const UNIT: &[(f64, f64)] = &[(-1.0, 1.0)];

    fn piece<'p>(r: &'p Rows, ball: &'p Ball) -> ExactPiece<'p> {
        ExactPiece {
            rows: &r.exact,
            tags: &r.tags,
            float_rows: &r.float,
            ball,
            bbox: Some(UNIT),
        }
    }

    /// The box (−1, 1) cut to its off side of neuron 0, `y < 0`.
    fn negative_half() -> Rows {
        rows(&[(-1.0, 1.0), (1.0, 1.0), (1.0, 0.0)])
    }

    /// The multipliers of `y < 0` (row n0.0) and the side `−y < 0` (or of
    /// `−y < 0` and `y < 0`): 1 and 1, since 1·y + 1·(−y) = 0 and
    /// 1·0 + 1·0 ≤ 0.
    pub(crate) fn by_hand(on: bool) -> TestRecord {
        let n = RowTag::Neuron { layer: 0, index: 0 };
        TestRecord::Motzkin {
            on,
            lambda: vec![(n, 1.into()), (RowTag::Side, 1.into())],
        }
    }

    /// Certifies the float decision `float` for z = −y on y < 0.
    fn minus_y_on_negative_half(c: &Certifier<'_>, float: Decision) -> (Decision, TestRecord) {
        let (r, b) = (negative_half(), ball(-0.5, 0.5));
        c.certify(
            &piece(&r, &b),
            (&[d(-1.0)], &d(0.0)),
            (&[-1.0], 0.0),
            float,
            Support::default(),
        )
        .unwrap()
    }

    #[test]
    fn an_empty_side_is_proved_by_multipliers_that_check_by_hand() {
        let space = space();
        let c = Certifier::new(&space);
        // z = −y is positive on y < 0: on throughout; its off side is empty.
        let (decision, record) = minus_y_on_negative_half(&c, Decision::AllOn(None));
        assert_eq!(decision, Decision::AllOn(None));
        assert_eq!(record, by_hand(true));
    }

    #[test]
    fn a_wrong_float_decision_is_decided_again() {
        let space = space();
        let c = Certifier::new(&space);
        // A float "off throughout" for z = −y on y < 0 is wrong: the exact
        // fallback finds it on throughout, with the same proof.
        let (decision, record) = minus_y_on_negative_half(&c, Decision::AllOff(None));
        assert!(matches!(decision, Decision::AllOn(Some(_))), "{decision:?}");
        assert_eq!(record, by_hand(true));
        assert!(c.fallbacks() > 0);
    }

    #[test]
    fn the_domain_box_proves_a_row_one_sided() {
        let space = space();
        let c = Certifier::new(&space);
        let (r, b) = (rows(&[(-1.0, 1.0), (1.0, 1.0)]), ball(0.0, 1.0));
        // y + 2 ranges over [1, 3] on the box: on throughout.
        let (decision, record) = c
            .certify(
                &piece(&r, &b),
                (&[d(1.0)], &d(2.0)),
                (&[1.0], 2.0),
                Decision::AllOn(None),
                Support::default(),
            )
            .unwrap();
        assert_eq!(
            (decision, record),
            (Decision::AllOn(None), TestRecord::Box { on: true })
        );
        assert_eq!(c.fallbacks(), 0);
    }

    /// The enclosures of `rows`, exact (their numbers are doubles).
    fn enclosed(r: &Rows) -> Vec<Arc<IntervalHalf>> {
        r.exact
            .iter()
            .map(|h| {
                Arc::new(IntervalHalf {
                    a: h.a.iter().map(Interval::of_dyadic).collect(),
                    b: Interval::of_dyadic(&h.b),
                })
            })
            .collect()
    }

    #[test]
    fn enclosures_prove_clear_decisions_and_leave_ties_to_exact_numbers() {
        let space = space();
        let c = Certifier::new(&space);
        let r = rows(&[(-1.0, 1.0), (1.0, 1.0)]);
        let rows = enclosed(&r);
        let tag = |j: usize| r.tags[j];
        let piece = EnclosedPiece {
            rows: &rows,
            tag: &tag,
            float_rows: &r.float,
            bbox: Some(UNIT),
            inside: None,
        };
        let on = Decision::AllOn(None);
        // y + 2 ranges over [1, 3] on the box (by hand): the enclosure shows it.
        let row = ([Interval::point(1.0)], Interval::point(2.0));
        let range = interval::range_over_box(&row.0, row.1, UNIT);
        let proof = c.certify_enclosed(
            &piece,
            ((&row.0, row.1), Some(range)),
            (&[1.0], 2.0),
            &on,
            Support::default(),
        );
        assert_eq!(proof, Some(TestRecord::Box { on: true }));
        // t·y + t with t the double nearest 0.1, times 3 (not a double): its
        // minimum over the box is exactly 0, so `on` holds exactly, but the
        // enclosure of 3t straddles that: no proof from enclosures…
        let t = Dyadic::from_f64(0.1);
        let three_t = &t * &d(3.0);
        let a = Interval::point(0.1).scale(3.0);
        assert!(a.lo < a.hi, "3t is not a double");
        let range = interval::range_over_box(&[a], a, UNIT);
        let proof = c.certify_enclosed(
            &piece,
            ((&[a], a), Some(range)),
            (&[1.0], 0.3),
            &on,
            Support::default(),
        );
        assert_eq!(proof, None);
        // …and the exact row decides: on, by the box.
        let b = ball(0.0, 1.0);
        let piece = super::tests::piece(&r, &b);
        let (decision, record) = c
            .certify(
                &piece,
                (std::slice::from_ref(&three_t), &three_t),
                (&[1.0], 0.3),
                on,
                Support::default(),
            )
            .unwrap();
        assert_eq!(
            (decision, record),
            (Decision::AllOn(None), TestRecord::Box { on: true })
        );
    }

    #[test]
    fn a_cut_is_proved_by_a_witness_on_each_side() {
        let space = space();
        let c = Certifier::new(&space);
        let (r, b) = (rows(&[(-1.0, 1.0), (1.0, 1.0)]), ball(0.0, 1.0));
        let float = Decision::Cut {
            off: ball(-0.5, 0.5),
            on: ball(0.5, 0.5),
        };
        let (decision, record) = c
            .certify(
                &piece(&r, &b),
                (&[d(1.0)], &d(0.0)),
                (&[1.0], 0.0),
                float.clone(),
                Support::default(),
            )
            .unwrap();
        assert_eq!(decision, float);
        assert_eq!(
            record,
            TestRecord::Cut {
                off: ExactPoint::Dyadic(vec![d(-0.5)]),
                on: ExactPoint::Dyadic(vec![d(0.5)]),
            }
        );
    }

    #[test]
    fn a_piece_without_interior_is_an_error_not_a_proof() {
        let space = space();
        let c = Certifier::new(&space);
        // y < 0 and −y < 0: empty, whatever a float ball says.
        let (r, b) = (
            rows(&[(-1.0, 1.0), (1.0, 1.0), (1.0, 0.0), (-1.0, 0.0)]),
            ball(0.0, 0.1),
        );
        let float = Decision::Cut {
            off: ball(-0.5, 0.5),
            on: ball(0.5, 0.5),
        };
        let got = c.certify(
            &piece(&r, &b),
            (&[d(1.0)], &d(0.0)),
            (&[1.0], 0.0),
            float,
            Support::default(),
        );
        assert_eq!(got, Err(NoInterior));
        assert_eq!(c.region_witness(&piece(&r, &b)), Err(NoInterior));
        // A region with interior gets a witness strictly inside.
        let (r, b) = (negative_half(), ball(-0.5, 0.5));
        let w = c.region_witness(&piece(&r, &b)).unwrap();
        assert!(w.strictly_inside(&r.exact));
    }
}
