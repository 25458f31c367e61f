//! The numbers the README and the docs print are what the commands print,
//! and, where an independent answer exists, that answer: the bundled 2-D
//! fixture's regions, shared facets and linear regions come from the exact
//! oracle (`tests/common/oracle.rs`, `tests/common/graph.rs`).
//!
//! ACAS Xu N1,1 on property 4 (the README's 19143) has no oracle (four free
//! inputs); when this test was written its count was also certified and the
//! certificate accepted by the independent checker (`regionwalk certify`,
//! then `verify`: 19143 regions), which is too slow to repeat here.

mod common;

use common::cli::{json_model_layers, run, stdout, FIXTURE};
use common::data::data_dir;
use common::graph::{oracle_adjacency, oracle_linear_count};
use common::oracle::oracle_regions;

fn doc(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The number written right after the first `key` in `text` (digits, with
/// thousands separated by commas or not).
fn number_after(text: &str, key: &str) -> u64 {
    let at = text
        .find(key)
        .unwrap_or_else(|| panic!("`{key}` not found"))
        + key.len();
    let rest: Vec<char> = text[at..].trim_start().chars().collect();
    let digits: String = rest
        .iter()
        .enumerate()
        .take_while(|&(i, c)| {
            c.is_ascii_digit() || *c == ',' && rest.get(i + 1).is_some_and(char::is_ascii_digit)
        })
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(_, c)| c)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number after `{key}`"))
}

/// The fixture's (regions, shared facets, linear regions) on (−1, 1)², by
/// the oracle.
fn fixture_by_oracle() -> (u64, u64, u64) {
    let (layers, out) = json_model_layers(FIXTURE);
    let regions = oracle_regions(&layers, &[-1.0, -1.0], &[1.0, 1.0]);
    let edges = oracle_adjacency(&regions).len();
    let linear = oracle_linear_count(&layers, &out, &regions);
    (regions.len() as u64, edges as u64, linear as u64)
}

#[test]
fn the_graph_document_prints_the_oracles_numbers() {
    let text = doc("docs/graph.md");
    let (regions, edges, linear) = fixture_by_oracle();
    let line = format!(
        "{regions} activation regions, {edges} shared facets (edges), {linear} linear regions"
    );
    assert!(
        text.contains(&format!("```text\n{line}\n")),
        "docs/graph.md does not print `{line}`"
    );
    assert_eq!(number_after(&text, r#""summary": {"regions":"#), regions);
    assert_eq!(number_after(&text, r#""shared_facets":"#), edges);
    assert_eq!(number_after(&text, r#""linear_regions":"#), linear);
    let out = run(&["graph", FIXTURE, "--box=-1:1"]);
    assert_eq!(stdout(&out).lines().next(), Some(line.as_str()));
}

#[test]
fn the_region_file_and_sampling_documents_print_the_oracles_count() {
    let (regions, _, _) = fixture_by_oracle();
    let json = doc("docs/region-json.md");
    assert_eq!(number_after(&json, r#""summary": {"regions":"#), regions);
    let sampling = doc("docs/sampling.md");
    assert_eq!(number_after(&sampling, "exact regions R ="), regions);
    // The documented run prints every line the document shows (the
    // document cuts the list of missed regions and the curve with `...`).
    let out = stdout(&run(&[
        "sample",
        FIXTURE,
        "--box=-1:1",
        "--samples",
        "1000",
        "--seed",
        "1",
        "--exact",
    ]));
    let start = sampling
        .find("```text\n1000 points")
        .expect("the sample block")
        + 8;
    let block = &sampling[start..start + sampling[start..].find("```").unwrap()];
    for line in block.lines() {
        let shown = line.split("...").next().unwrap().trim_end();
        if !shown.trim().is_empty() {
            assert!(
                out.lines().any(|l| l.starts_with(shown)),
                "docs/sampling.md prints `{line}`, the command does not:\n{out}"
            );
        }
    }
    let k = number_after(&sampling, "distinct patterns K =");
    assert_eq!(number_after(&sampling, "missed:"), regions - k);
}

#[test]
fn the_readme_prints_the_count_of_acas_xu_on_property_4() {
    let readme = doc("README.md");
    let documented = number_after(&readme, "prints `");
    let data = data_dir().join("acasxu");
    let out = run(&[
        "count",
        data.join("ACASXU_run2a_1_1_batch_2000.onnx")
            .to_str()
            .unwrap(),
        "--vnnlib",
        data.join("prop_4.vnnlib").to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["regions"], documented);
    let certificate = doc("docs/certificate.md");
    assert_eq!(number_after(&certificate, "property 4:"), documented);
}
