//! `--checkpoint` and `--resume`: a run stopped by `--max-regions`, by
//! `--time-limit` or by SIGINT, resumed (several times), ends with exactly
//! the output of the same command run once to its end: the same count, and
//! the same region file line for line (ids in the single run's order) but
//! for the summary's timing and work counters. The expected output is the
//! uninterrupted run's; its count is checked against Zaslavsky's formula for
//! lines in general position, 1 + n + C(n, 2), where the model is one layer.
//! A checkpoint of another model, domain, flags or version is refused.

mod common;

use common::cli::{fails, lcg_model as model, run, stderr};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};

/// The documented exit code of a stopped run (docs/large-runs.md).
const EXIT_INCOMPLETE: i32 = 3;

/// Three hidden layers of 40 on the box `[-4, 4]²`: 5389 regions,
/// several per frontier subtree, so stops fall inside subtrees.
fn deep_model(dir: &Path) -> String {
    model(dir, "deep.json", &[40, 40, 40], 7)
}

/// A region file's text before its summary, and its summary.
fn body_and_summary(path: &Path) -> (String, Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let summary = if path.extension().is_some_and(|e| e == "jsonl") {
        serde_json::from_str(text.lines().last().unwrap()).unwrap()
    } else {
        serde_json::from_str::<Value>(&text).unwrap()["summary"].clone()
    };
    let cut = text
        .rfind("{\"complete\"")
        .expect("a summary (its keys are sorted, \"complete\" first)");
    (text[..cut].to_string(), summary)
}

/// How a test stops its runs.
#[derive(Clone, Copy)]
enum Stop {
    /// These flags.
    Flags(&'static [&'static str]),
    /// `--time-limit`, from 0.2 s, doubled after a run that finished no
    /// subtree (on a loaded machine the walk's setup may take that long).
    TimeLimit,
}

/// Subtrees done, as the checkpoint `ck` records.
fn subtrees_done(ck: &Path) -> u64 {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(ck).unwrap()).unwrap();
    v["subtrees_done"].as_u64().unwrap()
}

/// Runs `args` with `stop`, then with `--resume ck` until it completes;
/// returns how many runs it took. Every run but the last must stop with
/// exit code 3 and leave a checkpoint.
fn resume_to_the_end(args: &[&str], ck: &Path, stop: Stop) -> usize {
    let ck_name = ck.to_str().unwrap();
    let mut limit = 0.2f64;
    let mut done = 0;
    for runs in 1..=100 {
        let resume: &[&str] = if runs == 1 {
            &["--checkpoint", ck_name]
        } else {
            &["--resume", ck_name]
        };
        let limit_text = format!("{limit}");
        let stop_flags: Vec<&str> = match stop {
            Stop::Flags(flags) => flags.to_vec(),
            Stop::TimeLimit => vec!["--time-limit", &limit_text, "--threads", "1"],
        };
        let out = run(&[args, resume, &stop_flags].concat());
        match out.status.code() {
            Some(0) => return runs,
            Some(EXIT_INCOMPLETE) => {
                let now = subtrees_done(ck);
                if now == done {
                    limit *= 2.0;
                }
                done = now;
            }
            code => panic!("{args:?}: exit {code:?}: {}", stderr(&out)),
        }
    }
    panic!("{args:?}: no end after 100 runs")
}

fn region_file_resumed(format: &str, stop: Stop) {
    let dir = tempfile::tempdir().unwrap();
    let net = deep_model(dir.path());
    let (whole, part) = (
        dir.path().join(format!("whole.{format}")),
        dir.path().join(format!("part.{format}")),
    );
    // The dense LP engine: the polygon walk (the default on two free
    // coordinates) does not reproduce the last bits of a region's Chebyshev
    // ball from one run to the next on this model, so two single runs'
    // files differ there already.
    let base = [
        "enumerate",
        net.as_str(),
        "--box=-4:4",
        "--engine",
        "dense",
        "-o",
    ];
    let out = run(&[&base[..], &[whole.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let ck = dir.path().join("run.ck");
    let args = [&base[..], &[part.to_str().unwrap()]].concat();
    let runs = resume_to_the_end(&args, &ck, stop);
    assert!(runs >= 2, "the limit must stop the run: {runs} run");
    let (body, summary) = body_and_summary(&part);
    let (whole_body, whole_summary) = body_and_summary(&whole);
    assert!(body == whole_body, "{format}: the resumed file differs");
    assert_eq!(summary["regions"], whole_summary["regions"]);
    assert_eq!(summary["complete"], true);
    assert!(!ck.exists(), "a completed run removes its checkpoint");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left.len(), 3, "no unfinished file is left: {left:?}");
}

#[test]
fn a_region_file_stopped_by_max_regions_and_resumed_is_the_single_runs() {
    region_file_resumed("jsonl", Stop::Flags(&["--max-regions", "700"]));
    region_file_resumed("json", Stop::Flags(&["--max-regions", "1100"]));
}

#[test]
fn a_region_file_stopped_by_a_time_limit_and_resumed_is_the_single_runs() {
    region_file_resumed("jsonl", Stop::TimeLimit);
}

#[test]
fn a_count_stopped_and_resumed_is_the_single_runs() {
    let dir = tempfile::tempdir().unwrap();
    let n = 60;
    let net = model(dir.path(), "lines.json", &[n], 3);
    let base = ["count", net.as_str(), "--whole", "--json"];
    let ck = dir.path().join("count.ck");
    let runs = resume_to_the_end(&base, &ck, Stop::Flags(&["--max-regions", "400"]));
    assert!(runs >= 5, "{runs} runs");
    // The last run's report counts the regions of every run.
    let out = run(&[
        &base[..],
        &["--max-regions", "400", "--checkpoint"],
        &[ck.to_str().unwrap()],
    ]
    .concat());
    assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE));
    let out = run(&[&base[..], &["--resume", ck.to_str().unwrap()]].concat());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["regions"], (1 + n + n * (n - 1) / 2) as u64, "Zaslavsky");
    assert_eq!(v["complete"], true);
}

#[test]
fn a_checkpoint_of_another_run_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let net = deep_model(dir.path());
    let other = model(dir.path(), "other.json", &[40, 40, 40], 8);
    let ck = dir.path().join("run.ck");
    let out = dir.path().join("r.jsonl");
    let (ck, out) = (ck.to_str().unwrap(), out.to_str().unwrap());
    let base = ["enumerate", net.as_str(), "--box=-4:4", "-o", out];
    let stopped = run(&[&base[..], &["--max-regions", "50", "--checkpoint", ck]].concat());
    assert_eq!(stopped.status.code(), Some(EXIT_INCOMPLETE));
    let resume = ["--resume", ck];
    fails(
        &[
            &["enumerate", other.as_str(), "--box=-4:4", "-o", out][..],
            &resume,
        ]
        .concat(),
        2,
        "of another model",
    );
    fails(
        &[
            &["enumerate", net.as_str(), "--box=-3:3", "-o", out][..],
            &resume,
        ]
        .concat(),
        2,
        "on another domain",
    );
    fails(
        &[&base[..], &["--facets"], &resume].concat(),
        2,
        "with other options",
    );
    fails(
        &[&["count", net.as_str(), "--box=-4:4"][..], &resume].concat(),
        2,
        "of `enumerate`, not of `count`",
    );
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(ck).unwrap()).unwrap();
    v["regionwalk_version"] = json!("0.0.0");
    std::fs::write(ck, v.to_string()).unwrap();
    fails(&[&base[..], &resume].concat(), 2, "another version");
    fails(
        &[
            "enumerate",
            net.as_str(),
            "--box=-4:4",
            "-o",
            "-",
            "--checkpoint",
            ck,
        ],
        2,
        "a pipe cannot be continued",
    );
}

/// SIGINT to a run of a few seconds, sent once it has printed a progress
/// line (so the handler is in place), then a resume to the end.
#[test]
fn a_run_stopped_by_sigint_and_resumed_is_the_single_runs() {
    use std::io::{BufRead, BufReader};
    let n = 200;
    let (dir, net) = lines_run(n, 5);
    let (whole, part, ck) = (
        dir.path().join("whole.jsonl"),
        dir.path().join("part.jsonl"),
        dir.path().join("run.ck"),
    );
    let base = ["enumerate", net.as_str(), "--whole", "-o"];
    let args: Vec<&str> = [
        &base[..],
        &[part.to_str().unwrap(), "--checkpoint", ck.to_str().unwrap()],
        &["--progress-json", "0.2"],
    ]
    .concat();
    let mut child = Command::new(env!("CARGO_BIN_EXE_regionwalk"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("\"progress\"") {
        line.clear();
    }
    assert!(line.contains("\"progress\""), "no progress line");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(EXIT_INCOMPLETE),
        "the run ended before the signal"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&ck).unwrap()).unwrap();
    assert!(v["regions"].as_u64().unwrap() < (1 + n + n * (n - 1) / 2) as u64);
    finish_lines_run(&base, (&part, &whole, &ck), n);
}

/// Stopped after every region: each run hands out one more region, from
/// inside a frontier subtree (one layer of 100 lines: a few regions per
/// subtree, at positions up to 100 steps deep); a run stopped before its
/// first region changes nothing; and the resumed file is the single run's.
#[test]
fn a_run_resumed_after_every_region_is_the_single_runs() {
    let n = 100;
    let (dir, net) = lines_run(n, 9);
    let (whole, part, ck) = (
        dir.path().join("whole.jsonl"),
        dir.path().join("part.jsonl"),
        dir.path().join("run.ck"),
    );
    let base = ["enumerate", net.as_str(), "--whole", "-o"];
    let args = [&base[..], &[part.to_str().unwrap(), "--max-regions", "1"]].concat();
    for k in 1..=6u64 {
        let flag = if k == 1 { "--checkpoint" } else { "--resume" };
        let out = run(&[&args[..], &[flag, ck.to_str().unwrap()]].concat());
        assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE), "{}", stderr(&out));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&ck).unwrap()).unwrap();
        assert_eq!(v["regions"], k, "run {k}: {v}");
    }
    // A resumed run that stops before its first region keeps the
    // checkpoint's place (it once lost the position inside the subtree, and
    // the next resume wrote that subtree's first regions again).
    let before = std::fs::read_to_string(&ck).unwrap();
    let out = run(&[
        &base[..],
        &[
            part.to_str().unwrap(),
            "--time-limit",
            "0",
            "--resume",
            ck.to_str().unwrap(),
        ],
    ]
    .concat());
    assert_eq!(out.status.code(), Some(EXIT_INCOMPLETE), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&ck).unwrap(), before);
    finish_lines_run(&base, (&part, &whole, &ck), n);
}

/// Resumes the run of `base` (writing `part`) from `ck` to its end, and
/// checks it against the single run's file `whole` and Zaslavsky's count
/// for `n` lines.
fn finish_lines_run(base: &[&str], (part, whole, ck): (&Path, &Path, &Path), n: usize) {
    let resume = [part.to_str().unwrap(), "--resume", ck.to_str().unwrap()];
    let out = run(&[base, &resume].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let (body, summary) = body_and_summary(part);
    let (whole_body, whole_summary) = body_and_summary(whole);
    assert!(body == whole_body, "the resumed file differs");
    let zaslavsky = (1 + n + n * (n - 1) / 2) as u64;
    assert_eq!(summary["regions"], zaslavsky, "Zaslavsky");
    assert_eq!(whole_summary["regions"], zaslavsky);
}

/// A folder with one layer of `n` lines (weights from `seed`) and its
/// single run's region file `whole.jsonl` over the whole plane.
fn lines_run(n: usize, seed: u64) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let net = model(dir.path(), "lines.json", &[n], seed);
    let whole = dir.path().join("whole.jsonl");
    let out = run(&["enumerate", &net, "--whole", "-o", whole.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, net)
}
