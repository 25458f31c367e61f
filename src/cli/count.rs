//! `count`: the number of activation regions, and with `--linear` of linear
//! regions; with `--certify`, proved and checked.

use super::args::Target;
use super::checkpoint::{identity, CheckpointArgs};
use super::job::{Job, ENGINE};
use super::progress::{Progress, Watcher};
use super::resolve::BadInput;
use super::run_args::RunArgs;
use super::stop::check_complete;
use super::text::{domain_text, widths_text};
use super::verify::Rejected;
use anyhow::Result;
use clap::Args;
use regionwalk::{
    certify_and_check, json_line, linear_regions, resume_position, tolerance, CertifiedCountReport,
    Decisions, LinearCount, LpEngine, RegionGraph, RunReport, WalkOptions, WalkSummary, Walker,
};
use std::io::Write;
use std::time::Instant;

#[derive(Args)]
pub struct CountArgs {
    #[command(flatten)]
    target: Target,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Prove the count: write a certificate to a temporary file and check it with the independent checker.
    #[arg(long)]
    certify: bool,
    /// Also build the region graph and count the linear regions (adjacent regions with one affine map merged).
    #[arg(long)]
    linear: bool,
    /// Take every float decision as it is, near-ties included: a little faster, but a region thinner than the float tolerance may be lost (docs/numerics.md). By default near-ties are decided exactly.
    #[arg(long, conflicts_with = "certify")]
    float: bool,
    /// Do not count: estimate the count from PROBES random paths down the walk's tree (Knuth's estimator; docs/large-runs.md).
    #[arg(long, value_name = "PROBES")]
    estimate: Option<u64>,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    checkpoint: CheckpointArgs,
}

pub fn run(args: &CountArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let limited = args.run.stop.max_regions.is_some() || args.run.stop.time_limit.is_some();
    if args.certify && (limited || args.run.shard.shard.is_some()) {
        return Err(BadInput(
            "count --certify takes no --max-regions, --time-limit or --shard: use `certify -o CERT` with them".into(),
        )
        .into());
    }
    if args.linear && args.run.shard.shard.is_some() {
        return Err(BadInput(
            "count --linear takes no --shard: linear regions cross the parts' borders; run `graph --shard K/N --json FILE` and merge the parts".into(),
        )
        .into());
    }
    if (args.certify || args.linear) && args.checkpoint.active() {
        return Err(BadInput(
            "count --certify and count --linear take no --checkpoint or --resume: they hold every region of one run".into(),
        )
        .into());
    }
    if let Some(probes) = args.estimate {
        if args.certify || args.linear || args.checkpoint.active() || args.run.shard.shard.is_some()
        {
            return Err(BadInput(
                "count --estimate takes no --certify, --linear, --checkpoint, --resume or --shard"
                    .into(),
            )
            .into());
        }
        return super::estimate::run(&job, probes, args.float, args.json);
    }
    if args.certify {
        return certified(&job, args.json);
    }
    let control = args.run.stop.control()?;
    let start = Instant::now();
    let watcher = Watcher::start(&args.run.progress, control);
    let net = &job.model.network;
    let (regions, stats, linear) = if args.linear {
        let (graph, stats) = RegionGraph::walk_with(
            net,
            &job.domain,
            &job.space,
            &ENGINE,
            WalkOptions {
                control: Some(control),
                ..RegionGraph::walk_options()
            },
            |_| {},
        )?;
        let linear = LinearCount {
            linear_regions: linear_regions(&graph, net, &job.domain).count,
            shared_facets: graph.edge_count(),
        };
        (graph.node_count() as u64, stats, Some(linear))
    } else {
        let shard = args.run.shard.shard()?;
        let run = identity(
            &job,
            "count",
            &job.header_for(shard)?,
            serde_json::json!({ "shard": shard, "float": args.float }),
        );
        let start = args.checkpoint.start(&run)?;
        let mut regions = start.regions();
        let options = WalkOptions {
            control: Some(control),
            shard,
            resume_at: start.subtrees_done(),
            resume_path: start.resume_path(),
            float_decisions: args.float,
            region_rows: false,
            region_pattern: false,
            ..WalkOptions::default()
        };
        // The last region's subtree and position in it, for a checkpoint.
        let mut last = None;
        let keep = args.checkpoint.active();
        let stats = Walker::new(&job.space, &ENGINE, options).run(|region| {
            regions += 1;
            if keep {
                last = Some((control.position().subtrees_done, region.position));
            }
            Ok(())
        })?;
        let position = stats
            .stopped
            .and_then(|s| resume_position(&options, s.subtrees_done, last));
        args.checkpoint
            .finish(&run, &stats, (regions, position), None)?;
        (regions, stats, None)
    };
    watcher.finish();
    let seconds = start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut header = job.header_for(args.run.shard.shard()?)?;
        if args.float || args.linear {
            // The graph behind --linear walks with float decisions.
            header.decisions = Decisions::Float;
        }
        let mut report = RunReport::new(
            header,
            &job.model,
            WalkSummary::new(regions, stats, seconds),
        );
        report.linear = linear;
        writeln!(out, "{}", json_line(&report)?)?;
        return check_complete(&stats);
    }
    if stats.stopped.is_some() {
        writeln!(
            out,
            "{regions} activation regions found before the stop (at least this many)"
        )?;
    } else {
        writeln!(out, "{regions} activation regions")?;
    }
    if let Some(LinearCount {
        linear_regions,
        shared_facets,
    }) = linear
    {
        writeln!(
            out,
            "{linear_regions} linear regions (adjacent regions with one affine map merged; {shared_facets} shared facets)"
        )?;
    }
    writeln!(
        out,
        "  model:  {} ({} inputs, hidden layers {}, {} hidden neurons)",
        job.model_path.display(),
        net.input_dim(),
        widths_text(net),
        net.hidden_neurons()
    )?;
    writeln!(
        out,
        "  domain: {} ({} free coordinates)",
        domain_text(&job.domain),
        job.space.dim()
    )?;
    writeln!(
        out,
        "  work:   {} LPs, {} side tests ({} decided by the box bound), {seconds:.3} s",
        stats.lp_solves, stats.side_tests, stats.pruned_by_box
    )?;
    if args.float || args.linear {
        writeln!(
            out,
            "  decisions: float (a side has interior when its Chebyshev radius exceeds {:e} of the domain's half-width; {} near-ties left to floats)",
            tolerance::TAU_INTERIOR,
            stats.near_ties
        )?;
    } else if ENGINE.polygons() && job.space.dim() == 2 {
        writeln!(
            out,
            "  decisions: polygons (float signs at the vertices where clear, {} near-ties decided exactly)",
            stats.near_ties
        )?;
    } else {
        writeln!(
            out,
            "  decisions: floats where their margin exceeds {:e} of the domain's half-width, {} near-ties decided exactly",
            tolerance::NEAR_TIE_MARGIN,
            stats.near_ties
        )?;
    }
    check_complete(&stats)
}

/// `count --certify`: proves the count, checks the proof, and reports both.
fn certified(job: &Job, as_json: bool) -> Result<()> {
    let mut progress = Progress::new();
    let checked = certify_and_check(&job.model.network, &job.domain, &job.space, &ENGINE, |n| {
        progress.tick(n)
    })?;
    progress.finish();
    let (done, verdict) = (&checked.certified, &checked.verdict);
    let mut out = std::io::stdout().lock();
    if as_json {
        let mut header = job.header();
        header.decisions = Decisions::Exact;
        let report = CertifiedCountReport {
            certificate_bytes: done.bytes,
            certified: verdict.verified,
            exact_fallbacks: done.stats.exact_fallbacks,
            run: RunReport::new(
                header,
                &job.model,
                WalkSummary::new(done.regions, done.stats, done.seconds),
            ),
        };
        writeln!(out, "{}", json_line(&report)?)?;
    } else if verdict.verified {
        writeln!(out, "{} activation regions, certified (every decision proved exactly and checked independently)", verdict.regions)?;
        writeln!(
            out,
            "  work: {} LPs, {} exact fallbacks, {:.3} s",
            done.stats.lp_solves, done.stats.exact_fallbacks, done.seconds
        )?;
    }
    match checked.rejection() {
        None => Ok(()),
        Some(reason) => Err(Rejected(reason).into()),
    }
}
