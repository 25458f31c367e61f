//! What the LP engine tests share: seeded generators of LPs of the shapes
//! the walk makes, a checker of certificates that uses the LP alone, and
//! the cross-check of the two engines.
#![allow(dead_code)]

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use regionwalk::lp::{
    DenseSimplex, DualOutcome, GoodLpMicrolp, LinearProgram, LpDuals, LpEngine, LpOutcome, LpRow,
    RowKind,
};

/// Two engines' optimal values agree, and a certificate identity holds, up
/// to this times the scale of the numbers involved.
///
/// Why `1e-7`: both engines work to about `1e-10` (their primal
/// tolerances); the LPs here have coefficients and points of size up to
/// about 10 and at most a few hundred rows, so sums of products stay well
/// inside `1e-7`. A real disagreement (a wrong vertex, a missed row) is of
/// the size of the data, not of this.
pub const AGREE: f64 = 1e-7;

/// Rows `a·t ≤ b` of a cell in `k` coordinates.
pub type Cell = Vec<(Vec<f64>, f64)>;

pub fn unit(rng: &mut ChaCha8Rng, k: usize) -> Vec<f64> {
    loop {
        let v: Vec<f64> = (0..k).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if n > 0.1 {
            return v.into_iter().map(|x| x / n).collect();
        }
    }
}

pub fn point(rng: &mut ChaCha8Rng, k: usize) -> Vec<f64> {
    (0..k).map(|_| rng.gen_range(-1.0..1.0)).collect()
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A cut through `p` with a random normal, on the side of `anchor` most of
/// the time (so that most cells are not empty, as in the walk).
pub fn cut(rng: &mut ChaCha8Rng, p: &[f64], anchor: &[f64]) -> (Vec<f64>, f64) {
    let a = unit(rng, p.len());
    let b = dot(&a, p);
    if dot(&a, anchor) > b && rng.gen_bool(0.8) {
        (a.iter().map(|x| -x).collect(), -b)
    } else {
        (a, b)
    }
}

/// A cut through `p` with `anchor` always on its side.
pub fn cut_keeping(rng: &mut ChaCha8Rng, p: &[f64], anchor: &[f64]) -> (Vec<f64>, f64) {
    let (a, b) = cut(rng, p, anchor);
    if dot(&a, anchor) > b {
        (a.iter().map(|x| -x).collect(), -b)
    } else {
        (a, b)
    }
}

pub fn unit_box(k: usize) -> Cell {
    let mut rows = Vec::new();
    for i in 0..k {
        for s in [1.0, -1.0] {
            let mut a = vec![0.0; k];
            a[i] = s;
            rows.push((a, 1.0));
        }
    }
    rows
}

/// The kinds of cell the walk meets.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// The box `[-1,1]^k` cut by random hyperplanes.
    Boxed,
    /// Random cuts only: cells may be unbounded.
    Whole,
    /// The box with many rows through one point, duplicated rows and
    /// positive multiples of rows.
    Vertex,
    /// The box cut to a thin slab, then cut at random.
    Thin,
}

pub const SHAPES: [Shape; 4] = [Shape::Boxed, Shape::Whole, Shape::Vertex, Shape::Thin];

pub fn random_cell(rng: &mut ChaCha8Rng, k: usize, shape: Shape) -> Cell {
    let cuts = rng.gen_range(0..4 * k + 4);
    let mut rows = match shape {
        Shape::Whole => Vec::new(),
        _ => unit_box(k),
    };
    let anchor = point(rng, k);
    for _ in 0..cuts {
        let p = point(rng, k);
        rows.push(cut(rng, &p, &anchor));
    }
    match shape {
        Shape::Vertex => {
            let v = point(rng, k);
            for _ in 0..rng.gen_range(k..3 * k + 2) {
                rows.push(cut(rng, &v, &anchor));
            }
            for _ in 0..rng.gen_range(1..4) {
                let (a, b) = rows[rng.gen_range(0..rows.len())].clone();
                let f = if rng.gen_bool(0.5) { 1.0 } else { 2.5 };
                rows.push((a.iter().map(|x| f * x).collect(), f * b));
            }
        }
        Shape::Thin => {
            let a = unit(rng, k);
            let c = rng.gen_range(-0.5..0.5);
            let width = 10f64.powf(rng.gen_range(-6.0..-2.0));
            rows.push((a.clone(), c + width));
            rows.push((a.iter().map(|x| -x).collect(), -c));
        }
        _ => {}
    }
    // Shuffle so that no engine sees the box first.
    for i in (1..rows.len()).rev() {
        rows.swap(i, rng.gen_range(0..=i));
    }
    rows
}

pub fn leq(coeffs: Vec<f64>, rhs: f64) -> LpRow {
    LpRow {
        coeffs,
        kind: RowKind::LessEq,
        rhs,
    }
}

pub fn ball_row(a: &[f64], b: f64) -> LpRow {
    let mut coeffs = a.to_vec();
    coeffs.push(dot(a, a).sqrt());
    leq(coeffs, b)
}

/// The walk's Chebyshev LP (`lp/chebyshev.rs`): max r, `t` free, `r ≤ 1`.
pub fn chebyshev(cell: &Cell, k: usize) -> LinearProgram {
    let mut objective = vec![0.0; k + 1];
    objective[k] = 1.0;
    let mut bounds = vec![(f64::NEG_INFINITY, f64::INFINITY); k + 1];
    bounds[k] = (f64::NEG_INFINITY, 1.0);
    LinearProgram {
        objective,
        bounds,
        rows: cell.iter().map(|(a, b)| ball_row(a, *b)).collect(),
    }
}

/// The walk's bounding-box LP (`walk/space.rs`): max `±t_i`, `t` free.
pub fn bounding(cell: &Cell, k: usize, i: usize, sign: f64) -> LinearProgram {
    let mut objective = vec![0.0; k];
    objective[i] = sign;
    LinearProgram {
        objective,
        bounds: vec![(f64::NEG_INFINITY, f64::INFINITY); k],
        rows: cell.iter().map(|(a, b)| leq(a.clone(), *b)).collect(),
    }
}

/// The walk's facet LP (`graph/facets.rs`): row `j` as an equality, the
/// others with the radius slack, `0 ≤ r ≤ 1`.
pub fn facet(cell: &Cell, k: usize, j: usize) -> LinearProgram {
    let mut lp = chebyshev(cell, k);
    lp.bounds[k] = (0.0, 1.0);
    let mut coeffs = cell[j].0.clone();
    coeffs.push(0.0);
    lp.rows[j] = LpRow {
        coeffs,
        kind: RowKind::Equal,
        rhs: cell[j].1,
    };
    lp
}

/// A general LP: random bounds (free, one-sided, boxed, fixed), `≤` and `=`
/// rows, any objective.
pub fn general(rng: &mut ChaCha8Rng) -> LinearProgram {
    let n = rng.gen_range(1..8);
    // Most rows and bounds hold at `p`, so that not every LP is infeasible.
    let p = point(rng, n);
    let bounds = p
        .iter()
        .map(|&pi| {
            let lo = pi - rng.gen_range(-0.2..2.0);
            let hi = pi + rng.gen_range(-0.2..2.0);
            match rng.gen_range(0..5) {
                0 => (f64::NEG_INFINITY, f64::INFINITY),
                1 => (lo, f64::INFINITY),
                2 => (f64::NEG_INFINITY, hi),
                3 => (pi, pi),
                _ => (lo, hi),
            }
        })
        .collect();
    let rows = (0..rng.gen_range(0..3 * n + 3))
        .map(|_| {
            let coeffs: Vec<f64> = (0..n).map(|_| rng.gen_range(-2.0..2.0)).collect();
            let (kind, slack) = if rng.gen_bool(0.15) {
                (RowKind::Equal, 0.0)
            } else {
                (RowKind::LessEq, rng.gen_range(-0.2..1.5))
            };
            let rhs = dot(&coeffs, &p) + slack;
            LpRow { coeffs, kind, rhs }
        })
        .collect();
    LinearProgram {
        objective: (0..n).map(|_| rng.gen_range(-1.0..1.0)).collect(),
        bounds,
        rows,
    }
}

pub fn scale(lp: &LinearProgram) -> f64 {
    let rows = lp.rows.iter().map(|r| {
        r.coeffs
            .iter()
            .fold(r.rhs.abs(), |m: f64, c| m.max(c.abs()))
    });
    let bounds = lp
        .bounds
        .iter()
        .flat_map(|&(lo, hi)| [lo, hi])
        .filter(|v| v.is_finite())
        .map(f64::abs);
    rows.chain(bounds).fold(1.0, f64::max)
}

pub fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m: f64, x| m.max(x.abs()))
}

/// Checks a certificate against the LP alone; panics with `what` if wrong.
pub fn check_certificate(lp: &LinearProgram, outcome: &DualOutcome, what: &str) {
    let s = scale(lp);
    match outcome {
        DualOutcome::Optimal { x, value, duals } => {
            let tol = AGREE * s * (1.0 + max_abs(x));
            for (j, r) in lp.rows.iter().enumerate() {
                let lhs = dot(&r.coeffs, x);
                let bad = match r.kind {
                    RowKind::LessEq => lhs - r.rhs > tol,
                    RowKind::Equal => (lhs - r.rhs).abs() > tol,
                };
                assert!(!bad, "{what}: row {j} violated by {}", lhs - r.rhs);
            }
            for (i, (&xi, &(lo, hi))) in x.iter().zip(&lp.bounds).enumerate() {
                assert!(xi <= hi + tol && xi >= lo - tol, "{what}: bound {i}");
            }
            assert!((dot(&lp.objective, x) - value).abs() <= tol, "{what}");
            let dtol = AGREE * (1.0 + duals.weight()) * s * (1.0 + max_abs(x));
            assert!(duals.worst_sign(lp) >= -dtol, "{what}: negative multiplier");
            let normal = duals.combined_normal(lp);
            for (g, c) in normal.iter().zip(&lp.objective) {
                assert!((g - c).abs() <= dtol, "{what}: Σλa = {normal:?} ≠ c");
            }
            let dual_value = duals.combined_rhs(lp);
            assert!(
                (dual_value - value).abs() <= dtol,
                "{what}: dual value {dual_value} ≠ primal value {value}"
            );
            for (i, (&(l, u), &(lo, hi))) in duals.bounds.iter().zip(&lp.bounds).enumerate() {
                assert!(
                    (l == 0.0 || lo.is_finite()) && (u == 0.0 || hi.is_finite()),
                    "{what}: weight on an infinite bound of x{i}"
                );
            }
        }
        DualOutcome::Infeasible { farkas } => {
            let weight = farkas.weight();
            assert!(weight > 0.0, "{what}: empty Farkas combination");
            let tol = AGREE * weight * s;
            assert!(farkas.worst_sign(lp) >= -tol, "{what}: negative weight");
            for g in farkas.combined_normal(lp) {
                assert!(g.abs() <= tol, "{what}: Farkas normal not zero");
            }
            let rhs = farkas.combined_rhs(lp);
            assert!(
                rhs < 0.0,
                "{what}: Farkas right-hand side {rhs} not negative"
            );
        }
        DualOutcome::Unbounded { ray } => {
            let tol = AGREE * s * max_abs(ray);
            assert!(
                dot(&lp.objective, ray) > tol,
                "{what}: ray does not improve"
            );
            for r in &lp.rows {
                let d = dot(&r.coeffs, ray);
                match r.kind {
                    RowKind::LessEq => assert!(d <= tol, "{what}: ray leaves a row"),
                    RowKind::Equal => assert!(d.abs() <= tol, "{what}: ray leaves an equality"),
                }
            }
            for (&d, &(lo, hi)) in ray.iter().zip(&lp.bounds) {
                assert!(d <= tol || hi.is_infinite(), "{what}: ray crosses a bound");
                assert!(d >= -tol || lo.is_infinite(), "{what}: ray crosses a bound");
            }
        }
    }
}

/// Solves `lp` with both engines; they must agree, and the certificate must
/// check. Returns the kind of outcome.
pub fn cross_check(lp: &LinearProgram, what: &str) -> &'static str {
    let reference = GoodLpMicrolp.maximise(lp).unwrap();
    let ours = DenseSimplex.maximise_with_duals(lp).unwrap();
    check_certificate(lp, &ours, what);
    let plain = DenseSimplex.maximise(lp).unwrap();
    match (&reference, &ours, &plain) {
        (
            LpOutcome::Optimal { value: v0, .. },
            DualOutcome::Optimal { value: v1, .. },
            LpOutcome::Optimal { value: v2, .. },
        ) => {
            let tol = AGREE * scale(lp) * (1.0 + v0.abs());
            assert!((v0 - v1).abs() <= tol, "{what}: microlp {v0}, dense {v1}");
            assert_eq!(v1, v2, "{what}");
            "optimal"
        }
        (LpOutcome::Infeasible, DualOutcome::Infeasible { .. }, LpOutcome::Infeasible) => {
            "infeasible"
        }
        (LpOutcome::Unbounded, DualOutcome::Unbounded { .. }, LpOutcome::Unbounded) => "unbounded",
        _ => panic!("{what}: microlp {reference:?}, dense {ours:?}"),
    }
}

/// Two answers of the dense engine (warm and cold, or by two pivot rules)
/// are of the same kind, with the same value within [`AGREE`].
pub fn same_answer(a: &LpOutcome, b: &LpOutcome, what: &str) {
    match (a, b) {
        (LpOutcome::Optimal { value: a, .. }, LpOutcome::Optimal { value: b, .. }) => {
            assert!((a - b).abs() <= AGREE * (1.0 + b.abs()), "{what}: {a} {b}")
        }
        (a, b) => assert_eq!(
            std::mem::discriminant(a),
            std::mem::discriminant(b),
            "{what}: {a:?} {b:?}"
        ),
    }
}

#[derive(Default, Debug)]
pub struct Tally {
    pub optimal: usize,
    pub infeasible: usize,
    pub unbounded: usize,
}

impl Tally {
    pub fn add(&mut self, kind: &str) {
        match kind {
            "optimal" => self.optimal += 1,
            "infeasible" => self.infeasible += 1,
            _ => self.unbounded += 1,
        }
    }

    /// Prints the tally; every kind of outcome must have been exercised.
    pub fn finish(&self) {
        eprintln!("{self:?}");
        assert!(self.optimal > 0 && self.infeasible > 0 && self.unbounded > 0);
    }
}
