//! `--checkpoint FILE` and `--resume FILE` of `count`, `enumerate` and `certify`
//! (docs/large-runs.md): a stopped run records which frontier subtrees it
//! finished, and a resumed one walks only the rest.

use super::job::Job;
use super::resolve::BadInput;
use anyhow::{Context, Result};
use clap::Args;
use regionwalk::{Checkpoint, PartialFile, RunHeader, RunIdentity, Settled, WalkStats};
use serde_json::{json, Value};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The checkpoint flags.
#[derive(Args, Clone)]
pub struct CheckpointArgs {
    /// If the run stops early (exit code 3), write FILE so that `--resume FILE` continues it without redoing finished subtrees; removed when the run completes.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// Continue the stopped run that FILE records (same model, domain and flags); a new stop updates FILE unless --checkpoint names another.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
}

/// Where a resumed run starts.
pub struct Start {
    /// The checkpoint read, if the run resumes one.
    pub checkpoint: Option<Checkpoint>,
}

impl Start {
    /// Frontier subtrees already done.
    pub fn subtrees_done(&self) -> usize {
        self.checkpoint
            .as_ref()
            .map_or(0, |c| c.subtrees_done as usize)
    }

    /// Regions handed out.
    pub fn regions(&self) -> u64 {
        self.checkpoint.as_ref().map_or(0, |c| c.regions)
    }

    /// The position to continue after, in subtree [`Start::subtrees_done`];
    /// kept for the whole process, as the walk's options need.
    pub fn resume_path(&self) -> Option<&'static [u32]> {
        let path = self.checkpoint.as_ref()?.position.clone()?;
        Some(Box::leak(path.into_boxed_slice()))
    }
}

impl CheckpointArgs {
    /// Whether either flag is given.
    pub fn active(&self) -> bool {
        self.checkpoint.is_some() || self.resume.is_some()
    }

    /// The file a stop writes: `--checkpoint`, else the `--resume` file.
    fn target(&self) -> Option<&Path> {
        self.checkpoint.as_deref().or(self.resume.as_deref())
    }

    /// Reads the `--resume` checkpoint, refusing one of another run.
    pub fn start(&self, identity: &RunIdentity) -> Result<Start> {
        let checkpoint = match &self.resume {
            Some(path) => Some(Checkpoint::read(path, identity)?),
            None => None,
        };
        Ok(Start { checkpoint })
    }

    /// After the walk: a stopped run writes its checkpoint (the regions
    /// handed out, the position of the last one in the unfinished subtree,
    /// and the unfinished file), and says so on stderr; a completed one
    /// removes the checkpoint, which no longer describes an unfinished run.
    pub fn finish(
        &self,
        identity: &RunIdentity,
        stats: &WalkStats,
        (regions, position): (u64, Option<Vec<u32>>),
        partial: Option<PartialFile>,
    ) -> Result<()> {
        let Some(path) = self.target() else {
            return Ok(());
        };
        match stats.stopped {
            Some(s) => {
                let mut checkpoint =
                    Checkpoint::new(identity.clone(), s.frontier, s.subtrees_done, regions);
                checkpoint.partial = partial;
                checkpoint.position = position;
                checkpoint.write(path)?;
                eprintln!(
                    "checkpoint {}: {} of {} subtrees done, {regions} regions; continue with --resume {}",
                    path.display(),
                    s.subtrees_done,
                    s.frontier,
                    path.display()
                );
            }
            None => {
                if path.exists() {
                    std::fs::remove_file(path)?;
                }
            }
        }
        Ok(())
    }
}

impl CheckpointArgs {
    /// After a stopped walk that kept its unfinished file `partial`, written
    /// up to `settled`: records both in the checkpoint.
    pub fn stopped(
        &self,
        identity: &RunIdentity,
        stats: &WalkStats,
        settled: Settled,
        partial: &Path,
    ) -> Result<()> {
        let kept = PartialFile {
            path: partial.to_path_buf(),
            bytes: settled.bytes,
        };
        self.finish(
            identity,
            stats,
            (settled.regions, settled.position),
            Some(kept),
        )
    }
}

/// Flushes the unfinished file `path` and puts it on disk, so that the
/// checkpoint written next never records bytes the file does not hold.
pub fn sync(file: BufWriter<File>, path: &Path) -> Result<()> {
    let failed = || format!("{}: cannot keep the unfinished file", path.display());
    file.into_inner()
        .map_err(|e| e.into_error())
        .with_context(failed)?
        .sync_all()
        .with_context(failed)
}

/// The identity of `command` on `job`: its network's weights, its domain,
/// and `options` with the output's header (without the model's path,
/// which may change between runs).
pub fn identity(job: &Job, command: &str, header: &RunHeader, options: Value) -> RunIdentity {
    let mut header = serde_json::to_value(header).unwrap_or_default();
    if let Some(model) = header.get_mut("model").and_then(Value::as_object_mut) {
        model.remove("path");
    }
    RunIdentity::new(
        command,
        &job.model.network.fingerprint(),
        &job.domain.to_json(),
        &json!({"header": header, "options": options}),
    )
}

/// Creates the unfinished file `path` of a run with a checkpoint.
pub fn create_unfinished(path: &Path) -> Result<File> {
    Ok(File::create(path).map_err(|e| {
        BadInput(format!(
            "{}: cannot create output file: {e}",
            path.display()
        ))
    })?)
}

/// The unfinished file (`what`: a region file, a certificate) that
/// `checkpoint` records, opened at the end of what it records, cutting off
/// what came after.
pub fn reopen_unfinished(checkpoint: &Checkpoint, what: &str) -> Result<(PathBuf, File)> {
    let partial = checkpoint
        .partial
        .as_ref()
        .ok_or_else(|| BadInput(format!("the checkpoint names no unfinished {what}")))?;
    Ok((partial.path.clone(), reopen(partial)?))
}

/// Opens a stopped run's unfinished file at the length the checkpoint
/// records.
fn reopen(partial: &PartialFile) -> Result<File> {
    let path = &partial.path;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| {
            BadInput(format!(
                "{}: cannot open the unfinished file of the checkpoint: {e}",
                path.display()
            ))
        })?;
    let len = file.metadata()?.len();
    if len < partial.bytes {
        return Err(BadInput(format!(
            "{}: {len} bytes, shorter than the {} the checkpoint records: start the run again",
            path.display(),
            partial.bytes
        ))
        .into());
    }
    file.set_len(partial.bytes)?;
    file.seek(SeekFrom::End(0))?;
    Ok(file)
}
