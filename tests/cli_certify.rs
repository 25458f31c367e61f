//! The certification commands: `certify` writes a certificate that `verify`
//! accepts (exit 0), plain or gzip-compressed, a tampered one is rejected
//! (exit 1) with the item named, bad input exits 2, and `count --certify`
//! reports `"certified": true`. Every certified count is compared with the
//! exact oracle's (`tests/common/oracle.rs`), never with the crate's own
//! float count.

use common::cli::{fixture_count_by_oracle, json_model_hidden_layers, json_model_layers, run};
use serde_json::Value;

const FIXTURE: &str = "fixtures/net2d_16x16.json";

#[test]
fn certify_then_verify_and_tampering() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["c.jsonl", "c.jsonl.gz"] {
        let cert = dir.path().join(name);
        let c = cert.to_str().unwrap();
        let out = run(&["certify", FIXTURE, "--box=-1:1", "-o", c]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // gzip streams start with the magic bytes 1f 8b (RFC 1952).
        let bytes = std::fs::read(&cert).unwrap();
        assert_eq!(bytes.starts_with(&[0x1f, 0x8b]), name.ends_with(".gz"));
        let out = run(&["verify", FIXTURE, "--box=-1:1", c, "--json"]);
        assert_eq!(out.status.code(), Some(0));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["verified"], true);
        assert_eq!(v["regions"], fixture_count_by_oracle());

        // Against another domain: rejected, exit 1, reason in JSON.
        let out = run(&["verify", FIXTURE, "--box=-1:0.5", c, "--json"]);
        assert_eq!(out.status.code(), Some(1));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["verified"], false);
        assert!(v["reason"].as_str().unwrap().contains("different domain"));
    }

    // A truncated certificate: rejected, the reason says so.
    let cert = dir.path().join("c.jsonl");
    let c = cert.to_str().unwrap();
    let text = std::fs::read_to_string(&cert).unwrap();
    let cut: String = text
        .lines()
        .take(text.lines().count() / 2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&cert, cut).unwrap();
    let out = run(&["verify", FIXTURE, "--box=-1:1", c]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!(
        "certificate rejected: {c}: the certificate ends before its summary line"
    )));

    // Bad input: no such certificate file.
    let out = run(&["verify", FIXTURE, "--box=-1:1", "no/such.cert"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such.cert"));
}

#[test]
fn count_certify_reports_certified() {
    let out = run(&["count", FIXTURE, "--box=-1:1", "--certify", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["certified"], true);
    assert_eq!(v["decisions"], "exact");
    assert_eq!(v["regions"], fixture_count_by_oracle());
}

#[test]
fn certify_with_fixed_coordinates_on_a_corner_of_acas_xu_property_4() {
    // ACAS Xu N1,1 (fixtures/acasxu_1_1.json, six layers of 50, float32
    // weights) on the corner of the box of property 4 where X_0, X_1 are in
    // the lower halves of their ranges, X_2 is fixed at 0 as the property
    // fixes it, and X_3, X_4 at their bounds: a 2-D slice, which the oracle
    // enumerates in exact arithmetic.
    let acas = "fixtures/acasxu_1_1.json";
    let (x0, x1) = ((-0.303531156, -0.30104), (-0.009549297, 0.0));
    let fixed = [(2, 0.0), (3, 0.5), (4, 0.083333333)];
    let expected = oracle::oracle_slice_regions(
        &json_model_hidden_layers(acas),
        &fixed,
        &[x0.0, x1.0],
        &[x0.1, x1.1],
    )
    .len();
    assert!(
        expected > 20,
        "only {expected} regions: the test would be weak"
    );
    let spec = format!(
        "--box={}:{},{}:{},0:0,0.5:0.5,0.083333333:0.083333333",
        x0.0, x0.1, x1.0, x1.1
    );
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("corner.cert.jsonl.gz");
    let c = cert.to_str().unwrap();
    let out = run(&["certify", acas, &spec, "-o", c, "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["regions"], expected);
    assert_eq!(v["free_dim"], 2);
    let out = run(&["verify", acas, &spec, c, "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["verified"].clone(), v["regions"].clone()),
        (Value::Bool(true), expected.into())
    );
}

mod common;
use common::oracle;

#[test]
fn enumerate_exact_writes_exact_witnesses_and_maps() {
    // Each exact witness, run through the oracle's exact forward pass
    // (rationals, independent of the crate), shows its region's pattern; the
    // exact map is the oracle's.
    let out = run(&[
        "enumerate",
        FIXTURE,
        "--box=-1:1",
        "--exact",
        "--format",
        "jsonl",
        "-o",
        "-",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (layers, out_layer) = json_model_layers(FIXTURE);
    let parse = |s: &Value| -> num_rational::BigRational {
        let s = s.as_str().unwrap();
        match s.split_once('/') {
            Some((p, q)) => num_rational::BigRational::new(p.parse().unwrap(), q.parse().unwrap()),
            None => num_rational::BigRational::from_integer(s.parse().unwrap()),
        }
    };
    let mut n = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["type"] == "header" {
            assert_eq!(v["decisions"], "exact");
        }
        if v["type"] != "region" {
            continue;
        }
        let w: Vec<_> = v["exact"]["witness"]
            .as_array()
            .unwrap()
            .iter()
            .map(parse)
            .collect();
        assert_eq!(
            oracle::pattern_at(&layers, &w),
            v["pattern"].as_str().unwrap()
        );
        // The exact map is the oracle's composition of the layers in
        // rationals, entry by entry.
        let (a, c) = oracle::output_map(&layers, &out_layer, v["pattern"].as_str().unwrap());
        let map = &v["exact"]["affine_map"];
        let written: Vec<_> = map["A"][0].as_array().unwrap().iter().map(parse).collect();
        assert_eq!(written, a[0]);
        assert_eq!(parse(&map["c"][0]), c[0]);
        n += 1;
    }
    assert!(n > 100);
}
