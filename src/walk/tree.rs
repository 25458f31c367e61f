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
use crate::walk::subtree::{push_children, start_stack, Waiting};
use crate::walk::walker::WalkOptions;
use rayon::prelude::*;
use std::cell::Cell;

/// How many nodes the breadth-first expansion aims for before the
/// depth-first subtrees are handed out. A constant, not a multiple of the
/// thread count, so the frontier (and what a stopped run reports as
/// unfinished) is the same on every machine.
///
/// Why 256: the frontier costs more per node than the depth-first walk
/// below it. Its nodes are all held at once (1024 of them took peak memory
/// on ACAS Xu N1,1 prop 4 from 23 MB to 35 MB, fresh pages the kernel has
/// to clear, up to a seventh of a one-thread run in a profile), and its
/// breadth-first order reuses no LP work between siblings. Same run, idle
/// machine, 256 against 1024: one thread 2–4% faster on the ACAS Xu cases
/// and 18% on the 2-D bench net; two threads 1.86–1.89× one thread on the
/// ACAS Xu cases against 1.68–1.85×. 128 read lower on N1,1 prop 3 (1.76×:
/// too few subtrees to balance two threads). Uneven subtrees are balanced
/// by parts (`ordered_stream.rs`), not by the frontier's size.
const FRONTIER_CELLS: usize = 256;
/// The frontier has at least this many subtrees per shard, so that
/// consecutive runs of subtrees make parts of similar size.
const CELLS_PER_SHARD: usize = 8;
/// Subtrees in flight per thread: workers run ahead of the subtree being
/// handed out by at most this many subtrees per thread, so uneven
/// subtrees still keep every thread busy (and parts split off large
/// subtrees keep the rest busy). Also the most parts in flight.
const WINDOW_PER_THREAD: usize = 8;
/// Regions per batch a subtree's worker sends (`ordered_stream.rs`, which
/// holds up to 33 batches per subtree or part); with the window this
/// bounds the regions waiting at once (2 × 8 × 33 × 64 per thread, half of
/// it in parts), whatever the size of a subtree.
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
    /// Whether a subtree's walk may hand part of its stack to another
    /// thread (`ordered_stream.rs`, "Parts"): true when a node's expansion
    /// depends on nothing but the node. The polygon walk reuses sibling
    /// sums within a subtree walked in order on one thread
    /// (`polygon/next_layer.rs`), and says no.
    fn parts(&self) -> bool {
        true
    }
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
    let tasks: Vec<Start<'_, T::Node>> = frontier
        .into_iter()
        .skip(skipped)
        .enumerate()
        .map(|(i, node)| Start::Root(node, options.resume_path.filter(|_| i == 0)))
        .collect();
    if let Some(c) = control {
        c.start(total, skipped);
    }
    let stop = |done: usize| control.is_some_and(|c| c.should_stop(done));
    if threads == 1 {
        // One thread: the subtrees one after another on this thread, with
        // no channel to hand regions across.
        for (i, start) in tasks.into_iter().enumerate() {
            if stop(i) {
                break;
            }
            let mut out = Emit(|region: Option<Region>| {
                if let Some(region) = region {
                    if let Some(c) = control {
                        c.region();
                    }
                    sink(region)?;
                }
                Ok(!stop(i))
            });
            if !in_subtree(i, || subtree(tree, start.stack(tree)?, &mut out))? {
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
        |i, start, out: &mut Out<'_, Start<'_, T::Node>, Region, WalkError>| {
            let mut out = Parallel {
                out,
                tree,
                parts: tree.parts(),
            };
            in_subtree(i, || subtree(tree, start.stack(tree)?, &mut out))?;
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

/// Where the walk of a frontier subtree starts.
pub(crate) enum Start<'a, N> {
    /// At the subtree's root; for the first subtree of a resumed run, after
    /// the position given.
    Root(N, Option<&'a [u32]>),
    /// At a node of the subtree, with its position: the bottom of another
    /// thread's depth-first stack, handed over (`ordered_stream.rs`,
    /// "Parts").
    Part(N, Vec<u32>),
}

impl<N> Start<'_, N> {
    /// The depth-first stack to start from.
    fn stack<T: Tree<Node = N>>(self, tree: &T) -> Result<Vec<Waiting<N>>, WalkError> {
        match self {
            Start::Root(node, after) => start_stack(tree, node, after),
            Start::Part(node, position) => Ok(vec![(node, position)]),
        }
    }
}

/// Where a subtree's walk hands its regions.
trait SubtreeOut<N> {
    /// Hands out `region`, or with `None` asks whether to go on; false when
    /// the walk should stop.
    fn emit(&mut self, region: Option<Region>) -> Result<bool, WalkError>;
    /// May take the bottom of `stack` (the nodes it would walk last) for
    /// another thread.
    fn split(&mut self, _stack: &mut Vec<Waiting<N>>) {}
}

/// A one-thread walk's output: a function.
struct Emit<F>(F);

impl<N, F: FnMut(Option<Region>) -> Result<bool, WalkError>> SubtreeOut<N> for Emit<F> {
    fn emit(&mut self, region: Option<Region>) -> Result<bool, WalkError> {
        (self.0)(region)
    }
}

/// A worker's output: the stream, to which it may also hand parts.
struct Parallel<'o, 'a, 's, T: Tree> {
    out: &'o mut Out<'a, Start<'s, T::Node>, Region, WalkError>,
    tree: &'o T,
    /// Whether the tree allows parts ([`Tree::parts`]).
    parts: bool,
}

impl<T: Tree> SubtreeOut<T::Node> for Parallel<'_, '_, '_, T> {
    fn emit(&mut self, region: Option<Region>) -> Result<bool, WalkError> {
        Ok(match region {
            Some(region) => self.out.send(region),
            None => self.out.live(),
        })
    }

    /// Hands the bottom of the stack to a waiting worker, if one waits and
    /// the stack holds more than the node to be walked next. A leaf is not
    /// worth a hand-over.
    fn split(&mut self, stack: &mut Vec<Waiting<T::Node>>) {
        if !self.parts
            || !self.out.idle_worker()
            || stack.len() < 2
            || self.tree.is_leaf(&stack[0].0)
        {
            return;
        }
        let (node, position) = stack.remove(0);
        if let Err(Start::Part(node, position)) = self.out.split_off(Start::Part(node, position)) {
            stack.insert(0, (node, position));
        }
    }
}

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

/// Walks a subtree depth first from `stack` (the waiting siblings on one
/// path, each with its position), handing its regions to `out` in tree
/// order, and asking `out.emit(None)` every [`EXPANSIONS_PER_LOOK`]
/// expansions whether to go on; before each expansion `out` may take the
/// bottom of the stack for another thread. Stops early, returning false,
/// when `out` says so.
fn subtree<N>(
    tree: &impl Tree<Node = N>,
    mut stack: Vec<Waiting<N>>,
    out: &mut impl SubtreeOut<N>,
) -> Result<bool, WalkError> {
    let mut steps = 0usize;
    loop {
        out.split(&mut stack);
        let Some((node, position)) = stack.pop() else {
            return Ok(true);
        };
        steps += 1;
        if steps.is_multiple_of(EXPANSIONS_PER_LOOK) && !out.emit(None)? {
            return Ok(false);
        }
        match tree.expand(node)? {
            Branch::Region(mut region) => {
                region.position = position;
                if !out.emit(Some(region))? {
                    return Ok(false);
                }
            }
            Branch::Children(children) => push_children(&mut stack, children, &position, 0),
        }
    }
}
