//! One sampling run, as `regionwalk sample` does it: draw (or read) the
//! points and tally their patterns; get the exact regions (walk them here,
//! or read a region file) and their volumes; and assemble the report with
//! the comparison (docs/design.md §5).

use crate::domain::input_domain::Domain;
use crate::lp::LpEngine;
use crate::model::affine::dot;
use crate::model::network::Network;
use crate::sample::discovery::Discovery;
use crate::sample::error::{PointOrigin, SampleError, SampleInputError};
use crate::sample::points_file::read_points;
use crate::sample::region_reader::{read_region_file, RegionRecord};
use crate::sample::report::{
    build_report, ExactRegions, PointsReport, SampleReport, Timings, WalkRun,
};
use crate::sample::uniform_sampler::UniformSampler;
use crate::sample::volume::region_volumes_controlled;
use crate::walk::control::RunControl;
use crate::walk::region_report::walk_reports;
use crate::walk::space::WorkSpace;
use std::path::PathBuf;
use std::time::Instant;

/// Points are drawn and their patterns computed this many at a time.
///
/// Why `2^16`: large enough that the parallel pattern computation of a
/// batch keeps every thread busy, small enough that a batch of points in a
/// few hundred dimensions stays within tens of megabytes.
pub const BATCH: usize = 1 << 16;

/// Where the points come from.
#[derive(Debug, Clone, PartialEq)]
pub enum PointSource {
    /// `samples` points uniform in the domain.
    Uniform {
        /// How many.
        samples: u64,
    },
    /// Points read from a CSV or `.npy` file.
    File(PathBuf),
}

/// Where the exact regions come from, if anywhere.
#[derive(Debug, Clone, PartialEq)]
pub enum ExactSource {
    /// No comparison.
    None,
    /// Walk the network here.
    Walk,
    /// A region file written by `enumerate`.
    File(PathBuf),
}

/// The options of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleOptions {
    /// The points.
    pub points: PointSource,
    /// The exact regions.
    pub exact: ExactSource,
    /// Seeds the points when drawn, and the Monte Carlo volumes.
    pub seed: u64,
}

/// Runs a sampling of `network` on `domain` (walked in `space`, with LPs
/// by `engine`).
pub fn run_sample(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    options: &SampleOptions,
) -> Result<SampleReport, SampleError> {
    run_sample_controlled(network, domain, space, engine, options, None)
        .map(|report| report.expect("a run without a control runs to its end"))
}

/// As [`run_sample`], under `control`'s stop flag: checked between batches
/// of points, by the exact walk, and before the volumes; `None` when the
/// run stopped early.
pub fn run_sample_controlled(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    options: &SampleOptions,
    control: Option<&'static RunControl>,
) -> Result<Option<SampleReport>, SampleError> {
    let stopped = || control.is_some_and(RunControl::interrupted);
    let start = Instant::now();
    let mut discovery = Discovery::new(network);
    let source = match &options.points {
        PointSource::Uniform { samples } => {
            if *samples == 0 {
                return Err(SampleInputError::NoSamples.into());
            }
            let mut sampler = UniformSampler::new(domain, options.seed, engine)?;
            let mut drawn = 0u64;
            while drawn < *samples {
                if stopped() {
                    return Ok(None);
                }
                let count = (*samples - drawn).min(BATCH as u64);
                // On a plane the sampler draws slice points: the network
                // reads them as input points (rounded).
                let batch = (0..count)
                    .map(|_| {
                        sampler
                            .next_point()
                            .map(|z| space.slice.domain_to_input(&z))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let origins: Vec<PointOrigin> = (1..=count)
                    .map(|i| PointOrigin::Sample(drawn + i))
                    .collect();
                discovery.add_points(network, &batch, &origins);
                drawn += count;
            }
            PointsReport::Uniform {
                method: sampler.method(),
                rng: "ChaCha12",
                proposals: sampler.proposals(),
                acceptance: *samples as f64 / sampler.proposals() as f64,
            }
        }
        PointSource::File(path) => {
            let file = read_points(path, network.input_dim())?;
            if space.bbox.is_none() {
                return Err(unbounded_with_data_hint(domain, &file.points).into());
            }
            let rows = domain.rows();
            let inside = |x: &[f64]| match domain {
                Domain::Box(v) => v.iter().zip(x).all(|(&(lo, hi), &xi)| lo <= xi && xi <= hi),
                // Data points are input points; a plane or segment holds
                // almost none exactly, so all count as outside.
                Domain::Affine(_) => false,
                _ => rows.iter().all(|r| dot(&r.a, x) <= r.b),
            };
            let (mut kept, mut origins) = (Vec::new(), Vec::new());
            for (x, &o) in file.points.iter().zip(&file.origins) {
                if inside(x) {
                    kept.push(x.clone());
                    origins.push(o);
                }
            }
            for (batch, origin) in kept.chunks(BATCH).zip(origins.chunks(BATCH)) {
                if stopped() {
                    return Ok(None);
                }
                discovery.add_points(network, batch, origin);
            }
            PointsReport::File {
                path: path.display().to_string(),
                format: file.format,
                rows: file.points.len() as u64,
                outside_domain: (file.points.len() - kept.len()) as u64,
            }
        }
    };
    let mut seconds = Timings {
        sampling: start.elapsed().as_secs_f64(),
        ..Timings::default()
    };
    let start = Instant::now();
    let (regions, walk, region_source) = match &options.exact {
        ExactSource::None => (None, None, String::new()),
        ExactSource::Walk => {
            let (regions, walk) = walk_regions(network, domain, space, engine, control)?;
            if walk.stats.stopped.is_some() {
                return Ok(None);
            }
            (Some(regions), Some(walk), "walk".to_string())
        }
        ExactSource::File(path) => (
            Some(read_region_file(path, network, domain)?),
            None,
            path.display().to_string(),
        ),
    };
    seconds.regions = start.elapsed().as_secs_f64();
    if stopped() {
        return Ok(None);
    }
    let start = Instant::now();
    let volumes = match &regions {
        Some(r) => {
            match region_volumes_controlled(domain, space, r, engine, options.seed, control)? {
                Some(volumes) => Some(volumes),
                None => return Ok(None),
            }
        }
        None => None,
    };
    seconds.volumes = start.elapsed().as_secs_f64();
    let exact = regions
        .as_deref()
        .zip(volumes)
        .map(|(regions, volumes)| ExactRegions {
            regions,
            volumes,
            source: region_source,
            walk,
        });
    Ok(Some(build_report(
        source,
        options.seed,
        // Linear neurons (slope 1) are always 1: they add no codes.
        network.kinked_widths().iter().sum(),
        &discovery,
        exact,
        seconds,
    )?))
}

/// Enumerates every region (with its Chebyshev ball, as `enumerate` does).
fn walk_regions(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    control: Option<&'static RunControl>,
) -> Result<(Vec<RegionRecord>, WalkRun), SampleError> {
    let start = Instant::now();
    let mut regions = Vec::new();
    let stats = walk_reports(network, domain, space, engine, control, |report| {
        regions.push(RegionRecord::from(&report))
    })?;
    Ok((
        regions,
        WalkRun {
            seconds: start.elapsed().as_secs_f64(),
            stats,
        },
    ))
}

/// The error for data on an unbounded domain, suggesting the data's
/// bounding box.
fn unbounded_with_data_hint(domain: &Domain, points: &[Vec<f64>]) -> SampleInputError {
    let d = points[0].len();
    let spec: Vec<String> = (0..d)
        .map(|j| {
            let lo = points.iter().map(|p| p[j]).fold(f64::INFINITY, f64::min);
            let hi = points
                .iter()
                .map(|p| p[j])
                .fold(f64::NEG_INFINITY, f64::max);
            format!("{lo}:{hi}")
        })
        .collect();
    SampleInputError::Unbounded {
        what: match domain {
            Domain::Whole(d) => format!("the whole space R^{d}"),
            _ => "the polytope".into(),
        },
        hint: format!(" (the data's bounding box is --box={})", spec.join(",")),
    }
}
