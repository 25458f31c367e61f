//! From flags to a model and its domain, exactly as given: no working space,
//! no LP. This is all `verify` loads (the checker must not rest on the code
//! it checks), and what every other job starts from.

use super::args::{DomainArgs, ModelFormatArg, Target};
use anyhow::Result;
use regionwalk::{load_model_with, model_domain, Domain, LoadOptions, LoadedModel};
use std::path::Path;

/// Bad input that is not a model or domain error (for example an output path).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// The model and the domain `target` names; a domain is needed.
pub fn load_target(target: &Target) -> Result<(LoadedModel, Domain)> {
    let model = load_model_file(&target.model, target.model_format, &target.model_output)?;
    let domain = resolve_domain(&target.domain, &model, &target.model)?.ok_or_else(|| {
        BadInput(format!(
            "{}: no domain given: use --box, --whole, --polytope or --vnnlib",
            target.model.display()
        ))
    })?;
    Ok((model, domain))
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
