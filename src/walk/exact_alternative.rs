//! The exact decision of whether an open polyhedron `{y : g_j·y < h_j}` has
//! interior, with proof either way (Motzkin's transposition theorem, `docs/design.md`
//! §4): either a point strictly inside, or multipliers `λ ≥ 0`, `λ ≠ 0` with
//! `Σ λ_j g_j = 0` and `Σ λ_j h_j ≤ 0`.
//!
//! Both come from one LP, solved in exact rationals by a dense simplex with
//! Bland's rule (which cannot cycle):
//!
//! ```text
//! min Σ λ_j h_j + ν   s.t.  Σ λ_j g_j = 0,  Σ λ_j + ν = 1,  λ, ν ≥ 0
//! ```
//!
//! It is always feasible (`ν = 1`). If its optimum `v ≤ 0`, then `λ ≠ 0` and
//! `λ` is a Motzkin certificate. Otherwise its dual, `max μ` subject to
//! `g_j·y + μ ≤ h_j` and `μ ≤ 1`, has optimum `μ = v > 0` at a point `y`
//! with every slack at least `v`: a strict witness. The dual is read off
//! the final tableau as `c_B B⁻¹`.
//!
//! Cost: exponential in theory, a few pivots per row in practice; used on a
//! certificate's small support first, and on all rows only as the exact
//! fallback when a float decision fails its exact check.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

type Q = BigRational;

/// The outcome: a witness or an emptiness certificate.
#[derive(Debug, Clone, PartialEq)]
pub enum Alternative {
    /// A point strictly inside every row.
    Interior(Vec<Q>),
    /// Multipliers, one per row, proving there is no interior.
    Empty(Vec<Q>),
}

/// Decides `{y : g_j·y < h_j}` exactly. `rows` are `(g_j, h_j)`, all of
/// dimension `dim`.
pub fn decide_interior(dim: usize, rows: &[(Vec<Q>, Q)]) -> Alternative {
    let m = rows.len();
    // Columns: λ_0..λ_{m-1}, ν, artificials a_0..a_dim, then the right-hand side.
    let n_eq = dim + 1;
    let nu = m;
    let art = m + 1;
    let cols = art + n_eq + 1;
    let rhs = cols - 1;
    let mut t: Vec<Vec<Q>> = vec![vec![Q::zero(); cols]; n_eq];
    for (j, (g, _)) in rows.iter().enumerate() {
        for i in 0..dim {
            t[i][j] = g[i].clone();
        }
        t[dim][j] = Q::one();
    }
    t[dim][nu] = Q::one();
    t[dim][rhs] = Q::one();
    for (i, row) in t.iter_mut().enumerate() {
        row[art + i] = Q::one();
    }
    let mut basis: Vec<usize> = (art..art + n_eq).collect();
    // Phase 1: minimise the sum of artificials.
    let mut phase1 = vec![Q::zero(); cols - 1];
    for c in phase1.iter_mut().skip(art).take(n_eq) {
        *c = Q::one();
    }
    simplex(&mut t, &mut basis, &phase1, cols - 1);
    // Drive artificials at zero level out of the basis where possible.
    for r in 0..n_eq {
        if basis[r] >= art {
            if let Some(c) = (0..art).find(|&c| !t[r][c].is_zero()) {
                pivot(&mut t, &mut basis, r, c);
            }
        }
    }
    // Phase 2: minimise Σ λ_j h_j + ν over the original columns only.
    let mut cost = vec![Q::zero(); cols - 1];
    for (j, (_, h)) in rows.iter().enumerate() {
        cost[j] = h.clone();
    }
    cost[nu] = Q::one();
    simplex(&mut t, &mut basis, &cost, art);
    let mut x = vec![Q::zero(); art];
    for (r, &b) in basis.iter().enumerate() {
        if b < art {
            x[b] = t[r][rhs].clone();
        }
    }
    let value: Q = (0..art).map(|j| &cost[j] * &x[j]).sum();
    if !value.is_positive() {
        x.truncate(m);
        return Alternative::Empty(x);
    }
    // Dual u = c_B B⁻¹; B⁻¹ sits in the artificial columns of the tableau.
    let u: Vec<Q> = (0..n_eq)
        .map(|i| {
            basis
                .iter()
                .enumerate()
                .map(|(r, &b)| {
                    if b < cost.len() {
                        &cost[b] * &t[r][art + i]
                    } else {
                        Q::zero()
                    }
                })
                .sum()
        })
        .collect();
    Alternative::Interior(u[..dim].to_vec())
}

/// Minimises `cost · x` over the tableau, entering only columns `< allowed`.
/// Bland's rule: the lowest-index improving column; ties in the ratio test go
/// to the lowest basis index.
fn simplex(t: &mut [Vec<Q>], basis: &mut [usize], cost: &[Q], allowed: usize) {
    let rhs = t[0].len() - 1;
    loop {
        let reduced = |c: usize| -> Q {
            let mut r = cost[c].clone();
            for (row, &b) in t.iter().zip(basis.iter()) {
                if !row[c].is_zero() {
                    r -= &cost[b] * &row[c];
                }
            }
            r
        };
        let Some(enter) = (0..allowed).find(|&c| !basis.contains(&c) && reduced(c).is_negative())
        else {
            return;
        };
        let mut leave: Option<(usize, Q)> = None;
        for (r, row) in t.iter().enumerate() {
            if row[enter].is_positive() {
                let ratio = &row[rhs] / &row[enter];
                let better = match &leave {
                    None => true,
                    Some((lr, best)) => ratio < *best || (ratio == *best && basis[r] < basis[*lr]),
                };
                if better {
                    leave = Some((r, ratio));
                }
            }
        }
        let Some((r, _)) = leave else {
            // Unbounded below: cannot happen here (the feasible set is a
            // bounded simplex in λ, ν); stop rather than loop.
            return;
        };
        pivot(t, basis, r, enter);
    }
}

fn pivot(t: &mut [Vec<Q>], basis: &mut [usize], r: usize, c: usize) {
    let p = t[r][c].clone();
    for v in t[r].iter_mut() {
        *v = &*v / &p;
    }
    let pivot_row = t[r].clone();
    for (i, row) in t.iter_mut().enumerate() {
        if i != r && !row[c].is_zero() {
            let f = row[c].clone();
            for (v, pv) in row.iter_mut().zip(&pivot_row) {
                if !pv.is_zero() {
                    *v -= &f * pv;
                }
            }
        }
    }
    basis[r] = c;
}

/// Scales rationals by their common denominator: integers with the same
/// ratios and signs.
pub fn to_integers(v: &[Q]) -> Vec<BigInt> {
    let lcm = v
        .iter()
        .fold(BigInt::one(), |acc, q| num_integer_lcm(&acc, q.denom()));
    v.iter()
        .map(|q| (q * Q::from_integer(lcm.clone())).to_integer())
        .collect()
}

fn num_integer_lcm(a: &BigInt, b: &BigInt) -> BigInt {
    use num_integer::Integer;
    a.lcm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Q {
        Q::from_integer(BigInt::from(n))
    }

    #[test]
    fn square_has_interior() {
        // 0 < y0 < 1, 0 < y1 < 1.
        let rows = vec![
            (vec![q(1), q(0)], q(1)),
            (vec![q(-1), q(0)], q(0)),
            (vec![q(0), q(1)], q(1)),
            (vec![q(0), q(-1)], q(0)),
        ];
        match decide_interior(2, &rows) {
            Alternative::Interior(y) => {
                for (g, h) in &rows {
                    let lhs: Q = g.iter().zip(&y).map(|(a, b)| a * b).sum();
                    assert!(lhs < *h, "{y:?}");
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_flat_set_gets_a_certificate() {
        // y < 1 and y > 1 (−y < −1): no interior; λ = (1, 1).
        let rows = vec![(vec![q(1)], q(1)), (vec![q(-1)], q(-1)), (vec![q(2)], q(5))];
        match decide_interior(1, &rows) {
            Alternative::Empty(l) => {
                assert!(l.iter().all(|v| !v.is_negative()) && l.iter().any(|v| v.is_positive()));
                let g: Q = rows.iter().zip(&l).map(|((g, _), l)| &g[0] * l).sum();
                let h: Q = rows.iter().zip(&l).map(|((_, h), l)| h * l).sum();
                assert!(g.is_zero() && !h.is_positive());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_sliver_is_found() {
        // 0 < y < 1e-12·(a dyadic): tiny but nonempty.
        let eps = Q::new(BigInt::one(), BigInt::one() << 40usize);
        let rows = vec![(vec![q(1)], eps.clone()), (vec![q(-1)], q(0))];
        assert!(matches!(
            decide_interior(1, &rows),
            Alternative::Interior(_)
        ));
    }
}
