//! The network's hidden layers in exact dyadic arithmetic, on the free
//! coordinates of its domain's slice (`exact/slice.rs`): the first layer's
//! fixed columns fold into its bias exactly, so pattern-dependent rows
//! `a·y + c` are exact (docs/design.md §4).
//!
//! Used by both the certifier and the independent checker; it depends only on
//! the network, the domain and exact arithmetic.

use crate::domain::input_domain::Domain;
use crate::exact::affine::{exact_slopes, ExactAffine};
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::interval::IntervalAffine;
use crate::exact::slice::Slice;
use crate::model::network::{Network, LINEAR_SLOPE};

/// The hidden layers of a network on the free coordinates of a domain.
#[derive(Debug, Clone)]
pub struct SliceNetwork {
    hidden: Vec<ExactAffine>,
    /// Per hidden layer, each neuron's negative-side slope, exactly.
    slopes: Vec<Vec<Dyadic>>,
    /// Per hidden layer, which neurons are linear (slope exactly 1).
    linear: Vec<Vec<bool>>,
    slice: Slice,
}

impl SliceNetwork {
    /// The exact network on `domain`'s free coordinates (a box's `lo == hi`
    /// coordinates are fixed; other domains fix none).
    pub fn new(network: &Network, domain: &Domain) -> Self {
        Self::on_slice(network, Slice::new(domain))
    }

    /// The exact network on the free coordinates of `slice`.
    pub fn on_slice(network: &Network, slice: Slice) -> Self {
        let mut hidden: Vec<ExactAffine> = network
            .hidden()
            .iter()
            .map(ExactAffine::from_affine)
            .collect();
        if let Some(first) = hidden.first_mut() {
            *first = slice.exact_restrict(first);
        }
        let slopes = network.slopes().iter().map(|l| exact_slopes(l)).collect();
        let linear = network
            .slopes()
            .iter()
            .map(|l| l.iter().map(|&a| a == LINEAR_SLOPE).collect())
            .collect();
        SliceNetwork {
            hidden,
            slopes,
            linear,
            slice,
        }
    }

    /// Hidden layer `layer`'s negative-side slopes, exactly.
    pub fn slopes(&self, layer: usize) -> &[Dyadic] {
        &self.slopes[layer]
    }

    /// Whether neuron `i` of hidden layer `layer` is linear (slope 1).
    pub fn is_linear(&self, layer: usize, i: usize) -> bool {
        self.linear[layer][i]
    }

    /// The output of hidden layer `layer` on a cell whose pre-activations
    /// there are `z`, for the layer's bits `on`.
    pub fn activated(&self, layer: usize, z: &ExactAffine, on: &[bool]) -> ExactAffine {
        let mut map = z.clone();
        map.activate_rows(on, &self.slopes[layer]);
        map
    }

    /// The pre-activations of the first `count` hidden layers on the cell
    /// whose pattern starts with `pattern` (at least `count − 1` layers), as
    /// exact maps of the free coordinates: what an exact check of a cell's
    /// rows rebuilds from its pattern alone.
    pub fn pre_activations(&self, pattern: &[Vec<bool>], count: usize) -> Vec<ExactAffine> {
        let mut map = ExactAffine::identity(self.dim());
        let mut out = Vec::with_capacity(count);
        for (l, weights) in self.hidden.iter().enumerate().take(count) {
            let z = weights.after(&map);
            if l + 1 < count {
                map = self.activated(l, &z, &pattern[l]);
            }
            out.push(z);
        }
        out
    }

    /// The hidden layers as interval maps (`exact/interval.rs`), with each
    /// layer's slopes as doubles (every slope is one): enclosures of the
    /// exact layers, exact wherever an entry is a double.
    pub fn intervals(&self) -> IntervalLayers {
        IntervalLayers {
            hidden: self.hidden.iter().map(IntervalAffine::of_exact).collect(),
            slopes: self
                .slopes
                .iter()
                .map(|l| l.iter().map(Dyadic::to_f64).collect())
                .collect(),
        }
    }

    /// The number of free coordinates.
    pub fn dim(&self) -> usize {
        self.slice.dim()
    }

    /// The free coordinates, in order.
    pub fn free(&self) -> &[usize] {
        self.slice.free()
    }

    /// The slice.
    pub fn slice(&self) -> &Slice {
        &self.slice
    }

    /// The hidden layers (the first one on free coordinates).
    pub fn hidden(&self) -> &[ExactAffine] {
        &self.hidden
    }

    /// The domain's box on the free coordinates, exactly, if it is a box.
    pub fn box_bounds(&self, domain: &Domain) -> Option<Vec<(Dyadic, Dyadic)>> {
        self.slice.exact_box(domain)
    }

    /// The domain's rows restricted to free coordinates, by index of
    /// [`Domain::rows`]. A row whose free part is zero reads `0 ≤ b`: with
    /// `b ≥ 0` it holds everywhere (the bounds of a fixed coordinate) and is
    /// `None`; with `b < 0` it holds nowhere, the domain is empty, and it is
    /// kept, so that no point satisfies the rows.
    pub fn domain_rows(&self, domain: &Domain) -> Vec<Option<ExactHalf>> {
        domain
            .rows()
            .iter()
            .map(|h| {
                let row = self.slice.exact_row(h);
                // A zero row is vacuous when 0 < b holds (dropped); with
                // b < 0 it makes the domain empty and is kept, so no witness
                // can satisfy it.
                let vacuous = row.a.iter().all(Dyadic::is_zero) && row.b.signum() >= 0;
                (!vacuous).then_some(row)
            })
            .collect()
    }
}

/// The hidden layers of a [`SliceNetwork`] in interval arithmetic: each
/// cell's pre-activations are enclosed at float speed, and the exact ones
/// are rebuilt ([`SliceNetwork::pre_activations`]) only where an enclosure
/// decides nothing.
#[derive(Debug, Clone)]
pub struct IntervalLayers {
    hidden: Vec<IntervalAffine>,
    /// Per hidden layer, each neuron's negative-side slope (exact doubles).
    slopes: Vec<Vec<f64>>,
}

impl IntervalLayers {
    /// Hidden layer `layer` (the first one on free coordinates).
    pub fn layer(&self, layer: usize) -> &IntervalAffine {
        &self.hidden[layer]
    }

    /// The output of hidden layer `layer` on a cell whose pre-activations
    /// there are `z`, for the layer's bits `on`.
    pub fn activated(&self, layer: usize, mut z: IntervalAffine, on: &[bool]) -> IntervalAffine {
        z.activate_rows(on, &self.slopes[layer]);
        z
    }
}
