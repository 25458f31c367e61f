//! The default decider: floats decide the clear cases, and every near-tie
//! goes to the exact path of certification (docs/numerics.md, "Exact by
//! default").
//!
//! The float side test (`side_test.rs`) marks a decision a *near-tie* when
//! its margin is within what rounding and the LP's tolerance could move: a
//! side whose best Chebyshev radius is neither clearly negative nor clearly
//! above τ, a box range that comes near zero, both sides thin. Those are
//! exactly the decisions a float walk can get wrong (the thin triangle that
//! a float count of 400 lines over the plane loses). For each, this decider
//! rebuilds the piece's rows in exact arithmetic from the cell's pattern, and
//! has the certifier (`prover.rs`) prove the float decision or re-decide it
//! with the exact LP: the answer is then the exact network's, whatever the
//! piece's thickness. A row that floats take for constant (a zero normal up
//! to rounding) is checked the same way when it is not exactly zero in
//! floats.
//!
//! Nothing is kept per piece, so the walk still splits depth first; the
//! exact pre-activations of a cell are computed at most once, the first time
//! one of its tests is a near-tie.

use crate::error::WalkError;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::lp::chebyshev::Ball;
use crate::model::affine::norm;
use crate::model::pattern::Pattern;
use crate::tolerance::{NEAR_TIE_SAFETY, ZERO_ROW_RELATIVE};
use crate::walk::certifying::tag_of;
use crate::walk::decider::{Decider, NeuronRow, RegionProof, Shape};
use crate::walk::polygon::exact_rows::ExactNet;
use crate::walk::pre_activation::PreActivations;
use crate::walk::prover::{Certifier, ExactPiece, NoInterior, RowTag, Support};
use crate::walk::side_test::{Decision, Verdict};
use crate::walk::space::WorkSpace;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::OnceLock;

/// Floats for clear decisions, exact arithmetic for near-ties.
pub(crate) struct ExactNearTies<'a> {
    /// The exact network and domain rows.
    exact: ExactNet<'a>,
    certifier: Certifier<'a>,
    /// Rows that floats took for constant, checked exactly.
    constant_checks: AtomicU64,
}

/// One cell's split: what is needed to rebuild its exact rows on demand.
pub(crate) struct NearTieSplit {
    layer: usize,
    pattern: Pattern,
    /// The exact pre-activations of layers `0..=layer` on the cell, built
    /// at the first near-tie.
    exact: OnceLock<Vec<ExactAffine>>,
}

impl<'a> ExactNearTies<'a> {
    /// The decider for walks over `space`.
    pub fn new(space: &'a WorkSpace) -> Self {
        ExactNearTies {
            exact: ExactNet::new(space),
            certifier: Certifier::new(space),
            constant_checks: AtomicU64::new(0),
        }
    }

    /// The exact pre-activations of layers `0..=split.layer` on the cell.
    fn layers<'s>(&self, split: &'s NearTieSplit) -> &'s [ExactAffine] {
        split
            .exact
            .get_or_init(|| self.exact.layers(&split.pattern, split.layer))
    }

    fn inconsistency(split: &NearTieSplit, neuron: Option<usize>) -> WalkError {
        WalkError::ExactInconsistency {
            pattern: split.pattern.to_string(),
            neuron: neuron.map(|i| (split.layer, i)),
        }
    }
}

impl Decider for ExactNearTies<'_> {
    type Cell = ();
    type Piece = ();
    type Split = NearTieSplit;

    fn depth_first(&self) -> bool {
        true
    }

    fn child(&self, _: &(), _: &NearTieSplit, _: (), _: &[bool]) {}

    fn root_box(&self, space: &WorkSpace) -> Option<Vec<(f64, f64)>> {
        space.bbox.clone()
    }

    fn root(&self, _: &WorkSpace) {}

    fn begin(&self, _: &(), layer: usize, pattern: &Pattern) -> (NearTieSplit, ()) {
        let split = NearTieSplit {
            layer,
            pattern: pattern.clone(),
            exact: OnceLock::new(),
        };
        (split, ())
    }

    /// A row that floats take for constant is exactly so when its float
    /// normal is exactly zero (the masked units of earlier layers give
    /// exact zeros) and its constant is clearly signed; otherwise the exact
    /// row decides, and a row that is not exactly constant is tested as the
    /// rounding of the exact one.
    fn row(&self, split: &mut NearTieSplit, pre: &PreActivations, i: usize, _: usize) -> NeuronRow {
        if pre.linear(i) {
            return NeuronRow::Constant(true);
        }
        let (a, c) = (pre.z.row(i), pre.z.bias()[i]);
        let Some(on) = pre.constant(i) else {
            return NeuronRow::Varies(a.to_vec(), c, pre.row_error(i));
        };
        let clear_constant =
            norm(a) == 0.0 && c.abs() > NEAR_TIE_SAFETY * ZERO_ROW_RELATIVE * pre.terms(i);
        if clear_constant {
            return NeuronRow::Constant(on);
        }
        self.constant_checks.fetch_add(1, Relaxed);
        let layers = self.layers(split);
        let z = &layers[split.layer];
        if z.row(i).iter().all(Dyadic::is_zero) {
            return NeuronRow::Constant(z.bias(i).signum() > 0);
        }
        let (a, c) = self.exact.working_row(layers, split.layer, i);
        NeuronRow::Varies(a, c, 0.0)
    }

    fn decide(
        &self,
        split: &NearTieSplit,
        i: usize,
        (shape, _): (Shape<'_>, &mut ()),
        row: (&[f64], f64),
        float: Verdict,
    ) -> Result<Decision, WalkError> {
        if !float.near_tie {
            return Ok(float.decision);
        }
        let layers = self.layers(split);
        let rows: Vec<ExactHalf> = shape
            .sources
            .iter()
            .map(|s| self.exact.row(layers, s))
            .collect();
        let tags: Vec<RowTag> = shape.sources.iter().map(tag_of).collect();
        let piece = ExactPiece {
            rows: &rows,
            tags: &tags,
            float_rows: shape.rows,
            ball: shape.ball,
            // Its cells' boxes are float ones: only the domain's is exact.
            bbox: self.certifier.root_box(),
        };
        let z = &layers[split.layer];
        let (decision, _) = self
            .certifier
            .certify(
                &piece,
                (z.row(i), z.bias(i)),
                row,
                float.decision,
                // A near-tie was decided by an LP, never by a row bound.
                Support {
                    probe: float.probe.as_ref(),
                    row: None,
                },
            )
            .map_err(|NoInterior| Self::inconsistency(split, Some(i)))?;
        Ok(decision)
    }

    fn cut(&self, _: &NearTieSplit, _: usize, _: &mut (), _: bool, _: &Ball) {}

    fn children(&self, _: (), _: NearTieSplit, pieces: Vec<((), &[bool])>) -> Vec<()> {
        vec![(); pieces.len()]
    }

    fn finish(&self, _: (), _: Shape<'_>, _: &Pattern) -> Result<RegionProof, WalkError> {
        Ok((None, Vec::new()))
    }

    fn fallbacks(&self) -> u64 {
        self.certifier.fallbacks()
    }

    fn near_tie_rows(&self) -> u64 {
        self.constant_checks.load(Relaxed)
    }
}
