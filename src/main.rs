//! The `regionwalk` command line. Parses flags into raw values, validates
//! them into the library's types, runs, and picks the exit code: 0 success,
//! 1 internal failure, 2 bad input.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use regionwalk::{
    linear_regions, load_model, load_vnnlib_box, region_bounds, run_sample, tolerance,
    write_graph_json, AtomicFile, BoxSpec, Domain, DomainError, DotColor, ExactSource,
    GoodLpMicrolp, GraphDot, LinearRegions, LoadedModel, LpEngine, ModelError, ModelFormat,
    PointSource, RegionFormat, RegionGraph, RegionReport, RegionWriter, SampleError, SampleOptions,
    SpaceError, VnnlibError, WalkError, WalkOptions, WalkStats, Walker, WorkSpace,
};
use serde_json::{json, Value};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "regionwalk",
    version,
    about = "Lists, exactly, every activation region of a ReLU network"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Worker threads (default: all cores).
    #[arg(long, global = true)]
    threads: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Count the activation regions of MODEL on a domain.
    Count {
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
    },
    /// Write every region (pattern, witness, radius, constraints, affine map) to a file.
    Enumerate {
        #[command(flatten)]
        target: Target,
        /// Output file, or `-` for stdout. Written to a temporary name and renamed when complete.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Layout: one JSON document, or JSON Lines (default: by the file's extension, `.jsonl` or else json).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Decide every cut exactly (as `certify` does) and add each region's witness and affine map as exact rationals.
        #[arg(long)]
        exact: bool,
        /// Mark each constraint `"facet": true|false` (one more LP per constraint).
        #[arg(long)]
        facets: bool,
    },
    /// Enumerate with every decision proved in exact arithmetic, and write the proofs to CERT.
    Certify {
        #[command(flatten)]
        target: Target,
        /// The certificate file (JSON Lines, docs/certificate.md).
        #[arg(short = 'o', long = "output", value_name = "CERT")]
        output: PathBuf,
        /// Print one JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Check a certificate independently: exit 0 verified, 1 rejected, 2 bad input.
    Verify {
        #[command(flatten)]
        target: Target,
        /// The certificate file written by `certify`.
        #[arg(value_name = "CERT")]
        certificate: PathBuf,
        /// Print `{"verified", "regions", "reason"}` on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Build the region graph (regions joined across shared facets) and its linear regions; write it as DOT and/or JSON (docs/graph.md).
    Graph {
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
    },
    /// Describe MODEL: sizes, source format, what was folded, and upper bounds on the region count.
    Info {
        /// The model file (JSON, ONNX or NNet).
        model: PathBuf,
        /// Read the model in this format instead of the one its extension says.
        #[arg(long, value_enum)]
        model_format: Option<ModelFormatArg>,
        #[command(flatten)]
        domain: DomainArgs,
        /// Print one JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Sample points (uniform in the domain, or from a file), count their distinct patterns, and compare with the exact regions (docs/sampling.md).
    Sample(SampleArgs),
}

/// The flags of `sample`.
#[derive(Args)]
struct SampleArgs {
    #[command(flatten)]
    target: Target,
    /// Draw this many points uniformly in the domain.
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "points",
        conflicts_with = "points"
    )]
    samples: Option<u64>,
    /// Seed of the points and of the Monte Carlo volumes (default: drawn at random, and reported).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Read the points from a file instead: CSV (one point per line) or .npy (a 2-D float array).
    #[arg(long, value_name = "FILE")]
    points: Option<PathBuf>,
    /// Enumerate the exact regions in this run, and compare the sample with them.
    #[arg(long, conflicts_with = "against")]
    exact: bool,
    /// Compare the sample with the regions of a file written by `enumerate` (json or jsonl).
    #[arg(long, value_name = "REGIONS.json")]
    against: Option<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Write the discovery curve to this CSV file: `n,observed,expected`.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModelFormatArg {
    Json,
    Onnx,
    Nnet,
}

impl From<ModelFormatArg> for ModelFormat {
    fn from(f: ModelFormatArg) -> Self {
        match f {
            ModelFormatArg::Json => ModelFormat::Json,
            ModelFormatArg::Onnx => ModelFormat::Onnx,
            ModelFormatArg::Nnet => ModelFormat::Nnet,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Output,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Jsonl,
}

/// A model and a domain, as given on the command line.
#[derive(Args)]
struct Target {
    /// The model file: JSON, ONNX or NNet, told by its extension (docs/models.md).
    model: PathBuf,
    /// Read the model in this format instead of the one its extension says.
    #[arg(long, value_enum)]
    model_format: Option<ModelFormatArg>,
    #[command(flatten)]
    domain: DomainArgs,
}

/// The domain flags. One is needed, except for an NNet model, whose
/// `[min, max]` input box is the default.
#[derive(Args)]
#[group(required = false, multiple = false)]
struct DomainArgs {
    /// A box: `LO:HI` in every coordinate, or `LO1:HI1,LO2:HI2,...`; `LO == HI` fixes a coordinate.
    #[arg(long = "box", value_name = "LO:HI[,...]", allow_hyphen_values = true)]
    box_spec: Option<String>,
    /// All of R^d.
    #[arg(long)]
    whole: bool,
    /// A polytope `A x <= b` from a JSON file `{"A": [[...]], "b": [...]}`; may be unbounded.
    #[arg(long, value_name = "FILE")]
    polytope: Option<PathBuf>,
    /// The input box of a VNN-LIB property file (its output part is ignored).
    #[arg(long, value_name = "FILE")]
    vnnlib: Option<PathBuf>,
}

/// Bad input that is not a model or domain error (for example an output path).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadInput(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            let bad_input = err.chain().any(|e| {
                e.is::<ModelError>()
                    || e.is::<DomainError>()
                    || e.is::<VnnlibError>()
                    || e.is::<BadInput>()
                    || matches!(e.downcast_ref::<SampleError>(), Some(SampleError::Input(_)))
                    || matches!(e.downcast_ref::<SpaceError>(), Some(SpaceError::Domain(_)))
            });
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot start the thread pool")?;
    }
    match cli.command {
        Command::Count {
            target,
            json,
            certify,
            linear,
        } => {
            if certify {
                count_certified(&target, json)
            } else {
                count(&target, json, linear)
            }
        }
        Command::Certify {
            target,
            output,
            json,
        } => certify(&target, &output, json).map(|_| ()),
        Command::Verify {
            target,
            certificate,
            json,
        } => verify(&target, &certificate, json),
        Command::Enumerate {
            target,
            output,
            format,
            facets,
            exact,
        } => enumerate(&target, &output, format, facets, exact),
        Command::Graph {
            target,
            dot,
            json,
            color,
        } => graph(&target, dot.as_deref(), json.as_deref(), color),
        Command::Info {
            model,
            model_format,
            domain,
            json,
        } => info(
            &Target {
                model,
                model_format,
                domain,
            },
            json,
        ),
        Command::Sample(args) => sample(&args),
    }
}

/// A loaded model and domain, ready to walk.
struct Job {
    model_path: PathBuf,
    model: LoadedModel,
    domain: Domain,
    space: WorkSpace,
}

const ENGINE: GoodLpMicrolp = GoodLpMicrolp;

fn load_target_model(target: &Target) -> Result<LoadedModel> {
    Ok(load_model(
        &target.model,
        target.model_format.map(Into::into),
    )?)
}

/// The domain the flags give, or the model's default; `None` if neither.
fn resolve_domain(
    args: &DomainArgs,
    model: &LoadedModel,
    model_path: &Path,
) -> Result<Option<Domain>> {
    let d = model.network.input_dim();
    let domain = if let Some(spec) = &args.box_spec {
        BoxSpec::parse(spec)?.resolve(d)?
    } else if let Some(path) = &args.polytope {
        Domain::load_polytope(path)?
    } else if let Some(path) = &args.vnnlib {
        Domain::new_box(load_vnnlib_box(path)?, d)
            .with_context(|| format!("{}: input box", path.display()))?
    } else if args.whole {
        Domain::Whole(d)
    } else {
        return Ok(model.default_box.clone().map(Domain::Box));
    };
    domain.check_dim(d)?;
    // NNet clips inputs to [min, max]: the network equals the file's only there.
    Ok(Some(match &model.default_box {
        Some(clip) => {
            let (cut, changed) = domain.intersect_box(clip)?;
            if changed {
                eprintln!(
                    "note: {}: NNet clips its inputs to [min, max]; the domain is cut to that box",
                    model_path.display()
                );
            }
            cut
        }
        None => domain,
    }))
}

fn load(target: &Target) -> Result<Job> {
    let model = load_target_model(target)?;
    let domain = resolve_domain(&target.domain, &model, &target.model)?.ok_or_else(|| {
        BadInput(format!(
            "{}: no domain given: use --box, --whole, --polytope or --vnnlib",
            target.model.display()
        ))
    })?;
    let space = WorkSpace::new(&model.network, &domain, &ENGINE)?;
    Ok(Job {
        model_path: target.model.clone(),
        model,
        domain,
        space,
    })
}

impl Job {
    /// The fields every output shares: model, domain, and how decisions were made.
    fn describe(&self) -> Value {
        json!({
            "model": describe_model(&self.model_path, &self.model),
            "domain": self.domain.to_json(),
            "free_dim": self.space.dim(),
            "decisions": "float",
            "tau_interior": tolerance::TAU_INTERIOR,
            "lp_engine": ENGINE.name(),
        })
    }
}

fn describe_model(path: &Path, model: &LoadedModel) -> Value {
    let net = &model.network;
    json!({
        "path": path.display().to_string(),
        "format": model.format.name(),
        "folded": model.folded,
        "input_dim": net.input_dim(),
        "hidden_widths": net.hidden_widths(),
        "hidden_neurons": net.hidden_neurons(),
        "output_dim": net.output_dim(),
    })
}

/// A spinner on stderr, shown only on a terminal and only once a run has
/// taken over a second.
struct Progress {
    start: Instant,
    enabled: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Self {
        Progress {
            start: Instant::now(),
            enabled: std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    fn tick(&mut self, regions: u64) {
        if !self.enabled || (self.bar.is_none() && self.start.elapsed() < Duration::from_secs(1)) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} regions, {elapsed} ({per_sec})")
                    .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        bar.set_position(regions);
    }

    fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The JSON of a finished run: the job's description, the summary, and the
/// model's size at the top level (as `count --json` documents).
fn run_report(job: &Job, regions: u64, stats: &WalkStats, seconds: f64) -> Value {
    let mut value = job.describe();
    let fields = value.as_object_mut().expect("object");
    fields.extend(
        summary(regions, stats, seconds)
            .as_object()
            .expect("object")
            .clone(),
    );
    fields.insert("input_dim".into(), job.model.network.input_dim().into());
    fields.insert(
        "hidden_neurons".into(),
        job.model.network.hidden_neurons().into(),
    );
    value
}

fn summary(regions: u64, stats: &WalkStats, seconds: f64) -> Value {
    json!({
        "regions": regions,
        "lp_solves": stats.lp_solves,
        "seconds": seconds,
        "stats": stats,
        "threads": rayon::current_num_threads(),
    })
}

fn count(target: &Target, as_json: bool, linear: bool) -> Result<()> {
    let job = load(target)?;
    let start = Instant::now();
    let (regions, stats, linear) = if linear {
        let options = WalkOptions {
            facets: true,
            ..WalkOptions::default()
        };
        let (graph, linear, stats) = region_graph(&job, options)?;
        let edges = graph.edge_count();
        (
            graph.node_count() as u64,
            stats,
            Some((edges, linear.count)),
        )
    } else {
        let walker = Walker::new(&job.space, &ENGINE, WalkOptions::default());
        let mut regions = 0u64;
        let mut progress = Progress::new();
        let stats = walker.run(|_| {
            regions += 1;
            progress.tick(regions);
            Ok(())
        })?;
        progress.finish();
        (regions, stats, None)
    };
    let seconds = start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    if as_json {
        let mut value = run_report(&job, regions, &stats, seconds);
        if let Some((edges, count)) = linear {
            let fields = value.as_object_mut().expect("object");
            fields.insert("linear_regions".into(), count.into());
            fields.insert("shared_facets".into(), edges.into());
        }
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        let widths: Vec<String> = job
            .model
            .network
            .hidden_widths()
            .iter()
            .map(|w| w.to_string())
            .collect();
        writeln!(out, "{regions} activation regions")?;
        if let Some((edges, count)) = linear {
            writeln!(
                out,
                "{count} linear regions (adjacent regions with one affine map merged; {edges} shared facets)"
            )?;
        }
        writeln!(
            out,
            "  model:  {} ({} inputs, hidden layers {}, {} hidden neurons)",
            job.model_path.display(),
            job.model.network.input_dim(),
            if widths.is_empty() {
                "none".to_string()
            } else {
                widths.join("-")
            },
            job.model.network.hidden_neurons()
        )?;
        writeln!(
            out,
            "  domain: {} ({} free coordinates)",
            describe_domain(&job.domain),
            job.space.dim()
        )?;
        writeln!(
            out,
            "  work:   {} LPs, {} side tests ({} decided by the box bound), {seconds:.3} s",
            stats.lp_solves, stats.side_tests, stats.pruned_by_box
        )?;
        writeln!(
            out,
            "  decisions: float (a side has interior when its Chebyshev radius exceeds {:e} of the domain's half-width)",
            tolerance::TAU_INTERIOR
        )?;
    }
    Ok(())
}

fn describe_domain(domain: &Domain) -> String {
    match domain {
        Domain::Box(v) => {
            let parts: Vec<String> = v.iter().map(|(lo, hi)| format!("[{lo}, {hi}]")).collect();
            format!("box {}", parts.join(" × "))
        }
        Domain::Polytope { a, .. } => format!("polytope of {} rows", a.len()),
        Domain::Whole(d) => format!("all of R^{d}"),
    }
}

fn enumerate(
    target: &Target,
    output: &Path,
    format: Option<FormatArg>,
    facets: bool,
    exact: bool,
) -> Result<()> {
    let job = load(target)?;
    let format = match format {
        Some(FormatArg::Json) => RegionFormat::Json,
        Some(FormatArg::Jsonl) => RegionFormat::Jsonl,
        None if output.extension().is_some_and(|e| e == "jsonl") => RegionFormat::Jsonl,
        None => RegionFormat::Json,
    };
    if output == Path::new("-") {
        let stdout = std::io::stdout().lock();
        write_regions(&job, std::io::BufWriter::new(stdout), format, facets, exact)?;
    } else {
        let file = AtomicFile::create(output).map_err(|e| {
            BadInput(format!(
                "{}: cannot create output file: {e}",
                output.display()
            ))
        })?;
        let file = write_regions(&job, file, format, facets, exact)
            .with_context(|| format!("{}: writing regions", output.display()))?;
        file.commit()
            .with_context(|| format!("{}: cannot complete the output file", output.display()))?;
    }
    Ok(())
}

fn write_regions<W: Write>(
    job: &Job,
    out: W,
    format: RegionFormat,
    facets: bool,
    exact: bool,
) -> Result<W> {
    let start = Instant::now();
    let mut header = job.describe();
    if exact {
        header["decisions"] = "exact".into();
    }
    let mut writer = RegionWriter::new(out, format, &header)?;
    let walker = Walker::new(
        &job.space,
        &ENGINE,
        WalkOptions {
            chebyshev: true,
            facets,
            certify: exact,
            ..WalkOptions::default()
        },
    );
    let domain_rows = job.domain.rows();
    let mut id = 0u64;
    let mut progress = Progress::new();
    let stats = walker.run(|region| {
        let report = RegionReport::new(id, &job.model.network, &job.space, &domain_rows, &region);
        writer.region(&report).map_err(WalkError::Sink)?;
        id += 1;
        progress.tick(id);
        Ok(())
    })?;
    progress.finish();
    Ok(writer.finish(&summary(id, &stats, start.elapsed().as_secs_f64()))?)
}

/// Walks `job` with `options` (which must include facets), builds the region
/// graph and its linear regions.
fn region_graph(
    job: &Job,
    options: WalkOptions,
) -> Result<(RegionGraph, LinearRegions, WalkStats)> {
    let walker = Walker::new(&job.space, &ENGINE, options);
    let mut regions = Vec::new();
    let mut progress = Progress::new();
    let stats = walker.run(|region| {
        regions.push(region);
        progress.tick(regions.len() as u64);
        Ok(())
    })?;
    progress.finish();
    let network = &job.model.network;
    let graph = RegionGraph::build(network, &job.domain, &job.space, &regions)?;
    drop(regions);
    let linear = linear_regions(&graph, network, &job.domain);
    Ok((graph, linear, stats))
}

fn graph(
    target: &Target,
    dot: Option<&Path>,
    json: Option<&Path>,
    color: Option<ColorArg>,
) -> Result<()> {
    let job = load(target)?;
    let create = |path: &Path| {
        AtomicFile::create(path).map_err(|e| {
            BadInput(format!(
                "{}: cannot create output file: {e}",
                path.display()
            ))
        })
    };
    let dot_file = dot.map(create).transpose()?;
    let json_file = json.map(create).transpose()?;
    let start = Instant::now();
    let (graph, linear, stats) = region_graph(&job, RegionGraph::walk_options())?;
    let seconds = start.elapsed().as_secs_f64();
    let regions = graph.node_count() as u64;
    if let (Some(mut file), Some(path)) = (dot_file, dot) {
        let color = match color {
            Some(ColorArg::Output) => DotColor::Output,
            None => DotColor::None,
        };
        let shown = GraphDot::new(&graph).with_linear(&linear).with_color(color);
        write!(file, "{shown}")
            .and_then(|()| file.commit())
            .with_context(|| format!("{}: writing the DOT file", path.display()))?;
    }
    if let (Some(file), Some(path)) = (json_file, json) {
        let mut header = job.describe();
        let mut totals = summary(regions, &stats, seconds);
        totals["shared_facets"] = graph.edge_count().into();
        totals["linear_regions"] = linear.count.into();
        totals["exact_map_checks"] = linear.exact_checks.into();
        header["summary"] = totals;
        write_graph_json(file, &header, &graph, &linear)
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
    for (path, what) in [(dot, "DOT"), (json, "JSON")] {
        if let Some(p) = path {
            writeln!(out, "  wrote {what}: {}", p.display())?;
        }
    }
    Ok(())
}

fn info(target: &Target, as_json: bool) -> Result<()> {
    let model = load_target_model(target)?;
    let domain = resolve_domain(&target.domain, &model, &target.model)?;
    // With a domain, the bounds are for the network on its free coordinates.
    let space = match &domain {
        Some(d) => Some(WorkSpace::new(&model.network, d, &ENGINE)?),
        None => None,
    };
    let bounded_net = space.as_ref().map(|s| &s.network).unwrap_or(&model.network);
    let bounds = region_bounds(bounded_net);
    let mut out = std::io::stdout().lock();
    if as_json {
        let value = json!({
            "model": describe_model(&target.model, &model),
            "domain": domain.as_ref().map(Domain::to_json),
            "free_dim": bounded_net.input_dim(),
            "bounds": {
                "input_dim": bounded_net.input_dim(),
                "codes": bounds.codes.to_string(),
                "first_layer_zaslavsky": bounds.first_layer.to_string(),
                "serra_2018": bounds.serra.to_string(),
            },
        });
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    let net = &model.network;
    let widths: Vec<String> = net.hidden_widths().iter().map(|w| w.to_string()).collect();
    writeln!(
        out,
        "{} ({} model)",
        target.model.display(),
        model.format.name()
    )?;
    writeln!(out, "  inputs:         {}", net.input_dim())?;
    writeln!(
        out,
        "  hidden layers:  {}",
        if widths.is_empty() {
            "none".into()
        } else {
            widths.join("-")
        }
    )?;
    writeln!(out, "  hidden neurons: {}", net.hidden_neurons())?;
    writeln!(out, "  outputs:        {}", net.output_dim())?;
    for line in &model.folded {
        writeln!(out, "  folded:         {line}")?;
    }
    if let Some(d) = &domain {
        writeln!(
            out,
            "  domain:         {} ({} free coordinates)",
            describe_domain(d),
            bounded_net.input_dim()
        )?;
    }
    writeln!(
        out,
        "upper bounds on the number of regions over R^{} (context, not a count):",
        bounded_net.input_dim()
    )?;
    writeln!(
        out,
        "  activation codes 2^N:                 {}",
        bounds.codes
    )?;
    writeln!(
        out,
        "  first hidden layer alone (Zaslavsky): {}",
        bounds.first_layer
    )?;
    writeln!(
        out,
        "  Serra et al. 2018, Theorem 1:        {}",
        bounds.serra
    )?;
    Ok(())
}

/// What `certify` did.
struct Certified {
    regions: u64,
    stats: WalkStats,
    seconds: f64,
    bytes: u64,
}

/// A certificate file: gzip-compressed when its name ends in `.gz`
/// (certificates compress about 5×), plain otherwise.
enum CertificateSink {
    Plain(AtomicFile),
    Gzip(flate2::write::GzEncoder<AtomicFile>),
}

impl CertificateSink {
    fn new(file: AtomicFile, path: &Path) -> Self {
        if path.extension().is_some_and(|e| e == "gz") {
            CertificateSink::Gzip(flate2::write::GzEncoder::new(
                file,
                flate2::Compression::default(),
            ))
        } else {
            CertificateSink::Plain(file)
        }
    }

    fn commit(self) -> std::io::Result<()> {
        match self {
            CertificateSink::Plain(f) => f.commit(),
            CertificateSink::Gzip(g) => g.finish()?.commit(),
        }
    }
}

impl Write for CertificateSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            CertificateSink::Plain(f) => f.write(buf),
            CertificateSink::Gzip(g) => g.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            CertificateSink::Plain(f) => f.flush(),
            CertificateSink::Gzip(g) => g.flush(),
        }
    }
}

fn write_certificate(job: &Job, output: &Path) -> Result<Certified> {
    let start = Instant::now();
    let file = AtomicFile::create(output).map_err(|e| {
        BadInput(format!(
            "{}: cannot create certificate file: {e}",
            output.display()
        ))
    })?;
    let file = CertificateSink::new(file, output);
    let slice = regionwalk::SliceNetwork::new(&job.model.network, &job.domain);
    let mut writer =
        regionwalk::CertificateWriter::new(file, &job.model.network, &job.domain, slice.free())?;
    let options = WalkOptions {
        certify: true,
        ..WalkOptions::default()
    };
    let walker = Walker::new(&job.space, &ENGINE, options);
    let mut progress = Progress::new();
    let mut regions = 0u64;
    let stats = walker.run(|region| {
        writer.region(&region).map_err(WalkError::Sink)?;
        regions += 1;
        progress.tick(regions);
        Ok(())
    })?;
    progress.finish();
    let seconds = start.elapsed().as_secs_f64();
    let file = writer.finish(json!({"stats": stats, "seconds": seconds}))?;
    file.commit()
        .with_context(|| format!("{}: cannot complete the certificate", output.display()))?;
    let bytes = std::fs::metadata(output).map(|m| m.len()).unwrap_or(0);
    Ok(Certified {
        regions,
        stats,
        seconds,
        bytes,
    })
}

fn certify(target: &Target, output: &Path, as_json: bool) -> Result<Certified> {
    let job = load(target)?;
    let done = write_certificate(&job, output)?;
    let mut out = std::io::stdout().lock();
    if as_json {
        let mut value = run_report(&job, done.regions, &done.stats, done.seconds);
        let fields = value.as_object_mut().expect("object");
        fields.insert("certificate".into(), output.display().to_string().into());
        fields.insert("certificate_bytes".into(), done.bytes.into());
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} regions, every decision proved; certificate {} ({} bytes)",
            done.regions,
            output.display(),
            done.bytes
        )?;
        writeln!(
            out,
            "  work: {} LPs, {} exact fallbacks, {:.3} s",
            done.stats.lp_solves, done.stats.exact_fallbacks, done.seconds
        )?;
        writeln!(
            out,
            "  check it with: regionwalk verify MODEL DOMAIN {}",
            output.display()
        )?;
    }
    Ok(done)
}

/// A rejected certificate: exit code 1, with the checker's reason.
#[derive(Debug, thiserror::Error)]
#[error("certificate rejected: {0}")]
struct Rejected(String);

fn run_checker(job: &Job, certificate: &Path) -> Result<regionwalk::Verdict> {
    let file = std::fs::File::open(certificate).map_err(|e| {
        BadInput(format!(
            "{}: cannot read certificate: {e}",
            certificate.display()
        ))
    })?;
    let reader: Box<dyn std::io::BufRead> = if certificate.extension().is_some_and(|e| e == "gz") {
        Box::new(std::io::BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let verdict = regionwalk::verify_certificate(&job.model.network, &job.domain, reader)
        .with_context(|| format!("{}: reading the certificate", certificate.display()))?;
    Ok(verdict)
}

fn verify(target: &Target, certificate: &Path, as_json: bool) -> Result<()> {
    let job = load(target)?;
    let start = Instant::now();
    let verdict = run_checker(&job, certificate)?;
    let seconds = start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    if as_json {
        let value = json!({
            "verified": verdict.verified,
            "regions": verdict.regions,
            "reason": verdict.reason,
            "seconds": seconds,
        });
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else if verdict.verified {
        writeln!(
            out,
            "verified: {} activation regions ({seconds:.3} s)",
            verdict.regions
        )?;
    }
    match verdict.reason {
        None => Ok(()),
        Some(reason) => Err(Rejected(reason).into()),
    }
}

fn count_certified(target: &Target, as_json: bool) -> Result<()> {
    let job = load(target)?;
    let dir = std::env::temp_dir().join(format!("regionwalk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("cannot make a temporary folder")?;
    let path = dir.join("count.cert.jsonl.gz");
    let result = (|| -> Result<()> {
        let done = write_certificate(&job, &path)?;
        let verdict = run_checker(&job, &path)?;
        let mut out = std::io::stdout().lock();
        if as_json {
            let mut value = run_report(&job, done.regions, &done.stats, done.seconds);
            let fields = value.as_object_mut().expect("object");
            fields.insert("certified".into(), verdict.verified.into());
            fields.insert("decisions".into(), "exact".into());
            fields.insert("exact_fallbacks".into(), done.stats.exact_fallbacks.into());
            fields.insert("certificate_bytes".into(), done.bytes.into());
            serde_json::to_writer(&mut out, &value)?;
            writeln!(out)?;
        } else if verdict.verified {
            writeln!(out, "{} activation regions, certified (every decision proved exactly and checked independently)", verdict.regions)?;
            writeln!(
                out,
                "  work: {} LPs, {} exact fallbacks, {:.3} s",
                done.stats.lp_solves, done.stats.exact_fallbacks, done.seconds
            )?;
        }
        match verdict.reason {
            None if verdict.regions == done.regions => Ok(()),
            None => Err(Rejected(format!(
                "checker counted {} regions, the walk {}",
                verdict.regions, done.regions
            ))
            .into()),
            Some(reason) => Err(Rejected(reason).into()),
        }
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn sample(args: &SampleArgs) -> Result<()> {
    let job = load(&args.target)?;
    let options = SampleOptions {
        points: match &args.points {
            Some(path) => PointSource::File(path.clone()),
            None => PointSource::Uniform {
                samples: args.samples.unwrap_or(0),
            },
        },
        exact: match (&args.against, args.exact) {
            (Some(path), _) => ExactSource::File(path.clone()),
            (None, true) => ExactSource::Walk,
            (None, false) => ExactSource::None,
        },
        seed: args.seed.unwrap_or_else(rand::random),
    };
    let report = run_sample(
        &job.model.network,
        &job.domain,
        &job.space,
        &ENGINE,
        &options,
    )?;
    if let Some(path) = &args.csv {
        let mut file = AtomicFile::create(path).map_err(|e| {
            BadInput(format!(
                "{}: cannot create output file: {e}",
                path.display()
            ))
        })?;
        report
            .write_curve_csv(&mut file)
            .and_then(|()| file.commit())
            .with_context(|| format!("{}: writing the discovery curve", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut value = job.describe();
        let fields = value.as_object_mut().expect("object");
        if let Value::Object(report) = serde_json::to_value(&report)? {
            fields.extend(report);
        }
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        write!(out, "{report}")?;
    }
    Ok(())
}
