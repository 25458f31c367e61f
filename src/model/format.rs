//! Model file formats, told by name or by extension, and one entry point that
//! loads any of them.

use crate::error::{ModelError, UnknownModelFormat};
use crate::model::json::load_json_model;
use crate::model::network::Network;
use crate::model::nnet::load_nnet_model;
use crate::model::onnx::head::{head_note, HeadCut, KeptOutput};
use crate::model::onnx::loader::load_onnx_model_with;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A model file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelFormat {
    /// regionwalk's JSON (`.json`).
    Json,
    /// ONNX (`.onnx`).
    Onnx,
    /// The NNet text format (`.nnet`).
    Nnet,
}

impl ModelFormat {
    /// Every format, in the order they are documented.
    pub const ALL: [ModelFormat; 3] = [ModelFormat::Json, ModelFormat::Onnx, ModelFormat::Nnet];

    /// The format's name: `json`, `onnx` or `nnet`.
    pub fn name(self) -> &'static str {
        match self {
            ModelFormat::Json => "json",
            ModelFormat::Onnx => "onnx",
            ModelFormat::Nnet => "nnet",
        }
    }

    /// The format of a file, from its extension (any case), if it is one of ours.
    pub fn from_extension(path: &Path) -> Option<ModelFormat> {
        let ext = path.extension()?.to_str()?;
        ext.parse().ok()
    }
}

impl FromStr for ModelFormat {
    type Err = UnknownModelFormat;

    /// Parses `json`, `onnx` or `nnet` (any case).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ModelFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownModelFormat {
                name: name.to_string(),
            })
    }
}

impl fmt::Display for ModelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A model loaded from a file of any supported format.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    /// The network.
    pub network: Network,
    /// The format it was read as.
    pub format: ModelFormat,
    /// What the loader folded into the layers or dropped, one line each
    /// (empty for JSON).
    pub folded: Vec<String>,
    /// The model's own default domain, where it has one: the `[min, max]`
    /// input box of an NNet model, outside which NNet clips its inputs.
    pub default_box: Option<Vec<(f64, f64)>>,
    /// For ONNX: the value of the graph the network computes (the logits
    /// where a head was cut), with the graph's outputs.
    pub kept_output: Option<KeptOutput>,
    /// For ONNX: the nodes cut off the graph (a classifier head, or what a
    /// chosen output does not depend on), in graph order. Empty otherwise.
    pub head_cut: Vec<HeadCut>,
}

impl LoadedModel {
    /// One line saying which value the regions are counted for and what was
    /// cut off, for a note on stderr; `None` when the whole graph was read
    /// (and for JSON and NNet models).
    pub fn head_note(&self) -> Option<String> {
        head_note(self.kept_output.as_ref()?, &self.head_cut)
    }
}

/// How to load a model.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The format; `None` tells it by the file's extension.
    pub format: Option<ModelFormat>,
    /// ONNX only: the value of the graph to count regions for (a graph
    /// output, or any value computed from the input). `None` takes the
    /// output the graph leads to, cutting a classifier head at the logits.
    pub output: Option<String>,
}

/// Loads a model, in `format` if given, else in the format its extension says.
pub fn load_model(path: &Path, format: Option<ModelFormat>) -> Result<LoadedModel, ModelError> {
    load_model_with(
        path,
        &LoadOptions {
            format,
            output: None,
        },
    )
}

/// Loads a model with the given options.
pub fn load_model_with(path: &Path, options: &LoadOptions) -> Result<LoadedModel, ModelError> {
    let format = match options.format.or_else(|| ModelFormat::from_extension(path)) {
        Some(f) => f,
        None => {
            return Err(ModelError::UnknownFormat {
                path: path.to_path_buf(),
            })
        }
    };
    if let (Some(output), false) = (&options.output, format == ModelFormat::Onnx) {
        return Err(ModelError::Format {
            path: path.to_path_buf(),
            message: format!(
                "an output (`{output}`) can be chosen only in an ONNX model; a {format} model has one output"
            ),
        });
    }
    let plain = |network: Network, folded: Vec<String>, default_box| LoadedModel {
        network,
        format,
        folded,
        default_box,
        kept_output: None,
        head_cut: Vec::new(),
    };
    Ok(match format {
        ModelFormat::Json => plain(load_json_model(path)?, Vec::new(), None),
        ModelFormat::Onnx => {
            let m = load_onnx_model_with(path, options.output.as_deref())?;
            LoadedModel {
                kept_output: Some(m.kept),
                head_cut: m.head_cut,
                ..plain(m.network, m.folded, None)
            }
        }
        ModelFormat::Nnet => {
            let m = load_nnet_model(path)?;
            plain(m.network, m.folded, Some(m.input_box))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions() {
        assert_eq!("ONNX".parse::<ModelFormat>().unwrap(), ModelFormat::Onnx);
        assert_eq!("nnet".parse::<ModelFormat>().unwrap(), ModelFormat::Nnet);
        let e = "pt".parse::<ModelFormat>().unwrap_err().to_string();
        assert!(
            e.contains("`pt`") && e.contains("json, onnx or nnet"),
            "{e}"
        );
        assert_eq!(
            ModelFormat::from_extension(Path::new("a/b.JSON")),
            Some(ModelFormat::Json)
        );
        assert_eq!(
            ModelFormat::from_extension(Path::new("net.nnet")),
            Some(ModelFormat::Nnet)
        );
        assert_eq!(ModelFormat::from_extension(Path::new("net.pb")), None);
        assert_eq!(ModelFormat::from_extension(Path::new("net")), None);
        for f in ModelFormat::ALL {
            assert_eq!(f.to_string().parse::<ModelFormat>().unwrap(), f);
        }
    }

    #[test]
    fn unknown_extension_is_an_error_naming_the_file() {
        let e = load_model(Path::new("weights.pt"), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("weights.pt") && e.contains(".onnx"), "{e}");
    }

    #[test]
    fn an_output_is_chosen_only_in_onnx() {
        let options = LoadOptions {
            format: None,
            output: Some("y".into()),
        };
        let e = load_model_with(Path::new("m.json"), &options)
            .unwrap_err()
            .to_string();
        assert!(e.contains("only in an ONNX model"), "{e}");
    }
}
