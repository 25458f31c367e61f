//! The polygon walk: the walk of docs/design.md §2 for a working space of
//! two free coordinates (a 2-input model, a box with two free coordinates, a
//! `--plane` slice), with no LP per side test.
//!
//! A cell carries its polygon (`float_polygon.rs`: homogeneous coordinates,
//! so unbounded cells and the whole plane are ordinary polygons). A side
//! test is the sign of the neuron's row at the vertices, and a cut clips the
//! polygon in two, so a test costs `O(vertices)` whatever the number of
//! rows. Floats decide only clear cases: a vertex value within its safety
//! margin of zero (`POLYGON_NEAR_TIE_SAFETY`), or a row floats take as constant
//! without it being so structurally, is a near-tie, decided in exact
//! arithmetic (`exact_polygon.rs`, `exact_rows.rs`) with no tolerance, and
//! counted (`near_ties` in the walk's stats). So the count is the
//! exact one, thin cells included, as far as the error bounds hold.
//!
//! The tree, its order and what a region carries are the LP walk's
//! (`walk/depth_first.rs`): neuron by neuron, the off side before the on
//! side; rows and sources are the domain's and those of the neurons that cut
//! an ancestor. A region's ball is a point inside its polygon (a positive
//! combination of its vertices) with its distance to the nearest row. The
//! Chebyshev ball, when asked for, comes from the same LP on the region's
//! rows as in the LP walk. Walks that ask for facets (the region graph,
//! `enumerate --facets`) take the LP walk ([`PolygonWalk::applies`]).

mod exact_polygon;
pub(crate) mod exact_rows;
mod float_polygon;
mod next_layer;
mod row_list;
mod split;

use crate::error::WalkError;
use crate::lp::chebyshev::{chebyshev_ball, Ball};
use crate::lp::{Counted, LpEngine};
use crate::model::affine::{dot, Affine};
use crate::model::pattern::Pattern;
use crate::tolerance::RADIUS_CAP;
use crate::walk::pre_activation::PreActivations;
use crate::walk::region::{Region, RowSource};
use crate::walk::space::WorkSpace;
use crate::walk::stats::{Counters, WalkStats};
use crate::walk::tree::{run_tree, Branch, Tree};
use crate::walk::tree_size::{estimate_leaves, TreeEstimate};
use crate::walk::walker::{region_pattern, WalkOptions};
use exact_rows::ExactNet;
use row_list::RowList;
use split::{Cell, Node};

/// The walk over a working space of two free coordinates.
pub(crate) struct PolygonWalk<'a> {
    space: &'a WorkSpace,
    engine: Counted<'a>,
    options: WalkOptions,
    counters: Counters,
    exact: ExactNet<'a>,
    /// Per hidden layer, a bound on its pre-activations' coefficients on
    /// every cell: the product of the layers, from the working frame on,
    /// with every entry replaced by its absolute value and no mask. It
    /// scales the rows' rounding errors.
    magnitudes: Vec<Affine>,
}

impl<'a> PolygonWalk<'a> {
    /// Whether the polygon walk can walk `space` with `options`: two free
    /// coordinates, no certificate (the certifying decider proves LP
    /// decisions), no facets (the LP facet test, with its tolerance, would
    /// not see the edges of the regions thinner than it that the polygon
    /// walk finds; facets from the polygon's edges are left to do).
    pub fn applies(space: &WorkSpace, options: &WalkOptions) -> bool {
        space.dim() == 2 && !options.certify && !options.facets
    }

    /// A polygon walk of `space` (two free coordinates); `engine` solves
    /// the LPs of the Chebyshev balls and facets, when `options` ask for
    /// them.
    pub fn new(space: &'a WorkSpace, engine: &'a dyn LpEngine, options: WalkOptions) -> Self {
        // A leaky neuron's output is at most `max(1, |α|)` times its
        // pre-activation, whichever its side: the next layer's bound takes
        // its row that many times.
        let mut magnitude = absolute(&space.slice.embedding());
        let net = &space.network_input;
        let magnitudes = net
            .hidden()
            .iter()
            .zip(net.slopes())
            .map(|(w, alpha)| {
                let pre = absolute(w).after(&magnitude);
                let growth: Vec<f64> = alpha.iter().map(|a| a.abs().max(1.0)).collect();
                magnitude = pre.clone();
                magnitude.activate_rows(&vec![false; growth.len()], &growth);
                pre
            })
            .collect();
        PolygonWalk {
            space,
            engine: Counted::new(engine),
            options,
            counters: Counters::default(),
            exact: ExactNet::new(space),
            magnitudes,
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> WalkStats {
        self.counters.snapshot(self.engine.solves(), 0, 0)
    }

    /// Runs the walk, handing every region to `sink` in tree order.
    pub fn run(
        &self,
        sink: impl FnMut(Region) -> Result<(), WalkError>,
    ) -> Result<WalkStats, WalkError> {
        let shard = run_tree(self, Node::Cell(self.root()?), &self.options, sink)?;
        Ok(WalkStats {
            stopped: self.options.control.and_then(|c| c.stopped()),
            shard,
            ..self.stats()
        })
    }

    /// As [`crate::Walker::estimate_regions`].
    pub fn estimate_regions(&self, probes: u64, seed: u64) -> Result<TreeEstimate, WalkError> {
        estimate_leaves(self, || Ok(Node::Cell(self.root()?)), probes, seed)
    }

    /// The domain as the first cell.
    fn root(&self) -> Result<Cell, WalkError> {
        let s = self.space;
        let polygon = self
            .exact
            .root()
            .map_err(|_| WalkError::ExactInconsistency {
                pattern: String::new(),
                neuron: None,
            })?;
        let pre =
            s.network.hidden().first().map(|w| {
                PreActivations::new(w, &Affine::identity(s.dim()), &s.network.slopes()[0])
            });
        Ok(Cell {
            layer: 0,
            rows: RowList::new(
                s.rows
                    .iter()
                    .map(|r| (r.half.clone(), RowSource::Domain(r.index))),
            ),
            polygon: self.exact.to_float(&polygon),
            pattern: Pattern::default(),
            pre,
        })
    }

    /// The region of a cell of the last layer.
    fn finish(&self, cell: Cell) -> Result<Region, WalkError> {
        let s = self.space;
        let (rows, sources) = if self.options.region_rows || self.options.chebyshev {
            cell.rows.to_vecs()
        } else {
            (Vec::new(), Vec::new())
        };
        let ball = match cell.polygon.inner_point() {
            Some(center) => {
                let radius = cell
                    .rows
                    .rows()
                    .map(|r| r.b - dot(&r.a, &center))
                    .fold(RADIUS_CAP, f64::min)
                    .max(0.0);
                Ball {
                    center: center.to_vec(),
                    radius,
                }
            }
            None => s.start.clone(),
        };
        let chebyshev = if self.options.chebyshev {
            chebyshev_ball(
                &self.engine,
                s.dim(),
                &rows,
                |a| s.input_norm(a),
                s.input_radius_cap(),
            )?
            .filter(|b| b.radius > 0.0)
        } else {
            None
        };
        let (pattern, ball) = region_pattern(&self.options, cell.pattern, ball);
        Ok(Region {
            pattern,
            rows,
            sources,
            ball,
            chebyshev,
            exact_witness: None,
            splits: Vec::new(),
            facets: None,
            position: Vec::new(),
        })
    }
}

impl Tree for PolygonWalk<'_> {
    type Node = Node;

    /// No parts: a cell's pre-activations are built from its sibling's when
    /// both are walked in one subtree on one thread (`next_layer.rs`), and
    /// a part walked on another thread would build them otherwise, so the
    /// floats could differ in their last bits from a one-thread run's.
    fn parts(&self) -> bool {
        false
    }

    fn is_leaf(&self, node: &Node) -> bool {
        matches!(node, Node::Cell(c) if c.layer == self.space.network.hidden().len())
    }

    fn expand(&self, node: Node) -> Result<Branch<Node>, WalkError> {
        match node {
            Node::Cell(cell) if cell.layer == self.space.network.hidden().len() => {
                Ok(Branch::Region(self.finish(cell)?))
            }
            Node::Cell(cell) => {
                let partial = self.begin(cell)?;
                self.advance(partial)
            }
            Node::Piece(partial) => self.advance(partial),
        }
    }
}

/// `m` with every entry replaced by its absolute value.
fn absolute(m: &Affine) -> Affine {
    Affine::new(
        m.rows(),
        m.cols(),
        m.weight().iter().map(|v| v.abs()).collect(),
        m.bias().iter().map(|v| v.abs()).collect(),
    )
}
