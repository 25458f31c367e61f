pub(crate) mod affine;
pub(crate) mod bounds;
pub(crate) mod format;
pub(crate) mod json;
pub(crate) mod network;
pub(crate) mod nnet;
pub(crate) mod onnx;
pub(crate) mod pattern;
