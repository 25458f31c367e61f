//! The ONNX loader: a hand-written subset of `onnx.proto`, constants,
//! operators folded into affine layers, heads cut at the logits.

pub(crate) mod affine_chain;
pub(crate) mod batch_norm;
pub(crate) mod branching;
pub(crate) mod broadcast;
pub(crate) mod const_eval;
pub(crate) mod conv;
pub(crate) mod dataflow;
pub(crate) mod head;
pub(crate) mod indexing;
pub(crate) mod leaky;
pub(crate) mod loader;
pub(crate) mod node;
pub(crate) mod op_kind;
pub(crate) mod ops;
pub(crate) mod pad;
pub(crate) mod pool;
pub(crate) mod proto;
pub(crate) mod reshape;
pub(crate) mod residual;
pub(crate) mod shape_ops;
pub(crate) mod tensor;
pub(crate) mod window;
