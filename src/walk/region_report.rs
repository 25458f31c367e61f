//! A region as users read it: in input coordinates, with its constraints
//! labelled by neuron or domain row and the network's affine map on it. The
//! fields are documented in `docs/region-json.md`.

use crate::domain::half_space::HalfSpace;
use crate::domain::input_domain::Domain;
use crate::error::WalkError;
use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::fraction_string;
use crate::lp::LpEngine;
use crate::model::affine::Affine;
use crate::model::network::Network;
use crate::walk::control::RunControl;
use crate::walk::region::{Region, RowSource};
use crate::walk::space::WorkSpace;
use crate::walk::stats::WalkStats;
use crate::walk::walker::{WalkOptions, Walker};
use serde::{Deserialize, Serialize};

/// One inequality `a·x ≤ b` of a region, in input coordinates.
#[derive(Debug, Clone, Serialize)]
pub struct ConstraintReport {
    /// `{"domain": i}` (row `i` of the domain) or
    /// `{"neuron": {"layer", "index", "on"}}`.
    pub source: RowSource,
    /// The normal.
    pub a: Vec<f64>,
    /// The offset.
    pub b: f64,
    /// Whether the row is a facet of the region (a `(d−1)`-dimensional
    /// face) or redundant; `None`, and absent from the JSON, when facets were
    /// not computed ([`crate::WalkOptions::facets`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facet: Option<bool>,
}

/// The network's output on a region: `A x + c`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AffineMapReport {
    /// `output × input`, row-major rows.
    #[serde(rename = "A")]
    pub a: Vec<Vec<f64>>,
    /// The constant.
    pub c: Vec<f64>,
}

impl AffineMapReport {
    /// The network's map `out` on a region (a map of the input), as region
    /// reports give it: on a plane or segment, as a map of its coordinates.
    pub(crate) fn on_domain(out: &Affine, space: &WorkSpace) -> Self {
        if !space.slice.is_plane() {
            return Self::of_input(out);
        }
        let rows: Vec<(Vec<f64>, f64)> = (0..out.rows())
            .map(|i| space.slice.row_on_domain(out.row(i), out.bias()[i]))
            .collect();
        AffineMapReport {
            a: rows.iter().map(|r| r.0.clone()).collect(),
            c: rows.iter().map(|r| r.1).collect(),
        }
    }

    /// The map `out` of the input.
    fn of_input(out: &Affine) -> Self {
        AffineMapReport {
            a: (0..out.rows()).map(|i| out.row(i).to_vec()).collect(),
            c: out.bias().to_vec(),
        }
    }
}

/// A region for output.
#[derive(Debug, Clone, Serialize)]
pub struct RegionReport {
    /// Its id: its position in tree order, from 0.
    pub id: u64,
    /// The activation pattern, `0110|101`.
    pub pattern: String,
    /// A point strictly inside (the Chebyshev centre when it was computed).
    pub witness: Vec<f64>,
    /// The Chebyshev radius in input units (a lower bound when
    /// `radius_is_chebyshev` is false).
    pub radius: f64,
    /// False when `radius` is only the walk's lower bound (the Chebyshev LP
    /// was not run or failed).
    pub radius_is_chebyshev: bool,
    /// The inequalities: the domain's, then the neurons' that cut an ancestor.
    pub constraints: Vec<ConstraintReport>,
    /// The network on the region.
    pub affine_map: AffineMapReport,
    /// On a plane or segment, whose coordinates the fields above use: the
    /// witness and the map in input coordinates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<InputReport>,
    /// With `enumerate --exact`: the witness and map as exact rationals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<ExactRegionReport>,
}

/// A region of a plane or segment in input coordinates.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    /// The witness as an input point.
    pub witness: Vec<f64>,
    /// The network on the region, as a map of the input: `A x + c`.
    pub affine_map: AffineMapReport,
}

/// A region's witness and affine map as exact rationals (`"p/q"` strings),
/// for `enumerate --exact`: the witness checked strictly inside in exact
/// arithmetic, the map computed exactly from the dyadic weights.
#[derive(Debug, Clone, Serialize)]
pub struct ExactRegionReport {
    /// The witness on all input coordinates.
    pub witness: Vec<String>,
    /// The affine map `A x + c`.
    pub affine_map: ExactMapReport,
}

/// An exact affine map.
#[derive(Debug, Clone, Serialize)]
pub struct ExactMapReport {
    /// `output × input`.
    #[serde(rename = "A")]
    pub a: Vec<Vec<String>>,
    /// The constant.
    pub c: Vec<String>,
}

impl ExactRegionReport {
    /// The exact witness and map of a region found by a certifying walk
    /// (`None` if the region carries no exact witness).
    pub fn new(network: &Network, space: &WorkSpace, region: &Region) -> Option<Self> {
        let y = region.exact_witness.as_ref()?;
        let witness = space
            .slice
            .exact_input(y)
            .iter()
            .map(fraction_string)
            .collect();
        let m = ExactAffine::of_pattern(network, &region.pattern);
        Some(ExactRegionReport {
            witness,
            affine_map: ExactMapReport {
                a: (0..m.rows())
                    .map(|i| m.row(i).iter().map(|v| v.to_fraction_string()).collect())
                    .collect(),
                c: (0..m.rows())
                    .map(|i| m.bias(i).to_fraction_string())
                    .collect(),
            },
        })
    }
}

impl RegionReport {
    /// Describes `region` (found by walking `space`) in the input space of
    /// `network`; `domain_rows` are [`crate::Domain::rows`].
    pub fn new(
        id: u64,
        network: &Network,
        space: &WorkSpace,
        domain_rows: &[HalfSpace],
        region: &Region,
    ) -> Self {
        let (pre, out) = network.maps_for_pattern(&region.pattern);
        let is_facet = region.facets.as_ref().map(|facets| {
            let mut marks = vec![false; region.sources.len()];
            for f in facets {
                marks[f.row] = true;
            }
            marks
        });
        let constraints = region
            .sources
            .iter()
            .enumerate()
            .map(|(row, &source)| {
                let (a, b) = match source {
                    RowSource::Domain(i) => (domain_rows[i].a.clone(), domain_rows[i].b),
                    RowSource::Neuron { layer, index, on } => {
                        let z = &pre[layer];
                        let (w, c) = space.slice.row_on_domain(z.row(index), z.bias()[index]);
                        if on {
                            (w.iter().map(|v| -v).collect(), c)
                        } else {
                            (w, -c)
                        }
                    }
                };
                ConstraintReport {
                    source,
                    a,
                    b,
                    facet: is_facet.as_ref().map(|m| m[row]),
                }
            })
            .collect();
        let (center, radius, radius_is_chebyshev) = match &region.chebyshev {
            Some(b) => (&b.center, b.radius, true),
            None => (
                &region.ball.center,
                region.ball.radius
                    * space
                        .slice
                        .scale()
                        .iter()
                        .copied()
                        .fold(f64::INFINITY, f64::min),
                false,
            ),
        };
        let affine_map = AffineMapReport::on_domain(&out, space);
        let input = space.slice.is_plane().then(|| InputReport {
            witness: space.to_input(center),
            affine_map: AffineMapReport::of_input(&out),
        });
        RegionReport {
            id,
            pattern: region.pattern.to_string(),
            witness: space.to_domain(center),
            radius,
            radius_is_chebyshev,
            constraints,
            affine_map,
            input,
            exact: ExactRegionReport::new(network, space, region),
        }
    }
}

/// Walks every region of `network` on `domain` (set up as `space`) with its
/// Chebyshev ball, as `enumerate` does, and hands each one's report, ids in
/// tree order, to `sink`; under `control`, if given (the stats then say
/// whether it stopped early).
pub fn walk_reports(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    control: Option<&'static RunControl>,
    mut sink: impl FnMut(RegionReport),
) -> Result<WalkStats, WalkError> {
    let walker = Walker::new(
        space,
        engine,
        WalkOptions {
            chebyshev: true,
            control,
            ..WalkOptions::default()
        },
    );
    let rows = domain.rows();
    let mut id = 0u64;
    walker.run(|region| {
        sink(RegionReport::new(id, network, space, &rows, &region));
        id += 1;
        Ok(())
    })
}
