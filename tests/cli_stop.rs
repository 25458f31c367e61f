//! Clean stops: `--max-regions`, `--time-limit` and SIGINT end a run with
//! exit code 3 and an output marked `"complete": false`, never one that
//! looks complete. The regions a stopped run wrote are compared with the
//! same command run to its end (its first regions, in the same order), and
//! the full count with the exact oracle of `tests/common/oracle.rs`.

mod common;

use common::cli::{fails, json_model_hidden_layers, run, stderr, stdout, FIXTURE};
use common::oracle::oracle_regions;
use serde_json::Value;
use std::process::{Command, Stdio};

/// The documented exit code of a stopped run (docs/cli.md).
const EXIT_INCOMPLETE: i32 = 3;

fn json(text: &str) -> Value {
    serde_json::from_str(text.trim()).expect("one JSON object")
}

/// `count` on the fixture with `limit` flags: asserts the stop (exit 3, a
/// note on stderr, `"complete": false`) and returns the JSON report.
fn stopped_count(limit: &[&str]) -> Value {
    let args = [&["count", FIXTURE, "--box=-1:1", "--json"], limit].concat();
    let out = run(&args);
    assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stopped before the end"),
        "{}",
        stderr(&out)
    );
    let v = json(&stdout(&out));
    assert_eq!(v["complete"], false, "{v}");
    v
}

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn count_stopped_by_max_regions_is_marked_incomplete() {
    let full = oracle_regions(&json_model_hidden_layers(FIXTURE), &[-1.0; 2], &[1.0; 2]).len();
    assert!(full > 10, "the limit must stop the run: {full} regions");
    let v = stopped_count(&["--max-regions", "10"]);
    assert_eq!(v["regions"], 10);
    assert_eq!(v["stopped"]["reason"], "max_regions");
    let (done, frontier) = (&v["stopped"]["subtrees_done"], &v["stopped"]["frontier"]);
    assert!(done.as_u64().unwrap() < frontier.as_u64().unwrap(), "{v}");

    // A limit above the count does not stop it: exit 0, complete, the oracle's count.
    let limit = (full + 1).to_string();
    let out = run(&[
        "count",
        FIXTURE,
        "--box=-1:1",
        "--json",
        "--max-regions",
        &limit,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&stdout(&out));
    assert_eq!(
        (v["complete"].clone(), v["regions"].as_u64()),
        (Value::Bool(true), Some(full as u64))
    );
}

#[test]
fn a_time_limit_of_zero_stops_before_any_region() {
    let v = stopped_count(&["--time-limit", "0"]);
    assert_eq!(v["regions"], 0);
    assert_eq!(v["stopped"]["reason"], "time_limit");
}

#[test]
fn a_stopped_region_file_is_the_full_runs_prefix_and_says_it_is_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let (part, whole) = (
        dir.path().join("part.jsonl"),
        dir.path().join("whole.jsonl"),
    );
    let out = run(&[
        "enumerate",
        FIXTURE,
        "--box=-1:1",
        "-o",
        whole.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&[
        "enumerate",
        FIXTURE,
        "--box=-1:1",
        "-o",
        part.to_str().unwrap(),
        "--max-regions",
        "7",
    ]);
    assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE), "{}", stderr(&out));
    let (part, whole) = (lines(&part), lines(&whole));
    let summary = part.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["complete"], false);
    assert_eq!(summary["regions"], 7);
    assert_eq!(whole.last().unwrap()["complete"], true);
    // Header, then the same 7 regions (ids, patterns, everything) as the full run.
    assert_eq!(part.len(), 1 + 7 + 1);
    assert_eq!(part[..8], whole[..8]);

    // A reader of region files refuses the partial one.
    let part = dir.path().join("part.jsonl");
    let args = [
        "sample",
        FIXTURE,
        "--box=-1:1",
        "--samples",
        "10",
        "--against",
    ];
    fails(
        &[&args[..], &[part.to_str().unwrap()]].concat(),
        2,
        "\"complete\": false",
    );
}

#[test]
fn a_stopped_certify_leaves_no_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("c.cert.jsonl");
    let out = run(&[
        "certify",
        FIXTURE,
        "--box=-1:1",
        "-o",
        cert.to_str().unwrap(),
        "--json",
        "--max-regions",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE), "{}", stderr(&out));
    assert_eq!(json(&stdout(&out))["complete"], false);
    assert!(
        !cert.exists(),
        "a stopped certify must not leave a certificate"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nor a temporary file"
    );
}

/// SIGINT to a long run (ACAS Xu N1,1 over its whole NNet box: millions of
/// regions) stops it cleanly. The signal is sent once the run has printed
/// its first progress line, so the handler is in place.
#[test]
fn sigint_stops_a_run_cleanly() {
    use std::io::{BufRead, BufReader};
    let model = "../shared/data/nnet/TestNetwork2.nnet";
    if !std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(model)
        .exists()
    {
        eprintln!("skipped: {model} is not here");
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_regionwalk"))
        .args(["count", model, "--json", "--progress-json", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("\"progress\"") {
        line.clear();
    }
    assert!(
        line.contains("\"progress\""),
        "no progress line before the end"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE));
    let v = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(v["complete"], false);
    assert_eq!(v["stopped"]["reason"], "interrupted");
}

#[test]
fn flags_that_cannot_apply_are_refused_not_ignored() {
    let base = ["count", FIXTURE, "--box=-1:1"];
    fails(
        &[&base[..], &["--certify", "--max-regions", "5"]].concat(),
        2,
        "count --certify takes no",
    );
    fails(
        &[&base[..], &["--linear", "--shard", "1/2"]].concat(),
        2,
        "count --linear takes no --shard",
    );
    fails(
        &[&base[..], &["--time-limit=-1"]].concat(),
        2,
        "--time-limit -1",
    );
    fails(&[&base[..], &["--shard", "3/2"]].concat(), 2, "--shard 3/2");
}
