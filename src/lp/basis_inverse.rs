//! The inverse of a simplex basis: the `n × n` matrix whose rows are the `n`
//! active constraints, kept explicitly. Replacing one row is a rank-one
//! update (`O(n²)`); a refactorisation from the rows themselves (`O(n³)`)
//! wipes out the rounding the updates accumulate.

use super::simplex_tolerance::SINGULAR_PIVOT;

/// `A_B⁻¹`, column-major: column `k` is the direction `d_k` with
/// `a_{B_j}·d_k = δ_jk`, which moves off the `k`-th basic row only.
#[derive(Debug, Default, Clone)]
pub(crate) struct BasisInverse {
    n: usize,
    inv: Vec<f64>,
    /// `[A_B | I]`, row-major, for Gauss–Jordan elimination.
    work: Vec<f64>,
}

/// The basis matrix is singular (up to [`SINGULAR_PIVOT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Singular;

impl BasisInverse {
    /// The inverse of the `n × n` matrix `diag(signs)`, each sign `±1`.
    pub(crate) fn reset_diagonal(&mut self, n: usize, signs: impl Iterator<Item = f64>) {
        self.n = n;
        self.inv.clear();
        self.inv.resize(n * n, 0.0);
        for (k, s) in signs.enumerate() {
            self.inv[k * n + k] = s;
        }
    }

    /// Makes this a copy of `other`, reusing its buffer.
    pub(crate) fn copy_from(&mut self, other: &BasisInverse) {
        self.n = other.n;
        self.inv.clone_from(&other.inv);
    }

    /// Column `k`: the direction that leaves the `k`-th basic row.
    pub(crate) fn col(&self, k: usize) -> &[f64] {
        &self.inv[k * self.n..(k + 1) * self.n]
    }

    /// `w = a · A_B⁻¹`: the coordinates of the row `a` in the basis rows,
    /// `a = Σ_k w_k a_{B_k}`.
    pub(crate) fn coordinates(&self, a: &[f64], w: &mut [f64]) {
        for (k, wk) in w.iter_mut().enumerate() {
            *wk = dot(a, self.col(k));
        }
    }

    /// `x = A_B⁻¹ rhs`: the point where the basic rows meet, with right-hand
    /// sides `rhs` (one per basis position).
    pub(crate) fn solve(&self, rhs: &[f64], x: &mut [f64]) {
        x.fill(0.0);
        for (k, &r) in rhs.iter().enumerate() {
            if r != 0.0 {
                for (xi, di) in x.iter_mut().zip(self.col(k)) {
                    *xi += r * di;
                }
            }
        }
    }

    /// The `q`-th basic row was replaced by a row whose coordinates in the
    /// old basis are `w` (from [`Self::coordinates`]); `w[q]` must be nonzero.
    /// Sherman–Morrison: the new column `q` is `d_q / w_q`, and every other
    /// column loses `w_k` times it.
    pub(crate) fn replace(&mut self, q: usize, w: &[f64]) {
        let n = self.n;
        let pivot = w[q];
        for v in &mut self.inv[q * n..(q + 1) * n] {
            *v /= pivot;
        }
        for (k, &wk) in w.iter().enumerate() {
            if k == q || wk == 0.0 {
                continue;
            }
            for i in 0..n {
                self.inv[k * n + i] -= wk * self.inv[q * n + i];
            }
        }
    }

    /// Recomputes the inverse from the basis rows by Gauss–Jordan elimination
    /// with partial pivoting.
    pub(crate) fn refactor<'a>(
        &mut self,
        rows: impl Iterator<Item = &'a [f64]>,
    ) -> Result<(), Singular> {
        let n = self.n;
        let width = 2 * n;
        self.work.clear();
        self.work.resize(n * width, 0.0);
        for (k, row) in rows.enumerate() {
            self.work[k * width..k * width + n].copy_from_slice(row);
            self.work[k * width + n + k] = 1.0;
        }
        let m = &mut self.work;
        for col in 0..n {
            let (best, size) = (col..n)
                .map(|r| (r, m[r * width + col].abs()))
                .fold((col, -1.0), |acc, c| if c.1 > acc.1 { c } else { acc });
            let scale = (0..n)
                .map(|c| m[best * width + c].abs())
                .fold(0.0, f64::max);
            if size <= SINGULAR_PIVOT * scale.max(1.0) {
                return Err(Singular);
            }
            if best != col {
                for c in 0..width {
                    m.swap(best * width + c, col * width + c);
                }
            }
            // The pivot row apart from the others, so that the compiler
            // sees the rows it updates do not overlap the row it reads
            // (indexing one slice, the updates ran one entry at a time with
            // bounds checks: refactorisations were 9% of a one-thread walk
            // of ACAS Xu N2,1). The same operations in the same order.
            let (above, rest) = m.split_at_mut(col * width);
            let (pivot, below) = rest.split_at_mut(width);
            let p = pivot[col];
            for v in pivot.iter_mut() {
                *v /= p;
            }
            for row in above
                .chunks_exact_mut(width)
                .chain(below.chunks_exact_mut(width))
            {
                let f = row[col];
                if f == 0.0 {
                    continue;
                }
                for (v, &q) in row.iter_mut().zip(pivot.iter()) {
                    *v -= f * q;
                }
            }
        }
        // The right half now holds A_B⁻¹ row-major: entry (i, k) at i·width + n + k.
        for k in 0..n {
            for i in 0..n {
                self.inv[k * n + i] = m[i * width + n + k];
            }
        }
        Ok(())
    }
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product_is_identity(inv: &BasisInverse, rows: &[Vec<f64>]) {
        for (j, row) in rows.iter().enumerate() {
            for k in 0..rows.len() {
                let want = if j == k { 1.0 } else { 0.0 };
                assert!((dot(row, inv.col(k)) - want).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn rank_one_updates_match_a_refactorisation() {
        let mut rows = vec![
            vec![1.0, 0.0, 0.0],
            vec![0.0, -1.0, 0.0],
            vec![0.0, 0.0, 1.0],
        ];
        let mut inv = BasisInverse::default();
        inv.reset_diagonal(3, [1.0, -1.0, 1.0].into_iter());
        product_is_identity(&inv, &rows);
        let mut w = vec![0.0; 3];
        for (q, new) in [
            (1, [2.0, 1.0, -1.0]),
            (0, [0.5, 3.0, 1.0]),
            (2, [1.0, 1.0, 1.0]),
        ] {
            inv.coordinates(&new, &mut w);
            inv.replace(q, &w);
            rows[q] = new.to_vec();
            product_is_identity(&inv, &rows);
        }
        let mut fresh = inv.clone();
        fresh.refactor(rows.iter().map(|r| r.as_slice())).unwrap();
        product_is_identity(&fresh, &rows);
        // A singular basis: two equal rows.
        let same = [vec![1.0, 2.0], vec![1.0, 2.0]];
        let mut inv = BasisInverse::default();
        inv.reset_diagonal(2, [1.0, 1.0].into_iter());
        assert_eq!(
            inv.refactor(same.iter().map(|r| r.as_slice())),
            Err(Singular)
        );
    }
}
