//! The polygon walk's nodes and its depth-first split of a cell by a layer,
//! in the LP walk's tree order (`walk/depth_first.rs`): a piece is tested
//! against one neuron after another, and a cut gives two nodes, the off side
//! first. A test is the sign of the neuron's row at the piece's vertices
//! (`float_polygon.rs`); a near-tie is decided in exact arithmetic
//! (`exact_polygon.rs`, `exact_rows.rs`) and counted.

use crate::domain::half_space::HalfSpace;
use crate::error::WalkError;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::model::affine::{norm, Affine};
use crate::model::pattern::Pattern;
use crate::tolerance::SAME_MAP_RELATIVE;
use crate::walk::polygon::exact_polygon::{ExactLine, ExactSide};
use crate::walk::polygon::float_polygon::{FloatSide, Line, Polygon};
use crate::walk::polygon::next_layer::NextLayer;
use crate::walk::polygon::row_list::RowList;
use crate::walk::polygon::PolygonWalk;
use crate::walk::pre_activation::PreActivations;
use crate::walk::region::RowSource;
use crate::walk::tree::Branch;
use std::sync::{Arc, OnceLock};

/// A node of the polygon walk.
pub(crate) enum Node {
    /// A cell before its next layer's split; a region once its layer is the
    /// network's depth.
    Cell(Cell),
    /// A piece of a cell being split.
    Piece(Partial),
}

/// A cell: a convex polygon on which the first `layer` hidden layers have
/// the pattern `pattern`.
pub(crate) struct Cell {
    pub layer: usize,
    /// The domain's rows and the rows of the neurons that cut an ancestor
    /// (working coordinates, unit normals), as the LP walk keeps them.
    pub rows: RowList,
    pub polygon: Polygon,
    pub pattern: Pattern,
    /// Hidden layer `layer`'s pre-activations on the cell, as maps of `t`
    /// (none after the last layer).
    pub pre: Option<PreActivations>,
}

/// A piece of a cell while a layer splits it.
pub(crate) struct Piece {
    rows: RowList,
    polygon: Polygon,
    bits: Vec<bool>,
}

/// A piece, to be tested against neurons `next..` of the layer.
pub(crate) struct Partial {
    ctx: Arc<Split>,
    piece: Piece,
    next: usize,
}

/// What the pieces of one cell's split share.
struct Split {
    layer: usize,
    pattern: Pattern,
    /// The layer's pre-activations on the cell.
    z: Affine,
    rows: Vec<Row>,
    /// The next layer's pre-activations on the children.
    next: NextLayer,
    /// The exact pre-activations of layers `0..=layer` on the cell, once a
    /// near-tie needs them.
    exact: OnceLock<Vec<ExactAffine>>,
}

/// A neuron's row on a cell.
enum Row {
    /// Constant on the cell (exactly): on throughout iff `true`.
    Constant(bool),
    /// Varies: tested at the vertices, exactly when that is a near-tie.
    Varies(Line),
    /// Floats took it as constant, but it is not: every test is exact. The
    /// line is the exact row rounded (for the pieces' rows).
    Exact(Line),
}

impl Row {
    fn line(&self) -> Option<&Line> {
        match self {
            Row::Constant(_) => None,
            Row::Varies(l) | Row::Exact(l) => Some(l),
        }
    }
}

/// How a test ended on a piece.
enum Outcome {
    Kept(bool),
    Cut(Polygon, Polygon),
}

impl Piece {
    /// The piece on side `on` of `line`, with `polygon` for that side.
    fn side(&self, neuron: (usize, usize), line: &Line, polygon: Polygon, on: bool) -> Piece {
        let sign = if on { -1.0 } else { 1.0 };
        let row = HalfSpace {
            a: line.a.iter().map(|v| sign * v).collect(),
            b: -sign * line.c,
        };
        let source = RowSource::Neuron {
            layer: neuron.0,
            index: neuron.1,
            on,
        };
        let mut bits = self.bits.clone();
        bits.push(on);
        Piece {
            rows: self.rows.push(row, source),
            polygon,
            bits,
        }
    }
}

impl PolygonWalk<'_> {
    /// Starts splitting `cell` by its next layer: the layer's rows on it,
    /// and the whole cell as the first piece.
    pub(crate) fn begin(&self, cell: Cell) -> Result<Partial, WalkError> {
        let layer = cell.layer;
        let weights = &self.space.network.hidden()[layer];
        let pre = cell
            .pre
            .expect("a cell before the last layer has its pre-activations");
        let magnitude = &self.magnitudes[layer];
        let exact = OnceLock::new();
        let exact_layers = || exact.get_or_init(|| self.exact.layers(&cell.pattern, layer));
        let slopes = self.space.network.slopes();
        let rows = (0..pre.z.rows())
            .map(|i| {
                if pre.linear(i) {
                    return Row::Constant(true);
                }
                if structurally_zero(weights.row(i), &cell.pattern, layer, slopes) {
                    return Row::Constant(weights.bias()[i] > 0.0);
                }
                let Some(_) = pre.constant(i) else {
                    return Row::Varies(float_line(pre.z.row(i), pre.z.bias()[i], magnitude, i));
                };
                let z = &exact_layers()[layer];
                if z.row(i).iter().all(Dyadic::is_zero) {
                    return Row::Constant(z.bias(i).signum() > 0);
                }
                let (a, c) = self.exact.working_row(exact_layers(), layer, i);
                let size = norm(&a);
                Row::Exact(Line {
                    a: [a[0] / size, a[1] / size],
                    c: c / size,
                    err: 0.0,
                })
            })
            .collect();
        let piece = Piece {
            rows: cell.rows,
            polygon: cell.polygon,
            bits: Vec::with_capacity(pre.z.rows()),
        };
        let ctx = Split {
            layer,
            pattern: cell.pattern,
            z: pre.z,
            rows,
            next: NextLayer::new(),
            exact,
        };
        Ok(Partial {
            ctx: Arc::new(ctx),
            piece,
            next: 0,
        })
    }

    /// Tests a piece against its remaining neurons until one cuts it (two
    /// pieces, off side first) or none is left (the child cell).
    pub(crate) fn advance(&self, partial: Partial) -> Result<Branch<Node>, WalkError> {
        let Partial {
            ctx,
            mut piece,
            next,
        } = partial;
        let mut tests = 0;
        for (i, row) in ctx.rows.iter().enumerate().skip(next) {
            let Some(line) = row.line() else {
                let Row::Constant(on) = row else {
                    unreachable!("a row without a line is constant")
                };
                piece.bits.push(*on);
                continue;
            };
            tests += 1;
            let outcome = match row {
                Row::Varies(line) => match piece.polygon.side(line) {
                    FloatSide::On => Outcome::Kept(true),
                    FloatSide::Off => Outcome::Kept(false),
                    FloatSide::Cut => Outcome::Cut(
                        piece.polygon.clip(line, false),
                        piece.polygon.clip(line, true),
                    ),
                    FloatSide::NearTie => self.exact_test(&ctx, &piece, i)?,
                },
                _ => self.exact_test(&ctx, &piece, i)?,
            };
            match outcome {
                Outcome::Kept(on) => piece.bits.push(on),
                Outcome::Cut(off, on) => {
                    let neuron = (ctx.layer, i);
                    let node = |piece| {
                        Node::Piece(Partial {
                            ctx: ctx.clone(),
                            piece,
                            next: i + 1,
                        })
                    };
                    let off = piece.side(neuron, line, off, false);
                    let on = piece.side(neuron, line, on, true);
                    self.counters.side_tests(tests);
                    return Ok(Branch::Children(vec![node(off), node(on)]));
                }
            }
        }
        self.counters.side_tests(tests);
        let net = &self.space.network;
        let slopes = net.slopes();
        let pre = net.hidden().get(ctx.layer + 1).map(|next| {
            ctx.next.child(
                next,
                &ctx.z,
                &piece.bits,
                (&slopes[ctx.layer], &slopes[ctx.layer + 1]),
            )
        });
        let mut pattern = ctx.pattern.clone();
        pattern.push_layer(piece.bits);
        Ok(Branch::Children(vec![Node::Cell(Cell {
            layer: ctx.layer + 1,
            rows: piece.rows,
            polygon: piece.polygon,
            pattern,
            pre,
        })]))
    }

    /// Decides neuron `i` on `piece` in exact arithmetic: the piece's exact
    /// polygon from its rows, the neuron's exact row at its vertices.
    fn exact_test(&self, ctx: &Split, piece: &Piece, i: usize) -> Result<Outcome, WalkError> {
        self.counters.near_tie();
        let layers = ctx
            .exact
            .get_or_init(|| self.exact.layers(&ctx.pattern, ctx.layer));
        let inconsistent = || WalkError::ExactInconsistency {
            pattern: ctx.pattern.to_string(),
            neuron: Some((ctx.layer, i)),
        };
        let polygon = self
            .exact
            .polygon(layers, &piece.rows.sources())
            .map_err(|_| inconsistent())?;
        let z = &layers[ctx.layer];
        let line = ExactLine::new(z.row(i), z.bias(i));
        Ok(match polygon.side(&line) {
            (ExactSide::On, _) => Outcome::Kept(true),
            (ExactSide::Off, _) => Outcome::Kept(false),
            (ExactSide::Cut, values) => Outcome::Cut(
                self.exact.to_float(&polygon.clip(&line, &values, false)),
                self.exact.to_float(&polygon.clip(&line, &values, true)),
            ),
        })
    }
}

/// Row `i` of the pre-activations, `a·t + c`, as a unit-normal line with
/// its error bound: [`SAME_MAP_RELATIVE`] of the row's absolute bound
/// (`magnitude`: the layers' product with absolute values and no mask, a
/// bound on every cell), relative to the normal's length, plus the
/// normalisation's rounding.
fn float_line(a: &[f64], c: f64, magnitude: &Affine, i: usize) -> Line {
    let size = norm(a);
    let bound = magnitude
        .row(i)
        .iter()
        .fold(magnitude.bias()[i].abs(), |m, v| m.max(v.abs()));
    Line {
        a: [a[0] / size, a[1] / size],
        c: c / size,
        err: SAME_MAP_RELATIVE * bound / size + 4.0 * f64::EPSILON * (1.0 + (c / size).abs()),
    }
}

/// Whether neuron `i` of hidden layer `layer` (weights `w`) has a zero row
/// on every cell with `pattern` whatever the arithmetic: every input it
/// weighs is a ReLU neuron (slope 0) of the previous layer that is off
/// there. Its value is then its bias, exactly; the LP walk, whose direct
/// product gives exactly the bias too, finds it on iff the bias is
/// positive as well.
fn structurally_zero(w: &[f64], pattern: &Pattern, layer: usize, slopes: &[Vec<f64>]) -> bool {
    layer > 0
        && w.iter()
            .zip(&pattern.layers()[layer - 1])
            .zip(&slopes[layer - 1])
            .all(|((&wj, &on), &alpha)| wj == 0.0 || (!on && alpha == 0.0))
}
