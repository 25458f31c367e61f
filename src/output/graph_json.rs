//! The region graph as one JSON document (`regionwalk graph --json`). The
//! format is documented in `docs/graph.md`:
//!
//! ```text
//! {header fields...,
//!  "nodes": [{"id", "pattern", "witness", "radius", "radius_is_chebyshev",
//!             "affine_map": {"A", "c"}, "domain_facets", "linear_region"}, ...],
//!  "edges": [{"source", "target", "neurons": [[layer, index], ...],
//!             "hyperplane": {"a", "b"}, "point", "same_map"}, ...],
//!  "linear_regions": n, "linear_region_members": [[id, ...], ...]}
//! ```
//!
//! Nodes are in id order, edges sorted by `(source, target)` with
//! `source < target`: the file is the same for any thread count.

use crate::graph::linear_regions::LinearRegions;
use crate::graph::region_graph::{RegionEdge, RegionGraph, RegionNode};
use crate::output::region_file::open_object;
use crate::walk::region_report::AffineMapReport;
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// A node as graph files give it.
#[derive(Serialize)]
pub(crate) struct NodeJson<'a> {
    id: u64,
    pattern: String,
    witness: &'a [f64],
    radius: f64,
    radius_is_chebyshev: bool,
    affine_map: &'a AffineMapReport,
    domain_facets: &'a [usize],
    /// Absent in a part of a sharded graph, whose linear regions are not
    /// known before the merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    linear_region: Option<usize>,
}

/// A facet's hyperplane `a·x = b`.
#[derive(Serialize)]
pub(crate) struct HyperplaneJson<'a> {
    pub(crate) a: &'a [f64],
    pub(crate) b: f64,
}

/// An edge as graph files give it.
#[derive(Serialize)]
pub(crate) struct EdgeJson<'a> {
    source: usize,
    target: usize,
    neurons: Vec<[usize; 2]>,
    hyperplane: HyperplaneJson<'a>,
    point: &'a [f64],
    same_map: bool,
}

/// `node` for the file, with the index of its linear region if known.
pub(crate) fn node_json(node: &RegionNode, linear_region: Option<usize>) -> NodeJson<'_> {
    NodeJson {
        id: node.id,
        pattern: node.pattern.to_string(),
        witness: &node.witness,
        radius: node.radius,
        radius_is_chebyshev: node.radius_is_chebyshev,
        affine_map: &node.affine_map,
        domain_facets: &node.domain_facets,
        linear_region,
    }
}

/// The edge `source`–`target` for the file.
pub(crate) fn edge_json(
    source: usize,
    target: usize,
    edge: &RegionEdge,
    same_map: bool,
) -> EdgeJson<'_> {
    EdgeJson {
        source,
        target,
        neurons: edge.neurons.iter().map(|&(l, i)| [l, i]).collect(),
        hyperplane: HyperplaneJson {
            a: &edge.hyperplane.a,
            b: edge.hyperplane.b,
        },
        point: &edge.point,
        same_map,
    }
}

/// Writes `graph` with its linear regions to `out`, after the fields of
/// `header` (a JSON object: model, domain, timings), and returns `out`.
pub fn write_graph_json<W: Write>(
    mut out: W,
    header: &Value,
    graph: &RegionGraph,
    linear: &LinearRegions,
) -> io::Result<W> {
    open_object(&mut out, header.as_object().unwrap_or(&Default::default()))?;
    out.write_all(b"\"nodes\":[\n")?;
    for (k, node) in graph.nodes().enumerate() {
        if k > 0 {
            out.write_all(b",\n")?;
        }
        let linear_region = linear.of_region[node.id as usize];
        serde_json::to_writer(&mut out, &node_json(node, Some(linear_region)))?;
    }
    out.write_all(b"\n],\n\"edges\":[\n")?;
    for (k, (s, t, edge)) in graph.edges().enumerate() {
        if k > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &edge_json(s, t, edge, linear.same_map[k]))?;
    }
    out.write_all(b"\n],\n\"linear_regions\":")?;
    serde_json::to_writer(&mut out, &linear.count)?;
    out.write_all(b",\n\"linear_region_members\":")?;
    serde_json::to_writer(&mut out, &linear.members)?;
    out.write_all(b"}\n")?;
    out.flush()?;
    Ok(out)
}
