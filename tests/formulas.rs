//! Counts known from formulas, independent of the enumerator (docs/design.md §7).

mod common;

use common::nets::*;
use common::walk::{boxed, enumerate, network, patterns};
use rand::rngs::StdRng;
use rand::SeedableRng;
use regionwalk::Domain;

#[test]
fn one_generic_layer_over_whole_space() {
    // Zaslavsky: n hyperplanes in general position cut R^d into Σ_{i≤d} C(n, i) regions.
    for (seed, &(d, n)) in [(1, 6), (2, 7), (3, 8), (4, 9), (5, 10), (6, 10), (6, 12)]
        .iter()
        .enumerate()
    {
        let mut rng = StdRng::seed_from_u64(seed as u64);
        let net = network(&[generic_layer(&mut rng, d, n)]);
        let expected: u64 = (0..=d as u64).map(|i| binomial(n as u64, i)).sum();
        let (regions, _) = enumerate(&net, &Domain::Whole(d));
        assert_eq!(regions.len() as u64, expected, "d = {d}, n = {n}");
    }
}

#[test]
fn one_generic_layer_on_a_box_holding_every_vertex() {
    // The same count on a box that contains every vertex of the arrangement:
    // a box [-1e4, 1e4]^d, after checking that every vertex (the solution of
    // each d-subset of hyperplanes) lies inside it.
    for (seed, &(d, n)) in [(2, 8), (3, 7), (4, 6)].iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(40 + seed as u64);
        let layer = generic_layer(&mut rng, d, n);
        for subset in subsets(n, d) {
            let v = solve(
                subset.iter().map(|&i| layer.weight[i].clone()).collect(),
                subset.iter().map(|&i| -layer.bias[i]).collect(),
            );
            assert!(
                v.iter().all(|x| x.abs() < 1e4),
                "vertex {v:?} outside the box"
            );
        }
        let net = network(std::slice::from_ref(&layer));
        let expected: u64 = (0..=d as u64).map(|i| binomial(n as u64, i)).sum();
        let (regions, _) = enumerate(&net, &boxed(&vec![-1e4; d], &vec![1e4; d]));
        assert_eq!(regions.len() as u64, expected, "d = {d}, n = {n}");
    }
}

#[test]
fn one_generic_layer_on_a_2d_box() {
    // Each line crossing the open box adds one region, plus one per earlier
    // line it meets inside the box (no three concurrent):
    // 1 + (lines crossing) + (intersection points inside), computed exactly.
    let (lo, hi) = ([-1.0, -0.5], [1.0, 1.25]);
    let corners = box_corners(&lo, &hi);
    for seed in 0..12u64 {
        let mut rng = StdRng::seed_from_u64(200 + seed);
        let n = 3 + seed as usize;
        let layer = general_lines(&mut rng, n, &lo, &hi);
        let lines = lines_of(&layer);
        let crossing = lines.iter().filter(|l| crosses_box(l, &corners)).count();
        let mut inside = 0;
        for i in 0..n {
            for j in i + 1..n {
                if let Some(p) = intersection(&lines[i], &lines[j]) {
                    inside += strictly_inside(&p, &lo, &hi) as usize;
                }
            }
        }
        let (regions, _) = enumerate(&network(&[layer]), &boxed(&lo, &hi));
        assert_eq!(regions.len(), 1 + crossing + inside, "seed {seed}, n {n}");
    }
}

#[test]
fn sawtooth_has_two_to_the_depth_regions() {
    // Telgarsky: L layers of the tent map on (0, 1) give 2^L pieces.
    for depth in 1..=12 {
        let net = network(&sawtooth(depth));
        let found = patterns(&net, &boxed(&[0.0], &[1.0]));
        assert_eq!(found.len(), 1 << depth, "L = {depth}");
    }
}

/// All k-subsets of 0..n, in lexicographic order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![vec![]];
    }
    (k - 1..n)
        .flat_map(|last| {
            subsets(last, k - 1).into_iter().map(move |mut s| {
                s.push(last);
                s
            })
        })
        .collect()
}

/// Solves the square system `m x = r` by Gaussian elimination with partial pivoting.
fn solve(mut m: Vec<Vec<f64>>, mut r: Vec<f64>) -> Vec<f64> {
    let n = r.len();
    for col in 0..n {
        let p = (col..n)
            .max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))
            .unwrap();
        m.swap(col, p);
        r.swap(col, p);
        assert!(
            m[col][col].abs() > 1e-12,
            "singular subset: not in general position"
        );
        for i in col + 1..n {
            let f = m[i][col] / m[col][col];
            let pivot_row = m[col].clone();
            for (v, p) in m[i].iter_mut().zip(&pivot_row).skip(col) {
                *v -= f * p;
            }
            r[i] -= f * r[col];
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|j| m[i][j] * x[j]).sum();
        x[i] = (r[i] - s) / m[i][i];
    }
    x
}
