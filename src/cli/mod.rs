//! The command line's parts: the flags shared by every subcommand, one file
//! per subcommand (its flags, and how it prints what the library returns),
//! and the spinner.

pub mod args;
pub mod certify;
pub mod checkpoint;
pub mod count;
pub mod enumerate;
pub mod estimate;
pub mod graph;
pub mod info;
pub mod job;
pub mod merge;
pub mod plot;
pub mod progress;
pub mod resolve;
pub mod run_args;
pub mod sample;
pub mod shard;
pub mod stop;
pub mod text;
pub mod verify;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "regionwalk",
    version,
    about = "Lists, exactly, every activation region of a ReLU network"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Worker threads (default: all cores).
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    /// The engine: `auto` (the default: polygons with no LPs where the walk
    /// has two free coordinates, the dense LP engine elsewhere), `dense` (a
    /// dual simplex written for the walk's small LPs, for every side test) or
    /// `microlp` (good_lp's reference engine, for every side test).
    #[arg(long, global = true, value_enum, default_value_t = EngineArg::Auto)]
    pub engine: EngineArg,
}

/// The `--engine` values.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    Auto,
    Dense,
    Microlp,
}

impl From<EngineArg> for regionwalk::EngineChoice {
    fn from(e: EngineArg) -> Self {
        match e {
            EngineArg::Auto => regionwalk::EngineChoice::Auto,
            EngineArg::Dense => regionwalk::EngineChoice::Dense,
            EngineArg::Microlp => regionwalk::EngineChoice::Microlp,
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Count the activation regions of MODEL on a domain.
    Count(count::CountArgs),
    /// Write every region (pattern, witness, radius, constraints, affine map) to a file.
    Enumerate(enumerate::EnumerateArgs),
    /// Enumerate with every decision proved in exact arithmetic, and write the proofs to CERT.
    Certify(certify::CertifyArgs),
    /// Check a certificate independently: exit 0 verified, 1 rejected, 2 bad input.
    Verify(verify::VerifyArgs),
    /// Build the region graph (regions joined across shared facets) and its linear regions; write it as DOT and/or JSON (docs/graph.md).
    Graph(graph::GraphArgs),
    /// Describe MODEL: sizes, source format, what was folded, and upper bounds on the region count.
    Info(info::InfoArgs),
    /// Draw the regions of a 1-D or 2-D domain (a box with one or two free coordinates, a plane, a segment) as SVG or PNG (docs/pictures.md).
    Plot(plot::PlotArgs),
    /// Sample points (uniform in the domain, or from a file), count their distinct patterns, and compare with the exact regions (docs/sampling.md).
    Sample(sample::SampleArgs),
    /// Unite the outputs of a sharded run's parts (`--shard K/N`): count reports, JSON Lines region files or certificates (docs/cluster.md).
    Merge(merge::MergeArgs),
}

impl Command {
    /// Runs the subcommand.
    pub fn run(&self) -> anyhow::Result<()> {
        match self {
            Command::Count(args) => count::run(args),
            Command::Enumerate(args) => enumerate::run(args),
            Command::Certify(args) => certify::run(args),
            Command::Verify(args) => verify::run(args),
            Command::Graph(args) => graph::run(args),
            Command::Info(args) => info::run(args),
            Command::Plot(args) => plot::run(args),
            Command::Sample(args) => sample::run(args),
            Command::Merge(args) => merge::run(args),
        }
    }
}
