//! The command line of the region graph: `graph --dot --json`, `count
//! --linear`, `enumerate --facets`. Expected nodes and edges come from the
//! exact polygons of the oracle (`tests/common/oracle.rs`); the DOT file is
//! read back by Graphviz's own `dot`.

mod common;

use common::cli::{
    json_model_hidden_layers, json_model_layers, json_of, run, stderr, stdout, FIXTURE,
};
use common::graph::{oracle_adjacency, oracle_linear_count, pattern_diff};
use common::oracle::oracle_regions;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Graphviz's `dot` on `file` with output format `format`: its stdout.
fn graphviz(format: &str, file: &Path) -> Vec<u8> {
    let out = Command::new("dot")
        .arg(format!("-T{format}"))
        .arg(file)
        .output()
        .expect("Graphviz's `dot` runs (apt-get install graphviz; .ci/run installs it)");
    assert!(
        out.status.success(),
        "dot -T{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The edges of a graph JSON file as pairs of patterns, smaller first.
fn json_edge_patterns(v: &Value) -> BTreeSet<(String, String)> {
    let nodes = v["nodes"].as_array().unwrap();
    let pattern = |i: &Value| {
        nodes[i.as_u64().unwrap() as usize]["pattern"]
            .as_str()
            .unwrap()
    };
    v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (p, q) = (pattern(&e["source"]), pattern(&e["target"]));
            let (p, q) = if p < q { (p, q) } else { (q, p) };
            (p.to_string(), q.to_string())
        })
        .collect()
}

#[test]
fn graph_writes_json_and_dot_that_graphviz_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let (dot, json) = (dir.path().join("g.dot"), dir.path().join("g.json"));
    let out = run(&[
        "graph",
        FIXTURE,
        "--box=-1:1",
        "--dot",
        dot.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--color",
        "output",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = read_json(&json);
    // Nodes and edges against the oracle's exact polygons.
    let oracle = oracle_regions(
        &json_model_hidden_layers(FIXTURE),
        &[-1.0, -1.0],
        &[1.0, 1.0],
    );
    let nodes = v["nodes"].as_array().unwrap();
    let found: BTreeSet<&str> = nodes
        .iter()
        .map(|n| n["pattern"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = oracle.iter().map(|r| r.pattern.as_str()).collect();
    assert_eq!(found, expected);
    assert_eq!(json_edge_patterns(&v), oracle_adjacency(&oracle));
    // The documented fields.
    for (i, n) in nodes.iter().enumerate() {
        assert_eq!(n["id"], i);
        assert_eq!(n["witness"].as_array().unwrap().len(), 2);
        assert!(n["radius"].as_f64().unwrap() > 0.0);
        assert_eq!(n["affine_map"]["A"].as_array().unwrap().len(), 1);
        assert!(n["linear_region"].as_u64().unwrap() < v["linear_regions"].as_u64().unwrap());
    }
    let edges = v["edges"].as_array().unwrap();
    for e in edges {
        let (s, t) = (e["source"].as_u64().unwrap(), e["target"].as_u64().unwrap());
        assert!(s < t);
        let neurons: Vec<(usize, usize)> = serde_json::from_value(e["neurons"].clone()).unwrap();
        let (ps, pt) = (
            nodes[s as usize]["pattern"].as_str().unwrap(),
            nodes[t as usize]["pattern"].as_str().unwrap(),
        );
        assert_eq!(neurons, pattern_diff(ps, pt));
        assert_eq!(e["hyperplane"]["a"].as_array().unwrap().len(), 2);
        assert_eq!(e["point"].as_array().unwrap().len(), 2);
        assert!(e["same_map"].is_boolean());
    }
    let members: usize = v["linear_region_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_array().unwrap().len())
        .sum();
    assert_eq!(members, nodes.len());
    assert_eq!(v["summary"]["regions"], nodes.len());
    assert_eq!(v["summary"]["shared_facets"], edges.len());
    assert!(stdout(&out).starts_with(&format!(
        "{} activation regions, {} shared facets (edges), {} linear regions",
        nodes.len(),
        edges.len(),
        v["linear_regions"]
    )));
    // Graphviz renders the DOT file, and reads back the same graph with
    // its attributes.
    assert!(String::from_utf8(graphviz("svg", &dot))
        .unwrap()
        .contains("<svg"));
    let back: Value = serde_json::from_slice(&graphviz("json", &dot)).unwrap();
    let objects = back["objects"].as_array().unwrap();
    assert_eq!(objects.len(), nodes.len());
    for (o, n) in objects.iter().zip(nodes) {
        assert_eq!(o["label"], n["id"].to_string());
        assert_eq!(o["pattern"], n["pattern"]);
        assert_eq!(
            o["radius"].as_str().unwrap().parse::<f64>().unwrap(),
            n["radius"]
        );
        assert!(
            o["fillcolor"].is_string(),
            "--color output fills every node"
        );
    }
    let back_edges: Vec<(u64, u64, String)> = back["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let id = |k: &str| {
                objects[e[k].as_u64().unwrap() as usize]["name"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            (
                id("tail"),
                id("head"),
                e["neurons"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let ours: Vec<(u64, u64, String)> = edges
        .iter()
        .map(|e| {
            let neurons: Vec<String> = e["neurons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| format!("{}:{}", n[0], n[1]))
                .collect();
            (
                e["source"].as_u64().unwrap(),
                e["target"].as_u64().unwrap(),
                neurons.join(" "),
            )
        })
        .collect();
    assert_eq!(back_edges, ours);
}

#[test]
fn the_graph_is_the_same_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = ["1", "2"]
        .iter()
        .map(|threads| {
            let (dot, json) = (
                dir.path().join(format!("g{threads}.dot")),
                dir.path().join(format!("g{threads}.json")),
            );
            let out = run(&[
                "graph",
                FIXTURE,
                "--box=-1:1",
                "--threads",
                threads,
                "--dot",
                dot.to_str().unwrap(),
                "--json",
                json.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
            (std::fs::read_to_string(dot).unwrap(), read_json(&json))
        })
        .collect();
    assert_eq!(files[0].0, files[1].0, "DOT files differ");
    for key in ["nodes", "edges", "linear_regions", "linear_region_members"] {
        assert_eq!(files[0].1[key], files[1].1[key], "{key} differs");
    }
}

#[test]
fn count_linear_adds_linear_regions_and_only_when_asked() {
    let plain = json_of(&run(&["count", FIXTURE, "--box=-1:1", "--json"]));
    assert!(plain.get("linear_regions").is_none());
    let linear = json_of(&run(&[
        "count",
        FIXTURE,
        "--box=-1:1",
        "--json",
        "--linear",
    ]));
    assert_eq!(linear["regions"], plain["regions"]);
    // The oracle's count: its regions joined across shared edges where its
    // exact output maps (composed in rationals) are equal.
    let (layers, out) = json_model_layers(FIXTURE);
    let oracle = oracle_regions(&layers, &[-1.0, -1.0], &[1.0, 1.0]);
    let count = linear["linear_regions"].as_u64().unwrap();
    assert_eq!(count as usize, oracle_linear_count(&layers, &out, &oracle));
    assert!(linear["shared_facets"].as_u64().unwrap() > 0);
    let text = run(&["count", FIXTURE, "--box=-1:1", "--linear"]);
    assert!(
        stdout(&text).contains(&format!("{count} linear regions")),
        "{}",
        stdout(&text)
    );
}

#[test]
fn enumerate_marks_facets_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    let p = path.to_str().unwrap();
    // |x| on (-1, 1): each region has the two domain rows and the x = 0 row;
    // on each side of 0 one domain row is a facet (the end on that side) and
    // the other is redundant, and x = 0 is a facet.
    let model = dir.path().join("m.json");
    std::fs::write(
        &model,
        r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
                       {"weight": [[1, 1]], "bias": [0]}]}"#,
    )
    .unwrap();
    let m = model.to_str().unwrap();
    let regions = |args: &[&str]| -> Vec<Value> {
        let out = run(args);
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|v| v["type"] == "region")
            .collect()
    };
    for r in regions(&["enumerate", m, "--box=-1:1", "-o", p]) {
        for c in r["constraints"].as_array().unwrap() {
            assert!(c.get("facet").is_none(), "no facet marks unless asked");
        }
    }
    let marked = regions(&["enumerate", m, "--box=-1:1", "-o", p, "--facets"]);
    assert_eq!(marked.len(), 2);
    for r in &marked {
        let marks: Vec<(bool, bool)> = r["constraints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["source"].get("neuron").is_some(),
                    c["facet"].as_bool().unwrap(),
                )
            })
            .collect();
        // Domain rows: x ≥ −1 and x ≤ 1, one of them a facet; the neuron row x = 0 a facet.
        let domain_facets = marks.iter().filter(|&&(n, f)| !n && f).count();
        assert_eq!(domain_facets, 1, "{marks:?}");
        assert!(marks.contains(&(true, true)), "{marks:?}");
    }
}

#[test]
fn an_unwritable_graph_file_exits_2_before_any_work() {
    let out = run(&[
        "graph",
        FIXTURE,
        "--box=-1:1",
        "--dot",
        "/nonexistent-dir/g.dot",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent-dir/g.dot"),
        "{}",
        stderr(&out)
    );
}
