//! The walk's unit of work, a [`Node`]: a cell before its next layer's
//! split, or one piece of a cell that is being split depth first.
//!
//! Splitting a cell by a whole layer at once (`Walk::split`) holds every
//! piece of that layer in memory: on one layer of 400 lines over the plane,
//! 80,201 pieces of a few hundred rows each, over a gigabyte. A decider that
//! keeps no state across the pieces of a split (the float decider) lets the
//! walk split depth first instead: a piece is tested against one neuron
//! after another, and a cut gives two nodes, the off side first. The regions
//! come out in the same order (off before on, neuron by neuron: the order of
//! the breadth-first split), and a depth-first walk holds at most one waiting
//! sibling per neuron on its path.

use crate::model::affine::Affine;
use crate::model::pattern::Pattern;
use crate::walk::decider::Decider;
use std::sync::{Arc, Mutex};

/// A node of the walk.
pub(crate) enum Node<D: Decider> {
    /// A cell before its next layer's split; a region once its layer is the
    /// network's depth.
    Cell(super::walker::Cell<D::Cell>),
    /// A piece of a cell being split depth first.
    Piece(Partial<D>),
}

/// A piece of a cell, to be tested against neurons `next..` of the layer.
pub(crate) struct Partial<D: Decider> {
    pub ctx: Arc<SplitContext<D>>,
    pub piece: super::walker::Piece<D::Piece>,
    pub next: usize,
}

/// What the pieces of one cell's depth-first split share.
pub(crate) struct SplitContext<D: Decider> {
    /// The layer being split by.
    pub layer: usize,
    /// The cell's pattern (layers before `layer`).
    pub pattern: Pattern,
    /// The layer's pre-activations on the cell, as a map of `t`.
    pub z: Affine,
    /// A box containing the cell.
    pub bbox: Option<Arc<Vec<(f64, f64)>>>,
    /// Each neuron's row, as the walk tests it.
    pub rows: Vec<TestRow>,
    /// The cell's decider part.
    pub own: D::Cell,
    /// The decider's split state (the depth-first deciders keep none that
    /// depends on the order of pieces).
    pub split: Mutex<D::Split>,
}

/// A neuron's row on a cell, ready to test.
pub(crate) enum TestRow {
    /// Constant on the cell: on throughout iff `true`.
    Constant(bool),
    /// `â·t + ĉ` with a unit normal: `(â, ĉ)`.
    Varies(Vec<f64>, f64),
}
