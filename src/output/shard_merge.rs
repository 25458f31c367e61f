//! Uniting the parts of a sharded run (`--shard K/N`, docs/cluster.md): the
//! `count --json` reports, or the JSON Lines region files of `enumerate`.
//!
//! Part K of N walks the K-th of N consecutive runs of subtrees of one
//! frontier, so the parts' regions one after another, in part order, are
//! the single run's regions in its own order; merging renumbers their ids
//! from 0. Before merging, the parts are checked: each one finished
//! (`"complete": true`), all of one run (same header but for the model's
//! path: model, its SHA-256, domain, decisions, engine; same N and frontier),
//! every part 1..N present once, and their subtree ranges tiling the
//! frontier.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why parts cannot be merged.
#[derive(Debug, Error)]
pub enum MergeError {
    /// A part cannot be read, or is not a part of a sharded run.
    #[error("{}: {message}", path.display())]
    Part {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The parts do not make one whole run.
    #[error("{0}")]
    Parts(String),
    /// Writing the merged output failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// The fields of a count report or summary that describe the walk rather
/// than the run's identity.
const WALK_FIELDS: [&str; 8] = [
    "lp_solves",
    "regions",
    "seconds",
    "stats",
    "threads",
    "complete",
    "stopped",
    "shard",
];

/// A part's `shard` record (`ShardRun` as written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) struct ShardRecord {
    pub(crate) index: u64,
    count: u64,
    frontier: u64,
    first: u64,
    end: u64,
}

/// A JSON object.
pub(crate) type Object = Map<String, Value>;

/// One part: its file, identity (header without the model's path) and walk
/// summary.
pub(crate) struct Part {
    pub(crate) path: PathBuf,
    pub(crate) identity: Map<String, Value>,
    pub(crate) summary: Map<String, Value>,
    pub(crate) shard: ShardRecord,
}

impl Part {
    pub(crate) fn new(
        path: &Path,
        mut identity: Map<String, Value>,
        summary: Map<String, Value>,
    ) -> Result<Part, MergeError> {
        let bad = |message: &str| MergeError::Part {
            path: path.to_path_buf(),
            message: message.to_string(),
        };
        identity.remove("type");
        if let Some(model) = identity.get_mut("model").and_then(Value::as_object_mut) {
            model.remove("path");
        }
        if identity.contains_key("linear_regions") {
            return Err(bad(
                "linear regions cross shard borders: run `count --linear` without --shard",
            ));
        }
        let shard = summary
            .get("shard")
            .ok_or_else(|| bad("not a part of a sharded run (no \"shard\" in its summary)"))?;
        let shard: ShardRecord = serde_json::from_value(shard.clone())
            .map_err(|e| bad(&format!("its shard record: {e}")))?;
        if summary.get("complete") != Some(&Value::Bool(true)) {
            return Err(bad(&format!(
                "part {}/{} stopped before its end (\"complete\": false): run it again",
                shard.index, shard.count
            )));
        }
        Ok(Part {
            path: path.to_path_buf(),
            identity,
            summary,
            shard,
        })
    }
}

/// Checks that `parts` make one whole run, and orders them by part.
pub(crate) fn check(mut parts: Vec<Part>) -> Result<Vec<Part>, MergeError> {
    let Some(first) = parts.first() else {
        return Err(MergeError::Parts("no parts to merge".into()));
    };
    let (n, frontier) = (first.shard.count, first.shard.frontier);
    for p in &parts[1..] {
        let differs = if p.shard.count != n {
            Some(format!(
                "it is a part of {} where {} is of {n}",
                p.shard.count,
                first.path.display()
            ))
        } else if p.shard.frontier != frontier {
            Some("its frontier differs".into())
        } else {
            p.identity
                .iter()
                .chain(first.identity.iter())
                .find(|(k, _)| p.identity.get(*k) != first.identity.get(*k))
                .map(|(k, _)| format!("its {k} differs"))
        };
        if let Some(why) = differs {
            return Err(MergeError::Part {
                path: p.path.clone(),
                message: format!("not of the same run as {}: {why}", first.path.display()),
            });
        }
    }
    let mut by_index: BTreeMap<u64, Vec<&Path>> = BTreeMap::new();
    for p in &parts {
        by_index.entry(p.shard.index).or_default().push(&p.path);
    }
    let twice: Vec<String> = by_index
        .iter()
        .filter(|(_, paths)| paths.len() > 1)
        .map(|(k, paths)| {
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            format!(
                "part {k}/{n} is given {} times ({})",
                paths.len(),
                names.join(", ")
            )
        })
        .collect();
    let missing: Vec<String> = (1..=n)
        .filter(|k| !by_index.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    let mut problems = twice;
    if !missing.is_empty() {
        problems.push(format!("missing parts: {}", missing.join(", ")));
    }
    if !problems.is_empty() {
        return Err(MergeError::Parts(problems.join("; ")));
    }
    parts.sort_by_key(|p| p.shard.index);
    let mut at = 0;
    for p in &parts {
        if p.shard.first != at {
            return Err(MergeError::Part {
                path: p.path.clone(),
                message: format!(
                    "its subtrees start at {} where the previous part ends at {at}",
                    p.shard.first
                ),
            });
        }
        at = p.shard.end;
    }
    if at != frontier {
        return Err(MergeError::Parts(format!(
            "the parts end at subtree {at} of {frontier}"
        )));
    }
    Ok(parts)
}

/// The walk fields of the merged run: counts and times summed over the
/// parts (`seconds` is the parts' total time, not a wall time), the most
/// threads, complete, no shard record, and `merged_parts`.
pub(crate) fn merged_summary(parts: &[Part]) -> Map<String, Value> {
    let mut out = Map::new();
    let sum = |get: &dyn Fn(&Map<String, Value>) -> Option<f64>| -> f64 {
        parts.iter().filter_map(|p| get(&p.summary)).sum()
    };
    let int = |v: f64| Value::from(v as u64);
    out.insert(
        "lp_solves".into(),
        int(sum(&|s| s.get("lp_solves")?.as_f64())),
    );
    out.insert("regions".into(), int(sum(&|s| s.get("regions")?.as_f64())));
    out.insert(
        "seconds".into(),
        Value::from(sum(&|s| s.get("seconds")?.as_f64())),
    );
    let mut stats = Map::new();
    if let Some(Value::Object(first)) = parts[0].summary.get("stats") {
        for key in first.keys() {
            let total = sum(&|s| s.get("stats")?.get(key)?.as_f64());
            stats.insert(key.clone(), int(total));
        }
    }
    out.insert("stats".into(), Value::Object(stats));
    let threads = parts
        .iter()
        .filter_map(|p| p.summary.get("threads")?.as_u64())
        .max()
        .unwrap_or(1);
    out.insert("threads".into(), threads.into());
    out.insert("complete".into(), true.into());
    out.insert("merged_parts".into(), (parts.len() as u64).into());
    out
}

/// Merges `count --json` reports, one JSON object per file, into one report.
pub fn merge_count_reports(paths: &[PathBuf]) -> Result<Value, MergeError> {
    let (mut parts, mut model_path) = (Vec::new(), None);
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| MergeError::Part {
            path: path.clone(),
            message: format!("cannot read: {e}"),
        })?;
        let Ok(Value::Object(report)) = serde_json::from_str::<Value>(&text) else {
            return Err(MergeError::Part {
                path: path.clone(),
                message: "not a `count --json` report (one JSON object)".into(),
            });
        };
        model_path = model_path.or_else(|| report.get("model")?.get("path").cloned());
        let (summary, identity) = report
            .into_iter()
            .partition(|(k, _)| WALK_FIELDS.contains(&k.as_str()));
        parts.push(Part::new(path, identity, summary)?);
    }
    let parts = check(parts)?;
    let mut report = parts[0].identity.clone();
    report.remove("model_sha256");
    if let (Some(Value::Object(model)), Some(path)) = (report.get_mut("model"), model_path) {
        model.insert("path".into(), path);
    }
    report.extend(merged_summary(&parts));
    Ok(Value::Object(report))
}

/// The first and last lines of `path`, as JSON objects.
fn ends(path: &Path) -> Result<(Object, Object), MergeError> {
    let bad = |message: String| MergeError::Part {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let (mut first, mut last) = (None, None);
    for (i, line) in io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| bad(format!("line {}: {e}", i + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        if first.is_none() {
            first = Some(line);
        } else {
            last = Some(line);
        }
    }
    let object = |line: Option<String>, what: &str| -> Result<Map<String, Value>, MergeError> {
        match line.as_deref().map(serde_json::from_str::<Value>) {
            Some(Ok(Value::Object(m))) => Ok(m),
            _ => Err(bad(format!("no JSON {what} line"))),
        }
    };
    Ok((object(first, "first")?, object(last, "last")?))
}

/// Whether `path` looks like a JSON Lines region file (its first line is a
/// header line); otherwise it is taken for a count report.
pub fn is_region_file(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    let _ = io::BufReader::new(file).read_line(&mut first);
    serde_json::from_str::<Value>(&first)
        .is_ok_and(|v| v.get("type").and_then(Value::as_str) == Some("header"))
}

/// Merges JSON Lines region files of the parts into one region file on
/// `out`: the first part's header, every region in part order with ids
/// renumbered from 0, and the merged summary. Returns the region count.
pub fn merge_region_files(paths: &[PathBuf], mut out: impl Write) -> Result<u64, MergeError> {
    let mut parts = Vec::new();
    for path in paths {
        let (header, summary) = ends(path)?;
        if header.get("type").and_then(Value::as_str) != Some("header")
            || summary.get("type").and_then(Value::as_str) != Some("summary")
        {
            return Err(MergeError::Part {
                path: path.clone(),
                message: "not a JSON Lines region file (enumerate -o FILE.jsonl) with a header and a summary line".into(),
            });
        }
        parts.push(Part::new(path, header, summary)?);
    }
    let parts = check(parts)?;
    let (mut header, _) = ends(&parts[0].path)?;
    header.remove("model_sha256");
    serde_json::to_writer(&mut out, &header).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    let mut id = 0u64;
    for part in &parts {
        let bad = |message: String| MergeError::Part {
            path: part.path.clone(),
            message,
        };
        let file = std::fs::File::open(&part.path).map_err(|e| bad(format!("cannot read: {e}")))?;
        for (i, line) in io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| bad(format!("line {}: {e}", i + 1)))?;
            let Ok(Value::Object(mut record)) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if record.get("type").and_then(Value::as_str) != Some("region") {
                continue;
            }
            record.insert("id".into(), id.into());
            id += 1;
            serde_json::to_writer(&mut out, &record).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
    }
    let mut summary = Map::new();
    summary.insert("type".into(), "summary".into());
    summary.extend(merged_summary(&parts));
    if summary.get("regions").and_then(Value::as_u64) != Some(id) {
        return Err(MergeError::Parts(format!(
            "the parts' summaries count {} regions but they hold {id}",
            summary["regions"]
        )));
    }
    serde_json::to_writer(&mut out, &summary).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(id)
}
