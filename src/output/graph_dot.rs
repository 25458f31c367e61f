//! The region graph in Graphviz's DOT language, as a `Display` wrapper
//! (`regionwalk graph --dot`; documented in `docs/graph.md`).
//!
//! Nodes are labelled by region id and carry `pattern`, `radius` and (with
//! linear regions) `linear_region` as attributes, with a tooltip; edges carry
//! the flipped `neurons` as `layer:index` and `same_map`. With
//! [`DotColor::Output`] nodes are filled by the network's output at the
//! region's witness: its sign for one output, the index of the largest
//! output (`class`) for several. For a model of two inputs, nodes also get
//! `pos`, the witness scaled to a 10-inch square, so `neato` draws each node
//! inside its region (`neato -Tsvg`); `dot` ignores it.
//!
//! # Example
//! ```
//! use regionwalk::{parse_json_model, BoxSpec, GoodLpMicrolp, GraphDot, RegionGraph, WorkSpace};
//! let net = parse_json_model(
//!     r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
//!                    {"weight": [[1, 1]], "bias": [0]}]}"#,
//!     "abs.json".as_ref(),
//! ).unwrap();
//! let domain = BoxSpec::parse("-1:1").unwrap().resolve(1).unwrap();
//! let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
//! let (graph, _) = RegionGraph::walk(&net, &domain, &space, &GoodLpMicrolp).unwrap();
//! let dot = GraphDot::new(&graph).to_string();
//! assert!(dot.starts_with("graph regions {"));
//! assert!(dot.contains(r#"0 -- 1 [neurons="0:0 0:1""#));
//! ```

use crate::graph::linear_regions::LinearRegions;
use crate::graph::region_graph::{RegionGraph, RegionNode};
use crate::model::affine::dot;
use std::fmt;

/// How to fill the nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DotColor {
    /// No fill.
    #[default]
    None,
    /// By the output at the witness: sign (one output) or largest output (several).
    Output,
}

/// Fill colours: positive / negative / zero for one output.
const POSITIVE: &str = "#f4a582";
const NEGATIVE: &str = "#92c5de";
const ZERO: &str = "#f7f7f7";
/// Fill colours of classes (ColorBrewer Set3), cycled past ten classes.
const CLASSES: [&str; 10] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd",
];

/// Displays a region graph as DOT.
pub struct GraphDot<'a> {
    graph: &'a RegionGraph,
    linear: Option<&'a LinearRegions>,
    color: DotColor,
}

impl<'a> GraphDot<'a> {
    /// The graph, without linear regions or colours.
    pub fn new(graph: &'a RegionGraph) -> Self {
        GraphDot {
            graph,
            linear: None,
            color: DotColor::None,
        }
    }

    /// Adds `linear_region` to nodes and `same_map` to edges.
    pub fn with_linear(mut self, linear: &'a LinearRegions) -> Self {
        self.linear = Some(linear);
        self
    }

    /// Fills nodes as `color` says.
    pub fn with_color(mut self, color: DotColor) -> Self {
        self.color = color;
        self
    }

    fn fill(&self, node: &RegionNode) -> Option<(String, &'static str)> {
        if self.color != DotColor::Output {
            return None;
        }
        let m = &node.affine_map;
        let out: Vec<f64> =
            m.a.iter()
                .zip(&m.c)
                .map(|(row, c)| dot(row, &node.witness) + c)
                .collect();
        match out.as_slice() {
            [] => None,
            [y] => Some((
                format!("output=\"{y}\""),
                if *y > 0.0 {
                    POSITIVE
                } else if *y < 0.0 {
                    NEGATIVE
                } else {
                    ZERO
                },
            )),
            many => {
                let class = (0..many.len())
                    .max_by(|&i, &j| many[i].total_cmp(&many[j]).then(j.cmp(&i)))
                    .unwrap_or(0);
                Some((format!("class=\"{class}\""), CLASSES[class % CLASSES.len()]))
            }
        }
    }
}

/// For witnesses in the plane: the map to `pos` in inches.
fn plane_positions(graph: &RegionGraph) -> Option<impl Fn(&[f64]) -> String> {
    const INCHES: f64 = 10.0;
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for node in graph.nodes() {
        if node.witness.len() != 2 {
            return None;
        }
        for k in 0..2 {
            lo[k] = lo[k].min(node.witness[k]);
            hi[k] = hi[k].max(node.witness[k]);
        }
    }
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]);
    let scale = if span > 0.0 { INCHES / span } else { 1.0 };
    Some(move |w: &[f64]| {
        format!(
            "{:.4},{:.4}!",
            (w[0] - lo[0]) * scale,
            (w[1] - lo[1]) * scale
        )
    })
}

impl fmt::Display for GraphDot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "graph regions {{")?;
        writeln!(f, "  node [shape=circle, fontsize=10];")?;
        let pos = plane_positions(self.graph);
        for node in self.graph.nodes() {
            write!(
                f,
                "  {id} [label=\"{id}\", pattern=\"{p}\", radius=\"{r}\"",
                id = node.id,
                p = node.pattern,
                r = node.radius
            )?;
            if let Some(linear) = self.linear {
                write!(
                    f,
                    ", linear_region=\"{}\"",
                    linear.of_region[node.id as usize]
                )?;
            }
            if let Some(pos) = &pos {
                write!(f, ", pos=\"{}\"", pos(&node.witness))?;
            }
            if let Some((attr, color)) = self.fill(node) {
                write!(f, ", {attr}, style=filled, fillcolor=\"{color}\"")?;
            }
            writeln!(
                f,
                ", tooltip=\"region {}: {}, radius {}\"];",
                node.id, node.pattern, node.radius
            )?;
        }
        for (k, (s, t, edge)) in self.graph.edges().enumerate() {
            let neurons: Vec<String> = edge
                .neurons
                .iter()
                .map(|(l, i)| format!("{l}:{i}"))
                .collect();
            let neurons = neurons.join(" ");
            write!(f, "  {s} -- {t} [neurons=\"{neurons}\"")?;
            if let Some(linear) = self.linear {
                write!(f, ", same_map=\"{}\"", linear.same_map[k])?;
                if linear.same_map[k] {
                    write!(f, ", style=dashed")?;
                }
            }
            writeln!(f, ", tooltip=\"flips {neurons}\"];")?;
        }
        writeln!(f, "}}")
    }
}
