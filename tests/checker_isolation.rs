//! The certificate checker (`src/check/`) must stay independent of the code
//! whose output it checks: its import closure may reach the network, the
//! domain, exact arithmetic and the errors, never the walk, the LP engine,
//! the prover, the graph, sampling or the writers (ARCHITECTURE.md, "the
//! checker depends on nothing that decides"). And `regionwalk verify` must
//! run the checker alone: the closure of its file (`src/cli/verify.rs`) may
//! add the model loaders and the readers of certificate and point files,
//! never the walk, the LP code (so no float LP sets up its domain), the
//! prover or the graph.
//!
//! The tests read the source (`tests/common/imports.rs` says how).
//!
//! Tried when it was written: adding `use crate::walk::walker::Walker;` to
//! `src/check/verify.rs` made `the_checker_reaches_nothing_that_decides`
//! fail, printing one chain per forbidden file reached, such as
//! `src/check/verify.rs → (use crate::walk::walker::Walker) →
//! src/walk/walker.rs → (use crate::lp::chebyshev::chebyshev_ball) →
//! src/lp/chebyshev.rs`; an inline `crate::certify::certificate_file::...`
//! path in a function body failed it likewise. Removing them made it pass.
//! Likewise, `verify` loading its target through `cli/job.rs` (which sets up
//! the working space) made `verify_runs_the_checker_alone` fail with chains
//! such as `src/cli/verify.rs → (use super::job::Job) → src/cli/job.rs →
//! (use regionwalk::RunHeader) → src/output/run_report.rs → … →
//! src/walk/walker.rs → (use crate::certify::prover::Certifier) →
//! src/certify/prover.rs`.

mod common;

use common::imports::{files_under, Closure};
use std::path::Path;

/// Folders of `src/` the checker must not reach.
const FORBIDDEN: [&str; 6] = ["walk", "lp", "certify", "graph", "sample", "output"];

/// What the `verify` subcommand must not reach: the walk (with the provers),
/// the LP code, the graph, and the two files of `certify/` that drive or
/// record a walk. It may reach readers: of certificate files
/// (`certify/certificate_io.rs`, `certify/certificate_check.rs`) and of the
/// point files a `--plane` domain names (`sample/points_file.rs`), and the
/// report writers of `output/`. Any file that runs a walk or an LP reaches
/// `walk/` or `lp/`, so the closure check catches it wherever it lives.
const FORBIDDEN_TO_VERIFY: [&str; 5] = [
    "walk",
    "lp",
    "graph",
    "certify/pipeline.rs",
    "certify/certificate_file.rs",
];

/// The files of the closure under a folder of `forbidden`, each with its chain.
fn chains_into(closure: &Closure, forbidden: &[&str]) -> Vec<String> {
    closure
        .0
        .keys()
        .filter(|f| forbidden.iter().any(|d| f.starts_with(d)))
        .map(|f| closure.chain(f))
        .collect()
}

/// The files of the closure under a folder the checker must not reach.
fn forbidden_chains(closure: &Closure) -> Vec<String> {
    chains_into(closure, &FORBIDDEN)
}

#[test]
fn the_checker_reaches_nothing_that_decides() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let start = files_under(&src, "check");
    assert!(start.len() >= 2, "no checker files found: {start:?}");
    let closure = Closure::of(&src, &start);
    // The resolver finds what the checker does use, so a pass is not vacuous.
    for needed in [
        "exact/dyadic.rs",
        "model/network.rs",
        "domain/input_domain.rs",
    ] {
        assert!(closure.contains(needed), "{needed} not reached");
    }
    let bad = forbidden_chains(&closure);
    assert!(
        bad.is_empty(),
        "the checker's imports reach code it must not depend on:\n{}",
        bad.join("\n")
    );
}

#[test]
fn verify_runs_the_checker_alone() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let closure = Closure::of(&src, &["cli/verify.rs".into()]);
    // Not vacuous: it reaches the checker, the file reader and the loaders
    // (through the library's re-exports), and nothing sets up a walk.
    for needed in [
        "check/verify.rs",
        "certify/certificate_check.rs",
        "model/format.rs",
        "domain/model_domain.rs",
    ] {
        assert!(closure.contains(needed), "{needed} not reached");
    }
    let bad = chains_into(&closure, &FORBIDDEN_TO_VERIFY);
    assert!(
        bad.is_empty(),
        "`verify` reaches code it must not run:\n{}",
        bad.join("\n")
    );
    assert!(
        !closure.contains("lib.rs"),
        "a path reached the whole library"
    );
}

/// Writes `files` (path under `src`, text) into a fresh folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join("src").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const SYNTHETIC: [(&str, &str); 11] = [
    ("lib.rs", "mod check;\nmod exact;\nmod model;\nmod walk;\n"),
    ("check/mod.rs", "mod a;\npub(crate) mod b;\n"),
    (
        "check/a.rs",
        "use crate::{exact::num::{N, M}, model::net::Net as Network};\n\
         // use crate::walk::w::W;\n\
         const S: &str = \"crate::walk::w\";\n\
         fn f() { super::b::g(); }\n",
    ),
    (
        "check/b.rs",
        "pub fn g() { crate::exact::other::h::<u8>(); }\n",
    ),
    ("exact/mod.rs", "pub mod num;\npub mod other;\n"),
    (
        "exact/num.rs",
        "pub struct N;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
    ),
    ("exact/other.rs", "pub fn h<T>() {}\n"),
    ("model/mod.rs", "pub mod net;\n"),
    ("model/net.rs", "pub struct Net;\n"),
    ("walk/mod.rs", "pub mod w;\n"),
    ("walk/w.rs", "pub struct W;\n"),
];

/// The synthetic tree with the file at `path` replaced by `text`.
fn synthetic_with(path: &'static str, text: &'static str) -> tempfile::TempDir {
    let mut files = SYNTHETIC.to_vec();
    let at = files.iter().position(|(p, _)| *p == path).unwrap();
    files[at] = (path, text);
    tree(&files)
}

#[test]
fn the_resolver_follows_groups_inline_paths_and_super() {
    let dir = tree(&SYNTHETIC);
    let src = dir.path().join("src");
    let closure = Closure::of(&src, &files_under(&src, "check"));
    let reached: Vec<String> = closure.0.keys().map(|f| f.display().to_string()).collect();
    // Not `exact/mod.rs`: the test module's `super` is `exact::num`. Not
    // `walk/w.rs`: a comment and a string name it, no code does.
    assert_eq!(
        reached,
        [
            "check/a.rs",
            "check/b.rs",
            "check/mod.rs",
            "exact/num.rs",
            "exact/other.rs",
            "model/net.rs"
        ]
    );
}

#[test]
fn the_resolver_names_the_chain_to_a_forbidden_file() {
    let dir = synthetic_with("exact/other.rs", "pub fn h<T>() { crate::walk::w::W; }\n");
    let src = dir.path().join("src");
    let closure = Closure::of(&src, &files_under(&src, "check"));
    assert_eq!(
        forbidden_chains(&closure),
        [
            "src/check/b.rs → (crate::exact::other::h) → src/exact/other.rs \
          → (crate::walk::w::W) → src/walk/w.rs"
        ]
    );
}

#[test]
fn a_path_through_the_crate_root_reaches_every_module() {
    let dir = synthetic_with("model/net.rs", "use crate::Thing;\n");
    let src = dir.path().join("src");
    let closure = Closure::of(&src, &files_under(&src, "check"));
    assert!(closure.contains("lib.rs"));
    assert!(closure.contains("walk/w.rs"));
}

#[test]
fn a_library_path_of_the_binary_resolves_through_the_re_exports() {
    let dir = tree(&[
        (
            "lib.rs",
            "mod exact;\nmod walk;\npub use exact::num::{N, M};\n",
        ),
        ("exact/mod.rs", "pub mod num;\n"),
        ("exact/num.rs", "pub struct N;\n"),
        ("walk/mod.rs", "pub mod w;\n"),
        ("walk/w.rs", "pub struct W;\n"),
        (
            "cli/run.rs",
            "use regionwalk::N;\nfn f() { regionwalk::M::new(); }\n",
        ),
    ]);
    let src = dir.path().join("src");
    let closure = Closure::of(&src, &["cli/run.rs".into()]);
    let reached: Vec<String> = closure.0.keys().map(|f| f.display().to_string()).collect();
    assert_eq!(reached, ["cli/run.rs", "exact/num.rs"]);
}
