//! An independent, exact test oracle for the activation regions of a ReLU
//! network with one or two inputs over a box.
//!
//! It is used only by the tests, to cross-check the enumerator, and therefore
//! deliberately shares no code with the `regionwalk` crate: no LP, no floating
//! point decisions, no tolerance. Every f64 weight is converted exactly (each
//! finite f64 is a dyadic rational) and all geometry is done in `BigRational`.
//!
//! Method (docs/design.md §1 and §7): start from the box as one interval or one
//! polygon. For each hidden layer in order, each piece knows the previous
//! layer's output as an exact affine function of `x` (its pattern masks the
//! rows), so the layer's pre-activations are exact affine functions on it.
//! Each neuron of the layer, in order, splits every current sub-piece by its
//! line `z_i = 0` (exact Sutherland–Hodgman clipping in 2-D, an exact split
//! point in 1-D). The side is decided from the exact values at the vertices:
//! all `>= 0` and not all `= 0` is *on* (`z > 0` inside), all `<= 0` is *off*
//! (this includes `z` identically zero: the zero convention), otherwise the
//! line crosses the interior and both parts have positive measure.
//!
//! Leaky neurons (the `leaky_*` functions): a neuron with negative-side slope
//! `α` outputs `α z` where it is off instead of 0; its line splits a piece
//! just as a ReLU's does. A neuron with `α = 1` outputs `z` everywhere: it has
//! no kink, so it splits nothing and its bit is always 1 (docs/design.md §1).

use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// One hidden ReLU layer: weight `out × in` (PyTorch layout) and bias.
#[derive(Clone, Debug)]
pub struct OracleLayer {
    pub weight: Vec<Vec<f64>>,
    pub bias: Vec<f64>,
}

/// One full-dimensional region found by the oracle.
pub struct OracleRegion {
    /// One bit string per hidden layer joined by '|', '1' = on (z > 0).
    pub pattern: String,
    /// 1-D: `[lo, hi]` as two 1-vectors; 2-D: polygon vertices counter-clockwise.
    pub vertices: Vec<Vec<BigRational>>,
    /// Length (1-D) or area (2-D), exact, > 0.
    pub measure: BigRational,
}

type Q = BigRational;

/// The exact value of a finite f64 (`from_float` decodes mantissa and
/// exponent, so it is exact; the self-tests check it).
pub fn exact(x: f64) -> Q {
    Q::from_float(x).unwrap_or_else(|| panic!("oracle: non-finite value {x}"))
}

/// An affine function `a·x + c` of the input.
#[derive(Clone)]
struct AffineFn {
    a: Vec<Q>,
    c: Q,
}

impl AffineFn {
    fn zero(d: usize) -> Self {
        AffineFn {
            a: vec![Q::zero(); d],
            c: Q::zero(),
        }
    }

    fn eval(&self, x: &[Q]) -> Q {
        self.a
            .iter()
            .zip(x)
            .fold(self.c.clone(), |s, (a, x)| s + a * x)
    }
}

/// A piece of the box during the walk.
struct Piece {
    /// 1-D: `[lo, hi]`; 2-D: convex polygon, counter-clockwise.
    vertices: Vec<Vec<Q>>,
    /// Bits of the layers done so far, one `Vec` per layer.
    bits: Vec<Vec<bool>>,
    /// The previous layer's output on this piece (the input itself at first).
    outputs: Vec<AffineFn>,
}

/// How a neuron's pre-activation behaves on a closed piece.
enum Side {
    On,
    Off,
    Cut,
}

/// Decides the side from the exact values at the vertices (see module doc).
fn side(values: &[Q]) -> Side {
    if values.iter().all(|v| !v.is_negative()) && values.iter().any(|v| v.is_positive()) {
        Side::On
    } else if values.iter().all(|v| !v.is_positive()) {
        Side::Off
    } else {
        Side::Cut
    }
}

/// `p + t (q - p)`.
fn lerp(p: &[Q], q: &[Q], t: &Q) -> Vec<Q> {
    p.iter().zip(q).map(|(p, q)| p + t * (q - p)).collect()
}

/// The point on segment `p q` where the affine function with values `vp`,
/// `vq` (of strictly opposite signs) vanishes.
fn crossing(p: &[Q], q: &[Q], vp: &Q, vq: &Q) -> Vec<Q> {
    lerp(p, q, &(vp / (vp - vq)))
}

/// Keeps the part of a convex polygon where `z >= 0` (`keep_positive`) or `z <= 0` (Sutherland–Hodgman
/// against one half-plane); `values` are `z` at the vertices.
fn clip_polygon(vertices: &[Vec<Q>], values: &[Q], keep_positive: bool) -> Vec<Vec<Q>> {
    let kept = |v: &Q| {
        if keep_positive {
            !v.is_negative()
        } else {
            !v.is_positive()
        }
    };
    let n = vertices.len();
    let mut out = Vec::with_capacity(n + 1);
    for j in 0..n {
        let k = (j + 1) % n;
        let (vp, vq) = (&values[j], &values[k]);
        if kept(vp) {
            out.push(vertices[j].clone());
        }
        let strictly_opposite =
            (vp.is_positive() && vq.is_negative()) || (vp.is_negative() && vq.is_positive());
        if strictly_opposite {
            out.push(crossing(&vertices[j], &vertices[k], vp, vq));
        }
    }
    out
}

/// Splits a piece crossed by `z = 0` into its (on, off) parts: `z >= 0`, `z <= 0`.
fn split(vertices: &[Vec<Q>], values: &[Q]) -> (Vec<Vec<Q>>, Vec<Vec<Q>>) {
    if vertices[0].len() == 1 {
        let (lo, hi) = (&vertices[0], &vertices[1]);
        let p = crossing(lo, hi, &values[0], &values[1]);
        let left = vec![lo.clone(), p.clone()];
        let right = vec![p, hi.clone()];
        if values[0].is_positive() {
            (left, right)
        } else {
            (right, left)
        }
    } else {
        (
            clip_polygon(vertices, values, true),
            clip_polygon(vertices, values, false),
        )
    }
}

/// Length of an interval or area of a counter-clockwise polygon (shoelace),
/// exact. Negative for a clockwise polygon.
fn measure(vertices: &[Vec<Q>]) -> Q {
    if vertices[0].len() == 1 {
        return &vertices[1][0] - &vertices[0][0];
    }
    let n = vertices.len();
    let twice: Q = (0..n)
        .map(|j| {
            let (p, q) = (&vertices[j], &vertices[(j + 1) % n]);
            &p[0] * &q[1] - &q[0] * &p[1]
        })
        .sum();
    twice / Q::from_integer(2.into())
}

fn pattern_string(bits: &[Vec<bool>]) -> String {
    let layers: Vec<String> = bits
        .iter()
        .map(|l| l.iter().map(|&b| if b { '1' } else { '0' }).collect())
        .collect();
    layers.join("|")
}

/// Checks the layer shapes against the input dimension `d`.
fn check_shapes(layers: &[OracleLayer], d: usize) {
    let mut width = d;
    for (k, layer) in layers.iter().enumerate() {
        assert_eq!(
            layer.weight.len(),
            layer.bias.len(),
            "oracle: layer {k}: weight rows and bias differ in length"
        );
        for row in &layer.weight {
            assert_eq!(
                row.len(),
                width,
                "oracle: layer {k}: row length is not {width}"
            );
        }
        width = layer.bias.len();
    }
}

/// The pre-activations of `layer` as affine functions of `x`, given the
/// previous layer's output `h = inputs(x)`: `z = W h + b`.
fn pre_activations(layer: &OracleLayer, inputs: &[AffineFn], d: usize) -> Vec<AffineFn> {
    layer
        .weight
        .iter()
        .zip(&layer.bias)
        .map(|(row, &b)| {
            let mut z = AffineFn {
                a: vec![Q::zero(); d],
                c: exact(b),
            };
            for (&w, h) in row.iter().zip(inputs) {
                let w = exact(w);
                if w.is_zero() {
                    continue;
                }
                for (za, ha) in z.a.iter_mut().zip(&h.a) {
                    *za += &w * ha;
                }
                z.c += &w * &h.c;
            }
            z
        })
        .collect()
}

/// All regions of the hidden layers over the box lo..hi (1 or 2 inputs; box
/// bounds are f64, lo<hi).
pub fn oracle_regions(layers: &[OracleLayer], lo: &[f64], hi: &[f64]) -> Vec<OracleRegion> {
    oracle_slice_regions(layers, &[], lo, hi)
}

/// All regions of the hidden layers on the slice where the inputs `fixed`
/// (index, value) are fixed and the 1 or 2 others range over the box
/// lo..hi. The fixed values enter the first layer in exact arithmetic.
pub fn oracle_slice_regions(
    layers: &[OracleLayer],
    fixed: &[(usize, f64)],
    lo: &[f64],
    hi: &[f64],
) -> Vec<OracleRegion> {
    leaky_slice_regions(layers, &relu_slopes(layers), fixed, lo, hi)
}

/// Slope 0 for every neuron: plain ReLU layers.
fn relu_slopes(layers: &[OracleLayer]) -> Vec<Vec<f64>> {
    layers.iter().map(|l| vec![0.0; l.bias.len()]).collect()
}

/// A neuron's output on a piece where its pre-activation is `z`, on or off,
/// for negative-side slope `alpha`.
fn leaky_output(z: &AffineFn, on: bool, alpha: f64, d: usize) -> AffineFn {
    if on {
        return z.clone();
    }
    let alpha = exact(alpha);
    if alpha.is_zero() {
        return AffineFn::zero(d);
    }
    AffineFn {
        a: z.a.iter().map(|v| v * &alpha).collect(),
        c: &z.c * &alpha,
    }
}

/// All regions of hidden layers with negative-side slopes `slopes` (one
/// per neuron; 0 is ReLU, 1 no kink) over the box lo..hi (1 or 2 inputs).
pub fn leaky_regions(
    layers: &[OracleLayer],
    slopes: &[Vec<f64>],
    lo: &[f64],
    hi: &[f64],
) -> Vec<OracleRegion> {
    leaky_slice_regions(layers, slopes, &[], lo, hi)
}

/// [`oracle_slice_regions`] for hidden layers with negative-side slopes.
pub fn leaky_slice_regions(
    layers: &[OracleLayer],
    slopes: &[Vec<f64>],
    fixed: &[(usize, f64)],
    lo: &[f64],
    hi: &[f64],
) -> Vec<OracleRegion> {
    assert_eq!(
        slopes.len(),
        layers.len(),
        "oracle: one slope list per layer"
    );
    let d = lo.len();
    assert!(d == 1 || d == 2, "oracle: 1 or 2 free inputs, got {d}");
    assert_eq!(hi.len(), d, "oracle: lo and hi differ in length");
    assert!(
        lo.iter().zip(hi).all(|(l, h)| l < h),
        "oracle: need lo < hi"
    );
    check_shapes(layers, d + fixed.len());

    let l: Vec<Q> = lo.iter().map(|&v| exact(v)).collect();
    let h: Vec<Q> = hi.iter().map(|&v| exact(v)).collect();
    let vertices = if d == 1 {
        vec![vec![l[0].clone()], vec![h[0].clone()]]
    } else {
        vec![
            vec![l[0].clone(), l[1].clone()],
            vec![h[0].clone(), l[1].clone()],
            vec![h[0].clone(), h[1].clone()],
            vec![l[0].clone(), h[1].clone()],
        ]
    };
    // The input as a function of the free coordinates: a fixed input is
    // its value, the k-th free one is the k-th coordinate.
    let mut free = 0;
    let embedding = (0..d + fixed.len())
        .map(|i| match fixed.iter().find(|&&(j, _)| j == i) {
            Some(&(_, v)) => AffineFn {
                a: vec![Q::zero(); d],
                c: exact(v),
            },
            None => {
                let mut f = AffineFn::zero(d);
                f.a[free] = Q::from_integer(1.into());
                free += 1;
                f
            }
        })
        .collect();
    let mut pieces = vec![Piece {
        vertices,
        bits: Vec::new(),
        outputs: embedding,
    }];

    for (layer, alphas) in layers.iter().zip(slopes) {
        assert_eq!(
            alphas.len(),
            layer.bias.len(),
            "oracle: one slope per neuron"
        );
        let mut next = Vec::new();
        for piece in pieces {
            let z = pre_activations(layer, &piece.outputs, d);
            // Sub-pieces of this piece with the bits of this layer so far.
            let mut subs: Vec<(Vec<Vec<Q>>, Vec<bool>)> = vec![(piece.vertices, Vec::new())];
            for (zi, &alpha) in z.iter().zip(alphas) {
                if alpha == 1.0 {
                    // No kink: nothing to split, and the bit is 1.
                    subs.iter_mut().for_each(|(_, bits)| bits.push(true));
                    continue;
                }
                let mut split_subs = Vec::with_capacity(subs.len() * 2);
                for (vertices, bits) in subs {
                    let values: Vec<Q> = vertices.iter().map(|v| zi.eval(v)).collect();
                    let with = |bit: bool| {
                        let mut b = bits.clone();
                        b.push(bit);
                        b
                    };
                    match side(&values) {
                        Side::On => split_subs.push((vertices, with(true))),
                        Side::Off => split_subs.push((vertices, with(false))),
                        Side::Cut => {
                            let (on, off) = split(&vertices, &values);
                            // A line that truly crosses leaves positive measure on both sides.
                            assert!(measure(&on).is_positive(), "oracle: degenerate on-part");
                            assert!(measure(&off).is_positive(), "oracle: degenerate off-part");
                            split_subs.push((on, with(true)));
                            split_subs.push((off, with(false)));
                        }
                    }
                }
                subs = split_subs;
            }
            for (vertices, layer_bits) in subs {
                let outputs = z
                    .iter()
                    .zip(&layer_bits)
                    .zip(alphas)
                    .map(|((zi, &on), &alpha)| leaky_output(zi, on, alpha, d))
                    .collect();
                let mut bits = piece.bits.clone();
                bits.push(layer_bits);
                next.push(Piece {
                    vertices,
                    bits,
                    outputs,
                });
            }
        }
        pieces = next;
    }

    pieces
        .into_iter()
        .map(|p| {
            let measure = measure(&p.vertices);
            assert!(
                measure.is_positive(),
                "oracle: region of non-positive measure"
            );
            OracleRegion {
                pattern: pattern_string(&p.bits),
                vertices: p.vertices,
                measure,
            }
        })
        .collect()
}

/// The activation pattern at an exact point `x`, by an exact forward pass
/// (on means `z > 0`). For checking a region against a point inside it.
pub fn pattern_at(layers: &[OracleLayer], x: &[Q]) -> String {
    leaky_pattern_at(layers, &relu_slopes(layers), x)
}

/// [`pattern_at`] for hidden layers with negative-side slopes (a neuron
/// with slope 1 is always 1).
pub fn leaky_pattern_at(layers: &[OracleLayer], slopes: &[Vec<f64>], x: &[Q]) -> String {
    check_shapes(layers, x.len());
    let mut h: Vec<Q> = x.to_vec();
    let mut bits = Vec::with_capacity(layers.len());
    for (layer, alphas) in layers.iter().zip(slopes) {
        let z: Vec<Q> = layer
            .weight
            .iter()
            .zip(&layer.bias)
            .map(|(row, &b)| {
                row.iter()
                    .zip(&h)
                    .fold(exact(b), |s, (&w, h)| s + exact(w) * h)
            })
            .collect();
        bits.push(
            z.iter()
                .zip(alphas)
                .map(|(v, &a)| v.is_positive() || a == 1.0)
                .collect::<Vec<bool>>(),
        );
        h = z
            .into_iter()
            .zip(alphas)
            .map(|(v, &a)| if v.is_positive() { v } else { v * exact(a) })
            .collect();
    }
    pattern_string(&bits)
}

/// The network's output on the region with `pattern` (one bit string per
/// hidden layer, joined by '|') as an exact affine map of the input: rows
/// `a` and constants `c`, composed in rationals from the layers.
pub fn output_map(
    layers: &[OracleLayer],
    out: &OracleLayer,
    pattern: &str,
) -> (Vec<Vec<Q>>, Vec<Q>) {
    leaky_output_map(layers, &relu_slopes(layers), out, pattern)
}

/// [`output_map`] for hidden layers with negative-side slopes.
pub fn leaky_output_map(
    layers: &[OracleLayer],
    slopes: &[Vec<f64>],
    out: &OracleLayer,
    pattern: &str,
) -> (Vec<Vec<Q>>, Vec<Q>) {
    let d = layers
        .first()
        .map_or(out.weight[0].len(), |l| l.weight[0].len());
    let mut h: Vec<AffineFn> = (0..d)
        .map(|i| {
            let mut f = AffineFn::zero(d);
            f.a[i] = Q::from_integer(1.into());
            f
        })
        .collect();
    let bits: Vec<&str> = pattern.split('|').collect();
    assert_eq!(bits.len(), layers.len(), "oracle: pattern of another depth");
    for ((layer, bits), alphas) in layers.iter().zip(bits).zip(slopes) {
        h = pre_activations(layer, &h, d)
            .into_iter()
            .zip(bits.chars())
            .zip(alphas)
            .map(|((z, bit), &alpha)| leaky_output(&z, bit == '1', alpha, d))
            .collect();
    }
    pre_activations(out, &h, d)
        .into_iter()
        .map(|f| (f.a, f.c))
        .unzip()
}
