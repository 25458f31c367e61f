//! The walk with the dense LP engine for every LP (side tests, boxes,
//! Chebyshev balls, facets) against the exact oracle and against the walk
//! with the reference engine; and the polygon walk (the default engine in
//! two free coordinates) against the oracle, the LP walk, and Zaslavsky's
//! count on a cell thinner than the LP walk's tolerance. The LP engines
//! themselves are cross-checked LP by LP in `lp_engines.rs`.

mod common;

use common::nets::{binomial, generic_layer, intersection, lines_of, random_net, sawtooth};
use common::oracle::{exact, oracle_regions, oracle_slice_regions, OracleLayer};
use common::walk::{boxed, network};
use num_traits::Signed;
use rand::rngs::StdRng;
use rand::SeedableRng;
use regionwalk::lp::{DenseSimplex, GoodLpMicrolp, LpEngine};
use regionwalk::{
    AffineSlice, Domain, EngineChoice, Network, RowSource, RunControl, WalkOptions, WalkStats,
    Walker, WorkSpace,
};
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
    let lines = four_lines_through_one_point();
    assert_eq!(walk_matches_oracle(&[lines], &[-1.0, -1.0], &[1.0, 1.0]), 8);
}

/// Four lines through (0.25, −0.5), inside the square (−1, 1)²: 8 sectors.
fn four_lines_through_one_point() -> OracleLayer {
    OracleLayer {
        weight: vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 1.0],
            vec![1.0, -1.0],
        ],
        bias: vec![-0.25, 0.5, 0.25, -0.75],
    }
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

/// The regions of a plain walk (no Chebyshev balls, no facets) with the
/// engine `choice` names, in tree order: pattern and row sources; and the
/// walk's statistics.
fn region_list(net: &Network, domain: &Domain, choice: EngineChoice) -> (Vec<Listed>, WalkStats) {
    let engine = choice.engine();
    let space = WorkSpace::new(net, domain, engine).unwrap();
    let mut list = Vec::new();
    let stats = Walker::new(&space, engine, WalkOptions::default())
        .run(|r| {
            list.push((r.pattern.to_string(), r.sources));
            Ok(())
        })
        .unwrap();
    (list, stats)
}

type Listed = (String, Vec<RowSource>);

/// The polygon walk (the default engine in two free coordinates) and the
/// LP walk (`dense`) give the same regions in the same order, with the same
/// rows; the polygon walk solves no LP (so it is the one that ran). Returns
/// the regions.
fn engines_agree(net: &Network, domain: &Domain) -> Vec<Listed> {
    let (polygon, stats) = region_list(net, domain, EngineChoice::Auto);
    let (lp, lp_stats) = region_list(net, domain, EngineChoice::Dense);
    assert_eq!(polygon, lp, "the polygon and LP walks differ");
    assert_eq!(stats.lp_solves, 0, "the polygon walk solves no LP");
    assert!(lp_stats.lp_solves > 0);
    assert_eq!(stats.side_tests, lp_stats.side_tests);
    polygon
}

/// On every two-input oracle case of the test above (random nets over a
/// box, k lines through one point), the polygon walk finds the oracle's
/// patterns (exact rational clipping, `tests/common/oracle.rs`) and the LP
/// walk's list, in order.
#[test]
fn the_polygon_walk_matches_the_oracle_and_the_lp_walk() {
    let oracle = |layers: &[OracleLayer], lo: &[f64], hi: &[f64]| -> BTreeSet<String> {
        oracle_regions(layers, lo, hi)
            .into_iter()
            .map(|r| r.pattern)
            .collect()
    };
    for seed in 0..4 {
        let layers = random_net(seed, 2, &[12, 12, 12]);
        let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
        let list = engines_agree(&network(&layers), &boxed(&lo, &hi));
        let found: BTreeSet<String> = list.into_iter().map(|(p, _)| p).collect();
        assert_eq!(found, oracle(&layers, &lo, &hi), "seed {seed}");
    }
    // Four lines through one point: 8 sectors (the oracle's count).
    let lines = four_lines_through_one_point();
    let list = engines_agree(
        &network(std::slice::from_ref(&lines)),
        &boxed(&[-1.0, -1.0], &[1.0, 1.0]),
    );
    assert_eq!(list.len(), 8);
    assert_eq!(
        list.len(),
        oracle(&[lines], &[-1.0, -1.0], &[1.0, 1.0]).len()
    );
    // A box of three inputs with the middle one fixed: the oracle's slice.
    let layers = random_net(7, 3, &[10, 10]);
    let (lo, hi) = ([-1.0, 0.25, -2.0], [1.0, 0.25, 0.5]);
    let found: BTreeSet<String> = engines_agree(&network(&layers), &boxed(&lo, &hi))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let expected: BTreeSet<String> =
        oracle_slice_regions(&layers, &[(1, 0.25)], &[-1.0, -2.0], &[1.0, 0.5])
            .into_iter()
            .map(|r| r.pattern)
            .collect();
    assert_eq!(found, expected);
}

/// Unbounded domains (the whole plane), a polytope, and a plane through
/// three points of a 3-input model: the two walks agree region by region.
#[test]
fn the_polygon_walk_agrees_on_unbounded_polytope_and_plane_domains() {
    for seed in 0..3 {
        let net = network(&random_net(50 + seed, 2, &[10, 10]));
        assert!(engines_agree(&net, &Domain::Whole(2)).len() > 20);
    }
    // A pentagon, given by its rows (one of them repeated).
    let pentagon = Domain::Polytope {
        a: vec![
            vec![1.0, 0.25],
            vec![0.5, 1.0],
            vec![-1.0, 0.75],
            vec![-0.5, -1.0],
            vec![0.75, -1.0],
            vec![1.0, 0.25],
        ],
        b: vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    };
    let net = network(&random_net(60, 2, &[12, 12]));
    assert!(engines_agree(&net, &pentagon).len() > 20);
    // A polytope unbounded on one side: the half-plane x + y > −1.
    let half = Domain::Polytope {
        a: vec![vec![-1.0, -1.0]],
        b: vec![1.0],
    };
    assert!(engines_agree(&net, &half).len() > 20);
    // The plane through three points of a 3-input model, over a window.
    let net = network(&random_net(61, 3, &[10, 10]));
    let plane = AffineSlice::new(
        vec![
            vec![0.0, 0.0, 0.0],
            vec![1.0, 0.5, -0.25],
            vec![-0.5, 1.0, 0.75],
        ],
        Some(vec![(-1.0, 1.0), (-1.0, 1.0)]),
        3,
    )
    .unwrap();
    assert!(engines_agree(&net, &Domain::Affine(plane)).len() > 20);
}

/// One layer of generic lines over the whole plane, three of which nearly
/// meet in one point: they bound a triangle about 1e-12 across, far
/// thinner than the LP walk's interior tolerance (1e-8). The polygon walk
/// decides the tests at its corners exactly and finds every region: the
/// lines are checked in general position in exact rationals (no two
/// parallel, no three through one point), so Zaslavsky's formula gives the
/// count, 1 + n + C(n, 2).
#[test]
fn the_polygon_walk_finds_a_triangle_thinner_than_the_tolerance() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut layer = generic_layer(&mut rng, 2, 20);
    // Three lines through (0.1, 0.2), the third moved by 1e-12.
    let q = [0.1, 0.2];
    for (a, shift) in [
        ([0.6, -0.8], 0.0),
        ([0.28, 0.96], 0.0),
        ([-1.0, 0.1], 1e-12),
    ] {
        layer.weight.push(a.to_vec());
        layer.bias.push(-(a[0] * q[0] + a[1] * q[1]) + shift);
    }
    let lines = lines_of(&layer);
    let n = lines.len();
    let mut points = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let p = intersection(&lines[i], &lines[j]).expect("no two lines parallel");
            assert!(!points.contains(&p), "three lines through one point");
            points.push(p);
        }
    }
    // The thin triangle's corners, exactly: all within 1e-11 of each other.
    let corners = [
        intersection(&lines[n - 3], &lines[n - 2]).unwrap(),
        intersection(&lines[n - 3], &lines[n - 1]).unwrap(),
        intersection(&lines[n - 2], &lines[n - 1]).unwrap(),
    ];
    let tiny = exact(1e-11);
    for c in &corners[1..] {
        for k in 0..2 {
            assert!(
                (&c[k] - &corners[0][k]).abs() < tiny,
                "the triangle is thin"
            );
        }
    }
    let expected = 1 + n as u64 + binomial(n as u64, 2);
    let (list, stats) = region_list(&network(&[layer]), &Domain::Whole(2), EngineChoice::Auto);
    assert_eq!(list.len() as u64, expected);
    let distinct: BTreeSet<&String> = list.iter().map(|(p, _)| p).collect();
    assert_eq!(distinct.len(), list.len(), "patterns are distinct");
    assert!(stats.near_ties > 0, "the thin triangle needs exact tests");
}

/// The polygon walk lists its regions in tree order whatever the number of
/// threads, and a limit of `m` regions stops it after the first `m` of that
/// order: the expected list is the one-thread walk's, a second run of the
/// same code (the order itself is checked against the LP walk above).
#[test]
fn the_polygon_walk_keeps_its_order_on_threads_and_under_a_limit() {
    let net = network(&random_net(70, 2, &[12, 12, 12]));
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let engine = EngineChoice::Auto.engine();
    let space = WorkSpace::new(&net, &domain, engine).unwrap();
    let walk = |threads: usize, limit: Option<u64>| -> Vec<String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let control: &'static RunControl =
            Box::leak(Box::new(RunControl::with_limits(limit, None)));
        let options = WalkOptions {
            control: Some(control),
            ..WalkOptions::default()
        };
        let mut list = Vec::new();
        pool.install(|| {
            Walker::new(&space, engine, options)
                .run(|r| {
                    list.push(r.pattern.to_string());
                    Ok(())
                })
                .unwrap()
        });
        list
    };
    let one = walk(1, None);
    assert!(one.len() > 100, "{} regions", one.len());
    assert_eq!(walk(3, None), one);
    for threads in [1, 3] {
        assert_eq!(walk(threads, Some(37)), one[..37], "{threads} threads");
    }
}

/// Lines with parallel pairs over the whole plane: strips and half-strips,
/// unbounded cells whose vertices at infinity a parallel line passes through
/// (a near-tie at every such test, decided exactly). Each line adds one
/// region plus one per earlier line it crosses, so with no three lines
/// through one point (checked exactly) there are `1 + n + crossings`
/// regions, `crossings` the pairs that are not parallel.
#[test]
fn the_polygon_walk_counts_strips_of_parallel_lines_exactly() {
    let layer = OracleLayer {
        weight: vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 0.0],
            vec![1.0, 1.0],
            vec![0.0, 2.0],
            vec![-2.0, -2.0],
            vec![1.0, -3.0],
        ],
        bias: vec![0.0, 0.0, -1.0, -3.0, -1.0, 2.5, 6.0],
    };
    let lines = lines_of(&layer);
    let (mut crossings, mut points) = (0, Vec::new());
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            if let Some(p) = intersection(&lines[i], &lines[j]) {
                assert!(!points.contains(&p), "three lines through one point");
                points.push(p);
                crossings += 1;
            }
        }
    }
    assert_eq!(crossings, 21 - 3, "three parallel pairs");
    let n = lines.len();
    let net = network(&[layer]);
    let list = engines_agree(&net, &Domain::Whole(2));
    assert_eq!(list.len(), 1 + n + crossings);
    let (_, stats) = region_list(&net, &Domain::Whole(2), EngineChoice::Auto);
    assert!(stats.near_ties > 0, "parallel lines meet at infinity");
}
