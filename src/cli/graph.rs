//! `graph`: the region graph and its linear regions, written as DOT and/or
//! JSON (docs/graph.md).

use super::args::Target;
use super::job::{create_output, Job, ENGINE};
use super::progress::Progress;
use super::resolve::BadInput;
use super::shard::ShardArgs;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use regionwalk::{
    linear_regions, write_graph_json, write_graph_part_json, AtomicFile, Decisions, DotColor,
    GraphDot, GraphFileHeader, GraphPart, GraphSummary, LinearCount, RegionGraph, Shard,
    WalkOptions, WalkSummary,
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
    #[command(flatten)]
    shard: ShardArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Output,
}

pub fn run(args: &GraphArgs) -> Result<()> {
    if let Some(shard) = args.shard.shard()? {
        return part(args, shard);
    }
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

/// `graph --shard K/N --json FILE`: the graph of one part, with its
/// crossings into the other parts, for `regionwalk merge` (docs/cluster.md).
fn part(args: &GraphArgs, shard: Shard) -> Result<()> {
    let Some(path) = &args.json else {
        return Err(BadInput(
            "graph --shard takes --json FILE: `regionwalk merge` unites the parts' files".into(),
        )
        .into());
    };
    if args.dot.is_some() || args.color.is_some() {
        return Err(BadInput(
            "graph --shard takes no --dot or --color: a part is not the whole graph; merge the parts' --json files".into(),
        )
        .into());
    }
    let job = Job::load(&args.target)?;
    let file = create_output(path)?;
    let mut header = job.header_for(Some(shard))?;
    header.decisions = Decisions::Float;
    let start = Instant::now();
    let mut progress = Progress::new();
    let options = WalkOptions {
        shard: Some(shard),
        ..RegionGraph::walk_options()
    };
    let (part, stats) = GraphPart::walk_with(
        &job.model.network,
        &job.domain,
        &job.space,
        &ENGINE,
        options,
        |n| progress.tick(n),
    )?;
    progress.finish();
    let seconds = start.elapsed().as_secs_f64();
    let regions = part.nodes.len() as u64;
    let mut summary = serde_json::to_value(WalkSummary::new(regions, stats, seconds))?;
    summary["exact_map_checks"] = part.exact_checks.into();
    summary["shared_facets"] = part.edges.len().into();
    summary["border_crossings"] = part.border.len().into();
    let mut header = serde_json::to_value(&header)?;
    header["summary"] = summary;
    write_graph_part_json(file, &header, &part)
        .and_then(AtomicFile::commit)
        .with_context(|| format!("{}: writing the JSON file", path.display()))?;
    writeln!(
        std::io::stdout().lock(),
        "part {}/{}: {regions} activation regions, {} shared facets inside the part, {} crossings into other parts\n  wrote JSON: {}",
        shard.index + 1,
        shard.count,
        part.edges.len(),
        part.border.len(),
        path.display()
    )?;
    Ok(())
}
