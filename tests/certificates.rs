//! Certified counts: the certificate of every test network passes the
//! independent checker and certifies the count the exact oracle gives;
//! tampered certificates are rejected with a reason naming the item; slivers
//! thinner than the float tolerance are counted exactly.

mod common;

use common::certify::{certified_count, certify, check};
use common::nets::tidy;
use common::oracle::{oracle_regions, OracleLayer};
use common::walk::{boxed, network, patterns};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regionwalk::Domain;
use serde_json::Value;

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
    // Property test: 1-3 inputs, up to 3 layers. For 1 and 2 inputs the
    // expected count is the exact oracle's; for 3 inputs, the float walk's
    // (no oracle), and the certificate must still check.
    let mut rng = StdRng::seed_from_u64(11);
    for case in 0..24 {
        let d = 1 + case % 3;
        let depth = 1 + (case / 3) % 3;
        let widths: Vec<usize> = (0..depth).map(|_| rng.gen_range(2..7)).collect();
        let layers = random_net(&mut rng, d, &widths);
        let (lo, hi) = (vec![-1.0; d], vec![1.0; d]);
        let net = network(&layers);
        let n = certified_count(&net, &boxed(&lo, &hi));
        let expected = if d <= 2 {
            oracle_regions(&layers, &lo, &hi).len()
        } else {
            patterns(&net, &boxed(&lo, &hi)).len()
        };
        assert_eq!(
            n as usize, expected,
            "case {case}: d {d}, widths {widths:?}"
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
    // The whole plane and a fixed coordinate: checked, and equal to the float count.
    let layers = vec![layer(
        vec![vec![1.0, 0.5], vec![-1.0, 2.0], vec![0.25, -1.0]],
        vec![0.1, 0.2, -0.1],
    )];
    let net = network(&layers);
    assert_eq!(
        certified_count(&net, &Domain::Whole(2)),
        7,
        "3 generic lines: 1 + 3 + 3"
    );
    let slice = boxed(&[-1.0, 0.25], &[1.0, 0.25]);
    assert_eq!(
        certified_count(&net, &slice) as usize,
        patterns(&net, &slice).len()
    );
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
        patterns(&net, &domain).len(),
        2,
        "the float decision misses the sliver"
    );
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
        patterns(&net, &domain).len(),
        6,
        "the float decision misses the triangle"
    );
    assert_eq!(certified_count(&net, &domain), 7);
}

/// A certificate of a small deep network as lines of JSON, for tampering.
fn sample_certificate() -> (regionwalk::Network, Domain, Vec<Value>) {
    let mut rng = StdRng::seed_from_u64(5);
    let layers = random_net(&mut rng, 2, &[6, 5]);
    let net = network(&layers);
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let (text, n, _) = certify(&net, &domain);
    assert!(n > 10);
    let lines = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (net, domain, lines)
}

fn rejected(net: &regionwalk::Network, domain: &Domain, lines: &[Value], needles: &[&str]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let verdict = check(net, domain, &text);
    assert!(!verdict.verified, "tampered certificate accepted");
    let reason = verdict.reason.unwrap().to_string();
    for needle in needles {
        assert!(
            reason.contains(needle),
            "reason `{reason}` does not say `{needle}`"
        );
    }
}

fn find(lines: &[Value], pred: impl Fn(&Value) -> bool) -> usize {
    lines.iter().position(pred).expect("item present")
}

#[test]
fn tampering_is_caught_and_named() {
    let (net, domain, lines) = sample_certificate();
    assert!(
        check(
            &net,
            &domain,
            &lines.iter().map(|l| format!("{l}\n")).collect::<String>()
        )
        .verified
    );
    let region = find(&lines, |l| l["type"] == "region" && l["id"] == 3);

    // A witness moved outside its region (to a corner outside the box).
    let mut t = lines.clone();
    t[region]["witness"] = serde_json::json!(["5", "5"]);
    rejected(&net, &domain, &t, &["region 3", "witness"]);

    // A region dropped: the next listed region no longer matches the tree.
    let mut t = lines.clone();
    t.remove(region);
    rejected(&net, &domain, &t, &["region"]);

    // A region duplicated.
    let mut t = lines.clone();
    t.insert(region, lines[region].clone());
    rejected(&net, &domain, &t, &["region"]);

    // A pattern bit flipped.
    let mut t = lines.clone();
    let p = t[region]["pattern"].as_str().unwrap().to_string();
    let flipped: String = p
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == '0' {
                    '1'
                } else {
                    '0'
                }
            } else {
                c
            }
        })
        .collect();
    t[region]["pattern"] = Value::String(flipped);
    rejected(&net, &domain, &t, &["region 3", "pattern"]);

    // A one-sided decision flipped, and a multiplier changed.
    let (split, i, p, key) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l["type"] == "split")
        .find_map(|(s, l)| {
            l["tests"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .find_map(|(i, per)| {
                    per.as_array()
                        .unwrap()
                        .iter()
                        .enumerate()
                        .find_map(|(p, t)| {
                            ["on", "off"]
                                .into_iter()
                                .find(|k| t.get(*k).is_some())
                                .map(|k| (s, i, p, k))
                        })
                })
        })
        .expect("a Motzkin test");
    let other = if key == "on" { "off" } else { "on" };
    let mut t = lines.clone();
    let lambda = t[split]["tests"][i][p][key].clone();
    t[split]["tests"][i][p] = serde_json::json!({ other: lambda });
    rejected(&net, &domain, &t, &["split", "neuron ["]);
    let mut t = lines.clone();
    let first = t[split]["tests"][i][p][key][0][1]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    t[split]["tests"][i][p][key][0][1] = Value::String((first + 1).to_string());
    rejected(&net, &domain, &t, &["split", "multipliers"]);

    // Checked against a different network, and a different domain.
    let mut rng = StdRng::seed_from_u64(6);
    let other_net = network(&random_net(&mut rng, 2, &[6, 5]));
    rejected(&other_net, &domain, &lines, &["different network"]);
    rejected(
        &net,
        &boxed(&[-1.0, -1.0], &[1.0, 0.5]),
        &lines,
        &["different domain"],
    );
}
