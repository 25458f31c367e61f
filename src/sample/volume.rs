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
use crate::walk::control::RunControl;
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
    /// One per region, in the order given.
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
    region_volumes_controlled(domain, space, regions, engine, seed, None)
        .map(|volumes| volumes.expect("a run without a control runs to its end"))
}

/// As [`region_volumes`], looking at `control`'s stop flag before each
/// region: `None` when it was raised.
pub(crate) fn region_volumes_controlled(
    domain: &Domain,
    space: &WorkSpace,
    regions: &[RegionRecord],
    engine: &dyn LpEngine,
    seed: u64,
    control: Option<&RunControl>,
) -> Result<Option<Volumes>, SampleError> {
    let stopped = || control.is_some_and(RunControl::interrupted);
    if matches!(domain, Domain::Whole(_)) || space.bbox.is_none() {
        return Err(SampleInputError::Unbounded {
            what: "the domain".into(),
            hint: String::new(),
        }
        .into());
    }
    let volumes = if space.dim() <= 2 {
        exact_volumes(domain, space, regions, engine, &stopped)?
    } else {
        monte_carlo_volumes(domain, space, regions, engine, seed, &stopped)?
    };
    // Once stopped, the regions left were given dummy volumes: drop them.
    Ok(Some(volumes).filter(|_| !stopped()))
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

fn exact_volumes(
    domain: &Domain,
    space: &WorkSpace,
    regions: &[RegionRecord],
    engine: &dyn LpEngine,
    stopped: &(impl Fn() -> bool + Sync),
) -> Result<Volumes, SampleError> {
    let start = domain_polytope(domain, &space.slice, engine)?;
    let total = measure(&start);
    let measures: Vec<Q> = regions
        .par_iter()
        .map(|r| {
            if stopped() {
                return Q::zero();
            }
            let rows: Vec<HalfSpace> = r.constraints.iter().map(input_row).collect();
            let rows = exact_rows(&space.slice, rows.iter());
            let shape = rows.iter().fold(start.clone(), clip);
            measure(&shape)
        })
        .collect();
    let mut sum = Q::zero();
    let volumes = measures
        .into_iter()
        .map(|m| {
            let fraction = &m / &total;
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
    Ok(Volumes {
        method: VolumeMethod::Exact,
        free_dim: space.dim(),
        domain_volume: to_f64(&total),
        domain_volume_exact: Some(rational_string(&total)),
        fraction_sum: to_f64(&sum),
        fraction_sum_exact: Some(rational_string(&sum)),
        seed: None,
        regions: volumes,
    })
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

fn monte_carlo_volumes(
    domain: &Domain,
    space: &WorkSpace,
    regions: &[RegionRecord],
    engine: &dyn LpEngine,
    seed: u64,
    stopped: &(impl Fn() -> bool + Sync),
) -> Result<Volumes, SampleError> {
    let k = space.dim();
    let unit: f64 = space.slice.scale().iter().product();
    let domain_t = match domain {
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
    };
    let estimates: Vec<McEstimate> = regions
        .par_iter()
        .map(|r| {
            if stopped() {
                return Ok(McEstimate::default());
            }
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
    let volumes: Vec<Volume> = estimates
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
        .collect();
    Ok(Volumes {
        method: VolumeMethod::MonteCarlo,
        free_dim: k,
        domain_volume: domain_t * unit,
        domain_volume_exact: None,
        fraction_sum: volumes.iter().map(|v| v.fraction).sum(),
        fraction_sum_exact: None,
        seed: Some(seed),
        regions: volumes,
    })
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
