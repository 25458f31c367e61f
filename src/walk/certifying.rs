//! The certifying decider: the walk's [`Decider`] that proves every float
//! decision in exact arithmetic (`prover.rs`), or re-decides it, and keeps
//! the exact state that needs: each cell's exact map and rows, and the split
//! proofs waiting for the cell's first region (docs/design.md §4).

use crate::domain::input_domain::Domain;
use crate::error::WalkError;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::slice_network::SliceNetwork;
use crate::model::pattern::Pattern;
use crate::walk::decider::{Decider, NeuronRow, RegionProof, Shape};
use crate::walk::pre_activation::PreActivations;
use crate::walk::prover::{Certifier, ExactPiece, NoInterior, RowTag, SplitRecord, TestRecord};
use crate::walk::region::RowSource;
use crate::walk::side_test::{Decision, Verdict};
use crate::walk::space::WorkSpace;
use std::sync::Mutex;

/// Certifies every decision of one walk.
pub(crate) struct Certifying<'a> {
    network: SliceNetwork,
    certifier: Certifier<'a>,
}

/// A cell's exact state.
pub(crate) struct ExactCell {
    /// The output of hidden layer `layer − 1` as a map of the free coordinates.
    map: ExactAffine,
    /// The cell's rows, exact, in the order of the float rows.
    rows: Vec<ExactHalf>,
    /// Split proofs to emit before this cell's first region.
    pending: Vec<SplitRecord>,
}

/// The exact state of one cell's split by one layer.
pub(crate) struct ExactSplit {
    layer: usize,
    /// The cell's pattern.
    pattern: Pattern,
    /// The layer's exact pre-activations on the cell.
    z: ExactAffine,
    /// The proofs so far, per neuron, per piece (behind a lock only so that
    /// the split state can be shared; a whole-layer split is one thread's).
    tests: Mutex<Vec<Vec<TestRecord>>>,
}

impl<'a> Certifying<'a> {
    /// A certifying decider for walks over `space`.
    pub fn new(space: &'a WorkSpace) -> Self {
        Certifying {
            network: SliceNetwork::on_slice(&space.network_input, space.slice.clone()),
            certifier: Certifier::new(space),
        }
    }
}

impl Decider for Certifying<'_> {
    type Cell = ExactCell;
    type Piece = Vec<ExactHalf>;
    type Split = ExactSplit;

    /// Only an exact box may decide a test: a box domain's own, or a
    /// slice's window. (A
    /// polytope's bounding box comes from float LPs; the tests it decided
    /// would all go to the exact fallback.)
    fn root_box(&self, space: &WorkSpace) -> Option<Vec<(f64, f64)>> {
        match space.domain {
            Domain::Box(_) | Domain::Affine(_) => space.bbox.clone(),
            _ => None,
        }
    }

    fn root(&self, space: &WorkSpace) -> ExactCell {
        let domain_rows = self.network.domain_rows(&space.domain);
        ExactCell {
            map: ExactAffine::identity(self.network.dim()),
            rows: space
                .rows
                .iter()
                .map(|r| {
                    domain_rows[r.index]
                        .clone()
                        .expect("working rows are nonzero on free coordinates")
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
    ) -> (ExactSplit, Vec<ExactHalf>) {
        let split = ExactSplit {
            layer,
            pattern: pattern.clone(),
            z: self.network.hidden()[layer].after(&cell.map),
            tests: Mutex::new(Vec::new()),
        };
        (split, cell.rows.clone())
    }

    /// The exact row decides whether the neuron is constant; a varying row
    /// is tested as the rounding of the exact one.
    fn row(
        &self,
        split: &mut ExactSplit,
        _: &PreActivations,
        i: usize,
        pieces: usize,
    ) -> NeuronRow {
        let (a, c) = (split.z.row(i), split.z.bias(i));
        let tests = split.tests.get_mut().unwrap_or_else(|e| e.into_inner());
        if self.network.is_linear(split.layer, i) {
            tests.push(vec![TestRecord::Linear; pieces]);
            return NeuronRow::Constant(true);
        }
        if a.iter().all(Dyadic::is_zero) {
            tests.push(vec![TestRecord::Constant; pieces]);
            return NeuronRow::Constant(c.signum() > 0);
        }
        tests.push(Vec::new());
        let (a, c) = self.network.slice().exact_to_working(a, c);
        // Rounded once from the exact row: the error is the conversion's.
        NeuronRow::Varies(a, c, 0.0)
    }

    fn decide(
        &self,
        split: &ExactSplit,
        i: usize,
        (shape, rows): (Shape<'_>, &Vec<ExactHalf>),
        row: (&[f64], f64),
        float: Verdict,
    ) -> Result<Decision, WalkError> {
        let tags: Vec<RowTag> = shape.sources.iter().map(tag_of).collect();
        let piece = ExactPiece {
            rows,
            tags: &tags,
            float_rows: shape.rows,
            ball: shape.ball,
        };
        let exact_row = (split.z.row(i), split.z.bias(i));
        let (decision, record) = self
            .certifier
            .certify(&piece, exact_row, row, float.decision, float.probe.as_ref())
            .map_err(|NoInterior| WalkError::ExactInconsistency {
                pattern: split.pattern.to_string(),
                neuron: Some((split.layer, i)),
            })?;
        split
            .tests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .last_mut()
            .expect("row() starts each neuron")
            .push(record);
        Ok(decision)
    }

    fn cut(&self, split: &ExactSplit, i: usize, rows: &mut Vec<ExactHalf>, on: bool) {
        rows.push(ExactHalf::side(split.z.row(i), split.z.bias(i), on));
    }

    fn children(
        &self,
        cell: ExactCell,
        split: ExactSplit,
        pieces: Vec<(Vec<ExactHalf>, &[bool])>,
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
                let map = self.network.activated(split.layer, &split.z, bits);
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
        let tags: Vec<RowTag> = region.sources.iter().map(tag_of).collect();
        let piece = ExactPiece {
            rows: &cell.rows,
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
