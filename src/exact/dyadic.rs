//! Exact dyadic rationals `m · 2^e`. Every finite `f64` is one, and sums and
//! products of dyadics stay dyadic, so a network's weights, a box's bounds,
//! and every pattern-dependent row `a·x + c` are exact in this type without
//! a single gcd (docs/design.md §4). Comparisons align exponents by shifting.

use num_bigint::{BigInt, Sign};
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::ops::{Add, Mul, Neg, Sub};

/// The exact number `mantissa · 2^exponent`. Sums and products are not
/// normalised, so one number has many representations: equality compares
/// values, as the ordering does.
#[derive(Debug, Clone)]
pub struct Dyadic {
    mantissa: BigInt,
    exponent: i64,
}

impl Dyadic {
    /// Zero.
    pub fn zero() -> Self {
        Dyadic {
            mantissa: BigInt::zero(),
            exponent: 0,
        }
    }

    /// The integer `n`.
    pub fn from_int(n: BigInt) -> Self {
        Dyadic {
            mantissa: n,
            exponent: 0,
        }
    }

    /// The number `mantissa · 2^exponent`.
    pub fn from_parts(mantissa: BigInt, exponent: i64) -> Self {
        Dyadic { mantissa, exponent }.normalised()
    }

    /// The exact value of a finite `f64`. Panics on NaN or infinity (inputs
    /// are validated at the boundary).
    pub fn from_f64(x: f64) -> Self {
        assert!(x.is_finite(), "Dyadic::from_f64({x})");
        if x == 0.0 {
            return Dyadic::zero();
        }
        let bits = x.to_bits();
        let sign = if bits >> 63 == 1 { -1i64 } else { 1 };
        let exp_bits = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        let (m, e) = if exp_bits == 0 {
            (frac as i64, -1074)
        } else {
            ((frac | (1u64 << 52)) as i64, exp_bits - 1075)
        };
        Dyadic {
            mantissa: BigInt::from(sign * m),
            exponent: e,
        }
        .normalised()
    }

    /// The nearest `f64`, up to one rounding (for float work and display;
    /// never for a decision).
    pub fn to_f64(&self) -> f64 {
        let bits = self.mantissa.bits() as i64;
        let shift = (bits - 62).max(0);
        let m: BigInt = &self.mantissa >> shift as usize;
        let m = m.to_i64().expect("62 bits fit") as f64;
        ldexp(m, self.exponent + shift)
    }

    /// The sign: -1, 0 or 1.
    pub fn signum(&self) -> i32 {
        match self.mantissa.sign() {
            Sign::Minus => -1,
            Sign::NoSign => 0,
            Sign::Plus => 1,
        }
    }

    /// The exponent `e` of `m · 2^e`.
    pub fn exponent(&self) -> i64 {
        self.exponent
    }

    /// The mantissa for exponent `e ≤ self.exponent`: `m · 2^(self.e − e)`.
    pub fn mantissa_at(&self, e: i64) -> BigInt {
        &self.mantissa << (self.exponent - e) as usize
    }

    /// True if zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa.is_zero()
    }

    /// Strips trailing zero bits of the mantissa, so numbers stay small.
    fn normalised(mut self) -> Self {
        if self.mantissa.is_zero() {
            self.exponent = 0;
            return self;
        }
        let tz = self.mantissa.trailing_zeros().unwrap_or(0);
        if tz > 0 {
            self.mantissa >>= tz as usize;
            self.exponent += tz as i64;
        }
        self
    }

    /// `self · n` for an integer `n`.
    pub fn mul_int(&self, n: &BigInt) -> Dyadic {
        Dyadic {
            mantissa: &self.mantissa * n,
            exponent: self.exponent,
        }
    }

    /// The exact value as a rational.
    pub fn to_rational(&self) -> BigRational {
        if self.exponent >= 0 {
            BigRational::from_integer(&self.mantissa << self.exponent as usize)
        } else {
            BigRational::new(
                self.mantissa.clone(),
                BigInt::one() << (-self.exponent) as usize,
            )
        }
    }

    /// `p/q` (or `p`) in lowest terms, the form used in certificate files.
    /// The odd part of the mantissa over a power of two is already in
    /// lowest terms, so no gcd is needed.
    pub fn to_fraction_string(&self) -> String {
        let mut out = String::new();
        self.push_fraction(&mut out);
        out
    }

    /// Appends [`Dyadic::to_fraction_string`] to `out`, without a big
    /// number when the mantissa fits a machine word (every `f64`'s does).
    pub fn push_fraction(&self, out: &mut String) {
        use crate::decimal_digits::{push_i64, push_u128};
        if let Some(m) = self.mantissa.to_i64().filter(|&m| m != 0) {
            let tz = m.trailing_zeros();
            let (odd, e) = (m >> tz, self.exponent + tz as i64);
            match e {
                0.. if e < 64 && odd.unsigned_abs().leading_zeros() as i64 > e + 1 => {
                    push_i64(out, odd << e)
                }
                -127..0 => {
                    push_i64(out, odd);
                    out.push('/');
                    push_u128(out, 1u128 << -e);
                }
                _ => out.push_str(&self.fraction_slow()),
            }
            return;
        }
        out.push_str(&self.fraction_slow());
    }

    /// [`Dyadic::to_fraction_string`] in big numbers.
    fn fraction_slow(&self) -> String {
        if self.mantissa.is_zero() {
            return "0".to_string();
        }
        let tz = self.mantissa.trailing_zeros().unwrap_or(0);
        let e = self.exponent + tz as i64;
        let odd = &self.mantissa >> tz as usize;
        if e >= 0 {
            return (odd << e as usize).to_string();
        }
        match (odd.to_i64(), -e) {
            (Some(m), k) if k < 128 => format!("{m}/{}", 1u128 << k),
            _ => format!("{odd}/{}", BigInt::one() << (-e) as usize),
        }
    }

    /// The dyadic value of a rational whose denominator is a power of two,
    /// or `None`.
    pub fn from_rational(r: &BigRational) -> Option<Dyadic> {
        let d = r.denom();
        let tz = d.trailing_zeros().unwrap_or(0);
        if (d >> tz as usize).is_one() {
            Some(
                Dyadic {
                    mantissa: r.numer().clone(),
                    exponent: -(tz as i64),
                }
                .normalised(),
            )
        } else {
            None
        }
    }

    /// `self += x · y`, in place: the accumulator's mantissa grows in its
    /// own buffer, and when `x`'s mantissa fits a machine word (every `f64`
    /// weight's does) the product is formed in `scratch`, whose buffer is
    /// reused from call to call, without a new allocation. The exact rows of
    /// a cell are sums of such products, and building them was most of the
    /// time of `certify` and `verify` when each sum made three new numbers.
    pub fn add_product_in(&mut self, x: &Dyadic, y: &Dyadic, scratch: &mut BigInt) {
        if x.is_zero() || y.is_zero() {
            return;
        }
        match x.mantissa.to_i64() {
            Some(small) => {
                scratch.clone_from(&y.mantissa);
                *scratch *= small;
            }
            None => *scratch = &x.mantissa * &y.mantissa,
        }
        self.add_scaled(scratch, x.exponent + y.exponent);
    }

    /// `self += x · n` for an integer `n`.
    pub fn add_multiple(&mut self, x: &Dyadic, n: &BigInt) {
        if x.is_zero() || n.is_zero() {
            return;
        }
        let mut t = &x.mantissa * n;
        self.add_scaled(&mut t, x.exponent);
    }

    /// `self += t · 2^e`; `t` may be shifted in place.
    fn add_scaled(&mut self, t: &mut BigInt, e: i64) {
        if self.mantissa.is_zero() {
            self.mantissa.clone_from(t);
            self.exponent = e;
        } else if e >= self.exponent {
            *t <<= (e - self.exponent) as usize;
            self.mantissa += &*t;
        } else {
            self.mantissa <<= (self.exponent - e) as usize;
            self.mantissa += &*t;
            self.exponent = e;
        }
    }

    /// The two mantissas at the smaller exponent: only the number with the
    /// larger exponent is shifted.
    fn aligned<'x>(a: &'x Dyadic, b: &'x Dyadic) -> (Cow<'x, BigInt>, Cow<'x, BigInt>, i64) {
        use std::cmp::Ordering::*;
        match a.exponent.cmp(&b.exponent) {
            Equal => (
                Cow::Borrowed(&a.mantissa),
                Cow::Borrowed(&b.mantissa),
                a.exponent,
            ),
            Greater => (
                Cow::Owned(&a.mantissa << (a.exponent - b.exponent) as usize),
                Cow::Borrowed(&b.mantissa),
                b.exponent,
            ),
            Less => (
                Cow::Borrowed(&a.mantissa),
                Cow::Owned(&b.mantissa << (b.exponent - a.exponent) as usize),
                a.exponent,
            ),
        }
    }
}

impl Add for &Dyadic {
    type Output = Dyadic;
    fn add(self, other: &Dyadic) -> Dyadic {
        if self.is_zero() {
            return other.clone();
        }
        if other.is_zero() {
            return self.clone();
        }
        let (a, b, e) = Dyadic::aligned(self, other);
        Dyadic {
            mantissa: a.as_ref() + b.as_ref(),
            exponent: e,
        }
    }
}

impl Sub for &Dyadic {
    type Output = Dyadic;
    fn sub(self, other: &Dyadic) -> Dyadic {
        self + &(-other)
    }
}

impl Mul for &Dyadic {
    type Output = Dyadic;
    fn mul(self, other: &Dyadic) -> Dyadic {
        Dyadic {
            mantissa: &self.mantissa * &other.mantissa,
            exponent: self.exponent + other.exponent,
        }
    }
}

impl Neg for &Dyadic {
    type Output = Dyadic;
    fn neg(self) -> Dyadic {
        Dyadic {
            mantissa: -&self.mantissa,
            exponent: self.exponent,
        }
    }
}

impl PartialEq for Dyadic {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Dyadic {}

impl PartialOrd for Dyadic {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Dyadic {
    fn cmp(&self, other: &Self) -> Ordering {
        let (sa, sb) = (self.signum(), other.signum());
        if sa != sb {
            return sa.cmp(&sb);
        }
        let (a, b, _) = Dyadic::aligned(self, other);
        a.cmp(&b)
    }
}

/// `x · 2^e`, scaling in steps so intermediate powers neither overflow nor
/// underflow.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e as i32)
}

/// `Σ a_i · b_i`, exactly.
pub fn dot(a: &[Dyadic], b: &[Dyadic]) -> Dyadic {
    let (mut acc, mut scratch) = (Dyadic::zero(), BigInt::zero());
    for (x, y) in a.iter().zip(b) {
        acc.add_product_in(x, y, &mut scratch);
    }
    acc
}

/// The exact value of a finite `f64` as a rational: the one conversion from
/// floats to rationals. Panics on NaN or infinity (inputs are validated
/// finite at the boundary).
pub fn rational_from_f64(x: f64) -> BigRational {
    BigRational::from_float(x).unwrap_or_else(|| panic!("rational_from_f64({x})"))
}

/// A rational as `p/q`, or `p` when it is an integer: the form of exact
/// numbers in every output file.
pub fn fraction_string(r: &BigRational) -> String {
    if r.denom().is_one() {
        r.numer().to_string()
    } else {
        format!("{}/{}", r.numer(), r.denom())
    }
}

/// Whether a rational is negative, zero or positive, as -1, 0, 1.
pub fn rational_sign(r: &BigRational) -> i32 {
    if r.is_negative() {
        -1
    } else if r.is_zero() {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f64_round_trips_exactly() {
        for &x in &[0.1, -3.5, 1e-300, 5e-324, 123456.789, -0.0, f64::MAX] {
            let d = Dyadic::from_f64(x);
            assert_eq!(d.to_rational(), BigRational::from_float(x).unwrap(), "{x}");
            assert_eq!(d.to_f64(), x, "{x}");
        }
    }

    #[test]
    fn arithmetic_is_exact() {
        // 0.1 + 0.2 != 0.3 in f64, and exactly so in dyadics too: the f64
        // values are not the decimals.
        let (a, b, c) = (
            Dyadic::from_f64(0.1),
            Dyadic::from_f64(0.2),
            Dyadic::from_f64(0.3),
        );
        assert_ne!(&a + &b, c);
        // Equal values are equal whatever their exponents: 3/4 + 1/4 = 1.
        let one = &Dyadic::from_f64(0.75) + &Dyadic::from_f64(0.25);
        assert_eq!(one, Dyadic::from_f64(1.0));
        assert_eq!(
            rational_from_f64(-0.375),
            BigRational::new((-3).into(), 8.into())
        );
        let sum = (&a + &b).to_rational();
        assert_eq!(sum, a.to_rational() + b.to_rational());
        assert_eq!((&a * &b).to_rational(), a.to_rational() * b.to_rational());
        assert!(Dyadic::from_f64(-1.0) < Dyadic::from_f64(0.5));
        assert_eq!(Dyadic::from_f64(0.375).to_fraction_string(), "3/8");
    }

    #[test]
    fn fraction_strings_are_the_rationals_in_lowest_terms() {
        // Against the rational path (a gcd-reduced p/q): doubles, integers,
        // sums that are not normalised, and numbers beyond a machine word.
        let d = Dyadic::from_f64;
        let big = Dyadic::from_int(BigInt::from(3) << 100);
        let tiny = &d(1e-300) * &d(3.0);
        let values = [
            d(0.0),
            d(0.375),
            d(-0.1),
            d(6.0),
            d(-1024.0),
            d(2f64.powi(70)),
            d(5e-324),
            &d(0.5) + &d(0.5),
            &d(0.75) + &d(-0.25),
            big,
            tiny,
        ];
        for v in &values {
            assert_eq!(
                v.to_fraction_string(),
                fraction_string(&v.to_rational()),
                "{v:?}"
            );
        }
        assert_eq!(d(0.375).to_fraction_string(), "3/8");
        assert_eq!((&d(0.5) + &d(0.5)).to_fraction_string(), "1");
    }

    #[test]
    fn equality_agrees_with_the_ordering() {
        // 0.5 + 0.5 is 1 · 2^0 written as 2 · 2^-1 (sums are not
        // normalised): equal to 1, as the ordering says.
        let half = Dyadic::from_f64(0.5);
        let sum = &half + &half;
        let one = Dyadic::from_f64(1.0);
        assert_eq!(sum.cmp(&one), Ordering::Equal);
        assert_eq!(sum, one);
        assert_ne!(sum, half);
    }
}
