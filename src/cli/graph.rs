//! `graph`: the region graph and its linear regions, written as DOT and/or
//! JSON (docs/graph.md).

use super::args::Target;
use super::job::{create_output, Job, ENGINE};
use super::progress::Progress;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use regionwalk::{
    linear_regions, write_graph_json, AtomicFile, Decisions, DotColor, GraphDot, GraphFileHeader,
    GraphSummary, LinearCount, RegionGraph, WalkSummary,
};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args)]
pub struct GraphArgs {
    #[command(flatten)]
    target: Target,
    /// Write the graph in Graphviz's DOT language to FILE.
    #[arg(long, value_name = "FILE")]
    dot: Option<PathBuf>,
    /// Write the graph as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Fill DOT nodes by the output at the region's witness: its sign, or the largest output's index.
    #[arg(long, value_enum)]
    color: Option<ColorArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Output,
}

pub fn run(args: &GraphArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let dot_file = args.dot.as_deref().map(create_output).transpose()?;
    let json_file = args.json.as_deref().map(create_output).transpose()?;
    let start = Instant::now();
    let mut progress = Progress::new();
    let net = &job.model.network;
    let (graph, stats) = RegionGraph::walk_with(
        net,
        &job.domain,
        &job.space,
        &ENGINE,
        RegionGraph::walk_options(),
        |n| progress.tick(n),
    )?;
    progress.finish();
    let linear = linear_regions(&graph, net, &job.domain);
    let seconds = start.elapsed().as_secs_f64();
    let regions = graph.node_count() as u64;
    if let (Some(mut file), Some(path)) = (dot_file, &args.dot) {
        let color = match args.color {
            Some(ColorArg::Output) => DotColor::Output,
            None => DotColor::None,
        };
        let shown = GraphDot::new(&graph).with_linear(&linear).with_color(color);
        write!(file, "{shown}")
            .and_then(|()| file.commit())
            .with_context(|| format!("{}: writing the DOT file", path.display()))?;
    }
    if let (Some(file), Some(path)) = (json_file, &args.json) {
        let mut run = job.header();
        run.decisions = Decisions::Float;
        let header = GraphFileHeader {
            header: run,
            summary: GraphSummary {
                exact_map_checks: linear.exact_checks,
                linear: LinearCount {
                    linear_regions: linear.count,
                    shared_facets: graph.edge_count(),
                },
                walk: WalkSummary::new(regions, stats, seconds),
            },
        };
        write_graph_json(file, &serde_json::to_value(&header)?, &graph, &linear)
            .and_then(AtomicFile::commit)
            .with_context(|| format!("{}: writing the JSON file", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{regions} activation regions, {} shared facets (edges), {} linear regions",
        graph.edge_count(),
        linear.count
    )?;
    let multi = graph
        .edges()
        .filter(|(_, _, e)| e.neurons.len() > 1)
        .count();
    writeln!(
        out,
        "  edges flipping more than one neuron: {multi}; maps compared exactly: {} edges",
        linear.exact_checks
    )?;
    writeln!(
        out,
        "  work:   {} LPs, {seconds:.3} s (walk, facets and graph)",
        stats.lp_solves
    )?;
    for (path, what) in [(&args.dot, "DOT"), (&args.json, "JSON")] {
        if let Some(p) = path {
            writeln!(out, "  wrote {what}: {}", p.display())?;
        }
    }
    Ok(())
}
