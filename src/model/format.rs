//! Model file formats, told by name or by extension, and one entry point that
//! loads any of them.

use crate::error::{ModelError, UnknownModelFormat};
use crate::model::json::load_json_model;
use crate::model::network::Network;
use crate::model::nnet::load_nnet_model;
use crate::model::onnx::loader::load_onnx_model;
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
}

/// Loads a model, in `format` if given, else in the format its extension says.
pub fn load_model(path: &Path, format: Option<ModelFormat>) -> Result<LoadedModel, ModelError> {
    let format = match format.or_else(|| ModelFormat::from_extension(path)) {
        Some(f) => f,
        None => {
            return Err(ModelError::UnknownFormat {
                path: path.to_path_buf(),
            })
        }
    };
    Ok(match format {
        ModelFormat::Json => LoadedModel {
            network: load_json_model(path)?,
            format,
            folded: Vec::new(),
            default_box: None,
        },
        ModelFormat::Onnx => {
            let m = load_onnx_model(path)?;
            LoadedModel {
                network: m.network,
                format,
                folded: m.folded,
                default_box: None,
            }
        }
        ModelFormat::Nnet => {
            let m = load_nnet_model(path)?;
            LoadedModel {
                network: m.network,
                format,
                folded: m.folded,
                default_box: Some(m.input_box),
            }
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
}
