//! A walk whose regions are written somewhere as they come: the first failed
//! write stops the walk, and is returned as the `io::Error` it was (so that a
//! caller can tell a closed pipe from a full disk).

use crate::error::WalkError;
use crate::walk::stats::WalkStats;
use crate::walk::walker::{Region, Walker};
use std::io;
use thiserror::Error;

/// Why a writing walk stopped.
#[derive(Debug, Error)]
pub enum WriteWalkError {
    /// The walk itself failed.
    #[error(transparent)]
    Walk(WalkError),
    /// Writing a region failed.
    #[error("output failed")]
    Write(#[source] io::Error),
}

/// Runs `walker`, handing each region to `write` in tree order.
pub(crate) fn walk_writing(
    walker: &Walker,
    mut write: impl FnMut(Region) -> io::Result<()>,
) -> Result<WalkStats, WriteWalkError> {
    let mut failed = None;
    let result = walker.run(|region| {
        write(region).map_err(|e| {
            let walk_error = WalkError::Sink(e.to_string());
            failed = Some(e);
            walk_error
        })
    });
    match (result, failed) {
        (_, Some(e)) => Err(WriteWalkError::Write(e)),
        (Ok(stats), None) => Ok(stats),
        (Err(e), None) => Err(WriteWalkError::Walk(e)),
    }
}
