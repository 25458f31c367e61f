//! From flags to a run: the model loaded, the domain resolved, the working
//! space set up; and the errors that are the input's fault.

use super::args::{DomainArgs, ModelFormatArg, Target};
use anyhow::Result;
use regionwalk::lp::{LinearProgram, LpOutcome};
use regionwalk::{
    load_model_with, model_domain, AtomicFile, Domain, EngineChoice, LoadOptions, LoadedModel,
    LpEngine, LpError, RunHeader, WorkSpace,
};
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
}

/// Bad input that is not a model or domain error (for example an output path).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

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
        let model = load_model_file(&target.model, target.model_format, &target.model_output)?;
        let domain = resolve_domain(&target.domain, &model, &target.model)?.ok_or_else(|| {
            BadInput(format!(
                "{}: no domain given: use --box, --whole, --polytope or --vnnlib",
                target.model.display()
            ))
        })?;
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

/// The model file `path`, in `format` or else the one its extension says,
/// counted for the graph value `output` if given. Says on stderr what the
/// loader cut (a classifier head) and which value the regions are for.
pub fn load_model_file(
    path: &Path,
    format: Option<ModelFormatArg>,
    output: &Option<String>,
) -> Result<LoadedModel> {
    let options = LoadOptions {
        format: format.map(Into::into),
        output: output.clone(),
    };
    let model = load_model_with(path, &options)?;
    if let Some(note) = model.head_note() {
        eprintln!("note: {}: {note}", path.display());
    }
    Ok(model)
}

/// The domain the flags give, or the model's default; `None` if neither.
/// Says so on stderr when the model's input box cuts the domain.
pub fn resolve_domain(
    args: &DomainArgs,
    model: &LoadedModel,
    model_path: &Path,
) -> Result<Option<Domain>> {
    let given = args.given(model.network.input_dim())?;
    let Some(resolved) = model_domain(model, given)? else {
        return Ok(None);
    };
    if resolved.clipped {
        eprintln!(
            "note: {}: NNet clips its inputs to [min, max]; the domain is cut to that box",
            model_path.display()
        );
    }
    Ok(Some(resolved.domain))
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
