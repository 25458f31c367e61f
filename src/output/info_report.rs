//! What `info` reports about a model: its sizes, its domain if one is given,
//! and upper bounds on its number of regions (context, not a count).

use crate::domain::input_domain::Domain;
use crate::lp::LpEngine;
use crate::model::bounds::{region_bounds, RegionBounds};
use crate::model::format::LoadedModel;
use crate::output::run_report::ModelReport;
use crate::walk::space::{SpaceError, WorkSpace};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// The report of `info`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfoReport {
    /// Upper bounds on the number of regions.
    pub bounds: BoundsReport,
    /// The domain ([`Domain::to_json`]), or `null` when none is given.
    pub domain: Option<Value>,
    /// The inputs the bounds are over: the free coordinates of the domain,
    /// or all the model's inputs.
    pub free_dim: usize,
    /// The model.
    pub model: ModelReport,
}

/// Upper bounds on the number of regions over `R^input_dim`, as exact
/// decimal integers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundsReport {
    /// `2^N` for `N` hidden neurons with a kink (slope ≠ 1).
    pub codes: String,
    /// The first hidden layer alone, in general position (Zaslavsky).
    pub first_layer_zaslavsky: String,
    /// The dimension of the space the bounds are over.
    pub input_dim: usize,
    /// Serra, Tjandraatmadja and Ramalingam (2018), Theorem 1; `null` for a
    /// network with leaky neurons, where it does not apply.
    pub serra_2018: Option<String>,
}

impl BoundsReport {
    fn new(bounds: &RegionBounds, input_dim: usize) -> Self {
        BoundsReport {
            codes: bounds.codes.to_string(),
            first_layer_zaslavsky: bounds.first_layer.to_string(),
            input_dim,
            serra_2018: bounds.serra.as_ref().map(ToString::to_string),
        }
    }
}

impl InfoReport {
    /// The report on `model` (read from `path`). With a `domain`, the bounds
    /// are for the network on its free coordinates (set up with `engine`).
    pub fn new(
        path: &Path,
        model: &LoadedModel,
        domain: Option<&Domain>,
        engine: &dyn LpEngine,
    ) -> Result<Self, SpaceError> {
        let space = domain
            .map(|d| WorkSpace::new(&model.network, d, engine))
            .transpose()?;
        let net = space.as_ref().map_or(&model.network, |s| &s.network);
        Ok(InfoReport {
            bounds: BoundsReport::new(&region_bounds(net), net.input_dim()),
            domain: domain.map(Domain::to_json),
            free_dim: net.input_dim(),
            model: ModelReport::new(path, model),
        })
    }
}
