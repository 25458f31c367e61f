//! Certified counts: the certificate of every test network passes the
//! independent checker and certifies the count the exact oracle gives (on
//! boxes, slices and polytopes); slivers thinner than the float tolerance are
//! counted exactly. Tampering is in `certificate_tampering.rs`.

mod common;

use common::certify::{certified_count, certify, check};
use common::nets::{random_net_full, side_by_side, tidy};
use common::oracle::{oracle_regions, oracle_slice_regions, OracleLayer};
use common::walk::{boxed, network};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regionwalk::{Domain, GoodLpMicrolp, WalkOptions, Walker, WorkSpace};

fn layer(weight: Vec<Vec<f64>>, bias: Vec<f64>) -> OracleLayer {
    OracleLayer { weight, bias }
}

fn random_net(rng: &mut StdRng, d: usize, widths: &[usize]) -> Vec<OracleLayer> {
    let mut inputs = d;
    widths
        .iter()
        .map(|&w| {
            let l = layer(
                (0..w)
                    .map(|_| (0..inputs).map(|_| tidy(rng)).collect())
                    .collect(),
                (0..w).map(|_| tidy(rng) * 0.5).collect(),
            );
            inputs = w;
            l
        })
        .collect()
}

#[test]
fn certified_counts_equal_the_oracle_on_random_small_networks() {
    // Property test: 1-3 inputs, up to 3 layers; the expected count is the
    // exact oracle's. The oracle takes 1 or 2 inputs, so a 3-input network
    // is a 2-input one and a 1-input one side by side (block-diagonal
    // layers): its regions are the products of theirs, |a| · |b| of them.
    let mut rng = StdRng::seed_from_u64(11);
    for case in 0..24 {
        let d = 1 + case % 3;
        let depth = 1 + (case / 3) % 3;
        let widths: Vec<usize> = (0..depth).map(|_| rng.gen_range(2..7)).collect();
        let (layers, expected) = if d <= 2 {
            let layers = random_net(&mut rng, d, &widths);
            let n = oracle_regions(&layers, &vec![-1.0; d], &vec![1.0; d]).len();
            (layers, n)
        } else {
            let narrow: Vec<usize> = widths.iter().map(|w| (w / 2).max(1)).collect();
            let a = random_net(&mut rng, 2, &widths);
            let b = random_net(&mut rng, 1, &narrow);
            let n = oracle_regions(&a, &[-1.0; 2], &[1.0; 2]).len()
                * oracle_regions(&b, &[-1.0], &[1.0]).len();
            (side_by_side(&a, &b), n)
        };
        let net = network(&layers);
        let n = certified_count(&net, &boxed(&vec![-1.0; d], &vec![1.0; d]));
        assert_eq!(
            n as usize, expected,
            "case {case}: d {d}, widths {widths:?}"
        );
    }
}

#[test]
fn certified_counts_with_full_precision_weights_equal_the_oracle() {
    // Weights with 53 significant bits, whose products round in f64: the
    // certificate proves the exact network's count, the oracle's.
    for seed in 0..3 {
        let layers = random_net_full(700 + seed, 2, &[6, 6, 6]);
        let expected = oracle_regions(&layers, &[-1.0, -1.0], &[1.0, 1.0]).len();
        let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
        assert_eq!(
            certified_count(&network(&layers), &domain) as usize,
            expected
        );
    }
}

#[test]
fn certified_counts_on_degenerate_networks() {
    // Duplicates, a zero row, three concurrent lines, a copy and a negation
    // in a deeper layer: counts from the oracle (see tests/degenerate.rs for
    // the hand counts).
    let sq = ([-1.0, -1.0], [1.0, 1.0]);
    let nets = vec![
        vec![layer(
            vec![vec![1.0, 1.0], vec![1.0, 1.0], vec![2.0, 2.0]],
            vec![0.0, 0.0, 0.0],
        )],
        vec![layer(vec![vec![1.0, -0.5], vec![0.0, 0.0]], vec![0.1, 0.0])],
        vec![layer(
            vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]],
            vec![-0.25, 0.5, 0.25],
        )],
        vec![
            layer(
                vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 0.0]],
                vec![0.0, 0.0, 0.0],
            ),
            layer(
                vec![
                    vec![1.0, 0.0, 0.0],
                    vec![-1.0, 0.0, 0.0],
                    vec![1.0, 0.0, -1.0],
                    vec![0.0, 1.0, 0.0],
                ],
                vec![0.0, 0.0, 0.0, -0.5],
            ),
        ],
    ];
    for layers in nets {
        let n = certified_count(&network(&layers), &boxed(&sq.0, &sq.1));
        assert_eq!(n as usize, oracle_regions(&layers, &sq.0, &sq.1).len());
    }
    // The whole plane: 3 lines in general position, 1 + 3 + 3 regions.
    let layers = vec![layer(
        vec![vec![1.0, 0.5], vec![-1.0, 2.0], vec![0.25, -1.0]],
        vec![0.125, 0.25, -0.125],
    )];
    let net = network(&layers);
    assert_eq!(
        certified_count(&net, &Domain::Whole(2)),
        7,
        "3 generic lines: 1 + 3 + 3"
    );
    // A fixed coordinate y = 0.25: the oracle of the slice, on x ∈ (−1, 1):
    // by hand, the lines cross y = 1/4 at x = −1/4, 3/4 and 3/2, so 3.
    let slice = boxed(&[-1.0, 0.25], &[1.0, 0.25]);
    let expected = oracle_slice_regions(&layers, &[(1, 0.25)], &[-1.0], &[1.0]).len();
    assert_eq!(expected, 3);
    assert_eq!(certified_count(&net, &slice) as usize, expected);
    // Deeper, with the fixed coordinate in the middle of three inputs.
    let mut rng = StdRng::seed_from_u64(12);
    let deep = random_net(&mut rng, 3, &[5, 4]);
    let expected = oracle_slice_regions(&deep, &[(1, -0.375)], &[-1.0, -1.0], &[1.0, 1.0]).len();
    let slice = boxed(&[-1.0, -0.375, -1.0], &[1.0, -0.375, 1.0]);
    assert_eq!(certified_count(&network(&deep), &slice) as usize, expected);
}

#[test]
fn certified_counts_on_polytopes_equal_the_oracle() {
    // The square cut by the row x + 2y ≤ 1/2 (and given as a polytope, not a
    // box). Its regions are those of the network with one more first-layer
    // neuron x + 2y − 1/2, feeding nothing, that lie on its off side: the
    // oracle counts them on the square.
    let mut rng = StdRng::seed_from_u64(13);
    let layers = random_net(&mut rng, 2, &[5, 4]);
    let cut = [1.0, 2.0];
    let mut with_cut = layers.clone();
    with_cut[0].weight.push(cut.to_vec());
    with_cut[0].bias.push(-0.5);
    for row in &mut with_cut[1].weight {
        row.push(0.0);
    }
    let width = layers[0].weight.len();
    let expected = oracle_regions(&with_cut, &[-1.0, -1.0], &[1.0, 1.0])
        .iter()
        .filter(|r| r.pattern.as_bytes()[width] == b'0')
        .count();
    let polytope = Domain::Polytope {
        a: vec![
            vec![1.0, 0.0],
            vec![-1.0, 0.0],
            vec![0.0, 1.0],
            vec![0.0, -1.0],
            cut.to_vec(),
        ],
        b: vec![1.0, 1.0, 1.0, 1.0, 0.5],
    };
    assert!(expected > 3);
    assert_eq!(
        certified_count(&network(&layers), &polytope) as usize,
        expected
    );
    // An unbounded polytope: the half-plane x + 2y < 1/2, for one layer of
    // three lines. Counted likewise, as the regions of the four lines on the
    // off side of the fourth, on a box that every region meets: no two of
    // the lines are parallel, so every region has a vertex, and the
    // crossings (by hand: (0, 1/4) three times, (0, 1/2), (−1/4, 1/4),
    // (−1/6, 1/3)) all lie inside the square of half-width 4.
    let lines = vec![layer(
        vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, -1.0]],
        vec![0.0, -0.25, 0.5],
    )];
    let half = Domain::Polytope {
        a: vec![cut.to_vec()],
        b: vec![0.5],
    };
    let mut with_cut = lines.clone();
    with_cut[0].weight.push(cut.to_vec());
    with_cut[0].bias.push(-0.5);
    let expected = oracle_regions(&with_cut, &[-4.0, -4.0], &[4.0, 4.0])
        .iter()
        .filter(|r| r.pattern.ends_with('0'))
        .count();
    assert_eq!(certified_count(&network(&lines), &half) as usize, expected);
}

#[test]
fn a_sliver_below_the_float_tolerance_is_counted_exactly() {
    // Two breakpoints 2^-40 ≈ 9.1e-13 apart inside (-1, 1): by hand, three
    // intervals. The float walk (τ = 1e-8 of the half-width) cannot see the
    // middle one and says 2; the certified walk falls back to the exact LP
    // and says 3.
    let eps = 2f64.powi(-40);
    let layers = vec![layer(vec![vec![1.0], vec![1.0]], vec![-0.25, -0.25 - eps])];
    let net = network(&layers);
    let domain = boxed(&[-1.0], &[1.0]);
    assert_eq!(
        walk_count(&net, &domain, true),
        2,
        "the float decision misses the sliver"
    );
    // The default walk decides the near-ties exactly.
    assert_eq!(walk_count(&net, &domain, false), 3);
    let (text, n, stats) = certify(&net, &domain);
    assert_eq!(n, 3);
    assert!(stats.exact_fallbacks > 0);
    assert!(check(&net, &domain, &text).verified);

    // Three lines x = 0, y = 0 and x + y = δ, δ = 2^-43: pairwise meeting
    // inside the square, in general position, so 1 + 3 + 3 = 7 regions; the
    // triangle between them has legs δ ≈ 1.1e-13, which the float walk merges.
    let delta = 2f64.powi(-43);
    let layers = vec![layer(
        vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]],
        vec![0.0, 0.0, -delta],
    )];
    let net = network(&layers);
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    assert_eq!(
        walk_count(&net, &domain, true),
        6,
        "the float decision misses the triangle"
    );
    assert_eq!(walk_count(&net, &domain, false), 7);
    assert_eq!(certified_count(&net, &domain), 7);
}

#[test]
fn a_split_into_two_thin_sides_is_kept_whole_by_the_float_walk_only() {
    // One layer on (−1, 1): breakpoints at a = 1/4, a + δ, a + δ/2, in that
    // order, δ = 2^-25 ≈ 3.0e-8. The piece (a, a + δ) has Chebyshev radius
    // δ/2 ≈ 1.5e-8, above τ = 1e-8 (the box's half-width is 1); the third
    // neuron cuts it into halves of radius δ/4 ≈ 7.5e-9, both below τ. By
    // hand, 4 intervals. The float walk keeps the piece whole (a thin
    // split, counted) and says 3; the certified walk says 4, as the oracle.
    let (a, delta) = (0.25, 2f64.powi(-25));
    let layers = vec![layer(
        vec![vec![1.0], vec![1.0], vec![1.0]],
        vec![-a, -(a + delta), -(a + delta / 2.0)],
    )];
    let net = network(&layers);
    let domain = boxed(&[-1.0], &[1.0]);
    assert_eq!(oracle_regions(&layers, &[-1.0], &[1.0]).len(), 4);
    // (The float walk alone: its region graph would find the missing
    // region, as an incomplete enumeration.)
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    let mut regions = 0;
    let float = WalkOptions {
        float_decisions: true,
        ..WalkOptions::default()
    };
    let stats = Walker::new(&space, &GoodLpMicrolp, float)
        .run(|_| {
            regions += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!((regions, stats.thin_splits), (3, 1));
    assert_eq!(certified_count(&net, &domain), 4);
    // The default walk decides the thin split exactly, as a near-tie.
    let mut regions = 0;
    let stats = Walker::new(&space, &GoodLpMicrolp, WalkOptions::default())
        .run(|_| {
            regions += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(regions, 4);
    assert!(stats.near_ties > 0);
}

/// The number of regions a walk finds, with float decisions (near-ties
/// taken as the floats say) or the default ones (near-ties exact).
fn walk_count(
    net: &regionwalk::Network,
    domain: &regionwalk::Domain,
    float_decisions: bool,
) -> usize {
    let space = WorkSpace::new(net, domain, &GoodLpMicrolp).unwrap();
    let options = WalkOptions {
        float_decisions,
        ..WalkOptions::default()
    };
    let mut regions = 0;
    Walker::new(&space, &GoodLpMicrolp, options)
        .run(|_| {
            regions += 1;
            Ok(())
        })
        .unwrap();
    regions
}
