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

/// `count` copies of `unit`, comma-separated: a list of small values about
/// `count` times as long as the unit.
fn many(unit: &str, count: usize) -> String {
    vec![unit; count].join(",")
}

/// The checker's reason for `items` (JSON lines, written as text) with the
/// default limits.
fn reason_for(lines: &[String]) -> String {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let verdict = verify_certificate(
        &abs_network(1),
        &regionwalk::Domain::Box(vec![(-1.0, 1.0)]),
        text.as_bytes(),
        &CheckLimits::default(),
    )
    .unwrap();
    assert!(!verdict.verified);
    verdict.reason.unwrap().to_string()
}

/// Lines within the line limit that hold hundreds of thousands of small
/// values (numbers, empty strings, empty lists, one-key objects) where the
/// format wants a handful: each is rejected by the count of what it holds
/// or by the first wrong value, naming where. The checker reads a line as a
/// view of its bytes, so such a line costs no memory beyond the line
/// (measured by hand in docs/certificate.md, "Limits": lines of 16 MiB of
/// `{"a":1}` made the checker allocate 1.4 GB when it built the line's
/// values); the counts below are those the test wrote.
#[test]
fn lines_of_many_small_values_are_rejected_by_their_count() {
    let items: Vec<String> = valid().iter().map(Value::to_string).collect();
    let (header, split) = (items[0].clone(), items[1].clone());
    const N: usize = 300_000;
    let tests_of = |unit| {
        format!(
            r#"{{"type":"split","layer":0,"pattern":"","tests":[{}]}}"#,
            many(unit, N)
        )
    };
    for unit in ["1", r#""""#, "[]", r#"{"a":1}"#, "[1]"] {
        assert_eq!(
            reason_for(&[header.clone(), tests_of(unit)]),
            format!("line 2: split of cell `` by layer 0: {N} neuron tests for 2 neurons"),
            "{unit}"
        );
    }
    // A neuron's tests, one per piece: there is one piece.
    let per_piece = format!(
        r#"{{"type":"split","layer":0,"pattern":"","tests":[[{}],[]]}}"#,
        many(r#"{"cut":[["-1/2"],["1/2"]]}"#, N / 10)
    );
    assert_eq!(
        reason_for(&[header.clone(), per_piece]),
        format!(
            "line 2: split of cell `` by layer 0: neuron 0: {} tests for 1 pieces",
            N / 10
        )
    );
    // A witness of a cut, and of a region: one coordinate.
    let cut = format!(
        r#"{{"type":"split","layer":0,"pattern":"","tests":[[{{"cut":[["-1/2"],[{}]]}}],[]]}}"#,
        many(r#""1/2""#, N)
    );
    assert_eq!(
        reason_for(&[header.clone(), cut]),
        format!(
            "line 2: split of cell `` by layer 0: neuron [0, 0], piece 0: \
             a witness has {N} coordinates, not 1"
        )
    );
    let region = format!(
        r#"{{"type":"region","id":0,"pattern":"01","witness":[{}]}}"#,
        many("0", N)
    );
    assert_eq!(
        reason_for(&[header.clone(), split.clone(), region]),
        format!("line 3: region 0: a witness has {N} coordinates, not 1")
    );
    // Multipliers: a row may be named once.
    let lambda = format!(
        r#"{{"type":"split","layer":0,"pattern":"","tests":[[{{"cut":[["-1/2"],["1/2"]]}}],[{{"on":[{}]}},"k"]]}}"#,
        many(r#"["s","1"]"#, N / 10)
    );
    assert_eq!(
        reason_for(&[header.clone(), lambda]),
        "line 2: split of cell `` by layer 0: neuron [0, 1], piece 0: row s named twice"
    );
    // A header whose domain is a huge list: another domain, shown by its
    // length rather than copied into the message.
    let mut wide: Value = serde_json::from_str(&header).unwrap();
    wide["domain"] = json!("");
    let wide = wide.to_string().replace(
        r#""domain":"""#,
        &format!(r#""domain":[{}]"#, many(r#"{"a":1}"#, N)),
    );
    let len = 2 + N * 8 - 1;
    assert_eq!(
        reason_for(&[wide]),
        format!(
            "line 1: the certificate is for a different domain: \
             \"(a value of {len} bytes, not shown)\""
        )
    );
}
