//! Checks one test of a split: how a neuron's row `z = a·y + c` is decided on
//! one piece of a cell. A test is one of (`docs/certificate.md`)
//! - constant: the exact normal `a` is zero, and the sign of `c` decides;
//! - box: the exact range of the row over the cell's box keeps one sign;
//! - multipliers: Motzkin's alternative, or its relaxation over the cell's
//!   box, shows the other side empty;
//! - cut: a witness strictly inside the piece on each side.
//!
//! Everything is recomputed here from the network's own rows; nothing of the
//! prover is trusted but the numbers in the file. Each question is first
//! put to the rows' rigorous enclosures (`exact/interval.rs`); where an
//! enclosure cannot answer, the exact rows are rebuilt from the cell's pattern
//! and decide ([`ExactCell`]). An enclosure answers only what the exact
//! numbers would, so the verdict, and the fault a rejection names, are those
//! of the exact check.

use crate::check::format::{
    domain_row, neuron_row, side_name, side_of, BOX_TEST, CONSTANT_TEST, CUT_TEST, LINEAR_TEST,
    SIDE_ROW,
};
use crate::check::json_view::{Array, Json};
use crate::check::limits::{CheckLimits, Limit};
use crate::check::rejection::{MultiplierFault, TestFault, WitnessFault};
use crate::check::row_index::{key_of, RowIndex, NO_KEY};
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::{range_over_box, ExactHalf};
use crate::exact::interval::{self, Interval, IntervalHalf, Known, ShortCombination};
use crate::exact::point::{parse_rational, ExactPoint};
use crate::exact::slice_network::SliceNetwork;
use num_bigint::BigInt;
use num_traits::Signed;
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// Where a row of a piece comes from: what rebuilding it exactly needs.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source {
    /// Row `i` of the domain's rows.
    Domain(usize),
    /// Side `on` of neuron `index` of hidden layer `layer`.
    Neuron {
        /// Hidden layer.
        layer: usize,
        /// Neuron.
        index: usize,
        /// The side the piece is on.
        on: bool,
    },
}

/// A row of a piece, shared by the pieces that hold it (a cut copies its
/// piece's rows), with the key of its name beside it, so that a multiplier
/// finds its row among a piece's rows without reading each row's data
/// ([`row_key`]).
#[derive(Clone)]
pub(super) struct Row {
    key: u32,
    row: Rc<NamedRow>,
}

impl Row {
    /// The row, keyed by its source.
    pub(super) fn new(row: NamedRow) -> Row {
        Row {
            key: source_key(row.source),
            row: Rc::new(row),
        }
    }
}

impl std::ops::Deref for Row {
    type Target = NamedRow;

    fn deref(&self) -> &NamedRow {
        &self.row
    }
}

/// The key of a row's source ([`key_of`]).
fn source_key(source: Source) -> u32 {
    match source {
        Source::Domain(i) => key_of(None, i),
        Source::Neuron { layer, index, .. } => key_of(Some(layer), index),
    }
}

/// The key of a row's name as the format writes names (`d3`, `n1.7`, read
/// as [`find_row`] reads them); [`NO_KEY`] for any other text.
fn row_key(tag: &[u8]) -> u32 {
    let Some((&kind, rest)) = tag.split_first() else {
        return NO_KEY;
    };
    let parsed = match kind {
        b'd' => canonical_number(rest).map(|i| key_of(None, i)),
        b'n' => rest.iter().position(|&b| b == b'.').and_then(|dot| {
            let layer = canonical_number(&rest[..dot])?;
            Some(key_of(Some(layer), canonical_number(&rest[dot + 1..])?))
        }),
        _ => None,
    };
    parsed.unwrap_or(NO_KEY)
}

/// A row of a piece: its enclosure, and where it comes from, which names
/// it in the certificate ([`NamedRow::tag`]).
#[derive(Debug)]
pub(super) struct NamedRow {
    pub half: IntervalHalf,
    pub source: Source,
}

impl NamedRow {
    /// Its name in the certificate: `d3`, `n1.7` (made only for a
    /// rejection's message; multipliers find rows by their source).
    pub fn tag(&self) -> String {
        match self.source {
            Source::Domain(i) => domain_row(i),
            Source::Neuron { layer, index, .. } => neuron_row(layer, index),
        }
    }
}

/// The rows of the domain (those with a free part), enclosed and named by
/// their place: the root cell's rows.
pub(super) fn domain_row_set(domain_rows: &[Option<ExactHalf>]) -> Vec<Row> {
    domain_rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.as_ref().map(|r| {
                Row::new(NamedRow {
                    half: IntervalHalf {
                        a: r.a.iter().map(Interval::of_dyadic).collect(),
                        b: Interval::of_dyadic(&r.b),
                    },
                    source: Source::Domain(i),
                })
            })
        })
        .collect()
}

/// A cell's exact rows, rebuilt from its pattern the first time an
/// enclosure cannot answer a question about them (most cells never need
/// them).
pub(super) struct ExactCell<'c> {
    slice: &'c SliceNetwork,
    domain_rows: &'c [Option<ExactHalf>],
    /// The cell's pattern, a string of bits per layer joined by `|`.
    pattern: &'c str,
    /// How many layers the pattern gives.
    patterned: usize,
    /// How many layers' pre-activations its rows and tests use.
    count: usize,
    layers: OnceCell<Vec<ExactAffine>>,
}

impl<'c> ExactCell<'c> {
    /// The exact state of a cell with `pattern` (the bits of `patterned`
    /// layers, joined by `|`) whose rows and tests use the pre-activations
    /// of the first `count` hidden layers.
    pub(super) fn new(
        slice: &'c SliceNetwork,
        domain_rows: &'c [Option<ExactHalf>],
        (pattern, patterned): (&'c str, usize),
        count: usize,
    ) -> Self {
        ExactCell {
            slice,
            domain_rows,
            pattern,
            patterned,
            count,
            layers: OnceCell::new(),
        }
    }

    fn layers(&self) -> &[ExactAffine] {
        self.layers.get_or_init(|| {
            let bits: Vec<Vec<bool>> = self
                .pattern
                .split('|')
                .take(self.patterned)
                .map(|l| l.chars().map(|b| b == '1').collect())
                .collect();
            self.slice.pre_activations(&bits, self.count)
        })
    }

    /// The exact row `(a, c)` of neuron `i` of the last layer it holds.
    fn neuron(&self, i: usize) -> (&[Dyadic], &Dyadic) {
        let z = &self.layers()[self.count - 1];
        (z.row(i), z.bias(i))
    }

    /// The exact row of a piece's row.
    fn half(&self, row: &NamedRow) -> ExactHalf {
        match row.source {
            Source::Domain(i) => self.domain_rows[i]
                .clone()
                .expect("the checker keeps only domain rows with a free part"),
            Source::Neuron { layer, index, on } => {
                let z = &self.layers()[layer];
                ExactHalf::side(z.row(index), z.bias(index), on)
            }
        }
    }
}

/// How a checked test decides its piece.
pub(super) enum Outcome {
    /// The piece lies on one side: `true` for on.
    OneSided(bool),
    /// The neuron cuts the piece in two: the witnesses of its off and on
    /// sides, each now known strictly inside its side's piece.
    Cut {
        /// The off side's witness.
        off: Rc<Inside>,
        /// The on side's witness.
        on: Rc<Inside>,
    },
}

/// A witness known strictly inside a piece (checked against every row of
/// it), with the text it was read from: a witness of the same text later
/// (the region's, or a cut's of a piece inside) is the same point, and
/// needs no check against those rows again. 92% of the region witnesses of
/// ACAS Xu N1,1 over property 4 repeat a cut's.
pub(super) struct Inside {
    /// The JSON text of the witness, as written.
    pub(super) text: Box<[u8]>,
    /// The point.
    pub(super) point: Witness,
}

/// What the tests of one certificate are checked against: the number of free
/// coordinates and the limits on numbers.
pub(super) struct NeuronTests {
    dim: usize,
    limits: CheckLimits,
    /// The places of the rows of the cell being split, by their keys.
    rows: RefCell<RowIndex>,
}

/// A box that holds a cell (free coordinates), in doubles: the domain's (a
/// box's bounds and a slice's window are `f64`), or one a split proved
/// (`box_proof.rs`).
pub(super) type CellBox = [(f64, f64)];

/// The side of a box test spelled as the prover writes it, `{"box":"on"}`
/// or `{"box":"off"}`, found by its bytes; `None` for any other text (read
/// as JSON instead). Most tests of a certificate are such (293,433 of the
/// 366,658 of ACAS Xu N1,1 over property 4), and reading each as an object
/// cost more than checking it.
pub(super) fn spelled_box_test(test: &Json) -> Option<bool> {
    const ON: &[u8] = br#"{"box":"on"}"#;
    const OFF: &[u8] = br#"{"box":"off"}"#;
    match test.text() {
        ON => Some(true),
        OFF => Some(false),
        _ => None,
    }
}

/// Whether the enclosures show that the row `z = a·y + c` of a neuron that
/// is not linear keeps side `on` over the box `bounds`: a nonzero entry
/// shows the row is not constant, and the enclosure of its minimum (on) or
/// maximum (off) over the box is on that side of zero. Where this holds,
/// [`NeuronTests::check_alone`] accepts the box test `on` (it asks the same
/// of the same enclosures); where it does not, `check_alone` decides.
pub(super) fn box_shows(a: &[Interval], c: Interval, bounds: &CellBox, on: bool) -> bool {
    if !a.iter().any(|v| v.lo > 0.0 || v.hi < 0.0) {
        return false;
    }
    interval::box_end_shows(a, c, bounds, !on)
}

/// A box of doubles as exact numbers, for what its enclosures leave open.
fn exact_box(bbox: &CellBox) -> Vec<(Dyadic, Dyadic)> {
    bbox.iter()
        .map(|&(l, h)| (Dyadic::from_f64(l), Dyadic::from_f64(h)))
        .collect()
}

impl NeuronTests {
    /// Tests on `dim` free coordinates.
    pub(super) fn new(dim: usize, limits: CheckLimits) -> Self {
        NeuronTests {
            dim,
            limits,
            rows: RefCell::default(),
        }
    }

    /// These tests with an index of rows for `domain` domain rows and
    /// `layers` hidden layers of at most `width` neurons.
    pub(super) fn with_row_index(self, domain: usize, layers: usize, width: usize) -> Self {
        NeuronTests {
            rows: RefCell::new(RowIndex::new(domain, layers, width)),
            ..self
        }
    }

    /// Indexes the rows of the cell about to be split: its pieces' rows
    /// start with them.
    pub(super) fn index_rows(&self, rows: &[Row]) {
        self.rows.borrow_mut().index(rows.iter().map(|r| r.key));
    }

    /// The number of free coordinates.
    pub(super) fn dim(&self) -> usize {
        self.dim
    }

    /// The limits on numbers.
    pub(super) fn limits(&self) -> &CheckLimits {
        &self.limits
    }

    /// Checks `test` of neuron `neuron`'s row `z = a·y + c` (enclosed) on a
    /// piece with `rows` of a cell whose exact state is `exact` and whose
    /// box is `bbox` (if it has one), of a neuron that is `linear` in the
    /// network (slope 1) or not; `inside` is a witness already known
    /// strictly inside the piece, if any.
    pub(super) fn check<'t>(
        &self,
        test: &Json<'t>,
        piece: (&[Row], Option<&Rc<Inside>>),
        (neuron, (a, c)): (usize, (&[Interval], Interval)),
        linear: bool,
        (bbox, exact): (Option<&CellBox>, &ExactCell),
    ) -> Result<Outcome, TestFault> {
        let row = (neuron, (a, c));
        match self.check_alone(test, row, linear, (bbox, exact)) {
            Some(decided) => decided,
            None => self.check_piece(test, piece, row, (bbox, exact)),
        }
    }

    /// The part of [`NeuronTests::check`] that does not depend on the piece:
    /// the verdict of a linear, constant or box test (and the faults that
    /// the row alone shows), the same on every piece of the cell; `None`
    /// for a test that needs the piece's rows (multipliers, a cut).
    pub(super) fn check_alone(
        &self,
        test: &Json,
        (neuron, (a, c)): (usize, (&[Interval], Interval)),
        linear: bool,
        (bbox, exact): (Option<&CellBox>, &ExactCell),
    ) -> Option<Result<Outcome, TestFault>> {
        let text = test.as_str();
        match (linear, text.as_deref() == Some(LINEAR_TEST)) {
            (true, true) => return Some(Ok(Outcome::OneSided(true))),
            (true, false) => return Some(Err(TestFault::UnmarkedLinear)),
            (false, true) => return Some(Err(TestFault::NotLinear)),
            (false, false) => {}
        }
        // An enclosure [0, 0] holds only zero; one that excludes zero shows
        // a nonzero entry.
        let constant = if a.iter().all(Interval::is_zero) {
            true
        } else if a.iter().any(|v| matches!(v.sign(), Some(s) if s != 0)) {
            false
        } else {
            exact.neuron(neuron).0.iter().all(Dyadic::is_zero)
        };
        if text.as_deref() == Some(CONSTANT_TEST) {
            return Some(if constant {
                let sign = c.sign().unwrap_or_else(|| exact.neuron(neuron).1.signum());
                Ok(Outcome::OneSided(sign > 0))
            } else {
                Err(TestFault::NotConstant)
            });
        }
        if constant {
            return Some(Err(TestFault::UnmarkedConstant));
        }
        let side = match spelled_box_test(test) {
            Some(on) => Cow::Borrowed(side_name(on)),
            None => test.at(BOX_TEST).as_str()?,
        };
        let Some(bounds) = bbox else {
            return Some(Err(TestFault::NotABox));
        };
        let on = side_of(&side);
        let known = match on {
            None => Known::No,
            Some(on) => {
                // On asks min ≥ 0; off asks max ≤ 0.
                let end = interval::end_over_box(a, c, bounds, !on);
                if on {
                    Known::of(end.lo >= 0.0, end.hi < 0.0)
                } else {
                    Known::of(end.hi <= 0.0, end.lo > 0.0)
                }
            }
        };
        let holds = match known {
            Known::Yes => true,
            Known::No => false,
            Known::Unknown => {
                let (a, c) = exact.neuron(neuron);
                let (lo, hi) = range_over_box(a, c, &exact_box(bounds));
                match on {
                    Some(true) => lo.signum() >= 0,
                    Some(false) => hi.signum() <= 0,
                    None => false,
                }
            }
        };
        Some(match (holds, on) {
            (true, Some(on)) => Ok(Outcome::OneSided(on)),
            _ => Err(TestFault::BoxRange {
                side: side.into_owned(),
            }),
        })
    }

    /// The part of [`NeuronTests::check`] that needs the piece: its rows,
    /// and a witness known strictly inside it (`inside`), which a cut's
    /// witness of the same text need not be checked against the rows again.
    fn check_piece(
        &self,
        test: &Json,
        (rows, inside): (&[Row], Option<&Rc<Inside>>),
        (neuron, (a, c)): (usize, (&[Interval], Interval)),
        (bbox, exact): (Option<&CellBox>, &ExactCell),
    ) -> Result<Outcome, TestFault> {
        let [on_side, off_side, cut] = test.fields([side_name(true), side_name(false), CUT_TEST]);
        for (on, lambda) in [(true, on_side), (false, off_side)] {
            if lambda != Json::ABSENT {
                let empty = SideRow::Neuron { a, c, on: !on };
                if bbox.is_some_and(|b| self.proved_by_floats(&lambda, rows, empty, b)) {
                    return Ok(Outcome::OneSided(on));
                }
                let side = Side {
                    half: IntervalHalf::side(a, c, !on),
                    neuron: Some((neuron, !on)),
                };
                self.motzkin(&lambda, rows, &side, (bbox, exact))
                    .map_err(TestFault::Multipliers)?;
                return Ok(Outcome::OneSided(on));
            }
        }
        if let Some(cut) = cut.as_array() {
            let mut found: [Option<Rc<Inside>>; 2] = [None, None];
            for (k, on) in [(0, false), (1, true)] {
                let w = cut.get(k);
                if w == Json::ABSENT {
                    return Err(TestFault::CutWithoutTwoWitnesses);
                }
                // The same text as a witness known inside the piece: the
                // same point, already parsed and checked against its rows.
                let known = inside.filter(|i| *i.text == *w.text());
                let point = match known {
                    Some(i) => Rc::clone(i),
                    None => Rc::new(Inside {
                        text: w.text().into(),
                        point: witness(&w, self.dim, &self.limits).map_err(TestFault::Witness)?,
                    }),
                };
                let side = Side {
                    half: IntervalHalf::side(a, c, on),
                    neuron: Some((neuron, on)),
                };
                if !strictly_holds(&point.point, &side.half, || side.exact(exact)) {
                    return Err(TestFault::WitnessOffSide { on });
                }
                if known.is_none() {
                    if let Some(row) = violated_row(&point.point, rows, exact) {
                        return Err(TestFault::WitnessOutside { on, row });
                    }
                }
                found[k] = Some(point);
            }
            let [Some(off), Some(on)] = found else {
                unreachable!("both witnesses were checked")
            };
            return Ok(Outcome::Cut { off, on });
        }
        Err(TestFault::UnknownTest {
            test: test.to_value(),
        })
    }

    /// Checks multipliers: `λ > 0` on named rows (or `s`, the side shown
    /// empty), with `ρ = Σ λ_j a_j` and `β = Σ λ_j b_j`. Every solution of the
    /// strict system of the piece's rows and `side` has `ρ·y < β`. So it has
    /// none when `ρ = 0` and `β ≤ 0` (Motzkin), or, when a box `bbox` holds
    /// the piece (the cell's), when `ρ·y ≥ β` on the whole box. The sums are
    /// first enclosed: when the enclosure of `min over the box of ρ·y − β`
    /// is nonnegative, so is the exact number, and either rule holds (with
    /// `ρ = 0` the minimum is `−β`); otherwise the exact sums decide.
    pub(super) fn motzkin(
        &self,
        lambda: &Json,
        rows: &[Row],
        side: &Side,
        (bbox, exact): (Option<&CellBox>, &ExactCell),
    ) -> Result<(), MultiplierFault> {
        let entries = lambda.as_array().ok_or(MultiplierFault::NotAList)?;
        if entries.is_empty() {
            return Err(MultiplierFault::Empty);
        }
        let mut terms = Vec::with_capacity(8);
        self.each_multiplier(entries, rows, |row, l| {
            terms.push((l.interval(), row.map_or(&side.half, |r| &r.half)));
        })?;
        if let Some(float_box) = bbox {
            let sum = interval::combination(&terms, self.dim);
            let min = interval::end_over_box(&sum.a, sum.b.neg(), float_box, false);
            if min.lo >= 0.0 {
                return Ok(());
            }
        }
        // The exact sums decide what the enclosure could not (the entries
        // read again: they checked above).
        let mut sum_a = vec![Dyadic::zero(); self.dim];
        let mut sum_b = Dyadic::zero();
        self.each_multiplier(entries, rows, |row, l| {
            let half = match row {
                Some(r) => exact.half(r),
                None => side.exact(exact),
            };
            let l = l.to_big();
            for (s, a) in sum_a.iter_mut().zip(&half.a) {
                s.add_multiple(a, &l);
            }
            sum_b.add_multiple(&half.b, &l);
        })?;
        if sum_a.iter().all(Dyadic::is_zero) {
            return if sum_b.signum() > 0 {
                Err(MultiplierFault::PositiveOffsets)
            } else {
                Ok(())
            };
        }
        // Normals that do not cancel: every piece of the cell lies in its
        // box, so min over the box of (Σ λ a)·y ≥ Σ λ b is a proof too.
        let bounds = exact_box(bbox.ok_or(MultiplierFault::NormalsNotCancelled)?);
        let (lo, _) = range_over_box(&sum_a, &-&sum_b, &bounds);
        if lo.signum() < 0 {
            return Err(MultiplierFault::BoxSlackShort);
        }
        Ok(())
    }
}

/// The side that multipliers show empty, as [`NeuronTests::proved_by_floats`]
/// adds it: without building its row.
#[derive(Clone, Copy)]
pub(super) enum SideRow<'s> {
    /// Side `on` of the row `z = a·y + c` ([`IntervalHalf::side`]).
    Neuron {
        /// The row's normal.
        a: &'s [Interval],
        /// Its constant.
        c: Interval,
        /// The side.
        on: bool,
    },
    /// The side outside a bound of a cell's box, as
    /// [`crate::exact::bound_row::bound_side`] writes it: `y_i < value` for
    /// a lower bound, `y_i > value` for an upper one.
    Bound {
        /// The coordinate `i`.
        coordinate: usize,
        /// Whether it is an upper bound.
        upper: bool,
        /// The bound.
        value: f64,
    },
}

impl SideRow<'_> {
    /// Adds `λ` times its row to `sum`.
    fn add_to(self, sum: &mut ShortCombination, l: f64) {
        match self {
            // Side `on` is `−a·y < c`, the negation of `a·y < −c`.
            SideRow::Neuron { a, c, on } => sum.add(l, a, c.neg(), on),
            SideRow::Bound {
                coordinate,
                upper,
                value,
            } => sum.add_unit(l, coordinate, if upper { -1.0 } else { 1.0 }, value),
        }
    }
}

/// The most decimal digits of a multiplier that
/// [`NeuronTests::proved_by_floats`] reads: `10^15 − 1 < 2^53`, so the
/// integer is a double (rounded multipliers have at most 10 digits).
const DOUBLE_DIGITS: usize = 15;

impl NeuronTests {
    /// Whether multipliers written as the writer writes them (a list that
    /// [`compact_pairs`] reads, each `λ` at most [`DOUBLE_DIGITS`] plain
    /// digits) prove `side` empty on a piece with `rows` inside the box
    /// `bbox` by the enclosure alone, as [`NeuronTests::motzkin`] would:
    /// every entry checked as it checks them (a positive integer within
    /// the limit on digits, a row of the piece or `s`, named once), and the
    /// enclosure of `min over the box of ρ·y − β` nonnegative, summed on the
    /// stack ([`ShortCombination`]). `false` decides nothing: `motzkin`
    /// then reads the list again and gives the verdict, and the fault. Most
    /// multiplier proofs are proved here (both kinds on ACAS Xu: the tests'
    /// and the cell boxes' bounds), without the vectors of the general
    /// path; rows are found by their keys ([`row_key`]).
    pub(super) fn proved_by_floats(
        &self,
        lambda: &Json,
        rows: &[Row],
        side: SideRow,
        bbox: &CellBox,
    ) -> bool {
        // A piece of at most 63 rows, the side being place `rows.len()`.
        let Some(mut sum) = ShortCombination::new(self.dim).filter(|_| rows.len() < 64) else {
            return false;
        };
        let mut seen = 0u64;
        let index = self.rows.borrow();
        let digits_allowed = DOUBLE_DIGITS.min(self.limits.max_digits);
        let read = each_compact_pair(lambda.text(), |tag, digits| {
            let plain = (1..=digits_allowed).contains(&digits.len())
                && digits.iter().all(u8::is_ascii_digit);
            if !plain {
                return false;
            }
            let l = digits
                .iter()
                .fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
            let k = match tag == SIDE_ROW.as_bytes() {
                true => rows.len(),
                false => {
                    let found = index.find(row_key(tag), rows.len(), |k| rows[k].key);
                    match found {
                        Some(k) => k,
                        None => return false,
                    }
                }
            };
            if l == 0 || seen & 1 << k != 0 {
                return false;
            }
            seen |= 1 << k;
            // `l < 2^53`: the integer is the double.
            match rows.get(k) {
                Some(r) => sum.add(l as f64, &r.half.a, r.half.b, false),
                None => side.add_to(&mut sum, l as f64),
            }
            true
        });
        read && seen != 0 && sum.proves_over_box(bbox)
    }

    /// Reads the entries `[row, "λ"]` of a list of multipliers in order,
    /// each checked (a row of the piece named once, `λ` a positive integer
    /// within the limit on digits), and gives each to `add` with its row
    /// (`None`: the side shown empty). The first fault stops the reading.
    fn each_multiplier<'r>(
        &self,
        entries: Array,
        rows: &'r [Row],
        mut add: impl FnMut(Option<&'r NamedRow>, &Multiplier),
    ) -> Result<(), MultiplierFault> {
        // The rows named so far, by their place in `rows` (`rows.len()`
        // for the side): a piece's rows have distinct names.
        let mut seen: Vec<usize> = Vec::with_capacity(8);
        let mut entry = |tag: Option<Cow<[u8]>>, text: Option<Cow<[u8]>>| {
            let tag = tag.ok_or(MultiplierFault::NoRowName)?;
            let name = || String::from_utf8_lossy(&tag).into_owned();
            let l = multiplier(text.as_deref(), &self.limits, name)?;
            let found = if *tag == *SIDE_ROW.as_bytes() {
                Some((rows.len(), None))
            } else {
                find_row(rows, &tag).map(|(k, r)| (k, Some(r)))
            };
            // A name already used found its row then (else it stopped the
            // reading), so a repeat is found before an unknown name.
            if let Some((k, _)) = found {
                if seen.contains(&k) {
                    return Err(MultiplierFault::Repeated { row: name() });
                }
            }
            let (k, row) = found.ok_or_else(|| MultiplierFault::UnknownRow { row: name() })?;
            seen.push(k);
            add(row, &l);
            Ok(())
        };
        if let Some(pairs) = compact_pairs(entries.text()) {
            for (tag, text) in pairs {
                entry(Some(Cow::Borrowed(tag)), Some(Cow::Borrowed(text)))?;
            }
            return Ok(());
        }
        for e in entries.iter() {
            let (tag, text) = match e.as_array() {
                Some(parts) => {
                    let mut parts = parts.iter();
                    (parts.next(), parts.next())
                }
                None => (None, None),
            };
            entry(
                tag.and_then(Json::str_bytes),
                text.and_then(Json::str_bytes),
            )?;
        }
        Ok(())
    }
}

/// The entries of a list of multipliers spelled as the writer spells them,
/// `[["d0","2230"],["s","7"]]` (no white space, no escape, two strings an
/// entry), as (name, digits) found by their bytes; `None` for a list
/// spelled otherwise, which is read as JSON instead. On a line of JSON
/// this shape has one reading: each quote found closes the string it
/// follows, as no backslash comes before it. Reading these lists as JSON
/// values took about 14% of `verify`'s time on ACAS Xu N1,1 over property
/// 4 (86,000 lists, multiplier tests and cell-box bounds).
fn compact_pairs(list: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let mut pairs = Vec::with_capacity(8);
    each_compact_pair(list, |tag, text| {
        pairs.push((tag, text));
        true
    })
    .then_some(pairs)
}

/// Gives each entry of a list spelled as [`compact_pairs`] reads it to
/// `take`, in order, as long as `take` returns `true`: `true` when the
/// whole list is so spelled and `take` took every entry (on `false`, some
/// entries may have been given).
fn each_compact_pair<'l>(list: &'l [u8], mut take: impl FnMut(&'l [u8], &'l [u8]) -> bool) -> bool {
    let string = |rest: &[u8]| -> Option<usize> {
        let end = memchr::memchr(b'"', rest)?;
        (!rest[..end].contains(&b'\\')).then_some(end)
    };
    let mut pairs = || -> Option<()> {
        let mut rest = list.strip_prefix(b"[")?.strip_suffix(b"]")?;
        let mut first = true;
        while !rest.is_empty() {
            if !first {
                rest = rest.strip_prefix(b",")?;
            }
            first = false;
            rest = rest.strip_prefix(b"[\"")?;
            let end = string(rest)?;
            let tag = &rest[..end];
            rest = rest[end..].strip_prefix(b"\",\"")?;
            let end = string(rest)?;
            let text = &rest[..end];
            rest = rest[end..].strip_prefix(b"\"]")?;
            if !take(tag, text) {
                return None;
            }
        }
        Some(())
    };
    pairs().is_some()
}

/// A multiplier as read: a machine integer (every rounded multiplier), or
/// a big one.
pub(super) enum Multiplier {
    /// At most 18 decimal digits.
    Small(u64),
    /// Any other integer.
    Big(BigInt),
}

impl Multiplier {
    /// Its enclosure.
    fn interval(&self) -> Interval {
        match *self {
            // Integers up to 2^53 are doubles.
            Multiplier::Small(v) if v <= 1 << 53 => Interval::point(v as f64),
            Multiplier::Small(v) => Interval::of_int(&BigInt::from(v)),
            Multiplier::Big(ref v) => Interval::of_int(v),
        }
    }

    /// The integer.
    fn to_big(&self) -> BigInt {
        match self {
            Multiplier::Small(v) => BigInt::from(*v),
            Multiplier::Big(v) => v.clone(),
        }
    }
}

/// The most decimal digits read as a machine integer: `10^18 < 2^63`.
const SMALL_DIGITS: usize = 18;

/// Reads a multiplier `"λ"` (the unescaped text of the string, `None` if
/// it is no string): a positive integer within the limit on digits
/// (`name` names its row in a fault). Plain digits are read directly;
/// any other text as before, by `i64` then `BigInt` parsing, which accept
/// the same texts for the same numbers (the direct reading is a shortcut,
/// never a change of what is accepted).
fn multiplier(
    text: Option<&[u8]>,
    limits: &CheckLimits,
    name: impl Fn() -> String,
) -> Result<Multiplier, MultiplierFault> {
    if let Some(digits) = text {
        let plain = (1..=SMALL_DIGITS).contains(&digits.len())
            && digits.iter().all(u8::is_ascii_digit)
            && digits.len() <= limits.max_digits;
        if plain {
            let v = digits
                .iter()
                .fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
            if v == 0 {
                return Err(MultiplierFault::NotPositive {
                    row: name(),
                    value: BigInt::from(0),
                });
            }
            return Ok(Multiplier::Small(v));
        }
    }
    // The unescaped text of a JSON string is UTF-8.
    let text = text
        .and_then(|t| std::str::from_utf8(t).ok())
        .ok_or(MultiplierFault::NotInteger)?;
    if !limits.digits_within(text) {
        return Err(MultiplierFault::TooManyDigits {
            row: name(),
            max: limits.get(Limit::Digits),
        });
    }
    // Rounded multipliers are machine integers; others parse as big ones.
    let l: BigInt = match text.parse::<i64>() {
        Ok(v) => v.into(),
        Err(_) => text.parse().map_err(|_| MultiplierFault::NotInteger)?,
    };
    if !l.is_positive() {
        return Err(MultiplierFault::NotPositive {
            row: name(),
            value: l,
        });
    }
    Ok(Multiplier::Big(l))
}

/// The row of `rows` that `tag` names, with its place: the name is read as
/// the format writes names (`d3`, `n1.7`: decimal numbers without leading
/// zeros), and compared by number with where each row comes from, which is
/// the name's text compared with the row's.
fn find_row<'r>(rows: &'r [Row], tag: &[u8]) -> Option<(usize, &'r NamedRow)> {
    let (&kind, rest) = tag.split_first()?;
    let wanted = match kind {
        b'd' => (canonical_number(rest)?, None),
        b'n' => {
            let dot = rest.iter().position(|&b| b == b'.')?;
            let layer = canonical_number(&rest[..dot])?;
            (canonical_number(&rest[dot + 1..])?, Some(layer))
        }
        _ => return None,
    };
    rows.iter().enumerate().find_map(|(k, r)| {
        let is = match (r.source, wanted) {
            (Source::Domain(i), (j, None)) => i == j,
            (Source::Neuron { layer, index, .. }, (j, Some(l))) => index == j && layer == l,
            _ => false,
        };
        is.then_some((k, &**r))
    })
}

/// A decimal number as the format writes one: digits, no leading zero but
/// in `0` itself, and small enough for a `usize`.
fn canonical_number(digits: &[u8]) -> Option<usize> {
    let plain = !digits.is_empty()
        && digits.len() <= SMALL_DIGITS
        && digits.iter().all(u8::is_ascii_digit)
        && (digits[0] != b'0' || digits.len() == 1);
    plain.then(|| {
        digits
            .iter()
            .fold(0usize, |v, &d| v * 10 + usize::from(d - b'0'))
    })
}

/// The side that multipliers show empty, enclosed, with what rebuilds it
/// exactly.
pub(super) struct Side {
    /// Its enclosure.
    pub(super) half: IntervalHalf,
    /// The neuron under test and its side `on`, whose exact row this is;
    /// `None` for a row whose enclosure is exact (a bound of a cell's box:
    /// its numbers are doubles, each enclosed by itself).
    pub(super) neuron: Option<(usize, bool)>,
}

impl Side {
    fn exact(&self, exact: &ExactCell) -> ExactHalf {
        match self.neuron {
            Some((neuron, on)) => {
                let (a, c) = exact.neuron(neuron);
                ExactHalf::side(a, c, on)
            }
            None => ExactHalf {
                a: self.half.a.iter().map(|v| Dyadic::from_f64(v.lo)).collect(),
                b: Dyadic::from_f64(self.half.b.lo),
            },
        }
    }
}

/// The point's coordinates as doubles, if each is one (a float witness).
fn doubles(w: &ExactPoint) -> Option<Vec<f64>> {
    match w {
        ExactPoint::Dyadic(d) => d.iter().map(interval::exact_double).collect(),
        ExactPoint::Rational(_) => None,
    }
}

/// Whether `w` satisfies the row enclosed by `half` strictly: the enclosure
/// of `a·w − b` decides when it excludes the boundary, else the exact row
/// (`exact()`) does.
fn strictly_holds(w: &Witness, half: &IntervalHalf, exact: impl FnOnce() -> ExactHalf) -> bool {
    let known = w
        .doubles
        .as_ref()
        .map_or(Known::Unknown, |y| half.sign_at(y));
    match known {
        Known::Yes => true,
        Known::No => false,
        Known::Unknown => w.exact().slack_sign(&exact()) < 0,
    }
}

/// A witness as the checker reads it: its exact point, and its coordinates
/// as doubles when each is one (every float witness's are).
pub(super) struct Witness {
    exact: OnceCell<ExactPoint>,
    /// A float witness's coordinates `m·2^e`, from which its exact point is
    /// made the first time an enclosure cannot decide (most witnesses
    /// never need it).
    parts: Vec<(i128, i64)>,
    doubles: Option<Vec<f64>>,
}

impl Witness {
    /// The exact point.
    fn exact(&self) -> &ExactPoint {
        self.exact.get_or_init(|| {
            ExactPoint::Dyadic(
                self.parts
                    .iter()
                    .map(|&(m, e)| Dyadic::from_parts(m.into(), e))
                    .collect(),
            )
        })
    }
}

/// Parses a witness: a point of `dim` coordinates written as `p/q` strings,
/// each within the limit on digits.
pub(super) fn witness(v: &Json, dim: usize, limits: &CheckLimits) -> Result<Witness, WitnessFault> {
    match spelled_witness(v.text(), dim, limits) {
        Some(w) => Ok(w),
        None => witness_as_json(v, dim, limits),
    }
}

/// The witness `text` spells when it is spelled as the writer spells a
/// float witness ([`compact_witness`]): what [`witness`] reads from it.
pub(super) fn spelled_witness(text: &[u8], dim: usize, limits: &CheckLimits) -> Option<Witness> {
    let parts = compact_witness(text, dim, limits.max_digits)?;
    Some(Witness {
        doubles: parts.iter().map(|&(m, e)| double_of(m, e)).collect(),
        exact: OnceCell::new(),
        parts,
    })
}

/// [`witness`] for any spelling: the point read as JSON, each number as
/// text.
fn witness_as_json(v: &Json, dim: usize, limits: &CheckLimits) -> Result<Witness, WitnessFault> {
    let coords = v
        .as_array()
        .ok_or(WitnessFault::NotAList)?
        .exactly(dim)
        .map_err(|found| WitnessFault::Dimension { found, dim })?;
    let texts = coords
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
            Ok(text)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // A float witness is `p/q` with a power of two `q`, small enough for
    // machine integers: read without a gcd, and as doubles when it is one.
    if let Some(parts) = texts
        .iter()
        .map(|t| small_dyadic(t))
        .collect::<Option<Vec<_>>>()
    {
        return Ok(Witness {
            doubles: parts.iter().map(|&(m, e)| double_of(m, e)).collect(),
            exact: OnceCell::new(),
            parts,
        });
    }
    let q = texts
        .iter()
        .enumerate()
        .map(|(coordinate, text)| {
            parse_rational(text).ok_or(WitnessFault::NotRational { coordinate })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let exact = ExactPoint::from_rationals(q);
    Ok(Witness {
        doubles: doubles(&exact),
        exact: OnceCell::from(exact),
        parts: Vec::new(),
    })
}

/// The most decimal digits of a numerator or a denominator that
/// [`compact_witness`] reads: `10^38 − 1 < 2^127`, so the number is an
/// `i128` (as [`small_dyadic`] reads it); a float witness's are at most 17
/// and 20 or so (a denominator `2^65` has 20).
const WITNESS_DIGITS: usize = 38;

/// A witness spelled as the writer spells a float witness,
/// `["p/q","p",...]` (no white space or escape; `p` an optional `-` and
/// digits, `q` digits), of `dim` coordinates within the limit on digits,
/// as the parts `(m, e)` that [`witness`] would read from it (`m = p`,
/// `q = 2^−e`); `None` for any other text, and where a `q` is no power of
/// two, which [`witness`] then reads. Parsing each number as text took
/// most of a witness's reading.
fn compact_witness(text: &[u8], dim: usize, max_digits: usize) -> Option<Vec<(i128, i64)>> {
    let digits = |t: &[u8]| -> Option<(u128, usize)> {
        let n = t
            .iter()
            .take(WITNESS_DIGITS + 1)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=WITNESS_DIGITS).contains(&n) {
            return None;
        }
        let v = t[..n]
            .iter()
            .fold(0u128, |v, &d| v * 10 + u128::from(d - b'0'));
        Some((v, n))
    };
    let mut rest = text.strip_prefix(b"[")?;
    let mut parts = Vec::with_capacity(dim);
    for k in 0..dim {
        if k > 0 {
            rest = rest.strip_prefix(b",")?;
        }
        rest = rest.strip_prefix(b"\"")?;
        let negative = rest.first() == Some(&b'-');
        rest = &rest[usize::from(negative)..];
        let (p, p_digits) = digits(rest)?;
        rest = &rest[p_digits..];
        let (q, q_digits) = match rest.strip_prefix(b"/") {
            Some(after) => {
                let (q, n) = digits(after)?;
                rest = &after[n..];
                (q, n)
            }
            None => (1, 0),
        };
        rest = rest.strip_prefix(b"\"")?;
        if p_digits + q_digits > max_digits || q == 0 || !q.is_power_of_two() {
            return None;
        }
        // `p < 2^127`: an `i128`, as is its negation.
        let m = if negative { -(p as i128) } else { p as i128 };
        parts.push((m, -(q.trailing_zeros() as i64)));
    }
    (rest == b"]").then_some(parts)
}

/// `p/q` (or `p`) as `m · 2^e` when `p` and `q` are machine integers and `q`
/// is a positive power of two; `None` otherwise (then the general parse
/// decides, which reads the same strings as the same numbers).
pub(super) fn small_dyadic(text: &str) -> Option<(i128, i64)> {
    let (p, q) = match text.split_once('/') {
        Some((p, q)) => (p.parse::<i128>().ok()?, q.parse::<i128>().ok()?),
        None => (text.parse::<i128>().ok()?, 1),
    };
    (q > 0 && q.count_ones() == 1).then(|| (p, -(q.trailing_zeros() as i64)))
}

/// `m · 2^e` as a double, when it is one (an odd part of at most 53 bits and
/// a normal exponent).
pub(super) fn double_of(m: i128, e: i64) -> Option<f64> {
    if m == 0 {
        return Some(0.0);
    }
    let tz = m.trailing_zeros();
    let (m, e) = (m >> tz, e + tz as i64);
    let power = (-1022..=970)
        .contains(&e)
        .then(|| f64::from_bits(((e + 1023) as u64) << 52))?;
    // |m| < 2^53 is a double, and so is m · 2^e (no rounding, no underflow).
    (m.unsigned_abs() < 1 << 53).then_some(m as f64 * power)
}

/// The name of the first row that `w` does not satisfy strictly, if any
/// (each row decided by its enclosure where it can, else exactly).
pub(super) fn violated_row(w: &Witness, rows: &[Row], exact: &ExactCell) -> Option<String> {
    rows.iter()
        .find(|r| !strictly_holds(w, &r.half, || exact.half(r)))
        .map(|r| r.tag())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading of a multiplier before the direct one, as the reference:
    /// the limit on digits, then `i64`, then `BigInt` parsing.
    fn parsed(text: &str, limits: &CheckLimits) -> Result<BigInt, MultiplierFault> {
        if !limits.digits_within(text) {
            return Err(MultiplierFault::TooManyDigits {
                row: "r".into(),
                max: limits.get(Limit::Digits),
            });
        }
        let l: BigInt = match text.parse::<i64>() {
            Ok(v) => v.into(),
            Err(_) => text.parse().map_err(|_| MultiplierFault::NotInteger)?,
        };
        match l.is_positive() {
            true => Ok(l),
            false => Err(MultiplierFault::NotPositive {
                row: "r".into(),
                value: l,
            }),
        }
    }

    /// A cell of three inputs on a box: the root of a random one-layer
    /// network, its rows those of the box and of the layer's neurons `n0.k`
    /// (on a random side), exactly as the checker makes a piece's rows.
    struct Cell {
        slice: SliceNetwork,
        domain_rows: Vec<Option<ExactHalf>>,
        rows: Vec<Row>,
        bounds: Vec<(f64, f64)>,
    }

    fn random_cell(rng: &mut rand_chacha::ChaCha8Rng) -> Cell {
        use crate::domain::input_domain::Domain;
        use crate::model::json::parse_json_model;
        use rand::Rng;
        let weight: Vec<Vec<f64>> = (0..6)
            .map(|_| (0..3).map(|_| rng.gen_range(-1.0..1.0)).collect())
            .collect();
        let bias: Vec<f64> = (0..6).map(|_| rng.gen_range(-0.5..0.5)).collect();
        let model = serde_json::json!({"layers": [
            {"weight": weight, "bias": bias},
            {"weight": [vec![1.0; 6]], "bias": [0.0]}]});
        let net = parse_json_model(&model.to_string(), "random.json".as_ref()).unwrap();
        let bounds: Vec<(f64, f64)> = (0..3)
            .map(|_| {
                let l = rng.gen_range(-1.0..0.0);
                (l, l + rng.gen_range(0.5..2.0))
            })
            .collect();
        let domain = Domain::new_box(bounds.clone(), 3).unwrap();
        let slice = SliceNetwork::new(&net, &domain);
        let domain_rows = slice.domain_rows(&domain);
        let mut rows = domain_row_set(&domain_rows);
        let z = slice.intervals().layer(0).clone();
        for index in 0..6 {
            let on = rng.gen_bool(0.5);
            rows.push(Row::new(NamedRow {
                half: IntervalHalf::side(z.row(index), z.bias(index), on),
                source: Source::Neuron {
                    layer: 0,
                    index,
                    on,
                },
            }));
        }
        Cell {
            slice,
            domain_rows,
            rows,
            bounds,
        }
    }

    /// A list of multipliers on some rows of `rows` and the side, as the
    /// writer spells one, or with a fault or a spelling of its own.
    fn random_list(rng: &mut rand_chacha::ChaCha8Rng, rows: &[Row]) -> String {
        use rand::Rng;
        let mut entries: Vec<(String, String)> = Vec::new();
        for _ in 0..rng.gen_range(0..5) {
            let r = &rows[rng.gen_range(0..rows.len())];
            entries.push((r.tag(), rng.gen_range(1u64..1 << 12).to_string()));
        }
        entries.push(("s".into(), rng.gen_range(1u64..1 << 12).to_string()));
        match rng.gen_range(0..12) {
            0 => entries[0].1 = "0".into(),
            1 => entries[0].1 = "1234567890123456789".into(),
            2 => entries[0].1 = "0042".into(),
            3 => {
                entries[0].0 = ["d99", "n0.99", "n1.0", "x", "d01", "s"][rng.gen_range(0..6)].into()
            }
            4 => entries.push(entries[0].clone()),
            5 => entries.clear(),
            _ => {}
        }
        let sep = if rng.gen_range(0..10) == 0 { ", " } else { "," };
        let inner: Vec<String> = entries
            .iter()
            .map(|(t, l)| format!(r#"["{t}","{l}"]"#))
            .collect();
        format!("[{}]", inner.join(sep))
    }

    /// Whatever the stack path accepts, the general one (`motzkin`, the
    /// reference: tested by the certificates' tests against hand-worked
    /// proofs) accepts, on random pieces, sides and lists with and
    /// without faults; and it accepts a good share of the valid proofs.
    #[test]
    fn what_the_stack_path_proves_the_general_path_proves() {
        use crate::exact::bound_row::bound_side;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
        let tests = NeuronTests::new(3, CheckLimits::default());
        let (mut proved, mut general_only, mut rejected) = (0, 0, 0);
        for _ in 0..400 {
            let cell = random_cell(&mut rng);
            let exact = ExactCell::new(&cell.slice, &cell.domain_rows, ("", 0), 1);
            for _ in 0..20 {
                // A side facing a row of the piece, `a·y > b + t`: empty
                // for `t ≥ 0` by that row and the side (λ = 1, 1).
                let r = &cell.rows[rng.gen_range(0..cell.rows.len())];
                let t: f64 = rng.gen_range(-0.5..1.0);
                let a: Vec<Interval> = r.half.a.iter().map(|v| Interval::point(v.lo)).collect();
                let c = Interval::point(-r.half.b.lo - t);
                let (side_row, side) = match rng.gen_range(0..3) {
                    0 => {
                        let (coordinate, upper) = (rng.gen_range(0..3), rng.gen_bool(0.5));
                        let value = rng.gen_range(-1.0..1.0);
                        let half = bound_side(3, coordinate, upper, value);
                        let row = SideRow::Bound {
                            coordinate,
                            upper,
                            value,
                        };
                        (row, half)
                    }
                    _ => {
                        let on = rng.gen_bool(0.8);
                        let half = IntervalHalf::side(&a, c, on);
                        (SideRow::Neuron { a: &a, c, on }, half)
                    }
                };
                let side = Side {
                    half: side,
                    neuron: None,
                };
                let mut list = random_list(&mut rng, &cell.rows);
                if rng.gen_bool(0.5) {
                    list = format!(r#"[["{}","1"],["s","1"]]"#, r.tag());
                }
                let json = Json::parse(list.as_bytes(), None).unwrap();
                let fast = tests.proved_by_floats(&json, &cell.rows, side_row, &cell.bounds);
                let general = tests.motzkin(&json, &cell.rows, &side, (Some(&cell.bounds), &exact));
                match (fast, general.is_ok()) {
                    (true, true) => proved += 1,
                    (true, false) => {
                        panic!("{list}: the stack path proved what the general one rejects")
                    }
                    (false, true) => general_only += 1,
                    (false, false) => rejected += 1,
                }
            }
        }
        assert!(
            proved > 1000 && rejected > 1000,
            "{proved} {general_only} {rejected}"
        );
    }

    /// The witnesses read by their bytes read as when read as JSON (the
    /// reference, whose numbers `small_dyadic` and `parse_rational` parse
    /// with the standard library's and num's parsers), on the writer's
    /// spellings and on near ones: signs, leading zeros, denominators that
    /// are no power of two, too many digits, other dimensions, spaces.
    #[test]
    fn witnesses_read_by_their_bytes_read_as_json() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(37);
        let number = |rng: &mut rand_chacha::ChaCha8Rng| -> String {
            match rng.gen_range(0..40) {
                0 => "0".into(),
                1 => "-0".into(),
                2 => "+3/4".into(),
                3 => "3/6".into(),
                4 => "1/0".into(),
                5 => "0007/0008".into(),
                6 => format!("{}/{}", "9".repeat(rng.gen_range(30..42)), 1u128 << 100),
                7 => format!("1/{}", 1u128 << 126),
                8 => "-/2".into(),
                9 => "1/".into(),
                // A float witness's coordinate: `m / 2^k`, or an integer.
                _ => {
                    let m: i64 = rng.gen_range(-(1i64 << 53)..1 << 53);
                    match rng.gen_range(-80..4) {
                        k if k < 0 => format!("{m}/{}", 1u128 << -k),
                        k => (i128::from(m) << k).to_string(),
                    }
                }
            }
        };
        let (mut fast, mut by_json) = (0, 0);
        for _ in 0..20_000 {
            let dim = rng.gen_range(1..5);
            let n = if rng.gen_range(0..20) == 0 {
                dim + 1
            } else {
                dim
            };
            let coords: Vec<String> = (0..n)
                .map(|_| format!(r#""{}""#, number(&mut rng)))
                .collect();
            let sep = if rng.gen_range(0..20) == 0 { ", " } else { "," };
            let text = format!("[{}]", coords.join(sep));
            let max_digits = [10_000, 40, 20][rng.gen_range(0..3)];
            let limits = CheckLimits {
                max_digits,
                ..CheckLimits::default()
            };
            let v = Json::parse(text.as_bytes(), None).unwrap();
            let reference = witness_as_json(&v, dim, &limits);
            let Some(parts) = compact_witness(v.text(), dim, max_digits) else {
                by_json += 1;
                continue;
            };
            fast += 1;
            let reference = reference.unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(parts, reference.parts, "{text}");
            let w = witness(&v, dim, &limits).unwrap();
            assert_eq!(w.doubles, reference.doubles, "{text}");
            assert_eq!(w.exact(), reference.exact(), "{text}");
        }
        assert!(fast > 5000 && by_json > 5000, "{fast} {by_json}");
    }

    /// Where `box_shows` takes a box test, `check_alone` (the reference)
    /// accepts it on the same side, on random rows and boxes, rows with
    /// zero entries, and exactly constant ones.
    #[test]
    fn what_box_shows_the_box_test_accepts() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(41);
        let tests = NeuronTests::new(3, CheckLimits::default());
        let (mut shown, mut left) = (0, 0);
        for _ in 0..100 {
            let cell = random_cell(&mut rng);
            let exact = ExactCell::new(&cell.slice, &cell.domain_rows, ("", 0), 1);
            let z = cell.slice.intervals().layer(0).clone();
            for neuron in 0..6 {
                let (a, c) = (z.row(neuron), z.bias(neuron));
                let mut a = a.to_vec();
                if rng.gen_bool(0.2) {
                    a[rng.gen_range(0..3)] = Interval::ZERO;
                }
                for on in [true, false] {
                    let shift = Interval::point(rng.gen_range(-2.0..2.0));
                    let c = c.add(shift);
                    let test = format!(r#"{{"box":"{}"}}"#, side_name(on));
                    let json = Json::parse(test.as_bytes(), None).unwrap();
                    let row = (neuron, (a.as_slice(), c));
                    let boxed = (Some(cell.bounds.as_slice()), &exact);
                    // The exact check reads the network's own row: only
                    // an unchanged row may reach it.
                    let reference = || tests.check_alone(&json, row, false, boxed);
                    if box_shows(&a, c, &cell.bounds, on) {
                        shown += 1;
                        let r = reference();
                        assert!(matches!(r, Some(Ok(Outcome::OneSided(s))) if s == on));
                    } else {
                        left += 1;
                    }
                }
            }
        }
        let zero = [Interval::ZERO; 3];
        assert!(!box_shows(
            &zero,
            Interval::point(1.0),
            &[(0.0, 1.0); 3],
            true
        ));
        assert!(shown > 200 && left > 200, "{shown} {left}");
    }

    #[test]
    fn multipliers_read_directly_read_as_parsed() {
        let texts = [
            "1",
            "4096",
            "0",
            "00",
            "007",
            "+5",
            "-3",
            "1_0",
            "",
            "a",
            "1.5",
            "123456789012345678",
            "999999999999999999",
            "1234567890123456789",
            "99999999999999999999999",
        ];
        for max_digits in [3, 10_000] {
            let limits = CheckLimits {
                max_digits,
                ..CheckLimits::default()
            };
            for text in texts {
                let ours = multiplier(Some(text.as_bytes()), &limits, || "r".into());
                let ours = ours.map(|m| m.to_big());
                assert_eq!(ours, parsed(text, &limits), "{text} within {max_digits}");
            }
        }
        // A multiplier that is no string.
        let r = multiplier(None, &CheckLimits::default(), || "r".into());
        assert!(matches!(r, Err(MultiplierFault::NotInteger)));
    }

    #[test]
    fn lists_read_by_their_bytes_read_as_json() {
        // Where the byte reading takes a list, it reads the pairs that the
        // JSON reading (tested against serde_json) reads; it leaves every
        // other spelling to the JSON reading.
        let lists = [
            r#"[["d0","2230"],["n0.6","4096"],["s","2683"]]"#,
            r#"[["s","1"]]"#,
            r#"[]"#,
            r#"[["d0","1"], ["s","2"]]"#,
            r#"[["d\u0030","1"]]"#,
            r#"[["d0","1","x"]]"#,
            r#"[["d0"]]"#,
            r#"[["d0",1]]"#,
            r#"[["a\"],[\"b","1"]]"#,
            r#"[["d0","1"],"s"]"#,
        ];
        let taken = [
            true, true, true, false, false, false, false, false, false, false,
        ];
        for (list, taken) in lists.into_iter().zip(taken) {
            let v = Json::parse(list.as_bytes(), None).unwrap();
            let pairs = compact_pairs(v.text());
            assert_eq!(pairs.is_some(), taken, "{list}");
            let Some(pairs) = pairs else { continue };
            let by_json: Vec<(Vec<u8>, Vec<u8>)> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let s = |k| e.item(k).str_bytes().unwrap().into_owned();
                    (s(0), s(1))
                })
                .collect();
            let by_bytes: Vec<(Vec<u8>, Vec<u8>)> = pairs
                .iter()
                .map(|(a, b)| (a.to_vec(), b.to_vec()))
                .collect();
            assert_eq!(by_bytes, by_json, "{list}");
        }
    }

    #[test]
    fn a_row_is_found_by_its_name_as_the_format_writes_it() {
        let row = |tag: &str, source| {
            let row = Row::new(NamedRow {
                half: IntervalHalf {
                    a: vec![],
                    b: Interval::ZERO,
                },
                source,
            });
            // The name the test writes is the one the row's source gives.
            assert_eq!(row.tag(), tag);
            row
        };
        let neuron = |layer, index| Source::Neuron {
            layer,
            index,
            on: true,
        };
        let rows = [
            row("d3", Source::Domain(3)),
            row("d10", Source::Domain(10)),
            row("n1.7", neuron(1, 7)),
            row("n0.12", neuron(0, 12)),
        ];
        // Each row's own name finds it, and no other text does: the names
        // compared as text are the reference.
        let tags = [
            "d3", "d10", "n1.7", "n0.12", "d03", "d1", "d", "n1.07", "n01.7", "n1.", "n.7",
            "n1.7.", "n17", "n0.1", "n1.7x", "x3", "s", "", "d+3", "d-3", "d3 ",
        ];
        for tag in tags {
            let by_text = rows.iter().position(|r| r.tag() == tag);
            let found = find_row(&rows, tag.as_bytes()).map(|(k, _)| k);
            assert_eq!(found, by_text, "{tag}");
        }
    }
}
