//! Proving a count, then checking the proof: the walk with every decision
//! proved writes a certificate (docs/certificate.md), and the independent
//! checker reads it back. The checker is handed a reader; it opens nothing.

use crate::certify::certificate_check::{check_certificate, CheckFileError};
use crate::certify::certificate_file::CertificateWriter;
use crate::certify::certificate_io::CertificateSink;
use crate::check::limits::CheckLimits;
use crate::check::verify::Verdict;
use crate::domain::input_domain::Domain;
use crate::error::WalkError;
use crate::exact::slice_network::SliceNetwork;
use crate::lp::LpEngine;
use crate::model::network::Network;
use crate::walk::control::{RunControl, Shard, ShardRun};
use crate::walk::space::WorkSpace;
use crate::walk::stats::WalkStats;
use crate::walk::subtree::{run_resumable, Settled};
use crate::walk::walker::{WalkOptions, Walker};
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use thiserror::Error;

/// Why a certificate could not be written or checked.
#[derive(Debug, Error)]
pub enum CertifyError {
    /// The certificate file cannot be created (bad input: a path).
    #[error("{}: cannot create certificate file", path.display())]
    Create {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The walk failed, or writing a region's proofs did.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// Writing the certificate's header or summary failed.
    #[error("{}: cannot write the certificate", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The written certificate could not be put in place.
    #[error("{}: cannot complete the certificate", path.display())]
    Commit {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The certificate could not be opened or read back to check it.
    #[error(transparent)]
    Check(#[from] CheckFileError),
    /// No temporary folder for the certificate of a certified count.
    #[error("cannot make a temporary folder")]
    TempDir(#[source] io::Error),
}

impl CertifyError {
    /// True when the error is the input's fault (a path that cannot be
    /// created or read), not the run's.
    pub fn is_bad_input(&self) -> bool {
        match self {
            CertifyError::Create { .. } => true,
            CertifyError::Check(e) => e.is_bad_input(),
            _ => false,
        }
    }
}

/// What writing a certificate did.
#[derive(Debug, Clone, PartialEq)]
pub struct Certified {
    /// Regions certified.
    pub regions: u64,
    /// What the walk did.
    pub stats: WalkStats,
    /// Wall time of the walk and the writing.
    pub seconds: f64,
    /// The certificate's size on disk.
    pub bytes: u64,
}

/// The fields the certificate's summary line adds to its region count.
#[derive(Serialize)]
struct CertificateSummary {
    /// Always true: a stopped walk leaves no certificate.
    complete: bool,
    seconds: f64,
    stats: WalkStats,
    /// In a part of a sharded run: which part (`regionwalk merge` unites them).
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<ShardRun>,
}

/// Walks `network` on `domain` (set up as `space`) with every decision proved
/// in exact arithmetic, and writes the proofs to the certificate `path`
/// (gzip-compressed if it ends in `.gz`). Calls `progress` with the number of
/// regions written so far after each one.
pub fn write_certificate(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    path: &Path,
    progress: impl FnMut(u64),
) -> Result<Certified, CertifyError> {
    write_certificate_controlled(network, domain, space, engine, path, None, None, progress)
}

/// As [`write_certificate`], under `control`'s limits and stop flag. A walk
/// stopped early leaves no certificate: the file is not completed and
/// `path` is left as it was (the returned stats say `stopped`, `bytes` is 0).
/// With `shard`, walks only that part of the tree (docs/cluster.md): the
/// certificate of a part lists its subtrees' proofs and regions, and its
/// summary names the part; `regionwalk merge` unites the parts into the
/// whole run's certificate.
#[allow(clippy::too_many_arguments)]
pub fn write_certificate_controlled(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    path: &Path,
    control: Option<&'static RunControl>,
    shard: Option<Shard>,
    progress: impl FnMut(u64),
) -> Result<Certified, CertifyError> {
    let start = Instant::now();
    let file = CertificateSink::create(path).map_err(|source| CertifyError::Create {
        path: path.to_path_buf(),
        source,
    })?;
    let write_error = |source| CertifyError::Write {
        path: path.to_path_buf(),
        source,
    };
    let slice = SliceNetwork::new(network, domain);
    let mut writer =
        CertificateWriter::new(file, network, domain, slice.free()).map_err(write_error)?;
    let options = WalkOptions {
        control,
        shard,
        ..WalkOptions::default()
    };
    let (stats, _) = stream_certificate(space, engine, options, &mut writer, progress)?;
    let regions = writer.written();
    let seconds = start.elapsed().as_secs_f64();
    if stats.stopped.is_some() {
        // Dropping the unfinished file removes it: no partial certificate.
        return Ok(Certified {
            regions,
            stats,
            seconds,
            bytes: 0,
        });
    }
    let summary = certificate_summary(stats, seconds);
    let file = writer.finish(summary).map_err(write_error)?;
    file.commit().map_err(|source| CertifyError::Commit {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(Certified {
        regions,
        stats,
        seconds,
        bytes,
    })
}

/// The fields a completed certificate's summary line adds to its region
/// count: the walk's stats and time, and the part of a sharded run.
pub fn certificate_summary(stats: WalkStats, seconds: f64) -> serde_json::Value {
    serde_json::to_value(CertificateSummary {
        complete: true,
        seconds,
        stats,
        shard: stats.shard,
    })
    .unwrap_or_default()
}

/// Walks `space` with `engine` and `options` (certification turned on),
/// and writes every region's proofs and the region to `writer` (which has
/// written the header, or continues a certificate: a resumed run), without
/// the summary. Calls `progress` with the number of regions written so far
/// after each one. When the walk stopped early and has a control, also
/// returns where the certificate can be continued from ([`Settled`]): a
/// resumed walk hands out no proof twice, since a split's proofs go with
/// the first region under it.
pub fn stream_certificate<W: Write>(
    space: &WorkSpace,
    engine: &dyn LpEngine,
    options: WalkOptions,
    writer: &mut CertificateWriter<W>,
    mut progress: impl FnMut(u64),
) -> Result<(WalkStats, Option<Settled>), CertifyError> {
    let options = WalkOptions {
        certify: true,
        ..options
    };
    let walker = Walker::new(space, engine, options);
    let (stats, stopped) = run_resumable(&walker, &options, |region| {
        writer.region(&region)?;
        progress(writer.written());
        Ok(())
    })?;
    let settled = stopped.map(|position| Settled {
        regions: writer.written(),
        bytes: writer.bytes(),
        position,
    });
    Ok((stats, settled))
}

/// A count proved and checked: the certificate written, and the checker's
/// verdict on it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCount {
    /// What writing the certificate did.
    pub certified: Certified,
    /// The checker's verdict.
    pub verdict: Verdict,
}

impl CheckedCount {
    /// Why the count is not certified: the checker's reason, or a count the
    /// checker and the walk disagree on. `None` when it is certified.
    pub fn rejection(&self) -> Option<String> {
        match &self.verdict.reason {
            Some(reason) => Some(reason.to_string()),
            None if self.verdict.regions != self.certified.regions => Some(format!(
                "checker counted {} regions, the walk {}",
                self.verdict.regions, self.certified.regions
            )),
            None => None,
        }
    }
}

/// Proves the count of `network` on `domain` (set up as `space`) into a
/// temporary certificate, checks it with the independent checker, and
/// removes it. Calls `progress` as [`write_certificate`] does.
pub fn certify_and_check(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    progress: impl FnMut(u64),
) -> Result<CheckedCount, CertifyError> {
    certify_and_check_controlled(network, domain, space, engine, None, progress)
        .map(|checked| checked.expect("a walk without a control runs to its end"))
}

/// As [`certify_and_check`], under `control`'s limits and stop flag: `None`
/// when the walk stopped early (no certificate is left, none is checked).
/// Each call has a temporary folder of its own, so calls on several
/// threads of one process (the Python package's) do not meet.
pub fn certify_and_check_controlled(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    control: Option<&'static RunControl>,
    progress: impl FnMut(u64),
) -> Result<Option<CheckedCount>, CertifyError> {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("regionwalk-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(CertifyError::TempDir)?;
    let path = dir.join("count.cert.jsonl.gz");
    let result = write_certificate_controlled(
        network, domain, space, engine, &path, control, None, progress,
    )
    .and_then(|certified| {
        if certified.stats.stopped.is_some() {
            return Ok(None);
        }
        let verdict = check_certificate(network, domain, &path, &CheckLimits::default())?;
        Ok(Some(CheckedCount { certified, verdict }))
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(walk: u64, checker: u64) -> CheckedCount {
        CheckedCount {
            certified: Certified {
                regions: walk,
                stats: WalkStats::default(),
                seconds: 0.0,
                bytes: 0,
            },
            verdict: Verdict {
                verified: true,
                regions: checker,
                reason: None,
            },
        }
    }

    #[test]
    fn a_verified_certificate_must_also_agree_with_the_walk_count() {
        assert_eq!(checked(3, 3).rejection(), None);
        assert_eq!(
            checked(3, 2).rejection().as_deref(),
            Some("checker counted 2 regions, the walk 3")
        );
    }
}
