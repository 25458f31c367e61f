//! The walk with the dense LP engine for every LP (side tests, boxes,
//! Chebyshev balls, facets) against the exact oracle and against the walk
//! with the reference engine. The engines themselves are cross-checked LP by
//! LP in `lp_engines.rs`.

mod common;

use common::nets::{random_net, sawtooth};
use common::oracle::{oracle_regions, OracleLayer};
use common::walk::{boxed, network};
use regionwalk::lp::{DenseSimplex, GoodLpMicrolp, LpEngine};
use regionwalk::{Domain, Network, WalkOptions, Walker, WorkSpace};
use std::collections::BTreeSet;

/// The patterns the walk finds with `engine` for its every LP, Chebyshev
/// balls and facets included.
fn walk_patterns(net: &Network, domain: &Domain, engine: &dyn LpEngine) -> BTreeSet<String> {
    let space = WorkSpace::new(net, domain, engine).unwrap();
    let options = WalkOptions {
        chebyshev: true,
        facets: true,
        ..WalkOptions::default()
    };
    let mut found = BTreeSet::new();
    Walker::new(&space, engine, options)
        .run(|r| {
            assert!(found.insert(r.pattern.to_string()), "pattern twice");
            Ok(())
        })
        .unwrap();
    found
}

/// The walk with the dense engine finds the oracle's patterns (rational
/// polygon clipping, independent of any LP); returns how many.
fn walk_matches_oracle(layers: &[OracleLayer], lo: &[f64], hi: &[f64]) -> usize {
    let expected: BTreeSet<String> = oracle_regions(layers, lo, hi)
        .into_iter()
        .map(|r| r.pattern)
        .collect();
    let found = walk_patterns(&network(layers), &boxed(lo, hi), &DenseSimplex);
    assert_eq!(found, expected);
    expected.len()
}

#[test]
fn the_walk_with_the_dense_engine_matches_the_oracle() {
    for seed in 0..4 {
        walk_matches_oracle(&random_net(seed, 1, &[16, 16, 16]), &[-2.0], &[2.0]);
        let n = walk_matches_oracle(
            &random_net(seed, 2, &[12, 12, 12]),
            &[-1.0, -1.0],
            &[1.0, 1.0],
        );
        assert!(n > 30, "seed {seed}: only {n} regions");
    }
    // Telgarsky's sawtooth: 2^depth regions on [0, 1], every breakpoint
    // shared by two neurons (a degenerate arrangement).
    assert_eq!(walk_matches_oracle(&sawtooth(5), &[0.0], &[1.0]), 32);
    // k lines through one point inside the square: 2k sectors.
    let lines = OracleLayer {
        weight: vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 1.0],
            vec![1.0, -1.0],
        ],
        bias: vec![-0.25, 0.5, 0.25, -0.75],
    };
    assert_eq!(walk_matches_oracle(&[lines], &[-1.0, -1.0], &[1.0, 1.0]), 8);
}

/// Over the whole space (no box: unbounded cells, bounding-box LPs that are
/// unbounded), the two engines find the same patterns.
#[test]
fn the_engines_agree_over_the_whole_space() {
    for seed in 0..3 {
        let net = network(&random_net(50 + seed, 2, &[10, 10]));
        let whole = Domain::Whole(2);
        let dense = walk_patterns(&net, &whole, &DenseSimplex);
        assert_eq!(dense, walk_patterns(&net, &whole, &GoodLpMicrolp));
        assert!(dense.len() > 20);
    }
}
