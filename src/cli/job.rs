//! From flags to a run: the model loaded and the domain resolved
//! (`resolve.rs`), the working space set up; and output files.

use super::args::Target;
use super::resolve::load_target;
use super::resolve::BadInput;
use anyhow::Result;
use regionwalk::lp::{Basis, LinearProgram, LpOutcome, SideLp};
use regionwalk::{
    AtomicFile, Domain, EngineChoice, LoadedModel, LpEngine, LpError, RunHeader, Shard, WorkSpace,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The LP engine of every run: the one `--engine` chose (set once, in
/// `main`, before any command runs).
pub static ENGINE: SelectedEngine = SelectedEngine;

static CHOICE: OnceLock<EngineChoice> = OnceLock::new();

/// Chooses the engine [`ENGINE`] stands for; the first call wins.
pub fn choose_engine(choice: EngineChoice) {
    let _ = CHOICE.set(choice);
}

/// The engine `--engine` chose, as an [`LpEngine`] that can be named
/// before the flags are parsed.
pub struct SelectedEngine;

impl SelectedEngine {
    fn inner(&self) -> &'static dyn LpEngine {
        CHOICE.get().copied().unwrap_or_default().engine()
    }
}

impl LpEngine for SelectedEngine {
    fn name(&self) -> &'static str {
        self.inner().name()
    }

    fn maximise(&self, lp: &LinearProgram) -> Result<LpOutcome, LpError> {
        self.inner().maximise(lp)
    }

    fn maximise_each(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        each: &mut dyn FnMut(LpOutcome) -> bool,
    ) -> Result<(), LpError> {
        self.inner().maximise_each(lp, objectives, each)
    }

    fn maximise_from(
        &self,
        lp: &LinearProgram,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        self.inner().maximise_from(lp, hint)
    }

    fn maximise_each_from(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        hints: &[Option<Basis>],
        each: &mut dyn FnMut(LpOutcome, Option<Basis>) -> bool,
    ) -> Result<(), LpError> {
        self.inner().maximise_each_from(lp, objectives, hints, each)
    }

    fn maximise_side(
        &self,
        side: &SideLp<'_>,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        self.inner().maximise_side(side, hint)
    }

    fn polygons(&self) -> bool {
        self.inner().polygons()
    }
}

/// A loaded model and domain, ready to walk.
pub struct Job {
    pub model_path: PathBuf,
    pub model: LoadedModel,
    pub domain: Domain,
    pub space: WorkSpace,
}

impl Job {
    /// Loads the model and the domain `target` names; a domain is needed.
    pub fn load(target: &Target) -> Result<Job> {
        let (model, domain) = load_target(target)?;
        let space = WorkSpace::new(&model.network, &domain, &ENGINE)?;
        Ok(Job {
            model_path: target.model.clone(),
            model,
            domain,
            space,
        })
    }

    /// The header of a run of `shard` (see [`Job::header`]): a part of a
    /// sharded run also names the model file's SHA-256, so `merge` can tell
    /// that every part walked the same model.
    pub fn header_for(&self, shard: Option<Shard>) -> Result<RunHeader> {
        let mut header = self.header();
        if shard.is_some() {
            let bytes = std::fs::read(&self.model_path)
                .map_err(|e| BadInput(format!("{}: {e}", self.model_path.display())))?;
            header.model_sha256 = Some(format!("{:x}", Sha256::digest(&bytes)));
        }
        Ok(header)
    }

    /// The fields every output starts with.
    pub fn header(&self) -> RunHeader {
        RunHeader::new(
            &self.model_path,
            &self.model,
            &self.domain,
            &self.space,
            &ENGINE,
        )
    }
}

/// Starts writing the output file `path`; failing to is bad input.
pub fn create_output(path: &Path) -> Result<AtomicFile, BadInput> {
    AtomicFile::create(path).map_err(|e| {
        BadInput(format!(
            "{}: cannot create output file: {e}",
            path.display()
        ))
    })
}
