//! `regions`: every region as it is found. The walk runs on its own thread
//! and feeds a bounded channel; Python takes regions from it one at a time,
//! so a loop over millions of regions holds only the channel's few.

use crate::background::{self, Cancel};
use crate::domain::{self, DomainArgs};
use crate::errors;
use crate::network::{matrix, vector, NativeNetwork};
use numpy::{PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use regionwalk::{EngineChoice, RegionReport, RowSource, WalkOptions, Walker};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};

/// How many regions the walk may run ahead of the Python loop: enough to
/// keep both threads busy, few enough to hold no memory to speak of.
const CHANNEL_REGIONS: usize = 256;

/// A region as the walk's thread sends it: plain Rust data, turned into
/// numpy arrays on the Python thread.
struct RegionData {
    report: RegionReport,
    pattern: Vec<Vec<bool>>,
}

/// What the channel carries: a region, or the error that ended the walk.
type Message = Result<RegionData, PyErr>;

/// The regions of `net` on the domain, in the walk's tree order, each with
/// its Chebyshev centre and radius (as `enumerate` writes them); with
/// `facets`, which of its rows are facets; with `exact`, every decision
/// proved and the witness and map as exact rationals (`enumerate --exact`).
#[pyfunction]
#[pyo3(signature = (net, domain, threads=None, facets=false, exact=false))]
pub fn regions(
    net: &Bound<'_, NativeNetwork>,
    domain: DomainArgs<'_>,
    threads: Option<usize>,
    facets: bool,
    exact: bool,
) -> PyResult<RegionIter> {
    let model = net.get().model.clone();
    let domain = domain.resolve(&model)?;
    let pool = background::pool(threads)?;
    let (tx, rx) = mpsc::sync_channel::<Message>(CHANNEL_REGIONS);
    let cancel = Cancel::default();
    let stop = cancel.clone();
    let produced = Arc::new(AtomicU64::new(0));
    let sent = produced.clone();
    background::spawn(pool, move || {
        let space = match domain::space(&model, &domain) {
            Ok(space) => space,
            Err(e) => return drop(tx.send(Err(e))),
        };
        let options = WalkOptions {
            chebyshev: true,
            facets,
            certify: exact,
            control: Some(stop.control()),
            ..WalkOptions::default()
        };
        let rows = domain.rows();
        let mut id = 0u64;
        let walked = Walker::new(&space, EngineChoice::default().engine(), options).run(|region| {
            let data = RegionData {
                report: RegionReport::new(id, &model.network, &space, &rows, &region),
                pattern: region.pattern.layers().to_vec(),
            };
            id += 1;
            // A closed channel: the Python side dropped the iterator.
            if stop.is_set() || tx.send(Ok(data)).is_err() {
                return Err(Cancel::stop());
            }
            sent.fetch_add(1, Ordering::Relaxed);
            Ok(())
        });
        if let Err(e) = walked {
            if !stop.is_set() {
                let _ = tx.send(Err(errors::walk(e)));
            }
        }
    });
    Ok(RegionIter {
        rx: Mutex::new(Some(rx)),
        cancel,
        produced,
    })
}

/// The iterator `regions` returns.
#[pyclass(module = "regionwalk._native", frozen)]
pub struct RegionIter {
    /// `None` once the walk ended or failed.
    rx: Mutex<Option<Receiver<Message>>>,
    cancel: Cancel,
    /// How many regions the walk has handed to the channel so far.
    produced: Arc<AtomicU64>,
}

#[pymethods]
impl RegionIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// How many regions the walk has handed over so far: at most the ones
    /// taken plus the channel's capacity, however many regions there are.
    #[getter]
    fn produced(&self) -> u64 {
        self.produced.load(Ordering::Relaxed)
    }

    /// Stops the walk; the iterator then ends.
    fn close(&self) {
        self.cancel.abandon();
        self.rx.lock().expect("the receiver's lock").take();
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Region>> {
        let mut slot = self.rx.lock().expect("the receiver's lock");
        let Some(mut rx) = slot.take() else {
            return Ok(None);
        };
        loop {
            let (back, got) = background::wait(py, rx);
            rx = back;
            match got {
                Ok(Ok(data)) => {
                    *slot = Some(rx);
                    return Region::new(py, data).map(Some);
                }
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(e) = py.check_signals() {
                        self.cancel.set();
                        return Err(e);
                    }
                }
            }
        }
    }
}

impl Drop for RegionIter {
    fn drop(&mut self) {
        self.cancel.abandon();
    }
}

/// One activation region, in input coordinates.
#[pyclass(module = "regionwalk", frozen)]
pub struct Region {
    /// Its position in the walk's tree order, from 0.
    #[pyo3(get)]
    id: u64,
    /// The activation pattern: one boolean array per hidden layer.
    #[pyo3(get)]
    pattern: Py<PyTuple>,
    /// The pattern as text, layers separated by `|` (`0110|101`).
    #[pyo3(get)]
    pattern_text: String,
    /// Its Chebyshev centre: a point strictly inside.
    #[pyo3(get)]
    witness: Py<PyArray1<f64>>,
    /// Its Chebyshev radius in input units (a lower bound when
    /// `radius_is_chebyshev` is false).
    #[pyo3(get)]
    radius: f64,
    /// False when the Chebyshev LP failed and `radius` is the walk's bound.
    #[pyo3(get)]
    radius_is_chebyshev: bool,
    /// The inequalities' normals: the region is `G x < h` (open).
    #[pyo3(get, name = "G")]
    g: Py<PyArray2<f64>>,
    /// The inequalities' offsets.
    #[pyo3(get)]
    h: Py<PyArray1<f64>>,
    /// Where each row of `G` comes from: `("domain", i)` or
    /// `("neuron", layer, index, on)`.
    #[pyo3(get)]
    sources: Py<PyList>,
    /// The network on the region is `A x + c`.
    #[pyo3(get, name = "A")]
    a: Py<PyArray2<f64>>,
    /// The constant of the map.
    #[pyo3(get)]
    c: Py<PyArray1<f64>>,
    /// With `facets=True`: for each row of `G`, whether it is a facet of
    /// the region (a face of one dimension less) rather than redundant,
    /// decided by a float LP (not proved).
    #[pyo3(get)]
    facets: Option<Py<PyArray1<bool>>>,
    /// On a plane or segment: the witness as an input point.
    #[pyo3(get)]
    input_witness: Option<Py<PyArray1<f64>>>,
    /// On a plane or segment: the map's matrix as a map of the input.
    #[pyo3(get, name = "input_A")]
    input_a: Option<Py<PyArray2<f64>>>,
    /// On a plane or segment: the map's constant.
    #[pyo3(get)]
    input_c: Option<Py<PyArray1<f64>>>,
    /// With `exact=True`: a witness on all inputs as `fractions.Fraction`s,
    /// checked strictly inside in exact arithmetic.
    #[pyo3(get)]
    exact_witness: Option<Py<PyTuple>>,
    /// With `exact=True`: the map `(A, c)` as `Fraction`s, computed exactly
    /// from the weights (rows of `A` as tuples).
    #[pyo3(get)]
    exact_map: Option<Py<PyTuple>>,
}

impl Region {
    fn new(py: Python<'_>, data: RegionData) -> PyResult<Region> {
        let r = data.report;
        let d = r.witness.len();
        let rows = r.constraints.len();
        let g: Vec<f64> = r.constraints.iter().flat_map(|k| k.a.clone()).collect();
        let h: Vec<f64> = r.constraints.iter().map(|k| k.b).collect();
        let sources = PyList::empty(py);
        for k in &r.constraints {
            match k.source {
                RowSource::Domain(i) => sources.append(("domain", i))?,
                RowSource::Neuron { layer, index, on } => {
                    sources.append(("neuron", layer, index, on))?
                }
            }
        }
        let a: Vec<f64> = r.affine_map.a.iter().flatten().copied().collect();
        let pattern = data
            .pattern
            .iter()
            .map(|bits| PyArray1::from_slice(py, bits));
        let facets = (r.constraints.iter())
            .map(|k| k.facet)
            .collect::<Option<Vec<bool>>>()
            .map(|f| PyArray1::from_slice(py, &f).unbind());
        let (input_witness, input_a, input_c) = match &r.input {
            Some(input) => {
                let m = &input.affine_map;
                let cols = input.witness.len();
                let a: Vec<f64> = m.a.iter().flatten().copied().collect();
                (
                    Some(vector(py, &input.witness).unbind()),
                    Some(matrix(py, m.c.len(), cols, &a).unbind()),
                    Some(vector(py, &m.c).unbind()),
                )
            }
            None => (None, None, None),
        };
        let (exact_witness, exact_map) = match &r.exact {
            Some(e) => {
                let fraction = py.import("fractions")?.getattr("Fraction")?;
                let many = |values: &[String]| -> PyResult<Bound<'_, PyTuple>> {
                    let items = (values.iter())
                        .map(|v| fraction.call1((v.as_str(),)))
                        .collect::<PyResult<Vec<_>>>()?;
                    PyTuple::new(py, items)
                };
                let rows = (e.affine_map.a.iter())
                    .map(|row| many(row))
                    .collect::<PyResult<Vec<_>>>()?;
                let map = PyTuple::new(
                    py,
                    [
                        PyTuple::new(py, rows)?.into_any(),
                        many(&e.affine_map.c)?.into_any(),
                    ],
                )?;
                (Some(many(&e.witness)?.unbind()), Some(map.unbind()))
            }
            None => (None, None),
        };
        Ok(Region {
            facets,
            input_witness,
            input_a,
            input_c,
            exact_witness,
            exact_map,
            id: r.id,
            pattern: PyTuple::new(py, pattern)?.unbind(),
            pattern_text: r.pattern,
            witness: vector(py, &r.witness).unbind(),
            radius: r.radius,
            radius_is_chebyshev: r.radius_is_chebyshev,
            g: matrix(py, rows, d, &g).unbind(),
            h: vector(py, &h).unbind(),
            sources: sources.unbind(),
            a: matrix(py, r.affine_map.c.len(), d, &a).unbind(),
            c: vector(py, &r.affine_map.c).unbind(),
        })
    }
}

#[pymethods]
impl Region {
    /// The inequalities `(G, h)`: the region is `{x : G x < h}`.
    #[getter]
    fn inequalities(&self, py: Python<'_>) -> (Py<PyArray2<f64>>, Py<PyArray1<f64>>) {
        (self.g.clone_ref(py), self.h.clone_ref(py))
    }

    /// The affine map `(A, c)`: the network on the region is `A x + c`.
    #[getter]
    fn map(&self, py: Python<'_>) -> (Py<PyArray2<f64>>, Py<PyArray1<f64>>) {
        (self.a.clone_ref(py), self.c.clone_ref(py))
    }

    fn __repr__(&self) -> String {
        format!(
            "Region(id={}, pattern='{}', radius={:.3e})",
            self.id, self.pattern_text, self.radius
        )
    }
}
