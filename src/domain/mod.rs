//! The inputs a walk covers: boxes (with fixed coordinates), polytopes, the
//! whole space, planes and segments through input points; their rows;
//! VNN-LIB boxes; a model's own input box. Nothing here runs an LP.

pub(crate) mod affine_slice;
pub(crate) mod half_space;
pub(crate) mod input_domain;
pub(crate) mod model_domain;
pub(crate) mod vnnlib;
