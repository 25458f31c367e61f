//! Uniting the graph parts of a sharded `graph --shard K/N --json`
//! (docs/cluster.md) into the single run's region graph, edge for edge.
//!
//! The parts are checked as other parts are (`shard_merge.rs`: each
//! complete, all of one run, each part once, none missing). Their regions
//! one after another in part order are the single run's regions in its
//! order, so part K's ids are shifted by the regions of parts 1..K−1. The
//! edges inside each part are the single run's edges between its regions
//! (each part built them as the single run does, from its own regions). The
//! edges across parts come from the border crossings: each is resolved by
//! its pattern beyond to the one region of that pattern, which must be in
//! another part, and paired with the crossing back, as the single run pairs
//! every edge ([`pair_crossings`]); the edge keeps the crossing from its
//! smaller id, as the single run does. Both sides' `same_map` must agree.
//! The merged graph is then checked connected, and its linear regions are
//! the components of the edges with one map.

use crate::domain::half_space::HalfSpace;
use crate::graph::error::GraphError;
use crate::graph::linear_regions::LinearRegions;
use crate::graph::region_graph::{flipped, pair_crossings, RegionEdge, RegionGraph, RegionNode};
use crate::model::pattern::Pattern;
use crate::output::graph_part_json::{GraphPartFile, HyperplaneRecord, GRAPH_PART_TYPE};
use crate::output::shard_merge::{check, merged_summary, MergeError, Part};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

/// The header lines read to tell a graph part from other files: a graph
/// file's header has one line per field, a dozen in all.
const MAX_HEADER_LINES: usize = 64;

/// The merged graph: its file header (model, domain, summary), the graph
/// and its linear regions, ready for [`crate::write_graph_json`].
pub struct MergedGraph {
    /// The header fields, with the merged `summary`.
    pub header: Value,
    /// The graph.
    pub graph: RegionGraph,
    /// Its linear regions.
    pub linear: LinearRegions,
}

/// Whether `path` is a graph part (`graph --shard K/N --json`): a header
/// line `"type":"graph_part",` before its nodes.
pub fn is_graph_part(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let marker = format!("\"type\":\"{GRAPH_PART_TYPE}\",");
    for line in io::BufReader::new(file)
        .lines()
        .take(MAX_HEADER_LINES)
        .map_while(Result::ok)
    {
        if line == marker {
            return true;
        }
        if line.starts_with("\"nodes\":") {
            return false;
        }
    }
    false
}

/// Reads one part file.
fn read_part(path: &Path) -> Result<(Part, Map<String, Value>, GraphPartFile), MergeError> {
    let bad = |message: String| MergeError::Part {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let mut part: GraphPartFile = serde_json::from_reader(io::BufReader::new(file))
        .map_err(|e| bad(format!("not a graph part (graph --shard K/N --json): {e}")))?;
    let Some(Value::Object(summary)) = part.header.remove("summary") else {
        return Err(bad("its header has no summary".into()));
    };
    let header = part.header.clone();
    Ok((Part::new(path, part.header.clone(), summary)?, header, part))
}

/// Merges the graph parts `paths`, given in any order.
pub fn merge_graph_parts(paths: &[PathBuf]) -> Result<MergedGraph, MergeError> {
    let mut parts = Vec::new();
    let mut files: HashMap<u64, (Map<String, Value>, GraphPartFile)> = HashMap::new();
    for path in paths {
        let (part, header, file) = read_part(path)?;
        files.insert(part.shard.index, (header, file));
        parts.push(part);
    }
    let parts = check(parts)?;
    let mut nodes: Vec<RegionNode> = Vec::new();
    // The regions' part, for the checks below.
    let mut part_of: Vec<usize> = Vec::new();
    let mut edges: Vec<(usize, usize, RegionEdge, bool)> = Vec::new();
    let mut crossings = Vec::new();
    let mut exact_checks = 0;
    let mut header = Map::new();
    for (k, part) in parts.iter().enumerate() {
        let bad = |message: String| MergeError::Part {
            path: part.path.clone(),
            message,
        };
        let (part_header, file) = files
            .remove(&part.shard.index)
            .expect("every checked part was read");
        if k == 0 {
            header = part_header;
        }
        let offset = nodes.len();
        let regions = file.nodes.len();
        for (i, n) in file.nodes.into_iter().enumerate() {
            if n.id != i as u64 {
                return Err(bad(format!("node {i} has id {}", n.id)));
            }
            let pattern = Pattern::parse(&n.pattern)
                .ok_or_else(|| bad(format!("node {i}: bad pattern {:?}", n.pattern)))?;
            nodes.push(RegionNode {
                id: (offset + i) as u64,
                pattern,
                witness: n.witness,
                radius: n.radius,
                radius_is_chebyshev: n.radius_is_chebyshev,
                affine_map: n.affine_map,
                domain_facets: n.domain_facets,
            });
            part_of.push(k);
        }
        let in_part = |i: usize, what: &str| {
            if i < regions {
                Ok(offset + i)
            } else {
                Err(bad(format!("{what} names region {i} of {regions}")))
            }
        };
        for e in file.edges {
            let (s, t) = (in_part(e.source, "an edge")?, in_part(e.target, "an edge")?);
            if s >= t {
                return Err(bad(format!(
                    "edge {}–{} is not in order",
                    e.source, e.target
                )));
            }
            let edge = RegionEdge {
                neurons: e.neurons,
                hyperplane: hyperplane(e.hyperplane),
                point: e.point,
            };
            edges.push((s, t, edge, e.same_map));
        }
        for c in file.border {
            let from = in_part(c.source, "a border crossing")?;
            let neighbour = Pattern::parse(&c.neighbour)
                .ok_or_else(|| bad(format!("bad pattern {:?} beyond the border", c.neighbour)))?;
            crossings.push((from, neighbour, c));
        }
        exact_checks += part
            .summary
            .get("exact_map_checks")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("its summary has no exact_map_checks".into()))?
            as usize;
    }
    let mut index: HashMap<&Pattern, usize> = HashMap::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        if let Some(j) = index.insert(&node.pattern, i) {
            return Err(MergeError::Parts(format!(
                "regions {j} and {i} have one pattern {}: the parts overlap",
                node.pattern
            )));
        }
    }
    let fit = |e: GraphError| MergeError::Parts(format!("the parts' graphs do not fit: {e}"));
    let mut directed = Vec::with_capacity(crossings.len());
    let mut same: HashMap<(usize, usize), bool> = HashMap::with_capacity(crossings.len());
    for (from, neighbour, c) in crossings {
        let Some(&to) = index.get(&neighbour) else {
            return Err(fit(GraphError::MissingNeighbour {
                region: from as u64,
                pattern: nodes[from].pattern.to_string(),
                layer: c.neuron.0,
                index: c.neuron.1,
                neighbour: c.neighbour,
            }));
        };
        if part_of[to] == part_of[from] {
            return Err(MergeError::Parts(format!(
                "region {from} ({}) lists a crossing into region {to} of its own part as a border crossing",
                nodes[from].pattern
            )));
        }
        same.insert((from, to), c.same_map);
        directed.push((from, to, c));
    }
    let pairs = pair_crossings(directed, |i| nodes[i].pattern.to_string()).map_err(fit)?;
    for ((from, to), c) in pairs {
        if same[&(to, from)] != c.same_map {
            return Err(MergeError::Parts(format!(
                "regions {from} and {to}: their parts disagree on whether the two have one affine map"
            )));
        }
        exact_checks += usize::from(c.exact_check);
        let edge = RegionEdge {
            neurons: flipped(&nodes[from].pattern, &nodes[to].pattern),
            hyperplane: hyperplane(c.hyperplane),
            point: c.point,
        };
        edges.push((from, to, edge, c.same_map));
    }
    edges.sort_by_key(|&(s, t, _, _)| (s, t));
    let pairs: Vec<(usize, usize)> = edges.iter().map(|&(s, t, _, _)| (s, t)).collect();
    let same_map: Vec<bool> = edges.iter().map(|e| e.3).collect();
    let regions = nodes.len();
    let linear = LinearRegions::of_edges(regions, &pairs, same_map, exact_checks);
    let shared_facets = edges.len();
    let graph = RegionGraph::assemble(
        nodes,
        edges.into_iter().map(|(s, t, e, _)| (s, t, e)).collect(),
    )
    .map_err(fit)?;
    let mut summary = merged_summary(&parts);
    if summary.get("regions").and_then(Value::as_u64) != Some(regions as u64) {
        return Err(MergeError::Parts(format!(
            "the parts' summaries count {} regions but they hold {regions}",
            summary["regions"]
        )));
    }
    summary.insert("exact_map_checks".into(), exact_checks.into());
    summary.insert("linear_regions".into(), linear.count.into());
    summary.insert("shared_facets".into(), shared_facets.into());
    header.remove("type");
    header.remove("model_sha256");
    header.insert("summary".into(), Value::Object(summary));
    Ok(MergedGraph {
        header: Value::Object(header),
        graph,
        linear,
    })
}

fn hyperplane(h: HyperplaneRecord) -> HalfSpace {
    HalfSpace { a: h.a, b: h.b }
}
