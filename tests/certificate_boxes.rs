//! Cell boxes (certificate format 3, docs/certificate.md "Cell boxes"): a
//! split may give its cell's box, each bound with multipliers that prove
//! it, and the split's tests and its descendants' are then checked against
//! that box. A certificate worked by hand from the format's documentation
//! (not by the prover) is accepted; each forgery of its box is rejected
//! with its own reason; the box is what the tests lean on (without it they
//! fail); and the prover's own boxes, tampered with, are rejected.

mod common;

use common::certify::{certify, check};
use common::nets::{every_kind_of_test, layer};
use common::walk::{boxed, network};
use regionwalk::{
    BoxFault, Domain, MultiplierFault, Network, RejectionKind, SplitFault, TestFault,
};
use serde_json::{json, Value};

/// `z0 = x` in layer 0; in layer 1 `z1 = ReLU(x) − 1/4` and
/// `z2 = ReLU(x) + 1/4`, on the interval `(−1, 1)`.
fn net() -> Network {
    network(&[
        layer(vec![vec![1.0]], vec![0.0]),
        layer(vec![vec![1.0], vec![1.0]], vec![-0.25, 0.25]),
    ])
}

fn interval() -> Domain {
    boxed(&[-1.0], &[1.0])
}

/// Worked by hand: `z0` cuts the interval at 0. On `x < 0` both layer-1
/// rows are constant (`−1/4`, off; `1/4`, on). On `x > 0` the cell's box
/// is `[0, 1]`: the lower bound `x ≥ 0` by the cell's row `n0.0` (`−x < 0`)
/// and the side `x < 0` with multipliers 1 and 1 (they cancel, and the
/// offsets sum to 0). Over that box `z2 = x + 1/4 ≥ 1/4` is on (over the
/// domain's box it ranges over `[−3/4, 5/4]`), and `z1 = x − 1/4` cuts at
/// 1/4. Three regions: `0|01`, `1|01`, `1|11`.
fn valid(lower: Value) -> Vec<Value> {
    let net = net();
    vec![
        json!({"type": "header", "format": "regionwalk-certificate", "version": 3,
               "network_sha256": net.fingerprint(), "input_dim": 1,
               "hidden_widths": [1, 2], "domain": interval().to_json(), "free": [0]}),
        json!({"type": "split", "layer": 0, "pattern": "", "tests": [[{"cut": [["-1/2"], ["1/2"]]}]]}),
        json!({"type": "split", "layer": 1, "pattern": "0", "tests": ["k", "k"]}),
        json!({"type": "region", "id": 0, "pattern": "0|01", "witness": ["-1/2"]}),
        json!({"type": "split", "layer": 1, "pattern": "1", "box": [[lower, null]],
               "tests": [[{"cut": [["1/8"], ["1/2"]]}], {"box": "on"}]}),
        json!({"type": "region", "id": 1, "pattern": "1|01", "witness": ["1/8"]}),
        json!({"type": "region", "id": 2, "pattern": "1|11", "witness": ["1/2"]}),
        json!({"type": "summary", "regions": 3}),
    ]
}

fn proved_zero() -> Value {
    json!(["0", [["n0.0", "1"], ["s", "1"]]])
}

fn verdict(lines: &[Value], domain: &Domain) -> regionwalk::Verdict {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    check(&net(), domain, &text)
}

/// The fault of the split of cell `1` (line 5).
fn split_one(fault: SplitFault) -> RejectionKind {
    RejectionKind::Split {
        cell: "1".into(),
        layer: 1,
        fault,
    }
}

/// The rejection of the hand-made certificate with the lower bound `lower`.
fn rejected(lower: Value) -> RejectionKind {
    let v = verdict(&valid(lower), &interval());
    assert!(!v.verified, "forgery accepted");
    let r = v.reason.expect("a reason");
    assert_eq!(r.line, Some(5));
    r.kind
}

fn bound_fault(fault: MultiplierFault) -> RejectionKind {
    split_one(SplitFault::CellBox(BoxFault::Multipliers {
        coordinate: 0,
        upper: false,
        fault,
    }))
}

#[test]
fn a_proved_cell_box_decides_the_tests_the_domain_box_cannot() {
    let v = verdict(&valid(proved_zero()), &interval());
    assert!(v.verified, "{:?}", v.reason);
    assert_eq!(v.regions, 3);
    // Without the box, z2's range over the domain's box is [−3/4, 5/4].
    let mut lines = valid(proved_zero());
    lines[4].as_object_mut().unwrap().remove("box");
    let r = verdict(&lines, &interval()).reason.expect("rejected");
    assert_eq!(
        r.kind,
        split_one(SplitFault::Test {
            layer: 1,
            neuron: 1,
            piece: 0,
            fault: TestFault::BoxRange { side: "on".into() }
        })
    );
    assert_eq!(
        r.to_string(),
        "line 5: split of cell `1` by layer 1: neuron [1, 1], piece 0: \
         the row's range over the box does not show it on throughout"
    );
}

#[test]
fn a_bound_its_multipliers_do_not_prove_is_rejected() {
    // x ≥ 1/4 is not true of the cell: with the same multipliers the
    // normals cancel and the offsets sum to 0 + 1/4 > 0.
    assert_eq!(
        rejected(json!(["1/4", [["n0.0", "1"], ["s", "1"]]])),
        bound_fault(MultiplierFault::PositiveOffsets)
    );
    // λ = (1, 2) leaves ρ = −1 + 2 = 1 and β = 0: over the domain's box
    // min x = −1 < 0, which the box cannot pay.
    assert_eq!(
        rejected(json!(["0", [["n0.0", "1"], ["s", "2"]]])),
        bound_fault(MultiplierFault::BoxSlackShort)
    );
    let r = verdict(
        &valid(json!(["0", [["n0.0", "1"], ["s", "2"]]])),
        &interval(),
    );
    assert_eq!(
        r.reason.unwrap().to_string(),
        "line 5: split of cell `1` by layer 1: cell box, coordinate 0, lower bound: \
         the multipliers do not cancel the normals, and over the cell's box \
         min (Σ λ a)·y < Σ λ b"
    );
    // A row the cell does not have, and no multipliers at all.
    assert_eq!(
        rejected(json!(["0", [["n0.5", "1"], ["s", "1"]]])),
        bound_fault(MultiplierFault::UnknownRow { row: "n0.5".into() })
    );
    assert_eq!(
        rejected(json!(["0", []])),
        bound_fault(MultiplierFault::Empty)
    );
}

#[test]
fn a_bound_the_parent_box_pays_for_holds_and_the_tests_meet_it() {
    // x ≥ −1/2 with λ = (1, 2): ρ = 1, β = 2·(−1/2) = −1, and over the
    // domain's box min x − β = −1 + 1 = 0 ≥ 0: proved, by the box. Over
    // the box [−1/2, 1] z2 = x + 1/4 reaches −1/4, so its box test fails:
    // the tests are checked against the box proved, no tighter one.
    let lower = json!(["-1/2", [["n0.0", "1"], ["s", "2"]]]);
    assert_eq!(
        rejected(lower),
        split_one(SplitFault::Test {
            layer: 1,
            neuron: 1,
            piece: 0,
            fault: TestFault::BoxRange { side: "on".into() }
        })
    );
}

#[test]
fn a_malformed_cell_box_is_rejected_naming_the_coordinate() {
    let not_a_double = |value: Value| rejected(json!([value, [["n0.0", "1"], ["s", "1"]]]));
    let fault = split_one(SplitFault::CellBox(BoxFault::NotADouble {
        coordinate: 0,
        upper: false,
    }));
    // A third is not a dyadic number, 0 is not a string, and 2^-1100 is
    // not a double (below the smallest).
    assert_eq!(not_a_double(json!("1/3")), fault);
    assert_eq!(not_a_double(json!(0)), fault);
    let tiny = format!("1/{}", num_bigint::BigInt::from(1) << 1100);
    assert_eq!(not_a_double(json!(tiny)), fault);
    let mut lines = valid(proved_zero());
    lines[4]["box"] = json!([[null]]);
    assert_eq!(
        verdict(&lines, &interval()).reason.unwrap().kind,
        split_one(SplitFault::CellBox(BoxFault::NotAPair { coordinate: 0 }))
    );
    lines[4]["box"] = json!([]);
    assert_eq!(
        verdict(&lines, &interval()).reason.unwrap().kind,
        split_one(SplitFault::CellBox(BoxFault::NotAList { dim: 1 }))
    );
}

#[test]
fn a_cell_box_on_a_domain_without_a_box_is_rejected() {
    // The same interval as a polytope: its certificate is the same but for
    // the header's domain, and has no box for the bound's proof to use.
    let polytope = Domain::Polytope {
        a: vec![vec![-1.0], vec![1.0]],
        b: vec![1.0, 1.0],
    };
    let mut lines = valid(proved_zero());
    lines[0]["domain"] = polytope.to_json();
    let r = verdict(&lines, &polytope).reason.expect("rejected");
    assert_eq!(r.kind, split_one(SplitFault::CellBox(BoxFault::NotABox)));
    assert_eq!(
        r.to_string(),
        "line 5: split of cell `1` by layer 1: a cell box on a domain that is not a box"
    );
}

#[test]
fn the_provers_cell_boxes_check_and_tampered_ones_are_rejected() {
    let net = network(&every_kind_of_test());
    let square = boxed(&[-1.0, -1.0], &[1.0, 1.0]);
    let (text, _, _) = certify(&net, &square);
    assert!(check(&net, &square, &text).verified);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let reject = |lines: &[Value]| {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let v = check(&net, &square, &text);
        assert!(!v.verified, "forgery accepted");
        v.reason.expect("a reason")
    };
    // Every given bound: moved a quarter into the square (beyond the cell,
    // whose sides are the cuts at 0), or its first multiplier scaled by a
    // thousand, is rejected, naming the bound.
    let mut bounds = 0;
    for (s, line) in lines.iter().enumerate() {
        let Some(cell_box) = line["box"].as_array() else {
            continue;
        };
        for (coordinate, ends) in cell_box.iter().enumerate() {
            for (end, upper) in [(0, false), (1, true)] {
                let bound = &ends[end];
                if bound.is_null() {
                    continue;
                }
                bounds += 1;
                let value: f64 = {
                    let (p, q) = bound[0]
                        .as_str()
                        .unwrap()
                        .split_once('/')
                        .unwrap_or((bound[0].as_str().unwrap(), "1"));
                    p.parse::<f64>().unwrap() / q.parse::<f64>().unwrap()
                };
                let inward = if upper { value - 0.25 } else { value + 0.25 };
                let mut t = lines.clone();
                t[s]["box"][coordinate][end][0] = json!(format!("{}/4", (inward * 4.0).round()));
                let mut u = lines.clone();
                let first: u64 = bound[1][0][1].as_str().unwrap().parse().unwrap();
                u[s]["box"][coordinate][end][1][0][1] = json!((first * 1000).to_string());
                for forged in [t, u] {
                    let r = reject(&forged);
                    assert_eq!(r.line, Some(s + 1));
                    assert!(
                        matches!(&r.kind, RejectionKind::Split { fault: SplitFault::CellBox(BoxFault::Multipliers { coordinate: c, upper: u, .. }), .. } if *c == coordinate && *u == upper),
                        "{r}"
                    );
                }
            }
        }
    }
    assert!(bounds >= 4, "only {bounds} bounds: the test would be weak");
}

/// ACAS Xu N1,1 on a small box, certified by the build before format 3
/// (version 2: no cell boxes, every test decided over the domain's box),
/// stored gzipped (made by `regionwalk certify` at the commit before
/// format 3): `verify` still accepts it, and rejects it tampered.
#[test]
fn a_version_2_certificate_still_verifies() {
    use common::cli::run;
    let acas = "fixtures/acasxu_1_1.json";
    let spec = "--box=0.6:0.66,-0.5:-0.44,-0.5:-0.44,0.45:0.5,-0.5:-0.45";
    let v2 = "fixtures/certificates/acasxu_1_1_v2.cert.jsonl.gz";
    let out = run(&["verify", acas, spec, v2, "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["verified"].clone(), v["regions"].clone()),
        (json!(true), json!(11)),
        "{v}"
    );
    // The same file with its first box test's side flipped (a row that is
    // off over the box is not on over it, unless it is zero, which a box
    // test's row is not: a constant row is marked `k`).
    let text = {
        use std::io::Read;
        let mut s = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(v2).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(text.starts_with('{') && text.contains(r#""version":2"#));
    let forged = text.replacen(r#"{"box":"off"}"#, r#"{"box":"on"}"#, 1);
    assert_ne!(forged, text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.cert.jsonl");
    std::fs::write(&path, forged).unwrap();
    let out = run(&["verify", acas, spec, path.to_str().unwrap(), "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], json!(false), "{v}");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .ends_with("the row's range over the box does not show it on throughout"),
        "{v}"
    );
}
