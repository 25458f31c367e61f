//! `--checkpoint FILE` and `--resume FILE` of `count` and `enumerate`
//! (docs/large-runs.md): a stopped run records which frontier subtrees it
//! finished, and a resumed one walks only the rest.

use super::job::Job;
use anyhow::Result;
use clap::Args;
use regionwalk::{Checkpoint, PartialFile, RunHeader, RunIdentity, WalkStats};
use serde_json::{json, Value};
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
