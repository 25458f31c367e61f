//! Uniform random points in a bounded domain, reproducible from a seed.
//!
//! - A **box** is sampled directly, one coordinate at a time; a fixed
//!   coordinate (`lo == hi`) keeps its value, so the points are uniform in the
//!   slice.
//! - A bounded **polytope** is sampled by rejection from its bounding box
//!   (`2d` LPs, widened by [`BBOX_MARGIN_RELATIVE`]): a point uniform in the
//!   box that satisfies every row is uniform in the polytope, exactly.
//! - The **whole space** and unbounded polytopes have no uniform
//!   distribution: an error asks for a box.
//!
//! The generator is ChaCha12 from `rand_chacha`, seeded by
//! `seed_from_u64(seed)`. Its output stream is fixed by the algorithm (rand's
//! `StdRng` is documented as free to change algorithm between versions), so
//! a seed gives the same points bit for bit on any machine. A uniform number
//! in `[0, 1)` is the top 53 bits of one 64-bit output times `2^-53`; a
//! coordinate is `lo + u (hi − lo)`, drawn again in the rare case that
//! rounding puts it on an end, so every point is strictly inside the domain.
//!
//! # Complexity
//! A box: `d` generator outputs per point. A polytope: that times the
//! expected `1 / acceptance` proposals, each checked against every row.

use crate::domain::half_space::HalfSpace;
use crate::domain::input_domain::Domain;
use crate::lp::LpEngine;
use crate::model::affine::dot;
use crate::sample::error::{SampleError, SampleInputError};
use crate::walk::space::{bounding_box, BoxOutcome};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha12Rng;

/// The LP bounding box of a polytope is widened by this fraction of its
/// size on every side before sampling from it.
///
/// Why `1e-6`: the LP optimum of each side is found to about `1e-9` of the
/// problem's scale (microlp's tolerances), and could fall short of the true
/// extent by that much, which would leave a sliver of the polytope never
/// sampled. `1e-6` is a thousand times that; it costs only about
/// `2d · 1e-6` of the acceptance rate.
pub const BBOX_MARGIN_RELATIVE: f64 = 1e-6;

/// Rejection sampling gives up after this many proposals in a row without
/// an accepted point.
///
/// Why `10^7`: a polytope that fills `1e-7` of its bounding box would need
/// that many proposals per point on average, and some seconds each; such a
/// domain wants a better sampler (hit-and-run), which this one is not.
pub const MAX_CONSECUTIVE_REJECTIONS: u64 = 10_000_000;

/// The generator stream of the sampled points; other streams of the same
/// seed serve the Monte Carlo volumes (see `volume.rs`).
pub(crate) const POINT_STREAM: u64 = 0;

/// How points are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SamplingMethod {
    /// Uniform in a box, coordinate by coordinate.
    UniformBox,
    /// Uniform in the polytope's bounding box, kept when inside the polytope.
    RejectionFromBoundingBox,
}

/// A seeded source of uniform points in a bounded domain.
pub struct UniformSampler {
    /// Per input coordinate, the interval sampled (`lo == hi` is fixed).
    intervals: Vec<(f64, f64)>,
    /// Rows a point must satisfy strictly (a polytope's; none for a box).
    rows: Vec<HalfSpace>,
    method: SamplingMethod,
    rng: ChaCha12Rng,
    proposals: u64,
}

/// The generator for `stream` of `seed`.
pub(crate) fn seeded_rng(seed: u64, stream: u64) -> ChaCha12Rng {
    let mut rng = ChaCha12Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// A uniform number strictly between `lo` and `hi` (`lo < hi`).
pub(crate) fn uniform_in(rng: &mut ChaCha12Rng, lo: f64, hi: f64) -> f64 {
    loop {
        let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let x = lo + u * (hi - lo);
        if lo < x && x < hi {
            return x;
        }
    }
}

/// `[lo, hi]` widened by [`BBOX_MARGIN_RELATIVE`] of its size on each side.
pub(crate) fn widen(lo: f64, hi: f64) -> (f64, f64) {
    let m = BBOX_MARGIN_RELATIVE * (hi - lo).max(lo.abs()).max(hi.abs());
    (lo - m, hi + m)
}

impl UniformSampler {
    /// A sampler of `domain` seeded with `seed`; `engine` finds a polytope's
    /// bounding box.
    pub fn new(domain: &Domain, seed: u64, engine: &dyn LpEngine) -> Result<Self, SampleError> {
        let (intervals, rows, method) = match domain {
            Domain::Box(v) => (v.clone(), Vec::new(), SamplingMethod::UniformBox),
            // Uniform in the window, in the slice's own coordinates.
            Domain::Affine(s) => (s.window().to_vec(), Vec::new(), SamplingMethod::UniformBox),
            Domain::Whole(d) => {
                return Err(SampleInputError::Unbounded {
                    what: format!("the whole space R^{d}"),
                    hint: String::new(),
                }
                .into())
            }
            Domain::Polytope { .. } => {
                let rows = domain.rows();
                match bounding_box(engine, domain.dim(), &rows)? {
                    BoxOutcome::Bounded(b) => (
                        b.into_iter().map(|(lo, hi)| widen(lo, hi)).collect(),
                        rows,
                        SamplingMethod::RejectionFromBoundingBox,
                    ),
                    BoxOutcome::Unbounded => {
                        return Err(SampleInputError::Unbounded {
                            what: "the polytope".into(),
                            hint: String::new(),
                        }
                        .into())
                    }
                    BoxOutcome::Empty => {
                        return Err(SampleInputError::RejectionStalled { proposals: 0 }.into())
                    }
                }
            }
        };
        Ok(UniformSampler {
            intervals,
            rows,
            method,
            rng: seeded_rng(seed, POINT_STREAM),
            proposals: 0,
        })
    }

    /// How the points are drawn.
    pub fn method(&self) -> SamplingMethod {
        self.method
    }

    /// The box the points are drawn from (the domain itself, or the
    /// polytope's widened bounding box).
    pub fn proposal_box(&self) -> &[(f64, f64)] {
        &self.intervals
    }

    /// Points proposed so far (equal to the points drawn for a box).
    pub fn proposals(&self) -> u64 {
        self.proposals
    }

    /// The next point.
    pub fn next_point(&mut self) -> Result<Vec<f64>, SampleInputError> {
        let mut rejected = 0u64;
        loop {
            self.proposals += 1;
            let x: Vec<f64> = self
                .intervals
                .iter()
                .map(|&(lo, hi)| {
                    if lo == hi {
                        lo
                    } else {
                        uniform_in(&mut self.rng, lo, hi)
                    }
                })
                .collect();
            if self.rows.iter().all(|r| dot(&r.a, &x) < r.b) {
                return Ok(x);
            }
            rejected += 1;
            if rejected >= MAX_CONSECUTIVE_REJECTIONS {
                return Err(SampleInputError::RejectionStalled {
                    proposals: rejected,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::GoodLpMicrolp;

    #[test]
    fn a_box_keeps_fixed_coordinates_and_stays_inside() {
        let domain = Domain::new_box(vec![(-1.0, 1.0), (0.5, 0.5), (2.0, 3.0)], 3).unwrap();
        let mut s = UniformSampler::new(&domain, 7, &GoodLpMicrolp).unwrap();
        for _ in 0..1000 {
            let x = s.next_point().unwrap();
            assert!(-1.0 < x[0] && x[0] < 1.0);
            assert_eq!(x[1], 0.5);
            assert!(2.0 < x[2] && x[2] < 3.0);
        }
        assert_eq!(s.proposals(), 1000);
    }

    #[test]
    fn the_same_seed_gives_the_same_points() {
        let domain = Domain::new_box(vec![(0.0, 1.0); 2], 2).unwrap();
        let draw = |seed| {
            let mut s = UniformSampler::new(&domain, seed, &GoodLpMicrolp).unwrap();
            (0..50).map(|_| s.next_point().unwrap()).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
    }

    #[test]
    fn a_triangle_is_sampled_by_rejection() {
        // x ≥ 0, y ≥ 0, x + y ≤ 1: half of its bounding box [0, 1]².
        let domain = Domain::Polytope {
            a: vec![vec![-1.0, 0.0], vec![0.0, -1.0], vec![1.0, 1.0]],
            b: vec![0.0, 0.0, 1.0],
        };
        let mut s = UniformSampler::new(&domain, 1, &GoodLpMicrolp).unwrap();
        assert_eq!(s.method(), SamplingMethod::RejectionFromBoundingBox);
        let n = 4000;
        for _ in 0..n {
            let x = s.next_point().unwrap();
            assert!(x[0] > 0.0 && x[1] > 0.0 && x[0] + x[1] < 1.0);
        }
        // Acceptance 1/2: proposals ~ 2n, with standard deviation
        // sqrt(n · (1 − 1/2) / (1/2)²) = sqrt(2n) ≈ 89; allow 6 of them.
        let p = s.proposals() as f64;
        assert!(
            (p - 2.0 * n as f64).abs() < 6.0 * (2.0 * n as f64).sqrt(),
            "{p}"
        );
    }

    #[test]
    fn unbounded_domains_ask_for_a_box() {
        let e = UniformSampler::new(&Domain::Whole(2), 0, &GoodLpMicrolp)
            .err()
            .unwrap();
        assert!(e.to_string().contains("--box"), "{e}");
        let half_plane = Domain::Polytope {
            a: vec![vec![1.0, 0.0]],
            b: vec![0.0],
        };
        let e = UniformSampler::new(&half_plane, 0, &GoodLpMicrolp)
            .err()
            .unwrap();
        assert!(e.to_string().contains("not bounded"), "{e}");
    }
}
