//! The layer-by-layer walk of docs/design.md §2, written as a work list of
//! independent cells.
//!
//! A *cell* is an open polyhedron on which the first `layer` hidden layers
//! have a fixed pattern. It keeps the rows of the domain and of the neurons
//! that cut one of its ancestors (a neuron that did not cut is implied), a
//! ball inside it (its witness), a box that contains it, and the affine map of
//! the last hidden layer's output on it. Splitting a cell runs the side test
//! for each neuron of the next layer on each piece so far; what each test
//! concludes is up to the walk's [`Decider`] (`decider.rs`): the float
//! decision as it is, or, when certifying, the decision proved in exact
//! arithmetic (`walk/certifying.rs`). A finished region gets its Chebyshev
//! ball and facets when the options ask for them, and whatever the decider's
//! per-region hook gives (the exact witness and the certificate's lines).
//!
//! Cells are independent, so the tree is expanded breadth-first (`tree.rs`) into a
//! frontier of a few hundred nodes, and the subtrees under them are walked
//! depth first on worker threads, each streaming its regions to the sink
//! through a bounded channel, in tree order (`ordered_stream.rs`). With the
//! float decider a layer splits a cell depth first too, one neuron at a time
//! (`depth_first.rs`). Regions come out in tree order whatever the thread
//! count, so ids are deterministic, and memory is bounded by depth × width ×
//! threads, not by the number of regions. The certifying decider splits a
//! cell by a whole layer at once (its proof of the split comes before the
//! cell's first region), so there one layer's pieces of one cell are held.
//!
//! Cost: one LP (Chebyshev ball, `k + 1` variables, one row per kept
//! constraint) per side test that the box bound and the witness do not
//! decide; at most two per (piece, neuron).

use crate::domain::half_space::HalfSpace;
use crate::error::WalkError;
use crate::lp::chebyshev::{chebyshev_ball, Ball};
use crate::lp::{Basis, Counted, LpEngine};
use crate::model::affine::{norm, Affine};
use crate::model::pattern::Pattern;
use crate::walk::box_hints::{bounding_box_from, BoxHints};
use crate::walk::certifying::Certifying;
use crate::walk::control::{RunControl, Shard};
use crate::walk::decider::{Decider, FloatDecider, NeuronRow, Shape};
use crate::walk::depth_first::Node;
use crate::walk::facets::{region_facets, Facet, FacetHints};
use crate::walk::near_ties::ExactNearTies;
use crate::walk::piece_box::narrowed;
use crate::walk::polygon::PolygonWalk;
use crate::walk::pre_activation::PreActivations;
use crate::walk::region::{Region, RowSource};
use crate::walk::side_test::{side_test, Decision, Polyhedron};
use crate::walk::space::{BoxOutcome, WorkSpace};
use crate::walk::stats::{Counters, WalkStats};
use crate::walk::tree::{run_tree, Branch, Tree};
use crate::walk::tree_size::{estimate_leaves, TreeEstimate};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

// Other modules name the walk's output types through this one.

/// Options of the walk.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    /// Solve one more LP per region for its Chebyshev ball in input units
    /// (what `enumerate` reports as `radius` and `witness`).
    pub chebyshev: bool,
    /// Before splitting a cell by a layer (after the first), compute the
    /// cell's own bounding box (`2k` LPs), so the box bound of the side test
    /// decides more neurons without an LP. On by default: on ACAS Xu N1,1
    /// over the property-3 box it cuts LPs from 827k to 473k and time by
    /// about 1.5× (see `benches/walk.rs`).
    pub tighten_boxes: bool,
    /// Prove every decision in exact arithmetic, re-deciding exactly where a
    /// float decision fails its proof (see `walk/prover.rs`). Regions then carry
    /// exact witnesses and the split proofs. A tightened box is proved
    /// bound by bound (`walk/box_proof.rs`), on a box domain or a slice's
    /// window; elsewhere, and for a piece's narrowed box, there is no box.
    pub certify: bool,
    /// Decide which rows of each region are facets (one LP per row), in the
    /// walk's workers: what the region graph and `enumerate --facets` need.
    /// Off by default, so a plain count pays nothing for it.
    pub facets: bool,
    /// Limits and a stop flag, and where the walk is (`walk/control.rs`);
    /// without one the walk runs to its end. Shared for the whole process
    /// (a signal handler raises its flag), hence `'static`.
    pub control: Option<&'static RunControl>,
    /// Walk only this part of the tree (`walk/control.rs`, [`Shard`]).
    pub shard: Option<Shard>,
    /// Skip the first this many subtrees of the (part's) frontier: an
    /// earlier run finished them (a resumed run, docs/large-runs.md).
    pub resume_at: usize,
    /// In the first subtree walked, continue after the region at this
    /// [`Region::position`]: an earlier run handed out the regions up to it
    /// (`walk/subtree.rs`).
    pub resume_path: Option<&'static [u32]>,
    /// Take every float decision as it is, near-ties included
    /// (`walk/decider.rs`, `FloatDecider`): faster by the near-ties' exact
    /// work, and labelled float. Off by default: near-ties are decided
    /// exactly (`walk/near_ties.rs`).
    pub float_decisions: bool,
    /// Regions carry their rows and the rows' sources. On by default; a
    /// consumer that only counts turns it off, so that a walk that keeps its
    /// rows shared (the polygon walk, `walk/polygon/row_list.rs`) does not
    /// copy them out for every region only to drop them (a sixth of a 2-D
    /// count), and the LP walk frees them on its workers.
    pub region_rows: bool,
    /// Regions carry their activation pattern and their ball. On by
    /// default; a consumer that only counts turns it off: then
    /// [`Region::pattern`] is empty and [`Region::ball`] has no centre, both
    /// freed on the worker that found the region. Freed by the consumer
    /// thread instead, their blocks cost the workers' allocator a
    /// collection of blocks another thread freed: two threads used 6–13%
    /// more CPU time than one on ACAS Xu, against 2–4% without
    /// (docs/performance.md, "Threads").
    pub region_pattern: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            chebyshev: false,
            tighten_boxes: true,
            certify: false,
            facets: false,
            control: None,
            shard: None,
            resume_at: 0,
            resume_path: None,
            float_decisions: false,
            region_rows: true,
            region_pattern: true,
        }
    }
}

/// A cell of the walk: an open polyhedron on which the first `layer` hidden
/// layers have the fixed pattern `pattern`.
pub(crate) struct Cell<C> {
    pub(crate) layer: usize,
    pub(crate) rows: Vec<HalfSpace>,
    pub(crate) sources: Vec<RowSource>,
    pub(crate) ball: Ball,
    pub(crate) bbox: Option<Arc<Vec<(f64, f64)>>>,
    /// A bound on the rounding error of its neuron rows (working units).
    pub(crate) row_error: f64,
    pub(crate) pattern: Pattern,
    /// The output of hidden layer `layer − 1` as a map of `t` (identity at the root).
    pub(crate) map: Affine,
    /// The decider's part.
    pub(crate) own: C,
    /// Where its ball LPs start (`lp/basis_hint.rs`).
    pub(crate) basis: Option<Basis>,
    /// Where the LPs of its bounding box start: an ancestor's optima
    /// (`box_hints.rs`).
    pub(crate) box_hints: Option<Arc<BoxHints>>,
}

/// One piece of a cell while a layer is being split.
#[derive(Clone)]
pub(crate) struct Piece<P> {
    pub(crate) rows: Vec<HalfSpace>,
    pub(crate) sources: Vec<RowSource>,
    pub(crate) ball: Ball,
    pub(crate) bits: Vec<bool>,
    /// A bound on the rounding error of its neuron rows (working units).
    pub(crate) row_error: f64,
    /// A box containing the piece, tighter than its cell's: the cell's box
    /// narrowed by each cut row (`piece_box.rs`); `None` while it is the
    /// cell's, or when boxes are not tightened.
    pub(crate) own_box: Option<Arc<Vec<(f64, f64)>>>,
    /// The decider's part.
    pub(crate) own: P,
    /// Where its ball LPs start: the final basis of a ball LP of its rows
    /// or of some of them (`lp/basis_hint.rs`).
    pub(crate) basis: Option<Basis>,
    /// Names its rows and basis for the LP engine (`SideLp::key`): 0 until
    /// a side test asks for one, and again whenever either changes.
    pub(crate) lp_key: u64,
}

/// A region's pattern and ball as [`WalkOptions::region_pattern`] asks:
/// as they are, or empty (the ones given freed here, on the worker).
pub(crate) fn region_pattern(
    options: &WalkOptions,
    pattern: Pattern,
    ball: Ball,
) -> (Pattern, Ball) {
    if options.region_pattern {
        (pattern, ball)
    } else {
        let radius = ball.radius;
        (
            Pattern::default(),
            Ball {
                center: Vec::new(),
                radius,
            },
        )
    }
}

/// A number never handed out before, to name a piece's rows and basis.
/// Each thread takes keys from a block of 2^32 of its own, so threads do
/// not pass one counter's cache line back and forth at every piece
/// (`striped_counter.rs` says what that cost); key 0 is never given.
fn fresh_key() -> u64 {
    static BLOCKS: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        /// The next key of this thread's block, and the block's end.
        static NEXT: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
    }
    NEXT.with(|next| {
        let (mut key, mut end) = next.get();
        if key == end {
            key = BLOCKS.fetch_add(1, Relaxed) << 32;
            end = key + (1 << 32);
        }
        next.set((key + 1, end));
        key
    })
}

impl<P> Piece<P> {
    /// The piece whole, on side `on` of the neuron; `ball` replaces its
    /// ball when the witness had to move.
    fn keep(&mut self, ball: Option<Ball>, on: bool) {
        if let Some(b) = ball {
            self.ball = b;
        }
        self.bits.push(on);
    }

    /// Adds the row of neuron `(layer, index)` on side `on` of `z = â·t + ĉ`,
    /// whose rounding error is at most `error`.
    fn add_side(
        &mut self,
        (layer, index): (usize, usize),
        (a, c): (&[f64], f64),
        error: f64,
        on: bool,
    ) {
        self.row_error = self.row_error.max(error);
        self.lp_key = 0;
        let sign = if on { -1.0 } else { 1.0 };
        self.rows.push(HalfSpace {
            a: a.iter().map(|v| sign * v).collect(),
            b: -sign * c,
        });
        self.sources.push(RowSource::Neuron { layer, index, on });
        self.bits.push(on);
    }
}

impl<D: Decider> Node<D> {
    /// Whether the node is a finished region's cell.
    fn is_leaf(&self, depth: usize) -> bool {
        matches!(self, Node::Cell(c) if c.layer == depth)
    }
}

/// One step of the walk: a node's children in tree order, or a region.
pub(crate) type Step<D> = Branch<Node<D>>;

/// One neuron's side test, as run on each piece of a cell.
pub(crate) struct Test<'t> {
    /// `(layer, index)`.
    pub(crate) neuron: (usize, usize),
    /// Its row `â·t + ĉ` on the cell, unit normal.
    pub(crate) row: (&'t [f64], f64),
    /// A bound on the row's rounding error (working units).
    pub(crate) row_error: f64,
    /// A box containing the cell, where one may decide tests.
    pub(crate) bbox: Option<&'t [(f64, f64)]>,
}

/// The walk over one network and domain.
pub struct Walker<'a>(Mode<'a>);

/// The walk, with the decider its options ask for, or the polygon walk.
enum Mode<'a> {
    Float(Walk<'a, FloatDecider>),
    Exact(Walk<'a, ExactNearTies<'a>>),
    Certifying(Walk<'a, Certifying<'a>>),
    Polygon(PolygonWalk<'a>),
}

/// The walk with decider `D`.
pub(crate) struct Walk<'a, D> {
    pub(crate) space: &'a WorkSpace,
    pub(crate) engine: Counted<'a>,
    pub(crate) options: WalkOptions,
    pub(crate) counters: Counters,
    pub(crate) decider: D,
}

impl<'a> Walker<'a> {
    /// A walker for `space`, solving LPs with `engine`. Two free
    /// coordinates, without certification or facets, walk polygons
    /// (`walk/polygon/`) when the engine allows it ([`LpEngine::polygons`]).
    pub fn new(space: &'a WorkSpace, engine: &'a dyn LpEngine, options: WalkOptions) -> Self {
        Walker(if options.certify {
            Mode::Certifying(Walk::new(space, engine, options, Certifying::new(space)))
        } else if options.float_decisions {
            Mode::Float(Walk::new(space, engine, options, FloatDecider))
        } else if engine.polygons() && PolygonWalk::applies(space, &options) {
            Mode::Polygon(PolygonWalk::new(space, engine, options))
        } else {
            Mode::Exact(Walk::new(space, engine, options, ExactNearTies::new(space)))
        })
    }

    /// The counters so far.
    pub fn stats(&self) -> WalkStats {
        match &self.0 {
            Mode::Float(w) => w.stats(),
            Mode::Exact(w) => w.stats(),
            Mode::Certifying(w) => w.stats(),
            Mode::Polygon(w) => w.stats(),
        }
    }

    /// Runs the walk, handing every region to `sink` in tree order.
    pub fn run(
        &self,
        sink: impl FnMut(Region) -> Result<(), WalkError>,
    ) -> Result<WalkStats, WalkError> {
        match &self.0 {
            Mode::Float(w) => w.run(sink),
            Mode::Exact(w) => w.run(sink),
            Mode::Certifying(w) => w.run(sink),
            Mode::Polygon(w) => w.run(sink),
        }
    }

    /// Estimates how many regions the walk would find from `probes` random
    /// paths down its tree (Knuth's estimator, `tree_size.rs`), seeded by
    /// `seed`, without walking the rest.
    pub fn estimate_regions(&self, probes: u64, seed: u64) -> Result<TreeEstimate, WalkError> {
        match &self.0 {
            Mode::Float(w) => w.estimate(probes, seed),
            Mode::Exact(w) => w.estimate(probes, seed),
            Mode::Certifying(w) => w.estimate(probes, seed),
            Mode::Polygon(w) => w.estimate_regions(probes, seed),
        }
    }
}

impl<'a, D: Decider> Walk<'a, D> {
    fn new(
        space: &'a WorkSpace,
        engine: &'a dyn LpEngine,
        options: WalkOptions,
        decider: D,
    ) -> Self {
        Walk {
            space,
            engine: Counted::new(engine),
            options: WalkOptions {
                // A certifying walk tightens boxes only where it can prove
                // them (a box domain or a slice's window).
                tighten_boxes: options.tighten_boxes && decider.tightens(),
                ..options
            },
            counters: Counters::default(),
            decider,
        }
    }

    fn stats(&self) -> WalkStats {
        self.counters.snapshot(
            self.engine.solves(),
            self.decider.fallbacks(),
            self.decider.near_tie_rows(),
        )
    }

    fn run(
        &self,
        sink: impl FnMut(Region) -> Result<(), WalkError>,
    ) -> Result<WalkStats, WalkError> {
        let shard = run_tree(self, Node::Cell(self.root()), &self.options, sink)?;
        Ok(WalkStats {
            stopped: self.options.control.and_then(RunControl::stopped),
            shard,
            ..self.stats()
        })
    }

    fn estimate(&self, probes: u64, seed: u64) -> Result<TreeEstimate, WalkError> {
        estimate_leaves(self, || Ok(Node::Cell(self.root())), probes, seed)
    }

    /// One step of the walk: a leaf's region, or a node's children in tree
    /// order.
    fn expand(&self, node: Node<D>) -> Result<Step<D>, WalkError> {
        let depth = self.space.network.hidden().len();
        Ok(match node {
            Node::Cell(cell) if cell.layer == depth => Step::Region(self.finish(cell)?),
            Node::Cell(cell) if self.decider.depth_first() => {
                let partial = self.begin_depth_first(cell)?;
                self.advance(partial)?
            }
            Node::Cell(cell) => {
                Step::Children(self.split(cell)?.into_iter().map(Node::Cell).collect())
            }
            Node::Piece(partial) => self.advance(partial)?,
        })
    }

    /// With [`WalkOptions::tighten_boxes`], replaces the box of a cell below
    /// the first layer by its own bounding box.
    pub(crate) fn tighten(&self, cell: &mut Cell<D::Cell>) -> Result<(), WalkError> {
        if self.options.tighten_boxes && cell.layer > 0 {
            let hints = cell.box_hints.as_deref();
            let (outcome, hints) =
                bounding_box_from(&self.engine, self.space.dim(), &cell.rows, hints)?;
            if let BoxOutcome::Bounded(b) = outcome {
                let shape = Shape {
                    rows: &cell.rows,
                    sources: &cell.sources,
                    ball: &cell.ball,
                };
                if let Some(b) = self
                    .decider
                    .tightened(&mut cell.own, shape, b, hints.as_ref())
                {
                    cell.bbox = Some(Arc::new(b));
                }
                cell.box_hints = hints.map(Arc::new);
            }
        }
        Ok(())
    }

    fn root(&self) -> Cell<D::Cell> {
        let s = self.space;
        Cell {
            layer: 0,
            rows: s.rows.iter().map(|r| r.half.clone()).collect(),
            sources: s.rows.iter().map(|r| RowSource::Domain(r.index)).collect(),
            ball: s.start.clone(),
            bbox: self.decider.root_box(s).map(Arc::new),
            row_error: 0.0,
            pattern: Pattern::default(),
            map: Affine::identity(s.dim()),
            own: self.decider.root(s),
            basis: None,
            box_hints: None,
        }
    }

    /// The region of a cell of the last layer, with what the options ask for
    /// and what the decider's per-region hook gives.
    fn finish(&self, cell: Cell<D::Cell>) -> Result<Region, WalkError> {
        let chebyshev = self.chebyshev(&cell.rows)?;
        let shape = Shape {
            rows: &cell.rows,
            sources: &cell.sources,
            ball: &cell.ball,
        };
        let (exact_witness, splits) = self.decider.finish(cell.own, shape, &cell.pattern)?;
        let facets = self.facets(&cell.rows, &cell.ball, cell.bbox.as_deref())?;
        // Without region rows the rows are freed here, on the worker, not
        // by the consumer, which is one thread for all workers.
        let (rows, sources) = if self.options.region_rows {
            (cell.rows, cell.sources)
        } else {
            (Vec::new(), Vec::new())
        };
        let (pattern, ball) = region_pattern(&self.options, cell.pattern, cell.ball);
        Ok(Region {
            pattern,
            rows,
            sources,
            ball,
            chebyshev,
            exact_witness,
            splits,
            facets,
            position: Vec::new(),
        })
    }

    /// With [`WalkOptions::facets`], which of a region's `rows` are facets;
    /// `ball` is the walk's ball inside it and `bbox` its parent cell's box.
    fn facets(
        &self,
        rows: &[HalfSpace],
        ball: &Ball,
        bbox: Option<&Vec<(f64, f64)>>,
    ) -> Result<Option<Vec<Facet>>, WalkError> {
        if !self.options.facets {
            return Ok(None);
        }
        // The walk's ball is centred in working coordinates, where facet
        // radii are measured (the Chebyshev ball is in input units): its
        // centre leaves the ray test more facets. The parent cell's box
        // contains the region.
        let hints = FacetHints {
            inside: Some(&ball.center),
            bbox: bbox.map(|b| b.as_slice()),
        };
        Ok(Some(region_facets(
            &self.engine,
            self.space.dim(),
            rows,
            hints,
        )?))
    }

    /// With [`WalkOptions::chebyshev`], the Chebyshev ball of `rows` in input units.
    fn chebyshev(&self, rows: &[HalfSpace]) -> Result<Option<Ball>, WalkError> {
        if !self.options.chebyshev || self.space.dim() == 0 {
            return Ok(None);
        }
        let s = self.space;
        let ball = chebyshev_ball(
            &self.engine,
            s.dim(),
            rows,
            |a| s.input_norm(a),
            s.input_radius_cap(),
        )?;
        Ok(ball.filter(|b| b.radius > 0.0))
    }

    /// Splits `cell` by every neuron of its next layer: each neuron's row is
    /// constant on the cell, or side-tested on every piece so far.
    fn split(&self, mut cell: Cell<D::Cell>) -> Result<Vec<Cell<D::Cell>>, WalkError> {
        let layer = cell.layer;
        self.tighten(&mut cell)?;
        let net = &self.space.network;
        let pre = PreActivations::new(&net.hidden()[layer], &cell.map, &net.slopes()[layer]);
        let (mut split, own) = self.decider.begin(&cell.own, layer, &cell.pattern);
        let mut pieces = vec![Piece {
            rows: std::mem::take(&mut cell.rows),
            sources: std::mem::take(&mut cell.sources),
            ball: cell.ball.clone(),
            bits: Vec::with_capacity(pre.z.rows()),
            row_error: cell.row_error,
            own_box: None,
            own,
            basis: cell.basis.clone(),
            lp_key: 0,
        }];
        for i in 0..pre.z.rows() {
            let (a, c, row_error) = match self.decider.row(&mut split, &pre, i, pieces.len()) {
                NeuronRow::Constant(on) => {
                    pieces.iter_mut().for_each(|p| p.bits.push(on));
                    continue;
                }
                NeuronRow::Boxed(on) => {
                    self.counters.pruned_at_once(pieces.len() as u64);
                    pieces.iter_mut().for_each(|p| p.bits.push(on));
                    continue;
                }
                NeuronRow::Varies(a, c, error) => (a, c, error),
            };
            let size = norm(&a);
            let a_hat: Vec<f64> = a.iter().map(|v| v / size).collect();
            let test = Test {
                neuron: (layer, i),
                row: (&a_hat, c / size),
                row_error,
                bbox: cell.bbox.as_deref().map(|b| b.as_slice()),
            };
            // Pieces are tested in place; only a neuron that cut some piece
            // rebuilds the list (most cut none, and moving every piece for
            // every neuron was a few percent of a certifying walk).
            let mut offs = Vec::new();
            for (k, p) in pieces.iter_mut().enumerate() {
                if let Some(off) = self.test(&test, &split, p)? {
                    offs.push((k, off));
                }
            }
            if !offs.is_empty() {
                let mut next = Vec::with_capacity(pieces.len() + offs.len());
                let mut offs = offs.into_iter().peekable();
                for (k, p) in pieces.into_iter().enumerate() {
                    if let Some((_, off)) = offs.next_if(|(j, _)| *j == k) {
                        next.push(off);
                    }
                    next.push(p);
                }
                pieces = next;
            }
        }
        Ok(self.children(cell, pre.z, split, pieces))
    }

    /// Runs `test` on piece `p`: the float side test, then the decider's
    /// decision. `None`: the piece is kept whole (its bit and ball updated
    /// in place). `Some(off)`: it was cut, `p` is now the on side and `off`
    /// the off side. (The piece is not moved in and out: a test runs for
    /// every piece and neuron, and moving a piece by value was 5% of a walk.)
    pub(crate) fn test(
        &self,
        test: &Test<'_>,
        split: &D::Split,
        p: &mut Piece<D::Piece>,
    ) -> Result<Option<Piece<D::Piece>>, WalkError> {
        let ((layer, i), (a, c)) = (test.neuron, test.row);
        self.counters.side_test();
        if p.lp_key == 0 {
            p.lp_key = fresh_key();
        }
        let own_box = p.own_box.clone();
        let bbox = own_box.as_deref().map(|b| b.as_slice()).or(test.bbox);
        let poly = Polyhedron {
            rows: &p.rows,
            bbox,
            ball: &p.ball,
            row_error: p.row_error + test.row_error,
            basis: p.basis.as_ref(),
            key: p.lp_key,
            row_bound: true,
        };
        let mut float = side_test(&self.engine, &self.counters, &poly, a, c)?;
        if float.near_tie {
            self.counters.near_tie();
        }
        // Taken, not cloned: no decider reads a verdict's bases.
        let bases = std::mem::take(&mut float.bases);
        let shape = Shape {
            rows: &p.rows,
            sources: &p.sources,
            ball: &p.ball,
        };
        Ok(
            match self
                .decider
                .decide(split, i, (shape, &mut p.own), (a, c), float)?
            {
                Decision::AllOn(ball) => {
                    p.keep(ball, true);
                    None
                }
                Decision::AllOff(ball) => {
                    p.keep(ball, false);
                    None
                }
                Decision::Cut { off, on } => {
                    let mut off_piece = Piece {
                        ball: off,
                        ..p.clone()
                    };
                    off_piece.add_side((layer, i), (a, c), test.row_error, false);
                    let own = &mut off_piece.own;
                    self.decider.cut(split, i, own, false, &off_piece.ball);
                    p.ball = on;
                    p.add_side((layer, i), (a, c), test.row_error, true);
                    self.decider.cut(split, i, &mut p.own, true, &p.ball);
                    // A side's ball LP had the piece's rows and then that
                    // side's row: its basis fits the piece of that side.
                    if bases.off.is_some() {
                        off_piece.basis = bases.off;
                    }
                    if bases.on.is_some() {
                        p.basis = bases.on;
                    }
                    if self.options.tighten_boxes && self.decider.narrows() {
                        if let Some(bbox) = bbox {
                            off_piece.own_box = narrowed(bbox, off_piece.rows.last());
                            p.own_box = narrowed(bbox, p.rows.last());
                        }
                    }
                    Some(off_piece)
                }
            },
        )
    }

    /// The cells of the next layer, one per piece.
    fn children(
        &self,
        cell: Cell<D::Cell>,
        z: Affine,
        split: D::Split,
        mut pieces: Vec<Piece<D::Piece>>,
    ) -> Vec<Cell<D::Cell>> {
        let parts = pieces
            .iter_mut()
            .map(|p| (std::mem::take(&mut p.own), p.bits.as_slice()))
            .collect();
        let owns = self.decider.children(cell.own, split, parts);
        // The last child takes the layer's map and the cell's pattern; the
        // others copy them.
        let last = pieces.len().saturating_sub(1);
        let (mut z, mut parent) = (Some(z), Some(cell.pattern));
        let mut children = Vec::with_capacity(pieces.len());
        for (k, (p, own)) in pieces.into_iter().zip(owns).enumerate() {
            let (map, pattern) = if k == last {
                (z.take(), parent.take())
            } else {
                (z.clone(), parent.clone())
            };
            let (mut map, mut pattern) = map.zip(pattern).expect("the last child takes them");
            map.activate_rows(&p.bits, &self.space.network.slopes()[cell.layer]);
            pattern.push_layer(p.bits);
            children.push(Cell {
                layer: cell.layer + 1,
                rows: p.rows,
                sources: p.sources,
                ball: p.ball,
                bbox: cell.bbox.clone(),
                row_error: p.row_error,
                pattern,
                map,
                own,
                basis: p.basis,
                box_hints: cell.box_hints.clone(),
            });
        }
        children
    }
}

impl<D: Decider> Tree for Walk<'_, D> {
    type Node = Node<D>;

    fn is_leaf(&self, node: &Node<D>) -> bool {
        node.is_leaf(self.space.network.hidden().len())
    }

    fn expand(&self, node: Node<D>) -> Result<Step<D>, WalkError> {
        Walk::expand(self, node)
    }
}
