//! The numbers the README and the docs print are what the commands print,
//! and, where an independent answer exists, that answer: the bundled 2-D
//! fixture's regions, shared facets and linear regions come from the exact
//! oracle (`tests/common/oracle.rs`, `tests/common/graph.rs`).
//!
//! ACAS Xu N1,1 on property 4 (the README's 19143) has no oracle (four free
//! inputs); nnenum counts the same (docs/performance.md), and when this test
//! was written its count was also certified and the certificate accepted by
//! the independent checker (`regionwalk certify`, then `verify`: 19143
//! regions), which is too slow to repeat here.
//!
//! Counts that take longer runs (the benchmark cases, the MNIST plane, 400
//! lines over the plane) are checked by `scripts/check-doc-numbers.sh`.

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

/// The pattern of `x` by a forward pass written here: one bit string per
/// hidden layer, `1` where the pre-activation is positive, joined by `|`.
fn forward_pattern(layers: &[common::oracle::OracleLayer], x: &[f64]) -> String {
    let mut x = x.to_vec();
    let mut bits = Vec::new();
    for layer in layers {
        let z: Vec<f64> = layer
            .weight
            .iter()
            .zip(&layer.bias)
            .map(|(w, b)| w.iter().zip(&x).map(|(w, x)| w * x).sum::<f64>() + b)
            .collect();
        bits.push(
            z.iter()
                .map(|&z| if z > 0.0 { '1' } else { '0' })
                .collect::<String>(),
        );
        x = z.iter().map(|&z| z.max(0.0)).collect();
    }
    bits.join("|")
}

#[test]
fn the_readme_and_the_pictures_print_the_oracles_counts() {
    let (fixture, _, _) = fixture_by_oracle();
    let readme = doc("README.md");
    assert_eq!(number_after(&readme, "```text\n"), fixture);
    let pictures = doc("docs/pictures.md");
    assert_eq!(number_after(&pictures, "-o fixture-pattern.png`:"), fixture);
    // Two moons on its plotted box: regions by the oracle, and those that
    // hold data by a forward pass of every data point.
    let (layers, _) = json_model_layers("fixtures/two_moons.json");
    let (lo, hi) = ([-1.5, -1.0], [2.5, 1.5]);
    let regions: std::collections::BTreeSet<String> = oracle_regions(&layers, &lo, &hi)
        .into_iter()
        .map(|r| r.pattern)
        .collect();
    let data = doc("fixtures/two_moons.csv");
    let holding: std::collections::BTreeSet<String> = data
        .lines()
        .map(|l| {
            let x: Vec<f64> = l.split(',').map(|v| v.trim().parse().unwrap()).collect();
            assert!(
                (0..2).all(|j| lo[j] < x[j] && x[j] < hi[j]),
                "{l} is off the box"
            );
            forward_pattern(&layers, &x)
        })
        .filter(|p| regions.contains(p))
        .collect();
    let hidden: usize = layers.iter().map(|l| l.bias.len()).sum();
    let line = format!(
        "{} regions\n(`count --certify` certifies {}), of which {} hold data, out of 2^{hidden} codes",
        regions.len(),
        regions.len(),
        holding.len()
    );
    assert!(
        pictures.contains(&line),
        "docs/pictures.md does not print `{line}`"
    );
    let out = run(&["count", "fixtures/two_moons.json", "--box=-1.5:2.5,-1:1.5"]);
    assert!(
        stdout(&out).starts_with(&format!("{} activation regions", regions.len())),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_counts_of_lines_in_the_plane_are_zaslavskys() {
    // n lines in general position cut the plane into 1 + n + C(n, 2)
    // regions; the docs quote the walk's counts for n = 200, 400, 1000.
    let zaslavsky = |n: u64| 1 + n + n * (n - 1) / 2;
    let performance = doc("docs/performance.md");
    assert_eq!(
        number_after(&performance, "| 400 random lines over the plane |"),
        zaslavsky(400)
    );
    assert_eq!(
        number_after(&performance, "| 200 random lines, whole plane |"),
        zaslavsky(200)
    );
    assert_eq!(
        number_after(&performance, "stopped by `--time-limit 300` | 6,519 of"),
        zaslavsky(1000)
    );
    let numerics = doc("docs/numerics.md");
    assert_eq!(
        number_after(&numerics, "| 400 random lines, whole plane |"),
        zaslavsky(400)
    );
}
