//! `enumerate`'s pipeline: walk, and stream every region to a region file
//! (docs/region-json.md) as it comes, never holding them.

use crate::domain::input_domain::Domain;
use crate::error::WalkError;
use crate::lp::LpEngine;
use crate::model::network::Network;
use crate::output::region_file::RegionWriter;
use crate::output::run_report::WalkSummary;
use crate::walk::region_report::RegionReport;
use crate::walk::space::WorkSpace;
use crate::walk::stats::WalkStats;
use crate::walk::subtree::{run_resumable, Settled};
use crate::walk::walker::{WalkOptions, Walker};
use std::io::{self, Write};
use std::time::Instant;
use thiserror::Error;

/// Why a region file could not be written.
#[derive(Debug, Error)]
pub enum RegionStreamError {
    /// The walk failed, or writing a region did.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// Writing the summary failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Walks `network` on `domain` (set up as `space`) with `engine` and
/// `options`, and writes every region and then the walk's summary to
/// `writer` (which has written the header). Calls `progress` with the number
/// of regions written so far after each one. Returns the writer's output,
/// flushed, and the walk's stats. A walk stopped early (see
/// [`WalkOptions::control`]) still gets its summary, which then says
/// `"complete": false` and what is unfinished.
pub fn write_region_file<W: Write>(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    options: WalkOptions,
    mut writer: RegionWriter<W>,
    progress: impl FnMut(u64),
) -> Result<(W, WalkStats), RegionStreamError> {
    let start = Instant::now();
    let (stats, _) = stream_regions(
        network,
        domain,
        space,
        engine,
        options,
        &mut writer,
        progress,
    )?;
    let summary = WalkSummary::new(writer.written(), stats, start.elapsed().as_secs_f64());
    let summary = serde_json::to_value(summary).map_err(io::Error::from)?;
    Ok((writer.finish(&summary)?, stats))
}

/// As [`write_region_file`], but leaves the file unfinished (no summary)
/// for the caller to end, and numbers the regions on from those `writer`
/// holds already (a resumed run, [`RegionWriter::resume`]). When the walk
/// stopped early (its stats say so) and has a control, also returns where
/// the file can be continued from ([`Settled`]).
pub fn stream_regions<W: Write>(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    options: WalkOptions,
    writer: &mut RegionWriter<W>,
    mut progress: impl FnMut(u64),
) -> Result<(WalkStats, Option<Settled>), RegionStreamError> {
    let domain_rows = domain.rows();
    let walker = Walker::new(space, engine, options);
    let (stats, stopped) = run_resumable(&walker, &options, |region| {
        let id = writer.written();
        writer.region(&RegionReport::new(
            id,
            network,
            space,
            &domain_rows,
            &region,
        ))?;
        progress(id + 1);
        Ok(())
    })?;
    let settled = stopped.map(|position| Settled {
        regions: writer.written(),
        bytes: writer.bytes(),
        position,
    });
    Ok((stats, settled))
}
