//! The flags every subcommand shares: a model and a domain.

use super::resolve::BadInput;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use regionwalk::{load_vnnlib_box, read_points, AffineSlice, BoxSpec, Domain, ModelFormat};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum ModelFormatArg {
    Json,
    Onnx,
    Nnet,
}

impl From<ModelFormatArg> for ModelFormat {
    fn from(f: ModelFormatArg) -> Self {
        match f {
            ModelFormatArg::Json => ModelFormat::Json,
            ModelFormatArg::Onnx => ModelFormat::Onnx,
            ModelFormatArg::Nnet => ModelFormat::Nnet,
        }
    }
}

/// A model and a domain, as given on the command line.
#[derive(Args)]
pub struct Target {
    /// The model file: JSON, ONNX or NNet, told by its extension (docs/models.md).
    pub model: PathBuf,
    /// Read the model in this format instead of the one its extension says.
    #[arg(long, value_enum)]
    pub model_format: Option<ModelFormatArg>,
    /// ONNX: count regions for this value of the graph (a graph output, or
    /// any value computed from the input) instead of the one the graph leads
    /// to; a classifier head after it is cut (docs/models.md).
    #[arg(long, value_name = "NAME")]
    pub model_output: Option<String>,
    #[command(flatten)]
    pub domain: DomainArgs,
}

/// The domain flags. One is needed, except for an NNet model, whose
/// `[min, max]` input box is the default.
#[derive(Args)]
#[group(required = false, multiple = false)]
pub struct DomainArgs {
    /// A box: `LO:HI` in every coordinate, or `LO1:HI1,LO2:HI2,...`; `LO == HI` fixes a coordinate.
    #[arg(long = "box", value_name = "LO:HI[,...]", allow_hyphen_values = true)]
    pub box_spec: Option<String>,
    /// All of R^d.
    #[arg(long)]
    pub whole: bool,
    /// A polytope `A x <= b` from a JSON file `{"A": [[...]], "b": [...]}`; may be unbounded.
    #[arg(long, value_name = "FILE")]
    pub polytope: Option<PathBuf>,
    /// The input box of a VNN-LIB property file (its output part is ignored).
    #[arg(long, value_name = "FILE")]
    pub vnnlib: Option<PathBuf>,
    /// The plane x = P0 + u (P1 − P0) + v (P2 − P0) through three input points: a CSV or .npy file of 3 rows, or `DATA:I,J,K` for rows I, J, K (from 0) of a data file (docs/domains.md).
    #[arg(long, value_name = "FILE[:I,J,K]")]
    pub plane: Option<String>,
    /// The segment x = P0 + t (P1 − P0) through two input points: a file of 2 rows, or `DATA:I,J`.
    #[arg(long, value_name = "FILE[:I,J]")]
    pub segment: Option<String>,
    #[command(flatten)]
    pub window: SliceWindow,
}

/// The window of a `--plane` or `--segment`.
#[derive(Args)]
pub struct SliceWindow {
    /// The window of a --plane in (u, v): `ULO:UHI,VLO:VHI` (default 0:1,0:1).
    #[arg(long, value_name = "ULO:UHI,VLO:VHI", allow_hyphen_values = true)]
    pub plane_box: Option<String>,
    /// The range of t on a --segment: `LO:HI` (default 0:1).
    #[arg(long, value_name = "LO:HI", allow_hyphen_values = true)]
    pub segment_range: Option<String>,
}

impl DomainArgs {
    /// The domain the flags give for a model with `dim` inputs, or `None`
    /// when no domain flag is given.
    pub fn given(&self, dim: usize) -> Result<Option<Domain>> {
        Ok(Some(if let Some(spec) = &self.box_spec {
            BoxSpec::parse(spec)?.resolve(dim)?
        } else if let Some(path) = &self.polytope {
            Domain::load_polytope(path)?
        } else if let Some(path) = &self.vnnlib {
            Domain::new_box(load_vnnlib_box(path)?, dim)
                .with_context(|| format!("{}: input box", path.display()))?
        } else if self.whole {
            Domain::Whole(dim)
        } else if let Some(spec) = &self.plane {
            self.slice(spec, 3, self.window.plane_box.as_deref(), dim)?
        } else if let Some(spec) = &self.segment {
            self.slice(spec, 2, self.window.segment_range.as_deref(), dim)?
        } else {
            return Ok(None);
        }))
    }
}

impl DomainArgs {
    /// The slice through the `count` points `spec` names, over `window`.
    fn slice(&self, spec: &str, count: usize, window: Option<&str>, dim: usize) -> Result<Domain> {
        let k = count - 1;
        let window = window
            .map(|w| -> Result<Vec<(f64, f64)>> {
                Ok(match BoxSpec::parse(w)? {
                    BoxSpec::Uniform(lo, hi) => vec![(lo, hi); k],
                    BoxSpec::PerCoordinate(v) => v,
                })
            })
            .transpose()?;
        let (path, rows) = split_rows(spec)?;
        let file = read_points(&path, dim).map_err(|e| BadInput(e.to_string()))?;
        let points = match rows {
            None => file.points,
            Some(rows) => rows
                .iter()
                .map(|&r| {
                    file.points.get(r).cloned().ok_or_else(|| {
                        BadInput(format!(
                            "{}: row {r} asked for, but the file holds {} points (rows count from 0)",
                            path.display(),
                            file.points.len()
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        if points.len() != count {
            return Err(BadInput(format!(
                "{}: {count} points needed for a {}, but {} given",
                path.display(),
                if k == 2 { "plane" } else { "segment" },
                points.len()
            ))
            .into());
        }
        Ok(Domain::Affine(
            AffineSlice::new(points, window, dim).with_context(|| spec.to_string())?,
        ))
    }
}

/// `FILE` or `FILE:I,J,K`: the path, and the row numbers if given (when
/// the text after the last `:` is a list of numbers).
fn split_rows(spec: &str) -> Result<(PathBuf, Option<Vec<usize>>)> {
    if let Some((path, list)) = spec.rsplit_once(':') {
        let rows: Option<Vec<usize>> = list.split(',').map(|r| r.trim().parse().ok()).collect();
        if let Some(rows) = rows {
            return Ok((PathBuf::from(path), Some(rows)));
        }
    }
    Ok((PathBuf::from(spec), None))
}
