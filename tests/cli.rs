//! The command line: outputs, formats, exit codes, and bad input. Expected
//! region counts come from the exact oracle of `tests/common/oracle.rs`.

mod common;

use common::cli::{
    fails, fixture_count_by_oracle, json_model_hidden_layers, run, stderr, stdout, FIXTURE,
};
use common::oracle::oracle_regions;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn count_json_has_the_documented_fields_and_the_oracle_count() {
    let out = run(&["count", FIXTURE, "--box=-1:1", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(stdout(&out).trim()).expect("one JSON object");
    assert_eq!(
        v["regions"].as_u64().unwrap() as usize,
        fixture_count_by_oracle()
    );
    assert_eq!(v["input_dim"], 2);
    assert_eq!(v["hidden_neurons"], 32);
    assert_eq!(v["domain"]["kind"], "box");
    // Two inputs: the default engine walks polygons, with no LP; the dense
    // engine, named, solves LPs and finds the same regions.
    assert_eq!(v["lp_engine"], "auto");
    assert_eq!(v["lp_solves"].as_u64(), Some(0));
    assert!(v["stats"]["side_tests"].as_u64().unwrap() > 0);
    assert!(v["seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(v["decisions"], "near-ties-exact");
    let out = run(&[
        "count",
        FIXTURE,
        "--box=-1:1",
        "--json",
        "--engine",
        "dense",
    ]);
    let d: Value = serde_json::from_str(stdout(&out).trim()).expect("one JSON object");
    assert_eq!(d["regions"], v["regions"]);
    assert!(d["lp_solves"].as_u64().unwrap() > 0);
}

#[test]
fn both_spellings_of_a_negative_box_agree() {
    let a = run(&["count", FIXTURE, "--box=-1:1", "--json"]);
    let b = run(&["count", FIXTURE, "--box", "-1:1", "--json"]);
    let c = run(&["count", FIXTURE, "--box", "-1:1,-1:1"]);
    assert!(a.status.success() && b.status.success() && c.status.success());
    let ra = serde_json::from_str::<Value>(&stdout(&a)).unwrap()["regions"].clone();
    let rb = serde_json::from_str::<Value>(&stdout(&b)).unwrap()["regions"].clone();
    assert_eq!(ra, rb);
    assert!(
        stdout(&c).starts_with(&format!("{ra} activation regions")),
        "{}",
        stdout(&c)
    );
}

#[test]
fn enumerate_writes_a_complete_json_file() {
    let dir = temp_dir();
    let path = dir.path().join("regions.json");
    let out = run(&[
        "enumerate",
        FIXTURE,
        "--box=-1:1",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let regions = v["regions"].as_array().unwrap();
    assert_eq!(regions.len(), fixture_count_by_oracle());
    assert_eq!(
        v["summary"]["regions"].as_u64().unwrap() as usize,
        regions.len()
    );
    assert_eq!(v["model"]["hidden_widths"], serde_json::json!([16, 16]));
    for (i, r) in regions.iter().enumerate() {
        assert_eq!(r["id"], i);
        assert_eq!(r["pattern"].as_str().unwrap().len(), 16 + 1 + 16);
        assert_eq!(r["witness"].as_array().unwrap().len(), 2);
        assert!(r["radius"].as_f64().unwrap() > 0.0);
        assert!(
            r["constraints"].as_array().unwrap().len() >= 4,
            "the box's four rows at least"
        );
        assert_eq!(r["affine_map"]["A"].as_array().unwrap().len(), 1);
    }
    let left: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(left, vec![path], "no temporary file left behind");
}

#[test]
fn enumerate_jsonl_streams_header_regions_summary() {
    let out = run(&[
        "enumerate",
        FIXTURE,
        "--box=-1:1",
        "--format",
        "jsonl",
        "-o",
        "-",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let n = fixture_count_by_oracle();
    assert_eq!(lines.len(), n + 2);
    assert_eq!(lines[0]["type"], "header");
    assert!(lines[1..=n].iter().all(|l| l["type"] == "region"));
    assert_eq!(lines[n + 1]["type"], "summary");
    assert_eq!(lines[n + 1]["regions"].as_u64().unwrap() as usize, n);
}

#[test]
fn ids_and_order_do_not_depend_on_the_thread_count() {
    let one = run(&[
        "enumerate",
        FIXTURE,
        "--box=-1:1",
        "--threads",
        "1",
        "--format",
        "jsonl",
        "-o",
        "-",
    ]);
    let two = run(&[
        "enumerate",
        FIXTURE,
        "--box=-1:1",
        "--threads",
        "2",
        "--format",
        "jsonl",
        "-o",
        "-",
    ]);
    let regions = |o: &Output| -> Vec<String> {
        stdout(o)
            .lines()
            .filter(|l| l.contains("\"type\":\"region\""))
            .map(str::to_string)
            .collect()
    };
    assert!(!regions(&one).is_empty());
    assert_eq!(regions(&one), regions(&two));
}

/// Runs a failing command: exit code 2 (bad input) and an error naming `needle`.
fn bad_input(args: &[&str], needle: &str) {
    fails(args, 2, needle);
}

#[test]
fn bad_models_exit_2_naming_the_place() {
    let dir = temp_dir();
    let write = |name: &str, text: &str| -> String {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    bad_input(
        &["count", "no/such/model.json", "--box=0:1"],
        "no/such/model.json",
    );
    let syntax = write(
        "syntax.json",
        "{\"layers\": [\n  {\"weight\": [[1.0]], \"bias\": [0]},,\n]}",
    );
    bad_input(&["count", &syntax, "--box=0:1"], "line 2");
    let shapes = write(
        "shapes.json",
        r#"{"layers": [{"weight": [[1.0], [2.0]], "bias": [0, 0]}, {"weight": [[1.0, 1.0, 1.0]], "bias": [0]}]}"#,
    );
    bad_input(&["count", &shapes, "--box=0:1"], "layer 1");
    let ragged = write(
        "ragged.json",
        r#"{"layers": [{"weight": [[1.0, 2.0], [1.0]], "bias": [0, 0]}]}"#,
    );
    bad_input(&["count", &ragged, "--box=0:1"], "row 1");
    let act = write(
        "act.json",
        r#"{"layers": [{"weight": [[1.0]], "bias": [0], "activation": "gelu"}]}"#,
    );
    bad_input(&["count", &act, "--box=0:1"], "gelu");
    let huge = write(
        "huge.json",
        r#"{"layers": [{"weight": [[1e999]], "bias": [0]}]}"#,
    );
    bad_input(&["count", &huge, "--box=0:1"], "huge.json");
}

#[test]
fn bad_domains_exit_2_naming_the_place() {
    bad_input(&["count", FIXTURE, "--box=0:1,1:0"], "coordinate 1");
    bad_input(&["count", FIXTURE, "--box=0:1,0:1,0:1"], "dimension 3");
    bad_input(&["count", FIXTURE, "--box=0:x"], "not a number");
    bad_input(
        &["count", FIXTURE, "--box=0.5:0.5"],
        "every coordinate fixed",
    );
    bad_input(&["count", FIXTURE], "--box");
    let dir = temp_dir();
    let flat = dir.path().join("flat.json");
    // x + y ≤ 1 and x + y ≥ 1: a line, no interior.
    std::fs::write(
        &flat,
        r#"{"A": [[1, 1], [-1, -1], [1, 0], [-1, 0]], "b": [1, -1, 1, 1]}"#,
    )
    .unwrap();
    bad_input(
        &["count", FIXTURE, "--polytope", flat.to_str().unwrap()],
        "no interior",
    );
    let short = dir.path().join("short.json");
    std::fs::write(&short, r#"{"A": [[1, 1], [-1, 0]], "b": [1]}"#).unwrap();
    bad_input(
        &["count", FIXTURE, "--polytope", short.to_str().unwrap()],
        "short.json",
    );
}

#[test]
fn an_unwritable_output_exits_2_and_a_failed_run_keeps_the_old_file() {
    bad_input(
        &[
            "enumerate",
            FIXTURE,
            "--box=-1:1",
            "-o",
            "/no/such/dir/r.json",
        ],
        "/no/such/dir/r.json",
    );
    let dir = temp_dir();
    let path = dir.path().join("keep.json");
    std::fs::write(&path, "old").unwrap();
    bad_input(
        &[
            "enumerate",
            "no/such/model.json",
            "--box=-1:1",
            "-o",
            path.to_str().unwrap(),
        ],
        "model.json",
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
}

#[test]
fn polytope_and_whole_domains() {
    // The square [-1, 1]^2 written as a polytope has the same regions as the box.
    let dir = temp_dir();
    let square = dir.path().join("square.json");
    std::fs::write(
        &square,
        r#"{"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [1, 1, 1, 1]}"#,
    )
    .unwrap();
    let out = run(&[
        "count",
        FIXTURE,
        "--polytope",
        square.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["regions"].as_u64().unwrap() as usize,
        fixture_count_by_oracle()
    );
    let out = run(&["count", FIXTURE, "--whole", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let whole: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // The oracle's count on a box grows with the box until the box meets
    // every region (regions are convex, so each meets a large box in one
    // piece). It is the same on boxes of half-width 2^8 and 2^16: that is
    // the whole plane's count, unless a region lay entirely beyond 2^8.
    let layers = json_model_hidden_layers(FIXTURE);
    let on_box = |r: f64| oracle_regions(&layers, &[-r, -r], &[r, r]).len();
    let (near, far) = (on_box(256.0), on_box(65536.0));
    assert_eq!(near, far, "the count is still growing at 2^8");
    assert!(near > fixture_count_by_oracle());
    assert_eq!(whole["regions"].as_u64().unwrap() as usize, far);
}
