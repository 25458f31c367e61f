pub(crate) mod half_space;
pub(crate) mod input_domain;
pub(crate) mod slice;
pub(crate) mod vnnlib;
