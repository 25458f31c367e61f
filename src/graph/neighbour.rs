//! The pattern on the other side of a facet: the exact first-order crossing
//! rule of docs/design.md §3.
//!
//! Take `y` in the facet's relative interior and the facet's outward normal
//! `v`. The neighbour's pattern is the pattern at `y + εv` for an infinitely
//! small `ε > 0`. Go through the hidden layers in order, each in the
//! neighbour's own masks (those of the layers before it, already decided):
//! `z_i(y + εv) = z_i(y) + ε (a_i·v)`, so the neuron's side is the sign of
//! `z_i(y)`, or, where that is zero, the sign of the slope `a_i·v`; both zero
//! is *off* (the zero convention). A neuron constant on the neighbour's cell
//! is decided as the walk decides it (`ZERO_ROW_RELATIVE`).
//!
//! In general position the rule flips exactly the facet's neuron. It flips
//! several where several neurons vanish on the facet: duplicated neurons, or
//! a deeper neuron whose bent hyperplane lies on the facet. A neuron that does
//! not vanish on the whole facet is nonzero on its relative interior (it has
//! one sign on the region's closure), so the rule gives the same pattern at
//! every point of the facet: a facet has exactly one neighbour.
//!
//! # Complexity
//! One pass through the network in the working coordinates:
//! `O(Σ_l n_l n_{l−1} k)` for `k` working coordinates.
//!
//! # Example
//! ```
//! use regionwalk::{neighbour_pattern, parse_json_model};
//! // Two copies of ReLU(x): crossing x = 0 upwards flips both.
//! let net = parse_json_model(
//!     r#"{"layers": [{"weight": [[1.0], [1.0]], "bias": [0, 0]},
//!                    {"weight": [[1, 1]], "bias": [0]}]}"#,
//!     "dup.json".as_ref(),
//! ).unwrap();
//! assert_eq!(neighbour_pattern(&net, &[0.0], &[1.0]).to_string(), "11");
//! assert_eq!(neighbour_pattern(&net, &[0.0], &[-1.0]).to_string(), "00");
//! ```

use crate::model::affine::{dot, Affine};
use crate::model::network::Network;
use crate::model::pattern::Pattern;
use crate::tolerance::{ON_FACET_RELATIVE, ZERO_ROW_RELATIVE};
use crate::walk::pre_activation::PreActivations;

/// The activation pattern at `y + εv` for infinitely small `ε > 0`, for the
/// network `network` (a function of the same coordinates as `y` and `v`:
/// `WorkSpace::network` for the walk's working coordinates).
pub fn neighbour_pattern(network: &Network, y: &[f64], v: &[f64]) -> Pattern {
    let scale = y.iter().fold(1.0f64, |m, t| m.max(t.abs()));
    let mut map = Affine::identity(y.len());
    let mut layers = Vec::with_capacity(network.hidden().len());
    for (weights, slopes) in network.hidden().iter().zip(network.slopes()) {
        let pre = PreActivations::new(weights, &map, slopes);
        let bits: Vec<bool> = (0..pre.z.rows())
            .map(|i| {
                if let Some(on) = pre.constant(i) {
                    return on;
                }
                let (a, c) = (pre.z.row(i), pre.z.bias()[i]);
                let value = dot(a, y) + c;
                if value.abs() > ON_FACET_RELATIVE * scale * pre.terms(i) {
                    return value > 0.0;
                }
                // Zero at y: the first-order term decides; a slope that is
                // zero up to rounding means z is zero beyond the facet: off.
                dot(a, v) > ZERO_ROW_RELATIVE * pre.terms(i)
            })
            .collect();
        map = pre.z;
        map.activate_rows(&bits, slopes);
        layers.push(bits);
    }
    Pattern::new(layers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(layers: &[(&[&[f64]], &[f64])]) -> Network {
        let owned: Vec<(Vec<Vec<f64>>, Vec<f64>)> = layers
            .iter()
            .map(|(w, b)| (w.iter().map(|r| r.to_vec()).collect(), b.to_vec()))
            .collect();
        crate::model::network::relu_network(&owned)
    }

    #[test]
    fn a_deeper_neuron_bent_onto_the_facet_flips_too() {
        // h = (ReLU(x), ReLU(y)), then ReLU(h0 + h1): zero exactly on the
        // quadrant x ≤ 0, y ≤ 0. Crossing x = 0 at (0, −0.5) from the left
        // turns on both h0 and the deeper neuron; at (0, 0.5) only h0 flips.
        let n = net(&[
            (&[&[1.0, 0.0], &[0.0, 1.0]], &[0.0, 0.0]),
            (&[&[1.0, 1.0]], &[0.0]),
        ]);
        assert_eq!(
            neighbour_pattern(&n, &[0.0, -0.5], &[1.0, 0.0]).to_string(),
            "10|1"
        );
        assert_eq!(
            neighbour_pattern(&n, &[0.0, 0.5], &[1.0, 0.0]).to_string(),
            "11|1"
        );
        assert_eq!(
            neighbour_pattern(&n, &[0.0, -0.5], &[-1.0, 0.0]).to_string(),
            "00|0"
        );
    }

    #[test]
    fn a_neuron_zero_beyond_the_facet_is_off() {
        // h0 = ReLU(x); layer 1: ReLU(h0) and ReLU(−h0). Right of x = 0 the
        // second is negative; left of it both are identically zero: off.
        let n = net(&[(&[&[1.0]], &[0.0]), (&[&[1.0], &[-1.0]], &[0.0, 0.0])]);
        assert_eq!(neighbour_pattern(&n, &[0.0], &[1.0]).to_string(), "1|10");
        assert_eq!(neighbour_pattern(&n, &[0.0], &[-1.0]).to_string(), "0|00");
    }
}
