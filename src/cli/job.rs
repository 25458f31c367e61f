//! From flags to a run: the model loaded and the domain resolved
//! (`resolve.rs`), the working space set up; and output files.

use super::args::Target;
use super::resolve::{load_target, BadInput};
use anyhow::Result;
use regionwalk::{AtomicFile, Domain, GoodLpMicrolp, LoadedModel, RunHeader, WorkSpace};
use std::path::{Path, PathBuf};

/// The LP engine of every run.
pub const ENGINE: GoodLpMicrolp = GoodLpMicrolp;

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
