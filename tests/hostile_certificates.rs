//! Hostile certificates are rejected quickly, reading little, with a reason
//! naming the limit they go over (docs/certificate.md, "Limits"). The two
//! files of the trust review are made here: a 1 GiB line in a gzip file of
//! about 1 MB, and a witness with a million digits. No timings are asserted:
//! with the limits, rejecting either reads at most one line of 16 MiB, and
//! parses no number.
//!
//! Expected reasons are the documented sentences; the depth of a split line
//! (6) and the sizes are counted by hand.

mod common;

use common::certify::{abs_certificate, abs_model, abs_network, lines_text};
use common::cli::{run, stderr};
use flate2::write::GzEncoder;
use flate2::Compression;
use regionwalk::{verify_certificate, CheckLimits, Limit, RejectionKind, Verdict};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The 1-input `|x|` model on `(−1, 1)`, written to `dir`, and the flags
/// naming it and its domain.
fn model(dir: &Path) -> (PathBuf, &'static str) {
    let path = dir.join("abs.json");
    std::fs::write(&path, abs_model(1)).unwrap();
    (path, "--box=-1:1")
}

/// The valid hand-written certificate of `|x|` on `(−1, 1)`.
fn valid() -> Vec<Value> {
    let net = abs_network(1);
    let domain = regionwalk::Domain::Box(vec![(-1.0, 1.0)]);
    abs_certificate(&net, &domain, &["-1/2"], &["1/2"])
}

/// `verify --json` of `cert` with `flags`: the exit code and the reason.
fn verify(cert: &Path, flags: &[&str]) -> (Option<i32>, Value) {
    let dir = cert.parent().unwrap();
    let (model, domain) = model(dir);
    let mut args = vec![
        "verify",
        model.to_str().unwrap(),
        domain,
        cert.to_str().unwrap(),
        "--json",
    ];
    args.extend(flags);
    let out = run(&args);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), report["reason"].clone())
}

#[test]
fn a_gigabyte_line_in_a_megabyte_gzip_is_rejected_at_the_line_limit() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("bomb.jsonl.gz");
    // Written a MiB at a time: the test never holds the line either.
    let file = std::fs::File::create(&cert).unwrap();
    let mut gz = GzEncoder::new(std::io::BufWriter::new(file), Compression::default());
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..1024 {
        gz.write_all(&chunk).unwrap();
    }
    gz.finish().unwrap().flush().unwrap();
    let size = std::fs::metadata(&cert).unwrap().len();
    assert!(size < 2 << 20, "the bomb is {size} bytes compressed");
    let (code, reason) = verify(&cert, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        reason,
        "line 1: the line is longer than max-line-bytes = 16777216"
    );
}

#[test]
fn a_witness_with_a_million_digits_is_rejected_before_it_is_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("digits.jsonl.gz");
    let mut items = valid();
    // −(10^999999 + 1) / (2 · 10^999999), just below −1/2: inside its region
    // were it parsed. A million digits on top, a million below.
    let big = format!("-1{}1/2{}", "0".repeat(999_998), "0".repeat(999_999));
    items[2]["witness"] = json!([big]);
    let mut gz = GzEncoder::new(
        std::fs::File::create(&cert).unwrap(),
        Compression::default(),
    );
    gz.write_all(lines_text(&items).as_bytes()).unwrap();
    gz.finish().unwrap();
    let (code, reason) = verify(&cert, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        reason,
        "line 3: region 0: witness coordinate 0: a number has more digits than max-digits = 10000"
    );
}

#[test]
fn the_limits_are_flags_of_verify() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("c.jsonl");
    std::fs::write(&cert, lines_text(&valid())).unwrap();
    assert_eq!(verify(&cert, &[]), (Some(0), Value::Null));
    // The header line is longer than 100 bytes.
    let (code, reason) = verify(&cert, &["--max-line-bytes", "100"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        reason,
        "line 1: the line is longer than max-line-bytes = 100"
    );
    // The split nests 6 deep: object, tests, a neuron's tests, a test,
    // the cut's witnesses, a witness.
    assert_eq!(verify(&cert, &["--max-depth", "6"]).0, Some(0));
    let (code, reason) = verify(&cert, &["--max-depth", "5"]);
    assert_eq!(code, Some(1));
    assert_eq!(reason, "line 2: the line nests deeper than max-depth = 5");
    // The longest numbers are the witnesses `±1/2`: two digits.
    assert_eq!(verify(&cert, &["--max-digits", "2"]).0, Some(0));
    let (code, reason) = verify(&cert, &["--max-digits", "1"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        reason,
        "line 2: split of cell `` by layer 0: neuron [0, 0], piece 0: \
         witness coordinate 0: a number has more digits than max-digits = 1"
    );
    // The file is shorter than 1000 bytes, and longer than its header.
    let (code, reason) = verify(&cert, &["--max-total-bytes", "1000"]);
    assert_eq!((code, reason), (Some(0), Value::Null));
    let (code, reason) = verify(&cert, &["--max-total-bytes", "300"]);
    assert_eq!(code, Some(1));
    assert!(
        reason
            .as_str()
            .unwrap()
            .ends_with("the certificate is longer than max-total-bytes = 300"),
        "{reason}"
    );
}

/// The library's verdict on `items` within `limits`.
fn check(items: &[Value], limits: CheckLimits) -> Verdict {
    let text = lines_text(items);
    verify_certificate(
        &abs_network(1),
        &regionwalk::Domain::Box(vec![(-1.0, 1.0)]),
        text.as_bytes(),
        &limits,
    )
    .unwrap()
}

#[test]
fn each_limit_is_its_own_reason() {
    let over = |limit, max| RejectionKind::OverLimit { limit, max };
    let small = |f: fn(&mut CheckLimits)| {
        let mut limits = CheckLimits::default();
        f(&mut limits);
        check(&valid(), limits).reason.map(|r| (r.line, r.kind))
    };
    assert_eq!(
        small(|l| l.max_line_bytes = 10),
        Some((Some(1), over(Limit::LineBytes, 10)))
    );
    assert_eq!(
        small(|l| l.max_depth = 1),
        Some((Some(1), over(Limit::Depth, 1)))
    );
    assert_eq!(
        small(|l| l.max_total_bytes = 10),
        Some((Some(1), over(Limit::TotalBytes, 10)))
    );
    // A multiplier over the digit limit names its row.
    let mut items = valid();
    items[1]["tests"][1][0]["on"][0][1] = json!("1".repeat(11));
    let limits = CheckLimits {
        max_digits: 10,
        ..CheckLimits::default()
    };
    let reason = check(&items, limits).reason.unwrap().to_string();
    assert_eq!(
        reason,
        "line 2: split of cell `` by layer 0: neuron [0, 1], piece 0: \
         multiplier of row n0.0: a number has more digits than max-digits = 10"
    );
}
