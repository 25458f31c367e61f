//! Exact affine maps `y ↦ W y + b` in dyadic arithmetic, and the one exact
//! computation of the network's affine map on a region (docs/design.md §4):
//! every f64 weight is a dyadic rational, so the map `A x + c` of a pattern
//! is the product of the masked layers, computed without loss.
//!
//! # Complexity
//! `Σ_l n_l n_{l−1} (d + 1)` dyadic multiply-adds for a pattern's map,
//! skipping zero weights; the numbers grow by about one weight's bits per
//! layer.
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

use crate::exact::dyadic::{dot, Dyadic};
use crate::model::affine::Affine;
use crate::model::network::Network;
use crate::model::pattern::Pattern;
use num_bigint::BigInt;
use num_rational::BigRational;

/// An exact affine map `y ↦ W y + b`, row-major. Equality is by value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactAffine {
    rows: usize,
    cols: usize,
    weight: Vec<Dyadic>,
    bias: Vec<Dyadic>,
}

impl ExactAffine {
    /// A map from a row-major weight (`rows × cols`) and a bias of length
    /// `rows`. Panics if the lengths disagree.
    pub fn new(rows: usize, cols: usize, weight: Vec<Dyadic>, bias: Vec<Dyadic>) -> Self {
        assert_eq!(weight.len(), rows * cols, "weight length");
        assert_eq!(bias.len(), rows, "bias length");
        ExactAffine {
            rows,
            cols,
            weight,
            bias,
        }
    }

    /// The exact value of a float map.
    pub fn from_affine(a: &Affine) -> Self {
        ExactAffine {
            rows: a.rows(),
            cols: a.cols(),
            weight: a.weight().iter().map(|&v| Dyadic::from_f64(v)).collect(),
            bias: a.bias().iter().map(|&v| Dyadic::from_f64(v)).collect(),
        }
    }

    /// The identity of `R^n`.
    pub fn identity(n: usize) -> Self {
        let mut weight = vec![Dyadic::zero(); n * n];
        for i in 0..n {
            weight[i * n + i] = Dyadic::from_f64(1.0);
        }
        ExactAffine {
            rows: n,
            cols: n,
            weight,
            bias: vec![Dyadic::zero(); n],
        }
    }

    /// The network's output `A x + c` on the region with pattern `pattern`,
    /// as a map of the full input `x`.
    ///
    /// # Panics
    /// If `pattern`'s layer widths are not the network's hidden widths (a
    /// pattern from a walk of this network always fits).
    pub fn of_pattern(network: &Network, pattern: &Pattern) -> Self {
        assert_eq!(
            pattern.layers().iter().map(Vec::len).collect::<Vec<_>>(),
            network.hidden_widths(),
            "pattern does not fit the network"
        );
        let mut h = ExactAffine::identity(network.input_dim());
        for ((layer, bits), alpha) in network
            .hidden()
            .iter()
            .zip(pattern.layers())
            .zip(network.slopes())
        {
            let mut z = ExactAffine::from_affine(layer).after(&h);
            z.activate_rows(bits, &exact_slopes(alpha));
            h = z;
        }
        ExactAffine::from_affine(network.output()).after(&h)
    }

    /// Output dimension.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Input dimension.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i` of the weight.
    pub fn row(&self, i: usize) -> &[Dyadic] {
        &self.weight[i * self.cols..(i + 1) * self.cols]
    }

    /// Entry `i` of the bias.
    pub fn bias(&self, i: usize) -> &Dyadic {
        &self.bias[i]
    }

    /// `self ∘ inner`, exactly.
    pub fn after(&self, inner: &ExactAffine) -> ExactAffine {
        assert_eq!(self.cols, inner.rows, "composition shapes");
        let k = inner.cols;
        let mut weight = Vec::with_capacity(self.rows * k);
        let mut bias = Vec::with_capacity(self.rows);
        let mut scratch = BigInt::default();
        for i in 0..self.rows {
            let w = self.row(i);
            for col in 0..k {
                let mut acc = Dyadic::zero();
                for (j, wij) in w.iter().enumerate() {
                    acc.add_product_in(wij, &inner.weight[j * k + col], &mut scratch);
                }
                weight.push(acc);
            }
            bias.push(&dot(w, &inner.bias) + &self.bias[i]);
        }
        ExactAffine {
            rows: self.rows,
            cols: k,
            weight,
            bias,
        }
    }

    /// Zeroes the rows whose flag is false (an off neuron outputs 0).
    pub fn mask_rows(&mut self, keep: &[bool]) {
        for (i, &k) in keep.iter().enumerate() {
            if !k {
                for v in &mut self.weight[i * self.cols..(i + 1) * self.cols] {
                    *v = Dyadic::zero();
                }
                self.bias[i] = Dyadic::zero();
            }
        }
    }

    /// The activation of a fixed pattern, exactly: each row whose `on` flag
    /// is false is multiplied by its neuron's negative-side slope (0 zeroes
    /// it, 1 keeps it).
    pub fn activate_rows(&mut self, on: &[bool], slopes: &[Dyadic]) {
        assert_eq!(on.len(), self.rows);
        assert_eq!(slopes.len(), self.rows);
        let one = Dyadic::from_f64(1.0);
        for (i, (&k, alpha)) in on.iter().zip(slopes).enumerate() {
            if k || *alpha == one {
                continue;
            }
            for v in &mut self.weight[i * self.cols..(i + 1) * self.cols] {
                *v = if alpha.is_zero() {
                    Dyadic::zero()
                } else {
                    &*v * alpha
                };
            }
            self.bias[i] = if alpha.is_zero() {
                Dyadic::zero()
            } else {
                &self.bias[i] * alpha
            };
        }
    }

    /// `(A, c)` as rationals: one row of `A` per output.
    pub fn to_rationals(&self) -> (Vec<Vec<BigRational>>, Vec<BigRational>) {
        let a = (0..self.rows)
            .map(|i| self.row(i).iter().map(Dyadic::to_rational).collect())
            .collect();
        (a, self.bias.iter().map(Dyadic::to_rational).collect())
    }
}

/// A layer's negative-side slopes as exact dyadics (every f64 is one).
pub fn exact_slopes(slopes: &[f64]) -> Vec<Dyadic> {
    slopes.iter().map(|&a| Dyadic::from_f64(a)).collect()
}

/// `(A, c)` of the network's output `A x + c` on the region with pattern
/// `pattern`, exactly, as rationals: `A` has one row per output and one
/// column per input (`ExactAffine::of_pattern` in rationals).
///
/// # Panics
/// If `pattern`'s layer widths are not the network's hidden widths (a
/// pattern from a walk of this network always fits).
pub fn exact_affine_map(
    network: &Network,
    pattern: &Pattern,
) -> (Vec<Vec<BigRational>>, Vec<BigRational>) {
    ExactAffine::of_pattern(network, pattern).to_rationals()
}
