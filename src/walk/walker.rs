//! The layer-by-layer walk of docs/design.md §2, written as a work list of
//! independent cells.
//!
//! A *cell* is an open polyhedron on which the first `layer` hidden layers
//! have a fixed pattern. It keeps the rows of the domain and of the neurons
//! that cut one of its ancestors (a neuron that did not cut is implied), a
//! ball inside it (its witness), a box that contains it, and the affine map of
//! the last hidden layer's output on it. Splitting a cell runs the side test
//! for each neuron of the next layer on each piece so far.
//!
//! Cells are independent, so the tree is expanded breadth-first until it has
//! many cells per thread, and the subtrees under those cells are walked in
//! parallel, a batch of subtrees at a time, each subtree itself split across
//! threads by work stealing. Regions come out in tree
//! order whatever the thread count, so ids are deterministic; memory holds the
//! regions of one batch of subtrees, not all regions.
//!
//! Cost: one LP (Chebyshev ball, `k + 1` variables, one row per kept
//! constraint) per side test that the box bound and the witness do not
//! decide; at most two per (piece, neuron).

use crate::certify::prover::{Certifier, ExactPiece, NoInterior, RowTag, SplitRecord, TestRecord};
use crate::domain::half_space::HalfSpace;
use crate::error::WalkError;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::point::ExactPoint;
use crate::exact::slice_network::SliceNetwork;
use crate::graph::facets::{region_facets, Facet, FacetHints};
use crate::lp::chebyshev::{chebyshev_ball, Ball};
use crate::lp::{Counted, LpEngine};
use crate::model::affine::{norm, Affine};
use crate::model::pattern::Pattern;
use crate::walk::pre_activation::PreActivations;
use crate::walk::side_test::{side_test, Decision, Polyhedron};
use crate::walk::space::WorkSpace;
use crate::walk::space::{bounding_box, BoxOutcome};
use crate::walk::stats::{Counters, WalkStats};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// Where a row of a region comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowSource {
    /// Row `i` of [`crate::Domain::rows`].
    Domain(usize),
    /// A hidden neuron, on the side the region lies on.
    Neuron {
        /// Hidden layer, from 0.
        layer: usize,
        /// Neuron within the layer, from 0.
        index: usize,
        /// True when the region has the neuron on (the row is `−z ≤ 0`),
        /// false when off (`z ≤ 0`).
        on: bool,
    },
}

/// A finished region, in working coordinates.
#[derive(Debug, Clone)]
pub struct Region {
    /// Its activation pattern.
    pub pattern: Pattern,
    /// Its rows `a·t < b` with unit normals: the domain's rows, then the
    /// neurons that cut one of its ancestors, in the order they cut.
    pub rows: Vec<HalfSpace>,
    /// Where each row comes from.
    pub sources: Vec<RowSource>,
    /// A ball inside it, in working coordinates (its radius is a lower
    /// bound, not the Chebyshev radius).
    pub ball: Ball,
    /// With [`WalkOptions::chebyshev`]: the Chebyshev ball measured in input
    /// units (centre in working coordinates, radius in input units).
    pub chebyshev: Option<Ball>,
    /// With [`WalkOptions::certify`]: an exact point strictly inside, on the
    /// free input coordinates.
    pub exact_witness: Option<ExactPoint>,
    /// With [`WalkOptions::certify`]: the proofs of the splits that come
    /// before this region in the tree's pre-order (the splits of the cells
    /// whose first region this is), outermost first.
    pub splits: Vec<SplitRecord>,
    /// With [`WalkOptions::facets`]: which rows are facets, each with a
    /// point in its relative interior (docs/design.md §3). The other rows are
    /// redundant.
    pub facets: Option<Vec<Facet>>,
}

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
    /// float decision fails its proof (see `certify.rs`). Regions then carry
    /// exact witnesses and the split proofs. Box tightening is off while
    /// certifying (a tightened box would need proofs of its own).
    pub certify: bool,
    /// Decide which rows of each region are facets (one LP per row), in the
    /// walk's workers: what the region graph and `enumerate --facets` need.
    /// Off by default, so a plain count pays nothing for it.
    pub facets: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            chebyshev: false,
            tighten_boxes: true,
            certify: false,
            facets: false,
        }
    }
}

/// The exact side of a cell, when certifying.
#[derive(Clone)]
struct ExactCell {
    /// The output of hidden layer `layer − 1` as a map of the free coordinates.
    map: ExactAffine,
    /// The cell's rows, exact, in the order of the float rows.
    rows: Vec<ExactHalf>,
}

/// What certification needs that does not change during the walk.
struct Certification<'a> {
    slice: SliceNetwork,
    certifier: Certifier<'a>,
}

#[derive(Clone)]
struct Cell {
    layer: usize,
    rows: Vec<HalfSpace>,
    sources: Vec<RowSource>,
    ball: Ball,
    bbox: Option<Arc<Vec<(f64, f64)>>>,
    pattern: Pattern,
    /// The output of hidden layer `layer − 1` as a map of `t` (identity at the root).
    map: Affine,
    exact: Option<ExactCell>,
    /// Split proofs to emit before this cell's first region.
    pending: Vec<SplitRecord>,
}

/// One piece of a cell while a layer is being split.
struct Piece {
    rows: Vec<HalfSpace>,
    sources: Vec<RowSource>,
    ball: Ball,
    bits: Vec<bool>,
    exact_rows: Vec<ExactHalf>,
}

/// The walk over one network and domain.
pub struct Walker<'a> {
    space: &'a WorkSpace,
    engine: Counted<'a>,
    options: WalkOptions,
    counters: Counters,
    certification: Option<Certification<'a>>,
}

/// How many cells per thread the breadth-first expansion aims for before
/// the depth-first subtrees are handed out; more balances load better,
/// fewer keeps less in memory at once.
const CELLS_PER_THREAD: usize = 64;
/// How many subtrees per thread run in one batch.
const BATCH_PER_THREAD: usize = 4;

impl<'a> Walker<'a> {
    /// A walker for `space`, solving LPs with `engine`.
    pub fn new(space: &'a WorkSpace, engine: &'a dyn LpEngine, options: WalkOptions) -> Self {
        let certification = options.certify.then(|| Certification {
            slice: SliceNetwork::on_slice(&space.network_input, space.slice.clone()),
            certifier: Certifier::new(space),
        });
        let options = WalkOptions {
            tighten_boxes: options.tighten_boxes && !options.certify,
            ..options
        };
        Walker {
            space,
            engine: Counted::new(engine),
            options,
            counters: Counters::default(),
            certification,
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> WalkStats {
        let fallbacks = self
            .certification
            .as_ref()
            .map(|c| c.certifier.fallbacks())
            .unwrap_or(0);
        self.counters.snapshot(self.engine.solves(), fallbacks)
    }

    /// Runs the walk, handing every region to `sink` in tree order.
    pub fn run(
        &self,
        mut sink: impl FnMut(Region) -> Result<(), WalkError>,
    ) -> Result<WalkStats, WalkError> {
        let threads = rayon::current_num_threads().max(1);
        let depth = self.space.network.hidden().len();
        let mut frontier = vec![self.root()];
        while frontier.len() < CELLS_PER_THREAD * threads
            && frontier.iter().any(|c| c.layer < depth)
        {
            let expanded: Vec<Vec<Cell>> = frontier
                .into_par_iter()
                .map(|cell| {
                    if cell.layer < depth {
                        self.split(cell)
                    } else {
                        Ok(vec![cell])
                    }
                })
                .collect::<Result<_, WalkError>>()?;
            frontier = expanded.into_iter().flatten().collect();
        }
        let batch = BATCH_PER_THREAD * threads;
        let mut cells = frontier.into_iter().peekable();
        while cells.peek().is_some() {
            let chunk: Vec<Cell> = cells.by_ref().take(batch).collect();
            let results: Vec<Vec<Region>> = chunk
                .into_par_iter()
                .map(|cell| self.subtree(cell))
                .collect::<Result<_, WalkError>>()?;
            for region in results.into_iter().flatten() {
                sink(region)?;
            }
        }
        Ok(self.stats())
    }

    fn root(&self) -> Cell {
        let s = self.space;
        Cell {
            layer: 0,
            rows: s.rows.iter().map(|r| r.half.clone()).collect(),
            sources: s.rows.iter().map(|r| RowSource::Domain(r.index)).collect(),
            ball: s.start.clone(),
            // While certifying, only an exact box may decide a test: a box
            // domain's own. (A polytope's bounding box comes from float LPs;
            // tests it decided would all go to the exact fallback.)
            bbox: match (&self.certification, &s.domain) {
                (Some(_), d) if !matches!(d, crate::domain::input_domain::Domain::Box(_)) => None,
                _ => s.bbox.clone().map(Arc::new),
            },
            pattern: Pattern::default(),
            map: Affine::identity(s.dim()),
            exact: self.certification.as_ref().map(|c| {
                let domain_rows = c.slice.domain_rows(&s.domain);
                ExactCell {
                    map: ExactAffine::identity(c.slice.dim()),
                    rows: s
                        .rows
                        .iter()
                        .map(|r| {
                            domain_rows[r.index]
                                .clone()
                                .expect("working rows are nonzero on free coordinates")
                        })
                        .collect(),
                }
            }),
            pending: Vec::new(),
        }
    }

    /// All regions under `cell`, in tree order. Children are walked in
    /// parallel (rayon's work stealing balances uneven subtrees).
    fn subtree(&self, cell: Cell) -> Result<Vec<Region>, WalkError> {
        if cell.layer == self.space.network.hidden().len() {
            return Ok(vec![self.finish(cell)?]);
        }
        let parts: Vec<Vec<Region>> = self
            .split(cell)?
            .into_par_iter()
            .map(|child| self.subtree(child))
            .collect::<Result<_, WalkError>>()?;
        Ok(parts.into_iter().flatten().collect())
    }

    fn finish(&self, cell: Cell) -> Result<Region, WalkError> {
        let chebyshev = if self.options.chebyshev && self.space.dim() > 0 {
            let s = self.space;
            chebyshev_ball(
                &self.engine,
                s.dim(),
                &cell.rows,
                |a| s.input_norm(a),
                s.input_radius_cap(),
            )?
            .filter(|b| b.radius > 0.0)
        } else {
            None
        };
        let exact_witness = match (&self.certification, &cell.exact) {
            (Some(c), Some(e)) => {
                let tags: Vec<RowTag> = cell.sources.iter().map(tag_of).collect();
                let piece = ExactPiece {
                    rows: &e.rows,
                    tags: &tags,
                    float_rows: &cell.rows,
                    ball: &cell.ball,
                };
                Some(c.certifier.region_witness(&piece).map_err(|NoInterior| {
                    WalkError::ExactInconsistency {
                        pattern: cell.pattern.to_string(),
                        neuron: None,
                    }
                })?)
            }
            _ => None,
        };
        let facets = if self.options.facets {
            // The walk's ball is centred in working coordinates, where facet
            // radii are measured (the Chebyshev ball is in input units): its
            // centre leaves the ray test more facets. The parent cell's box
            // contains the region.
            let hints = FacetHints {
                inside: Some(&cell.ball.center),
                bbox: cell.bbox.as_deref().map(|b| b.as_slice()),
            };
            Some(region_facets(
                &self.engine,
                self.space.dim(),
                &cell.rows,
                hints,
            )?)
        } else {
            None
        };
        Ok(Region {
            pattern: cell.pattern,
            rows: cell.rows,
            sources: cell.sources,
            ball: cell.ball,
            chebyshev,
            exact_witness,
            splits: cell.pending,
            facets,
        })
    }

    /// Splits `cell` by every neuron of its next layer.
    fn split(&self, cell: Cell) -> Result<Vec<Cell>, WalkError> {
        let layer = cell.layer;
        let mut cell = cell;
        if self.options.tighten_boxes && layer > 0 {
            if let BoxOutcome::Bounded(b) =
                bounding_box(&self.engine, self.space.dim(), &cell.rows)?
            {
                cell.bbox = Some(Arc::new(b));
            }
        }
        let pre = PreActivations::new(&self.space.network.hidden()[layer], &cell.map);
        let z = &pre.z;
        let exact_z = match (&self.certification, &cell.exact) {
            (Some(c), Some(e)) => Some(c.slice.hidden()[layer].after(&e.map)),
            _ => None,
        };
        let mut tests: Vec<Vec<TestRecord>> = Vec::new();
        let mut pieces = vec![Piece {
            rows: cell.rows,
            sources: cell.sources,
            ball: cell.ball,
            bits: Vec::with_capacity(z.rows()),
            exact_rows: cell
                .exact
                .as_ref()
                .map(|e| e.rows.clone())
                .unwrap_or_default(),
        }];
        for i in 0..z.rows() {
            // The row: exact when certifying (its float image is then the
            // rounding of the exact row), float otherwise.
            let exact_row = exact_z
                .as_ref()
                .map(|ez| (ez.row(i).to_vec(), ez.bias(i).clone()));
            let (a, c): (Vec<f64>, f64) = match (&exact_row, &self.certification) {
                (Some((ea, ec)), Some(cert)) => cert.slice.slice().exact_to_working(ea, ec),
                _ => (z.row(i).to_vec(), z.bias()[i]),
            };
            let constant = match &exact_row {
                Some((ea, ec)) => ea.iter().all(Dyadic::is_zero).then_some(ec.signum() > 0),
                None => pre.constant(i),
            };
            if let Some(on) = constant {
                // Constant on the cell: on iff c > 0; zero is off (zero convention).
                for p in &mut pieces {
                    p.bits.push(on);
                }
                if exact_row.is_some() {
                    tests.push(vec![TestRecord::Constant; pieces.len()]);
                }
                continue;
            }
            let size = norm(&a);
            let a_hat: Vec<f64> = a.iter().map(|v| v / size).collect();
            let c_hat = c / size;
            let mut next = Vec::with_capacity(pieces.len() + 1);
            let mut records = Vec::new();
            for mut p in pieces {
                self.counters.side_test();
                let poly = Polyhedron {
                    rows: &p.rows,
                    bbox: cell.bbox.as_deref().map(|b| b.as_slice()),
                    ball: &p.ball,
                };
                let (mut decision, probe) =
                    side_test(&self.engine, &self.counters, &poly, &a_hat, c_hat)?;
                if let (Some(cert), Some((ea, ec))) = (&self.certification, &exact_row) {
                    let tags: Vec<RowTag> = p.sources.iter().map(tag_of).collect();
                    let piece = ExactPiece {
                        rows: &p.exact_rows,
                        tags: &tags,
                        float_rows: &p.rows,
                        ball: &p.ball,
                    };
                    let (certified, record) = cert
                        .certifier
                        .certify(&piece, (ea, ec), (&a_hat, c_hat), decision, probe.as_ref())
                        .map_err(|NoInterior| WalkError::ExactInconsistency {
                            pattern: cell.pattern.to_string(),
                            neuron: Some((layer, i)),
                        })?;
                    decision = certified;
                    records.push(record);
                }
                let on_throughout = matches!(decision, Decision::AllOn(_));
                match decision {
                    Decision::AllOn(ball) | Decision::AllOff(ball) => {
                        let on = on_throughout;
                        if let Some(b) = ball {
                            p.ball = b;
                        }
                        p.bits.push(on);
                        next.push(p);
                    }
                    Decision::Cut { off, on } => {
                        let mut off_piece = Piece {
                            rows: p.rows.clone(),
                            sources: p.sources.clone(),
                            ball: off,
                            bits: p.bits.clone(),
                            exact_rows: p.exact_rows.clone(),
                        };
                        off_piece.rows.push(HalfSpace {
                            a: a_hat.clone(),
                            b: -c_hat,
                        });
                        off_piece.sources.push(RowSource::Neuron {
                            layer,
                            index: i,
                            on: false,
                        });
                        off_piece.bits.push(false);
                        p.rows.push(HalfSpace {
                            a: a_hat.iter().map(|v| -v).collect(),
                            b: c_hat,
                        });
                        p.sources.push(RowSource::Neuron {
                            layer,
                            index: i,
                            on: true,
                        });
                        if let Some((ea, ec)) = &exact_row {
                            off_piece.exact_rows.push(ExactHalf::side(ea, ec, false));
                            p.exact_rows.push(ExactHalf::side(ea, ec, true));
                        }
                        p.ball = on;
                        p.bits.push(true);
                        next.push(off_piece);
                        next.push(p);
                    }
                }
            }
            if exact_row.is_some() {
                tests.push(records);
            }
            pieces = next;
        }
        let mut pending = cell.pending;
        if self.certification.is_some() {
            pending.push(SplitRecord {
                layer,
                pattern: cell.pattern.clone(),
                tests,
            });
        }
        let mut pending = Some(pending);
        Ok(pieces
            .into_iter()
            .map(|p| {
                let mut map = z.clone();
                map.mask_rows(&p.bits);
                let exact = exact_z.as_ref().map(|ez| {
                    let mut m = ez.clone();
                    m.mask_rows(&p.bits);
                    ExactCell {
                        map: m,
                        rows: p.exact_rows,
                    }
                });
                let mut pattern = cell.pattern.clone();
                pattern.push_layer(p.bits);
                Cell {
                    layer: layer + 1,
                    rows: p.rows,
                    sources: p.sources,
                    ball: p.ball,
                    bbox: cell.bbox.clone(),
                    pattern,
                    map,
                    exact,
                    pending: pending.take().unwrap_or_default(),
                }
            })
            .collect())
    }
}

/// The certificate's name of a row.
fn tag_of(source: &RowSource) -> RowTag {
    match *source {
        RowSource::Domain(i) => RowTag::Domain(i),
        RowSource::Neuron { layer, index, .. } => RowTag::Neuron { layer, index },
    }
}
