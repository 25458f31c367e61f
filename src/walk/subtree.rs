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
use crate::walk::decider::Decider;
use crate::walk::depth_first::Node;
use crate::walk::ordered_stream::Out;
use crate::walk::region::Region;
use crate::walk::walker::{Step, Walk, WalkOptions};

/// A node waiting on the depth-first stack, with its position.
type Waiting<D> = (Node<D>, Vec<u32>);

impl<D: Decider> Walk<'_, D> {
    /// Streams the regions under `node` to `out`, in tree order, depth
    /// first: the stack holds the waiting siblings on one path. With
    /// `after`, starts after the region at that position (those before it,
    /// and it, were handed out by an earlier run).
    pub(crate) fn subtree(
        &self,
        node: Node<D>,
        after: Option<&[u32]>,
        out: &mut Out<'_, Region, WalkError>,
    ) -> Result<(), WalkError> {
        let mut stack = match after {
            Some(path) => self.stack_after(node, path)?,
            None => vec![(node, Vec::new())],
        };
        while let Some((node, position)) = stack.pop() {
            if !out.live() {
                break;
            }
            match self.expand(node)? {
                Step::Region(mut region) => {
                    region.position = position;
                    if !out.send(region) {
                        break;
                    }
                }
                Step::Children(children) => push_children(&mut stack, children, &position, 0),
            }
        }
        Ok(())
    }

    /// The depth-first stack right after the region at `path` under `root`.
    fn stack_after(&self, root: Node<D>, path: &[u32]) -> Result<Vec<Waiting<D>>, WalkError> {
        let mut stack = Vec::new();
        let mut node = root;
        for (level, &taken) in path.iter().enumerate() {
            let Step::Children(children) = self.expand(node)? else {
                return Err(WalkError::ResumePosition {
                    position: path.to_vec(),
                });
            };
            if taken as usize >= children.len() {
                return Err(WalkError::ResumePosition {
                    position: path.to_vec(),
                });
            }
            let mut children = children;
            let later = children.split_off(taken as usize + 1);
            node = children.pop().expect("taken < len");
            push_children(&mut stack, later, &path[..level], taken + 1);
        }
        // `node` is the region at `path`: handed out already.
        match self.expand(node)? {
            Step::Region(_) => Ok(stack),
            Step::Children(_) => Err(WalkError::ResumePosition {
                position: path.to_vec(),
            }),
        }
    }
}

/// Pushes `children` (in tree order, the first being child `first` of the
/// node at `parent`) so that the first comes off the stack first.
fn push_children<D: Decider>(
    stack: &mut Vec<Waiting<D>>,
    children: Vec<Node<D>>,
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
