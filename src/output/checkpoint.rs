//! Checkpoints of stopped runs (`--checkpoint`, `--resume`,
//! docs/large-runs.md): which run it was (hashes of the model, the domain
//! and the options, and the versions), how far it got (the frontier
//! subtrees it finished and their regions), and, for a region file, the
//! unfinished file to continue and its length up to those regions.
//!
//! The walk's frontier does not depend on the machine or the thread count
//! (docs/design.md §2), so "subtrees `0..subtrees_done` are done" names the
//! same part of the tree in the next run, which walks the rest; positions
//! inside a subtree are as stable (`walk/subtree.rs`).

use crate::atomic_file::AtomicFile;
use crate::output::json_line::json_line;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What a checkpoint file says it is.
pub const CHECKPOINT_FORMAT: &str = "regionwalk-checkpoint";
/// The layout of checkpoint files; a checkpoint of another layout is refused.
pub const CHECKPOINT_VERSION: u32 = 1;
/// The largest checkpoint file read: a real one is a few hundred bytes, and
/// a few bytes more per level of the position in a deep network.
const MAX_CHECKPOINT_BYTES: u64 = 1 << 20;

/// Which run a checkpoint belongs to: SHA-256 hashes (hex) of the model's
/// weights, the domain, and the options that shape the output (the command,
/// its flags, the shard, the LP engine, the header of the output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// The command: `count` or `enumerate`.
    pub command: String,
    /// The network's weights ([`Network::fingerprint`](crate::Network::fingerprint)).
    pub model: String,
    /// The domain's JSON.
    pub domain: String,
    /// The options' JSON.
    pub options: String,
}

impl RunIdentity {
    /// The identity of `command` on a network with `fingerprint`, on
    /// `domain` (its JSON), with `options` (any JSON naming them).
    pub fn new(command: &str, fingerprint: &str, domain: &Value, options: &Value) -> Self {
        RunIdentity {
            command: command.to_string(),
            model: fingerprint.to_string(),
            domain: hash(domain),
            options: hash(options),
        }
    }
}

/// The SHA-256 (hex) of `value` written with sorted keys.
fn hash(value: &Value) -> String {
    let text = json_line(value).unwrap_or_default();
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A region file left unfinished by a stopped run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialFile {
    /// Its path, as the run named it.
    pub path: PathBuf,
    /// Its length up to the last region handed out.
    pub bytes: u64,
}

/// A stopped run: which run, and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`CHECKPOINT_FORMAT`].
    pub format: String,
    /// [`CHECKPOINT_VERSION`].
    pub checkpoint_version: u32,
    /// The version of regionwalk that wrote it.
    pub regionwalk_version: String,
    /// Which run.
    pub identity: RunIdentity,
    /// Subtrees in the walk's frontier (of the part, in a sharded run).
    pub frontier: u64,
    /// Subtrees finished, the first ones in tree order.
    pub subtrees_done: u64,
    /// Regions handed out: those of the finished subtrees, and of the
    /// unfinished one up to `position`.
    pub regions: u64,
    /// In subtree `subtrees_done`, the position of the last region handed
    /// out ([`Region::position`](crate::Region::position)); the resumed walk
    /// continues after it. `None`: that subtree starts afresh.
    #[serde(default)]
    pub position: Option<Vec<u32>>,
    /// The unfinished region file (`enumerate`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub partial: Option<PartialFile>,
}

/// Why a checkpoint cannot be read or resumed.
#[derive(Debug, Error)]
pub enum CheckpointError {
    /// It cannot be read or written.
    #[error("{}: {what}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// Why it failed.
        source: io::Error,
    },
    /// It is not a checkpoint, or of another run or version.
    #[error("{}: {message}", path.display())]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

impl Checkpoint {
    /// A checkpoint of `identity`, written by this version.
    pub fn new(identity: RunIdentity, frontier: u64, subtrees_done: u64, regions: u64) -> Self {
        Checkpoint {
            format: CHECKPOINT_FORMAT.to_string(),
            checkpoint_version: CHECKPOINT_VERSION,
            regionwalk_version: env!("CARGO_PKG_VERSION").to_string(),
            identity,
            frontier,
            subtrees_done,
            regions,
            position: None,
            partial: None,
        }
    }

    /// Writes it to `path`, atomically: an earlier checkpoint there stays
    /// whole until the new one replaces it.
    pub fn write(&self, path: &Path) -> Result<(), CheckpointError> {
        let io = |source| CheckpointError::Io {
            path: path.to_path_buf(),
            what: "cannot write the checkpoint",
            source,
        };
        let text = json_line(self).map_err(|e| io(e.into()))?;
        let mut file = AtomicFile::create(path).map_err(io)?;
        writeln!(file, "{text}").map_err(io)?;
        file.commit().map_err(io)
    }

    /// Reads the checkpoint at `path` and checks that it is one of this
    /// version, for `identity`.
    pub fn read(path: &Path, identity: &RunIdentity) -> Result<Self, CheckpointError> {
        let refuse = |message: String| CheckpointError::Refused {
            path: path.to_path_buf(),
            message,
        };
        let io = |source| CheckpointError::Io {
            path: path.to_path_buf(),
            what: "cannot read the checkpoint",
            source,
        };
        let len = std::fs::metadata(path).map_err(io)?.len();
        if len > MAX_CHECKPOINT_BYTES {
            return Err(refuse(format!(
                "not a regionwalk checkpoint ({len} bytes; a checkpoint is under {MAX_CHECKPOINT_BYTES})"
            )));
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| refuse(format!("not a regionwalk checkpoint: {e}")))?;
        if value.get("format").and_then(Value::as_str) != Some(CHECKPOINT_FORMAT) {
            return Err(refuse(format!(
                "not a regionwalk checkpoint (no \"format\": \"{CHECKPOINT_FORMAT}\")"
            )));
        }
        let version = (
            value.get("checkpoint_version").and_then(Value::as_u64),
            value.get("regionwalk_version").and_then(Value::as_str),
        );
        let ours = env!("CARGO_PKG_VERSION");
        if version != (Some(CHECKPOINT_VERSION.into()), Some(ours)) {
            return Err(refuse(format!(
                "a checkpoint of another version (regionwalk {}, checkpoint version {}); this is regionwalk {ours}, checkpoint version {CHECKPOINT_VERSION}: start the run again",
                version.1.unwrap_or("?"),
                version.0.map_or("?".to_string(), |v| v.to_string()),
            )));
        }
        let checkpoint: Checkpoint = serde_json::from_value(value)
            .map_err(|e| refuse(format!("not a regionwalk checkpoint: {e}")))?;
        let theirs = &checkpoint.identity;
        let differs = if theirs.command != identity.command {
            Some(format!(
                "of `{}`, not of `{}`",
                theirs.command, identity.command
            ))
        } else if theirs.model != identity.model {
            Some("of another model (its weights differ)".to_string())
        } else if theirs.domain != identity.domain {
            Some("on another domain".to_string())
        } else if theirs.options != identity.options {
            Some("with other options (flags, shard, LP engine or output format)".to_string())
        } else {
            None
        };
        if let Some(how) = differs {
            return Err(refuse(format!(
                "a checkpoint of another run ({how}): resume with the model, domain and flags of the stopped run"
            )));
        }
        if checkpoint.subtrees_done > checkpoint.frontier {
            return Err(refuse(format!(
                "not a regionwalk checkpoint: {} subtrees done of {}",
                checkpoint.subtrees_done, checkpoint.frontier
            )));
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn identity(domain: f64) -> RunIdentity {
        RunIdentity::new("count", "abc", &json!({"box": [domain]}), &json!({}))
    }

    /// What is written is read back; another domain, command or version is
    /// refused with a message naming what differs.
    #[test]
    fn a_checkpoint_is_read_back_only_for_its_own_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ck.json");
        let mut ck = Checkpoint::new(identity(1.0), 1024, 12, 345);
        ck.partial = Some(PartialFile {
            path: "out.jsonl.partial".into(),
            bytes: 999,
        });
        ck.write(&path).unwrap();
        assert_eq!(Checkpoint::read(&path, &identity(1.0)).unwrap(), ck);
        let err = Checkpoint::read(&path, &identity(2.0)).unwrap_err();
        assert!(err.to_string().contains("on another domain"), "{err}");
        let mut other = identity(1.0);
        other.command = "enumerate".into();
        let err = Checkpoint::read(&path, &other).unwrap_err();
        assert!(
            err.to_string().contains("of `count`, not of `enumerate`"),
            "{err}"
        );
        ck.regionwalk_version = "0.0.1".into();
        ck.write(&path).unwrap();
        let err = Checkpoint::read(&path, &identity(1.0)).unwrap_err();
        assert!(err.to_string().contains("another version"), "{err}");
        std::fs::write(&path, "{}").unwrap();
        let err = Checkpoint::read(&path, &identity(1.0)).unwrap_err();
        assert!(
            err.to_string().contains("not a regionwalk checkpoint"),
            "{err}"
        );
    }
}
