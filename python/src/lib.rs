//! The native half of the `regionwalk` Python package (docs/python.md): the
//! library's models, domains, walks and reports, with numpy arrays in and
//! out. The pure-Python half (`python/regionwalk/`) gives them their
//! keyword-argument API and docstrings.
//!
//! Every walk runs on a thread of its own with the GIL released; the
//! calling thread waits and checks for Ctrl-C (`background.rs`).

mod background;
mod domain;
mod errors;
mod graph;
mod network;
mod plot;
mod regions;
mod runs;

use pyo3::prelude::*;

/// The allocator of the walks run from Python: mimalloc, as the command
/// line's (the root crate's src/main.rs says why, with numbers). It serves
/// only this library's own allocations, not Python's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The module `regionwalk._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<network::NativeNetwork>()?;
    m.add_class::<regions::Region>()?;
    m.add_class::<regions::RegionIter>()?;
    m.add_function(wrap_pyfunction!(runs::count, m)?)?;
    m.add_function(wrap_pyfunction!(runs::sample, m)?)?;
    m.add_function(wrap_pyfunction!(regions::regions, m)?)?;
    m.add_function(wrap_pyfunction!(graph::graph, m)?)?;
    m.add_function(wrap_pyfunction!(plot::plot, m)?)?;
    m.add_function(wrap_pyfunction!(plot::svg_to_png, m)?)?;
    m.add_function(wrap_pyfunction!(background::running_jobs, m)?)?;
    m.add("ModelError", py.get_type::<errors::ModelError>())?;
    m.add("DomainError", py.get_type::<errors::DomainError>())?;
    m.add("WalkError", py.get_type::<errors::WalkError>())?;
    m.add(
        "CertificateRejected",
        py.get_type::<errors::CertificateRejected>(),
    )?;
    Ok(())
}
