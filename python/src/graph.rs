//! `graph`: the region graph (docs/graph.md) as Python data, for the pure
//! Python `Graph` to wrap.

use crate::background::{self, Cancel};
use crate::domain::{self, DomainArgs};
use crate::errors;
use crate::network::{matrix, vector, NativeNetwork};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use regionwalk::{linear_regions, EngineChoice, RegionGraph, WalkOptions};

/// The region graph of `net` on the domain: `{"nodes": [...], "edges":
/// [(u, v, data), ...], "linear_regions": n}`. Each node is a dict with
/// `id`, `pattern`, `witness`, `radius`, `A`, `c`, `domain_facets` and
/// `linear_region`; each edge's data has `neurons`, `a`, `b` (the shared
/// facet's hyperplane `a·x = b`, `u` on the `<` side), `point` and
/// `same_map`.
#[pyfunction]
#[pyo3(signature = (net, domain, threads=None))]
pub fn graph<'py>(
    py: Python<'py>,
    net: &Bound<'py, NativeNetwork>,
    domain: DomainArgs<'py>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let model = net.get().model.clone();
    let domain = domain.resolve(&model)?;
    let cancel = Cancel::default();
    let control = cancel.control();
    let (graph, linear) = background::run(py, threads, cancel, move || {
        let space = domain::space(&model, &domain)?;
        let options = WalkOptions {
            control: Some(control),
            ..RegionGraph::walk_options()
        };
        let (graph, _) = RegionGraph::walk_with(
            &model.network,
            &domain,
            &space,
            EngineChoice::default().engine(),
            options,
            |_| {},
        )
        .map_err(errors::walk)?;
        let linear = linear_regions(&graph, &model.network, &domain);
        Ok::<_, PyErr>((graph, linear))
    })??;
    let nodes = PyList::empty(py);
    for node in graph.nodes() {
        let d = node.witness.len();
        let a: Vec<f64> = node.affine_map.a.iter().flatten().copied().collect();
        let pattern = node
            .pattern
            .layers()
            .iter()
            .map(|bits| PyArray1::from_slice(py, bits));
        let item = PyDict::new(py);
        item.set_item("id", node.id)?;
        item.set_item("pattern", PyTuple::new(py, pattern)?)?;
        item.set_item("pattern_text", node.pattern.to_string())?;
        item.set_item("witness", vector(py, &node.witness))?;
        item.set_item("radius", node.radius)?;
        item.set_item("A", matrix(py, node.affine_map.c.len(), d, &a))?;
        item.set_item("c", vector(py, &node.affine_map.c))?;
        item.set_item("domain_facets", node.domain_facets.clone())?;
        item.set_item("linear_region", linear.of_region[node.id as usize])?;
        nodes.append(item)?;
    }
    let edges = PyList::empty(py);
    for ((u, v, edge), same) in graph.edges().zip(&linear.same_map) {
        let data = PyDict::new(py);
        data.set_item("neurons", edge.neurons.clone())?;
        data.set_item("a", vector(py, &edge.hyperplane.a))?;
        data.set_item("b", edge.hyperplane.b)?;
        data.set_item("point", vector(py, &edge.point))?;
        data.set_item("same_map", *same)?;
        edges.append((u, v, data))?;
    }
    let out = PyDict::new(py);
    out.set_item("nodes", nodes)?;
    out.set_item("edges", edges)?;
    out.set_item("linear_regions", linear.count)?;
    Ok(out)
}
