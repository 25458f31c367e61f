//! The regions of a 1-D or 2-D domain, walked and shaped for drawing.

use crate::domain::input_domain::Domain;
use crate::graph::error::GraphError;
use crate::graph::linear_regions::linear_regions;
use crate::graph::region_graph::RegionGraph;
use crate::lp::LpEngine;
use crate::model::network::Network;
use crate::plot::colour::{
    class_colour, class_of, colour_map, distinct_colours, hashed, ClassRule, ColorBy, Rgb,
};
use crate::plot::geometry::{free_row, region_interval, region_polygon, NeuronLabel, Row};
use crate::plot::lines::{decision_boundary, layer_lines, Segment};
use crate::plot::points::PointsOverlay;
use crate::plot::PlotError;
use crate::walk::control::RunControl;
use crate::walk::region::RowSource;
use crate::walk::region_report::{walk_reports, RegionReport};
use crate::walk::space::WorkSpace;
use crate::walk::walker::WalkOptions;
use std::collections::HashMap;

/// One region as drawn, in the domain's free coordinates.
#[derive(Debug, Clone)]
pub struct DrawnRegion {
    /// Its id, as `enumerate` numbers it.
    pub id: u64,
    /// Its activation pattern.
    pub pattern: String,
    /// Its witness (the Chebyshev centre).
    pub witness: Vec<f64>,
    /// 2-D: its polygon, counter-clockwise; 1-D: `[[lo, 0], [hi, 0]]`.
    pub shape: Vec<[f64; 2]>,
    /// The network's output on it, `A p + c`: rows of `A`.
    pub a: Vec<Vec<f64>>,
    /// The constant `c`.
    pub c: Vec<f64>,
    /// Its fill.
    pub fill: Rgb,
    /// What the fill means for it: a class, an output value, a cell.
    pub key: String,
    /// Its rows on the free coordinates, each with the hidden neuron it
    /// comes from (layer, index, on), or `None` for a domain row.
    pub rows: Vec<(Row, NeuronLabel)>,
}

impl DrawnRegion {
    /// The outputs at the free-coordinate point `p`.
    pub fn outputs_at(&self, p: &[f64]) -> Vec<f64> {
        self.a
            .iter()
            .zip(&self.c)
            .map(|(row, c)| c + row.iter().zip(p).map(|(a, x)| a * x).sum::<f64>())
            .collect()
    }
}

/// A walked domain ready to draw.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The window on the free coordinates (one or two intervals).
    pub window: Vec<(f64, f64)>,
    /// The names of the free coordinates (`u`, `v`, `t`, or `x3`).
    pub axes: Vec<String>,
    /// The regions, by id.
    pub regions: Vec<DrawnRegion>,
    /// What the colours show.
    pub color: ColorBy,
    /// The number of hidden neurons (for the legend: `2^N` codes).
    pub hidden_neurons: usize,
    /// For `ColorBy::Output`: the range of the values, mapped to `[0, 1]`.
    pub value_range: Option<(f64, f64)>,
    /// The decision boundary (`--boundary`), if asked for.
    pub boundary: Vec<Segment>,
    /// The zero sets of one hidden layer's neurons (`--hyperplanes L`).
    pub hyperplanes: Vec<Segment>,
    /// Data points drawn over the regions (`--points`).
    pub points: Option<PointsOverlay>,
}

impl Picture {
    /// Walks `network` on `domain` (set up as `space`) and shapes every
    /// region. The domain must be a box or a plane/segment with one or two
    /// free coordinates.
    pub fn walk(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        engine: &dyn LpEngine,
        color: ColorBy,
    ) -> Result<Self, PlotError> {
        Self::walk_with(network, domain, space, engine, color, None)
            .map(|picture| picture.expect("a walk without a control runs to its end"))
    }

    /// As [`Picture::walk`], under `control`'s limits and stop flag: `None`
    /// when a walk stopped early (a picture of part of the regions would
    /// look complete, so none is made).
    pub fn walk_with(
        network: &Network,
        domain: &Domain,
        space: &WorkSpace,
        engine: &dyn LpEngine,
        color: ColorBy,
        control: Option<&'static RunControl>,
    ) -> Result<Option<Self>, PlotError> {
        let slice = &space.slice;
        let window = domain.window().map(|w| slice.free_part(w)).ok_or_else(|| {
            PlotError::Domain("a picture needs a box, a plane or a segment".into())
        })?;
        let k = window.len();
        if !(1..=2).contains(&k) {
            return Err(PlotError::Domain(format!(
                "a picture needs one or two free coordinates, but the domain has {k} (fix the others: --box with LO == HI, or use --plane)"
            )));
        }
        let axes = if slice.is_plane() {
            if k == 2 {
                vec!["u".into(), "v".into()]
            } else {
                vec!["t".into()]
            }
        } else {
            slice.free().iter().map(|i| format!("x{i}")).collect()
        };
        let mut regions = Vec::new();
        let stats = walk_reports(network, domain, space, engine, control, |report| {
            regions.push(shape(slice, &window, &report))
        })?;
        if stats.stopped.is_some() {
            return Ok(None);
        }
        if color == ColorBy::Linear {
            let Some(linear) = linear_of(network, domain, space, engine, control)? else {
                return Ok(None);
            };
            for r in &mut regions {
                let k = linear.get(&r.pattern).ok_or_else(|| {
                    PlotError::Domain(format!(
                        "region {} (pattern {}) is not in the region graph",
                        r.id, r.pattern
                    ))
                })?;
                r.key = k.to_string();
            }
        }
        let mut picture = Picture {
            window,
            axes,
            regions,
            color,
            hidden_neurons: network.hidden_neurons(),
            value_range: None,
            boundary: Vec::new(),
            hyperplanes: Vec::new(),
            points: None,
        };
        picture.colour();
        Ok(Some(picture))
    }

    /// Adds the decision boundary under `boundary`'s class rule, and the
    /// zero sets of hidden layer `hyperplanes` (from 0), to be drawn over
    /// the regions (2-D only).
    pub fn add_lines(
        &mut self,
        boundary: Option<ClassRule>,
        hyperplanes: Option<usize>,
    ) -> Result<(), PlotError> {
        if self.window.len() != 2 && (boundary.is_some() || hyperplanes.is_some()) {
            return Err(PlotError::Domain(
                "--boundary and --hyperplanes need two free coordinates".into(),
            ));
        }
        if let Some(rule) = boundary {
            self.boundary = (self.regions.iter())
                .flat_map(|r| decision_boundary(&self.window, r, rule))
                .collect();
        }
        if let Some(layer) = hyperplanes {
            self.hyperplanes = (self.regions.iter())
                .flat_map(|r| layer_lines(&self.window, r, layer))
                .collect();
        }
        Ok(())
    }

    /// Projects the input `points` onto the picture to be drawn over the
    /// regions, and counts the regions that hold them (2-D only).
    pub fn add_points(
        &mut self,
        network: &Network,
        domain: &Domain,
        points: &[Vec<f64>],
    ) -> Result<(), PlotError> {
        if self.window.len() != 2 {
            return Err(PlotError::Domain(
                "--points needs two free coordinates".into(),
            ));
        }
        self.points = Some(self.overlay(network, domain, points));
        Ok(())
    }

    /// Sets every region's fill and key.
    fn colour(&mut self) {
        let values: Vec<f64> = match self.color {
            ColorBy::Output(j) => self
                .regions
                .iter()
                .map(|r| r.outputs_at(&r.witness).get(j).copied().unwrap_or(f64::NAN))
                .collect(),
            _ => Vec::new(),
        };
        if !values.is_empty() {
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            self.value_range = Some((lo, hi));
        }
        let linear_count = match self.color {
            ColorBy::Linear => self
                .regions
                .iter()
                .filter_map(|r| r.key.parse::<usize>().ok())
                .max()
                .map_or(0, |m| m + 1),
            _ => 0,
        };
        let linear_colours = distinct_colours(linear_count);
        for (i, r) in self.regions.iter_mut().enumerate() {
            (r.fill, r.key) = match self.color {
                ColorBy::Pattern => (hashed(&r.pattern), r.pattern.clone()),
                ColorBy::Class(rule) => {
                    let class = class_of(&r.outputs_at(&r.witness), rule);
                    (class_colour(class), class.to_string())
                }
                ColorBy::Layer(n) => {
                    let cell: Vec<&str> = r.pattern.split('|').take(n).collect();
                    let cell = cell.join("|");
                    (hashed(&cell), cell)
                }
                ColorBy::Linear => {
                    let k: usize = r.key.parse().unwrap_or(0);
                    (linear_colours[k], r.key.clone())
                }
                ColorBy::Output(_) => {
                    let (lo, hi) = self.value_range.unwrap_or((0.0, 1.0));
                    let t = if hi > lo {
                        (values[i] - lo) / (hi - lo)
                    } else {
                        0.5
                    };
                    (colour_map(t), format!("{:.4}", values[i]))
                }
            };
        }
    }
}

/// The linear region of each pattern: the region graph of the same walk,
/// merged where adjacent regions have one affine map (exactly compared).
/// Regions are matched by pattern: each pattern is one convex region.
fn linear_of(
    network: &Network,
    domain: &Domain,
    space: &WorkSpace,
    engine: &dyn LpEngine,
    control: Option<&'static RunControl>,
) -> Result<Option<HashMap<String, usize>>, PlotError> {
    let options = WalkOptions {
        control,
        ..RegionGraph::walk_options()
    };
    let (graph, _) = match RegionGraph::walk_with(network, domain, space, engine, options, |_| {}) {
        Err(GraphError::Stopped) => return Ok(None),
        Err(e) => {
            return Err(PlotError::Domain(format!(
                "the region graph for --color linear: {e}"
            )))
        }
        Ok(walked) => walked,
    };
    let linear = linear_regions(&graph, network, domain);
    Ok(Some(
        graph
            .nodes()
            .zip(&linear.of_region)
            .map(|(n, &k)| (n.pattern.to_string(), k))
            .collect(),
    ))
}

/// A region report on the free coordinates.
fn shape(
    slice: &crate::exact::slice::Slice,
    window: &[(f64, f64)],
    r: &RegionReport,
) -> DrawnRegion {
    let rows: Vec<(Row, NeuronLabel)> = r
        .constraints
        .iter()
        .map(|c| {
            let label = match c.source {
                RowSource::Neuron { layer, index, on } => Some((layer, index, on)),
                RowSource::Domain(_) => None,
            };
            (free_row(slice, c), label)
        })
        .collect();
    let plain: Vec<Row> = rows.iter().map(|(row, _)| *row).collect();
    let shape = if window.len() == 2 {
        region_polygon(window, &plain)
    } else {
        let (lo, hi) = region_interval(window[0], &plain);
        vec![[lo, 0.0], [hi, 0.0]]
    };
    let fixed = slice.fixed();
    let a: Vec<Vec<f64>> = r
        .affine_map
        .a
        .iter()
        .map(|row| slice.free_part(row))
        .collect();
    let c = r
        .affine_map
        .a
        .iter()
        .zip(&r.affine_map.c)
        .map(|(row, c)| c + fixed.iter().map(|&(i, v)| row[i] * v).sum::<f64>())
        .collect();
    DrawnRegion {
        id: r.id,
        pattern: r.pattern.clone(),
        witness: slice.free_part(&r.witness),
        shape,
        a,
        c,
        fill: [0, 0, 0],
        key: String::new(),
        rows,
    }
}
