//! `certify --checkpoint` and `--resume`: a certification stopped by
//! `--max-regions` leaves no certificate (only an unfinished file that
//! `verify` rejects), and, resumed until it completes, ends with the
//! uninterrupted run's certificate line for line but for the summary's
//! timings; the independent checker verifies it with the uninterrupted
//! run's count. The expected lines are the uninterrupted run's.

mod common;

use common::cli::{lcg_model, run, stderr};
use flate2::read::GzDecoder;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// The documented exit code of a stopped run (docs/large-runs.md).
const EXIT_INCOMPLETE: i32 = 3;

/// A certificate's lines (decompressed if its name ends in `.gz`).
fn lines(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
    } else {
        text = String::from_utf8(bytes).unwrap();
    }
    text.lines().map(String::from).collect()
}

/// 50 lines then 6 neurons on `[-4, 4]²` (as `tests/shards.rs`): 1075
/// frontier cells of the first layer, most split again by the second, so
/// a stop after 377 regions falls inside a subtree, whose split proofs were
/// written before the stop and must not be written again.
#[test]
fn a_certificate_stopped_and_resumed_is_the_single_runs_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let model = lcg_model(dir.path(), "net.json", &[50, 6], 11);
    let domain = "--box=-4:4";
    let whole = dir.path().join("whole.cert.jsonl");
    let out = run(&["certify", &model, domain, "-o", whole.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let cert = dir.path().join("resumed.cert.jsonl.gz");
    let partial = dir.path().join("resumed.cert.jsonl.partial");
    let ck = dir.path().join("run.ck");
    let base = [
        "certify",
        model.as_str(),
        domain,
        "-o",
        cert.to_str().unwrap(),
        "--max-regions",
        "377",
    ];
    let (mut runs, mut inside) = (0, 0);
    loop {
        runs += 1;
        assert!(runs < 20, "no end");
        let flag = if runs == 1 {
            "--checkpoint"
        } else {
            "--resume"
        };
        let out = run(&[&base[..], &[flag, ck.to_str().unwrap()]].concat());
        if out.status.success() {
            break;
        }
        assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE), "{}", stderr(&out));
        // Stopped: no certificate, and the unfinished file does not verify.
        assert!(!cert.exists(), "a stopped run left a certificate");
        let verify = run(&["verify", &model, domain, partial.to_str().unwrap()]);
        assert_eq!(verify.status.code(), Some(1), "{}", stderr(&verify));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&ck).unwrap()).unwrap();
        assert_eq!(v["regions"].as_u64(), Some(377 * runs));
        inside += usize::from(v["position"].is_array());
    }
    assert!(runs >= 3, "{runs} runs");
    assert!(inside > 0, "no stop fell inside a subtree");
    assert!(
        !ck.exists() && !partial.exists(),
        "left behind after the end"
    );
    let (resumed, single) = (lines(&cert), lines(&whole));
    assert_eq!(resumed.len(), single.len());
    assert!(
        resumed[..resumed.len() - 1] == single[..single.len() - 1],
        "the resumed certificate differs from the single run's"
    );
    let verdict = run(&["verify", &model, domain, cert.to_str().unwrap(), "--json"]);
    assert!(verdict.status.success(), "{}", stderr(&verdict));
    let v: Value = serde_json::from_slice(&verdict.stdout).unwrap();
    let regions = single
        .iter()
        .filter(|l| l.contains("\"type\":\"region\""))
        .count();
    assert_eq!(
        (v["verified"].clone(), v["regions"].as_u64()),
        (Value::Bool(true), Some(regions as u64))
    );
}
