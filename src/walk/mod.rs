pub(crate) mod decider;
pub(crate) mod pre_activation;
pub(crate) mod region;
pub(crate) mod side_test;
pub(crate) mod space;
pub(crate) mod stats;
#[cfg(test)]
mod tests;
pub(crate) mod walker;
