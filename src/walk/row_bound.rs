//! A lower bound on an affine function over a piece, from the piece's box
//! and one of its rows, with no LP: most side-test LPs only prove that a
//! neuron's hyperplane misses the piece (on ACAS Xu N2,1 over property 3's
//! box, 60k of 73k), and this bound proves most of those misses
//! (docs/performance.md).
//!
//! For a row `g·t < h` of the piece and any `λ ≥ 0`, every point `t` of the
//! piece has `λ (g·t − h) ≤ 0`, so
//!
//! ```text
//! f(t) ≥ f(t) + λ (g·t − h) ≥ min over the box of (u + λ g)·t + u₀ − λ h
//! ```
//!
//! for `f = u·t + u₀` and a box that contains the piece: a Lagrangian bound
//! with one multiplier. At `λ = 0` it is the box bound; it is concave and
//! piecewise linear in `λ`, so its largest value is at a kink, where a
//! coefficient `u_i + λ g_i` changes sign: `λ = −u_i / g_i`. Each row's
//! best kink is found by its slopes (`best_multiplier`), newest row first,
//! until one bound reaches the margin.
//!
//! The bound is evaluated in floats and then lowered by a bound on its
//! rounding error ([`ROUNDING`]), so what it proves holds for the float rows
//! exactly; the margin it must reach is the box bound's, scaled by `1 + λ`
//! because the row's own rounding error enters `λ` times. A decision it
//! makes is one the box bound could have made with a tighter box, and it
//! makes only clear ones: a near-tie still goes to the LP and the exact
//! path.

use crate::domain::half_space::HalfSpace;

/// The rounding error of [`reaches`]'s float evaluation is at most
/// `ROUNDING · (k + 6) · ε · S`, `S` the sum of the absolute values of its
/// terms, `ε` the machine epsilon (twice the unit roundoff `u`). Each
/// coefficient `u_i + λ g_i` is a product and a sum (two roundings), times a
/// box end (a third), and the `k + 2` terms are summed in order (a
/// rounding each): at most about `(k + 5) u S` in all. `ROUNDING = 2`, with
/// `ε = 2u`, covers four times that.
const ROUNDING: f64 = 2.0;

/// The row of `rows` (its index) that, with the box and some multiplier
/// `λ > 0`, proves `min over the piece of σ (a·t + c) ≥ margin · (1 + λ)`
/// (`λ = 0`, the box bound alone, is the caller's first test). `bbox`
/// contains the piece, whose rows are `rows`; `σ = sign` is `±1`. `None`
/// when no row proves it, or when the box is not finite. The index lets a
/// certifying walk write the bound as multipliers (`walk/row_proof.rs`).
pub(crate) fn proving_row(
    rows: &[HalfSpace],
    bbox: &[(f64, f64)],
    (a, c): (&[f64], f64),
    sign: f64,
    margin: f64,
) -> Option<usize> {
    let f = Signed { a, c, sign };
    if a.len() > MAX_DIM || !bbox.iter().all(|&(l, h)| l.is_finite() && h.is_finite()) {
        return None;
    }
    // The box's lowest corner for `f` is the same for every row: found
    // once, not once per row (most rows are rejected by their slope at
    // that corner alone).
    let corner = Corner::new(bbox, &f);
    rows.iter().rposition(|row| {
        let row = (row.a.as_slice(), row.b);
        let slope = corner.slope(row, margin);
        slope > 0.0
            && best_kink(bbox, &f, row.0, slope)
                .is_some_and(|lambda| reaches(bbox, &f, row, lambda, margin * (1.0 + lambda)))
    })
}

/// The bound is tried in at most this many coordinates: the kinks of a row
/// are sorted in a buffer of this size on the stack. The walk's LPs have
/// 4–20 columns; above this the side tests go to the LP as before.
const MAX_DIM: usize = 32;

/// The multiplier `λ > 0` of `row` at which the bound minus `margin · λ`
/// (what must stay above `margin`) is largest, or `None` when no `λ > 0`
/// raises it above its value at `0`.
///
/// The bound is concave and piecewise linear in `λ`. Its slope at `0` is
/// `g·t* − h − margin`, `t*` the corner of the box where the function is
/// lowest (where a coefficient is zero, the end the row likes best): when
/// that is not positive the row keeps the corner, and no multiplier helps
/// (most rows, found in `k` products). Past each kink `λ_i = −u_i / g_i`
/// the coefficient of `t_i` changes sign and the slope drops by
/// `|g_i| (h_i − l_i)`; the best `λ` is the kink where the slope stops
/// being positive. Rounding here can only choose a worse `λ`, never
/// decide: [`reaches`] checks the bound at the `λ` chosen.
pub(crate) fn best_multiplier(
    bbox: &[(f64, f64)],
    f: &Signed<'_>,
    row: (&[f64], f64),
    margin: f64,
) -> Option<f64> {
    if f.a.len() > MAX_DIM {
        return None;
    }
    let slope = Corner::new(bbox, f).slope(row, margin);
    if slope <= 0.0 {
        return None;
    }
    best_kink(bbox, f, row.0, slope)
}

/// The corner `t*` of the box where `f` is lowest, for the slope at `λ = 0`
/// of every row's bound: the low end of coordinate `i` where `u_i > 0`,
/// the high end where `u_i < 0` (or is not a number); where `u_i = 0` the
/// row's own `g_i` chooses (the end it likes best, the low one when
/// `g_i > 0`).
struct Corner<'b> {
    ends: [f64; MAX_DIM],
    /// The coordinates `f` has.
    len: usize,
    /// The coordinates with `u_i = 0`.
    zero: [bool; MAX_DIM],
    any_zero: bool,
    bbox: &'b [(f64, f64)],
}

impl<'b> Corner<'b> {
    /// `f`'s corner of `bbox` (`f.a.len() ≤ MAX_DIM`).
    fn new(bbox: &'b [(f64, f64)], f: &Signed<'_>) -> Self {
        let mut corner = Corner {
            ends: [0.0; MAX_DIM],
            len: f.a.len(),
            zero: [false; MAX_DIM],
            any_zero: false,
            bbox,
        };
        for (i, (&ai, &(l, h))) in f.a.iter().zip(bbox).enumerate() {
            let ui = f.sign * ai;
            corner.ends[i] = if ui > 0.0 { l } else { h };
            corner.zero[i] = ui == 0.0;
            corner.any_zero |= ui == 0.0;
        }
        corner
    }

    /// The slope at `λ = 0` of the bound with the row `g·t < b`, less the
    /// margin: `g·t* − b − margin`, summed in coordinate order.
    fn slope(&self, (g, b): (&[f64], f64), margin: f64) -> f64 {
        let mut slope = -b - margin;
        let ends = &self.ends[..self.len];
        if self.any_zero {
            for (i, (&gi, &end)) in g.iter().zip(ends).enumerate() {
                let end = if self.zero[i] && gi > 0.0 {
                    self.bbox[i].0
                } else {
                    end
                };
                slope += gi * end;
            }
        } else {
            for (&gi, &end) in g.iter().zip(ends) {
                slope += gi * end;
            }
        }
        slope
    }
}

/// The kink `λ_i = −u_i / g_i > 0` where the bound's slope, `slope` at
/// `λ = 0` (positive), stops being positive.
fn best_kink(bbox: &[(f64, f64)], f: &Signed<'_>, g: &[f64], mut slope: f64) -> Option<f64> {
    // The candidate kinks first, in a loop with no branch (the divisions
    // then run side by side), and only then the positive finite ones.
    let mut lambdas = [0.0; MAX_DIM];
    for ((lambda, &ai), &gi) in lambdas.iter_mut().zip(f.a).zip(g) {
        *lambda = -(f.sign * ai) / gi;
    }
    let mut kinks = [(0.0, 0.0); MAX_DIM];
    let mut count = 0;
    for ((&lambda, &gi), &(l, h)) in lambdas.iter().zip(g).zip(bbox) {
        if lambda > 0.0 && lambda.is_finite() {
            kinks[count] = (lambda, gi.abs() * (h - l));
            count += 1;
        }
    }
    let kinks = &mut kinks[..count];
    kinks.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
    for &(lambda, drop) in kinks.iter() {
        slope -= drop;
        if slope <= 0.0 {
            return Some(lambda);
        }
    }
    // Still rising past every kink: in exact arithmetic the row and the
    // box would not meet, but the piece lies in both; take the last kink.
    kinks.last().map(|k| k.0)
}

/// `σ (a·t + c)`, `σ = ±1`: `u = σ a`, `u₀ = σ c`, each exact.
pub(crate) struct Signed<'a> {
    /// `a`.
    pub a: &'a [f64],
    /// `c`.
    pub c: f64,
    /// `σ`.
    pub sign: f64,
}

/// Whether `min over the box of (u + λ g)·t + u₀ − λ h`, lowered by its
/// rounding error bound ([`ROUNDING`]), reaches `target`; false when it is
/// not a number. The float value comes first: below `target` it fails
/// whatever the error (which is not negative), as nine in ten do on the
/// d=4 bench net, and the error's size is summed only for the rest.
fn reaches(
    bbox: &[(f64, f64)],
    f: &Signed<'_>,
    (g, b): (&[f64], f64),
    lambda: f64,
    target: f64,
) -> bool {
    let u0 = f.sign * f.c;
    let mut value = u0 - lambda * b;
    for ((&ai, &gi), &(l, h)) in f.a.iter().zip(g).zip(bbox) {
        let coefficient = f.sign * ai + lambda * gi;
        value += (coefficient * l).min(coefficient * h);
    }
    if value.is_nan() || value < target {
        return false;
    }
    let mut size = u0.abs() + (lambda * b).abs();
    for ((&ai, &gi), &(l, h)) in f.a.iter().zip(g).zip(bbox) {
        size += ((f.sign * ai).abs() + (lambda * gi).abs()) * l.abs().max(h.abs());
    }
    let error = ROUNDING * (f.a.len() as f64 + 6.0) * f64::EPSILON * size;
    value - error >= target
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a: &[f64], b: f64) -> HalfSpace {
        HalfSpace { a: a.to_vec(), b }
    }

    /// The triangle `x, y ∈ [0, 1]`, `x + y < 1` (its box is the unit
    /// square). `f = x + y − 1.5` is below −0.5 on the triangle (its
    /// maximum, at the hypotenuse, is −0.5: worked out by hand), but reaches
    /// 0.5 at the square's corner `(1, 1)`: the box alone proves nothing,
    /// the hypotenuse with `λ = 1` proves `−f ≥ 0.5`.
    #[test]
    fn a_row_proves_what_the_box_cannot() {
        let s = std::f64::consts::FRAC_1_SQRT_2;
        let triangle = [
            row(&[-1.0, 0.0], 0.0),
            row(&[0.0, -1.0], 0.0),
            row(&[s, s], s),
        ];
        let square = [(0.0, 1.0), (0.0, 1.0)];
        // −f = −x − y + 1.5 ≥ 0.5 on the triangle; the kink λ = 1/s makes
        // the normal vanish, and the margin is scaled by 1 + λ.
        let f = ([1.0, 1.0].as_slice(), -1.5);
        let proves =
            |rows: &[HalfSpace], margin| proving_row(rows, &square, f, -1.0, margin).is_some();
        assert!(proves(&triangle, 0.1));
        assert!(!proves(&triangle, 0.5 / (1.0 + 1.0 / s)));
        // Just below the largest margin it proves: 0.5 / (1 + √2).
        assert!(proves(&triangle, 0.49 / (1.0 + 1.0 / s)));
        // Without the hypotenuse nothing is proved: the box's corner (1, 1)
        // has −f = −0.5.
        assert!(!proves(&triangle[..2], 1e-6));
        // f itself is negative on the triangle: nothing proves it positive.
        assert!(proving_row(&triangle, &square, f, 1.0, 1e-6).is_none());
        // A hyperplane through the triangle, x + y = 0.5: neither side is
        // proved empty, by any row.
        for sign in [1.0, -1.0] {
            let through = ([1.0, 1.0].as_slice(), -0.5);
            assert!(proving_row(&triangle, &square, through, sign, 1e-6).is_none());
        }
    }

    /// The corner's slope is, bit for bit, the slope at `λ = 0` written
    /// out coordinate by coordinate (the end of each coordinate's range
    /// where `u_i t_i` is lowest, the row's choice where `u_i = 0`), on
    /// random rows, boxes and functions with some zero coefficients.
    #[test]
    fn the_corner_slope_is_the_coordinatewise_slope() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for _ in 0..2000 {
            let dim = rng.gen_range(1..9);
            let pick = |rng: &mut rand_chacha::ChaCha8Rng| match rng.gen_range(0..4) {
                0 => 0.0,
                1 => -0.0,
                _ => rng.gen_range(-2.0..2.0),
            };
            let a: Vec<f64> = (0..dim).map(|_| pick(&mut rng)).collect();
            let g: Vec<f64> = (0..dim).map(|_| pick(&mut rng)).collect();
            let bbox: Vec<(f64, f64)> = (0..dim)
                .map(|_| {
                    let l = rng.gen_range(-1.0..1.0);
                    (l, l + rng.gen_range(0.0..1.0))
                })
                .collect();
            let (b, margin) = (rng.gen_range(-1.0..1.0), 1e-9);
            let sign = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
            let f = Signed {
                a: &a,
                c: 0.0,
                sign,
            };
            let mut expected = -b - margin;
            for i in 0..dim {
                let u = sign * a[i];
                let low = u > 0.0 || (u == 0.0 && g[i] > 0.0);
                expected += g[i] * if low { bbox[i].0 } else { bbox[i].1 };
            }
            let got = Corner::new(&bbox, &f).slope((&g, b), margin);
            assert_eq!(got.to_bits(), expected.to_bits(), "a {a:?} g {g:?}");
        }
    }

    #[test]
    fn an_unbounded_box_proves_nothing() {
        let rows = [row(&[1.0], 1.0)];
        let unbounded = [(f64::NEG_INFINITY, 1.0)];
        assert!(proving_row(&rows, &unbounded, (&[-1.0], 5.0), 1.0, 1e-6).is_none());
    }

    /// Whenever the bound proves `σ z ≥ margin` on a random polytope, the
    /// reference LP engine's minimum of `σ z` over the polytope (a second
    /// algorithm) is at least the margin; and the bound proves some cases
    /// the box alone does not.
    #[test]
    fn what_it_proves_the_reference_lp_confirms() {
        use crate::lp::{GoodLpMicrolp, LinearProgram, LpEngine, LpOutcome, LpRow, RowKind};
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (mut proved, mut beyond_box) = (0, 0);
        for _ in 0..400 {
            let dim = rng.gen_range(2..5);
            let mut rows: Vec<HalfSpace> = (0..2 * dim)
                .map(|e| {
                    let mut a = vec![0.0; dim];
                    a[e / 2] = if e % 2 == 0 { -1.0 } else { 1.0 };
                    row(&a, 1.0)
                })
                .collect();
            for _ in 0..rng.gen_range(1..5) {
                let a: Vec<f64> = (0..dim).map(|_| rng.gen_range(-1.0..1.0)).collect();
                rows.push(row(&a, rng.gen_range(0.0..0.5)));
            }
            let cube = vec![(-1.0, 1.0); dim];
            let a: Vec<f64> = (0..dim).map(|_| rng.gen_range(-1.0..1.0)).collect();
            let c = rng.gen_range(-1.5..1.5);
            let sign = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
            let margin = 1e-6;
            if proving_row(&rows, &cube, (&a, c), sign, margin).is_none() {
                continue;
            }
            proved += 1;
            // min σ (a·t + c) = σ c − max (−σ a)·t over the rows.
            let lp = LinearProgram {
                objective: a.iter().map(|v| -sign * v).collect(),
                bounds: vec![(f64::NEG_INFINITY, f64::INFINITY); dim],
                rows: rows
                    .iter()
                    .map(|h| LpRow {
                        coeffs: h.a.clone(),
                        kind: RowKind::LessEq,
                        rhs: h.b,
                    })
                    .collect(),
            };
            let LpOutcome::Optimal { value, .. } = GoodLpMicrolp.maximise(&lp).unwrap() else {
                panic!("the polytope holds the origin and is bounded")
            };
            let least = sign * c - value;
            assert!(least >= margin - 1e-9, "proved {margin}, least {least}");
            let box_least: f64 = sign * c - a.iter().map(|v| v.abs()).sum::<f64>();
            if box_least < margin {
                beyond_box += 1;
            }
        }
        assert!(
            beyond_box > 10,
            "{proved} proved, {beyond_box} beyond the box"
        );
    }
}
