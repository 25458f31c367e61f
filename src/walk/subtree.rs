//! One frontier subtree, walked depth first, each region labelled with its
//! position; and the walk resumed after a position.
//!
//! A region's *position* is the index of the child taken at each step from
//! the subtree's root down to it ([`Region::position`]). The walk is
//! deterministic, so a position names the same node in every run, and
//! "every region up to this one was handed out" is a point a stopped run can
//! be continued from (`--resume`, docs/large-runs.md): the depth-first stack
//! after that region is, level by level, the later siblings of the nodes on
//! its path. Rebuilding it expands only the nodes on the path again.

use crate::error::WalkError;
use crate::walk::region::Region;
use crate::walk::stats::WalkStats;
use crate::walk::tree::{Branch, Tree};
use crate::walk::walker::{WalkOptions, Walker};

/// A node waiting on the depth-first stack, with its position.
pub(crate) type Waiting<N> = (N, Vec<u32>);

/// The depth-first stack of the subtree under `root`: the root alone, or,
/// with `after`, the stack right after the region at that position (those
/// before it, and it, were handed out by an earlier run).
pub(crate) fn start_stack<T: Tree>(
    tree: &T,
    root: T::Node,
    after: Option<&[u32]>,
) -> Result<Vec<Waiting<T::Node>>, WalkError> {
    let Some(path) = after else {
        return Ok(vec![(root, Vec::new())]);
    };
    let wrong = || WalkError::ResumePosition {
        position: path.to_vec(),
    };
    let mut stack = Vec::new();
    let mut node = root;
    for (level, &taken) in path.iter().enumerate() {
        let Branch::Children(mut children) = tree.expand(node)? else {
            return Err(wrong());
        };
        if taken as usize >= children.len() {
            return Err(wrong());
        }
        let later = children.split_off(taken as usize + 1);
        node = children.pop().expect("taken < len");
        push_children(&mut stack, later, &path[..level], taken + 1);
    }
    // `node` is the region at `path`: handed out already.
    match tree.expand(node)? {
        Branch::Region(_) => Ok(stack),
        Branch::Children(_) => Err(wrong()),
    }
}

/// Pushes `children` (in tree order, the first being child `first` of the
/// node at `parent`) so that the first comes off the stack first.
pub(crate) fn push_children<N>(
    stack: &mut Vec<Waiting<N>>,
    children: Vec<N>,
    parent: &[u32],
    first: u32,
) {
    for (i, child) in children.into_iter().enumerate().rev() {
        let mut position = Vec::with_capacity(parent.len() + 1);
        position.extend_from_slice(parent);
        position.push(first + i as u32);
        stack.push((child, position));
    }
}

/// Where a stopped walk can be continued from in subtree `subtrees_done`
/// (its `Stopped` record's): the position of `last`, the last region handed
/// out (its subtree and position), when it is in that subtree; else the
/// position the walk itself resumed from, when it stopped in the subtree it
/// resumed in before handing out any region there; else `None` (the
/// subtree starts afresh).
pub fn resume_position(
    options: &WalkOptions,
    subtrees_done: u64,
    last: Option<(u64, Vec<u32>)>,
) -> Option<Vec<u32>> {
    match last {
        Some((subtree, position)) if subtree == subtrees_done => Some(position),
        _ if subtrees_done == options.resume_at as u64 => options.resume_path.map(<[u32]>::to_vec),
        _ => None,
    }
}

/// Where in its unfinished subtree a stopped walk continues: after the
/// region at this position, or, `None`, from the subtree's start.
pub(crate) type ResumeAt = Option<Vec<u32>>;

/// Runs `walker` (made with `options`), handing each region to `sink`, and
/// returns its stats with, when it stopped early, where it can be continued
/// from ([`resume_position`] of the last region handed out). A region is
/// handed out when `sink` returns, so a stopped run's output holds it.
pub(crate) fn run_resumable(
    walker: &Walker,
    options: &WalkOptions,
    mut sink: impl FnMut(Region) -> Result<(), WalkError>,
) -> Result<(WalkStats, Option<ResumeAt>), WalkError> {
    // The subtree of the last region handed out (the control names the
    // subtree of the region being handed out), and its position there.
    let mut last: Option<(u64, Vec<u32>)> = None;
    let stats = walker.run(|region| {
        let here = options
            .control
            .map(|c| (c.position().subtrees_done, region.position.clone()));
        sink(region)?;
        last = here.or(last.take());
        Ok(())
    })?;
    let stopped = stats
        .stopped
        .map(|s| resume_position(options, s.subtrees_done, last.take()));
    Ok((stats, stopped))
}

/// Where a stopped walk's unfinished file (a region file, a certificate)
/// can be continued from: every region written, and the position of the
/// last one in the subtree the walk stopped in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// Regions written (with those the file held before).
    pub regions: u64,
    /// The file's length.
    pub bytes: u64,
    /// The position ([`Region::position`](crate::Region::position)) of the
    /// last region, when it is in the unfinished subtree: a resumed walk
    /// continues after it. `None`: the unfinished subtree starts afresh.
    pub position: Option<Vec<u32>>,
}
