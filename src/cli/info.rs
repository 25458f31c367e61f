//! `info`: a model's sizes, what its loader folded, and upper bounds on its
//! number of regions.

use super::args::{DomainArgs, ModelFormatArg};
use super::job::ENGINE;
use super::resolve::{load_model_file, resolve_domain};
use super::text::{domain_text, widths_text};
use anyhow::Result;
use clap::Args;
use regionwalk::{json_line, InfoReport};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct InfoArgs {
    /// The model file (JSON, ONNX or NNet).
    model: PathBuf,
    /// Read the model in this format instead of the one its extension says.
    #[arg(long, value_enum)]
    model_format: Option<ModelFormatArg>,
    /// ONNX: describe the network up to this value of the graph.
    #[arg(long, value_name = "NAME")]
    model_output: Option<String>,
    #[command(flatten)]
    domain: DomainArgs,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &InfoArgs) -> Result<()> {
    let model = load_model_file(&args.model, args.model_format, &args.model_output)?;
    let domain = resolve_domain(&args.domain, &model, &args.model)?;
    let report = InfoReport::new(&args.model, &model, domain.as_ref(), &ENGINE)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", json_line(&report)?)?;
        return Ok(());
    }
    let net = &model.network;
    writeln!(
        out,
        "{} ({} model)",
        args.model.display(),
        report.model.format
    )?;
    writeln!(out, "  inputs:         {}", net.input_dim())?;
    writeln!(out, "  hidden layers:  {}", widths_text(net))?;
    writeln!(out, "  hidden neurons: {}", net.hidden_neurons())?;
    let kinked: usize = net.kinked_widths().iter().sum();
    if kinked < net.hidden_neurons() {
        writeln!(
            out,
            "  linear neurons: {} (slope 1: values carried past a layer, no kink)",
            net.hidden_neurons() - kinked
        )?;
    }
    let leaky = net
        .slopes()
        .iter()
        .flatten()
        .filter(|&&a| a != 0.0 && a != regionwalk::LINEAR_SLOPE)
        .count();
    if leaky > 0 {
        writeln!(
            out,
            "  leaky neurons:  {leaky} (a slope for negative inputs)"
        )?;
    }
    writeln!(out, "  outputs:        {}", net.output_dim())?;
    for line in &model.folded {
        writeln!(out, "  folded:         {line}")?;
    }
    if let Some(kept) = &report.model.kept_output {
        writeln!(out, "  counted for:    `{kept}`")?;
    }
    for node in &model.head_cut {
        writeln!(out, "  head cut:       {node}")?;
    }
    if let Some(d) = &domain {
        writeln!(
            out,
            "  domain:         {} ({} free coordinates)",
            domain_text(d),
            report.free_dim
        )?;
    }
    let bounds = &report.bounds;
    writeln!(
        out,
        "upper bounds on the number of regions over R^{} (context, not a count):",
        bounds.input_dim
    )?;
    writeln!(
        out,
        "  activation codes 2^N:                 {}",
        bounds.codes
    )?;
    writeln!(
        out,
        "  first hidden layer alone (Zaslavsky): {}",
        bounds.first_layer_zaslavsky
    )?;
    match &bounds.serra_2018 {
        Some(serra) => writeln!(out, "  Serra et al. 2018, Theorem 1:        {serra}")?,
        None => writeln!(
            out,
            "  Serra et al. 2018, Theorem 1:        does not apply (for ReLU networks only: leaky and linear neurons keep the dimension it counts on)"
        )?,
    }
    Ok(())
}
