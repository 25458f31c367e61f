//! A part of a sharded region graph as one JSON document (`regionwalk graph
//! --shard K/N --json FILE`), written for `regionwalk merge` and read back
//! by it. The format is documented in `docs/graph.md`:
//!
//! ```text
//! {header fields..., "type": "graph_part",
//!  "nodes": [{"id", "pattern", "witness", "radius", "radius_is_chebyshev",
//!             "affine_map": {"A", "c"}, "domain_facets"}, ...],
//!  "edges": [{"source", "target", "neurons", "hyperplane": {"a", "b"},
//!             "point", "same_map"}, ...],
//!  "border": [{"source", "neuron": [layer, index], "neighbour",
//!              "hyperplane": {"a", "b"}, "point", "same_map", "exact_check"}, ...]}
//! ```
//!
//! Ids are the part's own, from 0. Nodes and edges are written as in a
//! whole graph's file (`graph_json.rs`), without linear regions; `border`
//! lists the crossings into patterns that are not in the part.
//! Floats are written as the shortest decimal that reads back to the same
//! f64, and read back exactly, so a merged file repeats the parts' numbers.

use crate::graph::graph_part::GraphPart;
use crate::output::graph_json::{edge_json, node_json, HyperplaneJson};
use crate::output::region_file::open_object;
use crate::walk::region_report::AffineMapReport;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::io::{self, Write};

/// The `type` of a graph part's header.
pub const GRAPH_PART_TYPE: &str = "graph_part";

/// A border crossing for the file.
#[derive(Serialize)]
struct BorderJson<'a> {
    source: usize,
    neuron: [usize; 2],
    neighbour: String,
    hyperplane: HyperplaneJson<'a>,
    point: &'a [f64],
    same_map: bool,
    exact_check: bool,
}

/// Writes `part` to `out`, after the fields of `header` (a JSON object:
/// model, domain, summary with the part's `shard` record), and returns
/// `out`.
pub fn write_graph_part_json<W: Write>(
    mut out: W,
    header: &Value,
    part: &GraphPart,
) -> io::Result<W> {
    let mut fields = header.as_object().cloned().unwrap_or_default();
    fields.insert("type".into(), GRAPH_PART_TYPE.into());
    open_object(&mut out, &fields)?;
    out.write_all(b"\"nodes\":[\n")?;
    for (k, node) in part.nodes.iter().enumerate() {
        if k > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &node_json(node, None))?;
    }
    out.write_all(b"\n],\n\"edges\":[\n")?;
    for (k, (s, t, edge, same)) in part.edges.iter().enumerate() {
        if k > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &edge_json(*s, *t, edge, *same))?;
    }
    out.write_all(b"\n],\n\"border\":[\n")?;
    for (k, c) in part.border.iter().enumerate() {
        if k > 0 {
            out.write_all(b",\n")?;
        }
        let record = BorderJson {
            source: c.source,
            neuron: [c.neuron.0, c.neuron.1],
            neighbour: c.neighbour.to_string(),
            hyperplane: HyperplaneJson {
                a: &c.hyperplane.a,
                b: c.hyperplane.b,
            },
            point: &c.point,
            same_map: c.same_map,
            exact_check: c.exact_check,
        };
        serde_json::to_writer(&mut out, &record)?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(out)
}

/// A graph part as read back: its header fields (with `summary`), nodes,
/// edges and border crossings.
#[derive(Deserialize)]
pub(crate) struct GraphPartFile {
    pub(crate) nodes: Vec<NodeRecord>,
    pub(crate) edges: Vec<EdgeRecord>,
    pub(crate) border: Vec<BorderRecord>,
    #[serde(flatten)]
    pub(crate) header: Map<String, Value>,
}

/// A node as read back.
#[derive(Deserialize)]
pub(crate) struct NodeRecord {
    pub(crate) id: u64,
    pub(crate) pattern: String,
    pub(crate) witness: Vec<f64>,
    #[serde(deserialize_with = "radius")]
    pub(crate) radius: f64,
    pub(crate) radius_is_chebyshev: bool,
    pub(crate) affine_map: AffineMapReport,
    pub(crate) domain_facets: Vec<usize>,
}

/// A hyperplane as read back.
#[derive(Deserialize)]
pub(crate) struct HyperplaneRecord {
    pub(crate) a: Vec<f64>,
    pub(crate) b: f64,
}

/// An edge inside a part as read back.
#[derive(Deserialize)]
pub(crate) struct EdgeRecord {
    pub(crate) source: usize,
    pub(crate) target: usize,
    pub(crate) neurons: Vec<(usize, usize)>,
    pub(crate) hyperplane: HyperplaneRecord,
    pub(crate) point: Vec<f64>,
    pub(crate) same_map: bool,
}

/// A border crossing as read back.
#[derive(Deserialize)]
pub(crate) struct BorderRecord {
    pub(crate) source: usize,
    pub(crate) neuron: (usize, usize),
    pub(crate) neighbour: String,
    pub(crate) hyperplane: HyperplaneRecord,
    pub(crate) point: Vec<f64>,
    pub(crate) same_map: bool,
    pub(crate) exact_check: bool,
}

/// A radius: JSON has no infinity, and serde_json writes an unbounded
/// region's infinite radius as `null`, so `null` reads back as infinity
/// (which is written as `null` again).
fn radius<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}
