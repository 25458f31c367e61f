//! `plot`: a picture of the regions of a 1-D or 2-D domain, as SVG or PNG.

use super::args::Target;
use super::job::{create_output, Job, ENGINE};
use super::resolve::BadInput;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use regionwalk::{read_points, render_png, ClassRule, ColorBy, Picture};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct PlotArgs {
    #[command(flatten)]
    target: Target,
    /// The picture: `.svg`, or `.png` (rendered from the SVG).
    #[arg(short = 'o', long = "output", value_name = "FILE.svg|FILE.png")]
    output: PathBuf,
    /// What the colours show.
    #[arg(long, value_enum, default_value = "pattern")]
    color: ColorArg,
    /// With --color class: the largest output, or the smallest (ACAS Xu).
    #[arg(long, value_enum, default_value = "argmax")]
    class_rule: RuleArg,
    /// With --color output: which output (from 0).
    #[arg(long, default_value_t = 0)]
    output_index: usize,
    /// With --color layer: the cells after this many hidden layers.
    #[arg(long, default_value_t = 1)]
    layer: usize,
    /// Draw the decision boundary (where the class, under --class-rule,
    /// changes) as a dark line (2-D).
    #[arg(long)]
    boundary: bool,
    /// Draw the zero sets of hidden layer L's neurons (from 0) as thin
    /// lines (2-D).
    #[arg(long, value_name = "L")]
    hyperplanes: Option<usize>,
    /// Draw these input points (CSV or .npy, one point a row), projected
    /// onto the slice, and count the regions that hold them (2-D).
    #[arg(long, value_name = "DATA")]
    points: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Pattern,
    Output,
    Class,
    Layer,
    Linear,
}

#[derive(Clone, Copy, ValueEnum)]
enum RuleArg {
    Argmax,
    Argmin,
}

pub fn run(args: &PlotArgs) -> Result<()> {
    let job = Job::load(&args.target)?;
    let outputs = job.model.network.output_dim();
    if matches!(args.color, ColorArg::Output) && args.output_index >= outputs {
        return Err(BadInput(format!(
            "--output-index {}: the model has {outputs} outputs",
            args.output_index
        ))
        .into());
    }
    let rule = match args.class_rule {
        RuleArg::Argmax => ClassRule::Argmax,
        RuleArg::Argmin => ClassRule::Argmin,
    };
    let hidden_layers = job.model.network.hidden_widths().len();
    if let Some(l) = args.hyperplanes.filter(|&l| l >= hidden_layers) {
        return Err(BadInput(format!(
            "--hyperplanes {l}: the model has {hidden_layers} hidden layers (numbered from 0)"
        ))
        .into());
    }
    let color = match args.color {
        ColorArg::Pattern => ColorBy::Pattern,
        ColorArg::Output => ColorBy::Output(args.output_index),
        ColorArg::Class => ColorBy::Class(rule),
        ColorArg::Layer => ColorBy::Layer(args.layer),
        ColorArg::Linear => ColorBy::Linear,
    };
    let png = match args.output.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("png") => true,
        Some(e) if e.eq_ignore_ascii_case("svg") => false,
        _ => {
            return Err(BadInput(format!(
                "{}: the picture's name must end in .svg or .png",
                args.output.display()
            ))
            .into())
        }
    };
    let bad = |e| match e {
        regionwalk::PlotError::Domain(m) => anyhow::Error::new(BadInput(m)),
        other => other.into(),
    };
    let mut picture =
        Picture::walk(&job.model.network, &job.domain, &job.space, &ENGINE, color).map_err(bad)?;
    picture
        .add_lines(args.boundary.then_some(rule), args.hyperplanes)
        .map_err(bad)?;
    if let Some(path) = &args.points {
        let file = read_points(path, job.model.network.input_dim())
            .map_err(|e| BadInput(e.to_string()))?;
        picture
            .add_points(&job.model.network, &job.domain, &file.points)
            .map_err(bad)?;
    }
    let svg = picture.svg();
    let bytes = if png {
        render_png(&svg)?
    } else {
        svg.into_bytes()
    };
    let mut file = create_output(&args.output)?;
    file.write_all(&bytes)
        .and_then(|()| file.commit())
        .with_context(|| format!("{}: writing the picture", args.output.display()))?;
    match &picture.points {
        Some(p) => println!(
            "{} regions, {} of them hold data ({} points drawn, {} outside); wrote {}",
            picture.regions.len(),
            p.regions.len(),
            p.inside.len(),
            p.outside,
            args.output.display()
        ),
        None => println!(
            "{} regions; wrote {}",
            picture.regions.len(),
            args.output.display()
        ),
    }
    Ok(())
}
