//! The certifying decider: the walk's [`Decider`] that proves every float
//! decision (`prover.rs`), or re-decides it, and keeps the state that needs:
//! each cell's rows and map as enclosures in interval arithmetic
//! (`exact/interval.rs`), and the split proofs waiting for the cell's first
//! region (docs/design.md §4). Where the enclosures prove a decision, no
//! exact number is formed; elsewhere the cell's exact rows are rebuilt from
//! its pattern (once per split) and the exact path decides.

use crate::domain::half_space::HalfSpace;
use crate::error::WalkError;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::interval::{self, Interval, IntervalAffine, IntervalHalf};
use crate::exact::slice_network::IntervalLayers;
use crate::lp::chebyshev::Ball;
use crate::lp::BasisRow;
use crate::model::pattern::Pattern;
use crate::tolerance::ACTIVE_SLACK;
use crate::walk::box_hints::BoxHints;
use crate::walk::box_proof::{prove_bound, BoxRecord};
use crate::walk::decider::{Decider, NeuronRow, RegionProof, Shape};
use crate::walk::polygon::exact_rows::ExactNet;
use crate::walk::pre_activation::PreActivations;
use crate::walk::prover::{
    Certifier, EnclosedPiece, ExactPiece, NoInterior, RowTag, SplitRecord, Support, TestRecord,
};
use crate::walk::region::RowSource;
use crate::walk::side_test::{Decision, Verdict};
use crate::walk::space::WorkSpace;
use std::sync::{Arc, Mutex, OnceLock};

/// A piece's or a cell's rows, enclosed, each shared by the pieces that
/// hold it: a cut copies its piece's rows, and a copy of a shared row is a
/// count, not a vector.
pub(crate) type EnclosedRows = Vec<Arc<IntervalHalf>>;

/// A ball centre (working coordinates) that the enclosures showed strictly
/// inside the first this many rows of a piece or cell: the witness of the
/// cut that made it, which a later cut (the side that keeps the piece's
/// ball) or the finished region (its ball) need not check against those
/// rows again.
type Inside = Option<(Vec<f64>, usize)>;

/// A certifying walk's part of a piece.
#[derive(Clone, Default)]
pub(crate) struct PieceRows {
    /// Its rows, enclosed, in the order of the float rows.
    rows: EnclosedRows,
    /// A ball centre inside some of them.
    inside: Inside,
    /// The last decision was a cut whose two balls the enclosures showed
    /// inside the piece and their sides (not the exact path's).
    witnessed: bool,
}

/// How many of the first rows hold at `ball`'s centre, by what `inside`
/// records.
fn known(inside: &Inside, ball: &Ball) -> usize {
    match inside {
        Some((centre, n)) if *centre == ball.center => *n,
        _ => 0,
    }
}

/// Certifies every decision of one walk.
pub(crate) struct Certifying<'a> {
    /// The exact network and domain rows, for what enclosures leave open.
    exact: ExactNet<'a>,
    /// The hidden layers in interval arithmetic.
    intervals: IntervalLayers,
    certifier: Certifier<'a>,
}

/// A cell's state.
pub(crate) struct ExactCell {
    /// The output of hidden layer `layer − 1` as a map of the free
    /// coordinates, enclosed.
    map: IntervalAffine,
    /// The cell's rows, enclosed, in the order of the float rows.
    rows: EnclosedRows,
    /// A ball centre inside some of them, as [`PieceRows::inside`].
    inside: Inside,
    /// Split proofs to emit before this cell's first region.
    pending: Vec<SplitRecord>,
    /// A box that holds the cell (free coordinates), proved: the domain's
    /// at the root, then each cell's where its bounds were proved
    /// (`box_proof.rs`); `None` on a domain without a box.
    bbox: Option<Arc<Vec<(f64, f64)>>>,
    /// The float box of the cell's (or of its nearest ancestor's) LPs, in
    /// working coordinates: an end that a descendant's LPs leave as it was
    /// keeps its proved bound.
    float_box: Option<Arc<Vec<(f64, f64)>>>,
    /// The proofs of this cell's own bounds, for its split's line.
    box_record: Option<BoxRecord>,
}

/// The state of one cell's split by one layer.
pub(crate) struct ExactSplit {
    layer: usize,
    /// The cell's pattern.
    pattern: Pattern,
    /// The cell's box, as [`ExactCell::bbox`].
    bbox: Option<Arc<Vec<(f64, f64)>>>,
    /// Per neuron, the enclosure of its row's range over the box, found
    /// the first time a piece needs it (a neuron is tested on every piece,
    /// and the row and the box are the same for all of them).
    ranges: Vec<OnceLock<(Interval, Interval)>>,
    /// The layer's pre-activations on the cell, enclosed.
    z: IntervalAffine,
    /// The exact pre-activations of layers `0..=layer` on the cell, rebuilt
    /// from its pattern the first time an enclosure decides nothing.
    exact: OnceLock<Vec<ExactAffine>>,
    /// The proofs so far, per neuron, per piece (behind a lock only so that
    /// the split state can be shared; a whole-layer split is one thread's).
    tests: Mutex<Vec<Vec<TestRecord>>>,
}

impl<'a> Certifying<'a> {
    /// A certifying decider for walks over `space`.
    pub fn new(space: &'a WorkSpace) -> Self {
        let exact = ExactNet::new(space);
        Certifying {
            intervals: exact.network().intervals(),
            exact,
            certifier: Certifier::new(space),
        }
    }

    /// The exact pre-activations of layers `0..=split.layer` on the cell.
    fn layers<'s>(&self, split: &'s ExactSplit) -> &'s [ExactAffine] {
        split
            .exact
            .get_or_init(|| self.exact.layers(&split.pattern, split.layer))
    }

    /// The exact rows named by `sources` on a cell whose layers are `layers`.
    fn exact_rows(&self, layers: &[ExactAffine], sources: &[RowSource]) -> Vec<ExactHalf> {
        sources.iter().map(|s| self.exact.row(layers, s)).collect()
    }
}

impl Decider for Certifying<'_> {
    type Cell = ExactCell;
    type Piece = PieceRows;
    type Split = ExactSplit;

    /// Only an exact box may decide a test: a box domain's own, or a
    /// slice's window. (A
    /// polytope's bounding box comes from float LPs; the tests it decided
    /// would all go to the exact fallback.)
    fn root_box(&self, space: &WorkSpace) -> Option<Vec<(f64, f64)>> {
        match space.domain {
            crate::domain::input_domain::Domain::Box(_)
            | crate::domain::input_domain::Domain::Affine(_) => space.bbox.clone(),
            _ => None,
        }
    }

    fn root(&self, space: &WorkSpace) -> ExactCell {
        let network = self.exact.network();
        let domain_rows = network.domain_rows(&space.domain);
        ExactCell {
            map: IntervalAffine::identity(network.dim()),
            rows: space
                .rows
                .iter()
                .map(|r| {
                    let h = domain_rows[r.index]
                        .as_ref()
                        .expect("working rows are nonzero on free coordinates");
                    Arc::new(IntervalHalf {
                        a: h.a.iter().map(Interval::of_dyadic).collect(),
                        b: Interval::of_dyadic(&h.b),
                    })
                })
                .collect(),
            inside: None,
            pending: Vec::new(),
            bbox: self.certifier.root_box().map(|b| Arc::new(b.to_vec())),
            float_box: None,
            box_record: None,
        }
    }

    fn tightens(&self) -> bool {
        self.certifier.root_box().is_some()
    }

    /// Proves each end of the float box that is tighter than the cell's
    /// proved box (and that its LP moved since the parent's), from the
    /// rows of that end's optimal basis (or active at its optimal vertex),
    /// against the parent's box; returns the proved box in working
    /// coordinates, rounded outward.
    fn tightened(
        &self,
        cell: &mut ExactCell,
        shape: Shape<'_>,
        float: Vec<(f64, f64)>,
        hints: Option<&BoxHints>,
    ) -> Option<Vec<(f64, f64)>> {
        let parent = cell.bbox.clone()?;
        let slice = self.exact.network().slice();
        let dim = parent.len();
        // The float ends on the free coordinates.
        let free = |pick: fn(&(f64, f64)) -> f64| {
            let t: Vec<f64> = float.iter().map(pick).collect();
            slice.free_part(&slice.to_domain(&t))
        };
        let (lows, highs) = (free(|b| b.0), free(|b| b.1));
        let mut bounds = parent.to_vec();
        let mut record: BoxRecord = vec![[None, None]; dim];
        for i in 0..dim {
            for upper in [false, true] {
                let end = 2 * i + usize::from(upper);
                let (target, old, current) = if upper {
                    (
                        highs[i],
                        cell.float_box.as_ref().map(|f| f[i].1),
                        bounds[i].1,
                    )
                } else {
                    (
                        lows[i],
                        cell.float_box.as_ref().map(|f| f[i].0),
                        bounds[i].0,
                    )
                };
                let float_end = if upper { float[i].1 } else { float[i].0 };
                let tighter = |v: f64| if upper { v < current } else { v > current };
                if old == Some(float_end) || !tighter(target) {
                    continue;
                }
                let Some(support) = support(hints, end, shape.rows, dim) else {
                    continue;
                };
                let rows: Vec<&IntervalHalf> = support.iter().map(|&j| &*cell.rows[j]).collect();
                let tags: Vec<RowTag> =
                    support.iter().map(|&j| tag_of(&shape.sources[j])).collect();
                let proved = prove_bound(&rows, &tags, (i, upper), &parent);
                if let Some(b) = proved.filter(|b| tighter(b.value)) {
                    if upper {
                        bounds[i].1 = b.value;
                    } else {
                        bounds[i].0 = b.value;
                    }
                    record[i][usize::from(upper)] = Some(b);
                }
            }
        }
        cell.float_box = Some(Arc::new(float));
        if record.iter().flatten().any(Option::is_some) {
            cell.bbox = Some(Arc::new(bounds));
            cell.box_record = Some(record);
        }
        let bbox = cell.bbox.as_ref()?;
        let lows: Vec<f64> = bbox.iter().map(|b| b.0).collect();
        let highs: Vec<f64> = bbox.iter().map(|b| b.1).collect();
        // Two roundings (a difference and a quotient) at most: two steps
        // outward hold the proved box.
        let out = |v: f64, up: bool| {
            if up {
                v.next_up().next_up()
            } else {
                v.next_down().next_down()
            }
        };
        Some(
            slice
                .free_to_working(&lows)
                .into_iter()
                .zip(slice.free_to_working(&highs))
                .map(|(l, h)| (out(l, false), out(h, true)))
                .collect(),
        )
    }

    fn narrows(&self) -> bool {
        false
    }

    fn begin(&self, cell: &ExactCell, layer: usize, pattern: &Pattern) -> (ExactSplit, PieceRows) {
        let z = self.intervals.layer(layer).after(&cell.map);
        let split = ExactSplit {
            layer,
            pattern: pattern.clone(),
            bbox: cell.bbox.clone(),
            ranges: (0..z.rows()).map(|_| OnceLock::new()).collect(),
            z,
            exact: OnceLock::new(),
            tests: Mutex::new(Vec::new()),
        };
        let piece = PieceRows {
            rows: cell.rows.clone(),
            inside: cell.inside.clone(),
            witnessed: false,
        };
        (split, piece)
    }

    /// The enclosed row decides whether the neuron is constant (the exact
    /// row where it cannot); a varying row is tested as the float walk
    /// computed it.
    fn row(
        &self,
        split: &mut ExactSplit,
        pre: &PreActivations,
        i: usize,
        pieces: usize,
    ) -> NeuronRow {
        let (a, c) = (split.z.row(i), split.z.bias(i));
        let records = |split: &mut ExactSplit, r: Vec<TestRecord>| {
            split
                .tests
                .get_mut()
                .unwrap_or_else(|e| e.into_inner())
                .push(r)
        };
        if self.exact.network().is_linear(split.layer, i) {
            records(split, vec![TestRecord::Linear; pieces]);
            return NeuronRow::Constant(true);
        }
        // [0, 0] holds only zero; an entry whose enclosure excludes zero
        // is not zero.
        let constant = if a.iter().all(Interval::is_zero) {
            Some(c.sign())
        } else if a.iter().any(|v| matches!(v.sign(), Some(s) if s != 0)) {
            None
        } else {
            let z = &self.layers(split)[split.layer];
            z.row(i)
                .iter()
                .all(Dyadic::is_zero)
                .then(|| Some(z.bias(i).signum()))
        };
        if let Some(sign) = constant {
            let sign = sign.unwrap_or_else(|| self.layers(split)[split.layer].bias(i).signum());
            records(split, vec![TestRecord::Constant; pieces]);
            return NeuronRow::Constant(sign > 0);
        }
        // A row that keeps one sign over the cell's box does so on every
        // piece (a piece's box is its cell's): one proof for all of them,
        // with no side test. (The float walk's box bound would decide each
        // piece so, and each would get this proof.)
        if let Some(b) = split.bbox.as_deref() {
            let (min, max) = *split.ranges[i].get_or_init(|| interval::range_over_box(a, c, b));
            let by_box = if min.lo >= 0.0 {
                Some(true)
            } else if max.hi <= 0.0 {
                Some(false)
            } else {
                None
            };
            if let Some(on) = by_box {
                records(split, vec![TestRecord::Box { on }; pieces]);
                return NeuronRow::Boxed(on);
            }
        }
        records(split, Vec::new());
        if pre.constant(i).is_none() {
            return NeuronRow::Varies(pre.z.row(i).to_vec(), pre.z.bias()[i], pre.row_error(i));
        }
        // Floats took for constant a row that is not: test the rounding of
        // the exact one.
        let z = &self.layers(split)[split.layer];
        let (a, c) = self
            .exact
            .network()
            .slice()
            .exact_to_working(z.row(i), z.bias(i));
        NeuronRow::Varies(a, c, 0.0)
    }

    fn decide(
        &self,
        split: &ExactSplit,
        i: usize,
        (shape, piece): (Shape<'_>, &mut PieceRows),
        row: (&[f64], f64),
        float: Verdict,
    ) -> Result<Decision, WalkError> {
        let tag = |j: usize| tag_of(&shape.sources[j]);
        let bbox = split.bbox.as_deref().map(Vec::as_slice);
        let enclosed = EnclosedPiece {
            rows: &piece.rows,
            tag: &tag,
            float_rows: shape.rows,
            bbox,
            inside: piece.inside.as_ref().map(|(c, n)| (c.as_slice(), *n)),
        };
        let z_row = (split.z.row(i), split.z.bias(i));
        let range = match (&float.decision, bbox) {
            (Decision::Cut { .. }, _) | (_, None) => None,
            (_, Some(b)) => {
                Some(*split.ranges[i].get_or_init(|| interval::range_over_box(z_row.0, z_row.1, b)))
            }
        };
        let support = Support {
            probe: float.probe.as_ref(),
            row: float.by_row,
        };
        let fast = self.certifier.certify_enclosed(
            &enclosed,
            (z_row, range),
            row,
            &float.decision,
            support,
        );
        piece.witnessed = matches!(fast, Some(TestRecord::Cut { .. }));
        let (decision, record) = match fast {
            Some(record) => (float.decision, record),
            None => {
                let layers = self.layers(split);
                let exact_rows = self.exact_rows(layers, shape.sources);
                let tags: Vec<RowTag> = shape.sources.iter().map(tag_of).collect();
                let piece = ExactPiece {
                    rows: &exact_rows,
                    tags: &tags,
                    float_rows: shape.rows,
                    ball: shape.ball,
                    bbox,
                };
                let z = &layers[split.layer];
                self.certifier
                    .certify(&piece, (z.row(i), z.bias(i)), row, float.decision, support)
                    .map_err(|NoInterior| WalkError::ExactInconsistency {
                        pattern: split.pattern.to_string(),
                        neuron: Some((split.layer, i)),
                    })?
            }
        };
        split
            .tests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .last_mut()
            .expect("row() starts each neuron")
            .push(record);
        Ok(decision)
    }

    fn cut(&self, split: &ExactSplit, i: usize, piece: &mut PieceRows, on: bool, ball: &Ball) {
        piece.rows.push(Arc::new(IntervalHalf::side(
            split.z.row(i),
            split.z.bias(i),
            on,
        )));
        // The ball is the cut's witness of this side: inside the piece's
        // rows and the side, when the enclosures showed it.
        piece.inside = piece
            .witnessed
            .then(|| (ball.center.clone(), piece.rows.len()));
    }

    fn children(
        &self,
        cell: ExactCell,
        split: ExactSplit,
        pieces: Vec<(PieceRows, &[bool])>,
    ) -> Vec<ExactCell> {
        let mut pending = cell.pending;
        pending.push(SplitRecord {
            layer: split.layer,
            pattern: split.pattern,
            tests: split.tests.into_inner().unwrap_or_else(|e| e.into_inner()),
            cell_box: cell.box_record,
        });
        let mut pending = Some(pending);
        // The last child takes the layer's pre-activations; the others copy
        // them.
        let last = pieces.len().saturating_sub(1);
        let mut z = Some(split.z);
        pieces
            .into_iter()
            .enumerate()
            .map(|(k, (piece, bits))| {
                let z = if k == last { z.take() } else { z.clone() };
                let z = z.expect("the last child takes it");
                let map = self.intervals.activated(split.layer, z, bits);
                ExactCell {
                    map,
                    rows: piece.rows,
                    inside: piece.inside,
                    pending: pending.take().unwrap_or_default(),
                    bbox: cell.bbox.clone(),
                    float_box: cell.float_box.clone(),
                    box_record: None,
                }
            })
            .collect()
    }

    fn finish(
        &self,
        cell: ExactCell,
        region: Shape<'_>,
        pattern: &Pattern,
    ) -> Result<RegionProof, WalkError> {
        if let Some(w) = self
            .certifier
            .region_witness_enclosed(&cell.rows[known(&cell.inside, region.ball)..], region.ball)
        {
            return Ok((Some(w), cell.pending));
        }
        let depth = pattern.layers().len();
        let layers = match depth {
            0 => Vec::new(),
            _ => self.exact.layers(pattern, depth - 1),
        };
        let rows = self.exact_rows(&layers, region.sources);
        let tags: Vec<RowTag> = region.sources.iter().map(tag_of).collect();
        let piece = ExactPiece {
            rows: &rows,
            tags: &tags,
            float_rows: region.rows,
            ball: region.ball,
            bbox: cell.bbox.as_deref().map(Vec::as_slice),
        };
        let witness = self
            .certifier
            .region_witness(&piece)
            .map_err(|NoInterior| WalkError::ExactInconsistency {
                pattern: pattern.to_string(),
                neuron: None,
            })?;
        Ok((Some(witness), cell.pending))
    }

    fn fallbacks(&self) -> u64 {
        self.certifier.fallbacks()
    }
}

/// The certificate's name of a row.
pub(crate) fn tag_of(source: &RowSource) -> RowTag {
    match *source {
        RowSource::Domain(i) => RowTag::Domain(i),
        RowSource::Neuron { layer, index, .. } => RowTag::Neuron { layer, index },
    }
}

/// The support of the proof of box end `end` (the minimum of coordinate
/// `end / 2` for even `end`, the maximum for odd) of a cell with `rows`:
/// the `dim` rows of the end's optimal basis, or else the rows active at its
/// optimal vertex (slack below `ACTIVE_SLACK`) when there are `dim` of them;
/// `None` otherwise (the parent's bound then stands).
fn support(
    hints: Option<&BoxHints>,
    end: usize,
    rows: &[HalfSpace],
    dim: usize,
) -> Option<Vec<usize>> {
    let (basis, point) = hints?.end(end)?;
    let from_basis = basis.and_then(|b| {
        b.0.iter()
            .map(|r| match *r {
                BasisRow::Row(j) if (j as usize) < rows.len() => Some(j as usize),
                _ => None,
            })
            .collect::<Option<Vec<usize>>>()
    });
    let support = from_basis.unwrap_or_else(|| {
        let slack = |h: &HalfSpace| h.b - crate::model::affine::dot(&h.a, point);
        (0..rows.len())
            .filter(|&j| slack(&rows[j]) <= ACTIVE_SLACK)
            .collect()
    });
    (support.len() == dim).then_some(support)
}
