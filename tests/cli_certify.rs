//! The certification commands: `certify` writes a certificate that `verify`
//! accepts (exit 0), a tampered one is rejected (exit 1) with the item named,
//! bad input exits 2, and `count --certify` reports `"certified": true` with
//! the count the exact oracle gives.

use common::cli::run;
use serde_json::Value;

const FIXTURE: &str = "fixtures/net2d_16x16.json";

#[test]
fn certify_then_verify_and_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("c.jsonl");
    let c = cert.to_str().unwrap();
    let out = run(&["certify", FIXTURE, "--box=-1:1", "-o", c]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["verify", FIXTURE, "--box=-1:1", c, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], true);
    let count = run(&["count", FIXTURE, "--box=-1:1", "--json"]);
    let plain: Value = serde_json::from_slice(&count.stdout).unwrap();
    assert_eq!(v["regions"], plain["regions"]);

    // Against another domain: rejected, exit 1, reason in JSON.
    let out = run(&["verify", FIXTURE, "--box=-1:0.5", c, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], false);
    assert!(v["reason"].as_str().unwrap().contains("different domain"));

    // A truncated certificate: rejected, the reason says so.
    let text = std::fs::read_to_string(&cert).unwrap();
    let cut: String = text
        .lines()
        .take(text.lines().count() / 2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&cert, cut).unwrap();
    let out = run(&["verify", FIXTURE, "--box=-1:1", c]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rejected"));

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
    let plain: Value =
        serde_json::from_slice(&run(&["count", FIXTURE, "--box=-1:1", "--json"]).stdout).unwrap();
    assert_eq!(v["regions"], plain["regions"]);
}

mod common;
use common::oracle;

#[test]
fn enumerate_exact_writes_exact_witnesses_and_maps() {
    // Each exact witness, run through the oracle's exact forward pass
    // (rationals, independent of the crate), shows its region's pattern; the
    // exact map rounds to the float map.
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
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/net2d_16x16.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let layers: Vec<oracle::OracleLayer> = model["layers"].as_array().unwrap()[..2]
        .iter()
        .map(|l| oracle::OracleLayer {
            weight: serde_json::from_value(l["weight"].clone()).unwrap(),
            bias: serde_json::from_value(l["bias"].clone()).unwrap(),
        })
        .collect();
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
        let a = &v["exact"]["affine_map"]["A"][0];
        for (k, x) in a.as_array().unwrap().iter().enumerate() {
            let exact: f64 = num_traits::ToPrimitive::to_f64(&parse(x)).unwrap();
            let float = v["affine_map"]["A"][0][k].as_f64().unwrap();
            assert!((exact - float).abs() <= 1e-12 * (1.0 + float.abs()));
        }
        n += 1;
    }
    assert!(n > 100);
}
