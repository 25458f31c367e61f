//! regionwalk: exact enumeration of the activation regions of ReLU networks.
//!
//! A ReLU network cuts its input space into convex cells on which every
//! neuron's on/off state is fixed; on each cell the network is one affine map.
//! This crate walks the hidden layers in order and, for every cell, decides
//! with LP feasibility tests which neurons of the next layer cut it (see
//! `DESIGN.md` §2 in the project's shared notes and `docs/numerics.md`).
#![deny(missing_docs)]

mod affine;
mod affine_chain;
mod bounds;
mod broadcast;
mod error;
mod model_format;
mod model_json;
mod network;
mod nnet;
mod onnx;
mod onnx_ops;
mod onnx_proto;
mod onnx_tensor;
mod pattern;
mod vnnlib;

pub use affine::{dot, norm, Affine};
pub use bounds::{
    binomial, codes_bound, region_bounds, serra_bound, zaslavsky_bound, RegionBounds,
};
pub use error::{DomainError, LpError, ModelError, UnknownModelFormat, VnnlibError, WalkError};
pub use model_format::{load_model, LoadedModel, ModelFormat};
pub use model_json::{load_json_model, parse_json_model};
pub use network::{Activation, LayerSpec, Network};
pub use nnet::{load_nnet_model, parse_nnet_model, NnetModel};
pub use onnx::{load_onnx_model, parse_onnx_model, OnnxModel};
pub use pattern::Pattern;
pub use vnnlib::{load_vnnlib_box, parse_vnnlib_box};
