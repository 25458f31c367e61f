//! Uniting the certificates of a sharded `certify` (`--shard K/N`,
//! docs/cluster.md) into the whole run's certificate.
//!
//! Each part lists, in pre-order, the proofs and regions of its consecutive
//! run of frontier subtrees; a split's proof goes with the first region
//! under it, so it sits in the part holding that region. The parts' items,
//! one after another in part order, are therefore the single run's items in
//! its order: the merged certificate is the first part's header, every
//! split and region line of the parts in part order (region ids renumbered
//! from 0), and a summary with the total. The parts are checked as other
//! parts are (`shard_merge.rs`: one run, each part once, none missing); the
//! merged certificate is then checked by `verify` like any other, which
//! rejects it if anything is missing or out of place.

use crate::certify::certificate_io::open_certificate;
use crate::check::format::{CERTIFICATE_FORMAT, HEADER_ITEM, REGION_ITEM, SUMMARY_ITEM};
use crate::output::shard_merge::{check, merged_summary, MergeError, Object, Part};
use serde_json::Value;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// The longest header line read to tell a certificate from other files.
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// Whether `path` is a certificate (plain or gzip): its first line is a
/// certificate header.
pub fn is_certificate(path: &Path) -> bool {
    let Ok(file) = open_certificate(path) else {
        return false;
    };
    let mut first = String::new();
    if file.take(MAX_HEADER_BYTES).read_line(&mut first).is_err() {
        return false;
    }
    serde_json::from_str::<Value>(&first).is_ok_and(|v| {
        v.get("type").and_then(Value::as_str) == Some(HEADER_ITEM)
            && v.get("format").and_then(Value::as_str) == Some(CERTIFICATE_FORMAT)
    })
}

/// Each JSON line of the certificate `path`, with its line number, to `f`.
fn each_line(
    path: &Path,
    mut f: impl FnMut(usize, Object) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    let bad = |message: String| MergeError::Part {
        path: path.to_path_buf(),
        message,
    };
    let reader = open_certificate(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| bad(format!("line {}: {e}", i + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(item)) => f(i + 1, item)?,
            _ => return Err(bad(format!("line {}: not a JSON object", i + 1))),
        }
    }
    Ok(())
}

/// The header and summary lines of the certificate `path`.
fn ends(path: &Path) -> Result<(Object, Object), MergeError> {
    let (mut header, mut summary) = (None, None);
    each_line(path, |_, item| {
        match item.get("type").and_then(Value::as_str) {
            Some(HEADER_ITEM) if header.is_none() => header = Some(item),
            Some(SUMMARY_ITEM) => summary = Some(item),
            _ => {}
        }
        Ok(())
    })?;
    match (header, summary) {
        (Some(h), Some(s)) => Ok((h, s)),
        _ => Err(MergeError::Part {
            path: path.to_path_buf(),
            message: "not a certificate with a header and a summary line".into(),
        }),
    }
}

/// Merges the certificates of the parts at `paths` into one certificate on
/// `out`. Returns the region count.
pub fn merge_certificates(paths: &[PathBuf], mut out: impl Write) -> Result<u64, MergeError> {
    let mut parts = Vec::new();
    for path in paths {
        let (header, summary) = ends(path)?;
        parts.push(Part::new(path, header, summary)?);
    }
    let parts = check(parts)?;
    let (header, _) = ends(&parts[0].path)?;
    serde_json::to_writer(&mut out, &header).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    let mut id = 0u64;
    for part in &parts {
        each_line(&part.path, |_, mut item| {
            match item.get("type").and_then(Value::as_str) {
                Some(HEADER_ITEM | SUMMARY_ITEM) => return Ok(()),
                Some(REGION_ITEM) => {
                    item.insert("id".into(), id.into());
                    id += 1;
                }
                _ => {}
            }
            serde_json::to_writer(&mut out, &item).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
            Ok(())
        })?;
    }
    // The merged run's summary, with the fields of a part's summary.
    let merged = merged_summary(&parts);
    let mut summary = Object::new();
    summary.insert("type".into(), SUMMARY_ITEM.into());
    for key in ["complete", "seconds", "stats", "merged_parts"] {
        if let Some(v) = merged.get(key) {
            summary.insert(key.into(), v.clone());
        }
    }
    summary.insert("regions".into(), id.into());
    serde_json::to_writer(&mut out, &summary).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(id)
}
