//! The walk's view of a network on a domain: the network as a function of
//! the working coordinates `t` of the domain's slice (`exact/slice.rs`: fixed
//! box coordinates are folded in, and a bounded domain is scaled to the cube
//! `[-1, 1]^k` so that the tolerances of `tolerance.rs` are relative to the
//! domain's size), the domain's rows in those coordinates, and a first
//! witness ball. The walk only ever sees `t`.

use crate::domain::half_space::HalfSpace;
use crate::domain::input_domain::Domain;
use crate::error::{DomainError, LpError};
use crate::exact::slice::{unit_row, Slice};
use crate::lp::chebyshev::{chebyshev_ball, Ball};
use crate::lp::LpEngine;
use crate::model::affine::norm;
use crate::model::network::Network;
use crate::tolerance::{RADIUS_CAP, TAU_INTERIOR};
use crate::walk::box_hints::bounding_box_from;

/// A domain row in working coordinates, normalised to a unit normal, with the
/// index of the input-space row (of [`Domain::rows`]) it comes from.
#[derive(Debug, Clone)]
pub struct DomainRow {
    /// `a·t ≤ b` with `‖a‖ = 1`.
    pub half: HalfSpace,
    /// Index into [`Domain::rows`].
    pub index: usize,
}

/// The walk's view of a network on a domain.
#[derive(Debug, Clone)]
pub struct WorkSpace {
    /// The domain's slice and its working coordinates: `x = E t + o`.
    pub slice: Slice,
    /// The network as a function of `t`.
    pub network: Network,
    /// The domain's rows in working coordinates (zero rows dropped).
    pub rows: Vec<DomainRow>,
    /// A box containing the domain in working coordinates, where bounded.
    pub bbox: Option<Vec<(f64, f64)>>,
    /// A ball inside the domain: the walk's first witness.
    pub start: Ball,
    /// The domain, as given.
    pub domain: Domain,
    /// The network as a function of the input `x`.
    pub network_input: Network,
}

impl WorkSpace {
    /// Sets up working coordinates for `network` on `domain`. Errors when the
    /// domain has no interior or the wrong dimension.
    pub fn new(
        network: &Network,
        domain: &Domain,
        engine: &dyn LpEngine,
    ) -> Result<Self, SpaceError> {
        let d = network.input_dim();
        domain.check_dim(d)?;
        let input_rows = domain.rows();
        let slice = Slice::new(domain);
        let slice = match domain {
            Domain::Box(v) => slice.scaled_to(v),
            Domain::Affine(plane) => slice.scaled_to(plane.window()),
            Domain::Whole(_) => slice,
            Domain::Polytope { .. } => match bounding_box(engine, d, &input_rows)? {
                BoxOutcome::Empty => {
                    return Err(DomainError::NoInterior {
                        what: "polytope".into(),
                        radius: 0.0,
                    }
                    .into())
                }
                BoxOutcome::Unbounded => slice,
                BoxOutcome::Bounded(b) => slice.scaled_to(&b),
            },
        };
        let k = slice.dim();
        let mut rows = Vec::new();
        for (index, h) in input_rows.iter().enumerate() {
            let row = slice.working_row(h);
            let b = row.b;
            match unit_row(row) {
                Some(half) => rows.push(DomainRow { half, index }),
                // Always true (or the bound of a fixed coordinate): no constraint.
                None if b > 0.0 || domain.window().is_some() => {}
                None => {
                    return Err(DomainError::NoInterior {
                        what: format!("domain row {index} reads 0 ≤ {b}"),
                        radius: 0.0,
                    }
                    .into())
                }
            }
        }
        let bbox = match domain {
            Domain::Whole(_) => None,
            Domain::Box(_) | Domain::Affine(_) => Some(vec![(-1.0, 1.0); k]),
            Domain::Polytope { .. } => {
                if rows.is_empty() {
                    None
                } else {
                    match bounding_box(engine, k, rows.iter().map(|r| &r.half))? {
                        BoxOutcome::Bounded(b) => Some(b),
                        _ => None,
                    }
                }
            }
        };
        if k == 0 {
            return Err(DomainError::NoInterior {
                what: "box with every coordinate fixed (a single point; a forward pass gives its pattern)".into(),
                radius: 0.0,
            }
            .into());
        }
        let start = {
            let ball = chebyshev_ball(engine, k, rows.iter().map(|r| &r.half), norm, RADIUS_CAP)?;
            match ball {
                Some(b) if b.radius > TAU_INTERIOR => b,
                other => {
                    return Err(DomainError::NoInterior {
                        what: match domain {
                            Domain::Polytope { .. } => "polytope".into(),
                            _ => "domain".into(),
                        },
                        radius: other.map(|b| b.radius).unwrap_or(0.0),
                    }
                    .into())
                }
            }
        };
        Ok(WorkSpace {
            network: network.precompose(&slice.embedding()),
            slice,
            rows,
            bbox,
            start,
            domain: domain.clone(),
            network_input: network.clone(),
        })
    }

    /// The number `k` of working coordinates.
    pub fn dim(&self) -> usize {
        self.slice.dim()
    }

    /// The input point of working point `t`.
    pub fn to_input(&self, t: &[f64]) -> Vec<f64> {
        self.slice.to_input(t)
    }

    /// The domain point of working point `t` (the input point, except on a
    /// plane or segment: its own coordinates).
    pub fn to_domain(&self, t: &[f64]) -> Vec<f64> {
        self.slice.to_domain(t)
    }

    /// The length, in input units, of the normal of a working-coordinate row:
    /// measuring Chebyshev radii with it gives them in input units.
    pub fn input_norm(&self, a: &[f64]) -> f64 {
        a.iter()
            .zip(self.slice.scale())
            .map(|(v, s)| (v / s) * (v / s))
            .sum::<f64>()
            .sqrt()
    }

    /// The radius cap in input units.
    pub fn input_radius_cap(&self) -> f64 {
        RADIUS_CAP * self.slice.scale().iter().copied().fold(1.0, f64::max)
    }
}

/// Errors of setting up working coordinates.
#[derive(Debug, thiserror::Error)]
pub enum SpaceError {
    /// The domain is unusable.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The LP engine failed.
    #[error(transparent)]
    Lp(#[from] LpError),
}

pub(crate) enum BoxOutcome {
    Empty,
    Unbounded,
    Bounded(Vec<(f64, f64)>),
}

/// The bounding box of `{x : rows}` by `2·dim` LPs.
pub(crate) fn bounding_box<'a>(
    engine: &dyn LpEngine,
    dim: usize,
    rows: impl IntoIterator<Item = &'a HalfSpace> + Clone,
) -> Result<BoxOutcome, LpError> {
    Ok(bounding_box_from(engine, dim, rows, None)?.0)
}
