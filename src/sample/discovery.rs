//! The discovery curve of a sample (docs/design.md §5): the number `K(n)` of
//! distinct activation patterns among the first `n` points, as observed, and
//! as expected from the regions' volume fractions `p_r`:
//! `E[K(n)] = Σ_r (1 − (1 − p_r)^n)`, each region being found by `n`
//! independent uniform points with probability `1 − (1 − p_r)^n`.
//!
//! [`Discovery`] tallies points in order: each pattern's hit count, the
//! index of its first hit (which gives `K(n)` for every `n` at once), and
//! the points that lie exactly on a neuron's hyperplane (flagged; counted
//! under the zero convention, docs/design.md §1).

use crate::model::network::Network;
use crate::model::pattern::Pattern;
use crate::sample::error::PointOrigin;
use crate::sample::point_pattern::{packed_pattern, PackedBits};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// At most this many boundary points are kept as examples (the count of
/// all of them is kept too): enough to see what happened, small enough for
/// a report.
pub const MAX_BOUNDARY_EXAMPLES: usize = 20;

/// A point that lies exactly on at least one neuron's hyperplane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoundaryPoint {
    /// Where the point came from.
    pub origin: PointOrigin,
    /// The point.
    pub point: Vec<f64>,
    /// Its pattern under the zero convention (those neurons off).
    pub pattern: String,
    /// The neurons `[layer, index]` whose pre-activation is exactly 0.
    pub zero_neurons: Vec<(usize, usize)>,
}

/// What a sample saw of one pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternCount {
    /// The pattern.
    pub pattern: Pattern,
    /// Points with this pattern.
    pub hits: u64,
    /// The position (from 1) of its first point among the points tallied.
    pub first_hit: u64,
    /// How many of its points lie on a neuron's hyperplane.
    pub boundary_hits: u64,
    /// One of its points: the first that lies on no hyperplane, if any.
    pub example: Vec<f64>,
    /// Where the example came from.
    pub example_origin: PointOrigin,
}

#[derive(Debug, Clone)]
struct Tally {
    hits: u64,
    first_hit: u64,
    boundary_hits: u64,
    example: Vec<f64>,
    example_origin: PointOrigin,
}

/// Patterns seen by a sequence of points.
#[derive(Debug, Clone)]
pub struct Discovery {
    widths: Vec<usize>,
    tallies: HashMap<PackedBits, Tally>,
    points: u64,
    boundary_points: u64,
    boundary_examples: Vec<BoundaryPoint>,
}

impl Discovery {
    /// An empty tally for `network`.
    pub fn new(network: &Network) -> Self {
        Discovery {
            widths: network.hidden_widths(),
            tallies: HashMap::new(),
            points: 0,
            boundary_points: 0,
            boundary_examples: Vec::new(),
        }
    }

    /// Adds `points` in order (their patterns are computed in parallel, each
    /// exactly: see `point_pattern.rs`). `origins[i]` says where point `i`
    /// came from.
    pub fn add_points(&mut self, network: &Network, points: &[Vec<f64>], origins: &[PointOrigin]) {
        let patterns: Vec<_> = points
            .par_iter()
            .map(|x| packed_pattern(network, x))
            .collect();
        for ((x, &origin), p) in points.iter().zip(origins).zip(patterns) {
            self.points += 1;
            let on_boundary = !p.zeros.is_empty();
            if on_boundary {
                self.boundary_points += 1;
                if self.boundary_examples.len() < MAX_BOUNDARY_EXAMPLES {
                    self.boundary_examples.push(BoundaryPoint {
                        origin,
                        point: x.clone(),
                        pattern: p.bits.to_pattern(&self.widths).to_string(),
                        zero_neurons: p.zeros.clone(),
                    });
                }
            }
            let n = self.points;
            let t = self.tallies.entry(p.bits).or_insert_with(|| Tally {
                hits: 0,
                first_hit: n,
                boundary_hits: 0,
                example: x.clone(),
                example_origin: origin,
            });
            // Keep the first point on no hyperplane as the example.
            if t.hits == t.boundary_hits && t.hits > 0 && !on_boundary {
                t.example = x.clone();
                t.example_origin = origin;
            }
            t.hits += 1;
            t.boundary_hits += u64::from(on_boundary);
        }
    }

    /// Points tallied.
    pub fn points(&self) -> u64 {
        self.points
    }

    /// `K`: the number of distinct patterns.
    pub fn distinct(&self) -> usize {
        self.tallies.len()
    }

    /// Points on a neuron's hyperplane.
    pub fn boundary_points(&self) -> u64 {
        self.boundary_points
    }

    /// The first [`MAX_BOUNDARY_EXAMPLES`] boundary points.
    pub fn boundary_examples(&self) -> &[BoundaryPoint] {
        &self.boundary_examples
    }

    /// Every pattern seen, most hits first (ties: first found first).
    pub fn patterns(&self) -> Vec<PatternCount> {
        let mut out: Vec<PatternCount> = self
            .tallies
            .iter()
            .map(|(bits, t)| PatternCount {
                pattern: bits.to_pattern(&self.widths),
                hits: t.hits,
                first_hit: t.first_hit,
                boundary_hits: t.boundary_hits,
                example: t.example.clone(),
                example_origin: t.example_origin,
            })
            .collect();
        out.sort_by(|a, b| b.hits.cmp(&a.hits).then(a.first_hit.cmp(&b.first_hit)));
        out
    }

    /// `K(n)` at the [`checkpoints`] up to the points tallied.
    pub fn observed_curve(&self) -> Vec<(u64, u64)> {
        let mut first: Vec<u64> = self.tallies.values().map(|t| t.first_hit).collect();
        first.sort_unstable();
        checkpoints(self.points)
            .into_iter()
            .map(|n| (n, first.partition_point(|&f| f <= n) as u64))
            .collect()
    }
}

/// `n = 1, 2, 4, …` up to `last`, and `last` itself.
pub fn checkpoints(last: u64) -> Vec<u64> {
    let mut out: Vec<u64> = std::iter::successors(Some(1u64), |&n| n.checked_mul(2))
        .take_while(|&n| n <= last)
        .collect();
    if last > 0 && out.last() != Some(&last) {
        out.push(last);
    }
    out
}

/// `E[K(n)] = Σ_r (1 − (1 − p_r)^n)` for volume fractions `p_r` in `[0, 1]`,
/// computed as `−expm1(n · ln(1 − p))` so that tiny `p` keep their digits.
pub fn expected_distinct(fractions: &[f64], n: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    fractions
        .iter()
        .map(|&p| {
            if p >= 1.0 {
                1.0
            } else {
                -(n * (-p).ln_1p()).exp_m1()
            }
        })
        .sum()
}

/// The smallest number of uniform points `n` with `E[K(n)] ≥ target`, or
/// `None` if no `n` below `2^63` reaches it (for example when the target
/// exceeds the number of regions with `p_r > 0`).
///
/// # Complexity
/// `O(R · log n)` evaluations of the sum: bisection on `n`, which `E[K(n)]`
/// increases with.
pub fn samples_for_expected(fractions: &[f64], target: f64) -> Option<u64> {
    if target <= 0.0 {
        return Some(0);
    }
    let reaches = |n: u64| expected_distinct(fractions, n as f64) >= target;
    let mut hi = 1u64;
    while !reaches(hi) {
        hi = hi.checked_mul(2).filter(|&h| h <= 1 << 63)?;
    }
    let mut lo = hi / 2; // does not reach (or is 0)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_are_powers_of_two_and_the_end() {
        assert_eq!(checkpoints(1), vec![1]);
        assert_eq!(checkpoints(8), vec![1, 2, 4, 8]);
        assert_eq!(checkpoints(10), vec![1, 2, 4, 8, 10]);
        assert!(checkpoints(0).is_empty());
    }

    #[test]
    fn expected_by_hand() {
        // Two halves: E[K(1)] = 1, E[K(2)] = 2 (1 − 1/4) = 1.5.
        assert_eq!(expected_distinct(&[0.5, 0.5], 1.0), 1.0);
        assert!((expected_distinct(&[0.5, 0.5], 2.0) - 1.5).abs() < 1e-15);
        assert_eq!(expected_distinct(&[1.0], 5.0), 1.0);
        assert_eq!(expected_distinct(&[0.3, 0.7], 0.0), 0.0);
        // A tiny region: 1 − (1 − 1e-12)^1000 = 1e-9 to about 1e-15 relative.
        let e = expected_distinct(&[1e-12], 1000.0);
        assert!((e - 1e-9).abs() < 1e-15, "{e}");
    }

    #[test]
    fn samples_for_a_target() {
        // Halves: E = 2 (1 − 2^-n) ≥ 1.9 needs 2^-n ≤ 0.05, n = 5.
        assert_eq!(samples_for_expected(&[0.5, 0.5], 1.9), Some(5));
        assert_eq!(samples_for_expected(&[0.5, 0.5], 1.0), Some(1));
        assert_eq!(samples_for_expected(&[0.5, 0.5, 0.0], 2.5), None);
    }
}
