//! Dense affine maps `x ↦ W x + b`, stored row-major, and the one step the
//! walk repeats: composing a layer with the affine map of its input.

/// Columns of a composition summed together ([`Affine::after`]): eight
/// `f64`, four SSE2 registers of sums, which the baseline x86-64 target
/// keeps in registers; a walk's input dimension is mostly 2 to 8.
const LANES: usize = 8;

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
    ///
    /// Each entry is summed over the inner rows in their order, from `0.0`
    /// (the bias from `b`), one product at a time, as the plain triple loop
    /// would: the result does not depend on how the loop is blocked.
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
        // The live inner rows with their bias as a last column, `LANES`
        // columns at a time, padded with zeros, so that an output row's
        // `LANES` sums stay in registers across the inner rows. (Summed in
        // place in the output, each entry's chain of adds went through
        // memory at every inner row: a tenth of a one-thread walk of ACAS
        // Xu N2,1, where `k` is 5.)
        let mut block: Vec<[f64; LANES]> = Vec::with_capacity(live.len());
        for start in (0..=k).step_by(LANES) {
            let width = LANES.min(k + 1 - start);
            let has_bias = start + width == k + 1;
            let columns = width - usize::from(has_bias);
            block.clear();
            block.extend(live.iter().map(|&j| {
                let mut lanes = [0.0; LANES];
                lanes[..columns].copy_from_slice(&inner.row(j)[start..start + columns]);
                if has_bias {
                    lanes[columns] = inner.bias[j];
                }
                lanes
            }));
            for i in 0..n {
                let row = self.row(i);
                let mut sums = [0.0; LANES];
                if has_bias {
                    sums[columns] = bias[i];
                }
                for (&j, lanes) in live.iter().zip(&block) {
                    let wij = row[j];
                    if wij == 0.0 {
                        continue;
                    }
                    for (s, &v) in sums.iter_mut().zip(lanes) {
                        *s += wij * v;
                    }
                }
                weight[i * k + start..i * k + start + columns].copy_from_slice(&sums[..columns]);
                if has_bias {
                    bias[i] = sums[columns];
                }
            }
        }
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

    /// The blocked composition gives, bit for bit, the sums of the plain
    /// triple loop (written here as the definition: each entry from `0.0`,
    /// inner rows in order, zero weights and zero rows skipped), for input
    /// dimensions on both sides of a block's width and rows masked to zero.
    #[test]
    fn blocked_composition_is_the_plain_loop_bit_for_bit() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for k in [1, 5, 7, 8, 9, 16, 19] {
            let (n, m) = (rng.gen_range(1..40), rng.gen_range(1..40));
            let value = |rng: &mut rand_chacha::ChaCha8Rng| {
                if rng.gen_bool(0.2) {
                    0.0
                } else {
                    rng.gen_range(-1.0..1.0) * 10f64.powi(rng.gen_range(-8..8))
                }
            };
            let outer = Affine::new(
                n,
                m,
                (0..n * m).map(|_| value(&mut rng)).collect(),
                (0..n).map(|_| value(&mut rng)).collect(),
            );
            let mut inner = Affine::new(
                m,
                k,
                (0..m * k).map(|_| value(&mut rng)).collect(),
                (0..m).map(|_| value(&mut rng)).collect(),
            );
            let keep: Vec<bool> = (0..m).map(|_| rng.gen_bool(0.5)).collect();
            inner.mask_rows(&keep);
            let mut weight = vec![0.0; n * k];
            let mut bias = outer.bias().to_vec();
            for i in 0..n {
                for j in 0..m {
                    let w = outer.row(i)[j];
                    let zero_row = inner.bias()[j] == 0.0 && inner.row(j).iter().all(|&v| v == 0.0);
                    if w == 0.0 || zero_row {
                        continue;
                    }
                    for c in 0..k {
                        weight[i * k + c] += w * inner.row(j)[c];
                    }
                    bias[i] += w * inner.bias()[j];
                }
            }
            let composed = outer.after(&inner);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(composed.weight()), bits(&weight), "k = {k}");
            assert_eq!(bits(composed.bias()), bits(&bias), "k = {k}");
        }
    }

    #[test]
    fn masking_zeroes_rows() {
        let mut a = Affine::from_rows(1, &[vec![2.0], vec![3.0]], vec![1.0, 1.0]);
        a.mask_rows(&[true, false]);
        assert_eq!(a.apply(&[1.0]), vec![3.0, 0.0]);
    }
}
