//! Running the `regionwalk` binary in tests.

use serde_json::Value;
use std::process::{Command, Output};

/// Runs the binary from the crate root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regionwalk"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs")
}

/// Its standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Its standard output as one JSON object, after checking it succeeded.
pub fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// Runs a command that must fail with exit code `code` and an error naming `needle`.
pub fn fails(args: &[&str], code: i32, needle: &str) -> String {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: `{err}` does not name `{needle}`"
    );
    err
}
