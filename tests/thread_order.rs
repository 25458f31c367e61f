//! Region files and certificates list the regions in tree order, whatever
//! the number of threads: the same file with 1 thread and with 4, timings
//! and the thread count aside. The run is ACAS Xu N1,1 on a 3-D slice of
//! property 4's box, about 2,500 regions under hundreds of first-layer
//! cells, each walked as its own parallel task, so that with 4 threads the
//! tasks finish out of order and only the writer's ordering keeps the file.

mod common;

use common::cli::{run, stderr};
use serde_json::Value;

const ACAS: &str = "fixtures/acasxu_1_1.json";
const SLICE: &str = "--box=-0.303531156:-0.298552812,-0.009549297:0.009549297,0:0,\
                     0.318181818:0.5,0.083333333:0.083333333";

/// The JSON Lines of `path` with every `seconds` and `threads` key removed.
fn lines_without_timings(path: &std::path::Path) -> Vec<Value> {
    fn scrub(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("seconds");
                m.remove("threads");
                m.values_mut().for_each(scrub);
            }
            Value::Array(a) => a.iter_mut().for_each(scrub),
            _ => {}
        }
    }
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            scrub(&mut v);
            v
        })
        .collect()
}

/// The file `command` writes with `threads` threads.
fn written(dir: &std::path::Path, command: &[&str], threads: &str) -> Vec<Value> {
    let path = dir.join(format!("{}-{threads}.jsonl", command[0]));
    let mut args = command.to_vec();
    args.extend([
        ACAS,
        SLICE,
        "-o",
        path.to_str().unwrap(),
        "--threads",
        threads,
    ]);
    let out = run(&args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    lines_without_timings(&path)
}

#[test]
fn region_files_and_certificates_are_in_tree_order_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    for command in [&["enumerate", "--format", "jsonl"][..], &["certify"][..]] {
        let one = written(dir.path(), command, "1");
        let regions = one.iter().filter(|l| l["type"] == "region").count();
        assert!(regions > 2000, "{command:?}: only {regions} regions");
        assert!(
            one == written(dir.path(), command, "4"),
            "{command:?}: the files differ"
        );
    }
}
