//! What a network is and how it is read: the network, activation patterns,
//! affine maps, region-count bounds, and the JSON, NNet and ONNX loaders.

pub(crate) mod affine;
pub(crate) mod bounds;
pub(crate) mod format;
pub(crate) mod json;
pub(crate) mod network;
pub(crate) mod nnet;
pub(crate) mod onnx;
pub(crate) mod pattern;
