//! Unit tests of the walk with both deciders, on networks small enough to
//! walk by hand.

use crate::domain::input_domain::Domain;
use crate::error::WalkError;
use crate::exact::dyadic::{rational_sign, Dyadic};
use crate::lp::GoodLpMicrolp;
use crate::model::network::{relu_network, Network};
use crate::walk::prover::tests::by_hand;
use crate::walk::prover::{SplitRecord, TestRecord};
use crate::walk::region::Region;
use crate::walk::space::WorkSpace;
use crate::walk::stats::WalkStats;
use crate::walk::walker::{WalkOptions, Walker};

/// Every region of `net` on (−1, 1), in tree order, and the stats.
fn walk(net: &Network, certify: bool) -> (Vec<Region>, WalkStats) {
    walk_with(
        net,
        WalkOptions {
            certify,
            ..WalkOptions::default()
        },
    )
}

/// [`walk`] with `options`.
fn walk_with(net: &Network, options: WalkOptions) -> (Vec<Region>, WalkStats) {
    let domain = Domain::Box(vec![(-1.0, 1.0)]);
    let space = WorkSpace::new(net, &domain, &GoodLpMicrolp).unwrap();
    let mut regions = Vec::new();
    let stats = Walker::new(&space, &GoodLpMicrolp, options)
        .run(|r| {
            regions.push(r);
            Ok(())
        })
        .unwrap();
    (regions, stats)
}

fn patterns(regions: &[Region]) -> Vec<String> {
    regions.iter().map(|r| r.pattern.to_string()).collect()
}

/// |x| = ReLU(x) + ReLU(−x).
fn abs() -> Network {
    relu_network(&[(vec![vec![1.0], vec![-1.0]], vec![0.0, 0.0])])
}

/// ReLU(ReLU(x) − 1/2): kinks at 0 and at 1/2.
fn two_layers() -> Network {
    relu_network(&[(vec![vec![1.0]], vec![0.0]), (vec![vec![1.0]], vec![-0.5])])
}

#[test]
fn abs_has_two_regions_either_side_of_zero() {
    // x < 0: neuron 0 (x) off, neuron 1 (−x) on; x > 0 the other way.
    let (regions, stats) = walk(&abs(), false);
    assert_eq!(patterns(&regions), ["01", "10"]);
    assert!(regions[0].ball.center[0] < 0.0 && regions[1].ball.center[0] > 0.0);
    // Neuron 0 on the whole cell, neuron 1 on each of its two pieces.
    assert_eq!(stats.side_tests, 3);
    assert_eq!(stats.exact_fallbacks, 0);
}

#[test]
fn constant_neurons_are_not_tested_and_zero_is_off() {
    // Neurons x, 0·x + 1 (on everywhere) and 0·x + 0 (zero: off).
    let net = relu_network(&[(vec![vec![1.0], vec![0.0], vec![0.0]], vec![0.0, 1.0, 0.0])]);
    let (regions, stats) = walk(&net, false);
    assert_eq!(patterns(&regions), ["010", "110"]);
    assert_eq!(stats.side_tests, 1);
}

#[test]
fn two_layers_give_three_regions_in_tree_order() {
    // x < 0: the second layer sees 0 − 1/2, constant off; 0 < x < 1/2 off;
    // x > 1/2 on.
    let (regions, _) = walk(&two_layers(), false);
    assert_eq!(patterns(&regions), ["0|0", "1|0", "1|1"]);
}

#[test]
fn certifying_gives_the_same_regions_with_exact_proofs() {
    let (float, _) = walk(&abs(), false);
    let (regions, stats) = walk(&abs(), true);
    assert_eq!(patterns(&regions), patterns(&float));
    // Exact witnesses strictly on their sides of x = 0.
    let sign = |r: &Region| rational_sign(&r.exact_witness.as_ref().unwrap().to_rationals()[0]);
    assert_eq!((sign(&regions[0]), sign(&regions[1])), (-1, 1));
    // The root's split comes before the first region: neuron 0 cuts it,
    // neuron 1 (z = −x) is one-sided on both pieces, by the multipliers 1, 1
    // of the rows ±x < 0 and ∓x < 0 (they cancel; their offsets sum to 0).
    let [split] = regions[0].splits.as_slice() else {
        panic!("one split before region 0: {:?}", regions[0].splits)
    };
    assert_eq!((split.layer, split.pattern.to_string()), (0, String::new()));
    assert!(matches!(
        split.tests[0].as_slice(),
        [TestRecord::Cut { .. }]
    ));
    assert_eq!(split.tests[1], [by_hand(true), by_hand(false)]);
    assert!(regions[1].splits.is_empty());
    assert!(regions.iter().all(|r| r.facets.is_none()));
    assert_eq!(stats.side_tests, 3);
}

#[test]
fn certifying_two_layers_hands_each_split_to_its_first_region() {
    let (regions, _) = walk(&two_layers(), true);
    assert_eq!(patterns(&regions), ["0|0", "1|0", "1|1"]);
    let layers = |r: &Region| -> Vec<(usize, String)> {
        r.splits
            .iter()
            .map(|s: &SplitRecord| (s.layer, s.pattern.to_string()))
            .collect()
    };
    assert_eq!(layers(&regions[0]), [(0, "".into()), (1, "0".into())]);
    assert_eq!(layers(&regions[1]), [(1, "1".into())]);
    assert!(layers(&regions[2]).is_empty());
    // On cell "0" the second layer's row is 0·x − 1/2: exactly constant.
    assert_eq!(regions[0].splits[1].tests, [[TestRecord::Constant]]);
    // On cell "1" it is x − 1/2, cut at 1/2.
    match regions[1].splits[0].tests[0].as_slice() {
        [TestRecord::Cut { off, on }] => {
            let half = Dyadic::from_f64(0.5).to_rational();
            assert!(off.to_rationals()[0] < half && on.to_rationals()[0] > half);
        }
        other => panic!("expected a cut: {other:?}"),
    }
}

#[test]
fn a_sink_error_keeps_its_io_error() {
    let domain = Domain::Box(vec![(-1.0, 1.0)]);
    let net = abs();
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    let err = Walker::new(&space, &GoodLpMicrolp, WalkOptions::default())
        .run(|_| Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe).into()))
        .unwrap_err();
    assert!(matches!(err, WalkError::Sink(_)), "{err:?}");
    let source = std::error::Error::source(&err).expect("the io::Error is the source");
    let io = source.downcast_ref::<std::io::Error>().unwrap();
    assert_eq!(io.kind(), std::io::ErrorKind::BrokenPipe);
}

#[test]
fn a_count_only_walk_gives_the_same_regions_without_patterns() {
    // The two-layer net: three regions (by hand, above). Without
    // `region_pattern` each keeps its place in the tree and its ball's
    // radius, and has no pattern and no centre.
    let net = two_layers();
    let (full, _) = walk(&net, false);
    let (bare, _) = walk_with(
        &net,
        WalkOptions {
            region_pattern: false,
            ..WalkOptions::default()
        },
    );
    assert_eq!(bare.len(), 3);
    for (b, f) in bare.iter().zip(&full) {
        assert_eq!(b.position, f.position);
        assert_eq!(b.ball.radius, f.ball.radius);
        assert!(b.pattern.layers().is_empty() && b.ball.center.is_empty());
    }
}
