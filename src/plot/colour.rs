//! Colours of regions: by activation pattern (a stable hash), by the class
//! a region's output picks at its witness, by the value of one output, or
//! by the pattern of the first layers only.

/// What a region's colour shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorBy {
    /// A stable colour per activation pattern.
    Pattern,
    /// The value of one output at the region's witness, on a colour map.
    Output(usize),
    /// The output's argmax (or argmin) at the witness.
    Class(ClassRule),
    /// The pattern of the first `n` hidden layers: the cells after layer `n`.
    Layer(usize),
    /// The linear region (adjacent regions with one affine map merged,
    /// [`crate::linear_regions`]): one distinct colour per linear region.
    Linear,
}

/// How an output vector picks a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassRule {
    /// The largest output (classifiers).
    Argmax,
    /// The smallest output (ACAS Xu's advisories).
    Argmin,
}

/// An RGB colour.
pub type Rgb = [u8; 3];

/// `#rrggbb`.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// A stable colour for `key`: its FNV-1a hash picks hue, and a little of
/// saturation and lightness, so neighbouring patterns differ.
pub fn hashed(key: &str) -> Rgb {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let hue = (h % 360) as f64;
    let sat = 0.45 + 0.3 * ((h >> 16) % 100) as f64 / 100.0;
    let light = 0.5 + 0.2 * ((h >> 32) % 100) as f64 / 100.0;
    hsl(hue, sat, light)
}

/// Distinct colours for `n` keys `0..n`: hue by the golden angle, so
/// consecutive keys differ, and lightness in three steps; a colour already
/// given is nudged one unit of blue (then green) until it is new, so `n`
/// keys get exactly `n` colours.
pub fn distinct_colours(n: usize) -> Vec<Rgb> {
    let mut used = std::collections::HashSet::new();
    (0..n)
        .map(|k| {
            let hue = (k as f64 * 137.507_764) % 360.0;
            let light = [0.55, 0.68, 0.45][k % 3];
            let mut c = hsl(hue, 0.6, light);
            let mut step = 0u32;
            while !used.insert(c) {
                step += 1;
                c[2] = c[2].wrapping_add(1);
                if step.is_multiple_of(256) {
                    c[1] = c[1].wrapping_add(1);
                }
            }
            c
        })
        .collect()
}

/// HSL to RGB (hue in degrees).
fn hsl(h: f64, s: f64, l: f64) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [to(r), to(g), to(b)]
}

/// Ten distinct colours for classes (a common qualitative palette), then
/// hashed ones.
pub fn class_colour(class: usize) -> Rgb {
    const PALETTE: [Rgb; 10] = [
        [31, 119, 180],
        [255, 127, 14],
        [44, 160, 44],
        [214, 39, 40],
        [148, 103, 189],
        [140, 86, 75],
        [227, 119, 194],
        [127, 127, 127],
        [188, 189, 34],
        [23, 190, 207],
    ];
    PALETTE
        .get(class)
        .copied()
        .unwrap_or_else(|| hashed(&class.to_string()))
}

/// A blue–yellow colour map at `t ∈ [0, 1]` (piecewise linear through five
/// anchors close to viridis).
pub fn colour_map(t: f64) -> Rgb {
    const ANCHORS: [Rgb; 5] = [
        [68, 1, 84],
        [59, 82, 139],
        [33, 145, 140],
        [94, 201, 98],
        [253, 231, 37],
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    } * 4.0;
    let i = (t.floor() as usize).min(3);
    let f = t - i as f64;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    let mix = |j: usize| (f64::from(a[j]) + f * (f64::from(b[j]) - f64::from(a[j]))).round() as u8;
    [mix(0), mix(1), mix(2)]
}

/// The class `rule` picks from `outputs` (the first on ties).
pub fn class_of(outputs: &[f64], rule: ClassRule) -> usize {
    let mut best = 0;
    for (i, &v) in outputs.iter().enumerate() {
        let better = match rule {
            ClassRule::Argmax => v > outputs[best],
            ClassRule::Argmin => v < outputs[best],
        };
        if better {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_stable_and_classes_pick_ends() {
        assert_eq!(hashed("01|10"), hashed("01|10"));
        assert_ne!(hashed("01|10"), hashed("01|11"));
        assert_eq!(hex([255, 0, 16]), "#ff0010");
        assert_eq!(class_of(&[0.5, 2.0, -1.0], ClassRule::Argmax), 1);
        assert_eq!(class_of(&[0.5, 2.0, -1.0], ClassRule::Argmin), 2);
        assert_eq!(colour_map(0.0), [68, 1, 84]);
        assert_eq!(colour_map(1.0), [253, 231, 37]);
        // Pure red: hue 0, full saturation, half lightness.
        assert_eq!(hsl(0.0, 1.0, 0.5), [255, 0, 0]);
        // Distinct by construction: as many colours as keys (a set counts them).
        let many = distinct_colours(5000);
        let set: std::collections::HashSet<_> = many.iter().collect();
        assert_eq!(set.len(), 5000);
    }
}
