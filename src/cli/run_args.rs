//! How a long walk runs: the flags `count`, `enumerate` and `certify`
//! share. Apart from `args.rs` so that `verify`, which reads a model and a
//! domain through `args.rs`, does not import the walk's controls
//! (`tests/checker_isolation.rs`).

use super::progress::ProgressArgs;
use super::shard::ShardArgs;
use super::stop::StopArgs;
use clap::Args;

/// How a long walk runs: its limits and stops, its progress, and which part
/// of the tree it walks (the flags `count`, `enumerate` and `certify` share).
#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub stop: StopArgs,
    #[command(flatten)]
    pub progress: ProgressArgs,
    #[command(flatten)]
    pub shard: ShardArgs,
}
