//! Pictures of the partition (docs/pictures.md): every region of a 2-D
//! domain (a box with two free coordinates, or a plane) drawn as its
//! polygon, or the outputs along a 1-D domain as piecewise-linear
//! functions; written as SVG, or rendered to PNG.
//!
//! The polygons are computed in `f64` from each region's inequalities (the
//! domain's window clipped by its rows): exact enough to draw, not a proof.
//! The counts and certificates are what is exact.

pub(crate) mod colour;
pub(crate) mod geometry;
pub(crate) mod lines;
pub(crate) mod picture;
pub(crate) mod points;
pub(crate) mod raster;
pub(crate) mod svg;

use thiserror::Error;

/// Why a picture could not be made.
#[derive(Debug, Error)]
pub enum PlotError {
    /// The domain cannot be drawn.
    #[error("plot: {0}")]
    Domain(String),
    /// The walk failed.
    #[error(transparent)]
    Walk(#[from] crate::error::WalkError),
    /// The SVG could not be rendered.
    #[error("plot: rendering the SVG: {0}")]
    Render(String),
}
