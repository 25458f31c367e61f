//! How many regions a walk will find, estimated before walking it all:
//! Knuth's estimator of the size of a backtracking tree (D. E. Knuth,
//! "Estimating the efficiency of backtrack programs", Math. Comp. 29, 1975).
//!
//! A *probe* goes from the root to a leaf, taking at each node one of its
//! `c` children uniformly at random and multiplying a weight by `c`; at the
//! leaf (a region) the weight is the probe's estimate. Its expected value is
//! exactly the number of leaves (each leaf is reached with probability
//! 1/weight), so the mean over independent probes is an unbiased estimate,
//! with the usual standard error. On very uneven trees the weights are
//! heavy-tailed: a few rare paths into big subtrees carry much of the
//! count, and a sample that misses them underestimates the spread as well
//! as the mean. The estimate is a float decision about nothing the output
//! depends on: it only sizes a run.
//!
//! Probe `i` draws from its own generator (ChaCha12 seeded by `seed` and
//! `i`), so the estimate does not depend on the thread count.
//!
//! # Complexity
//! One node expansion per level of one path per probe: about the work of
//! `depth` regions of a walk per probe, with no sharing between probes.

use crate::error::WalkError;
use crate::walk::tree::{Branch, Tree};
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha12Rng;
use rayon::prelude::*;
use serde::Serialize;

/// An estimate of the number of regions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TreeEstimate {
    /// Probes run.
    pub probes: u64,
    /// The mean of the probes' estimates.
    pub regions: f64,
    /// Its standard error: the probes' standard deviation over √probes.
    pub std_error: f64,
}

/// Runs `probes` probes from the roots `root` makes, with generators seeded
/// from `seed`.
pub(crate) fn estimate_leaves<T: Tree>(
    tree: &T,
    root: impl Fn() -> Result<T::Node, WalkError> + Sync,
    probes: u64,
    seed: u64,
) -> Result<TreeEstimate, WalkError> {
    let weights: Vec<f64> = (0..probes)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha12Rng::seed_from_u64(seed);
            rng.set_stream(i);
            probe(tree, root()?, &mut rng)
        })
        .collect::<Result<_, _>>()?;
    let n = weights.len() as f64;
    let mean = weights.iter().sum::<f64>() / n;
    let variance = if weights.len() > 1 {
        weights.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        f64::INFINITY
    };
    Ok(TreeEstimate {
        probes,
        regions: mean,
        std_error: (variance / n).sqrt(),
    })
}

/// One probe from `node`: the product of the numbers of children on a
/// random path to a leaf (0 if a node has no children).
fn probe<T: Tree>(tree: &T, mut node: T::Node, rng: &mut ChaCha12Rng) -> Result<f64, WalkError> {
    let mut weight = 1.0;
    loop {
        match tree.expand(node)? {
            Branch::Region(_) => return Ok(weight),
            Branch::Children(mut children) => {
                if children.is_empty() {
                    return Ok(0.0);
                }
                weight *= children.len() as f64;
                let k = rng.gen_range(0..children.len());
                node = children.swap_remove(k);
            }
        }
    }
}
