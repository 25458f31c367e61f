//! A miss that the walk proves by one row of the piece and the box
//! (`walk/row_bound.rs`, no LP) is written in the certificate as
//! multipliers on that row and the side (`walk/row_proof.rs`), and the
//! checker checks them like any other: a case worked by hand, its
//! forgeries rejected, and certified counts equal to the exact oracle's on
//! random networks where such proofs are used.

mod common;

use common::certify::{certified_count, certify, check};
use common::nets::{layer, random_net_full};
use common::oracle::oracle_regions;
use common::walk::{boxed, network};
use regionwalk::{MultiplierFault, RejectionKind, SplitFault, TestFault};
use serde_json::{json, Value};

/// On the square `[-1, 1]²`: hidden layer 0 is `x + y`, `x + 2`, `y + 2`
/// (the last two on throughout); layer 1 is `h1 + h2 − 4.5`, which is
/// `x + y − 0.5` wherever layers 0's last two neurons are on. On the
/// triangle `x + y < 0` (neuron 0 off, pattern `011`) it is below `−0.5`:
/// off throughout. The triangle's box is the whole square, where the row
/// ranges over `[−2.5, 1.5]`, so the box alone decides nothing; the
/// triangle's row `x + y < 0` with multiplier 1 does. By hand: `1·(x + y)`
/// from the row and `1·(−x − y)` from the side shown empty
/// (`x + y − 0.5 > 0`, that is `−x − y < −0.5`) cancel, and the offsets sum
/// to `0 + (−0.5) < 0`: the proof `{"off": [["n0.0", "1"], ["s", "1"]]}`.
fn triangle_case() -> (regionwalk::Network, regionwalk::Domain) {
    let layers = vec![
        layer(
            vec![vec![1.0, 1.0], vec![1.0, 0.0], vec![0.0, 1.0]],
            vec![0.0, 2.0, 2.0],
        ),
        layer(vec![vec![0.0, 1.0, 1.0]], vec![-4.5]),
    ];
    (network(&layers), boxed(&[-1.0, -1.0], &[1.0, 1.0]))
}

/// The certificate's lines.
fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The line of the split of the cell with `pattern` by `layer`.
fn split_of(lines: &[Value], layer: u64, pattern: &str) -> usize {
    lines
        .iter()
        .position(|l| l["type"] == "split" && l["layer"] == layer && l["pattern"] == pattern)
        .expect("the split is in the certificate")
}

#[test]
fn a_miss_proved_by_a_row_is_written_as_its_multipliers_and_checked() {
    let (net, domain) = triangle_case();
    let (text, n, stats) = certify(&net, &domain);
    // Regions, by hand: the triangle x + y < 0 (layer 1 off throughout),
    // and x + y > 0 cut by x + y = 0.5 into two.
    assert_eq!(n, 3);
    assert!(stats.pruned_by_row >= 1, "{stats:?}");
    assert_eq!(stats.exact_fallbacks, 0);
    let lines = lines(&text);
    let s = split_of(&lines, 1, "011");
    // One piece (the cell is not cut by layer 1), one test (multipliers
    // are written per piece, even when all pieces have the same).
    let test = &lines[s]["tests"][0];
    assert_eq!(test, &json!([{"off": [["n0.0", "1"], ["s", "1"]]}]));
    assert!(check(&net, &domain, &text).verified);

    // Forgeries, each rejected for the box slack it leaves short.
    let forged = |test: Value| {
        let mut t = lines.clone();
        t[s]["tests"][0][0] = test;
        let text: String = t.iter().map(|l| format!("{l}\n")).collect();
        let verdict = check(&net, &domain, &text);
        assert!(!verdict.verified, "forgery accepted");
        verdict.reason.expect("a reason")
    };
    let slack_short = |test: Value| {
        let reason = forged(test.clone());
        assert!(
            matches!(
                &reason.kind,
                RejectionKind::Split {
                    fault: SplitFault::Test {
                        layer: 1,
                        neuron: 0,
                        piece: 0,
                        fault: TestFault::Multipliers(MultiplierFault::BoxSlackShort),
                    },
                    ..
                }
            ),
            "{test}: {reason}"
        );
        assert_eq!(reason.line, Some(s + 1));
    };
    // The row's multiplier doubled: ρ = x + y, β = −0.5, and
    // min over the square of x + y + 0.5 is −1.5.
    slack_short(json!({"off": [["n0.0", "2"], ["s", "1"]]}));
    // The row left out: the box alone, min of −x − y + 0.5 is −1.5.
    slack_short(json!({"off": [["s", "1"]]}));
    // Another row of the triangle in its place: the domain's x < 1 (d1),
    // ρ = (0, −1), β = 1 − 0.5; min of −y − 0.5 is −1.5.
    slack_short(json!({"off": [["d1", "1"], ["s", "1"]]}));
    // The other side (x + y − 0.5 < 0) claimed empty with the same
    // multipliers: ρ = (2, 2), β = 0.5; min of 2x + 2y − 0.5 is −4.5.
    slack_short(json!({"on": [["n0.0", "1"], ["s", "1"]]}));
}

#[test]
fn certified_counts_with_row_proofs_equal_the_oracle() {
    // Random 2-input networks of two and three layers with full-precision
    // weights: the expected count is the exact oracle's; the walks use the
    // row bound (and with no exact fallback, every such decision was
    // proved by its two-row multipliers, since a decision made without an
    // LP has no other support to prove it by).
    let mut by_row = 0;
    for case in 0..8 {
        let widths: &[usize] = if case % 2 == 0 { &[6, 6] } else { &[5, 5, 5] };
        let layers = random_net_full(23 + case, 2, widths);
        let expected = oracle_regions(&layers, &[-1.0, -1.0], &[1.0, 1.0]).len();
        let net = network(&layers);
        let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
        let (_, _, stats) = certify(&net, &domain);
        assert_eq!(stats.exact_fallbacks, 0, "case {case}");
        by_row += stats.pruned_by_row;
        assert_eq!(
            certified_count(&net, &domain) as usize,
            expected,
            "case {case}: widths {widths:?}"
        );
    }
    assert!(by_row > 0, "no miss was proved by a row");
}
