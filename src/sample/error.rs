//! Errors of sampling (`regionwalk sample`): bad input, which the binary
//! reports with exit code 2, and a sample that proves the enumeration
//! incomplete, which is an internal failure (exit code 1).

use crate::error::{LpError, WalkError};
use std::fmt;
use std::path::PathBuf;
use thiserror::Error;

/// Where a point came from: the `n`-th uniform sample, or a line of a CSV
/// file, or a row of a `.npy` array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointOrigin {
    /// The `n`-th point drawn (from 1).
    Sample(u64),
    /// A line of a CSV file (from 1, as editors count).
    Line(usize),
    /// A row of a `.npy` array (from 0, as NumPy indexes).
    Row(usize),
}

impl fmt::Display for PointOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointOrigin::Sample(n) => write!(f, "sample {n}"),
            PointOrigin::Line(n) => write!(f, "line {n}"),
            PointOrigin::Row(n) => write!(f, "row {n}"),
        }
    }
}

impl serde::Serialize for PointOrigin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Input that sampling cannot use.
#[derive(Debug, Error)]
pub enum SampleInputError {
    /// Uniform sampling (and volumes) need a bounded domain.
    #[error("sampling needs a bounded domain, and {what} is not bounded: give a box with --box=LO:HI[,...]{hint}")]
    Unbounded {
        /// The domain given.
        what: String,
        /// A suggestion, e.g. the bounding box of the data points.
        hint: String,
    },
    /// `--samples 0`.
    #[error("--samples must be at least 1")]
    NoSamples,
    /// Rejection sampling of a polytope accepted nothing for too long.
    #[error("polytope: rejection sampling from its bounding box accepted no point in {proposals} proposals (the polytope fills almost none of its bounding box): give a box instead")]
    RejectionStalled {
        /// Proposals in a row without an accepted point.
        proposals: u64,
    },
    /// A point file that cannot be read as points of the model's input.
    #[error("{path}: {}{message}", place_part(.place))]
    Points {
        /// The file.
        path: PathBuf,
        /// The line (CSV) or row (`.npy`) at fault, if one is.
        place: Option<PointOrigin>,
        /// What is wrong.
        message: String,
    },
    /// A region file (written by `enumerate`) that cannot be read, or that
    /// is for another network or domain.
    #[error("{path}: {}{message}", line_part(.line))]
    RegionFile {
        /// The file.
        path: PathBuf,
        /// The line at fault (1-based), if one is.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

fn place_part(place: &Option<PointOrigin>) -> String {
    place.map(|p| format!("{p}: ")).unwrap_or_default()
}

fn line_part(line: &Option<usize>) -> String {
    line.map(|l| format!("line {l}: ")).unwrap_or_default()
}

/// A point whose pattern is not one of the enumerated regions although the
/// point lies on no neuron's hyperplane: the enumeration missed a region
/// (docs/design.md §5: sampled ⊆ exact).
#[derive(Debug, Error)]
#[error("the enumeration is incomplete: {origin} at {point:?} has pattern {pattern}, which is not an enumerated region, and no pre-activation is 0 there")]
pub struct IncompleteEnumeration {
    /// Where the point came from.
    pub origin: PointOrigin,
    /// The point, in input coordinates.
    pub point: Vec<f64>,
    /// Its activation pattern.
    pub pattern: String,
}

/// Any failure of a sampling run.
#[derive(Debug, Error)]
pub enum SampleError {
    /// Bad input (exit code 2 in the binary).
    #[error(transparent)]
    Input(#[from] SampleInputError),
    /// The sample found a pattern the enumeration lacks.
    #[error(transparent)]
    Incomplete(#[from] IncompleteEnumeration),
    /// The in-process walk failed.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// An LP (a region's bounding box for its volume) failed.
    #[error(transparent)]
    Lp(#[from] LpError),
}
