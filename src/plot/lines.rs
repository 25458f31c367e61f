//! The lines drawn over the regions (docs/pictures.md): the decision
//! boundary, where the class the outputs pick changes, and the zero sets of
//! one hidden layer's neurons. Both are computed per region, in `f64`, by
//! clipping its polygon with rows that carry a label, so every edge of the
//! result knows which row made it.

use crate::plot::colour::ClassRule;
use crate::plot::geometry::{area, rectangle, NeuronLabel, Row};
use crate::plot::picture::DrawnRegion;

/// A line segment in the free coordinates.
pub type Segment = [[f64; 2]; 2];

/// Segments shorter than this fraction of the window's diagonal are not
/// drawn: they are a clipped polygon's zero-length edges at a vertex the
/// clipping line passes through (rounding leaves them ~1e-16 long), far
/// below a pixel (1/460 of the side).
const SHORTEST_RELATIVE: f64 = 1e-9;

/// A convex polygon whose edge `i` (from vertex `i` to `i + 1`) carries
/// label `i`.
type Labelled<L> = Vec<([f64; 2], L)>;

/// `polygon` cut by `a·p ≤ b`; the new edge along the line gets `label`
/// (Sutherland–Hodgman, keeping each edge's label).
fn clip_labelled<L: Copy>(polygon: &Labelled<L>, (a, b): &Row, label: L) -> Labelled<L> {
    let side = |p: &[f64; 2]| a[0] * p[0] + a[1] * p[1] - b;
    let mut out = Vec::with_capacity(polygon.len() + 1);
    for (i, &(p, l)) in polygon.iter().enumerate() {
        let q = polygon[(i + 1) % polygon.len()].0;
        let (sp, sq) = (side(&p), side(&q));
        let cut = |t: f64| [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
        if sp <= 0.0 {
            if sq > 0.0 {
                // Leaving: the edge after the last inside point runs along
                // the line.
                if sp < 0.0 {
                    out.push((p, l));
                    out.push((cut(sp / (sp - sq)), label));
                } else {
                    out.push((p, label));
                }
            } else {
                out.push((p, l));
            }
        } else if sq < 0.0 {
            out.push((cut(sp / (sp - sq)), l));
        }
    }
    out
}

/// The edges of `polygon` whose label `keep` accepts, long enough to draw.
fn edges<L: Copy>(polygon: &Labelled<L>, shortest: f64, keep: impl Fn(L) -> bool) -> Vec<Segment> {
    let n = polygon.len();
    if n < 3 {
        return Vec::new();
    }
    (0..n)
        .filter(|&i| keep(polygon[i].1))
        .map(|i| [polygon[i].0, polygon[(i + 1) % n].0])
        .filter(|[p, q]| (p[0] - q[0]).hypot(p[1] - q[1]) > shortest)
        .collect()
}

/// The shortest segment drawn in `window`.
fn shortest(window: &[(f64, f64)]) -> f64 {
    let w = window[0].1 - window[0].0;
    let h = window[1].1 - window[1].0;
    SHORTEST_RELATIVE * w.hypot(h)
}

/// The region's polygon with each edge labelled by its row's label (the
/// window's edges get `None`).
fn region_labelled(window: &[(f64, f64)], r: &DrawnRegion) -> Labelled<NeuronLabel> {
    let start: Labelled<_> = rectangle(window).into_iter().map(|p| (p, None)).collect();
    r.rows
        .iter()
        .fold(start, |p, (row, label)| clip_labelled(&p, row, *label))
}

/// The parts of region `r` where each class wins: the polygon cut by
/// `o_i ≥ o_j` (argmax; `≤` argmin) for every `j`, the output being affine
/// on the region. Each part's edges made by a cut carry the other class.
fn class_parts(
    window: &[(f64, f64)],
    r: &DrawnRegion,
    rule: ClassRule,
) -> Vec<(usize, Labelled<Option<usize>>)> {
    let polygon: Labelled<Option<usize>> = region_labelled(window, r)
        .into_iter()
        .map(|(p, _)| (p, None))
        .collect();
    let sign = match rule {
        ClassRule::Argmax => 1.0,
        ClassRule::Argmin => -1.0,
    };
    let coef = |row: &[f64], k: usize| row.get(k).copied().unwrap_or(0.0);
    let outputs = r.c.len();
    let mut parts = Vec::new();
    for i in 0..outputs {
        let mut cell = polygon.clone();
        for j in (0..outputs).filter(|&j| j != i) {
            // argmax: o_j − o_i ≤ 0, i.e. (a_j − a_i)·p ≤ c_i − c_j.
            let a = [0, 1].map(|k| sign * (coef(&r.a[j], k) - coef(&r.a[i], k)));
            cell = clip_labelled(&cell, &(a, sign * (r.c[i] - r.c[j])), Some(j));
            if cell.len() < 3 {
                break;
            }
        }
        if cell.len() >= 3 {
            parts.push((i, cell));
        }
    }
    parts
}

/// The decision boundary inside region `r`: the segments where the two
/// top outputs tie, the edges the cuts of [`class_parts`] make. Each
/// segment is given once (from the class with the smaller index). The
/// network is continuous, so the class on a region edge is the same from
/// both sides: this is the whole boundary, not only region edges.
pub fn decision_boundary(window: &[(f64, f64)], r: &DrawnRegion, rule: ClassRule) -> Vec<Segment> {
    let min = shortest(window);
    class_parts(window, r, rule)
        .iter()
        .flat_map(|(i, cell)| edges(cell, min, |l| l.is_some_and(|j| j > *i)))
        .collect()
}

/// The parts of region `r` where another class than `class` (the one at
/// its witness, its fill) wins, each with its class: drawn over the region
/// so the colours change where the class does.
pub fn other_class_parts(
    window: &[(f64, f64)],
    r: &DrawnRegion,
    rule: ClassRule,
    class: usize,
) -> Vec<(usize, Vec<[f64; 2]>)> {
    class_parts(window, r, rule)
        .into_iter()
        .filter(|(i, _)| *i != class)
        .map(|(i, cell)| (i, cell.into_iter().map(|(p, _)| p).collect::<Vec<_>>()))
        .filter(|(_, cell)| area(cell) > shortest(window).powi(2))
        .collect()
}

/// The zero sets of hidden layer `layer`'s neurons on region `r`'s edges:
/// a neuron flips only where a region ends, so its zero set is made of
/// region edges. Each is given once, from the region where the neuron is on.
pub fn layer_lines(window: &[(f64, f64)], r: &DrawnRegion, layer: usize) -> Vec<Segment> {
    edges(&region_labelled(window, r), shortest(window), |l| {
        l.is_some_and(|(layer_, _, on)| layer_ == layer && on)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_clip_labels_the_new_edge() {
        // The unit square cut by x ≤ 1/2: the new edge x = 1/2 has label 1,
        // from (1/2, 0) to (1/2, 1) (drawn by hand).
        let sq: Labelled<u8> = rectangle(&[(0.0, 1.0), (0.0, 1.0)])
            .into_iter()
            .map(|p| (p, 0))
            .collect();
        let cut = clip_labelled(&sq, &([1.0, 0.0], 0.5), 1);
        let new = edges(&cut, 0.0, |l| l == 1);
        assert_eq!(new, vec![[[0.5, 0.0], [0.5, 1.0]]]);
        // Through a vertex: x + y ≤ 1 keeps the triangle; its diagonal is
        // the new edge, from (1, 0) to (0, 1).
        let tri = clip_labelled(&sq, &([1.0, 1.0], 1.0), 2);
        assert_eq!(edges(&tri, 0.0, |l| l == 2), vec![[[1.0, 0.0], [0.0, 1.0]]]);
    }
}
