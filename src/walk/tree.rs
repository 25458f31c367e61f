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
use crate::walk::subtree::{push_children, start_stack};
use crate::walk::walker::WalkOptions;
use rayon::prelude::*;
use std::cell::Cell;

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
const WINDOW_PER_THREAD: usize = 8;
/// Regions per batch a subtree's worker sends (`ordered_stream.rs`, which
/// holds up to 33 batches per subtree); with the window this bounds the
/// regions waiting at once (8 × 33 × 64 per thread), whatever the size of
/// a subtree.
const REGIONS_PER_SUBTREE_CHANNEL: usize = 64;

/// One step of a walk: a node's children in tree order, or a region. (A
/// step is matched at once, never stored in bulk, so its size does not
/// matter.)
#[allow(clippy::large_enum_variant)]
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
    // A resumed run skips the subtrees an earlier one finished, and starts
    // the next after the earlier run's last region there (`subtree.rs`).
    let skipped = options.resume_at.min(frontier.len());
    let total = frontier.len();
    let tasks: Vec<Task<'_, T::Node>> = frontier
        .into_iter()
        .skip(skipped)
        .enumerate()
        .map(|(i, node)| (i, node, options.resume_path.filter(|_| i == 0)))
        .collect();
    if let Some(c) = control {
        c.start(total, skipped);
    }
    let stop = |done: usize| control.is_some_and(|c| c.should_stop(done));
    if threads == 1 {
        // One thread: the subtrees one after another on this thread, with
        // no channel to hand regions across.
        for (done, (i, node, after)) in tasks.into_iter().enumerate() {
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
            if !in_subtree(i, || subtree(tree, node, after, &mut emit))? {
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
        tasks,
        sizes,
        |(i, node, after), out: &mut Out<'_, Region, WalkError>| {
            let mut emit = |region: Option<Region>| {
                Ok(match region {
                    Some(region) => out.send(region),
                    None => out.live(),
                })
            };
            in_subtree(i, || subtree(tree, node, after, &mut emit))?;
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

/// A frontier subtree to walk: its index in the run, its root, and, for the
/// first subtree of a resumed run, the position to resume after.
type Task<'a, N> = (usize, N, Option<&'a [u32]>);

thread_local! {
    /// The frontier subtree this thread is walking (its index in the run),
    /// if any.
    static SUBTREE: Cell<Option<usize>> = const { Cell::new(None) };
}

/// The frontier subtree this thread is walking, if any. Work may be reused
/// from one node to the next within one subtree, whose nodes are walked in
/// a fixed order, but not across subtrees (or the frontier's breadth-first
/// expansion), whose order on threads varies from run to run: reused
/// floats would then differ in their last bits between two runs.
pub(crate) fn current_subtree() -> Option<usize> {
    SUBTREE.with(Cell::get)
}

/// Runs `f` as the walk of frontier subtree `index`.
fn in_subtree<R>(index: usize, f: impl FnOnce() -> R) -> R {
    SUBTREE.with(|s| s.set(Some(index)));
    let result = f();
    SUBTREE.with(|s| s.set(None));
    result
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
/// siblings on one path), handing its regions to `emit` in tree order, each
/// with its position (`subtree.rs`), and asking `emit(None)` every
/// [`EXPANSIONS_PER_LOOK`] expansions whether to go on. With `after`,
/// starts after the region at that position. Stops early, returning false,
/// when `emit` says so.
fn subtree<T: Tree>(
    tree: &T,
    node: T::Node,
    after: Option<&[u32]>,
    emit: &mut impl FnMut(Option<Region>) -> Result<bool, WalkError>,
) -> Result<bool, WalkError> {
    let mut stack = start_stack(tree, node, after)?;
    let mut steps = 0usize;
    while let Some((node, position)) = stack.pop() {
        steps += 1;
        if steps.is_multiple_of(EXPANSIONS_PER_LOOK) && !emit(None)? {
            return Ok(false);
        }
        match tree.expand(node)? {
            Branch::Region(mut region) => {
                region.position = position;
                if !emit(Some(region))? {
                    return Ok(false);
                }
            }
            Branch::Children(children) => push_children(&mut stack, children, &position, 0),
        }
    }
    Ok(true)
}
