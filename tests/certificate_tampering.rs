//! Tampered certificates are rejected, each with its own reason: every item
//! type (header, split, region, summary) and every kind of test (constant,
//! box, multipliers, cut) is tampered with, and the checker's typed reason
//! is compared with the one the format (docs/certificate.md) makes
//! inevitable: which line, which cell, which neuron and piece, which fault.
//! The certificate is the prover's, for a small deep network chosen so that
//! it holds every kind of test; each forgery changes one thing.

mod common;

use common::certify::{certify, check};
use common::nets::{every_kind_of_test, layer};
use common::walk::{boxed, network};
use regionwalk::{
    Domain, MultiplierFault, Network, RegionFault, Rejection, RejectionKind, SplitFault, TestFault,
};
use serde_json::{json, Value};

/// The prover's certificate of [`every_kind_of_test`] on the square.
fn certificate() -> (Network, Domain, Vec<Value>) {
    let layers = every_kind_of_test();
    let net = network(&layers);
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let (text, _, _) = certify(&net, &domain);
    let mut lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines.iter_mut().for_each(per_piece);
    (net, domain, lines)
}

/// A split's tests with each test that its pieces share (written once, as
/// format 3 allows) written out once per piece, as the format allows too:
/// then every test has its own place to tamper with. The pieces of a
/// neuron are the cell's, one more for each cut of the neurons before it.
fn per_piece(line: &mut Value) {
    let Some(tests) = line["tests"].as_array_mut() else {
        return;
    };
    let mut pieces = 1;
    for t in tests {
        if !t.is_array() {
            *t = Value::Array(vec![t.clone(); pieces]);
        }
        pieces += t
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t.get("cut").is_some())
            .count();
    }
}

/// The checker's rejection of `lines`.
fn rejection(net: &Network, domain: &Domain, lines: &[Value]) -> Rejection {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let verdict = check(net, domain, &text);
    assert!(!verdict.verified, "forgery accepted");
    verdict.reason.expect("a rejection has a reason")
}

/// The first test matching `pred`: (line, neuron, piece).
fn find_test(lines: &[Value], pred: impl Fn(&Value) -> bool) -> (usize, usize, usize) {
    for (s, line) in lines.iter().enumerate() {
        let Some(tests) = line["tests"].as_array() else {
            continue;
        };
        for (n, per_piece) in tests.iter().enumerate() {
            for (p, test) in per_piece.as_array().unwrap().iter().enumerate() {
                if pred(test) {
                    return (s, n, p);
                }
            }
        }
    }
    panic!("the certificate holds no such test")
}

/// The rejection of the test at (`s`, `neuron`, `piece`) for `fault`.
fn test_fault(lines: &[Value], at: (usize, usize, usize), fault: TestFault) -> Rejection {
    let (s, neuron, piece) = at;
    let layer = lines[s]["layer"].as_u64().unwrap() as usize;
    Rejection {
        line: Some(s + 1),
        kind: RejectionKind::Split {
            cell: lines[s]["pattern"].as_str().unwrap().into(),
            layer,
            fault: SplitFault::Test {
                layer,
                neuron,
                piece,
                fault,
            },
        },
    }
}

fn position(lines: &[Value], pred: impl Fn(&Value) -> bool) -> usize {
    lines.iter().position(pred).expect("item present")
}

#[test]
fn the_untampered_certificate_is_accepted_and_holds_every_test() {
    let (net, domain, lines) = certificate();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    assert!(check(&net, &domain, &text).verified);
    find_test(&lines, |t| t == "k");
    find_test(&lines, |t| t["box"] == "on");
    find_test(&lines, |t| t["box"] == "off");
    find_test(&lines, |t| t.get("cut").is_some());
    find_test(&lines, |t| t.get("on").is_some() || t.get("off").is_some());
}

#[test]
fn tampered_tests_are_rejected_for_their_own_fault() {
    let (net, domain, lines) = certificate();
    let forged = |at: (usize, usize, usize), test: Value| {
        let mut t = lines.clone();
        t[at.0]["tests"][at.1][at.2] = test;
        rejection(&net, &domain, &t)
    };
    // Constant: the row `k` marks is constant, so any other test is
    // unmarked; a non-constant row marked `k` is not constant.
    let k = find_test(&lines, |t| t == "k");
    assert_eq!(
        forged(k, json!({"box": "off"})),
        test_fault(&lines, k, TestFault::UnmarkedConstant)
    );
    let b = find_test(&lines, |t| t.get("box").is_some());
    assert_eq!(
        forged(b, json!("k")),
        test_fault(&lines, b, TestFault::NotConstant)
    );
    // Box: the other side's claim does not hold over the box, for a box
    // test of each side.
    for side in ["on", "off"] {
        let b = find_test(&lines, |t| t["box"] == side);
        let other = if side == "on" { "off" } else { "on" };
        assert_eq!(
            forged(b, json!({ "box": other })),
            test_fault(&lines, b, TestFault::BoxRange { side: other.into() })
        );
    }
    // Cut: the on witness replaced by the off one is on the wrong side; a
    // witness far outside the box violates a domain row.
    let c = find_test(&lines, |t| t.get("cut").is_some());
    let cut = lines[c.0]["tests"][c.1][c.2]["cut"].clone();
    assert_eq!(
        forged(c, json!({"cut": [cut[0], cut[0]]})),
        test_fault(&lines, c, TestFault::WitnessOffSide { on: true })
    );
    let far = forged(c, json!({"cut": [["-9", "-9"], cut[1]]}));
    assert!(
        matches!(&far.kind, RejectionKind::Split { fault: SplitFault::Test { fault: TestFault::WitnessOutside { on: false, row }, .. }, .. } if row.starts_with('d')),
        "{far}"
    );
    assert_eq!(
        forged(c, json!({"cut": [cut[0]]})),
        test_fault(&lines, c, TestFault::CutWithoutTwoWitnesses)
    );
    // Multipliers: one scaled up leaves a residual the box cannot pay; the side
    // flipped claims the other side empty, which the same λ cannot show;
    // an unknown row, and none at all.
    let m = find_test(&lines, |t| t.get("on").is_some() || t.get("off").is_some());
    let key = if lines[m.0]["tests"][m.1][m.2].get("on").is_some() {
        "on"
    } else {
        "off"
    };
    let lambda = lines[m.0]["tests"][m.1][m.2][key].clone();
    // On this box domain the normals need not cancel if the box pays for
    // the rest; the first multiplier times 1000 leaves far more than it can.
    let mut bumped = lambda.clone();
    let first: u64 = bumped[0][1].as_str().unwrap().parse().unwrap();
    bumped[0][1] = json!((first * 1000).to_string());
    assert_eq!(
        forged(m, json!({ key: bumped })),
        test_fault(
            &lines,
            m,
            TestFault::Multipliers(MultiplierFault::BoxSlackShort)
        )
    );
    let flipped = forged(
        m,
        json!({ (if key == "on" { "off" } else { "on" }): lambda }),
    );
    assert!(
        matches!(
            &flipped.kind,
            RejectionKind::Split {
                fault: SplitFault::Test {
                    fault: TestFault::Multipliers(_),
                    ..
                },
                ..
            }
        ),
        "{flipped}"
    );
    assert_eq!(
        forged(m, json!({ key: [["n9.9", "1"]] })),
        test_fault(
            &lines,
            m,
            TestFault::Multipliers(MultiplierFault::UnknownRow { row: "n9.9".into() })
        )
    );
    assert_eq!(
        forged(m, json!({ key: [] })),
        test_fault(&lines, m, TestFault::Multipliers(MultiplierFault::Empty))
    );
    // The box's rows −x < 1 and x < 1 cancel, but their offsets sum to 2:
    // they show the strip between them, not an empty set.
    assert_eq!(
        forged(m, json!({ key: [["d0", "1"], ["d1", "1"]] })),
        test_fault(
            &lines,
            m,
            TestFault::Multipliers(MultiplierFault::PositiveOffsets)
        )
    );
}

#[test]
fn the_prover_writes_shared_tests_once_and_the_checker_reads_them_for_every_piece() {
    let (net, domain, lines) = certificate();
    // The prover's own lines, shared tests and all, check. Worked by hand:
    // on the square, neuron [0, 0] (`x`) cuts it in two pieces; [0, 1]
    // (`x + 3`, at least 2 on the square) is on over the box on both, and
    // [0, 2] (`1`) is constant on both: each written once. Layer 1's one
    // neuron (`1`) is constant on each cell. Two regions.
    let layers = vec![
        layer(
            vec![vec![1.0, 0.0], vec![1.0, 0.0], vec![0.0, 0.0]],
            vec![0.0, 3.0, 1.0],
        ),
        layer(vec![vec![0.0, 0.0, 0.0]], vec![1.0]),
    ];
    let small = network(&layers);
    let (text, regions, _) = certify(&small, &domain);
    assert_eq!(regions, 2);
    assert!(check(&small, &domain, &text).verified);
    let root: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(root["tests"][1], json!({"box": "on"}), "{root}");
    assert_eq!(root["tests"][2], json!("k"), "{root}");
    // A shared test that does not hold is rejected at its first piece.
    let b = find_test(&lines, |t| t["box"] == "on");
    let (s, neuron, _) = b;
    let mut t = lines.clone();
    t[s]["tests"][neuron] = json!({"box": "off"});
    assert_eq!(
        rejection(&net, &domain, &t),
        test_fault(
            &lines,
            (s, neuron, 0),
            TestFault::BoxRange { side: "off".into() }
        )
    );
    // Anything else than a list or one test is neither.
    let mut t = lines.clone();
    t[s]["tests"][neuron] = json!(7);
    assert_eq!(
        rejection(&net, &domain, &t).kind,
        RejectionKind::Split {
            cell: lines[s]["pattern"].as_str().unwrap().into(),
            layer: lines[s]["layer"].as_u64().unwrap() as usize,
            fault: SplitFault::NeuronNotAList { neuron }
        }
    );
}

#[test]
fn tampered_splits_are_rejected_for_their_own_fault() {
    let (net, domain, lines) = certificate();
    let s = position(&lines, |l| l["type"] == "split");
    let split_fault = |fault| Rejection {
        line: Some(s + 1),
        kind: RejectionKind::Split {
            cell: String::new(),
            layer: 0,
            fault,
        },
    };
    let mut t = lines.clone();
    t[s]["pattern"] = json!("1");
    assert_eq!(
        rejection(&net, &domain, &t),
        split_fault(SplitFault::OtherPattern { found: json!("1") })
    );
    let mut t = lines.clone();
    t[s]["tests"].as_array_mut().unwrap().pop();
    assert_eq!(
        rejection(&net, &domain, &t),
        split_fault(SplitFault::NeuronCount {
            tests: 3,
            neurons: 4
        })
    );
    let mut t = lines.clone();
    t[s]["tests"][0].as_array_mut().unwrap().push(json!("k"));
    assert_eq!(
        rejection(&net, &domain, &t),
        split_fault(SplitFault::PieceCount {
            neuron: 0,
            tests: 2,
            pieces: 1
        })
    );
    // The root split names layer 1: the first cell is at layer 0.
    let mut t = lines.clone();
    t[s]["layer"] = json!(1);
    assert_eq!(
        rejection(&net, &domain, &t).kind,
        RejectionKind::Split {
            cell: String::new(),
            layer: 1,
            fault: SplitFault::OtherLayer {
                expected: 0,
                depth: 2
            }
        }
    );
    // A split of layer 1 dropped: the region that follows finds a cell
    // that is not a leaf.
    let deep = position(&lines, |l| l["type"] == "split" && l["layer"] == 1);
    let mut t = lines.clone();
    let cell = t.remove(deep)["pattern"].as_str().unwrap().to_string();
    assert_eq!(
        rejection(&net, &domain, &t),
        Rejection {
            line: Some(deep + 1),
            kind: RejectionKind::Region {
                id: lines[deep + 1]["id"].clone(),
                fault: RegionFault::SplitMissing { cell }
            }
        }
    );
}

#[test]
fn tampered_regions_are_rejected_for_their_own_fault() {
    let (net, domain, lines) = certificate();
    let r = position(&lines, |l| l["type"] == "region" && l["id"] == 3);
    let region_fault = |line: usize, id: u64, fault| Rejection {
        line: Some(line + 1),
        kind: RejectionKind::Region {
            id: json!(id),
            fault,
        },
    };
    // Dropped: region 4 comes where 3 is due. Duplicated: 3 again where 4
    // is due.
    let mut t = lines.clone();
    t.remove(r);
    assert_eq!(
        rejection(&net, &domain, &t),
        region_fault(r, 4, RegionFault::WrongId { expected: 3 })
    );
    let mut t = lines.clone();
    t.insert(r, lines[r].clone());
    assert_eq!(
        rejection(&net, &domain, &t),
        region_fault(r + 1, 3, RegionFault::WrongId { expected: 4 })
    );
    // A pattern bit flipped: not the tree's leaf.
    let mut t = lines.clone();
    let leaf = lines[r]["pattern"].as_str().unwrap().to_string();
    let flipped: String = leaf
        .chars()
        .enumerate()
        .map(|(i, c)| match (i, c) {
            (0, '0') => '1',
            (0, '1') => '0',
            _ => c,
        })
        .collect();
    t[r]["pattern"] = json!(flipped);
    assert_eq!(
        rejection(&net, &domain, &t),
        region_fault(
            r,
            3,
            RegionFault::OtherPattern {
                found: json!(flipped),
                leaf
            }
        )
    );
    // A witness moved outside the square violates a domain row.
    let mut t = lines.clone();
    t[r]["witness"] = json!(["5", "5"]);
    let outside = rejection(&net, &domain, &t);
    assert!(
        matches!(&outside.kind, RejectionKind::Region { fault: RegionFault::NotInside { row }, .. } if row.starts_with('d')),
        "{outside}"
    );
    // An extra region after the last leaf.
    let last = position(&lines, |l| l["type"] == "summary");
    let mut extra = lines[last - 1].clone();
    extra["id"] = json!(lines[last - 1]["id"].as_u64().unwrap() + 1);
    let mut t = lines.clone();
    t.insert(last, extra.clone());
    assert_eq!(
        rejection(&net, &domain, &t),
        Rejection {
            line: Some(last + 1),
            kind: RejectionKind::Region {
                id: extra["id"].clone(),
                fault: RegionFault::Extra
            }
        }
    );
}

#[test]
fn tampered_headers_and_summaries_are_rejected_for_their_own_fault() {
    let (net, domain, lines) = certificate();
    let last = lines.len() - 1;
    let regions = lines[last]["regions"].as_u64().unwrap();
    let at = |line: usize, kind| Rejection {
        line: Some(line),
        kind,
    };
    // The summary: another count; missing; repeated; before the last region.
    let mut t = lines.clone();
    t[last]["regions"] = json!(regions + 1);
    assert_eq!(
        rejection(&net, &domain, &t),
        at(
            last + 1,
            RejectionKind::RegionCount {
                claimed: json!(regions + 1),
                listed: regions
            }
        )
    );
    let mut t = lines.clone();
    t.pop();
    assert_eq!(
        rejection(&net, &domain, &t),
        Rejection {
            line: None,
            kind: RejectionKind::Truncated
        }
    );
    let mut t = lines.clone();
    t.push(lines[last].clone());
    assert_eq!(
        rejection(&net, &domain, &t),
        at(last + 2, RejectionKind::AfterSummary)
    );
    let mut t = lines.clone();
    t.swap(last - 1, last);
    assert_eq!(
        rejection(&net, &domain, &t),
        at(last, RejectionKind::UnlistedCells { cells: 1 })
    );
    // The header: missing, another version, another item type.
    assert_eq!(
        rejection(&net, &domain, &lines[1..]),
        at(1, RejectionKind::NoHeader)
    );
    let mut t = lines.clone();
    t[0]["version"] = json!(4);
    assert!(matches!(
        rejection(&net, &domain, &t).kind,
        RejectionKind::UnknownFormat { .. }
    ));
    let mut t = lines.clone();
    t[1]["type"] = json!("lemma");
    assert_eq!(
        rejection(&net, &domain, &t),
        at(
            2,
            RejectionKind::UnknownItem {
                found: Some("lemma".into())
            }
        )
    );
    // Checked against another network, and another domain.
    let mut other = lines.clone();
    other[0]["network_sha256"] = json!("0");
    assert!(matches!(
        rejection(&net, &domain, &other).kind,
        RejectionKind::OtherNetwork { .. }
    ));
    let narrower = boxed(&[-1.0, -1.0], &[1.0, 0.5]);
    assert_eq!(
        rejection(&net, &narrower, &lines),
        at(
            1,
            RejectionKind::OtherDomain {
                found: domain.to_json()
            }
        )
    );
}

#[test]
fn a_certificate_spelled_otherwise_reads_the_same() {
    // The checker reads the writer's own spelling of a line, of a box test
    // and of a list of multipliers by its bytes, and any other spelling as
    // JSON. The same certificate with white space in every line, or with
    // an escape in every key, verifies, and the same forgery (a box test
    // flipped) is rejected for the same fault whatever the spelling.
    let layers = every_kind_of_test();
    let net = network(&layers);
    let domain = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let (text, _, _) = certify(&net, &domain);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let spaced = |lines: &[Value]| -> String {
        let pretty = |l: &Value| serde_json::to_string_pretty(l).unwrap().replace('\n', " ");
        lines.iter().map(|l| format!("{}\n", pretty(l))).collect()
    };
    // `\u0062` is `b`: every key "box" (of a box test and of a cell box)
    // spelled with an escape.
    let escaped = |lines: &[Value]| -> String {
        lines
            .iter()
            .map(|l| format!("{}\n", l.to_string().replace(r#""box""#, r#""\u0062ox""#)))
            .collect()
    };
    assert!(check(&net, &domain, &text).verified);
    assert!(text.contains(r#"{"box":"on"}"#) && text.contains(r#"[["#));
    for spelled in [spaced(&lines), escaped(&lines)] {
        assert_ne!(spelled, text);
        let verdict = check(&net, &domain, &spelled);
        assert!(verdict.verified, "{:?}", verdict.reason);
    }
    let (s, neuron) = lines
        .iter()
        .enumerate()
        .find_map(|(s, l)| {
            let tests = l["tests"].as_array()?;
            let n = tests.iter().position(|t| *t == json!({"box": "on"}))?;
            Some((s, n))
        })
        .expect("a shared box test");
    let mut forged = lines.clone();
    forged[s]["tests"][neuron] = json!({"box": "off"});
    let plain = rejection(&net, &domain, &forged);
    assert!(matches!(
        &plain.kind,
        RejectionKind::Split { fault: SplitFault::Test { fault: TestFault::BoxRange { side }, .. }, .. }
            if side == "off"
    ));
    for spelled in [spaced(&forged), escaped(&forged)] {
        let verdict = check(&net, &domain, &spelled);
        assert_eq!(verdict.reason, Some(plain.clone()));
    }
}
