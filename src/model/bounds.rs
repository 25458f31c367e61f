//! Upper bounds on the number of activation regions (docs/design.md §6), as exact
//! big integers. They are context beside a count, never a substitute for it.

use crate::model::network::Network;
use num_bigint::BigUint;
use num_traits::{One, Zero};

/// The three bounds of docs/design.md §6 for one network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionBounds {
    /// `2^N`: the number of activation patterns of `N` hidden neurons.
    pub codes: BigUint,
    /// The Zaslavsky count of the first hidden layer alone over `R^d`,
    /// `Σ_{i≤d} C(n_1, i)`: the regions that layer cuts in general position.
    pub first_layer: BigUint,
    /// The bound of Serra, Tjandraatmadja and Ramalingam (2018), Theorem 1;
    /// `None` when a neuron is not a plain ReLU: the theorem counts on an
    /// off neuron dropping a dimension of the layer's image, which a leaky
    /// neuron does not.
    pub serra: Option<BigUint>,
}

/// All three bounds for `network` over its whole input space. Linear
/// neurons (slope 1) have no hyperplane: `N` and the first layer's count
/// take the neurons with a kink only.
pub fn region_bounds(network: &Network) -> RegionBounds {
    let kinked = network.kinked_widths();
    let d = network.input_dim();
    RegionBounds {
        codes: codes_bound(kinked.iter().sum()),
        first_layer: zaslavsky_bound(d, kinked.first().copied().unwrap_or(0)),
        serra: (!network.has_leaky()).then(|| serra_bound(d, &network.hidden_widths())),
    }
}

/// `2^N`, the number of on/off codes of `N` hidden neurons.
pub fn codes_bound(hidden_neurons: usize) -> BigUint {
    BigUint::one() << hidden_neurons
}

/// The binomial coefficient `C(n, k)` (zero when `k > n`).
pub fn binomial(n: usize, k: usize) -> BigUint {
    if k > n {
        return BigUint::zero();
    }
    let k = k.min(n - k);
    let mut c = BigUint::one();
    for i in 0..k {
        // c = C(n, i) here; C(n, i + 1) = C(n, i) (n − i) / (i + 1) exactly.
        c = c * (n - i) / (i + 1);
    }
    c
}

/// The number of regions of `n` hyperplanes in general position in `R^d`,
/// `Σ_{i=0..d} C(n, i)` (Zaslavsky, "Facing up to arrangements", Memoirs of
/// the AMS 154, 1975): the activation regions of one generic hidden layer of
/// `n` neurons over the whole input space.
///
/// # Complexity
/// `O(min(d, n))` big-integer multiplications.
pub fn zaslavsky_bound(input_dim: usize, neurons: usize) -> BigUint {
    let mut sum = BigUint::zero();
    let mut c = BigUint::one(); // C(n, 0)
    for i in 0..=input_dim.min(neurons) {
        sum += &c;
        c = c * (neurons - i) / (i + 1);
    }
    sum
}

/// The upper bound of T. Serra, C. Tjandraatmadja and S. Ramalingam,
/// "Bounding and Counting Linear Regions of Deep Neural Networks", ICML 2018
/// (PMLR 80), Theorem 1, on the regions of a ReLU network with input
/// dimension `n_0 = input_dim` and hidden widths `n_1, …, n_L`:
///
/// `Σ_{(j_1..j_L) ∈ J} Π_l C(n_l, j_l)`, with
/// `J = {0 ≤ j_l ≤ min(n_0, n_1 − j_1, …, n_{l−1} − j_{l−1}, n_l)}`.
///
/// Computed by dynamic programming over the running minimum
/// `m_l = min(n_0, n_1 − j_1, …, n_{l−1} − j_{l−1})`, which is all a choice of
/// `j_1..j_{l−1}` passes on to layer `l`: a state holds the sum of the
/// products over the prefixes that reach that minimum. With one hidden layer
/// it is the Zaslavsky count; with `input_dim = 1` and every width but the
/// last at least 2 it is `Π (n_l + 1)`.
///
/// # Complexity
/// `O(L · (n_0 + 1) · (min(n_0, max n_l) + 1))` big-integer multiply-adds:
/// the states are the `n_0 + 1` values of the running minimum.
pub fn serra_bound(input_dim: usize, widths: &[usize]) -> BigUint {
    // sums[m]: Σ over prefixes (j_1..j_{l−1}) with running minimum m of Π C(n_k, j_k).
    let mut sums: Vec<BigUint> = vec![BigUint::zero(); input_dim + 1];
    sums[input_dim] = BigUint::one();
    for &n in widths {
        let top = input_dim.min(n);
        let choose: Vec<BigUint> = (0..=top).map(|j| binomial(n, j)).collect();
        let mut next: Vec<BigUint> = vec![BigUint::zero(); input_dim + 1];
        for (m, s) in sums.iter().enumerate() {
            if s.is_zero() {
                continue;
            }
            for (j, c) in choose.iter().enumerate().take(m.min(n) + 1) {
                next[m.min(n - j)] += s * c;
            }
        }
        sums = next;
    }
    sums.into_iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(v: u64) -> BigUint {
        BigUint::from(v)
    }

    /// Theorem 1's sum by enumerating `J` directly: every tuple with
    /// `0 ≤ j_l ≤ n_l`, kept when it satisfies the defining inequalities.
    fn serra_by_enumeration(d: usize, widths: &[usize]) -> BigUint {
        let mut total = BigUint::zero();
        let mut j = vec![0usize; widths.len()];
        loop {
            let mut ok = true;
            let mut cap = d;
            for (l, &n) in widths.iter().enumerate() {
                if j[l] > cap.min(n) {
                    ok = false;
                    break;
                }
                cap = cap.min(n - j[l]);
            }
            if ok {
                total += widths
                    .iter()
                    .zip(&j)
                    .map(|(&n, &k)| binomial(n, k))
                    .product::<BigUint>();
            }
            let mut l = 0;
            while l < widths.len() && j[l] == widths[l] {
                j[l] = 0;
                l += 1;
            }
            if l == widths.len() {
                return total;
            }
            j[l] += 1;
        }
    }

    #[test]
    fn small_values_by_hand() {
        // 2^5 = 32 codes for 5 neurons.
        assert_eq!(codes_bound(5), big(32));
        // C(5, 2) = 10, C(50, 25) = 126410606437752.
        assert_eq!(binomial(5, 2), big(10));
        assert_eq!(binomial(50, 25), big(126_410_606_437_752));
        assert_eq!(binomial(3, 4), big(0));
        // 3 lines in general position in the plane: 1 + 3 + 3 = 7 regions.
        assert_eq!(zaslavsky_bound(2, 3), big(7));
        // 5 planes in R^3: 1 + 5 + 10 + 10 = 26.
        assert_eq!(zaslavsky_bound(3, 5), big(26));
        // Fewer hyperplanes than dimensions: all 2^n sign patterns, 2^2 = 4.
        assert_eq!(zaslavsky_bound(5, 2), big(4));
        // d = 2, widths (3, 3). j_1 ≤ min(2, 3) = 2; the cap for j_2 is
        // min(2, 3 − j_1): 2, 2, 1 for j_1 = 0, 1, 2.
        //   j_1 = 0: C(3,0) · (C(3,0) + C(3,1) + C(3,2)) = 1 · 7 = 7
        //   j_1 = 1: C(3,1) · 7                                 = 21
        //   j_1 = 2: C(3,2) · (C(3,0) + C(3,1))                = 3 · 4 = 12
        // Total 40.
        assert_eq!(serra_bound(2, &[3, 3]), big(40));
        // d = 1, widths (1, 1): J = {(0,0), (0,1), (1,0)}, so 3 (a width-1
        // layer that uses its one hyperplane leaves nothing for the next).
        assert_eq!(serra_bound(1, &[1, 1]), big(3));
        // No hidden layer: one region.
        assert_eq!(serra_bound(4, &[]), big(1));
    }

    #[test]
    fn serra_on_one_layer_is_zaslavsky() {
        for d in 0..8 {
            for n in 0..12 {
                assert_eq!(serra_bound(d, &[n]), zaslavsky_bound(d, n), "d={d} n={n}");
            }
        }
    }

    #[test]
    fn serra_in_one_dimension_is_the_product() {
        for widths in [
            vec![2, 2],
            vec![3, 5, 2],
            vec![4, 4, 4, 1],
            vec![7, 2, 9, 3],
        ] {
            let product: BigUint = widths.iter().map(|&n| big(n as u64 + 1)).product();
            assert_eq!(serra_bound(1, &widths), product, "{widths:?}");
        }
    }

    #[test]
    fn dynamic_programming_matches_enumeration() {
        for (d, widths) in [
            (2, vec![3, 3]),
            (3, vec![4, 2, 5]),
            (2, vec![1, 4, 3]),
            (4, vec![3, 6, 2, 4]),
            (5, vec![5, 5, 5]),
            (3, vec![2, 1, 6]),
        ] {
            assert_eq!(
                serra_bound(d, &widths),
                serra_by_enumeration(d, &widths),
                "{d} {widths:?}"
            );
        }
    }

    #[test]
    fn large_networks_stay_exact() {
        // 300 neurons: 2^300 has 91 decimal digits.
        assert_eq!(codes_bound(300).to_string().len(), 91);
        // MNIST 784-256-256: the first layer alone has 2^256 regions (256 ≤ 784).
        assert_eq!(zaslavsky_bound(784, 256), codes_bound(256));
        let s = serra_bound(784, &[256, 256]);
        assert!(s <= codes_bound(512) && s >= codes_bound(256));
    }
}
