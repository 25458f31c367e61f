//! What `regionwalk sample` reports: the patterns a sample saw and, against
//! the exact regions, what it missed and what it should have been expected
//! to see (docs/design.md §5). The JSON fields are documented in `docs/sampling.md`;
//! `Display` writes the same report for people.

use crate::model::bounds::codes_bound;
use crate::sample::discovery::{expected_distinct, samples_for_expected, BoundaryPoint, Discovery};
use crate::sample::error::IncompleteEnumeration;
use crate::sample::points_file::PointsFormat;
use crate::sample::region_tally::RegionTally;
use crate::sample::uniform_sampler::SamplingMethod;
use crate::sample::volume::{Volume, Volumes};
use crate::walk::stats::WalkStats;
use serde::Serialize;
use std::fmt;
use std::io::{self, Write};

/// The coverage fractions whose sample sizes are reported (observed and
/// expected): the median region count, most, and nearly all.
pub const MILESTONES: [f64; 3] = [0.5, 0.9, 0.99];

/// How many regions are listed as the largest by data.
pub const TOP_BY_DATA: usize = 10;

/// Where the points came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PointsReport {
    /// Drawn uniformly in the domain.
    Uniform {
        /// How.
        method: SamplingMethod,
        /// The generator.
        rng: &'static str,
        /// Points proposed (more than drawn when rejection discards some).
        proposals: u64,
        /// Drawn over proposed.
        acceptance: f64,
    },
    /// Read from a file.
    File {
        /// The file.
        path: String,
        /// Its format.
        format: PointsFormat,
        /// Points in the file.
        rows: u64,
        /// Points outside the (closed) domain, left out of every count.
        outside_domain: u64,
    },
}

/// One point of the discovery curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Points so far.
    pub n: u64,
    /// Distinct patterns among them, `K(n)`.
    pub observed: u64,
    /// `E[K(n)]` for `n` uniform points, when the regions are known.
    pub expected: Option<f64>,
}

/// One pattern the sample saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatternReport {
    /// The pattern.
    pub pattern: String,
    /// Points with it.
    pub hits: u64,
    /// Position (from 1) of its first point.
    pub first_hit: u64,
    /// How many of its points lie on a neuron's hyperplane.
    pub boundary_hits: u64,
    /// The id of the region with this pattern, when the regions are known
    /// (`null` for a pattern seen only on boundaries that is no region).
    pub region: Option<u64>,
}

/// A region the sample did not hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedRegion {
    /// Its id.
    pub id: u64,
    /// Its pattern.
    pub pattern: String,
    /// Its Chebyshev radius (input units).
    pub radius: f64,
    /// Its volume and volume fraction.
    pub volume: Volume,
}

/// How many points it takes to find a share of the regions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    /// The share of the regions.
    pub fraction: f64,
    /// That many regions: `⌈fraction · R⌉`.
    pub regions: u64,
    /// The number of points after which this sample had found them, or
    /// `null` if it never did.
    pub observed_n: Option<u64>,
    /// The smallest `n` with `E[K(n)] ≥ regions`, or `null` if none below
    /// `2^63` (a region of estimated volume 0 can make it unreachable).
    pub expected_n: Option<u64>,
}

/// A region and the data points in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionData {
    /// Its id.
    pub id: u64,
    /// Its pattern.
    pub pattern: String,
    /// Data points with its pattern.
    pub points: u64,
    /// Its volume fraction of the domain.
    pub volume_fraction: f64,
}

/// The in-process walk, when `--exact` ran one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkRun {
    /// Wall time of the walk.
    pub seconds: f64,
    /// What it did.
    pub stats: WalkStats,
}

/// The comparison with the exact regions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// `R`, the number of regions.
    pub regions: u64,
    /// `"walk"` (enumerated in this run) or the region file read.
    pub regions_source: String,
    /// `K / R`.
    pub ratio: f64,
    /// Regions whose pattern some point showed.
    pub regions_found: u64,
    /// `regions_found / R`.
    pub found_fraction: f64,
    /// `E[K(N)]` for `N` uniform points.
    pub expected_distinct: f64,
    /// Regions no point hit.
    pub missed_count: u64,
    /// `Σ p_r` over the missed regions.
    pub missed_fraction: f64,
    /// Every missed region, by id.
    pub missed: Vec<MissedRegion>,
    /// Patterns seen only at points on a hyperplane that are no region:
    /// allowed (such a point's pattern may belong to no full-dimensional
    /// region), and listed.
    pub boundary_patterns_not_regions: Vec<String>,
    /// Sample sizes for [`MILESTONES`] of the regions.
    pub milestones: Vec<Milestone>,
    /// How the volumes were found, the domain's volume, and `Σ p_r`.
    pub volumes: Volumes,
    /// The walk, when this run enumerated the regions.
    pub walk: Option<WalkRun>,
    /// Data points only: regions holding at least one point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_regions: Option<u64>,
    /// Data points only: `used_regions / R`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_fraction: Option<f64>,
    /// Data points only: `used_regions / 2^N`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_fraction_of_codes: Option<f64>,
    /// Data points only: the [`TOP_BY_DATA`] regions holding the most points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_by_data: Option<Vec<RegionData>>,
}

/// Wall times of the parts of a run, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    /// Drawing or reading the points and computing their patterns.
    pub sampling: f64,
    /// Getting the exact regions (the walk, or reading the file).
    pub regions: f64,
    /// Computing the volumes.
    pub volumes: f64,
}

/// The whole report of one sampling run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleReport {
    /// Where the points came from.
    pub source: PointsReport,
    /// The seed (of the points when drawn; of Monte Carlo volumes always).
    pub seed: u64,
    /// `N`: points counted (in the domain).
    pub points: u64,
    /// `K`: distinct patterns among them.
    pub distinct_patterns: u64,
    /// Points on some neuron's hyperplane (a pre-activation exactly 0).
    pub boundary_points: u64,
    /// The first few of them.
    pub boundary_examples: Vec<BoundaryPoint>,
    /// Hidden neurons `N` with a kink (linear neurons, slope 1, are
    /// always on and not counted).
    pub hidden_neurons: usize,
    /// `2^N` as an exact decimal integer.
    pub codes: String,
    /// `K(n)` at `n = 1, 2, 4, …, N`, beside `E[K(n)]` when known.
    pub curve: Vec<CurvePoint>,
    /// Against the exact regions, when given.
    #[serde(flatten)]
    pub comparison: Option<Comparison>,
    /// Wall times.
    pub seconds: Timings,
    /// Every pattern seen, most hits first.
    pub patterns: Vec<PatternReport>,
}

/// The exact regions and how they were found, for [`build_report`].
pub struct ExactRegions {
    /// The regions, matched against the sample's patterns.
    pub tally: RegionTally,
    /// The totals of their volumes.
    pub volumes: Volumes,
    /// `"walk"` or the file's path.
    pub source: String,
    /// The walk, if one ran.
    pub walk: Option<WalkRun>,
}

/// Assembles the report. With exact regions, checks that every pattern
/// shown by a point on no hyperplane is one of them (else the enumeration is
/// incomplete: an error naming the point).
pub fn build_report(
    source: PointsReport,
    seed: u64,
    hidden_neurons: usize,
    discovery: &Discovery,
    exact: Option<ExactRegions>,
    seconds: Timings,
) -> Result<SampleReport, IncompleteEnumeration> {
    let seen = discovery.patterns();
    let points = discovery.points();
    let mut patterns = Vec::with_capacity(seen.len());
    let mut boundary_only = Vec::new();
    let mut first_hits = Vec::new();
    for p in &seen {
        let text = p.pattern.to_string();
        let region = exact.as_ref().and_then(|e| e.tally.region_of(&text));
        if region.is_some() {
            first_hits.push(p.first_hit);
        } else if exact.is_some() {
            if p.hits > p.boundary_hits {
                return Err(IncompleteEnumeration {
                    origin: p.example_origin,
                    point: p.example.clone(),
                    pattern: text,
                });
            }
            boundary_only.push(text.clone());
        }
        patterns.push(PatternReport {
            pattern: text,
            hits: p.hits,
            first_hit: p.first_hit,
            boundary_hits: p.boundary_hits,
            region,
        });
    }
    let curve = discovery
        .observed_curve()
        .into_iter()
        .map(|(n, observed)| CurvePoint {
            n,
            observed,
            expected: exact
                .as_ref()
                .map(|e| expected_distinct(e.tally.fractions(), n as f64)),
        })
        .collect();
    let is_data = matches!(source, PointsReport::File { .. });
    let comparison = exact.map(|e| {
        let r = e.tally.regions();
        let (fractions, missed, mut top) = e.tally.into_parts();
        let found = top.len() as u64;
        first_hits.sort_unstable();
        let milestones = MILESTONES
            .iter()
            .map(|&q| {
                let need = (q * r as f64).ceil() as u64;
                Milestone {
                    fraction: q,
                    regions: need,
                    observed_n: need
                        .checked_sub(1)
                        .and_then(|k| first_hits.get(k as usize).copied()),
                    expected_n: samples_for_expected(&fractions, need as f64),
                }
            })
            .collect();
        top.sort_by(|a, b| b.points.cmp(&a.points).then(a.id.cmp(&b.id)));
        top.truncate(TOP_BY_DATA);
        Comparison {
            regions: r,
            regions_source: e.source,
            ratio: discovery.distinct() as f64 / r as f64,
            regions_found: found,
            found_fraction: found as f64 / r as f64,
            expected_distinct: expected_distinct(&fractions, points as f64),
            missed_count: missed.len() as u64,
            missed_fraction: missed.iter().map(|m| m.volume.fraction).sum(),
            missed,
            boundary_patterns_not_regions: boundary_only,
            milestones,
            volumes: e.volumes,
            walk: e.walk,
            used_regions: is_data.then_some(found),
            used_fraction: is_data.then_some(found as f64 / r as f64),
            used_fraction_of_codes: is_data
                .then(|| ((found as f64).log2() - hidden_neurons as f64).exp2()),
            top_by_data: is_data.then_some(top),
        }
    });
    Ok(SampleReport {
        source,
        seed,
        points,
        distinct_patterns: discovery.distinct() as u64,
        boundary_points: discovery.boundary_points(),
        boundary_examples: discovery.boundary_examples().to_vec(),
        hidden_neurons,
        codes: codes_bound(hidden_neurons).to_string(),
        curve,
        comparison,
        seconds,
        patterns,
    })
}

impl SampleReport {
    /// Writes the discovery curve as CSV: `n,observed,expected` (expected
    /// empty when the regions are not known).
    pub fn write_curve_csv(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "n,observed,expected")?;
        for c in &self.curve {
            match c.expected {
                Some(e) => writeln!(out, "{},{},{e}", c.n, c.observed)?,
                None => writeln!(out, "{},{},", c.n, c.observed)?,
            }
        }
        Ok(())
    }
}

/// How many missed regions the text report lists (the largest).
const MISSED_SHOWN: usize = 5;

impl fmt::Display for SampleReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            PointsReport::Uniform {
                method, proposals, ..
            } => {
                let how = match method {
                    SamplingMethod::UniformBox => "uniform in the box".to_string(),
                    SamplingMethod::RejectionFromBoundingBox => format!(
                        "uniform in the polytope, by rejection from its bounding box ({proposals} proposals)"
                    ),
                };
                writeln!(f, "{} points, {how}, seed {}", self.points, self.seed)?;
            }
            PointsReport::File {
                path,
                rows,
                outside_domain,
                ..
            } => {
                writeln!(
                    f,
                    "{} points from {path} ({rows} in the file, {outside_domain} outside the domain and left out)",
                    self.points
                )?;
            }
        }
        writeln!(f, "  distinct patterns K = {}", self.distinct_patterns)?;
        if self.boundary_points > 0 {
            let first = &self.boundary_examples[0];
            writeln!(
                f,
                "  boundary points: {} lie on a neuron's hyperplane (counted with it off), e.g. {} at {:?}, neurons {:?} at 0",
                self.boundary_points, first.origin, first.point, first.zero_neurons
            )?;
        }
        if let Some(c) = &self.comparison {
            writeln!(
                f,
                "  exact regions R = {} ({}); K/R = {:.4}; regions found {} ({:.2}%)",
                c.regions,
                c.regions_source,
                c.ratio,
                c.regions_found,
                100.0 * c.found_fraction
            )?;
            writeln!(
                f,
                "  expected distinct for {} uniform points: E[K] = {:.2}",
                self.points, c.expected_distinct
            )?;
            writeln!(
                f,
                "  missed: {} regions, {:.3e} of the domain's volume (volumes: {})",
                c.missed_count,
                c.missed_fraction,
                match c.volumes.method {
                    crate::sample::volume::VolumeMethod::Exact => "exact",
                    crate::sample::volume::VolumeMethod::MonteCarlo => "Monte Carlo estimates",
                }
            )?;
            let mut largest: Vec<&MissedRegion> = c.missed.iter().collect();
            largest.sort_by(|a, b| b.volume.fraction.total_cmp(&a.volume.fraction));
            for m in largest.iter().take(MISSED_SHOWN) {
                writeln!(
                    f,
                    "    region {} ({}): volume fraction {:.3e}, radius {:.3e}",
                    m.id, m.pattern, m.volume.fraction, m.radius
                )?;
            }
            for m in &c.milestones {
                let show = |n: Option<u64>| n.map_or("not reached".to_string(), |n| n.to_string());
                writeln!(
                    f,
                    "  to find {:.0}% ({} regions): observed n = {}, expected n = {}",
                    100.0 * m.fraction,
                    m.regions,
                    show(m.observed_n),
                    show(m.expected_n)
                )?;
            }
            if let Some(used) = c.used_regions {
                writeln!(
                    f,
                    "  used regions (holding data): {used} of R = {} and of 2^{} = {} codes",
                    c.regions, self.hidden_neurons, self.codes
                )?;
            }
        }
        write!(f, "  discovery curve (n: observed")?;
        if self.comparison.is_some() {
            write!(f, " / expected")?;
        }
        write!(f, "):")?;
        for c in &self.curve {
            match c.expected {
                Some(e) => write!(f, " {}: {} / {e:.1};", c.n, c.observed)?,
                None => write!(f, " {}: {};", c.n, c.observed)?,
            }
        }
        writeln!(f)
    }
}
