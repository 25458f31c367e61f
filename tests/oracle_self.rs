//! Self-tests of the exact oracle (`tests/common/oracle.rs`) against answers
//! known without it: counts from elementary geometry, the sawtooth, exact
//! measures, degenerate networks whose count follows from the definition
//! (docs/design.md §1), and a certificate check of every region it returns.

mod common;

use common::nets::*;
use common::oracle::{exact, oracle_regions, pattern_at, OracleLayer, OracleRegion};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;

type Q = BigRational;

fn box_measure(lo: &[f64], hi: &[f64]) -> Q {
    lo.iter()
        .zip(hi)
        .map(|(&l, &h)| exact(h) - exact(l))
        .fold(Q::one(), |m, s| m * s)
}

/// Twice the signed area of a polygon (shoelace), recomputed here.
fn twice_signed_area(v: &[Vec<Q>]) -> Q {
    let n = v.len();
    (0..n)
        .map(|j| {
            let (p, r) = (&v[j], &v[(j + 1) % n]);
            &p[0] * &r[1] - &r[0] * &p[1]
        })
        .sum()
}

/// Pre-activations of every hidden neuron at `x` when the masks are taken
/// from `pattern` (not from the signs at `x`): on a region with that pattern
/// these are the region's affine functions.
fn masked_preactivations(layers: &[OracleLayer], pattern: &str, x: &[Q]) -> Vec<Vec<Q>> {
    let masks: Vec<&str> = pattern.split('|').collect();
    assert_eq!(
        masks.len(),
        layers.len(),
        "pattern {pattern} has wrong layer count"
    );
    let mut h = x.to_vec();
    let mut all = Vec::new();
    for (layer, mask) in layers.iter().zip(masks) {
        assert_eq!(
            mask.len(),
            layer.bias.len(),
            "pattern {pattern}: wrong width"
        );
        let z: Vec<Q> = layer
            .weight
            .iter()
            .zip(&layer.bias)
            .map(|(row, &b)| {
                row.iter()
                    .zip(&h)
                    .fold(exact(b), |s, (&w, h)| s + exact(w) * h)
            })
            .collect();
        h = z
            .iter()
            .zip(mask.chars())
            .map(|(v, bit)| if bit == '1' { v.clone() } else { Q::zero() })
            .collect();
        all.push(z);
    }
    all
}

/// Checks everything that makes the returned pieces exactly the regions of
/// docs/design.md §1, without trusting the oracle: positive measure (recomputed),
/// counter-clockwise polygons, measures summing to the box, intervals tiling
/// the interval, distinct patterns, and for every region and neuron the
/// region's own affine pre-activation agrees with its bit at every vertex
/// (bit 1: all >= 0 and not all 0, so z > 0 inside; bit 0: all <= 0). Pieces
/// that tile the box, each with a constant pattern inside and no two with the
/// same pattern, are the regions. Also checks the pattern at an inside point
/// by a plain forward pass.
fn check_regions(layers: &[OracleLayer], lo: &[f64], hi: &[f64], regions: &[OracleRegion]) {
    assert!(!regions.is_empty());
    let d = lo.len();
    let mut total = Q::zero();
    for r in regions {
        let m = if d == 1 {
            assert_eq!(r.vertices.len(), 2);
            &r.vertices[1][0] - &r.vertices[0][0]
        } else {
            assert!(r.vertices.len() >= 3);
            twice_signed_area(&r.vertices) / q(2, 1)
        };
        assert!(m.is_positive(), "region {} is not positive/ccw", r.pattern);
        assert_eq!(m, r.measure, "region {}: measure", r.pattern);
        total += m;

        for (k, z) in masked_vertex_values(layers, r).into_iter().enumerate() {
            for (i, values) in z.into_iter().enumerate() {
                let bit = r.pattern.split('|').nth(k).unwrap().as_bytes()[i];
                let ok = if bit == b'1' {
                    values.iter().all(|v| !v.is_negative())
                        && values.iter().any(|v| v.is_positive())
                } else {
                    values.iter().all(|v| !v.is_positive())
                };
                assert!(
                    ok,
                    "region {}: neuron ({k},{i}) disagrees with its bit",
                    r.pattern
                );
            }
        }

        // The vertex average of a convex polygon (or interval) is inside it.
        let n = Q::from_integer(r.vertices.len().into());
        let inside: Vec<Q> = (0..d)
            .map(|c| r.vertices.iter().map(|v| v[c].clone()).sum::<Q>() / &n)
            .collect();
        assert_eq!(pattern_at(layers, &inside), r.pattern);
    }
    assert_eq!(total, box_measure(lo, hi), "measures must sum to the box");

    let patterns: BTreeSet<&str> = regions.iter().map(|r| r.pattern.as_str()).collect();
    assert_eq!(patterns.len(), regions.len(), "patterns must be distinct");

    if d == 1 {
        let mut ivs: Vec<(Q, Q)> = regions
            .iter()
            .map(|r| (r.vertices[0][0].clone(), r.vertices[1][0].clone()))
            .collect();
        ivs.sort();
        assert_eq!(ivs[0].0, exact(lo[0]));
        assert_eq!(ivs.last().unwrap().1, exact(hi[0]));
        for w in ivs.windows(2) {
            assert_eq!(w[0].1, w[1].0, "intervals must tile");
        }
    }
}

/// For each layer and neuron, the region's masked pre-activation at each vertex.
fn masked_vertex_values(layers: &[OracleLayer], r: &OracleRegion) -> Vec<Vec<Vec<Q>>> {
    let per_vertex: Vec<Vec<Vec<Q>>> = r
        .vertices
        .iter()
        .map(|v| masked_preactivations(layers, &r.pattern, v))
        .collect();
    (0..layers.len())
        .map(|k| {
            (0..layers[k].bias.len())
                .map(|i| per_vertex.iter().map(|z| z[k][i].clone()).collect())
                .collect()
        })
        .collect()
}

fn regions_checked(layers: &[OracleLayer], lo: &[f64], hi: &[f64]) -> Vec<OracleRegion> {
    let regions = oracle_regions(layers, lo, hi);
    check_regions(layers, lo, hi, &regions);
    regions
}

#[test]
fn f64_conversion_is_exact() {
    // 0.1 as an f64 is 3602879701896397 / 2^55 (IEEE 754 round to nearest).
    assert_eq!(
        exact(0.1),
        Q::new(BigInt::from(3602879701896397u64), BigInt::one() << 55)
    );
    // The smallest subnormal is 2^-1074; the largest finite is (2^53 - 1) 2^971.
    assert_eq!(
        exact(f64::from_bits(1)),
        Q::new(BigInt::one(), BigInt::one() << 1074)
    );
    let max = Q::from_integer(((BigInt::one() << 53) - 1) << 971);
    assert_eq!(exact(f64::MAX), max);
    assert_eq!(exact(-0.0), Q::zero());
    assert_eq!(exact(-3.0 / 1024.0), q(-3, 1024));
    // Random bit patterns: the denominator is a power of two and the value
    // converts back to the same f64 (to_f64 rounds correctly, so an exact
    // conversion must round-trip).
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..2000 {
        let x = f64::from_bits(rng.gen::<u64>());
        if !x.is_finite() {
            continue;
        }
        let r = exact(x);
        let den = r.denom();
        assert!(
            (den & (den - BigInt::one())).is_zero(),
            "{x}: denominator {den}"
        );
        assert_eq!(
            r.to_f64().unwrap().to_bits(),
            if x == 0.0 { 0 } else { x.to_bits() }
        );
    }
}

#[test]
fn one_dim_single_layer_counts_breakpoints_inside() {
    let (lo, hi) = ([-1.5], [2.25]);
    for seed in 0..30u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let n = 1 + (seed as usize % 10);
        // Distinct breakpoints in [-4, 4], some outside [lo, hi]; seeds 0 and
        // 1 also put one exactly on lo and on hi.
        let mut points = BTreeSet::new();
        if seed < 2 {
            points.insert(-1536i32);
            points.insert(2304);
        }
        while points.len() < n {
            points.insert(rng.gen_range(-4096..=4096));
        }
        let mut weight = Vec::new();
        let mut bias = Vec::new();
        for &p in &points {
            // Neuron w (x - p): its breakpoint is p; w p is exact in f64.
            let w = tidy_nonzero(&mut rng);
            weight.push(vec![w]);
            bias.push(-w * (p as f64 / 1024.0));
        }
        let layers = [layer(weight, bias)];
        let regions = regions_checked(&layers, &lo, &hi);
        // n distinct points strictly inside an open interval cut it into
        // n + 1 intervals; points outside it or on its ends cut nothing.
        let inside: Vec<Q> = points
            .iter()
            .map(|&p| q(p as i64, 1024))
            .filter(|p| *p > exact(lo[0]) && *p < exact(hi[0]))
            .collect();
        assert_eq!(regions.len(), inside.len() + 1, "seed {seed}");
        let mut ends: Vec<Q> = regions.iter().map(|r| r.vertices[1][0].clone()).collect();
        ends.sort();
        ends.pop();
        assert_eq!(ends, inside, "seed {seed}: breakpoints");
    }
}

#[test]
fn two_dim_single_layer_matches_crossings_and_intersections() {
    let (lo, hi) = ([-1.0, -0.75], [1.5, 1.0]);
    let corners = box_corners(&lo, &hi);
    for seed in 0..36u64 {
        let mut rng = StdRng::seed_from_u64(100 + seed);
        let n = 1 + (seed as usize % 12);
        let l = general_lines(&mut rng, n, &lo, &hi);
        let lines: Vec<Line> = l
            .weight
            .iter()
            .zip(&l.bias)
            .map(|(r, &b)| line_of(r, b))
            .collect();
        // Adding the lines one at a time, each line crossing the open box
        // adds one region plus one per earlier line it meets inside the box
        // (no three concurrent): 1 + crossing lines + inside intersections.
        let crossing = lines.iter().filter(|l| crosses_box(l, &corners)).count();
        let mut meetings = 0;
        for i in 0..n {
            for j in i + 1..n {
                if let Some(p) = intersection(&lines[i], &lines[j]) {
                    meetings += strictly_inside(&p, &lo, &hi) as usize;
                }
            }
        }
        let regions = regions_checked(&[l], &lo, &hi);
        assert_eq!(regions.len(), 1 + crossing + meetings, "seed {seed}, n {n}");
    }
}

#[test]
fn two_dim_single_layer_zaslavsky_when_box_holds_all_vertices() {
    // Zaslavsky (docs/design.md §6): n lines in general position make
    // C(n,0) + C(n,1) + C(n,2) regions of the plane; a box that contains every
    // intersection point has the same count. Normals spread over angles, so
    // every pair meets within a few units of the origin.
    let (lo, hi) = ([-64.0, -64.0], [64.0, 64.0]);
    for n in 1..=10usize {
        let mut rng = StdRng::seed_from_u64(500 + n as u64);
        let (mut weight, mut bias) = (Vec::new(), Vec::new());
        for i in 0..n {
            let theta = std::f64::consts::PI * (i as f64 + 0.3 * rng.gen::<f64>()) / n as f64;
            let round = |v: f64| (v * 1024.0).round() / 1024.0;
            weight.push(vec![round(theta.cos()), round(theta.sin())]);
            bias.push(tidy(&mut rng));
        }
        let lines: Vec<Line> = weight
            .iter()
            .zip(&bias)
            .map(|(r, &b)| line_of(r, b))
            .collect();
        let mut points = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                let p = intersection(&lines[i], &lines[j]).expect("not parallel");
                assert!(strictly_inside(&p, &lo, &hi));
                assert!(!points.contains(&p), "three lines concurrent");
                points.push(p);
            }
        }
        let regions = regions_checked(&[layer(weight, bias)], &lo, &hi);
        assert_eq!(regions.len(), 1 + n + n * (n - 1) / 2, "n {n}");
    }
}

#[test]
fn sawtooth_has_two_to_the_depth_regions_of_equal_length() {
    for depth in 1..=8usize {
        let regions = regions_checked(&sawtooth(depth), &[0.0], &[1.0]);
        // 2 ReLU(t) - 4 ReLU(t - 1/2) is the tent map on [0, 1]; its L-fold
        // composition is linear on each [k/2^L, (k+1)/2^L], and layer l cuts
        // where the (l-1)-fold composition is 1/2: the points j/2^l, j odd.
        // So 2^L regions, each of length 1/2^L (Telgarsky 2016; docs/design.md §7).
        assert_eq!(regions.len(), 1 << depth, "depth {depth}");
        let len = Q::new(BigInt::one(), BigInt::one() << depth);
        assert!(regions.iter().all(|r| r.measure == len));
        // ReLU(t) is on in every region (t > 0 except at single points).
        assert!(regions
            .iter()
            .all(|r| r.pattern.split('|').all(|l| l.starts_with('1'))));
    }
}

#[test]
fn deep_random_networks_partition_the_box_exactly() {
    for seed in 0..12u64 {
        let mut rng = StdRng::seed_from_u64(900 + seed);
        let (d, lo, hi): (usize, Vec<f64>, Vec<f64>) = if seed % 2 == 0 {
            (1, vec![-2.0], vec![1.75])
        } else {
            (2, vec![-1.25, -1.0], vec![1.0, 2.0])
        };
        let widths = [d, 3 + (seed as usize % 4), 4, 2 + (seed as usize % 3)];
        let layers: Vec<OracleLayer> = widths
            .windows(2)
            .map(|w| random_layer(&mut rng, w[0], w[1]))
            .collect();
        // Lengths/areas sum to the box, and each region checks as a region.
        let regions = regions_checked(&layers, &lo, &hi);
        // Deterministic order.
        let again = oracle_regions(&layers, &lo, &hi);
        let key = |rs: &[OracleRegion]| -> Vec<(String, Vec<Vec<Q>>)> {
            rs.iter()
                .map(|r| (r.pattern.clone(), r.vertices.clone()))
                .collect()
        };
        assert_eq!(key(&regions), key(&again));
    }
}

#[test]
fn duplicated_and_rescaled_neurons_do_not_add_regions() {
    let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    for seed in 0..6u64 {
        let mut rng = StdRng::seed_from_u64(300 + seed);
        let base = general_lines(&mut rng, 5, &lo, &hi);
        let count =
            regions_checked(&[layer(base.weight.clone(), base.bias.clone())], &lo, &hi).len();
        // The same row again, twice the row, and minus the row define the
        // same line: the partition (docs/design.md §1) is unchanged.
        let (mut weight, mut bias) = (base.weight.clone(), base.bias.clone());
        let (row, b) = (base.weight[2].clone(), base.bias[2]);
        weight.push(row.clone());
        bias.push(b);
        weight.push(row.iter().map(|w| 2.0 * w).collect());
        bias.push(2.0 * b);
        weight.push(row.iter().map(|w| -w).collect());
        bias.push(-b);
        let regions = regions_checked(&[layer(weight, bias)], &lo, &hi);
        assert_eq!(regions.len(), count, "seed {seed}");
        for r in &regions {
            let bits = r.pattern.as_bytes();
            assert_eq!(bits[5], bits[2]);
            assert_eq!(bits[6], bits[2]);
            assert_ne!(
                bits[7], bits[2],
                "the negated row is on exactly where the row is off"
            );
        }
    }
    // 1-D: breakpoints 1/4 and -1/2; the first neuron duplicated.
    let one = layer(vec![vec![1.0], vec![-2.0]], vec![-0.25, -1.0]);
    let two = layer(
        vec![vec![1.0], vec![-2.0], vec![1.0]],
        vec![-0.25, -1.0, -0.25],
    );
    assert_eq!(regions_checked(&[one], &[-1.0], &[1.0]).len(), 3);
    assert_eq!(regions_checked(&[two], &[-1.0], &[1.0]).len(), 3);
}

#[test]
fn zero_rows_follow_the_zero_convention() {
    // z = b constant: on everywhere if b > 0, off everywhere if b <= 0
    // (identically zero is off, docs/design.md §1): one region.
    for (b, bit) in [(1.0, "1"), (-1.0, "0"), (0.0, "0")] {
        let r = regions_checked(
            &[layer(vec![vec![0.0, 0.0]], vec![b])],
            &[-1.0, -1.0],
            &[1.0, 1.0],
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].pattern, bit);
        let r = regions_checked(&[layer(vec![vec![0.0]], vec![b])], &[0.0], &[3.0]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].pattern, bit);
    }
    // Among other neurons a zero row adds nothing and keeps a constant bit.
    let mut rng = StdRng::seed_from_u64(41);
    let base = general_lines(&mut rng, 4, &[-1.0, -1.0], &[1.0, 1.0]);
    let count = regions_checked(
        &[layer(base.weight.clone(), base.bias.clone())],
        &[-1.0, -1.0],
        &[1.0, 1.0],
    )
    .len();
    for (b, bit) in [(0.5, b'1'), (0.0, b'0'), (-0.5, b'0')] {
        let (mut weight, mut bias) = (base.weight.clone(), base.bias.clone());
        weight.insert(1, vec![0.0, 0.0]);
        bias.insert(1, b);
        let r = regions_checked(&[layer(weight, bias)], &[-1.0, -1.0], &[1.0, 1.0]);
        assert_eq!(r.len(), count);
        assert!(r.iter().all(|r| r.pattern.as_bytes()[1] == bit));
    }
}

#[test]
fn concurrent_lines_through_an_inside_point() {
    // k distinct lines through one point inside the box cut it into 2k
    // sectors (and nothing else, the point being the only meeting).
    let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    // Through the origin: x = 0, y = 0, x - y = 0.
    let three = layer(
        vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, -1.0]],
        vec![0.0; 3],
    );
    assert_eq!(regions_checked(&[three], &lo, &hi).len(), 6);
    // Through (1/4, -1/8): a x + b y + c with c = -(a/4 - b/8), exact.
    let dirs = [[1.0, 0.5], [-0.25, 1.0], [0.75, 0.75], [1.0, -1.0]];
    let mk = |k: usize| {
        let weight: Vec<Vec<f64>> = dirs[..k].iter().map(|d| d.to_vec()).collect();
        let bias = dirs[..k]
            .iter()
            .map(|d| -(d[0] / 4.0 - d[1] / 8.0))
            .collect();
        layer(weight, bias)
    };
    assert_eq!(regions_checked(&[mk(3)], &lo, &hi).len(), 6);
    assert_eq!(regions_checked(&[mk(4)], &lo, &hi).len(), 8);
}

#[test]
fn later_layers_dead_zero_and_coinciding_neurons() {
    // Layer 1: h0 = ReLU(x), h1 = ReLU(-x) on [-1, 1]: regions x < 0, x > 0.
    let first = || layer(vec![vec![1.0], vec![-1.0]], vec![0.0, 0.0]);
    // z = h0 is identically zero on x < 0 (off there, no split) and positive
    // on x > 0; z = h0 - h1 = x bends exactly on the existing boundary;
    // z = -h0 - h1 - 1 is dead. None of them adds a region.
    let second = layer(
        vec![vec![1.0, 0.0], vec![1.0, -1.0], vec![-1.0, -1.0]],
        vec![0.0, 0.0, -1.0],
    );
    let r = regions_checked(&[first(), second], &[-1.0], &[1.0]);
    let patterns: BTreeSet<&str> = r.iter().map(|r| r.pattern.as_str()).collect();
    assert_eq!(patterns, BTreeSet::from(["01|000", "10|110"]));
    // z = h0 + h1 - 1/2 = |x| - 1/2 bends: it cuts both cells, at -1/2 and 1/2.
    let third = layer(vec![vec![1.0, 1.0]], vec![-0.5]);
    let r = regions_checked(&[first(), third], &[-1.0], &[1.0]);
    assert_eq!(r.len(), 4);
}

/// Leaky neurons, worked by hand on `(−1, 1)`: layer 0 is `z₀ = x` with
/// slope ½ and `z₁ = x − ½` with slope 1 (no kink, always 1); layer 1 is
/// `z = h₀ + h₁`. For `x > 0`: `h₀ + h₁ = 2x − ½`, zero at `x = ¼`; for
/// `x < 0`: `½x + x − ½ < 0`. So three regions: `(−1, 0)` is `01|0`,
/// `(0, ¼)` is `11|0`, `(¼, 1)` is `11|1`. With slope 0 for neuron 0
/// instead, `x < 0` gives `x − ½ < 0` too: the same cuts (a leaky slope
/// moves no hyperplane here), but the output map on `(−1, 0)` differs.
#[test]
fn leaky_and_linear_neurons_by_hand() {
    use common::oracle::{leaky_output_map, leaky_pattern_at, leaky_regions};
    let layers = vec![
        layer(vec![vec![1.0], vec![1.0]], vec![0.0, -0.5]),
        layer(vec![vec![1.0, 1.0]], vec![0.0]),
    ];
    let slopes = vec![vec![0.5, 1.0], vec![0.0]];
    let regions = leaky_regions(&layers, &slopes, &[-1.0], &[1.0]);
    let found: Vec<(String, Q)> = regions
        .iter()
        .map(|r| (r.pattern.clone(), r.measure.clone()))
        .collect();
    let mut expected = vec![
        ("01|0".to_string(), q(1, 1)),
        ("11|0".to_string(), q(1, 4)),
        ("11|1".to_string(), q(3, 4)),
    ];
    let mut sorted = found.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    assert_eq!(leaky_pattern_at(&layers, &slopes, &[q(-1, 2)]), "01|0");
    assert_eq!(leaky_pattern_at(&layers, &slopes, &[q(1, 8)]), "11|0");
    // Output 3z: on (−1, 0) it is 3·0 = 0 (neuron of layer 1 off, slope 0);
    // on (¼, 1) it is 3(2x − ½) = 6x − 3/2.
    let out = layer(vec![vec![3.0]], vec![0.0]);
    let (a, c) = leaky_output_map(&layers, &slopes, &out, "11|1");
    assert_eq!((a, c), (vec![vec![q(6, 1)]], vec![q(-3, 2)]));
    // With slope −1 on layer 1's neuron, on (−1, 0) the output is
    // 3 · (−1) · (1.5x − ½) = −4.5x + 1.5.
    let slopes = vec![vec![0.5, 1.0], vec![-1.0]];
    let (a, c) = leaky_output_map(&layers, &slopes, &out, "01|0");
    assert_eq!((a, c), (vec![vec![q(-9, 2)]], vec![q(3, 2)]));
}
