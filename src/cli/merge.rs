//! `merge`: unites the outputs of the parts of a sharded run (`--shard K/N`,
//! docs/cluster.md): `count --json` reports, or JSON Lines region files.

use super::job::create_output;
use anyhow::{Context, Result};
use clap::Args;
use regionwalk::{is_region_file, json_line, merge_count_reports, merge_region_files};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct MergeArgs {
    /// The parts' outputs, in any order: every `count --json` report, or every `enumerate -o FILE.jsonl` region file, of parts 1..N.
    #[arg(required = true, value_name = "PART")]
    parts: Vec<PathBuf>,
    /// Where to write the merged result (`-` or none: stdout). Written to a temporary name and renamed when complete.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &MergeArgs) -> Result<()> {
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let regions = is_region_file(&args.parts[0]);
    match output {
        None => {
            let out = BufWriter::new(std::io::stdout().lock());
            write(&args.parts, regions, out)?;
        }
        Some(path) => {
            let file = create_output(path)?;
            let file = write(&args.parts, regions, file)?;
            file.commit()
                .with_context(|| format!("{}: cannot complete the output file", path.display()))?;
        }
    }
    Ok(())
}

fn write<W: Write>(parts: &[PathBuf], regions: bool, mut out: W) -> Result<W> {
    if regions {
        merge_region_files(parts, &mut out)?;
    } else {
        writeln!(out, "{}", json_line(&merge_count_reports(parts)?)?)?;
    }
    out.flush()?;
    Ok(out)
}
