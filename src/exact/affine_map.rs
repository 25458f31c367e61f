//! The network's affine map on a region, in exact rational arithmetic
//! (docs/design.md §4): every f64 weight is a dyadic rational, converted without loss
//! by `BigRational::from_float`, so the map `A x + c` of a pattern is the
//! product of the masked layers computed exactly.
//!
//! # Complexity
//! `Σ_l n_l n_{l−1} (d + 1)` rational multiply-adds, skipping zero weights
//! and off neurons; the numbers grow by about one weight's bits per layer.
//!
//! # Example
//! ```
//! use num_rational::BigRational;
//! use regionwalk::{exact_affine_map, parse_json_model, Pattern};
//! // 0.1 is not 1/10 in f64; the exact map keeps the dyadic value it is.
//! let net = parse_json_model(
//!     r#"{"layers": [{"weight": [[0.1]], "bias": [0.5]}, {"weight": [[3]], "bias": [0]}]}"#,
//!     "m.json".as_ref(),
//! ).unwrap();
//! let (a, c) = exact_affine_map(&net, &Pattern::parse("1").unwrap());
//! assert_eq!(a[0][0], BigRational::from_float(0.1).unwrap() * BigRational::from_integer(3.into()));
//! assert_eq!(c[0], BigRational::from_float(1.5).unwrap());
//! let (a, c) = exact_affine_map(&net, &Pattern::parse("0").unwrap());
//! assert_eq!((a[0][0].clone(), c[0].clone()), (Default::default(), Default::default()));
//! ```

use crate::model::affine::Affine;
use crate::model::network::Network;
use crate::model::pattern::Pattern;
use num_rational::BigRational;
use num_traits::Zero;

/// `(A, c)` of the network's output `A x + c` on the region with pattern
/// `pattern`, exactly: `A` has one row per output and one column per input.
///
/// # Panics
/// If `pattern`'s layer widths are not the network's hidden widths (a
/// pattern from a walk of this network always fits).
pub fn exact_affine_map(
    network: &Network,
    pattern: &Pattern,
) -> (Vec<Vec<BigRational>>, Vec<BigRational>) {
    assert_eq!(
        pattern.layers().iter().map(Vec::len).collect::<Vec<_>>(),
        network.hidden_widths(),
        "pattern does not fit the network"
    );
    let d = network.input_dim();
    // Each row: the coefficients of x, then the constant.
    let mut h: Vec<Vec<BigRational>> = (0..d)
        .map(|i| {
            let mut row = vec![BigRational::zero(); d + 1];
            row[i] = BigRational::from_integer(1.into());
            row
        })
        .collect();
    let mut live = vec![true; d];
    for (layer, bits) in network.hidden().iter().zip(pattern.layers()) {
        h = apply(layer, &h, &live, Some(bits));
        live = bits.clone();
    }
    let out = apply(network.output(), &h, &live, None);
    out.into_iter()
        .map(|mut row| {
            let c = row.pop().expect("row has a constant");
            (row, c)
        })
        .unzip()
}

/// `W h + b` for the rows `i` with `keep[i]` (all rows without `keep`; the
/// others are left zero), reading only the rows `j` of `h` with `live[j]`.
fn apply(
    layer: &Affine,
    h: &[Vec<BigRational>],
    live: &[bool],
    keep: Option<&[bool]>,
) -> Vec<Vec<BigRational>> {
    let width = h.first().map(Vec::len).unwrap_or(1);
    (0..layer.rows())
        .map(|i| {
            let mut acc = vec![BigRational::zero(); width];
            if keep.is_some_and(|k| !k[i]) {
                return acc;
            }
            acc[width - 1] = exact(layer.bias()[i]);
            for (j, &w) in layer.row(i).iter().enumerate() {
                if w == 0.0 || !live[j] {
                    continue;
                }
                let w = exact(w);
                for (a, v) in acc.iter_mut().zip(&h[j]) {
                    if !v.is_zero() {
                        *a += &w * v;
                    }
                }
            }
            acc
        })
        .collect()
}

/// The exact value of a finite f64 (the network's weights are validated finite).
fn exact(x: f64) -> BigRational {
    BigRational::from_float(x).expect("network weights are finite")
}
