//! Dense affine maps `x ↦ W x + b`, stored row-major, and the one step the
//! walk repeats: composing a layer with the affine map of its input.

/// An affine map `x ↦ W x + b` from `R^cols` to `R^rows`, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Affine {
    rows: usize,
    cols: usize,
    weight: Vec<f64>,
    bias: Vec<f64>,
}

impl Affine {
    /// Builds a map from a row-major weight (`rows × cols`) and a bias of
    /// length `rows`. Panics if the lengths disagree (callers validate first).
    pub fn new(rows: usize, cols: usize, weight: Vec<f64>, bias: Vec<f64>) -> Self {
        assert_eq!(weight.len(), rows * cols, "weight length");
        assert_eq!(bias.len(), rows, "bias length");
        Affine {
            rows,
            cols,
            weight,
            bias,
        }
    }

    /// Builds a map from a list of rows (each of length `cols`) and a bias.
    pub fn from_rows(cols: usize, rows: &[Vec<f64>], bias: Vec<f64>) -> Self {
        let weight: Vec<f64> = rows.iter().flat_map(|r| r.iter().copied()).collect();
        Affine::new(rows.len(), cols, weight, bias)
    }

    /// The identity map of `R^n`.
    pub fn identity(n: usize) -> Self {
        let mut weight = vec![0.0; n * n];
        for i in 0..n {
            weight[i * n + i] = 1.0;
        }
        Affine::new(n, n, weight, vec![0.0; n])
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
    pub fn row(&self, i: usize) -> &[f64] {
        &self.weight[i * self.cols..(i + 1) * self.cols]
    }

    /// The bias.
    pub fn bias(&self) -> &[f64] {
        &self.bias
    }

    /// The whole weight, row-major.
    pub fn weight(&self) -> &[f64] {
        &self.weight
    }

    /// The weight and the bias, to update in place.
    pub(crate) fn parts_mut(&mut self) -> (&mut [f64], &mut [f64]) {
        (&mut self.weight, &mut self.bias)
    }

    /// `W x + b`.
    pub fn apply(&self, x: &[f64]) -> Vec<f64> {
        debug_assert_eq!(x.len(), self.cols);
        (0..self.rows)
            .map(|i| dot(self.row(i), x) + self.bias[i])
            .collect()
    }

    /// The composition `self ∘ inner`: `x ↦ W (W' x + b') + b`.
    pub fn after(&self, inner: &Affine) -> Affine {
        assert_eq!(self.cols, inner.rows, "composition shapes");
        let (n, m, k) = (self.rows, self.cols, inner.cols);
        let mut weight = vec![0.0; n * k];
        let mut bias = self.bias.clone();
        // Only the inner rows that are not zero: after a ReLU pattern's
        // mask (`mask_rows`) about half of them are. Skipping them changes
        // no sum (each would add an exact zero).
        let live: Vec<usize> = (0..m)
            .filter(|&j| inner.bias[j] != 0.0 || inner.row(j).iter().any(|&v| v != 0.0))
            .collect();
        for i in 0..n {
            let out = &mut weight[i * k..(i + 1) * k];
            let row = self.row(i);
            for &j in &live {
                let wij = row[j];
                if wij == 0.0 {
                    continue;
                }
                for (o, &v) in out.iter_mut().zip(inner.row(j)) {
                    *o += wij * v;
                }
                bias[i] += wij * inner.bias[j];
            }
        }
        debug_assert_eq!(m, inner.rows);
        Affine::new(n, k, weight, bias)
    }

    /// Zeroes the rows whose `keep` flag is false: the ReLU of a fixed
    /// activation pattern (an off neuron outputs the constant 0).
    pub fn mask_rows(&mut self, keep: &[bool]) {
        assert_eq!(keep.len(), self.rows);
        for (i, &k) in keep.iter().enumerate() {
            if !k {
                self.weight[i * self.cols..(i + 1) * self.cols].fill(0.0);
                self.bias[i] = 0.0;
            }
        }
    }

    /// The activation of a fixed pattern: each row whose `on` flag is false
    /// is multiplied by its neuron's negative-side slope (a ReLU's slope 0
    /// zeroes it, exactly as [`Affine::mask_rows`]; a linear neuron's 1
    /// keeps it).
    pub fn activate_rows(&mut self, on: &[bool], slopes: &[f64]) {
        assert_eq!(on.len(), self.rows);
        assert_eq!(slopes.len(), self.rows);
        for (i, (&k, &alpha)) in on.iter().zip(slopes).enumerate() {
            if k || alpha == 1.0 {
                continue;
            }
            let row = &mut self.weight[i * self.cols..(i + 1) * self.cols];
            if alpha == 0.0 {
                row.fill(0.0);
                self.bias[i] = 0.0;
            } else {
                row.iter_mut().for_each(|v| *v *= alpha);
                self.bias[i] *= alpha;
            }
        }
    }
}

/// The dot product of two slices of equal length.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The Euclidean norm.
pub fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composition_matches_applying_twice() {
        let inner = Affine::from_rows(2, &[vec![1.0, 2.0], vec![-1.0, 0.5]], vec![0.5, -1.0]);
        let outer = Affine::from_rows(2, &[vec![3.0, -2.0]], vec![1.0]);
        let x = [0.25, -0.75];
        let direct = outer.apply(&inner.apply(&x));
        let composed = outer.after(&inner).apply(&x);
        assert_eq!(direct, composed);
    }

    #[test]
    fn masking_zeroes_rows() {
        let mut a = Affine::from_rows(1, &[vec![2.0], vec![3.0]], vec![1.0, 1.0]);
        a.mask_rows(&[true, false]);
        assert_eq!(a.apply(&[1.0]), vec![3.0, 0.0]);
    }
}
