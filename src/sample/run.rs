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
use crate::sample::region_tally::RegionTally;
use crate::sample::report::{
    build_report, ExactRegions, PointsReport, SampleReport, Timings, WalkRun,
};
use crate::sample::uniform_sampler::UniformSampler;
use crate::sample::volume::VolumeMeter;
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

/// Exact regions are measured this many at a time, as they come.
///
/// Why `2^12`: enough regions to keep every thread busy measuring a batch
/// in parallel, and few enough that a batch of records (a few KB each: the
/// rows of a region) stays within tens of megabytes.
pub const VOLUME_BATCH: usize = 1 << 12;

/// Regions measured at a time in a run that can be stopped
/// ([`run_sample_controlled`] with a control): a stop waits for the batch
/// being measured, and 64 exact areas take about half a second on two
/// threads at the ~15 ms a region measured on a random [100, 100]
/// network; the results do not depend on the batch size.
pub const STOPPABLE_VOLUME_BATCH: usize = 64;

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
/// of points and by the exact walk (whose regions are measured a batch at
/// a time as they come); `None` when the run stopped early.
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
    let new_stream = || {
        RegionStream::new(
            domain,
            space,
            engine,
            options.seed,
            &discovery,
            if control.is_some() {
                STOPPABLE_VOLUME_BATCH
            } else {
                VOLUME_BATCH
            },
        )
    };
    let exact = match &options.exact {
        ExactSource::None => None,
        ExactSource::Walk => {
            let mut stream = new_stream()?;
            let stats = walk_reports(network, domain, space, engine, control, |report| {
                stream.push(RegionRecord::from(&report))
            })?;
            if stats.stopped.is_some() {
                return Ok(None);
            }
            let walk = WalkRun {
                seconds: start.elapsed().as_secs_f64() - stream.volume_seconds,
                stats,
            };
            Some(stream.finish("walk".into(), Some(walk))?)
        }
        ExactSource::File(path) => {
            let records = read_region_file(path, network, domain)?;
            let mut stream = new_stream()?;
            for r in records {
                if stopped() {
                    return Ok(None);
                }
                stream.push(r);
            }
            Some(stream.finish(path.display().to_string(), None)?)
        }
    };
    let volume_seconds = exact.as_ref().map_or(0.0, |(_, s)| *s);
    seconds.regions = start.elapsed().as_secs_f64() - volume_seconds;
    seconds.volumes = volume_seconds;
    Ok(Some(build_report(
        source,
        options.seed,
        // Linear neurons (slope 1) are always 1: they add no codes.
        network.kinked_widths().iter().sum(),
        &discovery,
        exact.map(|(e, _)| e),
        seconds,
    )?))
}

/// Regions measured a batch at a time as they come and tallied against
/// the sample, so that a batch of records is the most held at once.
struct RegionStream<'s> {
    meter: VolumeMeter<'s>,
    tally: RegionTally,
    batch: Vec<RegionRecord>,
    /// Regions measured at a time.
    batch_size: usize,
    /// The first error measuring a batch; later regions are dropped.
    error: Option<SampleError>,
    /// Time spent measuring volumes.
    volume_seconds: f64,
}

impl<'s> RegionStream<'s> {
    fn new(
        domain: &Domain,
        space: &'s WorkSpace,
        engine: &'s dyn LpEngine,
        seed: u64,
        discovery: &Discovery,
        batch_size: usize,
    ) -> Result<Self, SampleError> {
        Ok(RegionStream {
            meter: VolumeMeter::new(domain, space, engine, seed)?,
            tally: RegionTally::new(&discovery.patterns()),
            batch: Vec::new(),
            batch_size,
            error: None,
            volume_seconds: 0.0,
        })
    }

    fn push(&mut self, region: RegionRecord) {
        if self.error.is_none() {
            self.batch.push(region);
            if self.batch.len() >= self.batch_size {
                self.flush();
            }
        }
    }

    fn flush(&mut self) {
        let start = Instant::now();
        match self.meter.measure(&self.batch) {
            Ok(volumes) => {
                for (region, volume) in self.batch.iter().zip(volumes) {
                    self.tally.add(region, volume);
                }
            }
            Err(e) => self.error = Some(e),
        }
        self.batch.clear();
        self.volume_seconds += start.elapsed().as_secs_f64();
    }

    /// The regions for the report, with the time spent on volumes.
    fn finish(
        mut self,
        source: String,
        walk: Option<WalkRun>,
    ) -> Result<(ExactRegions, f64), SampleError> {
        if self.error.is_none() && !self.batch.is_empty() {
            self.flush();
        }
        if let Some(e) = self.error {
            return Err(e);
        }
        let exact = ExactRegions {
            volumes: self.meter.totals(),
            tally: self.tally,
            source,
            walk,
        };
        Ok((exact, self.volume_seconds))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::GoodLpMicrolp;
    use crate::model::json::parse_json_model;

    #[test]
    fn regions_measured_in_batches_tally_as_when_measured_at_once() {
        let net = parse_json_model(
            include_str!("../../fixtures/net2d_16x16.json"),
            "net2d_16x16.json".as_ref(),
        )
        .unwrap();
        let domain = Domain::new_box(vec![(-1.0, 1.0); 2], 2).unwrap();
        let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
        // A 9×9 grid of points, so that some regions are hit and most not.
        let points: Vec<Vec<f64>> = (0..81)
            .map(|i| vec![(i % 9) as f64 / 4.5 - 0.9, (i / 9) as f64 / 4.5 - 0.9])
            .collect();
        let origins: Vec<PointOrigin> = (1..=81).map(PointOrigin::Sample).collect();
        let mut discovery = Discovery::new(&net);
        discovery.add_points(&net, &points, &origins);
        let mut records = Vec::new();
        walk_reports(&net, &domain, &space, &GoodLpMicrolp, None, |r| {
            records.push(RegionRecord::from(&r))
        })
        .unwrap();
        let tally = |batch| {
            let mut stream =
                RegionStream::new(&domain, &space, &GoodLpMicrolp, 0, &discovery, batch).unwrap();
            for r in &records {
                stream.push(r.clone());
            }
            let (exact, _) = stream.finish(String::new(), None).unwrap();
            (exact.tally, exact.volumes)
        };
        let (whole, volumes) = tally(usize::MAX);
        // The regions tile the square, so their fractions sum to exactly 1.
        assert_eq!(volumes.fraction_sum_exact.as_deref(), Some("1"));
        assert_eq!(whole.regions(), records.len() as u64);
        let (missed, hit) = {
            let (_, m, h) = whole.clone().into_parts();
            (m.len(), h.len())
        };
        assert!(missed > 0 && hit > 0, "{missed} missed, {hit} hit");
        assert_eq!(missed + hit, records.len());
        for batch in [1, 7, 100] {
            assert_eq!(
                tally(batch),
                (whole.clone(), volumes.clone()),
                "batch {batch}"
            );
        }
    }
}
