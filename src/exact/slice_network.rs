//! The network in exact dyadic arithmetic, on the free coordinates of its
//! domain: `y` is the input with fixed coordinates removed (unscaled), so a
//! fixed coordinate's weights fold into the first layer's bias exactly.
//! Pattern-dependent rows `a·y + c` are exact (docs/design.md §4).
//!
//! Used by both the certifier and the independent checker; it depends only on
//! the network and the domain.

use crate::domain::input_domain::Domain;
use crate::exact::dyadic::{dot, Dyadic};
use crate::model::affine::Affine;
use crate::model::network::Network;

/// An exact affine map `y ↦ W y + b`, row-major.
#[derive(Debug, Clone)]
pub struct ExactAffine {
    rows: usize,
    cols: usize,
    weight: Vec<Dyadic>,
    bias: Vec<Dyadic>,
}

impl ExactAffine {
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
        for i in 0..self.rows {
            let w = self.row(i);
            for col in 0..k {
                let mut acc = Dyadic::zero();
                for (j, wij) in w.iter().enumerate() {
                    if !wij.is_zero() {
                        acc = &acc + &(wij * &inner.weight[j * k + col]);
                    }
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
}

/// A strict inequality `a·y < b` in free coordinates, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactHalf {
    /// The normal.
    pub a: Vec<Dyadic>,
    /// The offset.
    pub b: Dyadic,
}

impl ExactHalf {
    /// The row of the side `sign · z > 0` of `z = a·y + c` (sign ±1):
    /// `−sign·a·y < sign·c`.
    pub fn side(a: &[Dyadic], c: &Dyadic, on: bool) -> Self {
        if on {
            ExactHalf {
                a: a.iter().map(|v| -v).collect(),
                b: c.clone(),
            }
        } else {
            ExactHalf {
                a: a.to_vec(),
                b: -c,
            }
        }
    }
}

/// The hidden layers of a network on the free coordinates of a domain.
#[derive(Debug, Clone)]
pub struct SliceNetwork {
    hidden: Vec<ExactAffine>,
    free: Vec<usize>,
}

impl SliceNetwork {
    /// The exact network on `domain`'s free coordinates (a box's `lo == hi`
    /// coordinates are fixed; other domains fix none).
    pub fn new(network: &Network, domain: &Domain) -> Self {
        let d = network.input_dim();
        let fixed = domain.fixed();
        let free: Vec<usize> = (0..d)
            .filter(|i| !fixed.iter().any(|(j, _)| j == i))
            .collect();
        let mut hidden: Vec<ExactAffine> = network
            .hidden()
            .iter()
            .map(ExactAffine::from_affine)
            .collect();
        if let Some(first) = hidden.first_mut() {
            let mut weight = Vec::with_capacity(first.rows * free.len());
            let mut bias = Vec::with_capacity(first.rows);
            for i in 0..first.rows {
                let row = first.row(i);
                weight.extend(free.iter().map(|&j| row[j].clone()));
                let fixed_part = fixed.iter().fold(Dyadic::zero(), |acc, (j, v)| {
                    &acc + &(&row[*j] * &Dyadic::from_f64(*v))
                });
                bias.push(&first.bias[i] + &fixed_part);
            }
            *first = ExactAffine {
                rows: first.rows,
                cols: free.len(),
                weight,
                bias,
            };
        }
        SliceNetwork { hidden, free }
    }

    /// The number of free coordinates.
    pub fn dim(&self) -> usize {
        self.free.len()
    }

    /// The free coordinates, in order.
    pub fn free(&self) -> &[usize] {
        &self.free
    }

    /// The hidden layers (the first one on free coordinates).
    pub fn hidden(&self) -> &[ExactAffine] {
        &self.hidden
    }

    /// The domain's box on the free coordinates, exactly, if it is a box.
    pub fn box_bounds(&self, domain: &Domain) -> Option<Vec<(Dyadic, Dyadic)>> {
        match domain {
            Domain::Box(v) => Some(
                self.free
                    .iter()
                    .map(|&i| (Dyadic::from_f64(v[i].0), Dyadic::from_f64(v[i].1)))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The domain's rows restricted to free coordinates, by index of
    /// [`Domain::rows`]. A row whose free part is zero reads `0 ≤ b`: with
    /// `b ≥ 0` it holds everywhere (the bounds of a fixed coordinate) and is
    /// `None`; with `b < 0` it holds nowhere, the domain is empty, and it is
    /// kept, so that no point satisfies the rows.
    pub fn domain_rows(&self, domain: &Domain) -> Vec<Option<ExactHalf>> {
        let fixed = domain.fixed();
        domain
            .rows()
            .iter()
            .map(|h| {
                let a: Vec<Dyadic> = self
                    .free
                    .iter()
                    .map(|&j| Dyadic::from_f64(h.a[j]))
                    .collect();
                let fixed_part = fixed.iter().fold(Dyadic::zero(), |acc, (j, v)| {
                    &acc + &(&Dyadic::from_f64(h.a[*j]) * &Dyadic::from_f64(*v))
                });
                let b = &Dyadic::from_f64(h.b) - &fixed_part;
                let vacuous = a.iter().all(Dyadic::is_zero) && b.signum() >= 0;
                (!vacuous).then_some(ExactHalf { a, b })
            })
            .collect()
    }
}

/// The exact range `[min, max]` of `a·y + c` over the box `bounds`.
pub fn range_over_box(a: &[Dyadic], c: &Dyadic, bounds: &[(Dyadic, Dyadic)]) -> (Dyadic, Dyadic) {
    let (mut lo, mut hi) = (c.clone(), c.clone());
    for (ai, (l, h)) in a.iter().zip(bounds) {
        let (x, y) = (ai * l, ai * h);
        let (small, large) = if x <= y { (x, y) } else { (y, x) };
        lo = &lo + &small;
        hi = &hi + &large;
    }
    (lo, hi)
}

/// The network's output on the region with pattern `pattern`, exactly, as a
/// map of the full input `x`: `A x + c`.
pub fn exact_output_map(
    network: &Network,
    pattern: &crate::model::pattern::Pattern,
) -> ExactAffine {
    let mut h = ExactAffine::identity(network.input_dim());
    for (layer, bits) in network.hidden().iter().zip(pattern.layers()) {
        let mut z = ExactAffine::from_affine(layer).after(&h);
        z.mask_rows(bits);
        h = z;
    }
    ExactAffine::from_affine(network.output()).after(&h)
}
