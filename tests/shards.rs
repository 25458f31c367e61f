//! Sharded runs (`--shard K/N`) and `merge`: the merged parts equal the
//! single run region for region, and the count is Zaslavsky's for lines in
//! general position, 1 + n + C(n, 2). Certificates of parts merge into the
//! single run's certificate, which the independent checker verifies.
//! `merge` names missing, duplicated and foreign parts.

mod common;

use common::cli::{fails, json_of, lcg_model, run, stderr};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Lines in the plane with pseudo-random coefficients (a fixed linear
/// congruential sequence), one hidden layer: in general position.
const LINES: usize = 50;

fn lines_model(dir: &Path) -> String {
    let mut state: u64 = 12345;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    let weight: Vec<[f64; 2]> = (0..LINES).map(|_| [next(), next()]).collect();
    let bias: Vec<f64> = (0..LINES).map(|_| next()).collect();
    let model = json!({"layers": [
        {"weight": weight, "bias": bias},
        {"weight": [vec![1.0; LINES]], "bias": [0.0]},
    ]});
    let path = dir.join("lines.json");
    std::fs::write(&path, model.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

fn lines_of(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn part(dir: &Path, kind: &str, k: usize, n: usize) -> PathBuf {
    dir.join(format!(
        "{kind}-{k}-of-{n}.json{}",
        if kind == "r" { "l" } else { "" }
    ))
}

#[test]
fn merged_parts_equal_the_single_run_region_for_region() {
    let dir = tempfile::tempdir().unwrap();
    let model = lines_model(dir.path());
    let zaslavsky = 1 + LINES + LINES * (LINES - 1) / 2;
    let whole = dir.path().join("whole.jsonl");
    let out = run(&[
        "enumerate",
        &model,
        "--whole",
        "-o",
        whole.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = lines_of(&whole);
    assert_eq!(whole.len(), zaslavsky + 2);
    for n in 1..=7 {
        let mut regions = Vec::new();
        let mut counts = Vec::new();
        for k in (1..=n).rev() {
            let shard = format!("{k}/{n}");
            let (r, c) = (part(dir.path(), "r", k, n), part(dir.path(), "c", k, n));
            let out = run(&[
                "enumerate",
                &model,
                "--whole",
                "--shard",
                &shard,
                "-o",
                r.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
            let out = run(&["count", &model, "--whole", "--shard", &shard, "--json"]);
            std::fs::write(&c, json_of(&out).to_string()).unwrap();
            regions.push(r.to_str().unwrap().to_string());
            counts.push(c.to_str().unwrap().to_string());
        }
        let merged = dir.path().join(format!("merged-{n}.jsonl"));
        let args = [
            &["merge", "-o", merged.to_str().unwrap()][..],
            &regions.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat();
        let out = run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        let merged = lines_of(&merged);
        assert_eq!(merged.len(), whole.len(), "{n} parts");
        assert_eq!(
            merged[..merged.len() - 1],
            whole[..whole.len() - 1],
            "{n} parts"
        );
        let summary = merged.last().unwrap();
        assert_eq!(
            (summary["regions"].as_u64(), summary["complete"].clone()),
            (Some(zaslavsky as u64), Value::Bool(true))
        );

        let args = [
            &["merge"][..],
            &counts.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat();
        let report = json_of(&run(&args));
        assert_eq!(
            report["regions"].as_u64(),
            Some(zaslavsky as u64),
            "{n} parts"
        );
        assert_eq!(report["merged_parts"].as_u64(), Some(n as u64));
    }
}

#[test]
fn merge_names_missing_duplicated_and_foreign_parts() {
    let dir = tempfile::tempdir().unwrap();
    let model = lines_model(dir.path());
    let mut paths = Vec::new();
    for k in 1..=3 {
        let p = part(dir.path(), "c", k, 3);
        let out = run(&[
            "count",
            &model,
            "--box=-1:1",
            "--shard",
            &format!("{k}/3"),
            "--json",
        ]);
        std::fs::write(&p, json_of(&out).to_string()).unwrap();
        paths.push(p.to_str().unwrap().to_string());
    }
    let (p1, p2, p3) = (paths[0].as_str(), paths[1].as_str(), paths[2].as_str());
    fails(&["merge", p1, p3], 2, "missing parts: 2/3");
    fails(&["merge", p1, p2, p2, p3], 2, "part 2/3 is given 2 times");
    // A part of another run: the same model on another domain.
    let other = part(dir.path(), "c", 2, 9);
    let out = run(&["count", &model, "--box=-2:2", "--shard", "2/3", "--json"]);
    std::fs::write(&other, json_of(&out).to_string()).unwrap();
    fails(
        &["merge", p1, other.to_str().unwrap(), p3],
        2,
        "not of the same run",
    );
    // An unsharded report is not a part.
    let single = dir.path().join("single.json");
    let out = run(&["count", &model, "--box=-1:1", "--json"]);
    std::fs::write(&single, json_of(&out).to_string()).unwrap();
    fails(
        &["merge", single.to_str().unwrap()],
        2,
        "not a part of a sharded run",
    );
}

/// The lines of a file but the last (a summary with timings).
fn body(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines.pop();
    lines
}

/// `certify --shard K/N` for N = 1..7, merged: the merged certificate is the
/// single run's, line for line but the summary, and `verify` (the
/// independent checker) accepts it with the single run's count. The model
/// (50 neurons, then 6) makes a frontier of cells of the first layer, each
/// carrying its split's proof, so the proofs are spread over the parts.
#[test]
fn merged_certificates_are_the_single_runs_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let model = lcg_model(dir.path(), "net.json", &[50, 6], 11);
    let domain = "--box=-4:4";
    let whole = dir.path().join("whole.cert.jsonl");
    let out = run(&["certify", &model, domain, "-o", whole.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let whole_body = body(&whole);
    let regions = whole_body
        .iter()
        .filter(|l| l.contains("\"type\":\"region\""))
        .count();
    assert!(
        regions > 1100,
        "more regions than frontier cells: {regions}"
    );
    for n in 1..=7 {
        let mut parts = Vec::new();
        for k in 1..=n {
            // Every other part compressed: merge reads both.
            let ext = if k % 2 == 0 {
                "cert.jsonl.gz"
            } else {
                "cert.jsonl"
            };
            let p = dir.path().join(format!("c-{k}-of-{n}.{ext}"));
            let shard = format!("{k}/{n}");
            let out = run(&[
                "certify",
                &model,
                domain,
                "--shard",
                &shard,
                "-o",
                p.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
            parts.push(p.to_str().unwrap().to_string());
        }
        let merged = dir.path().join(format!("merged-{n}.cert.jsonl"));
        let args = [
            &["merge", "-o", merged.to_str().unwrap()][..],
            &parts.iter().rev().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat();
        let out = run(&args);
        assert!(out.status.success(), "{n} parts: {}", stderr(&out));
        assert!(
            body(&merged) == whole_body,
            "{n} parts: not the single run's certificate"
        );
        let v = json_of(&run(&[
            "verify",
            &model,
            domain,
            merged.to_str().unwrap(),
            "--json",
        ]));
        assert_eq!(v["verified"], true, "{n} parts: {v}");
        assert_eq!(v["regions"].as_u64(), Some(regions as u64), "{n} parts");
        if n == 3 {
            let (p1, p2, p3) = (parts[0].as_str(), parts[1].as_str(), parts[2].as_str());
            fails(&["merge", p1, p3], 2, "missing parts: 2/3");
            fails(&["merge", p1, p2, p2, p3], 2, "part 2/3 is given 2 times");
            // Put together by hand without part 2 (ids renumbered, the
            // count right): the checker rejects it.
            let forged = dir.path().join("forged.cert.jsonl");
            let mut lines = vec![whole_body[0].clone()];
            let mut id = 0;
            for p in [p1, p3] {
                for line in body(Path::new(p)).into_iter().skip(1) {
                    let mut v: Value = serde_json::from_str(&line).unwrap();
                    if v["type"] == "region" {
                        v["id"] = id.into();
                        id += 1;
                    }
                    lines.push(v.to_string());
                }
            }
            lines.push(json!({"type": "summary", "regions": id}).to_string());
            std::fs::write(&forged, lines.join("\n") + "\n").unwrap();
            let out = run(&["verify", &model, domain, forged.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        }
    }
}
