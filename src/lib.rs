//! regionwalk: exact enumeration of the activation regions of ReLU networks.
//!
//! A ReLU network cuts its input space into convex cells on which every
//! neuron's on/off state is fixed; on each cell the network is one affine map.
//! This crate walks the hidden layers in order and, for every cell, decides
//! with LP feasibility tests which neurons of the next layer cut it (`docs/design.md`
//! §2; `docs/numerics.md` for the tolerances).
//!
//! ```
//! use regionwalk::{parse_json_model, BoxSpec, GoodLpMicrolp, Walker, WalkOptions, WorkSpace};
//! // |x| = ReLU(x) + ReLU(-x) on (-1, 1): two regions.
//! let net = parse_json_model(
//!     r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
//!                    {"weight": [[1, 1]], "bias": [0]}]}"#,
//!     "abs.json".as_ref(),
//! ).unwrap();
//! let domain = BoxSpec::parse("-1:1").unwrap().resolve(net.input_dim()).unwrap();
//! let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
//! let mut patterns = Vec::new();
//! Walker::new(&space, &GoodLpMicrolp, WalkOptions::default())
//!     .run(|r| { patterns.push(r.pattern.to_string()); Ok(()) })
//!     .unwrap();
//! assert_eq!(patterns, ["01", "10"]);
//! ```
#![deny(missing_docs)]

mod atomic_file;
mod certify;
mod check;
mod counted_writer;
mod decimal_digits;
mod domain;
mod error;
mod exact;
mod graph;
pub mod lp;
mod model;
mod output;
mod plot;
mod sample;
mod striped_counter;
pub mod tolerance;
mod walk;

pub use atomic_file::AtomicFile;
pub use certify::certificate_check::{check_certificate, CheckFileError, VerifyReport};
pub use certify::certificate_file::CertificateWriter;
pub use certify::certificate_io::{open_certificate, CertificateSink};
pub use certify::pipeline::{
    certificate_summary, certify_and_check, certify_and_check_controlled, stream_certificate,
    write_certificate, write_certificate_controlled, Certified, CertifyError, CheckedCount,
};
pub use check::limits::{CheckLimits, Limit};
pub use check::rejection::{
    BoxFault, MultiplierFault, RegionFault, Rejection, RejectionKind, SplitFault, TestFault,
    WitnessFault,
};
pub use check::verify::{verify_certificate, Verdict};
pub use domain::affine_slice::AffineSlice;
pub use domain::half_space::HalfSpace;
pub use domain::input_domain::{BoxSpec, Domain};
pub use domain::model_domain::{model_domain, ModelDomain};
pub use domain::vnnlib::{load_vnnlib_box, parse_vnnlib_box};
pub use error::{DomainError, LpError, ModelError, UnknownModelFormat, VnnlibError, WalkError};
pub use exact::affine::exact_affine_map;
pub use exact::slice::Slice;
pub use exact::slice_network::SliceNetwork;
pub use graph::error::GraphError;
pub use graph::graph_part::{BorderCrossing, GraphPart};
pub use graph::linear_regions::{linear_regions, LinearRegions};
pub use graph::neighbour::neighbour_pattern;
pub use graph::region_graph::{RegionEdge, RegionGraph, RegionNode};
pub use lp::chebyshev::{chebyshev_ball, Ball};
pub use lp::{DenseSimplex, EngineChoice, GoodLpMicrolp, LpEngine};
pub use model::affine::{dot, norm, Affine};
pub use model::bounds::{
    binomial, codes_bound, region_bounds, serra_bound, zaslavsky_bound, RegionBounds,
};
pub use model::format::{load_model, load_model_with, LoadOptions, LoadedModel, ModelFormat};
pub use model::json::{load_json_model, parse_json_model};
pub use model::network::{activate, Activation, LayerSpec, Network, LINEAR_SLOPE};
pub use model::nnet::{load_nnet_model, parse_nnet_model, NnetModel};
pub use model::onnx::head::{HeadCut, KeptOutput};
pub use model::onnx::loader::{
    load_onnx_model, load_onnx_model_with, parse_onnx_model, parse_onnx_model_with, OnnxModel,
};
pub use model::pattern::Pattern;
pub use output::certificate_merge::{is_certificate, merge_certificates};
pub use output::checkpoint::{
    Checkpoint, CheckpointError, PartialFile, RunIdentity, CHECKPOINT_FORMAT, CHECKPOINT_VERSION,
};
pub use output::graph_dot::{DotColor, GraphDot};
pub use output::graph_json::write_graph_json;
pub use output::graph_merge::{is_graph_part, merge_graph_parts, MergedGraph};
pub use output::graph_part_json::{write_graph_part_json, GRAPH_PART_TYPE};
pub use output::info_report::{BoundsReport, InfoReport};
pub use output::json_line::json_line;
pub use output::region_file::{RegionFormat, RegionWriter};
pub use output::region_stream::{stream_regions, write_region_file, RegionStreamError};
pub use output::run_report::{
    CertifiedCountReport, CertifyReport, Decisions, GraphFileHeader, GraphSummary, LinearCount,
    ModelReport, RunHeader, RunReport, SampleRunReport, WalkSummary,
};
pub use output::shard_merge::{
    is_region_file, merge_count_reports, merge_region_files, MergeError,
};
pub use plot::colour::{ClassRule, ColorBy};
pub use plot::geometry::area as polygon_area;
pub use plot::picture::{DrawnRegion, Picture};
pub use plot::points::{project as project_point, PointsOverlay};
pub use plot::raster::{render, render_png};
pub use plot::PlotError;
pub use sample::discovery::{
    checkpoints, expected_distinct, samples_for_expected, BoundaryPoint, Discovery, PatternCount,
};
pub use sample::error::{IncompleteEnumeration, PointOrigin, SampleError, SampleInputError};
pub use sample::mc_volume::{
    wilson, MC_MAX_POINTS, MC_PILOT_POINTS, MC_TARGET_HITS, ROUNDING_STEPS_PER_DIM2, WILSON_Z,
};
pub use sample::point_pattern::{point_pattern, PointPattern};
pub use sample::points_file::{read_points, PointsFile, PointsFormat};
pub use sample::region_reader::{read_region_file, RecordConstraint, RegionRecord};
pub use sample::report::{
    build_report, Comparison, CurvePoint, ExactRegions, Milestone, MissedRegion, PatternReport,
    PointsReport, RegionData, SampleReport, Timings, WalkRun,
};
pub use sample::run::{run_sample, run_sample_controlled, ExactSource, PointSource, SampleOptions};
pub use sample::uniform_sampler::{SamplingMethod, UniformSampler};
pub use sample::volume::{region_volumes, Volume, VolumeMethod, Volumes};
pub use walk::control::{RunControl, Shard, ShardRun, StopReason, Stopped, WalkPosition};
pub use walk::facets::{region_facets, Facet, FacetHints};
pub use walk::region::{Region, RowSource};
pub use walk::region_report::{
    AffineMapReport, ConstraintReport, ExactMapReport, ExactRegionReport, InputReport, RegionReport,
};
pub use walk::space::{DomainRow, SpaceError, WorkSpace};
pub use walk::stats::WalkStats;
pub use walk::subtree::resume_position;
pub use walk::subtree::Settled;
pub use walk::tree_size::TreeEstimate;
pub use walk::walker::{WalkOptions, Walker};
