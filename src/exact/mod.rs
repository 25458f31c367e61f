pub(crate) mod affine;
pub(crate) mod dyadic;
pub(crate) mod half_space;
pub(crate) mod point;
pub(crate) mod slice;
pub(crate) mod slice_network;
