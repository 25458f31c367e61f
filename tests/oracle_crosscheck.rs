//! The enumerator against a second, independent exact implementation: the
//! rational interval and polygon clipping of `tests/common/oracle.rs`, on
//! random deep networks in 1-D and 2-D, with tidy weights (exact in f64
//! products) and with full-precision ones (whose products round in f64).
//! The two must find the same set of activation patterns.

mod common;

use common::nets::{random_net, random_net_full};
use common::oracle::{oracle_regions, OracleLayer};
use common::walk::{boxed, network, patterns};
use std::collections::BTreeSet;

fn compare(layers: &[OracleLayer], lo: &[f64], hi: &[f64]) -> usize {
    let expected: BTreeSet<String> = oracle_regions(layers, lo, hi)
        .into_iter()
        .map(|r| r.pattern)
        .collect();
    let found = patterns(&network(layers), &boxed(lo, hi));
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    expected.len()
}

#[test]
fn one_dimensional_deep_networks() {
    for seed in 0..6 {
        let n = compare(&random_net(seed, 1, &[16, 16, 16]), &[-2.0], &[2.0]);
        assert!(
            n > 4,
            "seed {seed}: only {n} regions; the test would be weak"
        );
        compare(
            &random_net(100 + seed, 1, &[24, 24, 24, 24]),
            &[-2.0],
            &[2.0],
        );
    }
}

#[test]
fn two_dimensional_deep_networks() {
    for seed in 0..3 {
        let n = compare(
            &random_net(seed, 2, &[16, 16, 16]),
            &[-1.0, -1.0],
            &[1.0, 1.0],
        );
        assert!(
            n > 50,
            "seed {seed}: only {n} regions; the test would be weak"
        );
    }
    for seed in 0..2 {
        compare(
            &random_net(300 + seed, 2, &[24, 24, 24, 24]),
            &[-1.0, -0.5],
            &[0.75, 1.0],
        );
    }
}

#[test]
fn deep_networks_with_full_precision_weights() {
    // Weights with 53 significant bits: the float walk rounds every product
    // and sum of them, the oracle does not.
    for seed in 0..4 {
        let n = compare(
            &random_net_full(500 + seed, 1, &[16, 16, 16]),
            &[-2.0],
            &[2.0],
        );
        assert!(
            n > 4,
            "seed {seed}: only {n} regions; the test would be weak"
        );
    }
    for seed in 0..2 {
        let n = compare(
            &random_net_full(600 + seed, 2, &[10, 10, 10]),
            &[-1.0, -1.0],
            &[1.0, 1.0],
        );
        assert!(
            n > 50,
            "seed {seed}: only {n} regions; the test would be weak"
        );
    }
}
