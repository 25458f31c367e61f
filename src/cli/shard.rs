//! `--shard K/N`: one of N equal parts of a walk, for a cluster
//! (docs/cluster.md); `regionwalk merge` puts the parts together.

use super::resolve::BadInput;
use anyhow::Result;
use clap::Args;
use regionwalk::Shard;

/// The shard flag of the enumerating commands.
#[derive(Args, Clone)]
pub struct ShardArgs {
    /// Walk only part K of N (1 ≤ K ≤ N) of the tree; `regionwalk merge` unites the N outputs (docs/cluster.md).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

impl ShardArgs {
    /// The part the flag names, if any.
    pub fn shard(&self) -> Result<Option<Shard>> {
        let Some(spec) = &self.shard else {
            return Ok(None);
        };
        let bad = || {
            BadInput(format!(
                "--shard {spec}: give K/N with 1 <= K <= N, e.g. 3/8"
            ))
        };
        let (k, n) = spec.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || k > n {
            return Err(bad().into());
        }
        Ok(Some(Shard {
            index: k - 1,
            count: n,
        }))
    }
}
