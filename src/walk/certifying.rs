//! The certifying decider: the walk's [`Decider`] that proves every float
//! decision (`prover.rs`), or re-decides it, and keeps the state that needs:
//! each cell's rows and map as enclosures in interval arithmetic
//! (`exact/interval.rs`), and the split proofs waiting for the cell's first
//! region (docs/design.md §4). Where the enclosures prove a decision, no
//! exact number is formed; elsewhere the cell's exact rows are rebuilt from
//! its pattern (once per split) and the exact path decides.

use crate::error::WalkError;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::interval::{Interval, IntervalAffine, IntervalHalf};
use crate::exact::slice_network::IntervalLayers;
use crate::model::pattern::Pattern;
use crate::walk::decider::{Decider, NeuronRow, RegionProof, Shape};
use crate::walk::polygon::exact_rows::ExactNet;
use crate::walk::pre_activation::PreActivations;
use crate::walk::prover::{
    Certifier, EnclosedPiece, ExactPiece, NoInterior, RowTag, SplitRecord, TestRecord,
};
use crate::walk::region::RowSource;
use crate::walk::side_test::{Decision, Verdict};
use crate::walk::space::WorkSpace;
use std::sync::{Mutex, OnceLock};

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
    rows: Vec<IntervalHalf>,
    /// Split proofs to emit before this cell's first region.
    pending: Vec<SplitRecord>,
}

/// The state of one cell's split by one layer.
pub(crate) struct ExactSplit {
    layer: usize,
    /// The cell's pattern.
    pattern: Pattern,
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
    type Piece = Vec<IntervalHalf>;
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
                    IntervalHalf {
                        a: h.a.iter().map(Interval::of_dyadic).collect(),
                        b: Interval::of_dyadic(&h.b),
                    }
                })
                .collect(),
            pending: Vec::new(),
        }
    }

    fn begin(
        &self,
        cell: &ExactCell,
        layer: usize,
        pattern: &Pattern,
    ) -> (ExactSplit, Vec<IntervalHalf>) {
        let split = ExactSplit {
            layer,
            pattern: pattern.clone(),
            z: self.intervals.layer(layer).after(&cell.map),
            exact: OnceLock::new(),
            tests: Mutex::new(Vec::new()),
        };
        (split, cell.rows.clone())
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
        (shape, rows): (Shape<'_>, &Vec<IntervalHalf>),
        row: (&[f64], f64),
        float: Verdict,
    ) -> Result<Decision, WalkError> {
        let tag = |j: usize| tag_of(&shape.sources[j]);
        let enclosed = EnclosedPiece {
            rows,
            tag: &tag,
            float_rows: shape.rows,
        };
        let z_row = (split.z.row(i), split.z.bias(i));
        let fast = self.certifier.certify_enclosed(
            &enclosed,
            z_row,
            row,
            &float.decision,
            float.probe.as_ref(),
        );
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
                };
                let z = &layers[split.layer];
                self.certifier
                    .certify(
                        &piece,
                        (z.row(i), z.bias(i)),
                        row,
                        float.decision,
                        float.probe.as_ref(),
                    )
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

    fn cut(&self, split: &ExactSplit, i: usize, rows: &mut Vec<IntervalHalf>, on: bool) {
        rows.push(IntervalHalf::side(split.z.row(i), split.z.bias(i), on));
    }

    fn children(
        &self,
        cell: ExactCell,
        split: ExactSplit,
        pieces: Vec<(Vec<IntervalHalf>, &[bool])>,
    ) -> Vec<ExactCell> {
        let mut pending = cell.pending;
        pending.push(SplitRecord {
            layer: split.layer,
            pattern: split.pattern,
            tests: split.tests.into_inner().unwrap_or_else(|e| e.into_inner()),
        });
        let mut pending = Some(pending);
        pieces
            .into_iter()
            .map(|(rows, bits)| {
                let map = self.intervals.activated(split.layer, split.z.clone(), bits);
                ExactCell {
                    map,
                    rows,
                    pending: pending.take().unwrap_or_default(),
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
            .region_witness_enclosed(&cell.rows, region.ball)
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
