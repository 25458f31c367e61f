//! The JSON reports of a run (docs/region-json.md): what every output starts with
//! (model, domain, how decisions were made), what a walk did, and the
//! objects `count`, `certify`, `verify`, `sample` and `graph` print or write.
//!
//! Every object is written with
//! [`json_line`](crate::output::json_line::json_line), keys sorted, so the order of
//! fields here (flattened parts included) never shows in the output. The
//! report of `verify` is with the checking of a file
//! (`certificate_check.rs`), which must not reach the walk this file names.

use crate::domain::input_domain::Domain;
use crate::lp::LpEngine;
use crate::model::format::LoadedModel;
use crate::model::onnx::head::HeadCut;
use crate::sample::report::SampleReport;
use crate::tolerance::TAU_INTERIOR;
use crate::walk::control::{ShardRun, Stopped};
use crate::walk::space::WorkSpace;
use crate::walk::stats::WalkStats;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// The model, as every report describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelReport {
    /// What the loader folded into the layers or dropped.
    pub folded: Vec<String>,
    /// ONNX: the nodes of a classifier head cut off after the value kept
    /// (absent when nothing was cut).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub head_cut: Vec<HeadCut>,
    /// ONNX: the value of the graph the regions are counted for, when the
    /// graph has a head or several outputs (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_output: Option<String>,
    /// The format it was read as: `json`, `onnx` or `nnet`.
    pub format: &'static str,
    /// Hidden neurons in all.
    pub hidden_neurons: usize,
    /// The width of each hidden layer.
    pub hidden_widths: Vec<usize>,
    /// Inputs.
    pub input_dim: usize,
    /// Outputs.
    pub output_dim: usize,
    /// The model file, as given.
    pub path: String,
}

impl ModelReport {
    /// The description of `model`, read from `path`.
    pub fn new(path: &Path, model: &LoadedModel) -> Self {
        let net = &model.network;
        ModelReport {
            folded: model.folded.clone(),
            head_cut: model.head_cut.clone(),
            kept_output: model
                .head_note()
                .and(model.kept_output.as_ref())
                .map(|k| k.name.clone()),
            format: model.format.name(),
            hidden_neurons: net.hidden_neurons(),
            hidden_widths: net.hidden_widths(),
            input_dim: net.input_dim(),
            output_dim: net.output_dim(),
            path: path.display().to_string(),
        }
    }
}

/// How a run decided which neurons cut a cell (docs/numerics.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decisions {
    /// By float LPs with the interior tolerance `tau_interior`, near-ties
    /// included (`count --float`).
    Float,
    /// The default: floats decide where their margin is clear (beyond
    /// `NEAR_TIE_MARGIN` and the rows' rounding bound), every near-tie is
    /// decided in exact arithmetic (`"near-ties-exact"`).
    NearTiesExact,
    /// Every decision proved in exact arithmetic.
    Exact,
}

/// The fields every output starts with: the model, the domain, and how
/// decisions were made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunHeader {
    /// How decisions were made.
    pub decisions: Decisions,
    /// The domain ([`Domain::to_json`]).
    pub domain: Value,
    /// The number of free (working) coordinates.
    pub free_dim: usize,
    /// The LP engine's name.
    pub lp_engine: &'static str,
    /// The model.
    pub model: ModelReport,
    /// The interior tolerance of float decisions (docs/numerics.md).
    pub tau_interior: f64,
    /// In a part of a sharded run: the model file's SHA-256 (hex).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_sha256: Option<String>,
}

impl RunHeader {
    /// The header of a run of `model` (read from `model_path`) on `domain`,
    /// set up as `space`, with `engine`; decisions
    /// [`Decisions::NearTiesExact`], the walk's default.
    pub fn new(
        model_path: &Path,
        model: &LoadedModel,
        domain: &Domain,
        space: &WorkSpace,
        engine: &dyn LpEngine,
    ) -> Self {
        RunHeader {
            decisions: Decisions::NearTiesExact,
            domain: domain.to_json(),
            free_dim: space.dim(),
            lp_engine: engine.name(),
            model: ModelReport::new(model_path, model),
            tau_interior: TAU_INTERIOR,
            model_sha256: None,
        }
    }
}

/// What a walk did: the summary of every run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkSummary {
    /// LPs solved (as in `stats`).
    pub lp_solves: u64,
    /// Activation regions found.
    pub regions: u64,
    /// Wall time.
    pub seconds: f64,
    /// The walk's counters.
    pub stats: WalkStats,
    /// Worker threads.
    pub threads: usize,
    /// Whether the walk ran to its end; false when a limit or a signal
    /// stopped it, and then `regions` counts only the regions found.
    pub complete: bool,
    /// When it stopped early: why, and which part of the tree is unfinished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stopped>,
    /// When the walk took one part of the tree (`--shard`): which.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardRun>,
}

impl WalkSummary {
    /// The summary of a walk that found `regions` in `seconds`, run on the
    /// current thread pool.
    pub fn new(regions: u64, stats: WalkStats, seconds: f64) -> Self {
        WalkSummary {
            lp_solves: stats.lp_solves,
            regions,
            seconds,
            stats,
            threads: rayon::current_num_threads(),
            complete: stats.stopped.is_none(),
            stopped: stats.stopped,
            shard: stats.shard,
        }
    }
}

/// The report of a finished run (`count --json`): header, summary, and the
/// model's size at the top level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// Model, domain, decisions.
    #[serde(flatten)]
    pub header: RunHeader,
    /// Hidden neurons of the model.
    pub hidden_neurons: usize,
    /// Inputs of the model.
    pub input_dim: usize,
    /// With `count --linear`: the linear regions.
    #[serde(flatten)]
    pub linear: Option<LinearCount>,
    /// What the walk did.
    #[serde(flatten)]
    pub summary: WalkSummary,
}

impl RunReport {
    /// The report of a run with `header` and `summary`, of `model`.
    pub fn new(header: RunHeader, model: &LoadedModel, summary: WalkSummary) -> Self {
        RunReport {
            header,
            hidden_neurons: model.network.hidden_neurons(),
            input_dim: model.network.input_dim(),
            linear: None,
            summary,
        }
    }
}

/// The linear regions of a run (docs/graph.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinearCount {
    /// Linear regions: adjacent regions with one affine map merged.
    pub linear_regions: usize,
    /// Facets shared by two regions: the region graph's edges.
    pub shared_facets: usize,
}

/// `certify --json`: the run, and the certificate written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertifyReport {
    /// The certificate file.
    pub certificate: String,
    /// Its size.
    pub certificate_bytes: u64,
    /// The run.
    #[serde(flatten)]
    pub run: RunReport,
}

/// `count --certify --json`: the run (with decisions `exact`), and the
/// independent checker's verdict on its certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertifiedCountReport {
    /// The size of the (temporary) certificate.
    pub certificate_bytes: u64,
    /// Whether the checker verified it.
    pub certified: bool,
    /// Float decisions whose proof failed and were re-decided exactly.
    pub exact_fallbacks: u64,
    /// The run.
    #[serde(flatten)]
    pub run: RunReport,
}

/// `sample --json`: the run's header and the sampling report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleRunReport<'a> {
    /// Model, domain, decisions.
    #[serde(flatten)]
    pub header: RunHeader,
    /// The sampling report.
    #[serde(flatten)]
    pub report: &'a SampleReport,
}

/// The header of a region-graph JSON file (docs/graph.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphFileHeader {
    /// Model, domain, decisions.
    #[serde(flatten)]
    pub header: RunHeader,
    /// What the walk and the graph build found.
    pub summary: GraphSummary,
}

/// The summary of a region graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphSummary {
    /// Edges whose two maps the float test could not tell apart, so were
    /// compared exactly.
    pub exact_map_checks: usize,
    /// Linear regions and shared facets.
    #[serde(flatten)]
    pub linear: LinearCount,
    /// What the walk did.
    #[serde(flatten)]
    pub walk: WalkSummary,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::json_line::json_line;

    #[test]
    fn reports_list_their_keys_sorted_at_every_depth() {
        let stats = WalkStats {
            lp_solves: 7,
            side_tests: 9,
            pruned_by_box: 2,
            ..WalkStats::default()
        };
        let report = RunReport {
            header: RunHeader {
                decisions: Decisions::Exact,
                domain: Domain::Whole(2).to_json(),
                free_dim: 2,
                lp_engine: "engine",
                model: ModelReport {
                    folded: Vec::new(),
                    head_cut: Vec::new(),
                    kept_output: None,
                    format: "json",
                    hidden_neurons: 4,
                    hidden_widths: vec![4],
                    input_dim: 2,
                    output_dim: 1,
                    path: "m.json".into(),
                },
                tau_interior: 0.5,
                model_sha256: None,
            },
            hidden_neurons: 4,
            input_dim: 2,
            linear: Some(LinearCount {
                linear_regions: 5,
                shared_facets: 8,
            }),
            summary: WalkSummary {
                lp_solves: 7,
                regions: 6,
                seconds: 0.25,
                stats,
                threads: 1,
                complete: true,
                stopped: None,
                shard: None,
            },
        };
        // The order `count --json` has always printed (docs/region-json.md).
        let expected = concat!(
            r#"{"complete":true,"decisions":"exact","domain":{"dim":2,"kind":"whole"},"free_dim":2,"#,
            r#""hidden_neurons":4,"input_dim":2,"linear_regions":5,"lp_engine":"engine","#,
            r#""lp_solves":7,"model":{"folded":[],"format":"json","hidden_neurons":4,"#,
            r#""hidden_widths":[4],"input_dim":2,"output_dim":1,"path":"m.json"},"#,
            r#""regions":6,"seconds":0.25,"shared_facets":8,"stats":{"both_sides_solved":0,"cut_by_mirror":0,"#,
            r#""exact_fallbacks":0,"lp_solves":7,"near_ties":0,"pruned_by_box":2,"pruned_by_row":0,"#,
            r#""side_tests":9,"#,
            r#""thin_splits":0},"tau_interior":0.5,"threads":1}"#
        );
        assert_eq!(json_line(&report).unwrap(), expected);
    }
}
