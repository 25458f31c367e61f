//! The walk's decisions as a part of their own. The walk (`walker.rs`) runs
//! the float side test for every (piece, neuron); a [`Decider`] says which
//! rows it tests and what it concludes from each float decision, and keeps
//! whatever state of its own that needs, per cell and per piece.
//!
//! - [`FloatDecider`] takes the float decisions as they are and keeps nothing;
//! - the certifying decider (`walk/certifying.rs`) proves each decision in
//!   exact arithmetic, or re-decides it, keeping the exact rows and maps,
//!   and hands each finished region its exact witness and the proofs (the
//!   certificate's lines) that come before it.

use crate::domain::half_space::HalfSpace;
use crate::error::WalkError;
use crate::exact::point::ExactPoint;
use crate::lp::chebyshev::Ball;
use crate::model::pattern::Pattern;
use crate::walk::box_hints::BoxHints;
use crate::walk::pre_activation::PreActivations;
use crate::walk::prover::SplitRecord;
use crate::walk::region::RowSource;
use crate::walk::side_test::{Decision, Verdict};
use crate::walk::space::WorkSpace;

/// A neuron's pre-activation on a cell, as the walk will test it.
pub(crate) enum NeuronRow {
    /// Constant on the cell: the neuron is on throughout iff `true` (a zero
    /// row with a zero constant is off: the zero convention).
    Constant(bool),
    /// Varies on the cell but keeps one sign over its box, shown by the
    /// decider's own proof: the neuron is on throughout iff `true`, on
    /// every piece (counted as side tests decided by the box, one per
    /// piece).
    Boxed(bool),
    /// Varies on the cell: `a·t + c` in working coordinates (not
    /// normalised), with a bound on the rounding error of the unit-normal
    /// row (`PreActivations::row_error`).
    Varies(Vec<f64>, f64, f64),
}

/// A piece of a cell, or a finished region, as a decider sees it.
pub(crate) struct Shape<'a> {
    /// Its rows `a·t < b` in working coordinates, unit normals.
    pub rows: &'a [HalfSpace],
    /// Where each row comes from.
    pub sources: &'a [RowSource],
    /// A ball inside it (working coordinates).
    pub ball: &'a Ball,
}

/// What a finished region gets from the decider: its exact witness and the
/// proofs of the splits that come before it in tree order (both empty when
/// the walk does not certify).
pub(crate) type RegionProof = (Option<ExactPoint>, Vec<SplitRecord>);

/// How the walk decides its side tests.
pub(crate) trait Decider: Sync {
    /// The decider's part of a cell.
    type Cell: Send + Sync;
    /// The decider's part of a piece while a layer splits a cell.
    type Piece: Clone + Default + Send;
    /// The decider's state while a layer splits one cell (shared by the
    /// pieces of a depth-first split, which may be on several threads).
    type Split: Send + Sync;

    /// Whether the walk may split a cell depth first, one piece at a time
    /// (`walk/depth_first.rs`): true when the decider's split state does not
    /// depend on the order or number of pieces, and [`Decider::child`]
    /// gives a child's part from its piece alone.
    fn depth_first(&self) -> bool {
        false
    }

    /// For a depth-first split: the part of the child cell of one final
    /// piece with `bits` for the layer. Only called when
    /// [`Decider::depth_first`] says so.
    fn child(
        &self,
        _cell: &Self::Cell,
        _split: &Self::Split,
        _piece: Self::Piece,
        _bits: &[bool],
    ) -> Self::Cell {
        unreachable!("only a depth-first decider splits one piece at a time")
    }

    /// A box around the domain in working coordinates that may decide side
    /// tests, if there is one.
    fn root_box(&self, space: &WorkSpace) -> Option<Vec<(f64, f64)>>;

    /// The root cell's part.
    fn root(&self, space: &WorkSpace) -> Self::Cell;

    /// Whether the walk may bound its cells by boxes of float LPs
    /// ([`crate::WalkOptions::tighten_boxes`]): a certifying decider can
    /// only where it can prove them.
    fn tightens(&self) -> bool {
        true
    }

    /// The box the walk may decide a cell's side tests by (working
    /// coordinates), given the float box `float` of its rows from `2k` LPs
    /// whose optima are `hints`; `None`: none. By default the float box
    /// itself; a certifying decider proves what it can of it and returns
    /// that (`walk/box_proof.rs`).
    fn tightened(
        &self,
        _cell: &mut Self::Cell,
        _shape: Shape<'_>,
        float: Vec<(f64, f64)>,
        _hints: Option<&BoxHints>,
    ) -> Option<Vec<(f64, f64)>> {
        Some(float)
    }

    /// Whether a piece's box may be narrowed by the rows that cut it
    /// (`walk/piece_box.rs`): not when certifying, which has no proof of
    /// the narrowed box.
    fn narrows(&self) -> bool {
        true
    }

    /// Starts splitting the cell with `pattern` by hidden layer `layer`;
    /// returns the split's state and the part of the whole cell as a piece.
    fn begin(
        &self,
        cell: &Self::Cell,
        layer: usize,
        pattern: &Pattern,
    ) -> (Self::Split, Self::Piece);

    /// Neuron `i`'s row on the cell, now cut into `pieces` pieces; `pre` are
    /// the float pre-activations.
    fn row(
        &self,
        split: &mut Self::Split,
        pre: &PreActivations,
        i: usize,
        pieces: usize,
    ) -> NeuronRow;

    /// The decision of neuron `i` on a piece, given the float side test's
    /// verdict; `row` is the tested row `â·t + ĉ` (unit normal). The
    /// decider may note in the piece's part what it learnt of the piece.
    fn decide(
        &self,
        split: &Self::Split,
        i: usize,
        piece: (Shape<'_>, &mut Self::Piece),
        row: (&[f64], f64),
        float: Verdict,
    ) -> Result<Decision, WalkError>;

    /// Adds neuron `i`'s side `on` to a piece's part, after a cut that
    /// left the piece of that side with `ball`.
    fn cut(&self, split: &Self::Split, i: usize, piece: &mut Self::Piece, on: bool, ball: &Ball);

    /// The children's parts, one per final piece (given with its bits for
    /// the layer), in order.
    fn children(
        &self,
        cell: Self::Cell,
        split: Self::Split,
        pieces: Vec<(Self::Piece, &[bool])>,
    ) -> Vec<Self::Cell>;

    /// The per-region hook: what the finished region with `pattern` gets.
    fn finish(
        &self,
        cell: Self::Cell,
        region: Shape<'_>,
        pattern: &Pattern,
    ) -> Result<RegionProof, WalkError>;

    /// How many tests needed the exact fallback.
    fn fallbacks(&self) -> u64;

    /// How many rows that floats took for constant were checked exactly
    /// (near-ties of `row`, counted with the side tests' near-ties).
    fn near_tie_rows(&self) -> u64 {
        0
    }
}

/// Takes the float side test's decisions as they are, near-ties included
/// (what `--float` asks for; labelled `"decisions": "float"`).
pub(crate) struct FloatDecider;

impl Decider for FloatDecider {
    type Cell = ();
    type Piece = ();
    type Split = ();

    fn depth_first(&self) -> bool {
        true
    }

    fn child(&self, _: &(), _: &(), _: (), _: &[bool]) {}

    fn root_box(&self, space: &WorkSpace) -> Option<Vec<(f64, f64)>> {
        space.bbox.clone()
    }

    fn root(&self, _: &WorkSpace) {}

    fn begin(&self, _: &(), _: usize, _: &Pattern) -> ((), ()) {
        ((), ())
    }

    fn row(&self, _: &mut (), pre: &PreActivations, i: usize, _: usize) -> NeuronRow {
        match pre.constant(i) {
            Some(on) => NeuronRow::Constant(on),
            None => NeuronRow::Varies(pre.z.row(i).to_vec(), pre.z.bias()[i], pre.row_error(i)),
        }
    }

    fn decide(
        &self,
        _: &(),
        _: usize,
        _: (Shape<'_>, &mut ()),
        _: (&[f64], f64),
        float: Verdict,
    ) -> Result<Decision, WalkError> {
        Ok(float.decision)
    }

    fn cut(&self, _: &(), _: usize, _: &mut (), _: bool, _: &Ball) {}

    fn children(&self, _: (), _: (), pieces: Vec<((), &[bool])>) -> Vec<()> {
        vec![(); pieces.len()]
    }

    fn finish(&self, _: (), _: Shape<'_>, _: &Pattern) -> Result<RegionProof, WalkError> {
        Ok((None, Vec::new()))
    }

    fn fallbacks(&self) -> u64 {
        0
    }
}
