//! `plot`: the picture of a 1-D or 2-D domain's regions, drawn by the
//! library's picture code (the CLI's `plot`), as SVG text for Python.

use crate::background::{self, Cancel};
use crate::domain::{self, DomainArgs};
use crate::errors;
use crate::network::NativeNetwork;
use numpy::PyReadonlyArray2;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use regionwalk::{ClassRule, ColorBy, EngineChoice, Picture, PlotError};

/// The picture of `net` on the domain: `{"svg": text, "regions": n}`,
/// with `"points": {"regions", "inside", "outside"}` when `points` (an
/// `n × d` array of input points) is drawn. `color` is `pattern`, `output`
/// (of output `output_index`), `class` (under `class_rule`, `argmax` or
/// `argmin`), `layer` (the cells after `layer` hidden layers) or `linear`.
#[pyfunction]
#[pyo3(signature = (net, domain, color, class_rule, output_index, layer, boundary, hyperplanes, points, threads))]
#[allow(clippy::too_many_arguments)]
pub fn plot<'py>(
    py: Python<'py>,
    net: &Bound<'py, NativeNetwork>,
    domain: DomainArgs<'py>,
    color: &str,
    class_rule: &str,
    output_index: usize,
    layer: usize,
    boundary: bool,
    hyperplanes: Option<usize>,
    points: Option<PyReadonlyArray2<'py, f64>>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let model = net.get().model.clone();
    let network = &model.network;
    let rule = match class_rule {
        "argmax" => ClassRule::Argmax,
        "argmin" => ClassRule::Argmin,
        other => {
            return Err(PyValueError::new_err(format!(
                "class_rule={other:?}: use \"argmax\" or \"argmin\""
            )))
        }
    };
    let color = match color {
        "pattern" => ColorBy::Pattern,
        "output" if output_index >= network.output_dim() => {
            return Err(PyValueError::new_err(format!(
                "output_index={output_index}: the model has {} outputs",
                network.output_dim()
            )))
        }
        "output" => ColorBy::Output(output_index),
        "class" => ColorBy::Class(rule),
        "layer" => ColorBy::Layer(layer),
        "linear" => ColorBy::Linear,
        other => {
            return Err(PyValueError::new_err(format!(
                "color={other:?}: use \"pattern\", \"output\", \"class\", \"layer\" or \"linear\""
            )))
        }
    };
    let hidden_layers = network.hidden_widths().len();
    if let Some(l) = hyperplanes.filter(|&l| l >= hidden_layers) {
        return Err(PyValueError::new_err(format!(
            "hyperplanes={l}: the model has {hidden_layers} hidden layers (numbered from 0)"
        )));
    }
    let points: Option<Vec<Vec<f64>>> = match points {
        Some(p) if p.as_array().ncols() != network.input_dim() => {
            return Err(PyValueError::new_err(format!(
                "points has {} columns but the model takes {} inputs",
                p.as_array().ncols(),
                network.input_dim()
            )))
        }
        Some(p) => Some(
            p.as_array()
                .rows()
                .into_iter()
                .map(|r| r.to_vec())
                .collect(),
        ),
        None => None,
    };
    let domain = domain.resolve(&model)?;
    let cancel = Cancel::default();
    let control = cancel.control();
    let picture = background::run(py, threads, cancel, move || {
        let space = domain::space(&model, &domain)?;
        let network = &model.network;
        let engine = EngineChoice::default().engine();
        let Some(mut picture) =
            Picture::walk_with(network, &domain, &space, engine, color, Some(control))
                .map_err(plot_error)?
        else {
            return Err(Cancel::stopped());
        };
        picture
            .add_lines(boundary.then_some(rule), hyperplanes)
            .map_err(plot_error)?;
        if let Some(points) = &points {
            picture
                .add_points(network, &domain, points)
                .map_err(plot_error)?;
        }
        Ok(picture)
    })??;
    let out = PyDict::new(py);
    out.set_item("svg", picture.svg())?;
    out.set_item("regions", picture.regions.len())?;
    if let Some(p) = &picture.points {
        let held = PyDict::new(py);
        held.set_item("regions", p.regions.clone())?;
        held.set_item("inside", p.inside.len())?;
        held.set_item("outside", p.outside)?;
        out.set_item("points", held)?;
    }
    Ok(out)
}

/// An SVG picture rendered to PNG bytes (as `plot -o FILE.png` does).
#[pyfunction]
pub fn svg_to_png<'py>(py: Python<'py>, svg: &str) -> PyResult<Bound<'py, PyBytes>> {
    let png = py
        .detach(|| regionwalk::render_png(svg))
        .map_err(plot_error)?;
    Ok(PyBytes::new(py, &png))
}

/// A picture that cannot be made: the domain's fault, or the walk's.
fn plot_error(e: PlotError) -> PyErr {
    match e {
        PlotError::Domain(_) => errors::domain(e),
        e => errors::walk(e),
    }
}
