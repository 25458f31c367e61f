//! A picture as SVG: one `<polygon>` per region with `data-region`,
//! `data-pattern` and a `<title>` (id, pattern, affine map) that a browser
//! shows on hover; axes with ticks in the domain's free coordinates; a
//! legend. In 1-D, each output as a polyline along the path, the region
//! boundaries as light grey lines, and the regions as a band of polygons.

use crate::plot::colour::{class_colour, colour_map, hex, ClassRule, ColorBy};
use crate::plot::lines::other_class_parts;
use crate::plot::picture::{DrawnRegion, Picture};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The plot area's left and top margins, its size, and the whole image's
/// size, in pixels.
const LEFT: f64 = 70.0;
const TOP: f64 = 20.0;
const SIDE: f64 = 460.0;
/// The image's width and height.
pub const WIDTH: f64 = 760.0;
/// The image's height.
pub const HEIGHT: f64 = 540.0;

impl Picture {
    /// The pixel of the free-coordinate point `p` (in 1-D, `p[1]` is the
    /// plotted value, mapped by `values`).
    pub fn pixel(&self, p: &[f64], values: (f64, f64)) -> (f64, f64) {
        let (x0, x1) = self.window[0];
        let x = LEFT + (p[0] - x0) / (x1 - x0) * SIDE;
        let (y0, y1) = self.window.get(1).copied().unwrap_or(values);
        let y = TOP + (1.0 - (p[1] - y0) / (y1 - y0)) * SIDE;
        (x, y)
    }

    /// The picture as an SVG document.
    pub fn svg(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">"#
        );
        s.push_str(r#"<rect width="100%" height="100%" fill="white"/>"#);
        if self.window.len() == 2 {
            self.regions_2d(&mut s);
        } else {
            self.outputs_1d(&mut s);
        }
        self.legend(&mut s);
        s.push_str("</svg>\n");
        s
    }

    fn regions_2d(&self, s: &mut String) {
        s.push_str(r##"<g stroke="#222" stroke-width="0.4" stroke-linejoin="round">"##);
        for r in &self.regions {
            let points: Vec<String> = r
                .shape
                .iter()
                .map(|p| {
                    let (x, y) = self.pixel(p, (0.0, 1.0));
                    format!("{x:.2},{y:.2}")
                })
                .collect();
            region_element(s, r, &points.join(" "));
        }
        s.push_str("</g>");
        if let ColorBy::Class(rule) = self.color {
            self.class_parts(s, rule);
        }
        self.segments(s, &self.hyperplanes, "hyperplanes", "#111", 1.5);
        self.segments(s, &self.boundary, "boundary", "#000", 2.4);
        if let Some(points) = &self.points {
            s.push_str(r##"<g class="points" fill="#000" stroke="#fff" stroke-width="0.6">"##);
            for p in &points.inside {
                let (x, y) = self.pixel(p, (0.0, 1.0));
                let _ = write!(s, r#"<circle cx="{x:.2}" cy="{y:.2}" r="2.2"/>"#);
            }
            s.push_str("</g>");
        }
        let (v0, v1) = self.window[1];
        self.axes(s, (v0, v1));
    }

    /// Where a region's class is not the one at its witness (its fill), the
    /// other classes' parts of it, filled with their colours (no stroke, no
    /// `data-region`: the region's own polygon is still the one element).
    fn class_parts(&self, s: &mut String, rule: ClassRule) {
        s.push_str(r#"<g class="class-parts" stroke="none">"#);
        let mut outlines = String::new();
        for r in &self.regions {
            let class: usize = r.key.parse().unwrap_or(0);
            let parts = other_class_parts(&self.window, r, rule, class);
            if !parts.is_empty() {
                // The region's edges again, over its parts.
                let points: Vec<String> = (r.shape.iter())
                    .map(|p| {
                        let (x, y) = self.pixel(p, (0.0, 1.0));
                        format!("{x:.2},{y:.2}")
                    })
                    .collect();
                let _ = write!(outlines, r#"<polygon points="{}"/>"#, points.join(" "));
            }
            for (i, cell) in parts {
                let points: Vec<String> = cell
                    .iter()
                    .map(|p| {
                        let (x, y) = self.pixel(p, (0.0, 1.0));
                        format!("{x:.2},{y:.2}")
                    })
                    .collect();
                let _ = write!(
                    s,
                    r#"<polygon fill="{}" points="{}"/>"#,
                    hex(class_colour(i)),
                    points.join(" ")
                );
            }
        }
        s.push_str("</g>");
        let _ = write!(
            s,
            r##"<g fill="none" stroke="#222" stroke-width="0.4" stroke-linejoin="round">{outlines}</g>"##
        );
    }

    /// `segments` as one `<path>` of class `class`.
    fn segments(
        &self,
        s: &mut String,
        segments: &[[[f64; 2]; 2]],
        class: &str,
        stroke: &str,
        width: f64,
    ) {
        if segments.is_empty() {
            return;
        }
        let mut d = String::new();
        for [p, q] in segments {
            let ((x0, y0), (x1, y1)) = (self.pixel(p, (0.0, 1.0)), self.pixel(q, (0.0, 1.0)));
            let _ = write!(d, "M{x0:.2},{y0:.2}L{x1:.2},{y1:.2}");
        }
        let _ = write!(
            s,
            r#"<path class="{class}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-linecap="round" d="{d}"/>"#
        );
    }

    fn outputs_1d(&self, s: &mut String) {
        let values: Vec<f64> = self
            .regions
            .iter()
            .flat_map(|r| {
                [
                    r.outputs_at(&[r.shape[0][0]]),
                    r.outputs_at(&[r.shape[1][0]]),
                ]
            })
            .flatten()
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = 0.05 * (hi - lo).max(1e-9);
        let range = (lo - pad, hi + pad);
        // The regions as a band along the bottom, and their boundaries.
        s.push_str(r##"<g stroke="#222" stroke-width="0.4">"##);
        for r in &self.regions {
            let (a, _) = self.pixel(&[r.shape[0][0], range.0], range);
            let (b, _) = self.pixel(&[r.shape[1][0], range.0], range);
            let (y0, y1) = (TOP + SIDE + 4.0, TOP + SIDE + 14.0);
            let points = format!("{a:.2},{y0} {b:.2},{y0} {b:.2},{y1} {a:.2},{y1}");
            region_element(s, r, &points);
        }
        s.push_str("</g>");
        s.push_str(r##"<g stroke="#ccc" stroke-width="0.5">"##);
        for r in self.regions.iter().skip(1) {
            let (x, _) = self.pixel(&[r.shape[0][0], 0.0], range);
            let _ = write!(
                s,
                r#"<line x1="{x:.2}" y1="{TOP}" x2="{x:.2}" y2="{}"/>"#,
                TOP + SIDE
            );
        }
        s.push_str("</g>");
        let outputs = self.regions.first().map_or(0, |r| r.c.len());
        for o in 0..outputs {
            let mut regions: Vec<&DrawnRegion> = self.regions.iter().collect();
            regions.sort_by(|p, q| p.shape[0][0].total_cmp(&q.shape[0][0]));
            let points: Vec<String> = regions
                .iter()
                .flat_map(|r| [r.shape[0][0], r.shape[1][0]].map(|t| (t, r.outputs_at(&[t])[o])))
                .map(|(t, v)| {
                    let (x, y) = self.pixel(&[t, v], range);
                    format!("{x:.2},{y:.2}")
                })
                .collect();
            let _ = write!(
                s,
                r#"<polyline fill="none" stroke="{}" stroke-width="1.6" points="{}"><title>output {o}</title></polyline>"#,
                hex(class_colour(o)),
                points.join(" ")
            );
        }
        self.axes(s, range);
    }

    /// The frame, ticks and labels; `vertical` is the vertical axis' range.
    fn axes(&self, s: &mut String, vertical: (f64, f64)) {
        let _ = write!(
            s,
            r##"<rect x="{LEFT}" y="{TOP}" width="{SIDE}" height="{SIDE}" fill="none" stroke="#000" stroke-width="1"/>"##
        );
        let (h0, h1) = self.window[0];
        for v in nice_ticks(h0, h1) {
            let x = LEFT + (v - h0) / (h1 - h0) * SIDE;
            let _ = write!(
                s,
                r##"<line x1="{x:.2}" y1="{b}" x2="{x:.2}" y2="{b2}" stroke="#000"/><text x="{x:.2}" y="{t}" text-anchor="middle">{}</text>"##,
                tick(v),
                b = TOP + SIDE,
                b2 = TOP + SIDE + 5.0,
                t = TOP + SIDE + 30.0,
            );
        }
        let (v0, v1) = vertical;
        for v in nice_ticks(v0, v1) {
            let y = TOP + (1.0 - (v - v0) / (v1 - v0)) * SIDE;
            let _ = write!(
                s,
                r##"<line x1="{l}" y1="{y:.2}" x2="{LEFT}" y2="{y:.2}" stroke="#000"/><text x="{tx}" y="{ty:.2}" text-anchor="end">{}</text>"##,
                tick(v),
                l = LEFT - 5.0,
                tx = LEFT - 8.0,
                ty = y + 4.0,
            );
        }
        let vname = self.axes.get(1).map_or("output", String::as_str);
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="14">{}</text><text x="16" y="{}" text-anchor="middle" font-size="14" transform="rotate(-90 16 {})">{}</text>"#,
            LEFT + SIDE / 2.0,
            HEIGHT - 4.0,
            self.axes[0],
            TOP + SIDE / 2.0,
            TOP + SIDE / 2.0,
            vname
        );
    }

    fn legend(&self, s: &mut String) {
        let x = LEFT + SIDE + 24.0;
        let mut y = TOP + 14.0;
        let line = |s: &mut String, text: &str, y: &mut f64| {
            let _ = write!(s, r#"<text x="{x}" y="{y}">{}</text>"#, escape(text));
            *y += 18.0;
        };
        match &self.points {
            // "K of R regions hold data, out of 2^N codes", on two lines.
            Some(p) => {
                let (k, r) = (p.regions.len(), self.regions.len());
                line(s, &format!("{k} of {r} regions hold data,"), &mut y);
                line(
                    s,
                    &format!("out of 2^{} codes", self.hidden_neurons),
                    &mut y,
                );
                let shown = p.inside.len();
                line(
                    s,
                    &format!("{shown} points ({} outside)", p.outside),
                    &mut y,
                );
            }
            None => {
                line(s, &format!("{} regions", self.regions.len()), &mut y);
                line(
                    s,
                    &format!("out of 2^{} codes", self.hidden_neurons),
                    &mut y,
                );
            }
        }
        y += 8.0;
        match self.color {
            ColorBy::Pattern => line(s, "colour: activation pattern", &mut y),
            ColorBy::Layer(n) => {
                let cells: std::collections::BTreeSet<&str> =
                    self.regions.iter().map(|r| r.key.as_str()).collect();
                line(s, &format!("colour: cell after layer {n}"), &mut y);
                line(s, &format!("{} cells", cells.len()), &mut y);
            }
            ColorBy::Linear => {
                let cells: std::collections::BTreeSet<&str> =
                    self.regions.iter().map(|r| r.key.as_str()).collect();
                line(s, "colour: linear region", &mut y);
                line(s, &format!("{} linear regions", cells.len()), &mut y);
            }
            ColorBy::Class(rule) => {
                line(s, &format!("colour: {rule:?} class").to_lowercase(), &mut y);
                let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
                for r in &self.regions {
                    *counts.entry(r.key.parse().unwrap_or(0)).or_default() += 1;
                }
                for (class, n) in counts {
                    let _ = write!(
                        s,
                        r##"<rect x="{x}" y="{}" width="14" height="14" fill="{}" stroke="#222" stroke-width="0.5"/>"##,
                        y - 11.0,
                        hex(class_colour(class))
                    );
                    let _ = write!(
                        s,
                        r#"<text x="{}" y="{y}">class {class}: {n} regions</text>"#,
                        x + 20.0
                    );
                    y += 18.0;
                }
            }
            ColorBy::Output(j) => {
                line(s, &format!("colour: output {j} at the witness"), &mut y);
                let (lo, hi) = self.value_range.unwrap_or((0.0, 1.0));
                for i in 0..20 {
                    let f = f64::from(i) / 19.0;
                    let _ = write!(
                        s,
                        r#"<rect x="{x}" y="{:.1}" width="16" height="8" fill="{}"/>"#,
                        y + (19.0 - f64::from(i)) * 8.0,
                        hex(colour_map(f))
                    );
                }
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}">{}</text>"#,
                    x + 22.0,
                    y + 8.0,
                    tick(hi)
                );
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}">{}</text>"#,
                    x + 22.0,
                    y + 160.0,
                    tick(lo)
                );
            }
        }
        if self.window.len() == 1 {
            let outputs = self.regions.first().map_or(0, |r| r.c.len());
            for o in 0..outputs {
                let _ = write!(
                    s,
                    r#"<line x1="{x}" y1="{yy}" x2="{}" y2="{yy}" stroke="{}" stroke-width="2"/><text x="{}" y="{}">output {o}</text>"#,
                    x + 16.0,
                    hex(class_colour(o)),
                    x + 22.0,
                    y + 4.0,
                    yy = y,
                );
                y += 18.0;
            }
        }
    }
}

/// One region's `<polygon>` with its data attributes and title.
fn region_element(s: &mut String, r: &DrawnRegion, points: &str) {
    let map: Vec<String> =
        r.a.iter()
            .zip(&r.c)
            .map(|(a, c)| {
                let a: Vec<String> = a.iter().map(|v| format!("{v:.4}")).collect();
                format!("[{}]·p + {c:.4}", a.join(", "))
            })
            .collect();
    let _ = write!(
        s,
        r#"<polygon data-region="{}" data-pattern="{}" fill="{}" points="{points}"><title>region {}&#10;pattern {}&#10;map {}&#10;{}</title></polygon>"#,
        r.id,
        escape(&r.pattern),
        hex(r.fill),
        r.id,
        escape(&r.pattern),
        escape(&map.join("; ")),
        escape(&r.key),
    );
}

/// Ticks at round numbers (1, 2 or 5 times a power of ten apart) in
/// `[lo, hi]`: four to ten of them.
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 {
        return vec![lo];
    }
    let raw = span / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| span / s <= 6.0)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// A tick label: up to four significant digits, no trailing zeros.
fn tick(v: f64) -> String {
    let t = format!("{:.4}", v);
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" {
        "0".into()
    } else {
        t.into()
    }
}

/// Text safe inside SVG.
fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
