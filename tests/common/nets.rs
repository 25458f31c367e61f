//! Network generators shared by the tests: tidy random weights (multiples
//! of 1/1024, exact in f64), lines in general position with exact line
//! geometry, and Telgarsky's sawtooth (docs/design.md §7).

use super::oracle::{exact, OracleLayer};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

type Q = BigRational;

pub fn q(n: i64, d: i64) -> Q {
    Q::new(BigInt::from(n), BigInt::from(d))
}

/// A random multiple of 1/1024 in [-1, 1]: exact in f64 and tidy.
pub fn tidy(rng: &mut StdRng) -> f64 {
    rng.gen_range(-1024i32..=1024) as f64 / 1024.0
}

/// A random nonzero multiple of 1/1024 in [-1, 1].
pub fn tidy_nonzero(rng: &mut StdRng) -> f64 {
    loop {
        let w = tidy(rng);
        if w != 0.0 {
            return w;
        }
    }
}

pub fn layer(weight: Vec<Vec<f64>>, bias: Vec<f64>) -> OracleLayer {
    OracleLayer { weight, bias }
}

pub fn random_layer(rng: &mut StdRng, inputs: usize, outputs: usize) -> OracleLayer {
    let weight = (0..outputs)
        .map(|_| (0..inputs).map(|_| tidy(rng)).collect())
        .collect();
    let bias = (0..outputs).map(|_| tidy(rng)).collect();
    layer(weight, bias)
}

/// A line a·x + c = 0 in the plane, exact.
pub struct Line {
    pub a: [Q; 2],
    pub c: Q,
}

pub fn line_of(row: &[f64], b: f64) -> Line {
    Line {
        a: [exact(row[0]), exact(row[1])],
        c: exact(b),
    }
}

/// The lines of a layer on two inputs, exact.
pub fn lines_of(layer: &OracleLayer) -> Vec<Line> {
    layer
        .weight
        .iter()
        .zip(&layer.bias)
        .map(|(r, &b)| line_of(r, b))
        .collect()
}

pub fn box_corners(lo: &[f64], hi: &[f64]) -> Vec<[Q; 2]> {
    let (l0, l1, h0, h1) = (exact(lo[0]), exact(lo[1]), exact(hi[0]), exact(hi[1]));
    vec![
        [l0.clone(), l1.clone()],
        [h0.clone(), l1],
        [h0, h1.clone()],
        [l0, h1],
    ]
}

/// A line crosses the open box iff its values at the corners take both signs.
pub fn crosses_box(line: &Line, corners: &[[Q; 2]]) -> bool {
    let vals: Vec<Q> = corners
        .iter()
        .map(|p| &line.a[0] * &p[0] + &line.a[1] * &p[1] + &line.c)
        .collect();
    vals.iter().any(|v| v.is_positive()) && vals.iter().any(|v| v.is_negative())
}

/// The intersection point of two lines by Cramer's rule, if not parallel.
pub fn intersection(l: &Line, m: &Line) -> Option<[Q; 2]> {
    let det = &l.a[0] * &m.a[1] - &l.a[1] * &m.a[0];
    if det.is_zero() {
        return None;
    }
    // a x + b y = -c for both lines.
    let x = (-&l.c * &m.a[1] + &m.c * &l.a[1]) / &det;
    let y = (-&l.a[0] * &m.c + &m.a[0] * &l.c) / &det;
    Some([x, y])
}

pub fn strictly_inside(p: &[Q; 2], lo: &[f64], hi: &[f64]) -> bool {
    (0..2).all(|i| p[i] > exact(lo[i]) && p[i] < exact(hi[i]))
}

/// Random lines in general position inside the box: no zero normal, no two
/// lines the same, no three through one point inside the box.
pub fn general_lines(rng: &mut StdRng, n: usize, lo: &[f64], hi: &[f64]) -> OracleLayer {
    let (mut weight, mut bias) = (Vec::<Vec<f64>>::new(), Vec::new());
    let mut points: Vec<[Q; 2]> = Vec::new();
    while weight.len() < n {
        let row = vec![tidy(rng), tidy(rng)];
        let b = tidy(rng);
        if row[0] == 0.0 && row[1] == 0.0 {
            continue;
        }
        let new = line_of(&row, b);
        let old: Vec<Line> = weight
            .iter()
            .zip(&bias)
            .map(|(r, &b)| line_of(r, b))
            .collect();
        let same = old.iter().any(|l| {
            // Proportional (a, c): the same line.
            let det = |u: &Q, v: &Q, s: &Q, t: &Q| u * t - v * s;
            det(&l.a[0], &l.a[1], &new.a[0], &new.a[1]).is_zero()
                && det(&l.a[0], &l.c, &new.a[0], &new.c).is_zero()
                && det(&l.a[1], &l.c, &new.a[1], &new.c).is_zero()
        });
        let new_points: Vec<[Q; 2]> = old
            .iter()
            .filter_map(|l| intersection(l, &new))
            .filter(|p| strictly_inside(p, lo, hi))
            .collect();
        let concurrent = new_points.iter().any(|p| points.contains(p));
        if same || concurrent {
            continue;
        }
        points.extend(new_points);
        weight.push(row);
        bias.push(b);
    }
    layer(weight, bias)
}

/// Telgarsky's sawtooth with `depth` hidden layers of two neurons each.
pub fn sawtooth(depth: usize) -> Vec<OracleLayer> {
    (0..depth)
        .map(|k| {
            // Layer 0 reads t = x; later layers read t = 2 h0 - 4 h1 of the
            // previous layer, folded into their weights.
            let row = if k == 0 { vec![1.0] } else { vec![2.0, -4.0] };
            layer(vec![row.clone(), row], vec![0.0, -0.5])
        })
        .collect()
}

/// The binomial coefficient `C(n, k)`, for the formulas' expected counts.
pub fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    (0..k).fold(1, |acc, i| acc * (n - i) / (i + 1))
}

/// A layer of `n` hyperplanes in R^d with weights drawn from a continuous
/// distribution (full f64 precision): in general position with probability 1.
pub fn generic_layer(rng: &mut StdRng, d: usize, n: usize) -> OracleLayer {
    OracleLayer {
        weight: (0..n)
            .map(|_| (0..d).map(|_| rng.gen_range(-1.0..1.0)).collect())
            .collect(),
        bias: (0..n).map(|_| rng.gen_range(-1.0..1.0)).collect(),
    }
}

/// A random network of `widths` hidden layers on `d` inputs, with tidy
/// weights (multiples of 1/1024) scaled by `1/sqrt(fan-in)` so deep layers
/// still cut the box. Exact in f64, so both implementations see one network.
pub fn random_net(seed: u64, d: usize, widths: &[usize]) -> Vec<OracleLayer> {
    random_net_of(seed, d, widths, tidy)
}

/// As [`random_net`], but with full-precision weights (uniform f64 in
/// [-1, 1], 53 significant bits), so that products and sums of weights
/// round in f64 and only exact arithmetic gets them right.
pub fn random_net_full(seed: u64, d: usize, widths: &[usize]) -> Vec<OracleLayer> {
    random_net_of(seed, d, widths, |rng| rng.gen_range(-1.0..=1.0))
}

fn random_net_of(
    seed: u64,
    d: usize,
    widths: &[usize],
    mut draw: impl FnMut(&mut StdRng) -> f64,
) -> Vec<OracleLayer> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut inputs = d;
    widths
        .iter()
        .map(|&w| {
            let scale = if inputs >= 16 { 0.25 } else { 0.5 };
            let layer = OracleLayer {
                weight: (0..w)
                    .map(|_| (0..inputs).map(|_| draw(&mut rng) * 2.0 * scale).collect())
                    .collect(),
                bias: (0..w).map(|_| draw(&mut rng) * scale).collect(),
            };
            inputs = w;
            layer
        })
        .collect()
}

/// The network of `a` on the first inputs and `b` on the last ones, side by
/// side (block-diagonal layers; `a` and `b` have the same depth). Its
/// regions in a box are the products of the regions of `a` and of `b` in
/// the matching faces of the box, so it has `|a| · |b|` of them.
pub fn side_by_side(a: &[OracleLayer], b: &[OracleLayer]) -> Vec<OracleLayer> {
    assert_eq!(a.len(), b.len(), "side_by_side: depths differ");
    a.iter()
        .zip(b)
        .map(|(la, lb)| {
            let (ia, ib) = (la.weight[0].len(), lb.weight[0].len());
            let weight = la
                .weight
                .iter()
                .map(|r| r.iter().copied().chain(vec![0.0; ib]).collect())
                .chain(
                    lb.weight
                        .iter()
                        .map(|r| vec![0.0; ia].into_iter().chain(r.iter().copied()).collect()),
                )
                .collect();
            let bias = la.bias.iter().chain(&lb.bias).copied().collect();
            layer(weight, bias)
        })
        .collect()
}

/// A network that, on the square `[−1, 1]²`, holds tests of every kind:
/// neuron [0, 0] (`x + 3`) is on throughout the box (a box test); [0, 1]
/// and [0, 2] (`x`, `y`) cut it; [0, 3] (`x + y − 3`) is off throughout (a
/// box test); in layer 1, neurons [1, 1], [1, 3] and [1, 4] read only
/// [0, 1] and [0, 2], so they are exactly constant on the cell where both
/// are off: −1/4 (off), 1/4 (on) and 0 (off, the zero convention); the
/// others are decided by multipliers or cut, and the cells of layer 1 have
/// boxes tighter than the square (their sides are the cuts at 0).
pub fn every_kind_of_test() -> Vec<OracleLayer> {
    vec![
        layer(
            vec![
                vec![1.0, 0.0],
                vec![1.0, 0.0],
                vec![0.0, 1.0],
                vec![1.0, 1.0],
            ],
            vec![3.0, 0.0, 0.0, -3.0],
        ),
        layer(
            vec![
                vec![0.25, 1.0, -1.0, 0.0],
                vec![0.0, 1.0, 1.0, 0.0],
                vec![0.5, -1.0, -0.5, 1.0],
                vec![0.0, 1.0, 1.0, 0.0],
                vec![0.0, 1.0, -1.0, 0.0],
            ],
            vec![-0.75, -0.25, -1.25, 0.25, 0.0],
        ),
    ]
}
