//! Running the `regionwalk` binary in tests.

use std::process::{Command, Output};

/// Runs the binary with `args` from the crate root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regionwalk"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs")
}
