//! The runs that return one value: `count` and `sample`.

use crate::background::{self, Cancel};
use crate::domain::{self, DomainArgs};
use crate::errors;
use crate::network::NativeNetwork;
use pyo3::prelude::*;
use regionwalk::{
    certify_and_check_controlled, run_sample_controlled, EngineChoice, ExactSource, PointSource,
    SampleOptions, WalkOptions, Walker,
};
use std::path::PathBuf;

/// The number of activation regions of `net` on the domain; with `certify`,
/// proved, and returned only once the independent checker accepted the proof.
#[pyfunction]
#[pyo3(signature = (net, domain, certify=false, threads=None))]
pub fn count(
    py: Python<'_>,
    net: &Bound<'_, NativeNetwork>,
    domain: DomainArgs<'_>,
    certify: bool,
    threads: Option<usize>,
) -> PyResult<u64> {
    let model = net.get().model.clone();
    let domain = domain.resolve(&model)?;
    let cancel = Cancel::default();
    let control = cancel.control();
    background::run(py, threads, cancel, move || {
        let space = domain::space(&model, &domain)?;
        let network = &model.network;
        if certify {
            let Some(checked) = certify_and_check_controlled(
                network,
                &domain,
                &space,
                EngineChoice::default().engine(),
                Some(control),
                |_| {},
            )
            .map_err(errors::walk)?
            else {
                return Err(Cancel::stopped());
            };
            return match checked.rejection() {
                None => Ok(checked.verdict.regions),
                Some(reason) => Err(errors::CertificateRejected::new_err(format!(
                    "the count is not certified: {reason}"
                ))),
            };
        }
        let options = WalkOptions {
            control: Some(control),
            region_rows: false,
            region_pattern: false,
            ..WalkOptions::default()
        };
        let mut regions = 0u64;
        let stats = Walker::new(&space, EngineChoice::default().engine(), options)
            .run(|_| {
                regions += 1;
                Ok(())
            })
            .map_err(errors::walk)?;
        match stats.stopped {
            Some(_) => Err(Cancel::stopped()),
            None => Ok(regions),
        }
    })?
}

/// `sample`'s report as JSON (docs/sampling.md): the points of `points` (a
/// CSV or `.npy` file) or `samples` uniform points drawn with `seed`,
/// compared with the exact regions when `exact` (walked here) or `against`
/// (a region file) says so.
#[pyfunction]
#[pyo3(signature = (net, domain, seed, points=None, samples=None, exact=false, against=None))]
#[allow(clippy::too_many_arguments)]
pub fn sample(
    py: Python<'_>,
    net: &Bound<'_, NativeNetwork>,
    domain: DomainArgs<'_>,
    seed: u64,
    points: Option<PathBuf>,
    samples: Option<u64>,
    exact: bool,
    against: Option<PathBuf>,
) -> PyResult<String> {
    let model = net.get().model.clone();
    let domain = domain.resolve(&model)?;
    let options = SampleOptions {
        points: match (points, samples) {
            (Some(path), None) => PointSource::File(path),
            (None, Some(samples)) => PointSource::Uniform { samples },
            _ => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "give exactly one of points= and samples=",
                ))
            }
        },
        exact: match (against, exact) {
            (Some(path), false) => ExactSource::File(path),
            (None, true) => ExactSource::Walk,
            (None, false) => ExactSource::None,
            (Some(_), true) => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "give at most one of exact=True and against=",
                ))
            }
        },
        seed,
    };
    let cancel = Cancel::default();
    let control = cancel.control();
    background::run(py, None, cancel, move || {
        let space = domain::space(&model, &domain)?;
        let report = run_sample_controlled(
            &model.network,
            &domain,
            &space,
            EngineChoice::default().engine(),
            &options,
            Some(control),
        )
        .map_err(errors::sample)?
        .ok_or_else(Cancel::stopped)?;
        serde_json::to_string(&report).map_err(errors::walk)
    })?
}
