//! The catalogue of bad inputs, `docs/errors.md`, run entry by entry: each
//! `$ regionwalk ...` line is run from the crate root, and its stderr must
//! be exactly the line after it, its exit code the one given. The expected
//! messages are the documentation's, so the two cannot drift apart.

mod common;

use common::cli::run;

/// One entry of the catalogue.
struct Entry {
    title: String,
    args: Vec<String>,
    message: String,
    code: i32,
}

fn catalogue() -> Vec<Entry> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md");
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::new();
    let mut title = "";
    for (i, line) in lines.iter().enumerate() {
        if let Some(t) = line.strip_prefix("### ") {
            title = t;
        }
        let Some(command) = line.strip_prefix("    $ regionwalk ") else {
            continue;
        };
        let message = lines[i + 1].strip_prefix("    ").expect("a message line");
        let code = lines[i + 2]
            .strip_prefix("    exit code ")
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("{title}: no `exit code N` line"));
        entries.push(Entry {
            title: title.to_string(),
            args: command.split_whitespace().map(String::from).collect(),
            message: message.to_string(),
            code,
        });
    }
    entries
}

#[test]
fn every_bad_input_of_the_catalogue_gives_its_message_and_exit_code() {
    let entries = catalogue();
    assert!(entries.len() >= 25, "{} entries", entries.len());
    let mut wrong = Vec::new();
    for e in &entries {
        let args: Vec<&str> = e.args.iter().map(String::as_str).collect();
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(e.code) || err.trim_end() != e.message {
            wrong.push(format!(
                "{}: exit {:?}, stderr `{}`; the catalogue says exit {}, `{}`",
                e.title,
                out.status.code(),
                err.trim_end(),
                e.code,
                e.message
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The catalogue covers every reader the issue names.
#[test]
fn the_catalogue_covers_every_reader() {
    let text = catalogue()
        .iter()
        .map(|e| e.args.join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        ".onnx",
        ".nnet",
        ".vnnlib",
        "--polytope",
        ".csv",
        ".npy",
        "--against",
        "merge",
        "verify",
        "--box",
        "--shard",
        "--resume",
    ] {
        assert!(text.contains(needle), "no entry with `{needle}`");
    }
    let json_models = catalogue()
        .iter()
        .filter(|e| {
            e.args.get(1).is_some_and(|m| m.ends_with(".json")) && e.args[1].contains("bad")
        })
        .count();
    assert!(json_models >= 3, "{json_models} JSON model entries");
}
