//! An affine map built up one step at a time (the operators between two
//! ReLUs of an imported graph), kept sparse while it is an identity or a
//! diagonal so that a normalisation in front of a wide layer costs `O(n)`
//! rather than the `O(n^3)` of composing dense `n × n` maps.

use crate::model::affine::Affine;

/// The map from the last ReLU's output (or the input) to the current value.
#[derive(Debug, Clone, Default)]
pub(crate) enum AffineChain {
    /// Nothing yet.
    #[default]
    Identity,
    /// `x ↦ scale ⊙ x + shift`.
    Diagonal {
        /// Per-entry factor.
        scale: Vec<f64>,
        /// Per-entry offset.
        shift: Vec<f64>,
    },
    /// Any affine map.
    Dense(Affine),
}

impl AffineChain {
    /// Whether nothing has been applied since the chain (re)started.
    pub fn is_identity(&self) -> bool {
        matches!(self, AffineChain::Identity)
    }

    /// Applies `v_i ↦ f(v_i, i) + shift_i` to the current value, where `f` is
    /// linear in `v` (a product or a quotient by a constant, a negation).
    /// `f` is applied to each entry of the map, so a division stays a
    /// division in the folded weights.
    pub fn diagonal(&mut self, f: impl Fn(f64, usize) -> f64, shift: &[f64]) {
        *self = match std::mem::take(self) {
            AffineChain::Identity => AffineChain::Diagonal {
                scale: (0..shift.len()).map(|i| f(1.0, i)).collect(),
                shift: shift.to_vec(),
            },
            AffineChain::Diagonal { scale, shift: old } => AffineChain::Diagonal {
                scale: scale.iter().enumerate().map(|(i, &s)| f(s, i)).collect(),
                shift: old
                    .iter()
                    .enumerate()
                    .map(|(i, &t)| f(t, i) + shift[i])
                    .collect(),
            },
            AffineChain::Dense(a) => {
                let cols = a.cols();
                let mut weight = a.weight().to_vec();
                for (i, row) in weight.chunks_mut(cols).enumerate() {
                    for v in row {
                        *v = f(*v, i);
                    }
                }
                let bias = a
                    .bias()
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| f(b, i) + shift[i])
                    .collect();
                AffineChain::Dense(Affine::new(a.rows(), cols, weight, bias))
            }
        };
    }

    /// Applies `v ↦ W v`, `W` row-major `rows × cols`, `cols` the current
    /// value's length.
    pub fn linear(&mut self, rows: usize, cols: usize, weight: Vec<f64>) {
        let w = Affine::new(rows, cols, weight, vec![0.0; rows]);
        *self = match std::mem::take(self) {
            AffineChain::Identity => AffineChain::Dense(w),
            AffineChain::Diagonal { scale, shift } => {
                // W (s ⊙ x + t) = (W diag s) x + W t.
                let bias = w.apply(&shift);
                let mut weight = w.weight().to_vec();
                for row in weight.chunks_mut(cols) {
                    for (v, s) in row.iter_mut().zip(&scale) {
                        *v *= s;
                    }
                }
                AffineChain::Dense(Affine::new(rows, cols, weight, bias))
            }
            AffineChain::Dense(a) => AffineChain::Dense(w.after(&a)),
        };
    }

    /// Rearranges the current value of `n` entries: entry `j` of the result
    /// is entry `src[j]`, or the constant `fill` where `src[j]` is `None`
    /// (a transpose, a padding, a crop).
    pub fn gather(&mut self, n: usize, src: &[Option<usize>], fill: f64) {
        let map = self.take(n);
        let cols = map.cols();
        let mut weight = vec![0.0; src.len() * cols];
        let mut bias = vec![fill; src.len()];
        for (j, s) in src.iter().enumerate() {
            if let Some(i) = *s {
                weight[j * cols..(j + 1) * cols].copy_from_slice(map.row(i));
                bias[j] = map.bias()[i];
            }
        }
        *self = AffineChain::Dense(Affine::new(src.len(), cols, weight, bias));
    }

    /// The map as a dense affine map onto `n` entries; the chain restarts.
    pub fn take(&mut self, n: usize) -> Affine {
        match std::mem::take(self) {
            AffineChain::Identity => Affine::identity(n),
            AffineChain::Diagonal { scale, shift } => {
                let mut weight = vec![0.0; n * n];
                for (i, s) in scale.iter().enumerate() {
                    weight[i * n + i] = *s;
                }
                Affine::new(n, n, weight, shift)
            }
            AffineChain::Dense(a) => a,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_compose_in_order() {
        // v ↦ (v − 1) / 4, then W = [[1, 2]], then 3 − v, then ·2.
        let mut chain = AffineChain::default();
        chain.diagonal(|v, _| v, &[-1.0, -1.0]);
        chain.diagonal(|v, _| v / 4.0, &[0.0, 0.0]);
        chain.linear(1, 2, vec![1.0, 2.0]);
        chain.diagonal(|v, _| -v, &[3.0]);
        chain.diagonal(|v, _| v * 2.0, &[0.0]);
        let map = chain.take(1);
        // At (5, 9): (1, 2) → 1 + 4 = 5 → 3 − 5 = −2 → −4.
        assert_eq!(map.apply(&[5.0, 9.0]), vec![-4.0]);
        assert!(chain.is_identity());
        // A diagonal alone becomes a diagonal matrix.
        chain.diagonal(|v, i| v * (i as f64 + 2.0), &[1.0, 0.0]);
        assert_eq!(chain.take(2).apply(&[1.0, 1.0]), vec![3.0, 3.0]);
        assert_eq!(
            AffineChain::default().take(2).apply(&[7.0, 8.0]),
            vec![7.0, 8.0]
        );
        // Swap two entries of v ↦ 2v + 1 and pad a 5 after them.
        chain.diagonal(|v, _| 2.0 * v, &[1.0, 1.0]);
        chain.gather(2, &[Some(1), Some(0), None], 5.0);
        assert_eq!(chain.take(3).apply(&[1.0, 2.0]), vec![5.0, 3.0, 5.0]);
    }
}
