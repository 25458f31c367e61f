//! regionwalk: exact enumeration of the activation regions of ReLU networks.
//!
//! A ReLU network cuts its input space into convex cells on which every
//! neuron's on/off state is fixed; on each cell the network is one affine map.
//! This crate walks the hidden layers in order and, for every cell, decides
//! with LP feasibility tests which neurons of the next layer cut it (DESIGN
//! §2 of the project's notes; `docs/numerics.md` for the tolerances).
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

mod affine;
mod affine_chain;
mod atomic_file;
mod bounds;
mod broadcast;
mod certificate_file;
mod certify;
mod chebyshev;
mod discovery;
mod domain;
mod dyadic;
mod error;
mod exact_alternative;
mod exact_map;
mod exact_network;
mod exact_point;
mod facets;
mod graph_dot;
mod graph_error;
mod graph_json;
mod linear_regions;
pub mod lp;
mod mc_volume;
mod model_format;
mod model_json;
mod motzkin;
mod neighbour;
mod network;
mod nnet;
mod onnx;
mod onnx_ops;
mod onnx_proto;
mod onnx_tensor;
mod pattern;
mod point_pattern;
mod points_file;
mod pre_activation;
mod region_file;
mod region_graph;
mod region_reader;
mod region_report;
mod sample_error;
mod sample_report;
mod sample_run;
mod side_test;
mod space;
mod stats;
pub mod tolerance;
mod uniform_sampler;
mod verify;
mod vnnlib;
mod volume;
mod walk;

pub use affine::{dot, norm, Affine};
pub use atomic_file::AtomicFile;
pub use bounds::{
    binomial, codes_bound, region_bounds, serra_bound, zaslavsky_bound, RegionBounds,
};
pub use certificate_file::CertificateWriter;
pub use chebyshev::{chebyshev_ball, Ball, HalfSpace};
pub use discovery::{
    checkpoints, expected_distinct, samples_for_expected, BoundaryPoint, Discovery, PatternCount,
};
pub use domain::{BoxSpec, Domain};
pub use error::{DomainError, LpError, ModelError, UnknownModelFormat, VnnlibError, WalkError};
pub use exact_map::exact_affine_map;
pub use exact_network::SliceNetwork;
pub use facets::{region_facets, Facet, FacetHints};
pub use graph_dot::{DotColor, GraphDot};
pub use graph_error::GraphError;
pub use graph_json::write_graph_json;
pub use linear_regions::{linear_regions, LinearRegions};
pub use lp::{GoodLpMicrolp, LpEngine};
pub use mc_volume::{
    wilson, MC_MAX_POINTS, MC_PILOT_POINTS, MC_TARGET_HITS, ROUNDING_STEPS_PER_DIM2, WILSON_Z,
};
pub use model_format::{load_model, LoadedModel, ModelFormat};
pub use model_json::{load_json_model, parse_json_model};
pub use neighbour::neighbour_pattern;
pub use network::{Activation, LayerSpec, Network};
pub use nnet::{load_nnet_model, parse_nnet_model, NnetModel};
pub use onnx::{load_onnx_model, parse_onnx_model, OnnxModel};
pub use pattern::Pattern;
pub use point_pattern::{point_pattern, PointPattern};
pub use points_file::{read_points, PointsFile, PointsFormat};
pub use region_file::{RegionFormat, RegionWriter};
pub use region_graph::{RegionEdge, RegionGraph, RegionNode};
pub use region_reader::{read_region_file, RecordConstraint, RegionRecord};
pub use region_report::{
    AffineMapReport, ConstraintReport, ExactMapReport, ExactRegionReport, RegionReport,
};
pub use sample_error::{IncompleteEnumeration, PointOrigin, SampleError, SampleInputError};
pub use sample_report::{
    build_report, Comparison, CurvePoint, ExactRegions, Milestone, MissedRegion, PatternReport,
    PointsReport, RegionData, SampleReport, Timings, WalkRun,
};
pub use sample_run::{run_sample, ExactSource, PointSource, SampleOptions};
pub use space::{DomainRow, SpaceError, WorkSpace};
pub use stats::WalkStats;
pub use uniform_sampler::{SamplingMethod, UniformSampler};
pub use verify::{verify_certificate, Verdict};
pub use vnnlib::{load_vnnlib_box, parse_vnnlib_box};
pub use volume::{region_volumes, Volume, VolumeMethod, Volumes};
pub use walk::{Region, RowSource, WalkOptions, Walker};
