//! Structure-aware fuzzing: the JSON files of `tests/fuzz_corpus/` are
//! parsed and edited as JSON (a number or a string replaced by one from an
//! edge list, an array element removed or repeated), so the mutants get
//! past the parser into what follows it:
//!
//! - a model JSON that still loads is walked, and certified; whatever the
//!   walk certifies, the independent checker must verify with the walk's
//!   count (or the walk must fail with a typed error), and nothing panics;
//! - a certificate edited on one line must never verify a count other than
//!   the true one (34 regions, the seed's);
//! - a region file edited on one line is read or refused, never a panic.

mod common;

use common::fuzz::{cases, corpus, runner};
use proptest::prelude::*;
use regionwalk::{
    check_certificate, parse_json_model, read_region_file, verify_certificate, write_certificate,
    CheckLimits, DenseSimplex, Domain, WalkOptions, Walker, WorkSpace,
};
use serde_json::Value;
use std::path::Path;

/// One edit of a JSON value; positions are fractions of the number of
/// candidates (numbers, strings or arrays) in the value.
#[derive(Debug, Clone)]
enum Edit {
    Number(f64, usize),
    Text(f64, usize),
    Remove(f64, f64),
    Repeat(f64, f64),
}

/// Numbers at the edges of what readers and the walk meet.
const NUMBERS: &[f64] = &[
    0.0, -0.0, 1.0, -1.0, 0.5, 5e-324, 1e-300, 1e-8, 1e8, 1e50, 1e99, 1e300, -1e300,
];
/// Strings at the edges of the certificate's fields.
const TEXTS: &[&str] = &[
    "0",
    "-1",
    "1/0",
    "0/1",
    "-0",
    "1/3",
    "-7/2",
    "99999999999999999999999999/1",
    "x",
    "",
    "on",
    "off",
    "k",
    "d0",
    "n0,0",
    "s",
    "0|1",
    "1",
    "region",
    "split",
];

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..1.0f64;
    prop_oneof![
        3 => (at.clone(), 0..NUMBERS.len()).prop_map(|(p, i)| Edit::Number(p, i)),
        3 => (at.clone(), 0..TEXTS.len()).prop_map(|(p, i)| Edit::Text(p, i)),
        1 => (at.clone(), at.clone()).prop_map(|(p, q)| Edit::Remove(p, q)),
        1 => (at.clone(), at).prop_map(|(p, q)| Edit::Repeat(p, q)),
    ]
}

/// Calls `f` on every node of `v` that `pick` selects, in a fixed order,
/// with its index among them; stops when `f` returns true.
fn visit(
    v: &mut Value,
    pick: &dyn Fn(&Value) -> bool,
    n: &mut usize,
    f: &mut dyn FnMut(usize, &mut Value) -> bool,
) -> bool {
    if pick(v) {
        let k = *n;
        *n += 1;
        if f(k, v) {
            return true;
        }
    }
    match v {
        Value::Array(items) => items.iter_mut().any(|x| visit(x, pick, n, f)),
        Value::Object(map) => map.values_mut().any(|x| visit(x, pick, n, f)),
        _ => false,
    }
}

/// Applies `edit` to the node it names, if there is one.
fn apply(v: &mut Value, edit: &Edit) {
    let (p, pick): (f64, &dyn Fn(&Value) -> bool) = match edit {
        Edit::Number(p, _) => (*p, &Value::is_number),
        Edit::Text(p, _) => (*p, &Value::is_string),
        Edit::Remove(p, _) | Edit::Repeat(p, _) => {
            (*p, &|x: &Value| x.as_array().is_some_and(|a| !a.is_empty()))
        }
    };
    let mut total = 0;
    visit(v, pick, &mut total, &mut |_, _| false);
    if total == 0 {
        return;
    }
    let target = ((p * total as f64) as usize).min(total - 1);
    visit(v, pick, &mut 0, &mut |k, node| {
        if k != target {
            return false;
        }
        match edit {
            Edit::Number(_, i) => *node = serde_json::json!(NUMBERS[*i]),
            Edit::Text(_, i) => *node = Value::from(TEXTS[*i]),
            Edit::Remove(_, q) | Edit::Repeat(_, q) => {
                let a = node.as_array_mut().expect("picked an array");
                let i = ((q * a.len() as f64) as usize).min(a.len() - 1);
                if matches!(edit, Edit::Remove(..)) {
                    a.remove(i);
                } else {
                    let x = a[i].clone();
                    a.insert(i, x);
                }
            }
        }
        true
    });
}

fn edits() -> impl Strategy<Value = (f64, Vec<Edit>)> {
    (0.0..1.0f64, proptest::collection::vec(edit(), 1..=3))
}

/// The box `[-1, 1]²` the corpus files were written for.
fn domain() -> Domain {
    Domain::new_box(vec![(-1.0, 1.0); 2], 2).unwrap()
}

/// A mutant model that loads is walked and certified: no panic, and what
/// is certified verifies with the walk's count.
#[test]
fn mutated_models_walk_and_certify_or_fail_cleanly() {
    let seed: Value = serde_json::from_slice(&corpus("net.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("c.cert.jsonl");
    let domain = domain();
    let engine = DenseSimplex;
    let limits = CheckLimits::default();
    let result = runner(cases() / 2).run(&edits(), |(_, edits)| {
        let mut v = seed.clone();
        for e in &edits {
            apply(&mut v, e);
        }
        let Ok(net) = parse_json_model(&v.to_string(), Path::new("m.json")) else {
            return Ok(());
        };
        let Ok(space) = WorkSpace::new(&net, &domain, &engine) else {
            return Ok(());
        };
        let mut regions = 0u64;
        let walked = Walker::new(&space, &engine, WalkOptions::default()).run(|_| {
            regions += 1;
            Ok(())
        });
        if walked.is_err() {
            return Ok(());
        }
        if let Ok(done) = write_certificate(&net, &domain, &space, &engine, &cert, |_| {}) {
            let verdict = check_certificate(&net, &domain, &cert, &limits).unwrap();
            prop_assert!(verdict.verified, "{:?}", verdict.reason);
            prop_assert_eq!(verdict.regions, done.regions);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The lines of a JSON Lines seed, one of them edited.
fn edited_lines(lines: &[Value], (at, edits): &(f64, Vec<Edit>)) -> Vec<u8> {
    let mut lines = lines.to_vec();
    let i = ((at * lines.len() as f64) as usize).min(lines.len() - 1);
    for e in edits {
        apply(&mut lines[i], e);
    }
    let mut out = Vec::new();
    for line in &lines {
        out.extend(line.to_string().bytes());
        out.push(b'\n');
    }
    out
}

fn json_lines(name: &str) -> Vec<Value> {
    String::from_utf8(corpus(name))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn an_edited_certificate_never_verifies_a_wrong_count() {
    let lines = json_lines("net.cert.jsonl");
    let net = parse_json_model(
        &String::from_utf8(corpus("net.json")).unwrap(),
        Path::new("m.json"),
    )
    .unwrap();
    let domain = domain();
    let limits = CheckLimits::default();
    let result = runner(cases() * 2).run(&edits(), |m| {
        let bytes = edited_lines(&lines, &m);
        let verdict = verify_certificate(&net, &domain, bytes.as_slice(), &limits).unwrap();
        prop_assert!(
            !verdict.verified || verdict.regions == 34,
            "verified {}",
            verdict.regions
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn an_edited_region_file_is_read_or_refused() {
    let lines = json_lines("regions.jsonl");
    let net = parse_json_model(
        &String::from_utf8(corpus("net.json")).unwrap(),
        Path::new("m.json"),
    )
    .unwrap();
    let domain = domain();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    let result = runner(cases()).run(&edits(), |m| {
        std::fs::write(&path, edited_lines(&lines, &m)).unwrap();
        let _ = read_region_file(&path, &net, &domain);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
