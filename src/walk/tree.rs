//! Running a walk's tree: the top of the tree expanded breadth first into a
//! fixed frontier of subtrees, the subtrees walked depth first on worker
//! threads, their regions streamed to the sink in tree order
//! (`ordered_stream.rs`), with the run's limits and shard (`control.rs`).
//! What a node is and how it expands is up to the walk ([`Tree`]): here the
//! polygon walk's nodes (`walk/polygon/`).
//!
//! The frontier depends only on the tree, never on the thread count, so the
//! region ids and a stopped run's unfinished part are the same on every
//! machine (docs/design.md §2).

use crate::error::WalkError;
use crate::walk::control::ShardRun;
use crate::walk::ordered_stream::{ordered_stream, Out, StreamSizes};
use crate::walk::region::Region;
use crate::walk::walker::WalkOptions;
use rayon::prelude::*;

/// How many nodes the breadth-first expansion aims for before the
/// depth-first subtrees are handed out: enough to balance the load of
/// dozens of threads, few enough to hold at once. A constant, not a
/// multiple of the thread count, so the frontier (and what a stopped run
/// reports as unfinished) is the same on every machine.
const FRONTIER_CELLS: usize = 1024;
/// The frontier has at least this many subtrees per shard, so that
/// consecutive runs of subtrees make parts of similar size.
const CELLS_PER_SHARD: usize = 8;
/// Subtrees in flight per thread: workers run ahead of the subtree being
/// handed out by at most this many subtrees per thread, so uneven
/// subtrees still keep every thread busy.
const WINDOW_PER_THREAD: usize = 16;
/// Finished regions a subtree's worker may hold before the sink takes them;
/// with the window this bounds the regions waiting at once (16 × 64 per
/// thread), whatever the size of a subtree.
const REGIONS_PER_SUBTREE_CHANNEL: usize = 64;

/// One step of a walk: a node's children in tree order, or a region.
pub(crate) enum Branch<N> {
    /// The node's children, in tree order.
    Children(Vec<N>),
    /// A finished region.
    Region(Region),
}

/// A walk's tree.
pub(crate) trait Tree: Sync {
    /// A node of the tree.
    type Node: Send;
    /// Whether `node` is a finished region's node (expanding it gives its
    /// region).
    fn is_leaf(&self, node: &Self::Node) -> bool;
    /// Expands `node`.
    fn expand(&self, node: Self::Node) -> Result<Branch<Self::Node>, WalkError>;
}

/// Walks the tree under `root` with `options`' control and shard, handing
/// every region to `sink` in tree order; returns the part of the frontier
/// a shard took.
pub(crate) fn run_tree<T: Tree>(
    tree: &T,
    root: T::Node,
    options: &WalkOptions,
    mut sink: impl FnMut(Region) -> Result<(), WalkError>,
) -> Result<Option<ShardRun>, WalkError> {
    let control = options.control;
    let shards = options.shard.map_or(1, |s| s.count.max(1));
    let mut frontier = frontier(tree, root, FRONTIER_CELLS.max(CELLS_PER_SHARD * shards))?;
    let shard = options.shard.map(|s| {
        let (first, end) = s.range(frontier.len());
        let run = ShardRun {
            index: s.index + 1,
            count: s.count,
            frontier: frontier.len() as u64,
            first: first as u64,
            end: end as u64,
        };
        frontier.truncate(end);
        frontier.drain(..first);
        run
    });
    let threads = rayon::current_num_threads().max(1);
    let sizes = StreamSizes {
        threads,
        window: WINDOW_PER_THREAD * threads,
        capacity: REGIONS_PER_SUBTREE_CHANNEL,
    };
    if let Some(c) = control {
        c.start(frontier.len());
    }
    ordered_stream(
        frontier,
        sizes,
        |node, out| subtree(tree, node, out),
        |region| {
            if let Some(c) = control {
                c.region();
            }
            sink(region)
        },
        |done| control.is_some_and(|c| c.should_stop(done)),
    )?;
    Ok(shard)
}

/// The top-level frontier: the tree expanded breadth first, in tree order,
/// until it has at least `cells` nodes or only leaves.
fn frontier<T: Tree>(tree: &T, root: T::Node, cells: usize) -> Result<Vec<T::Node>, WalkError> {
    let mut frontier = vec![root];
    while frontier.len() < cells && frontier.iter().any(|n| !tree.is_leaf(n)) {
        let expanded: Vec<Vec<T::Node>> = frontier
            .into_par_iter()
            .map(|node| {
                if tree.is_leaf(&node) {
                    return Ok(vec![node]);
                }
                match tree.expand(node)? {
                    Branch::Children(children) => Ok(children),
                    Branch::Region(_) => unreachable!("a leaf is not expanded"),
                }
            })
            .collect::<Result<_, WalkError>>()?;
        frontier = expanded.into_iter().flatten().collect();
    }
    Ok(frontier)
}

/// Streams the regions under `node` to `out`, in tree order, depth first:
/// the stack holds the waiting siblings on one path.
fn subtree<T: Tree>(
    tree: &T,
    node: T::Node,
    out: &mut Out<'_, Region, WalkError>,
) -> Result<(), WalkError> {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if !out.live() {
            break;
        }
        match tree.expand(node)? {
            Branch::Region(region) => {
                if !out.send(region) {
                    break;
                }
            }
            Branch::Children(children) => stack.extend(children.into_iter().rev()),
        }
    }
    Ok(())
}
