//! Typed errors of the library. Each variant carries the place at fault
//! (file, layer, row, coordinate) so the binary can print one precise line.

use std::path::PathBuf;
use thiserror::Error;

/// A model that cannot be used: unreadable, malformed, or inconsistent.
#[derive(Debug, Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("{path}: cannot read model: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file is not valid JSON of the expected shape.
    #[error("{path}: line {line}, column {column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Line of the error (1-based).
        line: usize,
        /// Column of the error (1-based).
        column: usize,
        /// What serde_json said.
        message: String,
    },
    /// The model has no layers.
    #[error("{path}: the model has no layers")]
    NoLayers {
        /// The file (or `<memory>`).
        path: PathBuf,
    },
    /// A shape or value problem at a given layer.
    #[error("{path}: layer {layer}: {message}")]
    Layer {
        /// The file (or `<memory>`).
        path: PathBuf,
        /// The layer index, from 0.
        layer: usize,
        /// What is wrong, naming the row or column where there is one.
        message: String,
    },
}

/// A domain that cannot be used: malformed, empty, or of the wrong dimension.
#[derive(Debug, Error)]
pub enum DomainError {
    /// A `--box` specification that does not parse.
    #[error("box `{spec}`: {message}")]
    BoxSyntax {
        /// The text given.
        spec: String,
        /// What is wrong with it.
        message: String,
    },
    /// An interval with `lo > hi`.
    #[error("box coordinate {coordinate}: interval [{lo}, {hi}] is empty (lo > hi)")]
    EmptyInterval {
        /// The input coordinate, from 0.
        coordinate: usize,
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// The domain has a different dimension than the model's input.
    #[error("the domain has dimension {domain} but the model takes {model} inputs")]
    Dimension {
        /// The domain's dimension.
        domain: usize,
        /// The model's input dimension.
        model: usize,
    },
    /// A polytope file that cannot be read or parsed.
    #[error("{path}: {message}")]
    PolytopeFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column where serde_json gave them.
        message: String,
    },
    /// A polytope whose interior is empty.
    #[error("{what}: the domain has no interior (Chebyshev radius {radius:e})")]
    NoInterior {
        /// A description of the domain.
        what: String,
        /// The radius found.
        radius: f64,
    },
}

/// A failure of the linear-programming engine.
#[derive(Debug, Error)]
pub enum LpError {
    /// The engine failed to solve a problem that should be solvable.
    #[error("LP engine `{engine}` failed: {message}")]
    Engine {
        /// The engine's name.
        engine: &'static str,
        /// What it reported.
        message: String,
    },
}

/// A failure of the enumeration itself.
#[derive(Debug, Error)]
pub enum WalkError {
    /// The LP engine failed.
    #[error(transparent)]
    Lp(#[from] LpError),
    /// The sink that receives regions failed (for example, a write error).
    #[error("output failed: {0}")]
    Sink(String),
}
