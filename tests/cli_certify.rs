//! The certification commands: `certify` writes a certificate that `verify`
//! accepts (exit 0), a tampered one is rejected (exit 1) with the item named,
//! bad input exits 2, and `count --certify` reports `"certified": true` with
//! the count the exact oracle gives.

use serde_json::Value;
use std::process::{Command, Output};

const FIXTURE: &str = "fixtures/net2d_16x16.json";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regionwalk"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs")
}

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
