//! The rows of a piece, shared with its ancestors: the domain's rows, then
//! one link per neuron that cut an ancestor. A cut adds one link to each
//! side instead of copying every row, and a region's rows are written out
//! once, when it is finished.

use crate::domain::half_space::HalfSpace;
use crate::walk::region::RowSource;
use std::sync::Arc;

/// The rows of a piece, oldest first when written out.
#[derive(Clone, Default)]
pub(crate) struct RowList {
    last: Option<Arc<Link>>,
    len: usize,
}

struct Link {
    row: HalfSpace,
    source: RowSource,
    before: Option<Arc<Link>>,
}

impl RowList {
    /// The list of `rows`, in order.
    pub fn new(rows: impl IntoIterator<Item = (HalfSpace, RowSource)>) -> Self {
        rows.into_iter()
            .fold(RowList::default(), |list, (row, source)| {
                list.push(row, source)
            })
    }

    /// The list with `row` (from `source`) after its rows.
    pub fn push(&self, row: HalfSpace, source: RowSource) -> Self {
        RowList {
            last: Some(Arc::new(Link {
                row,
                source,
                before: self.last.clone(),
            })),
            len: self.len + 1,
        }
    }

    /// The links, newest first.
    fn links(&self) -> impl Iterator<Item = &Link> {
        std::iter::successors(self.last.as_deref(), |l| l.before.as_deref())
    }

    /// The rows, newest first.
    pub fn rows(&self) -> impl Iterator<Item = &HalfSpace> {
        self.links().map(|l| &l.row)
    }

    /// The sources, oldest first.
    pub fn sources(&self) -> Vec<RowSource> {
        let mut out: Vec<RowSource> = self.links().map(|l| l.source).collect();
        out.reverse();
        out
    }

    /// The rows and their sources, oldest first.
    pub fn to_vecs(&self) -> (Vec<HalfSpace>, Vec<RowSource>) {
        let (mut rows, mut sources) = (Vec::with_capacity(self.len), Vec::with_capacity(self.len));
        for l in self.links() {
            rows.push(l.row.clone());
            sources.push(l.source);
        }
        rows.reverse();
        sources.reverse();
        (rows, sources)
    }
}

impl Drop for RowList {
    /// Frees a long chain link by link, not by recursion.
    fn drop(&mut self) {
        let mut next = self.last.take();
        while let Some(link) = next {
            next = match Arc::try_unwrap(link) {
                Ok(mut l) => l.before.take(),
                Err(_) => None,
            };
        }
    }
}
