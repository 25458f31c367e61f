//! Exact by default: a cell thinner than the float tolerance is found by a
//! plain walk, because every near-tie goes to the exact path
//! (`src/walk/near_ties.rs`, docs/numerics.md). Each case is built so that
//! the float walk (`float_decisions`) loses a region, which the test checks
//! first, or it would test nothing; the expected counts come from
//! Zaslavsky's formula for lines in general position, or from the exact
//! rational polygon oracle (`tests/common/oracle.rs`).

mod common;

use common::nets::{binomial, layer};
use common::oracle::{oracle_regions, OracleLayer};
use common::walk::{boxed, network};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regionwalk::lp::{DenseSimplex, GoodLpMicrolp, LpEngine};
use regionwalk::{Domain, Network, WalkOptions, WalkStats, Walker, WorkSpace};
use std::collections::BTreeSet;

/// The patterns of a walk with `engine`, with float decisions or the
/// default ones, and its stats.
fn walk(
    net: &Network,
    domain: &Domain,
    engine: &dyn LpEngine,
    float_decisions: bool,
) -> (BTreeSet<String>, WalkStats) {
    let space = WorkSpace::new(net, domain, engine).unwrap();
    let options = WalkOptions {
        float_decisions,
        ..WalkOptions::default()
    };
    let mut found = BTreeSet::new();
    let stats = Walker::new(&space, engine, options)
        .run(|r| {
            assert!(found.insert(r.pattern.to_string()), "pattern twice");
            Ok(())
        })
        .unwrap();
    (found, stats)
}

/// `n` random lines (Gaussian coefficients, in general position with
/// probability one) and, first, three lines bounding a triangle of side
/// `delta` near `(x0, y0)`: `y = y0`, `x = x0`, `(x − x0) + (y − y0) = delta`.
fn lines_with_a_thin_triangle(
    n: usize,
    seed: u64,
    (x0, y0): (f64, f64),
    delta: f64,
) -> OracleLayer {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut gauss = || {
        // Box–Muller: the test only needs generic coefficients.
        let (u, v): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen_range(0.0..1.0));
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let mut weight = vec![vec![0.0, 1.0], vec![1.0, 0.0], vec![1.0, 1.0]];
    let mut bias = vec![-y0, -x0, -(x0 + y0 + delta)];
    for _ in 0..n {
        weight.push(vec![gauss(), gauss()]);
        bias.push(gauss());
    }
    layer(weight, bias)
}

#[test]
fn a_thin_triangle_among_generic_lines_over_the_whole_plane() {
    // 3 + 40 lines in general position: 1 + m + C(m, 2) regions
    // (Zaslavsky), one of them a triangle of side 1e-10 at (0.3, −0.2),
    // whose Chebyshev radius (~3e-11) is below the float tolerance τ = 1e-8.
    let layer = lines_with_a_thin_triangle(40, 7, (0.3, -0.2), 1e-10);
    let m = layer.weight.len() as u64;
    let expected = 1 + m + binomial(m, 2);
    let net = network(&[layer]);
    let whole = Domain::Whole(2);
    for engine in [&DenseSimplex as &dyn LpEngine, &GoodLpMicrolp] {
        let (float, _) = walk(&net, &whole, engine, true);
        assert!(
            (float.len() as u64) < expected,
            "{}: the float walk found all {expected} regions; the case is not thin enough to test anything",
            engine.name()
        );
        let (exact, stats) = walk(&net, &whole, engine, false);
        assert_eq!(exact.len() as u64, expected, "{}", engine.name());
        assert!(stats.near_ties > 0, "{stats:?}");
        assert!(float.is_subset(&exact));
    }
}

#[test]
fn a_thin_sliver_made_by_a_second_layer_matches_the_oracle() {
    // Layer 1: relu(y), relu(x), and 10 random tidy lines; layer 2: a
    // neuron relu(y) + relu(x) − 1e-10, whose zero set in the positive
    // quadrant is a segment cutting off a triangle of side 1e-10 at the
    // origin, and 6 random neurons. The oracle clips polygons in exact
    // rationals, so it sees the sliver.
    let mut rng = StdRng::seed_from_u64(3);
    let mut tidy = || rng.gen_range(-1024i32..=1024) as f64 / 1024.0;
    let mut w1 = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
    let mut b1 = vec![0.0, 0.0];
    for _ in 0..10 {
        w1.push(vec![tidy(), tidy()]);
        b1.push(tidy());
    }
    let mut w2 = vec![{
        let mut row = vec![0.0; 12];
        row[0] = 1.0;
        row[1] = 1.0;
        row
    }];
    let mut b2 = vec![-1e-10];
    for _ in 0..6 {
        w2.push((0..12).map(|_| tidy()).collect());
        b2.push(tidy());
    }
    let layers = [layer(w1, b1), layer(w2, b2)];
    let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    let expected: BTreeSet<String> = oracle_regions(&layers, &lo, &hi)
        .into_iter()
        .map(|r| r.pattern)
        .collect();
    let net = network(&layers);
    let domain = boxed(&lo, &hi);
    for engine in [&DenseSimplex as &dyn LpEngine, &GoodLpMicrolp] {
        let (float, _) = walk(&net, &domain, engine, true);
        assert!(
            float.len() < expected.len(),
            "{}: the float walk found every region; the case tests nothing",
            engine.name()
        );
        let (exact, _) = walk(&net, &domain, engine, false);
        assert_eq!(exact, expected, "{}", engine.name());
    }
}
