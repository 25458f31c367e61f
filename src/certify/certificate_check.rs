//! A certificate file checked: opened (plain or gzip-compressed, by its name)
//! and read by the independent checker within its limits; and the report
//! `verify --json` prints. Nothing here reaches the walk or the LP code, so
//! `verify` runs none of it (`tests/checker_isolation.rs`).

use crate::certify::certificate_io::open_certificate;
use crate::check::limits::CheckLimits;
use crate::check::verify::{verify_certificate, Verdict};
use crate::domain::input_domain::Domain;
use crate::model::network::Network;
use serde::Serialize;
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a certificate file could not be checked (a certificate that is read
/// and found wrong is a rejection in the [`Verdict`] instead).
#[derive(Debug, Error)]
pub enum CheckFileError {
    /// The certificate cannot be opened (bad input: a path).
    #[error("{}: cannot read certificate", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Reading the certificate failed while checking it.
    #[error("{}: reading the certificate", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

impl CheckFileError {
    /// True when the error is the input's fault (a path that cannot be
    /// read), not the run's.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, CheckFileError::Open { .. })
    }
}

/// Opens the certificate `path` (gzip if it ends in `.gz`) and checks it
/// with the independent checker against `network` on `domain`, within
/// `limits`.
pub fn check_certificate(
    network: &Network,
    domain: &Domain,
    path: &Path,
    limits: &CheckLimits,
) -> Result<Verdict, CheckFileError> {
    let reader = open_certificate(path).map_err(|source| CheckFileError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    verify_certificate(network, domain, reader, limits).map_err(|source| CheckFileError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// `verify --json`: the checker's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Why the certificate was rejected, or `null`.
    pub reason: Option<String>,
    /// Regions certified, or listed before the first failure.
    pub regions: u64,
    /// Wall time of the check.
    pub seconds: f64,
    /// True when every item checked.
    pub verified: bool,
}
