//! The package's exceptions, and the library's errors mapped onto them with
//! the library's own message (the one the CLI prints).

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::PyErr;

pyo3::create_exception!(
    regionwalk,
    ModelError,
    PyValueError,
    "A model that cannot be read or is not a ReLU network."
);
pyo3::create_exception!(
    regionwalk,
    DomainError,
    PyValueError,
    "An input domain that is malformed or does not fit the model."
);
pyo3::create_exception!(
    regionwalk,
    WalkError,
    PyRuntimeError,
    "A walk that failed (an LP engine failure, an inconsistency)."
);
pyo3::create_exception!(
    regionwalk,
    CertificateRejected,
    PyRuntimeError,
    "A count whose certificate the independent checker rejected."
);

/// A model error (a loader's, or an unknown format name).
pub fn model(e: impl std::fmt::Display) -> PyErr {
    ModelError::new_err(e.to_string())
}

/// A domain error, from any of the library's domain-shaped errors.
pub fn domain(e: impl std::fmt::Display) -> PyErr {
    DomainError::new_err(e.to_string())
}

/// Setting up the working space: the domain's fault, or the LP engine's.
pub fn space(e: regionwalk::SpaceError) -> PyErr {
    match e {
        regionwalk::SpaceError::Domain(e) => domain(e),
        regionwalk::SpaceError::Lp(e) => walk(e),
    }
}

/// A failed walk (or anything else that is not the input's fault).
pub fn walk(e: impl std::fmt::Display) -> PyErr {
    WalkError::new_err(e.to_string())
}

/// A failed sample run: bad points are the input's fault.
pub fn sample(e: regionwalk::SampleError) -> PyErr {
    match e {
        regionwalk::SampleError::Input(e) => PyValueError::new_err(e.to_string()),
        e => walk(e),
    }
}
