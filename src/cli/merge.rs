//! `merge`: unites the outputs of the parts of a sharded run (`--shard K/N`,
//! docs/cluster.md): `count --json` reports, JSON Lines region files,
//! certificates, or graph parts.

use super::job::create_output;
use anyhow::{Context, Result};
use clap::Args;
use regionwalk::{
    is_certificate, is_graph_part, is_region_file, json_line, merge_certificates,
    merge_count_reports, merge_graph_parts, merge_region_files, write_graph_json, CertificateSink,
};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct MergeArgs {
    /// The parts' outputs, in any order: every `count --json` report, every `enumerate -o FILE.jsonl` region file, or every `certify -o CERT` certificate, or every `graph --json FILE` graph part, of parts 1..N.
    #[arg(required = true, value_name = "PART")]
    parts: Vec<PathBuf>,
    /// Where to write the merged result (`-` or none: stdout). Written to a temporary name and renamed when complete.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &MergeArgs) -> Result<()> {
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    if is_certificate(&args.parts[0]) {
        return certificates(&args.parts, output);
    }
    if is_graph_part(&args.parts[0]) {
        return graph(&args.parts, output);
    }
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

/// Merges graph parts into the whole graph's JSON file, to `output` or
/// stdout.
fn graph(parts: &[PathBuf], output: Option<&Path>) -> Result<()> {
    let m = merge_graph_parts(parts)?;
    match output {
        None => {
            let out = BufWriter::new(std::io::stdout().lock());
            write_graph_json(out, &m.header, &m.graph, &m.linear)?;
        }
        Some(path) => {
            let file = create_output(path)?;
            write_graph_json(file, &m.header, &m.graph, &m.linear)?
                .commit()
                .with_context(|| format!("{}: cannot complete the output file", path.display()))?;
        }
    }
    Ok(())
}

/// Merges certificates, to `output` (gzip-compressed if it ends in `.gz`)
/// or stdout.
fn certificates(parts: &[PathBuf], output: Option<&Path>) -> Result<()> {
    match output {
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            merge_certificates(parts, &mut out)?;
        }
        Some(path) => {
            let mut file = CertificateSink::create(path).map_err(|e| {
                super::resolve::BadInput(format!(
                    "{}: cannot create output file: {e}",
                    path.display()
                ))
            })?;
            merge_certificates(parts, &mut file)?;
            file.commit()
                .with_context(|| format!("{}: cannot complete the output file", path.display()))?;
        }
    }
    Ok(())
}
