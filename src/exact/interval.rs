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
/// exact (see the module's note): `f64::next_down`, as [`up`] computes it.
#[inline]
fn down(x: f64) -> f64 {
    -up(-x)
}

/// The least double above `x`: `f64::next_up` for every input (a test
/// compares the two), written with selects instead of branches, since the
/// sign of the ends that sums widen is as likely one as the other. A
/// double's bits, read as an integer, step to its neighbour away from zero
/// by adding one to its magnitude; toward `+∞` that is `+1` for a positive
/// double and `−1` for a negative one. Zeros step to the least positive
/// double; NaN and `+∞` stay.
#[inline]
fn up(x: f64) -> f64 {
    let b = x.to_bits();
    let stepped = if (b as i64) >= 0 {
        b.wrapping_add(1)
    } else {
        b.wrapping_sub(1)
    };
    let next = if x == 0.0 { 1 } else { stepped };
    if x.is_nan() || x == f64::INFINITY {
        x
    } else {
        f64::from_bits(next)
    }
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

/// `u = 2⁻⁵³`, the unit roundoff of `f64` in round-to-nearest.
const UNIT_ROUNDOFF: f64 = 1.0 / (1u64 << 53) as f64;

/// The most terms a dot product of [`IntervalAffine::after_one_bound`] may
/// have: its widening factor `(n + 1)·u` bounds `γ_n/(1 − γ_n)` only while
/// `2n(n + 1)·u ≤ 1`, that is up to about `2^25.5`; `2²⁴` keeps a margin
/// (a network's layer has thousands of inputs at most).
const MAX_DOT_TERMS: usize = 1 << 24;

/// Products at least this large (in floats) are surely normal doubles:
/// `4 · 2⁻¹⁰²²`, so that even the rounding of the check itself (relative
/// `u`) leaves the exact product above the smallest normal, `2⁻¹⁰²²`.
const NORMAL_PRODUCT: f64 = 4.0 * f64::MIN_POSITIVE;

/// How many rows of a composition are summed together in
/// [`IntervalAffine::after_one_bound`]: four sums of each kind stay in the
/// registers of a 128-bit vector unit (three kinds, two registers each);
/// eight spilled to memory and were no faster.
const ROW_BLOCK: usize = 4;

/// `rows` rounded up to a multiple of [`ROW_BLOCK`].
fn padded_rows(rows: usize) -> usize {
    rows.div_ceil(ROW_BLOCK) * ROW_BLOCK
}

/// The smallest nonzero `|w|` of `weight` (`∞` if all are zero) when every
/// entry is one finite double; `None` otherwise.
fn point_weights(weight: &[Interval]) -> Option<f64> {
    let mut min = f64::INFINITY;
    for w in weight {
        if !(w.is_point() && w.lo.is_finite()) {
            return None;
        }
        if w.lo != 0.0 {
            min = min.min(w.lo.abs());
        }
    }
    Some(min)
}

/// The entry `[ŝ_lo, ŝ_hi]` of a dot product computed in round-to-nearest
/// (the sums finite), widened by `(n + 1)·u·M̂` (`factor · mag`) and
/// rounded outward, as [`IntervalAffine::after_one_bound`] proves. An entry
/// whose terms are all exact zeros (`M̂ = 0`) is `[0, 0]`.
#[inline]
fn widen_finite(lo: f64, hi: f64, mag: f64, factor: f64) -> Interval {
    if mag == 0.0 {
        return Interval::ZERO;
    }
    let e = up(factor * mag);
    Interval {
        lo: down(lo - e),
        hi: up(hi + e),
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

/// The absolute error that underflow may add to a product rounded to
/// nearest, doubled: `2 · 2⁻¹⁰⁷⁵ = 2⁻¹⁰⁷⁴`, the least positive double
/// (see [`OneBoundSum`] for why doubled). It is also the least gap between
/// doubles, which is how [`OneBoundSum::enclosure`] adds `n` of it: by
/// stepping its widening `n` doubles up.
#[cfg(test)]
const UNDERFLOW_PER_TERM: f64 = f64::from_bits(1);

/// The least widening `x` of a [`OneBoundSum`] that the underflow term
/// cannot change: `2⁻⁹⁰⁰` (see [`OneBoundSum::enclosure`]).
const SUBNORMAL_FREE: f64 = f64::from_bits((1023 - 900) << 52);

/// A short sum `t_0 + t_1 + … + t_{n−1}` of an exact double `t_0` and exact
/// products of two doubles, enclosed as
/// [`IntervalAffine::after_one_bound`] encloses a dot product: the lower
/// ends, the upper ends and bounds `m_j ≥ |t_j|` are summed in
/// round-to-nearest, and the result is widened once, by `(n + 1)·u·M̂`
/// plus `n·2⁻¹⁰⁷⁴` for underflow, instead of rounding every operation
/// outward. Each term added is the rounding of one exact product (the
/// lesser of two rounded products is the rounding of the lesser exact one,
/// as rounding is monotone), so each lower end sums roundings of exact
/// numbers at most the exact term's, and each upper end at least.
///
/// # Why the widening holds (Higham, §2.1 and §3.1)
/// With underflow a rounded product is `x·y·(1 + δ) + η` with `|δ| ≤ u`
/// and `|η| ≤ 2⁻¹⁰⁷⁵`, and a rounded sum is `(a + b)(1 + δ)` (a sum that
/// underflows is exact). Each term meets at most `n` roundings, so the
/// computed `ŝ` has `|ŝ − Σ t_j| ≤ γ_n·Σ|t_j| + (1 + γ_n)·n·η`, and the
/// computed `M̂ ≥ (1 − γ_n)·Σ m_j − (1 + γ_n)·n·η`. Together,
/// `|ŝ − Σ t_j| ≤ γ_n/(1 − γ_n)·M̂ + (1 + γ_n)/(1 − γ_n)·n·η
/// ≤ (n + 1)·u·M̂ + 2n·η`, as in `after_one_bound` for the first part
/// (`n ≤ MAX_DOT_TERMS`) and with `(1 + γ_n)/(1 − γ_n) ≤ 2` for the
/// second. `2η = 2⁻¹⁰⁷⁴` is `UNDERFLOW_PER_TERM`, the least gap between
/// doubles. The widening `E` is computed rounding up at each step, the
/// underflow part without subnormal arithmetic (see
/// [`OneBoundSum::enclosure`]). Every input must be finite (checked by the callers): then no
/// product is NaN, an overflow makes a sum infinite or NaN for good, and a
/// sum that is not finite gives no enclosure (the caller then rounds every
/// operation instead). A sum of `t_0` alone is exact.
#[derive(Clone, Copy)]
struct OneBoundSum {
    lo: f64,
    hi: f64,
    mag: f64,
    terms: usize,
}

impl OneBoundSum {
    /// The sum of the exact `c` (its ends are doubles) alone.
    #[inline]
    fn new(c: Interval) -> Self {
        OneBoundSum {
            lo: c.lo,
            hi: c.hi,
            mag: c.lo.abs().max(c.hi.abs()),
            terms: 1,
        }
    }

    /// Adds a term whose exact value lies between the exact products that
    /// `lo` and `hi` round, with `mag` the rounding of an exact product at
    /// least its magnitude.
    #[inline(always)]
    fn add(&mut self, lo: f64, hi: f64, mag: f64) {
        self.lo += lo;
        self.hi += hi;
        self.mag += mag;
        self.terms += 1;
    }

    /// The enclosure of the exact sum, or `None` where a sum is not finite
    /// (or there are more terms than the bound covers).
    #[inline]
    fn enclosure(self) -> Option<Interval> {
        if self.terms == 1 {
            return Some(Interval {
                lo: self.lo,
                hi: self.hi,
            });
        }
        let e = self.widening()?;
        Some(Interval {
            lo: down(self.lo - e),
            hi: up(self.hi + e),
        })
    }

    /// What the sum shows of the sign of its exact value: `Yes` when it
    /// is shown negative, `No` when shown nonnegative (the question of a
    /// witness's slack), without the outward rounding of the enclosure's
    /// ends. For a real `x` rounded to nearest, `RN(x) < 0` only when
    /// `x < 0` and `RN(x) ≥ 0` only when `x ≥ 0` (rounding is monotone
    /// and `RN(0) = 0`; and `ŝ ± E`, a sum of two doubles, rounds to zero
    /// only when it is zero, as a nonzero one is at least `2⁻¹⁰⁷⁴`), so
    /// `RN(ŝ_hi + E) < 0` shows `Σ t ≤ ŝ_hi + E < 0` and `RN(ŝ_lo − E) ≥
    /// 0` shows `Σ t ≥ 0`, with `E` the widening [`OneBoundSum::enclosure`]
    /// adds. Whatever the enclosure decides this decides alike; it may
    /// also decide where the enclosure's last step up or down left zero
    /// inside. `None` where the enclosure is `None`.
    #[inline]
    fn sign(self) -> Option<Known> {
        let e = match self.terms {
            1 => 0.0,
            _ => self.widening()?,
        };
        Some(Known::of(self.hi + e < 0.0, self.lo - e >= 0.0))
    }

    /// Whether the sum shows its exact value `≥ 0` (`nonnegative`; of the
    /// lower ends' sum) or `≤ 0` (else; of the upper ends'), as
    /// [`OneBoundSum::sign`] reasons; `None` where the enclosure is `None`.
    #[inline]
    fn shows(self, nonnegative: bool) -> Option<bool> {
        let e = match self.terms {
            1 => 0.0,
            _ => self.widening()?,
        };
        Some(match nonnegative {
            true => self.lo - e >= 0.0,
            false => self.hi + e <= 0.0,
        })
    }

    /// The widening `E` of a sum of more than one term, rounded up, or
    /// `None` where a sum is not finite (or there are more terms than the
    /// bound covers).
    #[inline]
    fn widening(self) -> Option<f64> {
        let finite = self.lo.is_finite() && self.hi.is_finite() && self.mag.is_finite();
        if !finite || self.terms > MAX_DOT_TERMS {
            return None;
        }
        let n = self.terms as f64;
        let x = up((n + 1.0) * UNIT_ROUNDOFF * self.mag);
        // `x + n·2⁻¹⁰⁷⁴` is arithmetic on a subnormal, which common
        // processors do in microcode (it took a third of a witness check's
        // time), so neither path below does it in floats. Where
        // `x ≥ 2⁻⁹⁰⁰` its ulp is at least `2⁻⁹⁵²`, more than twice
        // `n·2⁻¹⁰⁷⁴ ≤ 2⁻¹⁰⁵⁰` (`n ≤ MAX_DOT_TERMS = 2²⁴`), so `x + n·2⁻¹⁰⁷⁴`
        // rounds to `x`, and `up(x)` is the widening the sum would give.
        // Below, `x ≥ 0` is stepped `n` doubles up by its bits: each step
        // adds at least `2⁻¹⁰⁷⁴`, the least gap between doubles, so the
        // result is at least `x + n·2⁻¹⁰⁷⁴` (and far below `∞`, as `x` is).
        Some(if x >= SUBNORMAL_FREE {
            up(x)
        } else {
            up(f64::from_bits(x.to_bits() + self.terms as u64))
        })
    }
}

/// Whether both ends are finite.
#[inline(always)]
fn finite(v: &Interval) -> bool {
    v.lo.is_finite() & v.hi.is_finite()
}

/// The term `a·y` of an exact `a` in `[p, q]` over `l ≤ y ≤ h`, rounded:
/// its least value `min(a·l, a·h)` lies between the rounding of the least
/// of the four products of `{p, q}` and `{l, h}` (the first of `low`) and
/// that of `min(max(p·l, q·l), max(p·h, q·h))` (the first of `high`); its
/// greatest value likewise (the seconds); `max(|p|, |q|)·max(|l|, |h|)`
/// (rounded) bounds all four. Each is the rounding of one exact product.
#[inline(always)]
fn ends_over_bounds(a: &Interval, l: f64, h: f64) -> ([(f64, f64); 2], f64) {
    let (pl, ql, ph, qh) = (a.lo * l, a.hi * l, a.lo * h, a.hi * h);
    let (low_l, high_l) = (pl.min(ql), pl.max(ql));
    let (low_h, high_h) = (ph.min(qh), ph.max(qh));
    let mag = a.lo.abs().max(a.hi.abs()) * l.abs().max(h.abs());
    (
        [
            (low_l.min(low_h), low_l.max(low_h)),
            (high_l.min(high_h), high_l.max(high_h)),
        ],
        mag,
    )
}

/// Enclosures of the minimum and the maximum of `a·y + c` over the box
/// `bounds` (whose ends are exact and finite: `lo ≤ hi`): each a sum with
/// one widening ([`OneBoundSum`]) of the terms of [`ends_over_bounds`], or
/// with every operation rounded outward where that fails.
pub fn range_over_box(a: &[Interval], c: Interval, bounds: &[(f64, f64)]) -> (Interval, Interval) {
    match one_bound_sums(a, c, bounds, [false, true]).and_then(enclosures) {
        Some([min, max]) => (min, max),
        None => range_over_box_per_operation(a, c, bounds),
    }
}

/// The enclosure of the maximum (`upper`) or of the minimum of `a·y + c`
/// over the box `bounds`, as [`range_over_box`] finds it, without the
/// other end (a box test asks one).
pub fn end_over_box(a: &[Interval], c: Interval, bounds: &[(f64, f64)], upper: bool) -> Interval {
    match one_bound_sums(a, c, bounds, [upper]).and_then(enclosures) {
        Some([end]) => end,
        None => {
            let (min, max) = range_over_box_per_operation(a, c, bounds);
            if upper {
                max
            } else {
                min
            }
        }
    }
}

/// The enclosures of `sums` ([`OneBoundSum::enclosure`]), if each has one.
fn enclosures<const N: usize>(sums: [OneBoundSum; N]) -> Option<[Interval; N]> {
    let mut ends = [Interval::ZERO; N];
    for (end, sum) in ends.iter_mut().zip(sums) {
        *end = sum.enclosure()?;
    }
    Some(ends)
}

/// The sums of the ends of the range of `a·y + c` over the box `bounds`
/// that `which` asks for (`true` the maximum, `false` the minimum), each
/// with one widening to come ([`enclosures`]); `None` where an input is not
/// finite.
#[inline]
fn one_bound_sums<const N: usize>(
    a: &[Interval],
    c: Interval,
    bounds: &[(f64, f64)],
    which: [bool; N],
) -> Option<[OneBoundSum; N]> {
    let mut sums = [OneBoundSum::new(c); N];
    let mut all_finite = finite(&c);
    for (ai, &(l, h)) in a.iter().zip(bounds) {
        if ai.is_zero() {
            continue;
        }
        all_finite &= finite(ai) & l.is_finite() & h.is_finite();
        let ([low, high], mag) = ends_over_bounds(ai, l, h);
        for (sum, &upper) in sums.iter_mut().zip(&which) {
            if upper {
                sum.add(low.1, high.1, mag);
            } else {
                sum.add(low.0, high.0, mag);
            }
        }
    }
    all_finite.then_some(sums)
}

/// Whether the exact maximum (`upper`) of `a·y + c` over the box `bounds`
/// is shown `≤ 0`, or its minimum `≥ 0`: what a box test asks. It asks
/// the sum of [`end_over_box`] without its last outward rounding
/// ([`OneBoundSum::shows`]), and [`end_over_box`] itself where that sum
/// fails; whatever the enclosure shows, this shows.
pub fn box_end_shows(a: &[Interval], c: Interval, bounds: &[(f64, f64)], upper: bool) -> bool {
    let shown = one_bound_sums(a, c, bounds, [upper]).and_then(|[sum]| sum.shows(!upper));
    shown.unwrap_or_else(|| {
        let end = end_over_box(a, c, bounds, upper);
        match upper {
            true => end.hi <= 0.0,
            false => end.lo >= 0.0,
        }
    })
}

/// `Σ_j λ_j·(a_j, b_j)`, the combination of rows with multipliers
/// `λ_j`, enclosed: each entry a sum with one widening ([`OneBoundSum`];
/// for a positive double `λ` the term `λ·a` lies between the exact products
/// `λ·lo` and `λ·hi`, and `λ·max(|lo|, |hi|)` bounds it) where every `λ_j`
/// is a positive double and every end finite, else with every operation
/// rounded outward.
pub fn combination(terms: &[(Interval, &IntervalHalf)], dim: usize) -> IntervalHalf {
    let positive_doubles = terms.iter().all(|(l, h)| {
        l.is_point() && l.lo > 0.0 && l.lo.is_finite() && finite(&h.b) && h.a.iter().all(finite)
    });
    if positive_doubles {
        let mut a = vec![OneBoundSum::new(Interval::ZERO); dim];
        let mut b = OneBoundSum::new(Interval::ZERO);
        for (l, h) in terms {
            let l = l.lo;
            for (s, v) in a.iter_mut().zip(&h.a) {
                s.add(l * v.lo, l * v.hi, l * v.lo.abs().max(v.hi.abs()));
            }
            b.add(l * h.b.lo, l * h.b.hi, l * h.b.lo.abs().max(h.b.hi.abs()));
        }
        let a: Option<Vec<Interval>> = a.into_iter().map(OneBoundSum::enclosure).collect();
        if let (Some(a), Some(b)) = (a, b.enclosure()) {
            return IntervalHalf { a, b };
        }
    }
    let mut a = vec![Interval::ZERO; dim];
    let mut b = Interval::ZERO;
    for (l, h) in terms {
        for (s, v) in a.iter_mut().zip(&h.a) {
            *s = s.add_product(*l, *v);
        }
        b = b.add_product(*l, h.b);
    }
    IntervalHalf { a, b }
}

/// The most coordinates a [`ShortCombination`] sums (on the stack): more
/// than the free coordinates of the models it serves (ACAS Xu has five);
/// a wider one is summed by [`combination`].
pub const SHORT_COMBINATION_DIM: usize = 8;

/// [`combination`]'s sum with one widening per entry, for positive double
/// multipliers, kept on the stack and filled row by row, then asked for
/// the minimum of `ρ·y − β` over a box at once: what a multiplier proof
/// with the box rule asks, without the vectors `combination` builds for
/// each proof (a multiplier proof is checked in about a microsecond, and
/// the allocations were a good part of it). The same terms, summed in the
/// same order, as `combination` sums them, so the same enclosures; a row
/// this sum does not take (a multiplier that is no positive double, an end
/// that is not finite) makes it give up ([`ShortCombination::min_over_box`]
/// is then `None`) and the caller asks `combination`, which rounds every
/// operation.
#[derive(Clone, Copy)]
pub struct ShortCombination {
    a: [OneBoundSum; SHORT_COMBINATION_DIM],
    b: OneBoundSum,
    dim: usize,
    /// False once a row it cannot take was given.
    taken: bool,
}

impl ShortCombination {
    /// The empty combination on `dim` coordinates, if `dim` fits.
    pub fn new(dim: usize) -> Option<Self> {
        (dim <= SHORT_COMBINATION_DIM).then_some(ShortCombination {
            a: [OneBoundSum::new(Interval::ZERO); SHORT_COMBINATION_DIM],
            b: OneBoundSum::new(Interval::ZERO),
            dim,
            taken: true,
        })
    }

    /// Adds `λ·(a, b)`, or `λ·(−a, −b)` when `negated` (negation is exact,
    /// and rounding to nearest is symmetric, so these are the products of
    /// the negated row, as `combination` forms them), for `λ` a positive
    /// double and `a` of `dim` entries.
    #[inline]
    pub fn add(&mut self, l: f64, a: &[Interval], b: Interval, negated: bool) {
        let ok = l > 0.0 && l.is_finite() && finite(&b) && a.len() == self.dim;
        if !(ok && a.iter().all(finite)) {
            self.taken = false;
            return;
        }
        let term = |v: &Interval| {
            let (lo, hi) = (l * v.lo, l * v.hi);
            let mag = l * v.lo.abs().max(v.hi.abs());
            match negated {
                true => (-hi, -lo, mag),
                false => (lo, hi, mag),
            }
        };
        for (s, v) in self.a.iter_mut().zip(a) {
            let (lo, hi, mag) = term(v);
            s.add(lo, hi, mag);
        }
        let (lo, hi, mag) = term(&b);
        self.b.add(lo, hi, mag);
    }

    /// Adds `λ·(a, b)` for the row `a = sign·e_i` (a unit row, `sign` ±1)
    /// and `b` the double `sign·value`: the bound of a cell's box, as
    /// `bound_row::bound_side` writes it, without building it.
    #[inline]
    pub fn add_unit(&mut self, l: f64, i: usize, sign: f64, value: f64) {
        let b = Interval::point(sign * value);
        if !(l > 0.0 && l.is_finite() && finite(&b) && i < self.dim) {
            self.taken = false;
            return;
        }
        for (j, s) in self.a[..self.dim].iter_mut().enumerate() {
            match j == i {
                true => s.add(l * sign, l * sign, l),
                // `λ·0`: exact zeros, as `combination` sums them.
                false => s.add(0.0, 0.0, 0.0),
            }
        }
        self.b.add(l * b.lo, l * b.hi, l * b.lo.abs());
    }

    /// The enclosure of `min over bounds of ρ·y − β` ([`end_over_box`] of
    /// the combination's enclosure), or `None` where a row was not taken
    /// or a sum is not finite (tests: it is `combination`'s).
    #[cfg(test)]
    fn min_over_box(&self, bounds: &[(f64, f64)]) -> Option<Interval> {
        if !self.taken {
            return None;
        }
        let mut a = [Interval::ZERO; SHORT_COMBINATION_DIM];
        for (e, s) in a.iter_mut().zip(&self.a[..self.dim]) {
            *e = s.enclosure()?;
        }
        let b = self.b.enclosure()?;
        Some(end_over_box(&a[..self.dim], b.neg(), bounds, false))
    }

    /// Whether the exact `min over bounds of ρ·y − β` is shown `≥ 0`
    /// ([`box_end_shows`] of the combination's enclosure): `false` where a
    /// row was not taken, a sum is not finite, or it is not shown.
    pub fn proves_over_box(&self, bounds: &[(f64, f64)]) -> bool {
        if !self.taken {
            return false;
        }
        let mut a = [Interval::ZERO; SHORT_COMBINATION_DIM];
        for (e, s) in a.iter_mut().zip(&self.a[..self.dim]) {
            match s.enclosure() {
                Some(v) => *e = v,
                None => return false,
            }
        }
        let b = self.b.enclosure();
        b.is_some_and(|b| box_end_shows(&a[..self.dim], b.neg(), bounds, false))
    }
}

/// [`range_over_box`] with every operation rounded outward.
fn range_over_box_per_operation(
    a: &[Interval],
    c: Interval,
    bounds: &[(f64, f64)],
) -> (Interval, Interval) {
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
    /// The half-space `a·y < b` of exact floats (tests).
    #[cfg(test)]
    pub(crate) fn of_points(a: &[f64], b: f64) -> Self {
        IntervalHalf {
            a: a.iter().map(|&v| Interval::point(v)).collect(),
            b: Interval::point(b),
        }
    }

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
    /// strictly, as [`IntervalHalf::holds_at`] asks it, without the last
    /// outward rounding of the slack's enclosure
    /// ([`OneBoundSum::sign`]): it decides whatever `holds_at` decides,
    /// alike, and may decide a little more; `Unknown` is left to exact
    /// numbers.
    pub fn sign_at(&self, y: &[f64]) -> Known {
        match self.slack_sum(y).and_then(OneBoundSum::sign) {
            Some(known) => known,
            None => self.holds_at(y),
        }
    }

    /// The sum of [`IntervalHalf::slack_at`] before its widening; `None`
    /// where an input is not finite.
    #[inline]
    fn slack_sum(&self, y: &[f64]) -> Option<OneBoundSum> {
        let mut sum = OneBoundSum::new(self.b.neg());
        let mut all_finite = finite(&self.b);
        for (a, &v) in self.a.iter().zip(y) {
            all_finite &= finite(a) & v.is_finite();
            let (p, q) = (a.lo * v, a.hi * v);
            sum.add(p.min(q), p.max(q), a.lo.abs().max(a.hi.abs()) * v.abs());
        }
        all_finite.then_some(sum)
    }

    /// Whether the exact point `y` (exact doubles) satisfies the exact row
    /// strictly.
    pub fn holds_at(&self, y: &[f64]) -> Known {
        let s = self.slack_at(y);
        Known::of(s.hi < 0.0, s.lo >= 0.0)
    }

    /// An enclosure of `a·y − b` at the exact point `y` (finite doubles):
    /// one sum with one widening ([`OneBoundSum`]; the term `a_i·y_i` lies
    /// between the products of `y_i` with `a_i`'s ends, and
    /// `max(|lo|, |hi|)·|y_i|` bounds it), or every operation rounded
    /// outward where that fails.
    fn slack_at(&self, y: &[f64]) -> Interval {
        match self.slack_sum(y).and_then(OneBoundSum::enclosure) {
            Some(s) => s,
            None => {
                let mut s = self.b.neg();
                for (a, &v) in self.a.iter().zip(y) {
                    s = s.add(a.scale(v));
                }
                s
            }
        }
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
    /// When every weight is one finite double (a network's layer): the
    /// smallest nonzero weight in absolute value (`∞` if all are zero),
    /// which [`IntervalAffine::after`] needs to rule out underflow.
    point_weights: Option<f64>,
    /// With point weights, the weights by column (`columns[j·stride + i]`
    /// is row `i`'s weight `j`, with `stride` the rows rounded up to a
    /// multiple of [`ROW_BLOCK`] and zeros below the last row), as
    /// [`IntervalAffine::after`] reads them; empty otherwise.
    columns: Vec<f64>,
}

impl IntervalAffine {
    /// An enclosure of an exact map (exact where its entries are doubles).
    pub fn of_exact(m: &crate::exact::affine::ExactAffine) -> Self {
        let weight: Vec<Interval> = (0..m.rows())
            .flat_map(|i| m.row(i).iter().map(Interval::of_dyadic))
            .collect();
        let bias = (0..m.rows())
            .map(|i| Interval::of_dyadic(m.bias(i)))
            .collect();
        IntervalAffine::with_columns(m.rows(), m.cols(), weight, bias)
    }

    /// The map with its point weights and columns found.
    fn with_columns(rows: usize, cols: usize, weight: Vec<Interval>, bias: Vec<Interval>) -> Self {
        let point_weights = point_weights(&weight);
        let stride = padded_rows(rows);
        let columns = match point_weights {
            Some(_) => (0..cols * stride)
                .map(|at| match at % stride {
                    i if i < rows => weight[i * cols + at / stride].lo,
                    _ => 0.0,
                })
                .collect(),
            None => Vec::new(),
        };
        IntervalAffine {
            rows,
            cols,
            weight,
            bias,
            point_weights,
            columns,
        }
    }

    /// Takes the entries of `other`, a map of the same shape without point
    /// weights, into its own buffers.
    fn clone_entries_of(&mut self, other: &IntervalAffine) {
        self.weight.clone_from(&other.weight);
        self.bias.clone_from(&other.bias);
        self.point_weights = other.point_weights;
        self.columns.clone_from(&other.columns);
    }

    /// The identity of `R^n`.
    pub fn identity(n: usize) -> Self {
        let mut weight = vec![Interval::ZERO; n * n];
        for i in 0..n {
            weight[i * n + i] = Interval::point(1.0);
        }
        IntervalAffine::with_columns(n, n, weight, vec![Interval::ZERO; n])
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

    /// `self ∘ inner`, an enclosure of the exact composition. Inner rows
    /// that are exactly zero (the units an activation zeroed, about half of
    /// them) are skipped whole. When `self`'s weights are doubles (a
    /// network's layer) each entry is one dot product rounded to nearest
    /// and widened once by a bound on its rounding
    /// ([`IntervalAffine::after_one_bound`]); where that bound's conditions
    /// fail (a product that could underflow, a sum that overflows, a NaN),
    /// every operation is rounded outward instead.
    pub fn after(&self, inner: &IntervalAffine) -> IntervalAffine {
        assert_eq!(self.cols, inner.rows, "composition shapes");
        self.after_one_bound(inner)
            .unwrap_or_else(|| self.after_per_operation(inner))
    }

    /// The rows of `inner` that are not exactly zero.
    fn live_rows(inner: &IntervalAffine) -> Vec<usize> {
        let k = inner.cols;
        (0..inner.rows)
            .filter(|&j| {
                !(inner.bias[j].is_zero()
                    && inner.weight[j * k..(j + 1) * k]
                        .iter()
                        .all(Interval::is_zero))
            })
            .collect()
    }

    /// `self ∘ inner` with one rounding bound per entry, or `None` where its
    /// conditions fail. Each entry (the bias as one more column) is
    /// `Σ_j t_j`: `t_0` an end of `self`'s bias (zero for a weight column)
    /// and `t_j = w_j·x_j` for the double `w_j = self[i][j]` and the end of
    /// `inner[j]`'s interval that makes the product least (for the lower
    /// end; greatest for the upper): the exact ends of the exact range.
    ///
    /// # Why the bound holds (Higham, *Accuracy and Stability of Numerical
    /// Algorithms*, §3.1)
    /// Write `u = 2⁻⁵³` and `γ_n = n·u/(1 − n·u)`. If no product underflows
    /// and nothing overflows, every operation returns `t(1 + δ)` with
    /// `|δ| ≤ u` (a sum whose result is subnormal is exact). Summing `t_0`
    /// and then the rounded products one by one, each term meets at most
    /// `n` roundings (`n` = the number of terms: one product, then at most
    /// `n − 1` sums), so the computed `ŝ` has `|ŝ − Σ t_j| ≤ γ_n·Σ|t_j|`.
    /// With `m_j ≥ |t_j|` (`|w_j|` times the larger end of `|x_j|`) summed
    /// the same way into `M̂`, each term again meets at most `n` roundings,
    /// all of them of nonnegative numbers, so `M̂ ≥ (1 − γ_n)·Σ m_j`, and
    /// `|ŝ − Σ t_j| ≤ γ_n/(1 − γ_n)·M̂ = n·u/(1 − 2n·u)·M̂ ≤ (n + 1)·u·M̂`,
    /// the last step for `2n(n + 1)·u ≤ 1`, true for `n ≤ 2²⁴`
    /// ([`MAX_DOT_TERMS`]). The widening `E = next_up(RN((n + 1)·u·M̂))`
    /// is at least that, and the ends `next_down(RN(ŝ_lo − E))` and
    /// `next_up(RN(ŝ_hi + E))` are rounded outward as in every other
    /// operation here.
    ///
    /// *No underflow:* every nonzero product is at least the smallest
    /// nonzero weight times the smallest nonzero end of `inner`; when that
    /// is a normal double (checked in floats, with a margin of 4) no
    /// product is subnormal. *No overflow, no NaN:* every end of `inner`
    /// must be finite. The lower end's term `j` is the lesser of the two
    /// rounded products `w_j·lo_j` and `w_j·hi_j`, which is the rounding of
    /// the lesser exact one (rounding is monotone); likewise the upper
    /// end's. An operation that overflows gives `±∞`, and a sum with `∞`
    /// never turns finite again (at worst NaN), so a finite `ŝ_lo`, `ŝ_hi`
    /// and `M̂` show that every term and sum they are made of was finite.
    /// Otherwise `None`: the caller rounds every operation instead.
    ///
    /// *Exact zeros:* when every term is an exact zero, every operation is
    /// exact and `M̂ = 0`; conversely, without underflow `M̂ = 0` only when
    /// every `m_j` is zero, so every term is. Such an entry is `[0, 0]`;
    /// every other entry has `E > 0` and is never `[0, 0]`.
    fn after_one_bound(&self, inner: &IntervalAffine) -> Option<IntervalAffine> {
        self.after_widened(inner, |n| (n + 1) as f64 * UNIT_ROUNDOFF, None)
    }

    /// [`IntervalAffine::after_one_bound`] with the widening factor of `n`
    /// terms given (tests check that a smaller one would not do).
    fn after_widened(
        &self,
        inner: &IntervalAffine,
        widening: impl Fn(usize) -> f64,
        mut sink: Option<&mut RawSums>,
    ) -> Option<IntervalAffine> {
        let min_weight = self.point_weights?;
        let k = inner.cols;
        let kk = k + 1;
        let live = Self::live_rows(inner);
        let n = live.len() + 1;
        if n > MAX_DOT_TERMS {
            return None;
        }
        // The live rows of `inner`, bias last: lower ends, upper ends and
        // the larger magnitude of the two.
        let mut lo = Vec::with_capacity(live.len() * kk);
        let mut hi = Vec::with_capacity(live.len() * kk);
        let mut mag = Vec::with_capacity(live.len() * kk);
        let mut min_end = f64::INFINITY;
        for &j in &live {
            let row = inner.weight[j * k..(j + 1) * k].iter();
            for x in row.chain(std::iter::once(&inner.bias[j])) {
                if !(x.lo.is_finite() && x.hi.is_finite()) {
                    return None;
                }
                let (a, b) = (x.lo.abs(), x.hi.abs());
                lo.push(x.lo);
                hi.push(x.hi);
                mag.push(if a > b { a } else { b });
                for e in [a, b] {
                    if e != 0.0 && e < min_end {
                        min_end = e;
                    }
                }
            }
        }
        // Both factors are positive (or ∞ when there is no nonzero one), so
        // the product is no NaN.
        if min_weight * min_end < NORMAL_PRODUCT {
            return None;
        }
        // (n + 1)·2⁻⁵³ is a double: n is far below 2⁵³.
        let factor = widening(n);
        // The sums of entry `(i, c)` of the result (column `c`, the bias
        // last): each starts at the row's bias end (zero for a weight
        // column), and takes the live rows' terms in order. Rows are
        // summed `ROW_BLOCK` at a time with their sums held in registers
        // over all the live rows (a loop over the block that the compiler
        // vectorises), so each sum sees the same operations in the same
        // order as one dot product would. A zero weight adds an exact zero.
        let rows = self.rows;
        let stride = padded_rows(rows);
        let mut weight = vec![Interval::ZERO; rows * k];
        let mut bias = vec![Interval::ZERO; rows];
        let mut all_finite = true;
        if let Some(sums) = sink.as_deref_mut() {
            sums.reset(rows * kk, n);
        }
        for c in 0..kk {
            for i0 in (0..rows).step_by(ROW_BLOCK) {
                // The rows of the block that exist (the padding's sums, of
                // zero weights, are dropped).
                let block = ROW_BLOCK.min(rows - i0);
                let mut s_lo = [0.0; ROW_BLOCK];
                let mut s_hi = [0.0; ROW_BLOCK];
                let mut s_mag = [0.0; ROW_BLOCK];
                if c == k {
                    for (r, b) in self.bias[i0..i0 + block].iter().enumerate() {
                        s_lo[r] = b.lo;
                        s_hi[r] = b.hi;
                        s_mag[r] = b.lo.abs().max(b.hi.abs());
                    }
                }
                for (t, &j) in live.iter().enumerate() {
                    let at = t * kk + c;
                    let (l, h, m) = (lo[at], hi[at], mag[at]);
                    let w: &[f64; ROW_BLOCK] = self.columns[j * stride + i0..][..ROW_BLOCK]
                        .try_into()
                        .expect("a padded block");
                    let lanes = s_lo.iter_mut().zip(&mut s_hi).zip(&mut s_mag);
                    for (((sl, sh), sm), wi) in lanes.zip(w) {
                        // The lesser of the two rounded products is the
                        // rounding of the lesser exact one (rounding is
                        // monotone), with no branch on the weight's sign.
                        // Weights and ends are finite, so a product is
                        // finite or infinite, never NaN, and a plain
                        // comparison picks it.
                        let (p, q) = (wi * l, wi * h);
                        *sl += if p < q { p } else { q };
                        *sh += if p < q { q } else { p };
                        *sm += wi.abs() * m;
                    }
                }
                if let Some(sums) = sink.as_deref_mut() {
                    let at = c * rows + i0;
                    sums.lo[at..at + block].copy_from_slice(&s_lo[..block]);
                    sums.hi[at..at + block].copy_from_slice(&s_hi[..block]);
                    sums.mag[at..at + block].copy_from_slice(&s_mag[..block]);
                }
                for r in 0..block {
                    // Every sum finite (checked at once, without a branch
                    // per entry).
                    all_finite &= s_lo[r].is_finite() & s_hi[r].is_finite() & s_mag[r].is_finite();
                    let entry = widen_finite(s_lo[r], s_hi[r], s_mag[r], factor);
                    match c == k {
                        true => bias[i0 + r] = entry,
                        false => weight[(i0 + r) * k + c] = entry,
                    }
                }
            }
        }
        if !all_finite {
            return None;
        }
        Some(IntervalAffine {
            rows: self.rows,
            cols: k,
            weight,
            bias,
            point_weights: None,
            columns: Vec::new(),
        })
    }

    /// `self ∘ inner` with every operation rounded outward: the reference,
    /// and the path where [`IntervalAffine::after_one_bound`] cannot vouch
    /// for its bound.
    fn after_per_operation(&self, inner: &IntervalAffine) -> IntervalAffine {
        let k = inner.cols;
        let live = Self::live_rows(inner);
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
            point_weights: None,
            columns: Vec::new(),
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
            if alpha != 0.0 {
                // A scaled weight may no longer be one double.
                self.point_weights = None;
                self.columns = Vec::new();
            }
            for v in &mut self.weight[i * self.cols..(i + 1) * self.cols] {
                *v = v.scale(alpha);
            }
            self.bias[i] = self.bias[i].scale(alpha);
            // A zeroed row's weights are zero by column too.
            let stride = padded_rows(self.rows);
            for j in (0..self.columns.len()).step_by(stride.max(1)) {
                self.columns[j + i] = 0.0;
            }
        }
    }
}

/// The sums of a composition before their widening
/// ([`IntervalAffine::after_one_bound`]): entry `(i, c)` at `c·rows + i`,
/// and the number of terms each sum took (the bias end counted).
#[derive(Debug, Default)]
struct RawSums {
    lo: Vec<f64>,
    hi: Vec<f64>,
    mag: Vec<f64>,
    terms: usize,
}

impl RawSums {
    fn reset(&mut self, len: usize, terms: usize) {
        for v in [&mut self.lo, &mut self.hi, &mut self.mag] {
            v.clear();
            v.resize(len, 0.0);
        }
        self.terms = terms;
    }
}

/// Compositions `outer ∘ inner` with one `outer` (a network's layer) and
/// inner maps that often differ from the last one in a few rows: the
/// cells a split makes differ only in the units that its cuts switch, and
/// a depth-first tree visits them one after the other (on ACAS Xu N1,1
/// over property 4, three in four splits follow a sibling, whose map
/// differs in 1.6 rows on average). The last composition's sums are kept
/// before their widening; for a map that differs in a few rows, each such
/// row's old terms are subtracted and its new terms added to them.
///
/// # Why the update is an enclosure
/// A sum updated so is a sum in round-to-nearest of a longer sequence of
/// terms: the first composition's, then for each row changed the negated
/// terms of its old entries (the same doubles as were added: the products
/// are rounded the same way from the same numbers, and negation is exact)
/// and the terms of its new ones. As real numbers, a term and its
/// negation cancel exactly, so the exact sum of the sequence is the sum of
/// the new map's terms: the lower ends' sequence sums to the same number
/// as a fresh composition's lower ends, and so on. Higham's bound of
/// [`IntervalAffine::after_one_bound`] holds for any sequence of `n`
/// terms summed one by one, each meeting at most `n` roundings, with `M̂`
/// the sum of bounds on every term of the sequence (removed ones counted
/// again, as positive numbers): so the widening `(n + 1)·u·M̂` with `n`
/// the sequence's length covers the rounding. Its conditions are checked
/// for every term added (ends finite, no product that could underflow);
/// where one fails, or the sums are not finite, or the sequence grows past
/// twice a fresh composition's (the widening grows with it), the
/// composition is made afresh.
#[derive(Debug, Default)]
pub struct CompositionCache {
    /// The inner map of the last composition, and its sums.
    last: Option<(IntervalAffine, RawSums)>,
    /// Whether the last composition was an update (tests).
    updated: bool,
}

impl CompositionCache {
    /// `outer ∘ inner`, an enclosure of the exact composition, as
    /// [`IntervalAffine::after`] gives it or updated from the last one
    /// (whose `outer` must be this one: keep a cache per layer).
    pub fn after(&mut self, outer: &IntervalAffine, inner: &IntervalAffine) -> IntervalAffine {
        self.updated = false;
        if let Some((old, sums)) = self.last.as_mut() {
            if let Some(z) = Self::update(outer, old, sums, inner) {
                old.clone_entries_of(inner);
                self.updated = true;
                return z;
            }
        }
        let mut sums = self.last.take().map(|(_, s)| s).unwrap_or_default();
        let fresh = outer.after_widened(inner, |n| (n + 1) as f64 * UNIT_ROUNDOFF, Some(&mut sums));
        match fresh {
            Some(z) => {
                self.last = Some((inner.clone(), sums));
                z
            }
            None => outer.after(inner),
        }
    }

    /// The composition with `inner` updated from the sums of `old`'s, or
    /// `None` where it should be made afresh (the sums may then be
    /// changed, and are dropped by the caller's fresh composition).
    fn update(
        outer: &IntervalAffine,
        old: &IntervalAffine,
        sums: &mut RawSums,
        inner: &IntervalAffine,
    ) -> Option<IntervalAffine> {
        let min_weight = outer.point_weights?;
        let (rows, k) = (outer.rows, inner.cols);
        if old.rows != inner.rows || old.cols != k || outer.cols != inner.rows {
            return None;
        }
        // Row `j` of a map, its bias last.
        fn row(m: &IntervalAffine, j: usize) -> impl Iterator<Item = &Interval> {
            let k = m.cols;
            let bias = std::iter::once(&m.bias[j]);
            m.weight[j * k..(j + 1) * k].iter().chain(bias)
        }
        let same = |a: &Interval, b: &Interval| {
            a.lo.to_bits() == b.lo.to_bits() && a.hi.to_bits() == b.hi.to_bits()
        };
        let differs = |j: usize| {
            let w = (j * k..(j + 1) * k).any(|at| !same(&old.weight[at], &inner.weight[at]));
            w || !same(&old.bias[j], &inner.bias[j])
        };
        let changed: Vec<usize> = (0..inner.rows).filter(|&j| differs(j)).collect();
        let live = |m: &IntervalAffine, j: usize| row(m, j).any(|x| !x.is_zero());
        let live_rows = (0..inner.rows).filter(|&j| live(inner, j)).count();
        let removed: Vec<usize> = changed.iter().copied().filter(|&j| live(old, j)).collect();
        let added: Vec<usize> = changed
            .iter()
            .copied()
            .filter(|&j| live(inner, j))
            .collect();
        let terms = sums.terms + removed.len() + added.len();
        // A fresh composition sums `live_rows + 1` terms; past twice that
        // (and at least a few), start afresh.
        if terms > 2 * (live_rows + 1) + 4 || terms > MAX_DOT_TERMS {
            return None;
        }
        // The conditions of the bound for every new term, before any sum
        // changes: finite ends, and no product that could underflow.
        for &j in &added {
            for x in row(inner, j) {
                if !(x.lo.is_finite() && x.hi.is_finite()) {
                    return None;
                }
                for e in [x.lo.abs(), x.hi.abs()] {
                    if e != 0.0 && min_weight * e < NORMAL_PRODUCT {
                        return None;
                    }
                }
            }
        }
        let stride = padded_rows(rows);
        let mut apply = |m: &IntervalAffine, j: usize, add: bool| {
            let w = &outer.columns[j * stride..j * stride + rows];
            for (c, x) in row(m, j).enumerate() {
                let (l, h) = (x.lo, x.hi);
                let m = l.abs().max(h.abs());
                let at = c * rows..(c + 1) * rows;
                let lanes = sums.lo[at.clone()]
                    .iter_mut()
                    .zip(&mut sums.hi[at.clone()])
                    .zip(&mut sums.mag[at]);
                for (((sl, sh), sm), wi) in lanes.zip(w) {
                    // The same rounded products as the composition adds
                    // (see `after_widened`), negated to remove them.
                    let (p, q) = (wi * l, wi * h);
                    let (low, high) = if p < q { (p, q) } else { (q, p) };
                    if add {
                        *sl += low;
                        *sh += high;
                    } else {
                        *sl -= low;
                        *sh -= high;
                    }
                    *sm += wi.abs() * m;
                }
            }
        };
        for &j in &removed {
            apply(old, j, false);
        }
        for &j in &added {
            apply(inner, j, true);
        }
        sums.terms = terms;
        let finite = |v: &[f64]| v.iter().fold(true, |ok, x| ok & x.is_finite());
        if !(finite(&sums.lo) && finite(&sums.hi) && finite(&sums.mag)) {
            return None;
        }
        let factor = (terms + 1) as f64 * UNIT_ROUNDOFF;
        let entry = |c: usize, i: usize| {
            let at = c * rows + i;
            widen_finite(sums.lo[at], sums.hi[at], sums.mag[at], factor)
        };
        let mut weight = Vec::with_capacity(rows * k);
        let mut bias = Vec::with_capacity(rows);
        for i in 0..rows {
            weight.extend((0..k).map(|c| entry(c, i)));
            bias.push(entry(k, i));
        }
        Some(IntervalAffine {
            rows,
            cols: k,
            weight,
            bias,
            point_weights: None,
            columns: Vec::new(),
        })
    }

    /// Whether the last composition was updated from the one before
    /// (tests).
    #[cfg(test)]
    fn was_updated(&self) -> bool {
        self.updated
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

    /// A random exact number at one of several scales (normal, large,
    /// and small enough that products underflow), often not a double:
    /// a double plus a part of 2⁻⁶⁰ of it.
    fn random_exact(rng: &mut rand_chacha::ChaCha8Rng) -> Dyadic {
        use rand::Rng;
        let scale = [0, 0, 3, -20, 300, -540, -1030][rng.gen_range(0..7)];
        let x = rng.gen_range(-1.0..1.0) * 2f64.powi(scale);
        let d = Dyadic::from_f64(x);
        match rng.gen_range(0..3) {
            0 => Dyadic::zero(),
            1 => d,
            _ => &d + &Dyadic::from_parts(BigInt::from(x.signum() as i64), scale as i64 - 60),
        }
    }

    #[test]
    fn one_bound_ranges_and_slacks_enclose_the_exact_ones() {
        // The exact numbers (`exact/half_space.rs`) are the reference, on
        // random rows at scales where products overflow nothing but may
        // underflow.
        use crate::exact::half_space::range_over_box as exact_range;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        for _ in 0..3000 {
            let dim = rng.gen_range(1..7);
            let a: Vec<Dyadic> = (0..dim).map(|_| random_exact(&mut rng)).collect();
            let c = random_exact(&mut rng);
            let bounds: Vec<(f64, f64)> = (0..dim)
                .map(|_| {
                    let (x, y) = (
                        random_exact(&mut rng).to_f64(),
                        random_exact(&mut rng).to_f64(),
                    );
                    (x.min(y), x.max(y))
                })
                .collect();
            let ai: Vec<Interval> = a.iter().map(Interval::of_dyadic).collect();
            let ci = Interval::of_dyadic(&c);
            let (min, max) = range_over_box(&ai, ci, &bounds);
            let exact_bounds: Vec<(Dyadic, Dyadic)> = bounds
                .iter()
                .map(|&(l, h)| (Dyadic::from_f64(l), Dyadic::from_f64(h)))
                .collect();
            let (lo, hi) = exact_range(&a, &c, &exact_bounds);
            assert!(holds(min, &lo) && holds(max, &hi), "{a:?} {c:?} {bounds:?}");
            assert_eq!(end_over_box(&ai, ci, &bounds, false), min);
            assert_eq!(end_over_box(&ai, ci, &bounds, true), max);
            // The slack of `a·y < c` at a corner of the box.
            let y: Vec<f64> = bounds.iter().map(|b| b.0).collect();
            let half = IntervalHalf { a: ai, b: ci };
            let yd: Vec<Dyadic> = y.iter().map(|&v| Dyadic::from_f64(v)).collect();
            let slack = &crate::exact::dyadic::dot(&a, &yd) - &c;
            assert!(holds(half.slack_at(&y), &slack), "{a:?} {c:?} {y:?}");
        }
    }

    /// Signs decided without the enclosure's last outward rounding
    /// (`sign_at`, `box_end_shows`) are the exact signs (`exact/`'s exact
    /// numbers are the reference), on random rows, on rows shifted so that
    /// the exact slack or the exact end of the range is zero (the edge
    /// where the two roundings differ), and at scales where products
    /// underflow; and they decide whatever the enclosures decide.
    #[test]
    fn signs_decided_without_the_last_rounding_are_the_exact_signs() {
        use crate::exact::half_space::range_over_box as exact_range;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(47);
        let (mut decided, mut ends_shown) = (0, 0);
        for _ in 0..4000 {
            let dim = rng.gen_range(1..7);
            let a: Vec<Dyadic> = (0..dim).map(|_| random_exact(&mut rng)).collect();
            let bounds: Vec<(f64, f64)> = (0..dim)
                .map(|_| {
                    let (x, y) = (rng.gen_range(-2.0..2.0), rng.gen_range(-2.0..2.0));
                    (f64::min(x, y), f64::max(x, y))
                })
                .collect();
            let exact_bounds: Vec<(Dyadic, Dyadic)> = bounds
                .iter()
                .map(|&(l, h)| (Dyadic::from_f64(l), Dyadic::from_f64(h)))
                .collect();
            let y: Vec<f64> = bounds.iter().map(|b| rng.gen_range(b.0..=b.1)).collect();
            let yd: Vec<Dyadic> = y.iter().map(|&v| Dyadic::from_f64(v)).collect();
            let ai: Vec<Interval> = a.iter().map(Interval::of_dyadic).collect();
            let dot = crate::exact::dyadic::dot(&a, &yd);
            let (lo0, hi0) = exact_range(&a, &Dyadic::zero(), &exact_bounds);
            // The offset: random, or the one that puts the point, the
            // minimum or the maximum exactly on zero.
            let c = match rng.gen_range(0..4) {
                0 => random_exact(&mut rng),
                1 => dot.clone(),
                2 => -&lo0,
                _ => -&hi0,
            };
            let ci = Interval::of_dyadic(&c);
            // The slack of `a·y < c` at `y`.
            let half = IntervalHalf {
                a: ai.clone(),
                b: ci,
            };
            let slack = &dot - &c;
            match half.sign_at(&y) {
                Known::Yes => assert!(slack.signum() < 0, "{a:?} {c:?} {y:?}"),
                Known::No => assert!(slack.signum() >= 0, "{a:?} {c:?} {y:?}"),
                Known::Unknown => {}
            }
            let known = half.holds_at(&y);
            if known != Known::Unknown {
                assert_eq!(half.sign_at(&y), known);
                decided += 1;
            }
            // The range of `a·y + c` over the box.
            let (lo, hi) = exact_range(&a, &c, &exact_bounds);
            for upper in [false, true] {
                let shown = box_end_shows(&ai, ci, &bounds, upper);
                let end = end_over_box(&ai, ci, &bounds, upper);
                let by_enclosure = if upper { end.hi <= 0.0 } else { end.lo >= 0.0 };
                assert!(shown || !by_enclosure, "{a:?} {c:?} {bounds:?}");
                if shown {
                    ends_shown += 1;
                    match upper {
                        true => assert!(hi.signum() <= 0, "{a:?} {c:?} {bounds:?}"),
                        false => assert!(lo.signum() >= 0, "{a:?} {c:?} {bounds:?}"),
                    }
                }
            }
        }
        assert!(
            decided > 1000 && ends_shown > 1000,
            "{decided} {ends_shown}"
        );
    }

    /// The stack sum gives the bits of `combination` followed by
    /// `end_over_box` (the general path, whose enclosure the test above
    /// checks against exact sums) on random rows, negated rows, unit rows
    /// built by `bound_side`, and multipliers that it must refuse (not
    /// positive doubles), where it gives `None`.
    #[test]
    fn the_stack_combination_is_the_general_one() {
        use crate::exact::bound_row::bound_side;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(29);
        let (mut compared, mut refused) = (0, 0);
        for _ in 0..3000 {
            let dim = rng.gen_range(1..=SHORT_COMBINATION_DIM);
            let bounds: Vec<(f64, f64)> = (0..dim)
                .map(|_| {
                    let l = rng.gen_range(-2.0..1.0);
                    (l, l + rng.gen_range(0.0..2.0))
                })
                .collect();
            let mut rows: Vec<(f64, IntervalHalf)> = Vec::new();
            let mut short = ShortCombination::new(dim).unwrap();
            for _ in 0..rng.gen_range(1..7) {
                let l = match rng.gen_range(0..12) {
                    0 => 0.0,
                    1 => -3.0,
                    2 => f64::INFINITY,
                    3 => rng.gen_range(1e-3..1.0),
                    _ => rng.gen_range(1u64..1 << 32) as f64,
                };
                match rng.gen_range(0..3) {
                    0 => {
                        let (i, upper) = (rng.gen_range(0..dim), rng.gen_bool(0.5));
                        let value = rng.gen_range(-1.0..1.0);
                        short.add_unit(l, i, if upper { -1.0 } else { 1.0 }, value);
                        rows.push((l, bound_side(dim, i, upper, value)));
                    }
                    kind => {
                        let a: Vec<Interval> = (0..dim)
                            .map(|_| Interval::of_dyadic(&random_exact(&mut rng)))
                            .collect();
                        let c = Interval::of_dyadic(&random_exact(&mut rng));
                        // `negated` adds the side `on` of `a·y + c`.
                        let negated = kind == 2;
                        short.add(l, &a, c.neg(), negated);
                        rows.push((l, IntervalHalf::side(&a, c, negated)));
                    }
                }
            }
            let terms: Vec<(Interval, &IntervalHalf)> =
                rows.iter().map(|(l, h)| (Interval::point(*l), h)).collect();
            let takes = rows.iter().all(|(l, _)| *l > 0.0 && l.is_finite());
            match short.min_over_box(&bounds) {
                Some(min) => {
                    assert!(takes, "took a multiplier that is no positive double");
                    let sum = combination(&terms, dim);
                    let general = end_over_box(&sum.a, sum.b.neg(), &bounds, false);
                    assert_eq!(
                        (min.lo.to_bits(), min.hi.to_bits()),
                        (general.lo.to_bits(), general.hi.to_bits())
                    );
                    compared += 1;
                }
                None => refused += 1,
            }
        }
        // Both branches ran (each case above is drawn often).
        assert!(compared > 1000 && refused > 300, "{compared} {refused}");
    }

    #[test]
    fn combinations_of_rows_enclose_the_exact_ones() {
        // Exact sums of the exact rows times the multipliers are the
        // reference; multipliers as the rounded ones are (integers), with
        // a few fractions and one beyond 2⁵³ (not a double's integer).
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(23);
        for _ in 0..2000 {
            let dim = rng.gen_range(1..6);
            let rows: Vec<(Vec<Dyadic>, Dyadic)> = (0..rng.gen_range(1..7))
                .map(|_| {
                    let a = (0..dim).map(|_| random_exact(&mut rng)).collect();
                    (a, random_exact(&mut rng))
                })
                .collect();
            let lambdas: Vec<Dyadic> = rows
                .iter()
                .map(|_| match rng.gen_range(0..8) {
                    0 => Dyadic::from_f64(rng.gen_range(1e-3..1.0)),
                    1 => Dyadic::from_int(BigInt::from(u64::MAX)),
                    _ => Dyadic::from_int(BigInt::from(rng.gen_range(1u64..1 << 32))),
                })
                .collect();
            let halves: Vec<IntervalHalf> = rows
                .iter()
                .map(|(a, b)| IntervalHalf {
                    a: a.iter().map(Interval::of_dyadic).collect(),
                    b: Interval::of_dyadic(b),
                })
                .collect();
            let terms: Vec<(Interval, &IntervalHalf)> = lambdas
                .iter()
                .map(Interval::of_dyadic)
                .zip(&halves)
                .collect();
            let sum = combination(&terms, dim);
            let mut b = Dyadic::zero();
            for ((_, rb), l) in rows.iter().zip(&lambdas) {
                b = &b + &(rb * l);
            }
            assert!(holds(sum.b, &b));
            for i in 0..dim {
                let mut a = Dyadic::zero();
                for ((ra, _), l) in rows.iter().zip(&lambdas) {
                    a = &a + &(&ra[i] * l);
                }
                assert!(holds(sum.a[i], &a));
            }
        }
    }

    #[test]
    fn products_that_underflow_are_paid_for() {
        // 64 products 2⁻⁵³⁸·2⁻⁵³⁸ = 2⁻¹⁰⁷⁶ each round to zero; their
        // exact sum is 2⁻¹⁰⁷⁰, 16 times the least double (by hand): more
        // than the outward rounding of the widening alone pays for.
        let tiny = 2f64.powi(-538);
        let half = IntervalHalf {
            a: vec![Interval::point(tiny); 64],
            b: Interval::ZERO,
        };
        let s = half.slack_at(&[tiny; 64]);
        assert!(s.lo <= 0.0 && s.hi >= 2f64.powi(-1070), "{s:?}");
        assert_eq!(half.holds_at(&[tiny; 64]), Known::Unknown);
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

    /// Random exact maps whose entries spread over `binades` binades either
    /// side of 1, with about a quarter of them exact zeros and some pairs
    /// that cancel exactly, and the same in intervals.
    fn random_layer(
        rng: &mut rand_chacha::ChaCha8Rng,
        rows: usize,
        cols: usize,
        binades: i32,
    ) -> ExactAffine {
        use rand::Rng;
        let mut v = || {
            if rng.gen_bool(0.25) {
                return Dyadic::zero();
            }
            let x: f64 = rng.gen_range(-1.0..1.0);
            Dyadic::from_f64(x * 2f64.powi(rng.gen_range(-binades..=binades)))
        };
        let mut w: Vec<Dyadic> = (0..rows * cols).map(|_| v()).collect();
        let b = (0..rows).map(|_| v()).collect();
        // Row 1 repeats row 0 negated in its first half: sums that cancel.
        if rows > 1 {
            for c in 0..cols / 2 {
                w[cols + c] = -&w[c];
            }
        }
        ExactAffine::new(rows, cols, w, b)
    }

    /// The width of [`misses`]'s layers: not a multiple of [`ROW_BLOCK`],
    /// so the composition's last block of rows is padded.
    const WIDTH: usize = 13;

    /// Composes `depth` random layers exactly and in intervals through
    /// `compose`, with half the units switched off after each, and returns
    /// how many entries the exact map had outside their intervals.
    fn misses(
        seed: u64,
        binades: i32,
        dim: usize,
        compose: impl Fn(&IntervalAffine, &IntervalAffine) -> IntervalAffine,
    ) -> usize {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let (mut exact, mut iv) = (ExactAffine::identity(dim), IntervalAffine::identity(dim));
        let mut missed = 0;
        for layer in 0..5 {
            let w = random_layer(
                &mut rng,
                WIDTH,
                if layer == 0 { dim } else { WIDTH },
                binades,
            );
            exact = w.after(&exact);
            iv = compose(&IntervalAffine::of_exact(&w), &iv);
            for i in 0..WIDTH {
                let entries = iv.row(i).iter().zip(exact.row(i));
                missed += entries.filter(|(x, e)| !holds(**x, e)).count();
                missed += usize::from(!holds(iv.bias(i), exact.bias(i)));
                // Exact zeros, and only they, are [0, 0].
                for (x, e) in iv.row(i).iter().zip(exact.row(i)) {
                    assert!(!x.is_zero() || e.is_zero(), "{x:?} holds a nonzero");
                }
            }
            let on: Vec<bool> = (0..WIDTH).map(|i| (i + layer) % 2 == 0).collect();
            exact.activate_rows(&on, &vec![Dyadic::zero(); WIDTH]);
            iv.activate_rows(&on, &[0.0; WIDTH]);
        }
        missed
    }

    #[test]
    fn up_and_down_are_the_standard_next_up_and_next_down() {
        // The standard library's functions are the reference, on every kind
        // of double (zeros, subnormals, the largest, infinities, NaN) and
        // on random bit patterns.
        use rand::{Rng, SeedableRng};
        let mut xs = vec![
            0.0,
            -0.0,
            f64::from_bits(1),
            -f64::from_bits(1),
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0,
            -1.0,
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        xs.extend((0..100_000).map(|_| f64::from_bits(rng.gen())));
        for x in xs {
            let (u, d) = (up(x), down(x));
            if x.is_nan() {
                assert!(u.is_nan() && d.is_nan());
                continue;
            }
            assert_eq!(u.to_bits(), x.next_up().to_bits(), "{x:e}");
            assert_eq!(d.to_bits(), x.next_down().to_bits(), "{x:e}");
        }
    }

    #[test]
    fn the_widening_skips_the_underflow_term_only_where_it_cannot_count() {
        // The widening as first written, with the subnormal term added in
        // floats, is the reference: from the threshold up the shortcut
        // gives the same double; below it, one at least as wide (a larger
        // widening is as sound), and a widening that holds the underflow
        // term: at least `n·2⁻¹⁰⁷⁴` for any magnitude, zero included.
        assert_eq!(SUBNORMAL_FREE, 2f64.powi(-900));
        let reference = |s: OneBoundSum| {
            let n = s.terms as f64;
            let e = up(up((n + 1.0) * UNIT_ROUNDOFF * s.mag) + n * UNDERFLOW_PER_TERM);
            Interval {
                lo: down(s.lo - e),
                hi: up(s.hi + e),
            }
        };
        let mut mags = vec![0.0, f64::from_bits(1), f64::MIN_POSITIVE, 1.0, 1e300];
        for k in -1080..=-840 {
            let m = 2f64.powi(k);
            mags.extend([m, m.next_up(), m.next_down(), m * 1.7]);
        }
        for terms in [2, 3, 17, MAX_DOT_TERMS] {
            for &mag in &mags {
                let s = OneBoundSum {
                    lo: -mag,
                    hi: mag,
                    mag,
                    terms,
                };
                let (ours, theirs) = (s.enclosure().unwrap(), reference(s));
                if 2.0 * UNIT_ROUNDOFF * mag >= SUBNORMAL_FREE {
                    assert_eq!(ours, theirs, "{mag:e} {terms}");
                }
                assert!(ours.lo <= theirs.lo && theirs.hi <= ours.hi, "{mag:e}");
                let e = ours.hi - mag;
                assert!(e >= terms as f64 * UNDERFLOW_PER_TERM, "{mag:e} {terms}");
            }
        }
    }

    #[test]
    fn compositions_updated_from_a_siblings_enclose_the_exact_composition() {
        // Cells as a depth-first split makes them: one layer's
        // pre-activations (themselves a composition, so their ends are not
        // points) under patterns that differ from the one before in one to
        // three units, composed with the next layer through one cache. The
        // exact dyadic composition is the reference; most compositions
        // must be updates (the test tests the update), none may miss.
        use rand::{Rng, SeedableRng};
        let mut updates = 0;
        for seed in 0..20 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(100 + seed);
            let binades = [3, 40][seed as usize % 2];
            let w0 = random_layer(&mut rng, WIDTH, 4, binades);
            let w1 = random_layer(&mut rng, WIDTH, WIDTH, binades);
            let outer = random_layer(&mut rng, WIDTH, WIDTH, binades);
            let z_exact = w1.after(&w0);
            let z_iv = IntervalAffine::of_exact(&w1).after(&IntervalAffine::of_exact(&w0));
            let outer_iv = IntervalAffine::of_exact(&outer);
            let mut cache = CompositionCache::default();
            let mut on: Vec<bool> = (0..WIDTH).map(|_| rng.gen_bool(0.5)).collect();
            for step in 0..40 {
                if step > 0 {
                    for _ in 0..rng.gen_range(1..=3) {
                        let j = rng.gen_range(0..WIDTH);
                        on[j] = !on[j];
                    }
                }
                let mut exact = z_exact.clone();
                exact.activate_rows(&on, &vec![Dyadic::zero(); WIDTH]);
                let mut iv = z_iv.clone();
                iv.activate_rows(&on, &[0.0; WIDTH]);
                let got = cache.after(&outer_iv, &iv);
                updates += usize::from(cache.was_updated());
                let want = outer.after(&exact);
                for i in 0..WIDTH {
                    for (x, e) in got.row(i).iter().zip(want.row(i)) {
                        assert!(holds(*x, e), "seed {seed} step {step}");
                    }
                    assert!(holds(got.bias(i), want.bias(i)), "seed {seed} step {step}");
                }
            }
        }
        assert!(updates > 20 * 40 / 2, "{updates} updates");
    }

    #[test]
    fn one_bound_per_dot_product_encloses_the_exact_composition() {
        // The exact dyadic composition is the reference. Weights over 2^±40
        // (so sums lose many bits) and over 2^±3; 4 inputs (a block of 5
        // columns with the bias) and 12.
        for seed in 0..40 {
            for (binades, dim) in [(3, 4), (40, 4), (40, 12)] {
                let one_bound = |w: &IntervalAffine, m: &IntervalAffine| {
                    w.after_one_bound(m).expect("no underflow or overflow here")
                };
                assert_eq!(misses(seed, binades, dim, one_bound), 0, "seed {seed}");
                let per_op = |w: &IntervalAffine, m: &IntervalAffine| w.after_per_operation(m);
                assert_eq!(misses(seed, binades, dim, per_op), 0, "seed {seed}");
            }
        }
    }

    #[test]
    fn without_its_widening_the_dot_product_misses_exact_values() {
        // The same compositions rounded to nearest and not widened (factor
        // 0) leave exact values outside: the widening is what makes the
        // intervals hold, and the test above would see a bound too small.
        let unwidened = |w: &IntervalAffine, m: &IntervalAffine| {
            w.after_widened(m, |_| 0.0, None).expect("finite")
        };
        let missed: usize = (0..40).map(|seed| misses(seed, 40, 4, unwidened)).sum();
        assert!(missed > 0, "no rounding was ever seen");
    }

    #[test]
    fn a_product_that_could_underflow_takes_the_per_operation_path() {
        // w = 2^-600 times x = 2^-500 is 2^-1100, below every double: the
        // one-bound path refuses, and `after` still encloses the exact
        // product (a positive number that rounds to zero in floats).
        let d = Dyadic::from_f64;
        let tiny_w = ExactAffine::new(1, 1, vec![d(2f64.powi(-600))], vec![d(0.0)]);
        let tiny_x = ExactAffine::new(1, 1, vec![d(2f64.powi(-500))], vec![d(0.0)]);
        let (w, x) = (
            IntervalAffine::of_exact(&tiny_w),
            IntervalAffine::of_exact(&tiny_x),
        );
        assert!(w.after_one_bound(&x).is_none());
        let z = w.after(&x);
        let exact = tiny_w.after(&tiny_x);
        assert!(holds(z.row(0)[0], &exact.row(0)[0]));
        assert!(!exact.row(0)[0].is_zero() && !z.row(0)[0].is_zero());
        assert!(z.bias(0).is_zero() && exact.bias(0).is_zero());
        // Subnormal inputs likewise; a product of 2^-1000 is normal and
        // takes the one-bound path.
        let sub = ExactAffine::new(1, 1, vec![d(f64::MIN_POSITIVE / 8.0)], vec![d(0.0)]);
        let one = ExactAffine::new(1, 1, vec![d(1.0)], vec![d(0.0)]);
        let sub = IntervalAffine::of_exact(&sub);
        assert!(IntervalAffine::of_exact(&one)
            .after_one_bound(&sub)
            .is_none());
        let normal = ExactAffine::new(1, 1, vec![d(2f64.powi(-500))], vec![d(0.0)]);
        let normal = IntervalAffine::of_exact(&normal);
        assert!(normal.after_one_bound(&normal).is_some());
    }

    #[test]
    fn a_sum_that_overflows_takes_the_per_operation_path() {
        // 2^600 · 2^600 overflows: no bound from the one-bound path; the
        // per-operation path gives an end at infinity, which holds the
        // exact 2^1200 and decides nothing wrongly.
        let d = Dyadic::from_f64;
        let big = ExactAffine::new(1, 1, vec![d(2f64.powi(600))], vec![d(1.0)]);
        let big = IntervalAffine::of_exact(&big);
        assert!(big.after_one_bound(&big).is_none());
        let z = big.after(&big);
        assert!(z.row(0)[0].hi == f64::INFINITY && z.row(0)[0].lo > 0.0);
        // An unknown inner entry (−∞, ∞) is not finite either.
        let mut unknown = IntervalAffine::identity(1);
        unknown.weight[0] = Interval {
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
        };
        assert!(big.after_one_bound(&unknown).is_none());
        assert_eq!(big.after(&unknown).row(0)[0].sign(), None);
    }

    #[test]
    fn the_widening_factor_bounds_gamma_up_to_the_term_limit() {
        // (n + 1)·u ≥ n·u / (1 − 2n·u) for n up to MAX_DOT_TERMS, checked in
        // exact rationals at the limit (the worst case, as the ratio grows
        // with n) and at 1.
        use num_rational::BigRational;
        let u = BigRational::new(BigInt::from(1), BigInt::from(1u64 << 53));
        for n in [1usize, 51, MAX_DOT_TERMS] {
            let n_r = BigRational::from_integer(BigInt::from(n));
            let one = BigRational::from_integer(BigInt::from(1));
            let two = BigRational::from_integer(BigInt::from(2));
            let gamma_ratio = &n_r * &u / (&one - &two * &n_r * &u);
            let factor = (&n_r + &one) * &u;
            assert!(factor >= gamma_ratio, "n = {n}");
            assert_eq!(
                Dyadic::from_f64((n + 1) as f64 * UNIT_ROUNDOFF).to_rational(),
                factor
            );
        }
    }
}
