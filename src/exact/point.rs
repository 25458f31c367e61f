//! Exact points and the strict-inequality test `a·y < b` on them. A witness
//! found by a float LP is dyadic (its `f64` coordinates), and is checked with
//! dyadic integer arithmetic; a witness from the exact fallback is a general
//! rational point.

use crate::exact::dyadic::{dot, Dyadic};
use crate::exact::half_space::ExactHalf;
use num_rational::BigRational;
use num_traits::Zero;

/// An exact point.
#[derive(Debug, Clone, PartialEq)]
pub enum ExactPoint {
    /// Dyadic coordinates (the common case: a float witness).
    Dyadic(Vec<Dyadic>),
    /// Rational coordinates.
    Rational(Vec<BigRational>),
}

impl ExactPoint {
    /// The exact value of a float point.
    pub fn from_f64(y: &[f64]) -> Self {
        ExactPoint::Dyadic(y.iter().map(|&v| Dyadic::from_f64(v)).collect())
    }

    /// A rational point, kept dyadic when every denominator is a power of two.
    pub fn from_rationals(y: Vec<BigRational>) -> Self {
        match y
            .iter()
            .map(Dyadic::from_rational)
            .collect::<Option<Vec<_>>>()
        {
            Some(d) => ExactPoint::Dyadic(d),
            None => ExactPoint::Rational(y),
        }
    }

    /// The coordinates as rationals.
    pub fn to_rationals(&self) -> Vec<BigRational> {
        match self {
            ExactPoint::Dyadic(d) => d.iter().map(Dyadic::to_rational).collect(),
            ExactPoint::Rational(r) => r.clone(),
        }
    }

    /// The coordinates as `p/q` strings.
    pub fn to_strings(&self) -> Vec<String> {
        match self {
            ExactPoint::Dyadic(d) => d.iter().map(Dyadic::to_fraction_string).collect(),
            ExactPoint::Rational(r) => r
                .iter()
                .map(crate::exact::dyadic::fraction_string)
                .collect(),
        }
    }

    /// The sign of `a·y − b`: -1 means strictly inside `a·y < b`.
    pub fn slack_sign(&self, half: &ExactHalf) -> i32 {
        match self {
            ExactPoint::Dyadic(y) => (&dot(&half.a, y) - &half.b).signum(),
            ExactPoint::Rational(y) => {
                let v: BigRational = half
                    .a
                    .iter()
                    .zip(y)
                    .map(|(a, y)| a.to_rational() * y)
                    .fold(BigRational::zero(), |s, t| s + t)
                    - half.b.to_rational();
                crate::exact::dyadic::rational_sign(&v)
            }
        }
    }

    /// True if the point satisfies every row strictly.
    pub fn strictly_inside<'a>(&self, rows: impl IntoIterator<Item = &'a ExactHalf>) -> bool {
        rows.into_iter().all(|h| self.slack_sign(h) < 0)
    }
}

/// Parses `p/q` or `p` into a rational; `None` if malformed or `q = 0`.
pub fn parse_rational(text: &str) -> Option<BigRational> {
    let (p, q) = match text.split_once('/') {
        Some((p, q)) => (p.parse().ok()?, q.parse().ok()?),
        None => (text.parse().ok()?, num_bigint::BigInt::from(1)),
    };
    if q == num_bigint::BigInt::zero() {
        None
    } else {
        Some(BigRational::new(p, q))
    }
}
