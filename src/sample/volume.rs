//! The volume of every region and its fraction `p_r` of the domain
//! (docs/design.md §5), measured in the free coordinates (within the slice when a
//! box fixes some).
//!
//! - **Exact, in 1-D and 2-D.** A region is `{x : a·x < b}` for its rows as
//!   written (`f64`, so exactly dyadic rationals). In 1-D the rows cut the
//!   domain's interval to the region's; in 2-D the domain's polygon is
//!   clipped by each row's half-plane (Sutherland–Hodgman, one half-plane at
//!   a time: the intersection of a convex polygon with a half-plane is
//!   convex), all in `BigRational`, and the area is the shoelace sum. The
//!   result is the exact measure of the region the rows define. Fixed box
//!   coordinates are substituted exactly.
//! - **Monte Carlo, from 3-D up.** Each region, in the walk's working
//!   coordinates (where the domain is about `[-1, 1]^k`), is measured by
//!   `mc_volume.rs`: rounded by a short hit-and-run walk from its witness,
//!   enclosed in its bounding box in that frame, and sampled by rejection,
//!   with a 95% Wilson interval. The points are a separate seeded sample
//!   (generator stream `1 + id` of the run's seed), not the sample being
//!   judged, so the expected curve does not lean on the observed one; and
//!   since each region is sampled within its own box, a region of volume
//!   `1e-12` is estimated to the same relative accuracy as a large one.
//!
//! # Complexity
//! Exact: one clip per row per region, in rationals whose size grows with
//! the depth of the network. Monte Carlo: see `mc_volume.rs`; a few
//! thousand row tests and `2k` LPs per region.

use crate::domain::half_space::HalfSpace;
use crate::domain::input_domain::Domain;
use crate::exact::dyadic::{rational_from_f64, Dyadic};
use crate::exact::slice::{unit_row, Slice};
use crate::lp::LpEngine;
use crate::sample::error::{SampleError, SampleInputError};
use crate::sample::mc_volume::{mc_volume, McEstimate, MC_MAX_POINTS, MC_TARGET_HITS};
use crate::sample::region_reader::{RecordConstraint, RegionRecord};
use crate::sample::uniform_sampler::seeded_rng;
use crate::walk::space::{bounding_box, BoxOutcome, WorkSpace};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use rayon::prelude::*;
use serde::Serialize;

type Q = BigRational;

/// How a volume was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VolumeMethod {
    /// Exactly, in rationals (1-D and 2-D).
    Exact,
    /// Estimated by Monte Carlo, with a 95% interval.
    MonteCarlo,
}

/// The volume of one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volume {
    /// How it was found.
    pub method: VolumeMethod,
    /// The volume in input units of the free coordinates (length, area, …).
    pub value: f64,
    /// Exact methods: the volume as a rational `p/q`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// The fraction of the domain's volume (`p_r`).
    pub fraction: f64,
    /// Exact methods: the fraction as a rational.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction_exact: Option<String>,
    /// Monte Carlo: the 95% Wilson interval of the fraction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction_ci95: Option<[f64; 2]>,
    /// Monte Carlo: points drawn in the region's bounding box (pilot excluded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mc_points: Option<u64>,
    /// Monte Carlo: how many of them fell in the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mc_hits: Option<u64>,
}

/// The volumes of all regions of a domain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volumes {
    /// How they were found.
    pub method: VolumeMethod,
    /// The dimension they are measured in (free coordinates).
    pub free_dim: usize,
    /// The domain's volume in input units of the free coordinates (a Monte
    /// Carlo estimate for a polytope from 3-D up).
    pub domain_volume: f64,
    /// Exact methods: the domain's volume as a rational.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_volume_exact: Option<String>,
    /// `Σ_r p_r`: 1 when the regions tile the domain (exactly 1 for the
    /// exact methods, up to the estimates' errors for Monte Carlo).
    pub fraction_sum: f64,
    /// Exact methods: `Σ_r p_r` as a rational.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction_sum_exact: Option<String>,
    /// Monte Carlo: the seed of the volume samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// One per region, in the order given, from [`region_volumes`]; empty
    /// in the totals of a [`VolumeMeter`], which measures regions as they
    /// stream by and keeps none.
    #[serde(skip)]
    pub regions: Vec<Volume>,
}

/// The volumes of `regions` (all the regions of `domain`, walked in
/// `space`): exact up to 2 free dimensions, Monte Carlo with `seed` above.
pub fn region_volumes(
    domain: &Domain,
    space: &WorkSpace,
    regions: &[RegionRecord],
    engine: &dyn LpEngine,
    seed: u64,
) -> Result<Volumes, SampleError> {
    let mut meter = VolumeMeter::new(domain, space, engine, seed)?;
    let regions = meter.measure(regions)?;
    Ok(Volumes {
        regions,
        ..meter.totals()
    })
}

/// Measures the regions of a domain a batch at a time, as they stream from
/// a walk or a file, keeping only the totals: what [`region_volumes`] does
/// for a list held whole.
pub struct VolumeMeter<'s> {
    space: &'s WorkSpace,
    engine: &'s dyn LpEngine,
    seed: u64,
    method: Method,
    /// `Σ p_r` so far (exact methods).
    exact_sum: Q,
    /// `Σ p_r` so far (Monte Carlo).
    sum: f64,
}

/// What a meter measures against.
enum Method {
    /// The domain's interval or polygon, and its measure.
    Exact { start: Vec<Vec<Q>>, total: Q },
    /// The domain's volume in working coordinates, and the volume of one
    /// working unit in input units.
    MonteCarlo { domain_t: f64, unit: f64 },
}

impl<'s> VolumeMeter<'s> {
    /// A meter for the regions of `domain` walked in `space` (the domain's
    /// own volume is found here, by Monte Carlo with `seed` for a polytope
    /// from 3-D up).
    pub fn new(
        domain: &Domain,
        space: &'s WorkSpace,
        engine: &'s dyn LpEngine,
        seed: u64,
    ) -> Result<Self, SampleError> {
        if matches!(domain, Domain::Whole(_)) || space.bbox.is_none() {
            return Err(SampleInputError::Unbounded {
                what: "the domain".into(),
                hint: String::new(),
            }
            .into());
        }
        let method = if space.dim() <= 2 {
            let start = domain_polytope(domain, &space.slice, engine)?;
            let total = measure(&start);
            Method::Exact { start, total }
        } else {
            Method::MonteCarlo {
                domain_t: monte_carlo_domain(domain, space, engine, seed)?,
                unit: space.slice.scale().iter().product(),
            }
        };
        Ok(VolumeMeter {
            space,
            engine,
            seed,
            method,
            exact_sum: Q::zero(),
            sum: 0.0,
        })
    }

    /// The volumes of `regions`, in order (measured in parallel).
    pub fn measure(&mut self, regions: &[RegionRecord]) -> Result<Vec<Volume>, SampleError> {
        let volumes = match &self.method {
            Method::Exact { start, total } => {
                let (volumes, sum) = exact_volumes(self.space, start, total, regions);
                self.exact_sum += sum;
                volumes
            }
            &Method::MonteCarlo { domain_t, unit } => {
                monte_carlo_volumes(self.space, regions, self.engine, self.seed, domain_t, unit)?
            }
        };
        // One at a time, so that the sum does not depend on the batches.
        for v in &volumes {
            self.sum += v.fraction;
        }
        Ok(volumes)
    }

    /// The totals of the regions measured so far (`regions` left empty).
    pub fn totals(&self) -> Volumes {
        let (method, domain_volume, domain_volume_exact, fraction_sum, fraction_sum_exact, seed) =
            match &self.method {
                Method::Exact { total, .. } => (
                    VolumeMethod::Exact,
                    to_f64(total),
                    Some(rational_string(total)),
                    to_f64(&self.exact_sum),
                    Some(rational_string(&self.exact_sum)),
                    None,
                ),
                Method::MonteCarlo { domain_t, unit } => (
                    VolumeMethod::MonteCarlo,
                    domain_t * unit,
                    None,
                    self.sum,
                    None,
                    Some(self.seed),
                ),
            };
        Volumes {
            method,
            free_dim: self.space.dim(),
            domain_volume,
            domain_volume_exact,
            fraction_sum,
            fraction_sum_exact,
            seed,
            regions: Vec::new(),
        }
    }
}

fn rational_string(q: &Q) -> String {
    q.to_string()
}

fn to_f64(q: &Q) -> f64 {
    q.to_f64().unwrap_or(f64::NAN)
}

/// A row `a·t ≤ b` over the free coordinates, exactly.
struct ExactRow {
    a: Vec<Q>,
    b: Q,
}

/// Each row restricted to the slice's free coordinates, with fixed
/// coordinates substituted exactly.
fn exact_rows<'r>(slice: &Slice, rows: impl Iterator<Item = &'r HalfSpace>) -> Vec<ExactRow> {
    rows.map(|h| {
        let row = slice.exact_row(h);
        ExactRow {
            a: row.a.iter().map(Dyadic::to_rational).collect(),
            b: row.b.to_rational(),
        }
    })
    .collect()
}

/// Keeps the part of a convex polytope (an interval `[lo, hi]` in 1-D, a
/// polygon's vertices in order in 2-D) where `a·t ≤ b`.
fn clip(vertices: Vec<Vec<Q>>, row: &ExactRow) -> Vec<Vec<Q>> {
    if vertices.is_empty() {
        return vertices;
    }
    // slack ≥ 0 is kept.
    let slack = |p: &[Q]| -> Q {
        let mut s = row.b.clone();
        for (a, x) in row.a.iter().zip(p) {
            s -= a * x;
        }
        s
    };
    if row.a.iter().all(Zero::is_zero) {
        // A row of a fixed coordinate, or one the slice makes constant.
        return if row.b.is_negative() {
            Vec::new()
        } else {
            vertices
        };
    }
    if vertices[0].len() == 1 {
        let (mut lo, mut hi) = (vertices[0][0].clone(), vertices[1][0].clone());
        let end = &row.b / &row.a[0];
        if row.a[0].is_positive() {
            hi = hi.min(end);
        } else {
            lo = lo.max(end);
        }
        return if lo < hi {
            vec![vec![lo], vec![hi]]
        } else {
            Vec::new()
        };
    }
    let values: Vec<Q> = vertices.iter().map(|p| slack(p)).collect();
    let n = vertices.len();
    let mut out = Vec::with_capacity(n + 1);
    for j in 0..n {
        let k = (j + 1) % n;
        let (vj, vk) = (&values[j], &values[k]);
        if !vj.is_negative() {
            out.push(vertices[j].clone());
        }
        if (vj.is_positive() && vk.is_negative()) || (vj.is_negative() && vk.is_positive()) {
            let s = vj / (vj - vk);
            out.push(
                vertices[j]
                    .iter()
                    .zip(&vertices[k])
                    .map(|(p, q)| p + &s * (q - p))
                    .collect(),
            );
        }
    }
    out
}

/// The length of an interval or the area of a polygon (vertices in order,
/// either orientation).
fn measure(vertices: &[Vec<Q>]) -> Q {
    match vertices.first().map(Vec::len) {
        None => Q::zero(),
        Some(1) => &vertices[1][0] - &vertices[0][0],
        Some(_) => {
            let n = vertices.len();
            let twice: Q = (0..n)
                .map(|j| {
                    let (p, q) = (&vertices[j], &vertices[(j + 1) % n]);
                    &p[0] * &q[1] - &q[0] * &p[1]
                })
                .sum();
            twice.abs() / Q::from_integer(BigInt::from(2))
        }
    }
}

/// The domain as an interval or polygon in its free coordinates.
fn domain_polytope(
    domain: &Domain,
    slice: &Slice,
    engine: &dyn LpEngine,
) -> Result<Vec<Vec<Q>>, SampleError> {
    let ends: Vec<(f64, f64)> = match domain.window() {
        Some(v) => slice.free_part(v),
        None => {
            // A polytope: start from its bounding box widened by its own
            // size on every side (far beyond any LP error), then clip by
            // its rows exactly.
            match bounding_box(engine, domain.dim(), &domain.rows())? {
                BoxOutcome::Bounded(b) => b
                    .into_iter()
                    .map(|(lo, hi)| (lo - (hi - lo), hi + (hi - lo)))
                    .collect(),
                _ => {
                    return Err(SampleInputError::Unbounded {
                        what: "the polytope".into(),
                        hint: String::new(),
                    }
                    .into())
                }
            }
        }
    };
    let e: Vec<(Q, Q)> = ends
        .iter()
        .map(|&(l, h)| (rational_from_f64(l), rational_from_f64(h)))
        .collect();
    let mut shape = if e.len() == 1 {
        vec![vec![e[0].0.clone()], vec![e[0].1.clone()]]
    } else {
        vec![
            vec![e[0].0.clone(), e[1].0.clone()],
            vec![e[0].1.clone(), e[1].0.clone()],
            vec![e[0].1.clone(), e[1].1.clone()],
            vec![e[0].0.clone(), e[1].1.clone()],
        ]
    };
    if domain.window().is_none() {
        for row in exact_rows(slice, domain.rows().iter()) {
            shape = clip(shape, &row);
        }
    }
    Ok(shape)
}

/// The exact volumes of `regions` within the domain's interval or polygon
/// `start` of measure `total`, and the sum of their fractions.
fn exact_volumes(
    space: &WorkSpace,
    start: &[Vec<Q>],
    total: &Q,
    regions: &[RegionRecord],
) -> (Vec<Volume>, Q) {
    let measures: Vec<Q> = regions
        .par_iter()
        .map(|r| {
            let rows: Vec<HalfSpace> = r.constraints.iter().map(input_row).collect();
            let rows = exact_rows(&space.slice, rows.iter());
            let shape = rows.iter().fold(start.to_vec(), clip);
            measure(&shape)
        })
        .collect();
    let mut sum = Q::zero();
    let volumes = measures
        .into_iter()
        .map(|m| {
            let fraction = &m / total;
            sum += &fraction;
            Volume {
                method: VolumeMethod::Exact,
                value: to_f64(&m),
                exact: Some(rational_string(&m)),
                fraction: to_f64(&fraction),
                fraction_exact: Some(rational_string(&fraction)),
                fraction_ci95: None,
                mc_points: None,
                mc_hits: None,
            }
        })
        .collect();
    (volumes, sum)
}

/// A region's constraint as an input-space row.
fn input_row(c: &RecordConstraint) -> HalfSpace {
    HalfSpace {
        a: c.a.clone(),
        b: c.b,
    }
}

/// A region's rows in working coordinates, unit normals; rows that the
/// slice makes constant are left out.
fn working_rows(slice: &Slice, region: &RegionRecord) -> Vec<HalfSpace> {
    region
        .constraints
        .iter()
        .filter_map(|c| unit_row(slice.working_row(&input_row(c))))
        .collect()
}

/// The generator stream of the domain's own Monte Carlo volume (a polytope).
const DOMAIN_STREAM: u64 = u64::MAX;

/// Hits aimed at for a polytope domain's own volume, which divides every
/// region's: `1e6` gives a relative error near `1e-3`.
const DOMAIN_TARGET_HITS: u64 = 1_000_000;

/// The domain's volume in the working coordinates: the cube `[-1, 1]^k` for
/// a box or a slice, a Monte Carlo estimate for a polytope.
fn monte_carlo_domain(
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    seed: u64,
) -> Result<f64, SampleError> {
    let k = space.dim();
    Ok(match domain {
        // The working cube [-1, 1]^k.
        Domain::Box(_) | Domain::Affine(_) => 2f64.powi(k as i32),
        _ => {
            let rows: Vec<HalfSpace> = space.rows.iter().map(|r| r.half.clone()).collect();
            let mut rng = seeded_rng(seed, DOMAIN_STREAM);
            mc_volume(
                &rows,
                k,
                Some(&space.start.center),
                engine,
                &mut rng,
                DOMAIN_TARGET_HITS,
                4 * DOMAIN_TARGET_HITS,
            )?
            .volume
        }
    })
}

/// The Monte Carlo volumes of `regions`, as fractions of `domain_t` (the
/// domain's working volume); `unit` is a working unit's volume in input
/// units.
fn monte_carlo_volumes(
    space: &WorkSpace,
    regions: &[RegionRecord],
    engine: &dyn LpEngine,
    seed: u64,
    domain_t: f64,
    unit: f64,
) -> Result<Vec<Volume>, SampleError> {
    let k = space.dim();
    let estimates: Vec<McEstimate> = regions
        .par_iter()
        .map(|r| {
            let mut rng = seeded_rng(seed, r.id.wrapping_add(1));
            let start = space.slice.to_working(&r.witness);
            mc_volume(
                &working_rows(&space.slice, r),
                k,
                start.as_deref(),
                engine,
                &mut rng,
                MC_TARGET_HITS,
                MC_MAX_POINTS,
            )
        })
        .collect::<Result<_, _>>()?;
    Ok(estimates
        .into_iter()
        .map(|e| Volume {
            method: VolumeMethod::MonteCarlo,
            value: e.volume * unit,
            exact: None,
            fraction: e.volume / domain_t,
            fraction_exact: None,
            fraction_ci95: Some([e.ci95[0] / domain_t, e.ci95[1] / domain_t]),
            mc_points: Some(e.points),
            mc_hits: Some(e.hits),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Q {
        Q::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn clipping_a_square_by_a_diagonal_leaves_half() {
        let square = vec![
            vec![q(0, 1), q(0, 1)],
            vec![q(1, 1), q(0, 1)],
            vec![q(1, 1), q(1, 1)],
            vec![q(0, 1), q(1, 1)],
        ];
        // x + y ≤ 1.
        let row = ExactRow {
            a: vec![q(1, 1), q(1, 1)],
            b: q(1, 1),
        };
        assert_eq!(measure(&clip(square.clone(), &row)), q(1, 2));
        // x ≤ 1/3.
        let row = ExactRow {
            a: vec![q(1, 1), q(0, 1)],
            b: q(1, 3),
        };
        assert_eq!(measure(&clip(square, &row)), q(1, 3));
        // An interval: −2x ≤ −1 keeps [1/2, 1].
        let row = ExactRow {
            a: vec![q(-2, 1)],
            b: q(-1, 1),
        };
        assert_eq!(
            measure(&clip(vec![vec![q(0, 1)], vec![q(1, 1)]], &row)),
            q(1, 2)
        );
    }
}
