//! Running a walk's tree: the top of the tree expanded breadth first into a
//! fixed frontier of subtrees, the subtrees walked depth first on worker
//! threads, their regions streamed to the sink in tree order
//! (`ordered_stream.rs`), with the run's limits and shard (`control.rs`).
//! What a node is and how it expands is up to the walk ([`Tree`]): the LP
//! walk's cells and pieces (`walker.rs`, `depth_first.rs`) or the polygon
//! walk's (`walk/polygon/`).
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
/// Finished regions a subtree's worker may hold before the sink takes them
/// (`ordered_stream.rs` sends them in batches of this size); with the
/// window this bounds the regions waiting at once (2 × 16 × 64 per thread),
/// whatever the size of a subtree.
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
    if let Some(c) = control {
        c.start(frontier.len());
    }
    let stop = |done: usize| control.is_some_and(|c| c.should_stop(done));
    if threads == 1 {
        // One thread: the subtrees one after another on this thread, with
        // no channel to hand regions across.
        for (done, node) in frontier.into_iter().enumerate() {
            if stop(done) {
                break;
            }
            let mut emit = |region: Option<Region>| {
                if let Some(region) = region {
                    if let Some(c) = control {
                        c.region();
                    }
                    sink(region)?;
                }
                Ok(!stop(done))
            };
            if !subtree(tree, node, &mut emit)? {
                break;
            }
        }
        return Ok(shard);
    }
    let sizes = StreamSizes {
        threads,
        window: WINDOW_PER_THREAD * threads,
        capacity: REGIONS_PER_SUBTREE_CHANNEL,
    };
    ordered_stream(
        frontier,
        sizes,
        |node, out: &mut Out<'_, Region, WalkError>| {
            let mut emit = |region: Option<Region>| {
                Ok(match region {
                    Some(region) => out.send(region),
                    None => out.live(),
                })
            };
            subtree(tree, node, &mut emit)?;
            Ok(())
        },
        |region| {
            if let Some(c) = control {
                c.region();
            }
            sink(region)
        },
        stop,
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

/// How many expansions a subtree makes between two looks at whether the
/// run should stop, when no region comes.
const EXPANSIONS_PER_LOOK: usize = 1024;

/// Walks the subtree under `node` depth first (the stack holds the waiting
/// siblings on one path), handing its regions to `emit` in tree order, and
/// asking `emit(None)` every [`EXPANSIONS_PER_LOOK`] expansions whether to
/// go on. Stops early, returning false, when `emit` says so.
fn subtree<T: Tree>(
    tree: &T,
    node: T::Node,
    emit: &mut impl FnMut(Option<Region>) -> Result<bool, WalkError>,
) -> Result<bool, WalkError> {
    let mut stack = vec![node];
    let mut steps = 0usize;
    while let Some(node) = stack.pop() {
        steps += 1;
        if steps.is_multiple_of(EXPANSIONS_PER_LOOK) && !emit(None)? {
            return Ok(false);
        }
        match tree.expand(node)? {
            Branch::Region(region) => {
                if !emit(Some(region))? {
                    return Ok(false);
                }
            }
            Branch::Children(children) => stack.extend(children.into_iter().rev()),
        }
    }
    Ok(true)
}
