//! The activation pattern at a point, with every sign decided exactly.
//!
//! A sampled point's pattern must be right even when a pre-activation is
//! within rounding of zero: a wrong bit there is a pattern that belongs to
//! no region, and would be reported as a region the enumeration missed. So
//! the forward pass runs in `f64` and carries, for every neuron, a bound on
//! its rounding error: with `n` inputs, the value `z = b + Σ w_j h_j` is off
//! by at most `γ_{n+1} (|b| + Σ |w_j h_j|) + Σ |w_j| e_j`, where `e_j` bounds
//! the error of the input `h_j` and `γ_m = m u / (1 − m u)`, `u = 2^-53`
//! (N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
//! §3.1). ReLU is 1-Lipschitz, so an on neuron passes its bound on (a
//! leaky neuron with slope `α` is `max(1, |α|)`-Lipschitz: an off one passes
//! `|α|` times it on, plus the rounding of the product). When
//! `|z|` exceeds its bound, the sign is certain. When it does not, the whole
//! point is recomputed in exact rational arithmetic (every `f64` is a dyadic
//! rational, so the network and the point convert without loss): the pattern
//! is then exact, and so is the list of neurons whose pre-activation is
//! exactly 0 (the point lies on their hyperplane; the zero convention counts
//! them off, docs/design.md §1).
//!
//! # Complexity
//! About twice a plain forward pass; the exact pass, whose numbers grow with
//! depth, runs only for points within rounding of a hyperplane.

use crate::exact::dyadic::rational_from_f64;
use crate::model::network::{Network, LINEAR_SLOPE};
use crate::model::pattern::Pattern;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// The rounding-error bound is multiplied by this before it is compared
/// with `|z|`.
///
/// Why 2: the bound is itself computed in `f64`, from rounded products and
/// sums, so it can be low by a relative `γ_{n+1}` (far below 1e-10 for any
/// layer width in use), and `|fl(w h)|` can be below `|w h|` by a factor
/// `1 − u`. A factor 2 covers both with room to spare. Raising it only sends
/// more points to the exact pass (slower, never wrong); lowering it below
/// about `1 + 1e-10` could certify a wrong sign.
pub const ROUNDING_BOUND_SAFETY: f64 = 2.0;

/// The pattern at a point, and the neurons exactly at 0 there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointPattern {
    /// The activation pattern (`z > 0` on; `z ≤ 0` off).
    pub pattern: Pattern,
    /// Hidden neurons `(layer, index)` whose pre-activation is exactly 0 at
    /// the point. Nonempty means the point lies on a boundary: its pattern
    /// (with those neurons off) may belong to no full-dimensional region.
    pub zeros: Vec<(usize, usize)>,
}

/// The exact activation pattern of `network` at the finite point `x`.
pub fn point_pattern(network: &Network, x: &[f64]) -> PointPattern {
    let p = packed_pattern(network, x);
    PointPattern {
        pattern: p.bits.to_pattern(&network.hidden_widths()),
        zeros: p.zeros,
    }
}

/// A pattern as one bit per hidden neuron, packed into words: cheap to hash
/// and compare when millions of points are tallied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PackedBits(Vec<u64>);

impl PackedBits {
    fn new(neurons: usize) -> Self {
        PackedBits(vec![0; neurons.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    /// The pattern with hidden layers of the given widths.
    pub(crate) fn to_pattern(&self, widths: &[usize]) -> Pattern {
        let mut i = 0;
        Pattern::new(
            widths
                .iter()
                .map(|&w| {
                    let layer = (i..i + w).map(|j| self.get(j)).collect();
                    i += w;
                    layer
                })
                .collect(),
        )
    }

    /// The packed form of `pattern`.
    #[cfg(test)]
    fn from_pattern(pattern: &Pattern) -> Self {
        let bits: Vec<bool> = pattern.layers().iter().flatten().copied().collect();
        let mut packed = PackedBits::new(bits.len());
        for (i, _) in bits.iter().enumerate().filter(|(_, &b)| b) {
            packed.set(i);
        }
        packed
    }
}

/// [`PointPattern`] with the pattern packed.
#[derive(Debug, Clone)]
pub(crate) struct PackedPattern {
    pub(crate) bits: PackedBits,
    pub(crate) zeros: Vec<(usize, usize)>,
}

/// The exact pattern at `x`: the certified float pass, or the exact pass
/// where that cannot decide a sign.
pub(crate) fn packed_pattern(network: &Network, x: &[f64]) -> PackedPattern {
    match float_pass(network, x) {
        Some(bits) => PackedPattern {
            bits,
            zeros: Vec::new(),
        },
        None => exact_pass(network, x),
    }
}

/// `γ_m = m u / (1 − m u)` with `u = 2^-53`; infinite when `m u ≥ 1/2`.
fn gamma(m: usize) -> f64 {
    let mu = m as f64 * (f64::EPSILON / 2.0);
    if mu >= 0.5 {
        f64::INFINITY
    } else {
        mu / (1.0 - mu)
    }
}

/// Lanes of the sums in [`sums`]: independent partial sums break the chain
/// of dependent additions (the pass was bound by add latency) and let the
/// compiler use vector instructions. The rounding bound holds for any order
/// of summation, so the lanes change nothing but speed.
const LANES: usize = 4;

/// `(Σ w_j h_j, Σ |w_j h_j|, Σ |w_j| e_j)`, each summed in [`LANES`] lanes.
fn sums(w: &[f64], h: &[f64], e: &[f64]) -> (f64, f64, f64) {
    let (mut z, mut size, mut carried) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
    let whole = w.len() / LANES * LANES;
    let lanes = w[..whole]
        .chunks_exact(LANES)
        .zip(h[..whole].chunks_exact(LANES))
        .zip(e[..whole].chunks_exact(LANES));
    for ((w, h), e) in lanes {
        for l in 0..LANES {
            let t = w[l] * h[l];
            z[l] += t;
            size[l] += t.abs();
            carried[l] += w[l].abs() * e[l];
        }
    }
    for j in whole..w.len() {
        let t = w[j] * h[j];
        z[0] += t;
        size[0] += t.abs();
        carried[0] += w[j].abs() * e[j];
    }
    let total = |a: [f64; LANES]| a.iter().sum::<f64>();
    (total(z), total(size), total(carried))
}

/// The forward pass in `f64` with an error bound per neuron; `None` as soon
/// as a sign is not certain.
fn float_pass(network: &Network, x: &[f64]) -> Option<PackedBits> {
    let mut bits = PackedBits::new(network.hidden_neurons());
    let mut h = x.to_vec();
    let mut err = vec![0.0; x.len()];
    let mut neuron = 0;
    for (layer, slopes) in network.hidden().iter().zip(network.slopes()) {
        let g = gamma(layer.cols() + 1);
        let mut next_h = Vec::with_capacity(layer.rows());
        let mut next_err = Vec::with_capacity(layer.rows());
        for ((i, &b), &alpha) in layer.bias().iter().enumerate().zip(slopes) {
            let (z, size, carried) = sums(layer.row(i), &h, &err);
            let (z, size) = (z + b, size + b.abs());
            let bound = ROUNDING_BOUND_SAFETY * (g * size + carried);
            if !bound.is_finite() {
                return None;
            }
            if alpha == LINEAR_SLOPE {
                // No kink: on whatever its sign, and its value passes on.
                bits.set(neuron);
                next_h.push(z);
                next_err.push(bound);
                neuron += 1;
                continue;
            }
            // Written so that a NaN (from an overflow) also fails the test.
            if !(z.abs() > bound && bound.is_finite()) {
                return None;
            }
            if z > 0.0 {
                bits.set(neuron);
                next_h.push(z);
                next_err.push(bound);
            } else if alpha == 0.0 {
                next_h.push(0.0);
                next_err.push(0.0);
            } else {
                // |fl(α z) − α ẑ| ≤ |α| bound + u |α z|, with a factor 2
                // on the product's rounding as on the bound itself.
                let v = alpha * z;
                next_h.push(v);
                next_err.push(alpha.abs() * bound + 2.0 * f64::EPSILON * v.abs());
            }
            neuron += 1;
        }
        h = next_h;
        err = next_err;
    }
    Some(bits)
}

/// The forward pass in exact rationals.
fn exact_pass(network: &Network, x: &[f64]) -> PackedPattern {
    let mut bits = PackedBits::new(network.hidden_neurons());
    let mut zeros = Vec::new();
    let mut h: Vec<BigRational> = x.iter().map(|&v| rational_from_f64(v)).collect();
    let mut neuron = 0;
    for (k, (layer, slopes)) in network.hidden().iter().zip(network.slopes()).enumerate() {
        let mut next = Vec::with_capacity(layer.rows());
        for ((i, &b), &alpha) in layer.bias().iter().enumerate().zip(slopes) {
            let mut z = rational_from_f64(b);
            for (&w, v) in layer.row(i).iter().zip(&h) {
                if w != 0.0 && !v.is_zero() {
                    z += rational_from_f64(w) * v;
                }
            }
            if z.is_positive() || alpha == LINEAR_SLOPE {
                bits.set(neuron);
                next.push(z);
            } else {
                if z.is_zero() {
                    zeros.push((k, i));
                }
                next.push(if alpha == 0.0 {
                    BigRational::zero()
                } else {
                    rational_from_f64(alpha) * z
                });
            }
            neuron += 1;
        }
        h = next;
    }
    PackedPattern { bits, zeros }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(layers: &[(Vec<Vec<f64>>, Vec<f64>)]) -> Network {
        crate::model::network::relu_network(layers)
    }

    #[test]
    fn agrees_with_the_plain_forward_pass_away_from_hyperplanes() {
        let n = net(&[
            (vec![vec![1.0, -2.0], vec![0.5, 1.0]], vec![0.1, -0.2]),
            (vec![vec![1.0, 1.0]], vec![-0.3]),
        ]);
        for x in [[0.7, 0.2], [-0.4, 0.9], [0.05, -0.3]] {
            let p = point_pattern(&n, &x);
            assert_eq!(p.pattern, n.pattern_at(&x));
            assert!(p.zeros.is_empty());
        }
    }

    #[test]
    fn a_point_on_a_hyperplane_is_flagged_and_counted_off() {
        // z_0 = x − y is exactly 0 at (0.3, 0.3); z_1 = x + y is 0.6.
        let n = net(&[(vec![vec![1.0, -1.0], vec![1.0, 1.0]], vec![0.0, 0.0])]);
        let p = point_pattern(&n, &[0.3, 0.3]);
        assert_eq!(p.pattern.to_string(), "01");
        assert_eq!(p.zeros, vec![(0, 0)]);
    }

    #[test]
    fn a_float_zero_that_is_not_exactly_zero_is_decided_exactly() {
        // z = 0.1 · x − fl(0.1 · 0.1) at x = 0.1 (all values as f64). In
        // f64 the product rounds to fl(0.01) = 0.010000000000000002, so z
        // computes to exactly 0. In exact arithmetic, with
        // 0.1 = 3602879701896397 / 2^55, the product is
        // 12980742146337070512478121581609 / 2^110, while its rounding is
        // 1441151880758559 / 2^57 = 12980742146337071593342032150528 / 2^110
        // (checked with Python's fractions.Fraction). So
        // z = −1080863910568919 / 2^110 < 0: the neuron is off and the point
        // is on no hyperplane.
        let c = 0.1f64 * 0.1f64;
        let n = net(&[(vec![vec![0.1]], vec![-c])]);
        assert_eq!(0.1f64 * 0.1 - c, 0.0, "f64 alone would call it a zero");
        let p = point_pattern(&n, &[0.1]);
        assert_eq!(p.pattern.to_string(), "0");
        assert!(p.zeros.is_empty());
    }

    #[test]
    fn a_zero_in_a_deeper_layer_is_found() {
        // Layer 0: h = (x, 2x) on x > 0; layer 1: z = 2 h_0 − h_1 = 0 exactly.
        let n = net(&[
            (vec![vec![1.0], vec![2.0]], vec![0.0, 0.0]),
            (vec![vec![2.0, -1.0]], vec![0.0]),
        ]);
        let p = point_pattern(&n, &[0.37]);
        assert_eq!(p.pattern.to_string(), "11|0");
        assert_eq!(p.zeros, vec![(1, 0)]);
    }

    #[test]
    fn packing_round_trips() {
        let p = Pattern::parse(
            "0110|1010101010101010101010101010101010101010101010101010101010101010101|1",
        )
        .unwrap();
        let widths: Vec<usize> = p.layers().iter().map(Vec::len).collect();
        assert_eq!(PackedBits::from_pattern(&p).to_pattern(&widths), p);
    }
}
