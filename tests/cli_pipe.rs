//! A reader that stops early (`regionwalk enumerate ... -o - | head -1`) ends
//! the run quietly: exit 0, nothing on stderr, as other Unix tools do.

mod common;

use common::cli::{run, stderr, FIXTURE};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// Linux's default pipe buffer (16 pages). An output several times larger
/// cannot fit in the pipe plus the reader's buffer, so closing the pipe
/// after one line makes a later write fail.
const PIPE_BUFFER: usize = 64 * 1024;

#[test]
fn enumerate_to_a_pipe_closed_after_one_line_exits_0_quietly() {
    let args = ["enumerate", FIXTURE, "--box=-1:1", "-o", "-"];
    let whole = run(&args);
    assert!(whole.status.success(), "{}", stderr(&whole));
    assert!(
        whole.stdout.len() > 4 * PIPE_BUFFER,
        "the output ({} bytes) must overflow the pipe for this test to close it mid-stream",
        whole.stdout.len()
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_regionwalk"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut first = String::new();
    reader.read_line(&mut first).expect("a first line");
    assert!(first.starts_with('{'), "{first}");
    drop(reader);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut err)
        .expect("stderr readable");
    let status = child.wait().expect("binary ends");
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert_eq!(err, "");
}
