//! The input domain of a run, from the Python keywords `box`, `whole`,
//! `polytope`, `vnnlib`, `plane` and `segment` (with `window`), or else the
//! model's own default (an NNet model's input box), as the CLI resolves its
//! domain flags.

use crate::errors;
use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use regionwalk::{
    load_vnnlib_box, model_domain, AffineSlice, Domain, EngineChoice, LoadedModel, WorkSpace,
};
use std::path::PathBuf;

/// The domain keywords as the Python layer passes them: `box` as a
/// `d × 2` float64 array, `polytope` as `(A, b)` float64 arrays, `slice`
/// as the `(k + 1) × d` points of a plane (`k = 2`) or segment (`k = 1`)
/// and `window` as its `k × 2` window.
#[derive(FromPyObject)]
pub struct DomainArgs<'py> {
    #[pyo3(item("box"))]
    box_: Option<PyReadonlyArray2<'py, f64>>,
    #[pyo3(item)]
    whole: bool,
    #[pyo3(item)]
    polytope: Option<(PyReadonlyArray2<'py, f64>, PyReadonlyArray1<'py, f64>)>,
    #[pyo3(item)]
    vnnlib: Option<PathBuf>,
    #[pyo3(item)]
    slice: Option<PyReadonlyArray2<'py, f64>>,
    #[pyo3(item)]
    window: Option<PyReadonlyArray2<'py, f64>>,
}

impl DomainArgs<'_> {
    /// The domain for `model`: the one given (at most one may be), else
    /// the model's default; a `DomainError` if neither.
    pub fn resolve(&self, model: &LoadedModel) -> PyResult<Domain> {
        let dim = model.network.input_dim();
        let given = [
            self.box_.is_some(),
            self.whole,
            self.polytope.is_some(),
            self.vnnlib.is_some(),
            self.slice.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() > 1 {
            return Err(errors::DomainError::new_err(
                "give at most one of box=, whole=True, polytope=, vnnlib=, plane= and segment=",
            ));
        }
        if self.window.is_some() && self.slice.is_none() {
            return Err(errors::DomainError::new_err(
                "window= is the window of a plane= or segment=",
            ));
        }
        let domain = if let Some(b) = &self.box_ {
            let b = b.as_array();
            if b.ncols() != 2 {
                return Err(errors::DomainError::new_err(format!(
                    "box has shape ({}, {}); expected (d, 2): one [lo, hi] row per input",
                    b.nrows(),
                    b.ncols()
                )));
            }
            let intervals = b.rows().into_iter().map(|r| (r[0], r[1])).collect();
            Some(Domain::new_box(intervals, dim).map_err(errors::domain)?)
        } else if let Some((a, b)) = &self.polytope {
            Some(polytope(a.as_array(), b.as_array())?)
        } else if let Some(path) = &self.vnnlib {
            let intervals = load_vnnlib_box(path).map_err(errors::domain)?;
            Some(
                Domain::new_box(intervals, dim)
                    .map_err(|e| errors::domain(format!("{}: input box: {e}", path.display())))?,
            )
        } else if self.whole {
            Some(Domain::Whole(dim))
        } else if let Some(points) = &self.slice {
            let points = points.as_array();
            let points = points.rows().into_iter().map(|r| r.to_vec()).collect();
            let window = match &self.window {
                Some(w) if w.as_array().ncols() != 2 => {
                    return Err(errors::DomainError::new_err(format!(
                        "window has shape {:?}; expected (k, 2): one [lo, hi] row per slice coordinate",
                        w.as_array().shape()
                    )))
                }
                Some(w) => Some(w.as_array().rows().into_iter().map(|r| (r[0], r[1])).collect()),
                None => None,
            };
            Some(Domain::Affine(
                AffineSlice::new(points, window, dim).map_err(errors::domain)?,
            ))
        } else {
            None
        };
        match model_domain(model, domain).map_err(errors::domain)? {
            Some(resolved) => {
                resolved.domain.check_dim(dim).map_err(errors::domain)?;
                Ok(resolved.domain)
            }
            None => Err(errors::DomainError::new_err(
                "no domain given: use box=, whole=True, polytope=, vnnlib=, plane= or segment=",
            )),
        }
    }
}

/// The polytope `A x ≤ b`, checked as the library checks a polytope file.
fn polytope(
    a: numpy::ndarray::ArrayView2<'_, f64>,
    b: numpy::ndarray::ArrayView1<'_, f64>,
) -> PyResult<Domain> {
    let fail = |m: String| Err(errors::DomainError::new_err(format!("polytope: {m}")));
    if a.nrows() == 0 || a.ncols() == 0 {
        return fail("`A` has no rows or no columns".into());
    }
    if b.len() != a.nrows() {
        return fail(format!(
            "`b` has {} entries but `A` has {} rows",
            b.len(),
            a.nrows()
        ));
    }
    if a.iter().chain(b.iter()).any(|v| !v.is_finite()) {
        return fail("`A` and `b` must be finite".into());
    }
    Ok(Domain::Polytope {
        a: a.rows().into_iter().map(|r| r.to_vec()).collect(),
        b: b.to_vec(),
    })
}

/// The working space of `model` on `domain`.
pub fn space(model: &LoadedModel, domain: &Domain) -> PyResult<WorkSpace> {
    WorkSpace::new(&model.network, domain, EngineChoice::default().engine()).map_err(errors::space)
}
