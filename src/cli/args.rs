//! The flags every subcommand shares: a model and a domain.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use regionwalk::{load_vnnlib_box, BoxSpec, Domain, ModelFormat};
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
        } else {
            return Ok(None);
        }))
    }
}
