pub(crate) mod affine_map;
pub(crate) mod dyadic;
pub(crate) mod point;
pub(crate) mod slice_network;
