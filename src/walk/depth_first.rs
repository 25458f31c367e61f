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

use crate::error::WalkError;
use crate::model::affine::{norm, Affine};
use crate::model::pattern::Pattern;
use crate::walk::box_hints::BoxHints;
use crate::walk::decider::{Decider, NeuronRow};
use crate::walk::pre_activation::PreActivations;
use crate::walk::side_test::{box_side, near_tie_margin};
use crate::walk::walker::{Cell, Piece, Step, Test, Walk};
use std::sync::Arc;

/// A node of the walk.
pub(crate) enum Node<D: Decider> {
    /// A cell before its next layer's split; a region once its layer is the
    /// network's depth.
    Cell(Cell<D::Cell>),
    /// A piece of a cell being split depth first.
    Piece(Partial<D>),
}

/// A piece of a cell, to be tested against neurons `next..` of the layer.
pub(crate) struct Partial<D: Decider> {
    pub ctx: Arc<SplitContext<D>>,
    pub piece: Piece<D::Piece>,
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
    /// Where the LPs of a child's bounding box start.
    pub box_hints: Option<Arc<BoxHints>>,
    /// Each neuron's row, as the walk tests it.
    pub rows: Vec<TestRow>,
    /// The cell's decider part.
    pub own: D::Cell,
    /// The decider's split state (the depth-first deciders keep none that
    /// depends on the order of pieces).
    pub split: D::Split,
}

/// A neuron's row on a cell, ready to test.
pub(crate) enum TestRow {
    /// Constant on the cell: on throughout iff `true`.
    Constant(bool),
    /// Varies on the cell, but the cell's box decides its side (on iff
    /// `true`) with the margin of any piece's side test: every piece's box
    /// test would, so none runs one (each counts as a side test pruned by
    /// the box, as it did when it ran).
    Boxed(bool),
    /// `â·t + ĉ` with a unit normal: `(â, ĉ)`, and a bound on its rounding
    /// error.
    Varies(Vec<f64>, f64, f64),
}

impl<D: Decider> Walk<'_, D> {
    /// Starts splitting `cell` depth first: its box, its rows for the next
    /// layer, and the whole cell as the first piece.
    pub(crate) fn begin_depth_first(
        &self,
        mut cell: Cell<D::Cell>,
    ) -> Result<Partial<D>, WalkError> {
        let layer = cell.layer;
        self.tighten(&mut cell)?;
        let net = &self.space.network;
        let pre = PreActivations::new(&net.hidden()[layer], &cell.map, &net.slopes()[layer]);
        let (mut split, own) = self.decider.begin(&cell.own, layer, &cell.pattern);
        let mut rows: Vec<TestRow> = (0..pre.z.rows())
            .map(|i| match self.decider.row(&mut split, &pre, i, 1) {
                NeuronRow::Constant(on) => TestRow::Constant(on),
                // Only the certifying decider gives this, and it splits
                // whole layers; a depth-first split would take it for a
                // constant row (its pieces' tests uncounted).
                NeuronRow::Boxed(on) => TestRow::Constant(on),
                NeuronRow::Varies(mut a, c, error) => {
                    // Normalised in place: one allocation per row, not two.
                    let size = norm(&a);
                    a.iter_mut().for_each(|v| *v /= size);
                    TestRow::Varies(a, c / size, error)
                }
            })
            .collect();
        if let Some(bbox) = cell.bbox.as_deref() {
            decide_by_box(&mut rows, bbox, cell.row_error);
        }
        let piece = Piece {
            rows: cell.rows,
            sources: cell.sources,
            ball: cell.ball,
            bits: Vec::with_capacity(pre.z.rows()),
            row_error: cell.row_error,
            own_box: None,
            own,
            basis: cell.basis,
            lp_key: 0,
        };
        let ctx = SplitContext {
            layer,
            pattern: cell.pattern,
            z: pre.z,
            bbox: cell.bbox,
            box_hints: cell.box_hints,
            rows,
            own: cell.own,
            split,
        };
        Ok(Partial {
            ctx: Arc::new(ctx),
            piece,
            next: 0,
        })
    }

    /// Tests a piece against its remaining neurons until one cuts it (two
    /// pieces, off side first) or none is left (the child cell).
    pub(crate) fn advance(&self, partial: Partial<D>) -> Result<Step<D>, WalkError> {
        let Partial {
            ctx,
            mut piece,
            next,
        } = partial;
        // Side tests the cell's box decided, counted once per piece.
        let mut boxed = 0;
        for (i, row) in ctx.rows.iter().enumerate().skip(next) {
            let (a, c, row_error) = match row {
                TestRow::Constant(on) => {
                    piece.bits.push(*on);
                    continue;
                }
                TestRow::Boxed(on) => {
                    boxed += 1;
                    piece.bits.push(*on);
                    continue;
                }
                TestRow::Varies(a, c, error) => (a.as_slice(), *c, *error),
            };
            let test = Test {
                neuron: (ctx.layer, i),
                row: (a, c),
                row_error,
                bbox: ctx.bbox.as_deref().map(|b| b.as_slice()),
            };
            if let Some(off) = self.test(&test, &ctx.split, &mut piece)? {
                self.counters.pruned_at_once(boxed);
                let node = |piece| {
                    Node::Piece(Partial {
                        ctx: ctx.clone(),
                        piece,
                        next: i + 1,
                    })
                };
                return Ok(Step::Children(vec![node(off), node(piece)]));
            }
        }
        self.counters.pruned_at_once(boxed);
        let mut map = ctx.z.clone();
        map.activate_rows(&piece.bits, &self.space.network.slopes()[ctx.layer]);
        let mut pattern = ctx.pattern.clone();
        let own = self
            .decider
            .child(&ctx.own, &ctx.split, piece.own, &piece.bits);
        pattern.push_layer(piece.bits);
        Ok(Step::Children(vec![Node::Cell(Cell {
            layer: ctx.layer + 1,
            rows: piece.rows,
            sources: piece.sources,
            ball: piece.ball,
            bbox: piece.own_box.or_else(|| ctx.bbox.clone()),
            row_error: piece.row_error,
            pattern,
            map,
            own,
            basis: piece.basis,
            box_hints: ctx.box_hints.clone(),
        })]))
    }
}

/// Marks as [`TestRow::Boxed`] each varying row whose side the cell's box
/// decides for every piece of the cell. A piece's box lies inside the
/// cell's (`piece_box.rs` only narrows), and its rows' rounding error is at
/// most the largest of the cell's (`cell_error`) and of the layer's rows
/// (a cut adds its row's): so a row the cell's box decides with the margin
/// of that largest error, each piece's own box test decides the same way
/// (`side_test::box_side`). On ACAS Xu, about four in five side tests are
/// decided by the box; deciding them once per cell spares each piece the
/// side test's setup for them.
fn decide_by_box(rows: &mut [TestRow], bbox: &[(f64, f64)], cell_error: f64) {
    let worst = rows
        .iter()
        .filter_map(|row| match row {
            TestRow::Varies(_, _, error) => Some(*error),
            _ => None,
        })
        .fold(cell_error, f64::max);
    for row in rows.iter_mut() {
        if let TestRow::Varies(a, c, error) = row {
            if let Some(on) = box_side(bbox, a, *c, near_tie_margin(worst + *error)) {
                *row = TestRow::Boxed(on);
            }
        }
    }
}
