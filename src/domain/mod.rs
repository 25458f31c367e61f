pub(crate) mod affine_slice;
pub(crate) mod half_space;
pub(crate) mod input_domain;
pub(crate) mod model_domain;
pub(crate) mod vnnlib;
