//! Exact arithmetic: dyadic rationals, the slice of free coordinates and
//! working coordinates, the network's rows on it, exact points and maps.
//! The checker rests on this folder (docs/design.md §4).

pub(crate) mod affine;
pub(crate) mod bound_row;
pub(crate) mod dyadic;
pub(crate) mod half_space;
pub(crate) mod interval;
pub(crate) mod point;
pub(crate) mod slice;
pub(crate) mod slice_network;
