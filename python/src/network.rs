//! A loaded network, from a model file or from numpy weights.

use crate::errors;
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use regionwalk::{
    load_model_with, Activation, Affine, LayerSpec, LoadOptions, LoadedModel, ModelFormat, Network,
};
use std::path::PathBuf;
use std::sync::Arc;

/// A ReLU network and what its loader said about it.
#[pyclass(module = "regionwalk._native", frozen)]
pub struct NativeNetwork {
    /// The model, shared with the walks' threads.
    pub model: Arc<LoadedModel>,
    /// The file it came from, or a name for weights (`<weights>`).
    pub source: PathBuf,
}

#[pymethods]
impl NativeNetwork {
    /// Loads a model file in `format` (`json`, `onnx` or `nnet`), or the
    /// format its extension says; `output` names an ONNX value to count for.
    #[staticmethod]
    #[pyo3(signature = (path, format=None, output=None))]
    fn load(path: PathBuf, format: Option<&str>, output: Option<String>) -> PyResult<Self> {
        let format = format
            .map(|f| f.parse::<ModelFormat>().map_err(errors::model))
            .transpose()?;
        let model =
            load_model_with(&path, &LoadOptions { format, output }).map_err(errors::model)?;
        Ok(NativeNetwork {
            model: Arc::new(model),
            source: path,
        })
    }

    /// A network from its affine layers `(W, b, slopes)`, `W` out × in;
    /// `slopes` are the negative-side slopes of the activation that follows
    /// the layer, one per neuron (zeros: ReLU; see `Activation::Leaky`), or
    /// `None` for no activation. `source` names it in errors.
    #[staticmethod]
    fn from_layers(layers: Vec<LayerArgs<'_>>, source: PathBuf) -> PyResult<Self> {
        let mut specs = Vec::with_capacity(layers.len());
        for (k, (w, b, slopes)) in layers.iter().enumerate() {
            let (w, b) = (w.as_array(), b.as_array());
            let (rows, cols) = w.dim();
            if b.len() != rows {
                return Err(errors::ModelError::new_err(format!(
                    "{}: layer {k}: bias has {} entries but the weight has {rows} rows",
                    source.display(),
                    b.len()
                )));
            }
            let activation = match slopes.as_ref().map(|s| s.as_array()) {
                None => Activation::Identity,
                Some(s) if s.len() != rows => {
                    return Err(errors::ModelError::new_err(format!(
                        "{}: layer {k}: {} activation slopes but the weight has {rows} rows",
                        source.display(),
                        s.len()
                    )))
                }
                Some(s) if s.iter().all(|&a| a == 0.0) => Activation::Relu,
                Some(s) => Activation::Leaky(s.to_vec()),
            };
            specs.push(LayerSpec {
                affine: Affine::new(rows, cols, w.iter().copied().collect(), b.to_vec()),
                activation,
            });
        }
        let network = Network::from_layers(specs, source.clone()).map_err(errors::model)?;
        Ok(NativeNetwork {
            model: Arc::new(LoadedModel {
                network,
                format: ModelFormat::Json,
                folded: Vec::new(),
                default_box: None,
                kept_output: None,
                head_cut: Vec::new(),
            }),
            source,
        })
    }

    /// The number of inputs.
    #[getter]
    fn input_dim(&self) -> usize {
        self.model.network.input_dim()
    }

    /// The number of outputs.
    #[getter]
    fn output_dim(&self) -> usize {
        self.model.network.output_dim()
    }

    /// The widths of the hidden (ReLU) layers.
    #[getter]
    fn hidden_widths(&self) -> Vec<usize> {
        self.model.network.hidden_widths()
    }

    /// The model file's format (`json` for weights).
    #[getter]
    fn format(&self) -> &'static str {
        self.model.format.name()
    }

    /// The file the network came from.
    #[getter]
    fn source(&self) -> PathBuf {
        self.source.clone()
    }

    /// What the loader folded into the layers or cut, one line each.
    #[getter]
    fn folded(&self) -> Vec<String> {
        let mut lines = self.model.folded.clone();
        lines.extend(self.model.head_note());
        lines
    }

    /// The normalised layers `(W, b)`: every hidden layer (each followed by
    /// ReLU), then the output layer.
    fn layers<'py>(&self, py: Python<'py>) -> Vec<Layer<'py>> {
        let net = &self.model.network;
        net.hidden()
            .iter()
            .chain(std::iter::once(net.output()))
            .map(|a| {
                (
                    matrix(py, a.rows(), a.cols(), a.weight()),
                    vector(py, a.bias()),
                )
            })
            .collect()
    }
}

/// A layer as `from_layers` takes it: `(W, b, slopes or None)`.
type LayerArgs<'py> = (
    PyReadonlyArray2<'py, f64>,
    PyReadonlyArray1<'py, f64>,
    Option<PyReadonlyArray1<'py, f64>>,
);

/// A layer `(W, b)` as numpy arrays.
type Layer<'py> = (Bound<'py, PyArray2<f64>>, Bound<'py, PyArray1<f64>>);

/// A `rows × cols` numpy matrix from row-major `values`.
pub fn matrix<'py>(
    py: Python<'py>,
    rows: usize,
    cols: usize,
    values: &[f64],
) -> Bound<'py, PyArray2<f64>> {
    Array2::from_shape_vec((rows, cols), values.to_vec())
        .expect("rows × cols values")
        .into_pyarray(py)
}

/// A numpy vector.
pub fn vector<'py>(py: Python<'py>, values: &[f64]) -> Bound<'py, PyArray1<f64>> {
    PyArray1::from_slice(py, values)
}
