//! An exact strict inequality `a·y < b` on the free coordinates, and the
//! exact range of an affine row over a box: the rows the certifier proves
//! things about and the checker checks (docs/design.md §4).

use crate::exact::dyadic::Dyadic;
use num_bigint::BigInt;

/// A strict inequality `a·y < b` in free coordinates, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactHalf {
    /// The normal.
    pub a: Vec<Dyadic>,
    /// The offset.
    pub b: Dyadic,
}

impl ExactHalf {
    /// The exact row `a·y < b` of float numbers (for tests written by hand).
    #[cfg(test)]
    pub(crate) fn of_floats(a: &[f64], b: f64) -> Self {
        ExactHalf {
            a: a.iter().map(|&v| Dyadic::from_f64(v)).collect(),
            b: Dyadic::from_f64(b),
        }
    }

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

/// The exact range `[min, max]` of `a·y + c` over the box `bounds`.
pub fn range_over_box(a: &[Dyadic], c: &Dyadic, bounds: &[(Dyadic, Dyadic)]) -> (Dyadic, Dyadic) {
    let (mut lo, mut hi) = (c.clone(), c.clone());
    let mut scratch = BigInt::default();
    for (ai, (l, h)) in a.iter().zip(bounds) {
        // Bounds come with l ≤ h, so the sign of a_i says which end is which.
        let (low_end, high_end) = if ai.signum() >= 0 { (l, h) } else { (h, l) };
        lo.add_product_in(low_end, ai, &mut scratch);
        hi.add_product_in(high_end, ai, &mut scratch);
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: f64) -> Dyadic {
        Dyadic::from_f64(v)
    }

    #[test]
    fn sides_and_box_range() {
        // z = 2y - 1 on [0, 1]: its range is [-1, 1] by hand.
        let (a, c) = (vec![d(2.0)], d(-1.0));
        let (lo, hi) = range_over_box(&a, &c, &[(d(0.0), d(1.0))]);
        assert_eq!((lo, hi), (d(-1.0), d(1.0)));
        // On: -2y < -1 (y > 1/2); off: 2y < 1 (y < 1/2).
        assert_eq!(
            ExactHalf::side(&a, &c, true),
            ExactHalf {
                a: vec![d(-2.0)],
                b: d(-1.0)
            }
        );
        assert_eq!(
            ExactHalf::side(&a, &c, false),
            ExactHalf {
                a: vec![d(2.0)],
                b: d(1.0)
            }
        );
    }
}
