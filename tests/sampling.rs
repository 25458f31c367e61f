//! Sampling against answers known without the sampler: region volumes
//! against the exact polygon oracle (`tests/common/oracle.rs`) and the
//! sawtooth's equal pieces; the mean of the observed discovery curve over
//! many seeds against `E[K(n)]` computed here from the oracle's areas, with
//! a bound derived from the variance; and thin regions that a small sample
//! must miss.

mod common;

use common::nets::{random_layer, sawtooth};
use common::oracle::{exact, oracle_regions, OracleLayer};
use common::walk::{boxed, enumerate, network};
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use rand::rngs::StdRng;
use rand::SeedableRng;
use regionwalk::{
    region_volumes, run_sample, Domain, ExactSource, GoodLpMicrolp, Network, PointSource,
    RegionRecord, SampleOptions, VolumeMethod, Volumes, WorkSpace,
};
use std::collections::BTreeMap;
use std::str::FromStr;

type Q = BigRational;

/// The library's volumes of every region of `net` on `domain`, keyed by
/// pattern (the enumeration's invariants are checked on the way).
fn volumes(net: &Network, domain: &Domain) -> (BTreeMap<String, Q>, Volumes) {
    let (reports, _) = enumerate(net, domain);
    let records: Vec<RegionRecord> = reports.iter().map(RegionRecord::from).collect();
    let space = WorkSpace::new(net, domain, &GoodLpMicrolp).unwrap();
    let v = region_volumes(domain, &space, &records, &GoodLpMicrolp, 0).unwrap();
    assert_eq!(v.method, VolumeMethod::Exact);
    let by_pattern = records
        .iter()
        .zip(&v.regions)
        .map(|(r, vol)| {
            let exact = vol.exact.as_deref().expect("an exact volume");
            (r.pattern.clone(), Q::from_str(exact).unwrap())
        })
        .collect();
    (by_pattern, v)
}

/// The oracle's exact measure of each region, keyed by pattern.
fn oracle_measures(layers: &[OracleLayer], lo: &[f64], hi: &[f64]) -> BTreeMap<String, Q> {
    oracle_regions(layers, lo, hi)
        .into_iter()
        .map(|r| (r.pattern, r.measure))
        .collect()
}

fn box_measure(lo: &[f64], hi: &[f64]) -> Q {
    lo.iter()
        .zip(hi)
        .map(|(&l, &h)| exact(h) - exact(l))
        .product()
}

#[test]
fn polygon_areas_match_the_oracle_and_sum_to_the_box() {
    // Random tidy networks (weights multiples of 1/1024, so every composed
    // row is exact in f64 and the library's rows are the oracle's lines).
    let (lo, hi) = ([-0.75, -1.0], [1.25, 0.5]);
    for seed in 0..4 {
        let mut rng = StdRng::seed_from_u64(seed);
        let layers = vec![random_layer(&mut rng, 2, 8), random_layer(&mut rng, 8, 6)];
        let expected = oracle_measures(&layers, &lo, &hi);
        let (found, v) = volumes(&network(&layers), &boxed(&lo, &hi));
        assert_eq!(
            found, expected,
            "seed {seed}: areas by pattern differ from the oracle's"
        );
        let total: Q = found.values().sum();
        assert_eq!(total, box_measure(&lo, &hi), "seed {seed}");
        assert_eq!(v.fraction_sum_exact.as_deref(), Some("1"));
        assert_eq!(v.domain_volume_exact.as_deref(), Some("3"));
        assert!(expected.len() > 10, "seed {seed}: a weak test");
    }
}

#[test]
fn a_fixed_coordinate_measures_the_slice() {
    // Three inputs with x_1 fixed at 1/4: the slice is the network on
    // (x_0, x_2) with column 1 folded into the bias (exact: tidy weights
    // times 1/4), which the 2-D oracle measures.
    let mut rng = StdRng::seed_from_u64(11);
    let layers = vec![random_layer(&mut rng, 3, 7), random_layer(&mut rng, 7, 5)];
    let fixed = 0.25;
    let mut folded = layers.clone();
    folded[0].weight = layers[0]
        .weight
        .iter()
        .map(|row| vec![row[0], row[2]])
        .collect();
    folded[0].bias = layers[0]
        .bias
        .iter()
        .zip(&layers[0].weight)
        .map(|(b, row)| b + row[1] * fixed)
        .collect();
    let expected = oracle_measures(&folded, &[-1.0, -1.0], &[1.0, 1.0]);
    let domain = boxed(&[-1.0, fixed, -1.0], &[1.0, fixed, 1.0]);
    let (found, v) = volumes(&network(&layers), &domain);
    assert_eq!(found, expected);
    assert_eq!(v.free_dim, 2);
    assert_eq!(v.domain_volume_exact.as_deref(), Some("4"));
}

#[test]
fn intervals_tile_the_line() {
    // Telgarsky's sawtooth of depth 3 on [0, 1] has 2^3 = 8 pieces, each of
    // length exactly 1/8 (its breakpoints are k/8; docs/design.md §7).
    let (found, v) = volumes(&network(&sawtooth(3)), &boxed(&[0.0], &[1.0]));
    assert_eq!(found.len(), 8);
    for (pattern, length) in &found {
        assert_eq!(*length, Q::new(1.into(), 8.into()), "{pattern}");
    }
    assert_eq!(v.fraction_sum_exact.as_deref(), Some("1"));
    // A random deep network: the lengths are the oracle's, and they add up
    // to the interval exactly.
    let mut rng = StdRng::seed_from_u64(5);
    let layers = vec![
        random_layer(&mut rng, 1, 10),
        random_layer(&mut rng, 10, 10),
    ];
    let expected = oracle_measures(&layers, &[-1.5], &[2.0]);
    let (found, _) = volumes(&network(&layers), &boxed(&[-1.5], &[2.0]));
    assert_eq!(found, expected);
    assert_eq!(found.values().sum::<Q>(), exact(3.5));
}

#[test]
fn mean_discovery_curve_over_200_seeds_is_the_expected_one() {
    let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    let mut rng = StdRng::seed_from_u64(21);
    let layers = vec![random_layer(&mut rng, 2, 6), random_layer(&mut rng, 6, 6)];
    let net = network(&layers);
    let domain = boxed(&lo, &hi);
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    // p_r from the oracle's exact areas, not from the library.
    let area = box_measure(&lo, &hi);
    let p: Vec<f64> = oracle_regions(&layers, &lo, &hi)
        .iter()
        .map(|r| (&r.measure / &area).to_f64().unwrap())
        .collect();
    let r = p.len() as f64;
    assert!(p.len() > 15, "{} regions: a weak test", p.len());
    let n_max = 1024;
    let seeds = 200u64;
    let mut sums: BTreeMap<u64, f64> = BTreeMap::new();
    for seed in 0..seeds {
        let options = SampleOptions {
            points: PointSource::Uniform { samples: n_max },
            exact: ExactSource::None,
            seed,
        };
        let report = run_sample(&net, &domain, &space, &GoodLpMicrolp, &options).unwrap();
        for c in &report.curve {
            *sums.entry(c.n).or_default() += c.observed as f64;
        }
    }
    assert_eq!(sums.len(), 11, "n = 1, 2, 4, ..., 1024");
    for (&n, &sum) in &sums {
        let mean = sum / seeds as f64;
        // K(n) = Σ_r I_r, where I_r says whether any of the n points fell in
        // region r: E[I_r] = q_r = 1 − (1 − p_r)^n, so E[K(n)] = Σ q_r.
        let q: Vec<f64> = p.iter().map(|&p| 1.0 - (1.0 - p).powi(n as i32)).collect();
        let expected: f64 = q.iter().sum();
        // Variance. Var(I_r) = q_r (1 − q_r). For r ≠ s the points are
        // multinomial, and Cov(I_r, I_s) = P(neither hit) − P(r missed) P(s missed)
        // = (1 − p_r − p_s)^n − (1 − p_r)^n (1 − p_s)^n ≤ 0, because
        // 1 − p_r − p_s ≤ (1 − p_r)(1 − p_s) = 1 − p_r − p_s + p_r p_s.
        // So Var K(n) ≤ V = Σ_r q_r (1 − q_r).
        let v: f64 = q.iter().map(|q| q * (1.0 - q)).sum();
        // The mean of S = 200 independent runs: each K(n) lies in
        // [1, min(n, R)], so |K − E K| ≤ M = min(n, R) − 1. Bernstein's
        // inequality: P(|mean − E| ≥ t) ≤ 2 exp(−S t² / (2V + 2Mt/3)).
        // Setting the right side to δ = 1e-6 and solving the quadratic
        // S t² − (2M L/3) t − 2V L = 0 with L = ln(2/δ) gives the bound t: a
        // correct sampler exceeds it with probability below 1e-6 at each n
        // (1.1e-5 over the 11 values), whatever the seeds.
        let s = seeds as f64;
        let m = (n as f64).min(r) - 1.0;
        let l = (2.0f64 / 1e-6).ln();
        let b = 2.0 * m * l / 3.0;
        let t = (b + (b * b + 8.0 * s * v * l).sqrt()) / (2.0 * s) + 1e-9;
        assert!(
            (mean - expected).abs() <= t,
            "n = {n}: mean K = {mean}, E[K] = {expected}, bound {t} (sd of the mean {})",
            (v / s).sqrt()
        );
    }
    // The library's own expected curve (volumes by the walk and exact
    // clipping) is the one computed here from the oracle.
    let options = SampleOptions {
        points: PointSource::Uniform { samples: n_max },
        exact: ExactSource::Walk,
        seed: 0,
    };
    let report = run_sample(&net, &domain, &space, &GoodLpMicrolp, &options).unwrap();
    for c in &report.curve {
        let expected: f64 = p.iter().map(|&p| 1.0 - (1.0 - p).powi(c.n as i32)).sum();
        let e = c.expected.unwrap();
        assert!(
            (e - expected).abs() < 1e-9 * r,
            "n = {}: {e} vs {expected}",
            c.n
        );
    }
}

#[test]
fn a_small_sample_misses_exactly_the_thin_regions() {
    // Four lines through points within 2^-9 of P = (1/8, 1/4): in general
    // position, so 1 + 4 + 6 = 11 regions (Zaslavsky; every crossing is
    // inside the box). Three are the bounded cells near P, each of area
    // below 1e-5; the other eight are wedges, the smallest of area above
    // 0.1 (checked below with the oracle). 2000 uniform points then miss a
    // given thin cell with probability ≥ (1 − 2.5e-6)^2000 > 0.99 and a
    // given wedge with probability ≤ (1 − 0.025)^2000 < 1e-21.
    let p = [0.125, 0.25];
    let normals = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]];
    let offsets = [0.0, 1.0 / 512.0, -1.0 / 1024.0, 3.0 / 2048.0];
    let weight: Vec<Vec<f64>> = normals.iter().map(|n| n.to_vec()).collect();
    let bias: Vec<f64> = normals
        .iter()
        .zip(offsets)
        .map(|(n, d)| -(n[0] * p[0] + n[1] * p[1]) + d)
        .collect();
    let layers = vec![OracleLayer { weight, bias }];
    let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    let oracle = oracle_measures(&layers, &lo, &hi);
    assert_eq!(oracle.len(), 11);
    let area = box_measure(&lo, &hi);
    let thin: BTreeMap<&String, &Q> = oracle.iter().filter(|(_, m)| **m < exact(1e-5)).collect();
    assert_eq!(thin.len(), 3);
    assert!(oracle.values().all(|m| *m < exact(1e-5) || *m > exact(0.1)));

    let net = network(&layers);
    let domain = boxed(&lo, &hi);
    enumerate(&net, &domain); // the walk's invariants
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    let options = SampleOptions {
        points: PointSource::Uniform { samples: 2000 },
        exact: ExactSource::Walk,
        seed: 1,
    };
    let report = run_sample(&net, &domain, &space, &GoodLpMicrolp, &options).unwrap();
    let c = report.comparison.expect("compared");
    assert_eq!(c.regions, 11);
    assert_eq!(report.distinct_patterns, 8);
    let missed: BTreeMap<&String, Q> = c
        .missed
        .iter()
        .map(|m| {
            let fraction = m.volume.fraction_exact.as_deref().unwrap();
            (&m.pattern, Q::from_str(fraction).unwrap())
        })
        .collect();
    assert_eq!(
        missed.keys().collect::<Vec<_>>(),
        thin.keys().collect::<Vec<_>>(),
        "the missed regions are exactly the thin ones"
    );
    for (pattern, fraction) in &missed {
        assert_eq!(*fraction, thin[pattern] / &area, "{pattern}");
        assert!(!fraction.is_zero());
    }
    // Expected: the eight wedges surely, the thin cells almost never.
    assert!(
        (c.expected_distinct - 8.0).abs() < 0.05,
        "{}",
        c.expected_distinct
    );
}

#[test]
fn monte_carlo_volumes_in_3d_agree_with_the_oracle() {
    // A 3-input network that ignores its last input: its regions are prisms
    // over the regions of the 2-D network on the first two inputs, so their
    // volume fractions are the 2-D oracle's area fractions. From 3-D up the
    // library estimates volumes by Monte Carlo.
    let (lo, hi) = ([-1.0, -0.5], [1.0, 1.5]);
    let mut rng = StdRng::seed_from_u64(31);
    let flat = vec![random_layer(&mut rng, 2, 10), random_layer(&mut rng, 10, 8)];
    let mut layers = flat.clone();
    for row in &mut layers[0].weight {
        row.push(0.0);
    }
    let area = box_measure(&lo, &hi);
    let expected: BTreeMap<String, f64> = oracle_regions(&flat, &lo, &hi)
        .into_iter()
        .map(|r| (r.pattern, (r.measure / &area).to_f64().unwrap()))
        .collect();
    let net = network(&layers);
    let domain = boxed(&[lo[0], lo[1], 2.0], &[hi[0], hi[1], 2.25]);
    let (reports, _) = enumerate(&net, &domain);
    let records: Vec<RegionRecord> = reports.iter().map(RegionRecord::from).collect();
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    assert!(
        records.len() >= 30,
        "{} regions: a weak test",
        records.len()
    );
    assert_eq!(records.len(), expected.len());
    let (seeds, mut outside, mut intervals) = (5, 0, 0);
    for seed in 0..seeds {
        let v = region_volumes(&domain, &space, &records, &GoodLpMicrolp, seed).unwrap();
        assert_eq!(v.method, VolumeMethod::MonteCarlo);
        assert_eq!(v.domain_volume, 2.0 * 2.0 * 0.25);
        for (r, vol) in records.iter().zip(&v.regions) {
            let truth = expected[&r.pattern];
            let [l, h] = vol.fraction_ci95.unwrap();
            outside += usize::from(truth < l || truth > h);
            intervals += 1;
            // Each estimate rests on about 100 hits: a relative standard
            // error near 10%, so 50% is five of them.
            assert!(
                (vol.fraction - truth).abs() <= 0.5 * truth,
                "seed {seed}, {}: {} vs {truth}",
                r.pattern,
                vol.fraction
            );
        }
        assert!((v.fraction_sum - 1.0).abs() < 0.05, "{}", v.fraction_sum);
    }
    // The 95% intervals miss the truth about 5% of the time: the misses
    // are binomial(I, 0.05) for I = 5R intervals (I ≥ 150: mean I/20,
    // standard deviation sqrt(I · 0.05 · 0.95) ≈ 0.218 sqrt(I)), so 12% of I
    // is at least 0.07 I / (0.218 sqrt(I)) ≥ 3.9 standard deviations above
    // the mean.
    assert!(
        outside * 100 <= 12 * intervals,
        "{outside} of {intervals} intervals miss"
    );
}
