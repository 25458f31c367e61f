//! The region graph of a sharded run: `graph --shard K/N --json` parts,
//! merged by `merge`, equal the single run's `graph --json` edge for edge
//! (nodes, edges with their hyperplanes and points, linear regions), for
//! N = 1..7. The single run's edge set is itself checked against the exact
//! oracle's adjacency (polygons in rationals, `tests/common/graph.rs`), so
//! the expected edges do not come from the code under test alone.

mod common;

use common::cli::{fails, json_model_hidden_layers, lcg_model, run, stderr, FIXTURE};
use common::graph::oracle_adjacency;
use common::oracle::oracle_regions;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The edges of a graph file as pairs of patterns, smaller first.
fn edge_patterns(v: &Value) -> BTreeSet<(String, String)> {
    let nodes = v["nodes"].as_array().unwrap();
    let pattern = |e: &Value, end: &str| {
        nodes[e[end].as_u64().unwrap() as usize]["pattern"]
            .as_str()
            .unwrap()
            .to_string()
    };
    v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (p, q) = (pattern(e, "source"), pattern(e, "target"));
            if p < q {
                (p, q)
            } else {
                (q, p)
            }
        })
        .collect()
}

/// `graph MODEL DOMAIN --json` on the whole domain, then for N = 1..7 the
/// parts `--shard K/N` (run in reverse order, given to `merge` so) merged;
/// asserts that each merged graph is the single run's but for the run's
/// work and time, and returns the single run's graph.
fn merged_equal_single(dir: &Path, model: &str, domain: &str) -> Value {
    let whole_path = dir.join("whole.json");
    let out = run(&[
        "graph",
        model,
        domain,
        "--json",
        whole_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = read_json(&whole_path);
    let mut crossings_seen = 0;
    for n in 1..=7 {
        let mut parts = Vec::new();
        for k in (1..=n).rev() {
            let p = dir.join(format!("part-{k}-of-{n}.json"));
            let out = run(&[
                "graph",
                model,
                domain,
                "--shard",
                &format!("{k}/{n}"),
                "--json",
                p.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
            let v = read_json(&p);
            crossings_seen += v["border"].as_array().unwrap().len();
            parts.push(p.to_str().unwrap().to_string());
        }
        let merged_path = dir.join(format!("merged-{n}.json"));
        let mut args = vec!["merge", "-o", merged_path.to_str().unwrap()];
        args.extend(parts.iter().map(String::as_str));
        let out = run(&args);
        assert!(out.status.success(), "{n} parts: {}", stderr(&out));
        let merged = read_json(&merged_path);
        for key in ["nodes", "edges", "linear_regions", "linear_region_members"] {
            assert_eq!(merged[key], whole[key], "{n} parts: {key}");
        }
        for key in [
            "regions",
            "shared_facets",
            "linear_regions",
            "exact_map_checks",
            "complete",
        ] {
            assert_eq!(
                merged["summary"][key], whole["summary"][key],
                "{n} parts: summary.{key}"
            );
        }
        assert_eq!(merged["summary"]["merged_parts"], n);
        // The header (model, domain, decisions) is the single run's.
        let header = |v: &Value| {
            let mut h = v.as_object().unwrap().clone();
            for key in [
                "nodes",
                "edges",
                "linear_regions",
                "linear_region_members",
                "summary",
            ] {
                h.remove(key);
            }
            h
        };
        assert_eq!(header(&merged), header(&whole), "{n} parts");
    }
    // With one part there is no border; with 7 the frontier's cells are
    // spread over the parts, so many edges cross a border.
    assert!(crossings_seen > 0);
    whole
}

/// The bundled 16-16 network on (−1, 1)²: 245 regions, and one edge
/// between two regions of one affine map. The expected edges are the exact
/// oracle's adjacency.
#[test]
fn merged_graph_parts_equal_the_single_run_on_a_box() {
    let dir = tempfile::tempdir().unwrap();
    let whole = merged_equal_single(dir.path(), FIXTURE, "--box=-1:1");
    let oracle = oracle_regions(
        &json_model_hidden_layers(FIXTURE),
        &[-1.0, -1.0],
        &[1.0, 1.0],
    );
    assert_eq!(whole["nodes"].as_array().unwrap().len(), oracle.len());
    assert_eq!(edge_patterns(&whole), oracle_adjacency(&oracle));
    // One edge joins two regions of one map, so the linear regions are
    // one fewer than the regions (docs/graph.md's example).
    assert_eq!(
        whole["linear_regions"].as_u64(),
        Some(oracle.len() as u64 - 1)
    );
}

/// A deeper network on the whole plane (unbounded regions, no domain rows)
/// whose first neuron is doubled: every edge across its line flips both
/// copies, and those edges cross the borders too.
#[test]
fn merged_graph_parts_equal_the_single_run_on_the_whole_plane() {
    let dir = tempfile::tempdir().unwrap();
    let path = lcg_model(dir.path(), "deep.json", &[8, 6], 99);
    let mut model = read_json(Path::new(&path));
    let first = &mut model["layers"][0];
    let (row, bias) = (first["weight"][0].clone(), first["bias"][0].clone());
    first["weight"].as_array_mut().unwrap().push(row);
    first["bias"].as_array_mut().unwrap().push(bias);
    for row in model["layers"][1]["weight"].as_array_mut().unwrap() {
        let w = row[0].clone();
        row.as_array_mut().unwrap().push(w);
    }
    std::fs::write(&path, model.to_string()).unwrap();
    let whole = merged_equal_single(dir.path(), &path, "--whole");
    let doubled = whole["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["neurons"] == serde_json::json!([[0, 0], [0, 8]]))
        .count();
    assert!(doubled > 0);
}

/// `merge` refuses graph parts that do not make one graph: a part missing
/// or given twice, and a border crossing removed from a part (its edge is then seen from one
/// side only, as the single run's build would report it).
#[test]
fn merge_refuses_graph_parts_that_do_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let mut parts = Vec::new();
    for k in 1..=3 {
        let p = dir.path().join(format!("g{k}.json"));
        let out = run(&[
            "graph",
            FIXTURE,
            "--box=-1:1",
            "--shard",
            &format!("{k}/3"),
            "--json",
            p.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        parts.push(p);
    }
    let [p1, p2, p3] = [0, 1, 2].map(|i| parts[i].to_str().unwrap());
    fails(&["merge", p1, p3], 2, "missing parts: 2/3");
    fails(&["merge", p1, p2, p2, p3], 2, "part 2/3 is given 2 times");
    let mut v = read_json(&parts[1]);
    let border = v["border"].as_array_mut().unwrap();
    assert!(!border.is_empty());
    border.remove(0);
    let cut = dir.path().join("g2-cut.json");
    // Written as graph files are, one header field per line before the
    // nodes, so that `merge` tells it for a graph part.
    let mut text = String::from("{");
    let body = ["nodes", "edges", "border"];
    for (key, value) in v.as_object().unwrap() {
        if !body.contains(&key.as_str()) {
            text.push_str(&format!("{}:{value},\n", Value::from(key.as_str())));
        }
    }
    let tail: Vec<String> = body.iter().map(|k| format!("\"{k}\":{}", v[*k])).collect();
    text.push_str(&tail.join(",\n"));
    text.push_str("}\n");
    std::fs::write(&cut, text).unwrap();
    fails(
        &["merge", p1, cut.to_str().unwrap(), p3],
        2,
        "edge not symmetric",
    );
    // Without --json a part has nowhere to go.
    fails(
        &["graph", FIXTURE, "--box=-1:1", "--shard", "1/2"],
        2,
        "graph --shard takes --json FILE",
    );
}
