pub(crate) mod affine_chain;
pub(crate) mod broadcast;
pub(crate) mod loader;
pub(crate) mod node;
pub(crate) mod ops;
pub(crate) mod proto;
pub(crate) mod tensor;
