//! Rigorous interval arithmetic on `f64`: an enclosure `[lo, hi]` of an exact
//! number, kept through sums and products by rounding every end outward.
//! It decides the clear cases of exact questions (the sign of a row at a
//! witness, a row's range over a box, the box slack of multipliers) at float
//! speed, for the prover and the checker alike; where an enclosure straddles
//! the answer's boundary the exact dyadic path decides (docs/design.md §4,
//! "Intervals before exact numbers").
//!
//! # Why an enclosure is rigorous
//! Every operation here is an IEEE-754 double operation in round-to-nearest
//! (Rust's default; it never contracts `a * b + c` into a fused multiply-add
//! unless asked, and x86-64 and AArch64 round every `f64` operation once).
//! For a real `t` and `r = RN(t)`, `t` lies between the two doubles that
//! bracket it, and `r` is one of them, so `next_down(r) ≤ t ≤ next_up(r)`,
//! also when `r` overflows to ±∞ or underflows to zero or a subnormal. Each
//! lower end is therefore computed as `next_down` of the rounded operation
//! on lower ends (and upper ends with `next_up`), so by induction every
//! interval holds the exact value of the expression it stands for. The
//! only exception is an exact zero: a product with a zero factor and a sum
//! with a zero term are exact and are not widened, so a row that is exactly
//! zero stays `[0, 0]` (the exact path's constant test). An end that would be
//! NaN (`∞ − ∞`) makes the interval unknown: every decision here is a
//! comparison, and comparisons with NaN are false, so an unknown interval
//! decides nothing.

use crate::exact::dyadic::Dyadic;
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// A closed interval `[lo, hi]` that holds an exact number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// A lower bound of the exact number.
    pub lo: f64,
    /// An upper bound of the exact number.
    pub hi: f64,
}

/// What an interval says about a yes-or-no question on its exact number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// The exact number certainly satisfies it.
    Yes,
    /// The exact number certainly does not.
    No,
    /// The interval straddles the boundary: exact arithmetic must decide.
    Unknown,
}

impl Known {
    /// `Yes` when `yes` holds, `No` when `no` holds, else `Unknown` (at most
    /// one of the two may hold).
    pub fn of(yes: bool, no: bool) -> Known {
        match (yes, no) {
            (true, _) => Known::Yes,
            (_, true) => Known::No,
            _ => Known::Unknown,
        }
    }
}

/// The largest double below the rounded result (a lower bound of the exact
/// one), leaving an exact zero as it is only when the caller knows it is
/// exact (see the module's note).
#[inline]
fn down(x: f64) -> f64 {
    x.next_down()
}

#[inline]
fn up(x: f64) -> f64 {
    x.next_up()
}

impl Interval {
    /// The exact zero.
    pub const ZERO: Interval = Interval { lo: 0.0, hi: 0.0 };

    /// The exact number `x` (every finite double is exact).
    pub fn point(x: f64) -> Interval {
        Interval { lo: x, hi: x }
    }

    /// True when it is the exact zero.
    #[inline]
    pub fn is_zero(&self) -> bool {
        self.lo == 0.0 && self.hi == 0.0
    }

    /// True when it holds one exact double.
    #[inline]
    fn is_point(&self) -> bool {
        self.lo == self.hi
    }

    /// The sign of the exact number when the interval shows it: `Some(1)`,
    /// `Some(-1)`, `Some(0)` for the exact zero, `None` when it straddles zero.
    pub fn sign(&self) -> Option<i32> {
        if self.lo > 0.0 {
            Some(1)
        } else if self.hi < 0.0 {
            Some(-1)
        } else if self.is_zero() {
            Some(0)
        } else {
            None
        }
    }

    /// The midpoint (for float work only, never for a decision).
    pub fn mid(&self) -> f64 {
        if self.is_point() {
            self.lo
        } else {
            self.lo * 0.5 + self.hi * 0.5
        }
    }

    /// An enclosure of a dyadic number: exact when it is a double, else the
    /// nearest doubles around it, checked exactly; unknown when even that
    /// fails (a number beyond the doubles' range).
    pub fn of_dyadic(d: &Dyadic) -> Interval {
        if d.is_zero() {
            return Interval::ZERO;
        }
        let r = d.to_f64();
        if r.is_finite() {
            // `to_f64` is within a couple of steps of `d`; the ends are
            // checked exactly, so no claim about its rounding is needed.
            let exact = Dyadic::from_f64(r);
            if exact == *d {
                return Interval::point(r);
            }
            let (lo, hi) = (down(down(r)), up(up(r)));
            if lo.is_finite()
                && hi.is_finite()
                && Dyadic::from_f64(lo) < *d
                && *d < Dyadic::from_f64(hi)
            {
                return Interval { lo, hi };
            }
        }
        Interval {
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
        }
    }

    /// An enclosure of an integer (a multiplier).
    pub fn of_int(n: &BigInt) -> Interval {
        match n.to_i64() {
            // Integers up to 2^53 are doubles.
            Some(v) if v.unsigned_abs() <= 1 << 53 => Interval::point(v as f64),
            _ => Interval::of_dyadic(&Dyadic::from_int(n.clone())),
        }
    }

    /// `−self`, exactly.
    #[inline]
    pub fn neg(self) -> Interval {
        Interval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    /// `self + other`.
    #[inline]
    pub fn add(self, other: Interval) -> Interval {
        if other.is_zero() {
            return self;
        }
        if self.is_zero() {
            return other;
        }
        Interval {
            lo: down(self.lo + other.lo),
            hi: up(self.hi + other.hi),
        }
    }

    /// `self · w` for an exact double `w`.
    #[inline]
    pub fn scale(self, w: f64) -> Interval {
        if w == 0.0 || self.is_zero() {
            return Interval::ZERO;
        }
        let (a, b) = (self.lo * w, self.hi * w);
        if w > 0.0 {
            Interval {
                lo: down(a),
                hi: up(b),
            }
        } else {
            Interval {
                lo: down(b),
                hi: up(a),
            }
        }
    }

    /// `self · other`.
    pub fn mul(self, other: Interval) -> Interval {
        if other.is_point() {
            return self.scale(other.lo);
        }
        if self.is_point() {
            return other.scale(self.lo);
        }
        let p = [
            self.lo * other.lo,
            self.lo * other.hi,
            self.hi * other.lo,
            self.hi * other.hi,
        ];
        if p.iter().any(|v| v.is_nan()) {
            return Interval {
                lo: f64::NAN,
                hi: f64::NAN,
            };
        }
        let lo = p.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = p.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        Interval {
            lo: down(lo),
            hi: up(hi),
        }
    }

    /// `self + x · y`.
    #[inline]
    pub fn add_product(self, x: Interval, y: Interval) -> Interval {
        if x.is_zero() || y.is_zero() {
            return self;
        }
        self.add(x.mul(y))
    }
}

/// The double `d` is, if it is one.
pub fn exact_double(d: &Dyadic) -> Option<f64> {
    let i = Interval::of_dyadic(d);
    (i.lo == i.hi).then_some(i.lo)
}

/// An exact box in doubles, when each of its ends is one (a box domain's
/// bounds and a slice's window are: they come from `f64`).
pub fn double_box(bounds: &[(Dyadic, Dyadic)]) -> Option<Vec<(f64, f64)>> {
    bounds
        .iter()
        .map(|(l, h)| Some((exact_double(l)?, exact_double(h)?)))
        .collect()
}

/// Enclosures of the minimum and the maximum of `a·y + c` over the box
/// `bounds` (whose ends are exact: `lo ≤ hi`).
pub fn range_over_box(a: &[Interval], c: Interval, bounds: &[(f64, f64)]) -> (Interval, Interval) {
    let (mut min, mut max) = (c, c);
    for (ai, &(l, h)) in a.iter().zip(bounds) {
        if ai.is_zero() {
            continue;
        }
        // min(a l, a h) is monotone in each product, so its enclosure is
        // the min of the products' ends; likewise the max.
        let (x, y) = (ai.scale(l), ai.scale(h));
        min = min.add(Interval {
            lo: x.lo.min(y.lo),
            hi: x.hi.min(y.hi),
        });
        max = max.add(Interval {
            lo: x.lo.max(y.lo),
            hi: x.hi.max(y.hi),
        });
    }
    (min, max)
}

/// A strict inequality `a·y < b` with interval coefficients: an enclosure of
/// an exact [`crate::exact::half_space::ExactHalf`].
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalHalf {
    /// The normal.
    pub a: Vec<Interval>,
    /// The offset.
    pub b: Interval,
}

impl IntervalHalf {
    /// The row of the side `sign · z > 0` of `z = a·y + c`, as
    /// [`crate::exact::half_space::ExactHalf::side`]: `−sign·a·y < sign·c`.
    pub fn side(a: &[Interval], c: Interval, on: bool) -> Self {
        if on {
            IntervalHalf {
                a: a.iter().map(|v| v.neg()).collect(),
                b: c,
            }
        } else {
            IntervalHalf {
                a: a.to_vec(),
                b: c.neg(),
            }
        }
    }

    /// Whether the exact point `y` (exact doubles) satisfies the exact row
    /// strictly.
    pub fn holds_at(&self, y: &[f64]) -> Known {
        let mut s = self.b.neg();
        for (a, &v) in self.a.iter().zip(y) {
            s = s.add(a.scale(v));
        }
        Known::of(s.hi < 0.0, s.lo >= 0.0)
    }
}

/// An affine map `y ↦ W y + b` with interval entries, row-major: an enclosure
/// of an [`crate::exact::affine::ExactAffine`].
#[derive(Debug, Clone)]
pub struct IntervalAffine {
    rows: usize,
    cols: usize,
    weight: Vec<Interval>,
    bias: Vec<Interval>,
}

impl IntervalAffine {
    /// An enclosure of an exact map (exact where its entries are doubles).
    pub fn of_exact(m: &crate::exact::affine::ExactAffine) -> Self {
        IntervalAffine {
            rows: m.rows(),
            cols: m.cols(),
            weight: (0..m.rows())
                .flat_map(|i| m.row(i).iter().map(Interval::of_dyadic))
                .collect(),
            bias: (0..m.rows())
                .map(|i| Interval::of_dyadic(m.bias(i)))
                .collect(),
        }
    }

    /// The identity of `R^n`.
    pub fn identity(n: usize) -> Self {
        let mut weight = vec![Interval::ZERO; n * n];
        for i in 0..n {
            weight[i * n + i] = Interval::point(1.0);
        }
        IntervalAffine {
            rows: n,
            cols: n,
            weight,
            bias: vec![Interval::ZERO; n],
        }
    }

    /// Output dimension.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Row `i` of the weight.
    pub fn row(&self, i: usize) -> &[Interval] {
        &self.weight[i * self.cols..(i + 1) * self.cols]
    }

    /// Entry `i` of the bias.
    pub fn bias(&self, i: usize) -> Interval {
        self.bias[i]
    }

    /// `self ∘ inner`. Inner rows that are exactly zero (the units an
    /// activation zeroed, about half of them) are skipped whole.
    pub fn after(&self, inner: &IntervalAffine) -> IntervalAffine {
        assert_eq!(self.cols, inner.rows, "composition shapes");
        let k = inner.cols;
        let live: Vec<usize> = (0..inner.rows)
            .filter(|&j| {
                !(inner.bias[j].is_zero()
                    && inner.weight[j * k..(j + 1) * k]
                        .iter()
                        .all(Interval::is_zero))
            })
            .collect();
        let mut weight = Vec::with_capacity(self.rows * k);
        let mut bias = Vec::with_capacity(self.rows);
        for i in 0..self.rows {
            let w = self.row(i);
            let start = weight.len();
            weight.extend(std::iter::repeat_n(Interval::ZERO, k));
            let acc = &mut weight[start..];
            let mut b = self.bias[i];
            for &j in &live {
                let wij = w[j];
                if wij.is_zero() {
                    continue;
                }
                let inner_row = &inner.weight[j * k..(j + 1) * k];
                if wij.is_point() {
                    let v = wij.lo;
                    for (a, x) in acc.iter_mut().zip(inner_row) {
                        *a = a.add(x.scale(v));
                    }
                    b = b.add(inner.bias[j].scale(v));
                } else {
                    for (a, x) in acc.iter_mut().zip(inner_row) {
                        *a = a.add_product(wij, *x);
                    }
                    b = b.add_product(wij, inner.bias[j]);
                }
            }
            bias.push(b);
        }
        IntervalAffine {
            rows: self.rows,
            cols: k,
            weight,
            bias,
        }
    }

    /// The activation of a fixed pattern, as
    /// [`crate::exact::affine::ExactAffine::activate_rows`]: each row whose
    /// `on` flag is false is multiplied by its neuron's negative-side slope.
    pub fn activate_rows(&mut self, on: &[bool], slopes: &[f64]) {
        assert_eq!(on.len(), self.rows);
        assert_eq!(slopes.len(), self.rows);
        for (i, (&k, &alpha)) in on.iter().zip(slopes).enumerate() {
            if k || alpha == 1.0 {
                continue;
            }
            for v in &mut self.weight[i * self.cols..(i + 1) * self.cols] {
                *v = v.scale(alpha);
            }
            self.bias[i] = self.bias[i].scale(alpha);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::affine::ExactAffine;
    use num_rational::BigRational;

    fn holds(i: Interval, d: &Dyadic) -> bool {
        let (lo, hi) = (Dyadic::from_f64(i.lo), Dyadic::from_f64(i.hi));
        lo <= *d && *d <= hi
    }

    #[test]
    fn one_tenth_times_three_is_enclosed_not_rounded() {
        // 0.1 · 3 rounds to 0.30000000000000004 in doubles; the exact
        // product of the double 0.1 and 3 is 3 · 0.1000000000000000055…,
        // which is not a double, so the enclosure must have two ends around
        // it (checked against the exact dyadic product).
        let x = Interval::point(0.1).scale(3.0);
        let exact = &Dyadic::from_f64(0.1) * &Dyadic::from_f64(3.0);
        assert!(x.lo < x.hi);
        assert!(holds(x, &exact));
        // 0.5 · 3 = 1.5 is a double; the enclosure is still a valid one.
        assert!(holds(
            Interval::point(0.5).scale(3.0),
            &Dyadic::from_f64(1.5)
        ));
    }

    #[test]
    fn exact_zeros_stay_zero_and_signs_are_decided_only_when_shown() {
        assert!(Interval::point(3.0).scale(0.0).is_zero());
        assert!(Interval::ZERO.add(Interval::ZERO).is_zero());
        // 1 + (−1) is exactly zero, but the sum is widened: unknown sign.
        let s = Interval::point(1.0).add(Interval::point(-1.0));
        assert_eq!(s.sign(), None);
        assert_eq!(Interval::point(-2.0).sign(), Some(-1));
        let unknown = Interval {
            lo: f64::NAN,
            hi: 1.0,
        };
        assert_eq!(unknown.sign(), None);
        assert_eq!(unknown.add(Interval::point(5.0)).sign(), None);
    }

    #[test]
    fn a_dyadic_beyond_doubles_gets_ends_that_hold_it() {
        // 2^60 + 1 is not a double: its enclosure has two ends around it.
        let n = (BigInt::from(1) << 60) + 1;
        let i = Interval::of_int(&n);
        assert!(i.lo < i.hi);
        assert!(holds(i, &Dyadic::from_int(n)));
        // 1/3 is not dyadic; (2^70 + 1) · 2^-75 is, and is not a double.
        let d = Dyadic::from_rational(&BigRational::new(
            (BigInt::from(1) << 70) + 1,
            BigInt::from(1) << 75,
        ))
        .unwrap();
        let i = Interval::of_dyadic(&d);
        assert!(i.lo < i.hi && holds(i, &d));
    }

    #[test]
    fn the_box_range_of_a_row_is_enclosed() {
        // z = 2y − 1 on [0, 1] ranges over [−1, 1] (by hand).
        let (min, max) = range_over_box(
            &[Interval::point(2.0)],
            Interval::point(-1.0),
            &[(0.0, 1.0)],
        );
        assert!(min.lo <= -1.0 && -1.0 <= min.hi && min.hi < 0.0);
        assert!(max.lo <= 1.0 && 1.0 <= max.hi && max.lo > 0.0);
    }

    #[test]
    fn random_deep_maps_are_enclosed_entry_by_entry() {
        // Six random layers of width 8 on 3 inputs, weights spread over
        // twelve binades, half the units of each layer switched off: the
        // exact composition (dyadic, no rounding) lies in every interval.
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut random = |rows: usize, cols: usize| {
            let mut v = || {
                let x: f64 = rng.gen_range(-1.0..1.0);
                Dyadic::from_f64(x * 2f64.powi(rng.gen_range(-6..6)))
            };
            let w = (0..rows * cols).map(|_| v()).collect();
            let b = (0..rows).map(|_| v()).collect();
            ExactAffine::new(rows, cols, w, b)
        };
        let (mut exact, mut iv) = (ExactAffine::identity(3), IntervalAffine::identity(3));
        for layer in 0..6 {
            let w = random(8, if layer == 0 { 3 } else { 8 });
            exact = w.after(&exact);
            iv = IntervalAffine::of_exact(&w).after(&iv);
            let on: Vec<bool> = (0..8).map(|i| (i + layer) % 2 == 0).collect();
            exact.activate_rows(&on, &vec![Dyadic::zero(); 8]);
            iv.activate_rows(&on, &[0.0; 8]);
        }
        for i in 0..8 {
            for (x, e) in iv.row(i).iter().zip(exact.row(i)) {
                assert!(holds(*x, e), "row {i}: {x:?}");
            }
            assert!(holds(iv.bias(i), exact.bias(i)));
            // Off units stay exactly zero.
            assert_eq!(iv.bias(i).is_zero(), exact.bias(i).is_zero());
        }
    }

    #[test]
    fn a_composed_map_encloses_the_exact_one() {
        // Two layers of awkward weights, composed in intervals and exactly:
        // every exact entry lies in its interval.
        let d = Dyadic::from_f64;
        let w1 = ExactAffine::new(
            2,
            2,
            vec![d(0.1), d(-0.7), d(1e-3), d(3.3)],
            vec![d(0.2), d(-1.9)],
        );
        let w2 = ExactAffine::new(
            2,
            2,
            vec![d(1.0 / 3.0), d(2.5e7), d(-0.6), d(0.0)],
            vec![d(0.3), d(0.0)],
        );
        let exact = w2.after(&w1);
        let iv = IntervalAffine::of_exact(&w2).after(&IntervalAffine::of_exact(&w1));
        for i in 0..2 {
            for (x, e) in iv.row(i).iter().zip(exact.row(i)) {
                assert!(holds(*x, e), "{x:?}");
            }
            assert!(holds(iv.bias(i), exact.bias(i)));
        }
        // Row 1 of w2 times w1: −0.6 · (0.1, −0.7) + 0 · (…): exact zeros
        // stay exact where the weight is zero.
        assert!(!iv.row(1)[0].is_zero());
    }
}
