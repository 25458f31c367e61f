//! Sharded runs (`--shard K/N`) and `merge`: the merged parts equal the
//! single run region for region, and the count is Zaslavsky's for lines in
//! general position, 1 + n + C(n, 2). `merge` names missing, duplicated and
//! foreign parts.

mod common;

use common::cli::{fails, json_of, run, stderr};
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
    for n in 1..=4 {
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
