//! Data points over a picture (docs/pictures.md): each input point projected
//! to the domain's free coordinates, and the regions that hold one.
//!
//! The projection is orthogonal, in input space: on a box with fixed
//! coordinates the fixed ones are dropped; on a plane or segment
//! `x = P0 + U s` the point goes to the `s` that minimises `|x − P0 − U s|`,
//! the least-squares solution of `UᵀU s = Uᵀ(x − P0)`. A projected point
//! belongs to the region of its activation pattern at the projected input
//! point (a forward pass), looked up among the picture's regions.

use crate::domain::input_domain::Domain;
use crate::exact::slice::Slice;
use crate::model::network::Network;
use crate::plot::picture::Picture;
use std::collections::{HashMap, HashSet};

/// What the overlay found.
#[derive(Debug, Clone, PartialEq)]
pub struct PointsOverlay {
    /// The projected points inside the window, in the free coordinates.
    pub inside: Vec<Vec<f64>>,
    /// How many points project outside the window (not drawn).
    pub outside: usize,
    /// The ids of the regions holding at least one point (`K`).
    pub regions: Vec<u64>,
}

/// The free coordinates of the orthogonal projection of input point `x`.
pub fn project(domain: &Domain, x: &[f64]) -> Vec<f64> {
    match domain {
        Domain::Affine(s) => {
            let p = s.points();
            let d: Vec<Vec<f64>> = p[1..]
                .iter()
                .map(|q| q.iter().zip(&p[0]).map(|(a, b)| a - b).collect())
                .collect();
            let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
            let r: Vec<f64> = x.iter().zip(&p[0]).map(|(a, b)| a - b).collect();
            let rhs: Vec<f64> = d.iter().map(|u| dot(u, &r)).collect();
            if d.len() == 1 {
                vec![rhs[0] / dot(&d[0], &d[0])]
            } else {
                // Cramer's rule on the 2 × 2 Gram matrix (nonsingular: the
                // points are affinely independent).
                let (a, b, c) = (dot(&d[0], &d[0]), dot(&d[0], &d[1]), dot(&d[1], &d[1]));
                let det = a * c - b * b;
                vec![
                    (c * rhs[0] - b * rhs[1]) / det,
                    (a * rhs[1] - b * rhs[0]) / det,
                ]
            }
        }
        _ => Slice::new(domain).free_part(x),
    }
}

impl Picture {
    /// Projects `points` (input points) onto the picture and finds the
    /// regions that hold them.
    pub fn overlay(
        &self,
        network: &Network,
        domain: &Domain,
        points: &[Vec<f64>],
    ) -> PointsOverlay {
        let slice = Slice::new(domain);
        let by_pattern: HashMap<&str, u64> = (self.regions.iter())
            .map(|r| (r.pattern.as_str(), r.id))
            .collect();
        let mut inside = Vec::new();
        let mut outside = 0;
        let mut held = HashSet::new();
        for x in points {
            let s = project(domain, x);
            let within = s
                .iter()
                .zip(&self.window)
                .all(|(v, (lo, hi))| lo <= v && v <= hi);
            if !within {
                outside += 1;
                continue;
            }
            // The input point of `s`: the fixed coordinates put back, then
            // the plane's map.
            let mut z = x.clone();
            if !slice.is_plane() {
                for &(i, v) in slice.fixed() {
                    z[i] = v;
                }
            } else {
                z = slice.domain_to_input(&s);
            }
            let pattern = network.pattern_at(&z).to_string();
            if let Some(&id) = by_pattern.get(pattern.as_str()) {
                held.insert(id);
            }
            inside.push(s);
        }
        let mut regions: Vec<u64> = held.into_iter().collect();
        regions.sort_unstable();
        PointsOverlay {
            inside,
            outside,
            regions,
        }
    }
}
