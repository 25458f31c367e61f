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
    /// The file is not a well-formed model of its format (a protobuf that
    /// does not decode, a graph without a single input or output, a tensor
    /// that cannot be read).
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An ONNX node the loader does not support or cannot fold.
    #[error("{path}: node {index}{} ({op_type}): {message}", node_name_part(.name))]
    OnnxNode {
        /// The file.
        path: PathBuf,
        /// The node's position in the graph, from 0.
        index: usize,
        /// The node's name (ONNX allows it to be empty).
        name: String,
        /// The node's operator type, e.g. `Sigmoid`.
        op_type: String,
        /// What is wrong.
        message: String,
    },
    /// A malformed NNet file.
    #[error("{path}: line {line}: {message}")]
    Nnet {
        /// The file.
        path: PathBuf,
        /// Line of the error (1-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The model format could not be told from the file name.
    #[error("{path}: cannot tell the model format from the file name (expected a .json, .onnx or .nnet extension, or name the format: json, onnx or nnet)")]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
}

/// ` `name`` for a named node, nothing for an unnamed one.
fn node_name_part(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!(" `{name}`")
    }
}

/// A model format name that is not `json`, `onnx` or `nnet`.
#[derive(Debug, Error)]
#[error("unknown model format `{name}` (expected json, onnx or nnet)")]
pub struct UnknownModelFormat {
    /// The name given.
    pub name: String,
}

/// A VNN-LIB file whose input part cannot be used as a box.
#[derive(Debug, Error)]
pub enum VnnlibError {
    /// The file could not be read.
    #[error("{path}: cannot read VNN-LIB file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The text is not a well-formed VNN-LIB (SMT-LIB) script.
    #[error("{path}: line {line}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Line of the error (1-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An assertion on the inputs that is not a bound `X_i <= c` or `X_i >= c`.
    #[error("{path}: line {line}: the input constraint is not a box: {message}")]
    NotABox {
        /// The file.
        path: PathBuf,
        /// Line of the assertion (1-based).
        line: usize,
        /// What the assertion does instead (a disjunction, a constraint across inputs, …).
        message: String,
    },
    /// An input without a lower or an upper bound.
    #[error("{path}: input X_{input} has no {side} bound")]
    MissingBound {
        /// The file.
        path: PathBuf,
        /// The input index.
        input: usize,
        /// `lower` or `upper`.
        side: &'static str,
    },
    /// An input whose bounds leave nothing (`lo > hi`).
    #[error("{path}: input X_{input}: bounds [{lo}, {hi}] are empty (lower > upper)")]
    EmptyBound {
        /// The file.
        path: PathBuf,
        /// The input index.
        input: usize,
        /// The lower bound.
        lo: f64,
        /// The upper bound.
        hi: f64,
    },
    /// The file declares no inputs `X_0, X_1, …`.
    #[error("{path}: no inputs X_0, X_1, ... are declared")]
    NoInputs {
        /// The file.
        path: PathBuf,
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
    /// A `--plane` or `--segment` that is not a slice.
    #[error("slice: {message}")]
    Slice {
        /// What is wrong with it.
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
    /// The sink that receives regions failed to write; the I/O error is the
    /// source (so a broken pipe can be told apart).
    #[error("output failed")]
    Sink(#[from] std::io::Error),
    /// Exact arithmetic contradicts the float walk: a piece or region it
    /// found has no interior in exact arithmetic. Never written into a
    /// certificate (the checker would reject it).
    #[error("{}", inconsistency(.pattern, .neuron))]
    ExactInconsistency {
        /// The activation pattern of the cell or region (`|` between layers).
        pattern: String,
        /// The neuron `(layer, index)` whose two sides are both empty in
        /// exact arithmetic; `None` when a finished region has no exact
        /// interior.
        neuron: Option<(usize, usize)>,
    },
    /// A resumed walk's position (from a checkpoint) names no region of the
    /// walk: the checkpoint is not of this walk.
    #[error(
        "the checkpoint's position {position:?} is not a region of this walk: start the run again"
    )]
    ResumePosition {
        /// The position: child indices from the subtree's root.
        position: Vec<u32>,
    },
}

/// The message of [`WalkError::ExactInconsistency`].
fn inconsistency(pattern: &str, neuron: &Option<(usize, usize)>) -> String {
    match neuron {
        Some((layer, index)) => format!(
            "exact arithmetic finds both sides of neuron [{layer}, {index}] empty on cell `{pattern}`: the cell has no interior"
        ),
        None => format!("exact arithmetic finds no interior in region `{pattern}`"),
    }
}
