//! Sampling estimates checked against the exact regions (docs/design.md
//! §5): points, their patterns, discovery curves, region volumes.

pub(crate) mod discovery;
pub(crate) mod error;
pub(crate) mod mc_volume;
pub(crate) mod point_pattern;
pub(crate) mod points_file;
pub(crate) mod region_reader;
pub(crate) mod region_tally;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod uniform_sampler;
pub(crate) mod volume;
