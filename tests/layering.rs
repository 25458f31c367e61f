//! The library's folders form layers (ARCHITECTURE.md, "Dependency rules"):
//! a folder of `src/` may import from its own files and from folders on a
//! lower layer, never from its own layer or above. That keeps the folders
//! free of import cycles and keeps the ground (the network, the domain, exact
//! arithmetic) free of anything that decides.
//!
//! The test reads every library file's code lines (doc and line comments
//! skipped) for `crate::FOLDER` paths and checks each against the table.
//! `tests/checker_isolation.rs` checks the stronger, transitive rule for the
//! checker.
//!
//! Tried when it was written: adding `use crate::graph::region_graph::RegionGraph;` to
//! `src/walk/walker.rs` made `every_folder_imports_only_from_lower_layers`
//! fail with `src/walk/walker.rs:N imports crate::graph (layer 6) from walk
//! (layer 5)`.

use std::fs;
use std::path::{Path, PathBuf};

/// Each library folder (or top-level file) and its layer, from the ground up.
const LAYERS: &[(&str, u32)] = &[
    ("error", 0),
    ("tolerance", 0),
    ("atomic_file", 0),
    ("counted_writer", 0),
    ("striped_counter", 0),
    ("decimal_digits", 0),
    ("model", 1),
    ("domain", 2),
    ("exact", 3),
    ("lp", 4),
    ("check", 5),
    ("walk", 5),
    ("certify", 6),
    ("graph", 6),
    ("sample", 7),
    ("output", 8),
    ("plot", 8),
];

fn layer(folder: &str) -> Option<u32> {
    LAYERS.iter().find(|(f, _)| *f == folder).map(|&(_, l)| l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first component under `src/` of a library file: its folder, or the
/// file's own stem for a top-level file. `None` for the crate roots and the
/// binary, which may import anything.
fn folder_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.as_str() {
        "lib.rs" | "main.rs" | "cli" => None,
        _ => Some(first.trim_end_matches(".rs").to_string()),
    }
}

/// `(line number, folder)` for every `crate::FOLDER` on a code line.
fn imports(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((n + 1, name));
            }
            rest = after;
        }
    }
    found
}

fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for file in files {
        let Some(from) = folder_of(src, &file) else {
            continue;
        };
        let from_layer = layer(&from)
            .unwrap_or_else(|| panic!("{}: folder `{from}` has no layer", file.display()));
        let text = fs::read_to_string(&file).unwrap();
        for (line, to) in imports(&text) {
            if to == from {
                continue;
            }
            match layer(&to) {
                Some(to_layer) if to_layer < from_layer => {}
                Some(to_layer) => bad.push(format!(
                    "{}:{line} imports crate::{to} (layer {to_layer}) from {from} (layer {from_layer})",
                    file.display()
                )),
                None => bad.push(format!(
                    "{}:{line} imports crate::{to}, which has no layer",
                    file.display()
                )),
            }
        }
    }
    bad
}

#[test]
fn every_folder_imports_only_from_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(bad.is_empty(), "layering broken:\n{}", bad.join("\n"));
}

#[test]
fn every_library_folder_has_a_layer() {
    // So that a new folder cannot slip past the rule by being unlisted.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut folders: Vec<String> = files.iter().filter_map(|f| folder_of(&src, f)).collect();
    folders.sort();
    folders.dedup();
    assert!(folders.len() >= 10, "found only {folders:?}");
    for f in folders {
        assert!(layer(&f).is_some(), "src/{f} has no layer in LAYERS");
    }
}

#[test]
fn the_scanner_finds_imports_and_skips_comments() {
    let text = "//! crate::walk in a doc\nuse crate::exact::dyadic::Dyadic;\nlet x = crate::lp::f(); // crate::graph\n";
    assert_eq!(
        imports(text),
        [(2, "exact".to_string()), (3, "lp".to_string())]
    );
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir_all(src.join("exact")).unwrap();
    fs::write(src.join("exact/x.rs"), "use crate::walk::w;\n").unwrap();
    fs::write(src.join("lib.rs"), "use crate::walk::w;\n").unwrap();
    let bad = violations(src);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("crate::walk (layer 5) from exact (layer 3)"));
}
