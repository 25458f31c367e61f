//! A Monte Carlo estimate of a convex polytope's volume, accurate relative
//! to its own size however small it is.
//!
//! 1. **Rounding.** A short hit-and-run walk from a point inside (R. L.
//!    Smith, "Efficient Monte Carlo procedures for generating points
//!    uniformly distributed over bounded regions", Operations Research 32,
//!    1984) gives the covariance of the body's shape; its eigenvectors
//!    (Jacobi's method) are a frame in which a thin slanted sliver is thin
//!    along an axis. This is the rounding step of volume algorithms
//!    (Lovász and Vempala), done once and roughly: it only makes the next
//!    step cheaper, and never changes what the estimate converges to.
//! 2. **Enclosing box.** The body's bounding box in that frame, by `2k` LPs,
//!    widened by `BBOX_MARGIN_RELATIVE` so it surely contains the body.
//! 3. **Rejection.** A pilot of [`MC_PILOT_POINTS`] uniform points in the box
//!    estimates the fraction the body fills; a fresh sample sized for
//!    [`MC_TARGET_HITS`] hits (at most [`MC_MAX_POINTS`]) gives the estimate
//!    `box volume · hits / points`, unbiased (the sample size depends on the
//!    pilot only), with the 95% Wilson interval of the fill.
//!
//! # Complexity
//! `O(k² · m k)` for the walk (`m` rows), `2k` LPs, and `O(points · m k)`
//! for the rejection sample.

use crate::domain::half_space::HalfSpace;
use crate::lp::LpEngine;
use crate::model::affine::dot;
use crate::sample::error::{SampleError, SampleInputError};
use crate::sample::uniform_sampler::{uniform_in, widen};
use crate::walk::space::{bounding_box, BoxOutcome};
use rand_chacha::ChaCha12Rng;

/// Points of the pilot sample that estimates how much of its box a body
/// fills.
///
/// Why 1024: a body filling 5% of its box shows about 50 hits, so the main
/// sample is sized to within about 15%; cheap next to the box's LPs.
pub const MC_PILOT_POINTS: u64 = 1024;

/// The main sample is sized to hit the body about this often.
///
/// Why 100: the relative standard error of a fill `f` estimated from `h`
/// hits is about `sqrt((1 − f) / h)`, at most 10% for `h = 100`. An expected
/// count of distinct patterns sums many regions whose errors are
/// independent, so its own relative error is far smaller (on ACAS Xu N1,1,
/// 72k regions in 5-D, the fractions sum to 1 within 1e-4). A region's 95%
/// interval is then about ±20%. In 5-D a region fills about 1% of even its
/// rounded box, so 100 hits already take some 10^4 points per region: 400
/// (5%) took 8 minutes on ACAS Xu, 100 a quarter of that.
pub const MC_TARGET_HITS: u64 = 100;

/// The main sample has at most this many points.
///
/// Why `2^16`: it bounds the cost of a body that fills very little of its
/// box even after rounding (below `100 / 2^16 ≈ 0.15%`). Its estimate then
/// rests on fewer hits, and its interval, which the report shows, is wider.
pub const MC_MAX_POINTS: u64 = 1 << 16;

/// Hit-and-run steps of the rounding walk, per squared dimension.
///
/// Why 40: a covariance in `k` dimensions needs some multiple of `k²`
/// roughly independent points; 40 `k²` steps (1000 in 5-D) find the thin
/// directions of the slivers met in practice, at a cost below the rejection
/// sample's. A poorer frame only costs more rejected points.
pub const ROUNDING_STEPS_PER_DIM2: usize = 40;

/// The normal quantile of a two-sided 95% interval.
pub const WILSON_Z: f64 = 1.959_963_984_540_054;

/// A volume estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct McEstimate {
    /// The estimate.
    pub(crate) volume: f64,
    /// Its 95% interval.
    pub(crate) ci95: [f64; 2],
    /// Points of the main sample.
    pub(crate) points: u64,
    /// Hits among them.
    pub(crate) hits: u64,
}

/// The 95% Wilson score interval of a proportion from `hits` of `n`
/// (E. B. Wilson, JASA 22, 1927).
pub fn wilson(hits: u64, n: u64) -> (f64, f64) {
    let (h, n) = (hits as f64, n as f64);
    let f = h / n;
    let z2 = WILSON_Z * WILSON_Z;
    let centre = (f + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = WILSON_Z / (1.0 + z2 / n) * (f * (1.0 - f) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A standard normal number (Box–Muller).
fn normal(rng: &mut ChaCha12Rng) -> f64 {
    let u = uniform_in(rng, 0.0, 1.0);
    let v = uniform_in(rng, 0.0, 1.0);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// The eigenvectors of a symmetric matrix, as the columns of the returned
/// row-major matrix, by cyclic Jacobi rotations.
fn eigenvectors(mut a: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let k = a.len();
    let mut v: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _sweep in 0..50 {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let diag: f64 = (0..k).map(|i| a[i][i] * a[i][i]).sum();
        if off <= 1e-30 * diag || off == 0.0 {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                // signum(0) is 1 in Rust: a 45° rotation when the diagonal is equal.
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (arp, arq) = (row[p], row[q]);
                    row[p] = c * arp - s * arq;
                    row[q] = s * arp + c * arq;
                }
                let (row_p, row_q) = (a[p].clone(), a[q].clone());
                for (r, (apr, aqr)) in row_p.into_iter().zip(row_q).enumerate() {
                    a[p][r] = c * apr - s * aqr;
                    a[q][r] = s * apr + c * aqr;
                }
                for row in v.iter_mut() {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
    }
    v
}

/// The principal frame of the body `rows` (columns of the returned matrix)
/// from a hit-and-run walk started at `start`, or `None` if `start` is not
/// strictly inside or the walk cannot move.
fn principal_frame(
    rows: &[HalfSpace],
    start: &[f64],
    rng: &mut ChaCha12Rng,
) -> Option<Vec<Vec<f64>>> {
    let k = start.len();
    if !rows.iter().all(|r| dot(&r.a, start) < r.b) {
        return None;
    }
    let steps = ROUNDING_STEPS_PER_DIM2 * k * k;
    let mut x = start.to_vec();
    let mut mean = vec![0.0; k];
    let mut second = vec![vec![0.0; k]; k];
    let mut moved = 0usize;
    for _ in 0..steps {
        let mut u: Vec<f64> = (0..k).map(|_| normal(rng)).collect();
        let n = dot(&u, &u).sqrt();
        u.iter_mut().for_each(|v| *v /= n);
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        for r in rows {
            let (slack, c) = (r.b - dot(&r.a, &x), dot(&r.a, &u));
            if c > 0.0 {
                hi = hi.min(slack / c);
            } else if c < 0.0 {
                lo = lo.max(slack / c);
            }
        }
        if !(lo < hi && lo.is_finite() && hi.is_finite()) {
            continue;
        }
        let step = uniform_in(rng, lo, hi);
        let next: Vec<f64> = x.iter().zip(&u).map(|(a, b)| a + step * b).collect();
        if !rows.iter().all(|r| dot(&r.a, &next) < r.b) {
            continue;
        }
        x = next;
        moved += 1;
        for i in 0..k {
            mean[i] += x[i];
            for j in 0..k {
                second[i][j] += x[i] * x[j];
            }
        }
    }
    if moved < 2 * k {
        return None;
    }
    let m = moved as f64;
    let cov: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| second[i][j] / m - (mean[i] / m) * (mean[j] / m))
                .collect()
        })
        .collect();
    if cov.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    Some(eigenvectors(cov))
}

/// Estimates the volume of `{t ∈ R^dim : a·t < b for every row}` (bounded)
/// as the module doc says; `start`, a point inside, seeds the rounding.
pub(crate) fn mc_volume(
    rows: &[HalfSpace],
    dim: usize,
    start: Option<&[f64]>,
    engine: &dyn LpEngine,
    rng: &mut ChaCha12Rng,
    target_hits: u64,
    max_points: u64,
) -> Result<McEstimate, SampleError> {
    // Rows in the frame's coordinates y (t = Q y, so a·t = (Qᵀa)·y).
    let frame = start.and_then(|s| principal_frame(rows, s, rng));
    let rows: Vec<HalfSpace> = match &frame {
        Some(q) => rows
            .iter()
            .map(|r| HalfSpace {
                a: (0..dim)
                    .map(|j| (0..dim).map(|i| q[i][j] * r.a[i]).sum())
                    .collect(),
                b: r.b,
            })
            .collect(),
        None => rows.to_vec(),
    };
    let bbox: Vec<(f64, f64)> = match bounding_box(engine, dim, &rows)? {
        BoxOutcome::Bounded(b) => b.into_iter().map(|(l, h)| widen(l, h)).collect(),
        // The LP found the closed body empty: thinner than its noise.
        BoxOutcome::Empty => {
            return Ok(McEstimate {
                volume: 0.0,
                ci95: [0.0, 0.0],
                points: 0,
                hits: 0,
            })
        }
        BoxOutcome::Unbounded => {
            return Err(SampleInputError::Unbounded {
                what: "a region".into(),
                hint: String::new(),
            }
            .into())
        }
    };
    let box_volume: f64 = bbox.iter().map(|(l, h)| h - l).product();
    let mut point = vec![0.0; dim];
    // The rows in the order they are tested: a row that rejects a point
    // moves to the front, so most misses are found by the first test or two
    // (the outcome does not depend on the order, only the time).
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut hits_in = |rng: &mut ChaCha12Rng, n: u64| -> u64 {
        let mut hits = 0;
        for _ in 0..n {
            for (x, &(l, h)) in point.iter_mut().zip(&bbox) {
                *x = uniform_in(rng, l, h);
            }
            match order
                .iter()
                .position(|&j| dot(&rows[j].a, &point) >= rows[j].b)
            {
                None => hits += 1,
                Some(0) => {}
                Some(i) => order[..=i].rotate_right(1),
            }
        }
        hits
    };
    let pilot = hits_in(rng, MC_PILOT_POINTS);
    let points = if pilot == 0 {
        max_points
    } else {
        (target_hits * MC_PILOT_POINTS)
            .div_ceil(pilot)
            .clamp(MC_PILOT_POINTS, max_points)
    };
    let hits = hits_in(rng, points);
    let (lo, hi) = wilson(hits, points);
    Ok(McEstimate {
        volume: box_volume * hits as f64 / points as f64,
        ci95: [box_volume * lo, box_volume * hi],
        points,
        hits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::GoodLpMicrolp;
    use crate::sample::uniform_sampler::seeded_rng;

    #[test]
    fn wilson_interval_by_hand() {
        // 50 of 100 (z² = 3.8415): centre (0.5 + 0.0192) / 1.0384 = 0.5,
        // half-width 1.96 / 1.0384 · sqrt(0.0025 + 0.000096) = 0.0962, by hand.
        let (lo, hi) = wilson(50, 100);
        assert!(
            (lo - 0.4038).abs() < 1e-4 && (hi - 0.5962).abs() < 1e-4,
            "{lo} {hi}"
        );
        // 0 of 10: centre 0.1921 / 1.3842 = 0.1388, half-width the same.
        let (lo, hi) = wilson(0, 10);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 1e-4, "{hi}");
    }

    #[test]
    fn jacobi_diagonalises() {
        let a = vec![
            vec![4.0, 1.0, 0.5],
            vec![1.0, 3.0, 0.2],
            vec![0.5, 0.2, 1.0],
        ];
        let v = eigenvectors(a.clone());
        // Vᵀ A V is diagonal and V is orthogonal.
        for p in 0..3 {
            for q in 0..3 {
                let vav: f64 = (0..3)
                    .flat_map(|i| (0..3).map(move |j| (i, j)))
                    .map(|(i, j)| v[i][p] * a[i][j] * v[j][q])
                    .sum();
                let vv: f64 = (0..3).map(|i| v[i][p] * v[i][q]).sum();
                if p != q {
                    assert!(vav.abs() < 1e-12, "{p} {q} {vav}");
                }
                assert!((vv - f64::from(u8::from(p == q))).abs() < 1e-12);
            }
        }
    }

    fn half(a: [f64; 3], b: f64) -> HalfSpace {
        HalfSpace { a: a.to_vec(), b }
    }

    #[test]
    fn the_corner_simplex_has_volume_one_sixth() {
        // x, y, z > 0 and x + y + z < 1: volume 1/3! = 1/6.
        let rows = [
            half([-1.0, 0.0, 0.0], 0.0),
            half([0.0, -1.0, 0.0], 0.0),
            half([0.0, 0.0, -1.0], 0.0),
            half([1.0, 1.0, 1.0], 1.0),
        ];
        let mut rng = seeded_rng(5, 1);
        let start = [0.2, 0.2, 0.2];
        let e = mc_volume(
            &rows,
            3,
            Some(&start),
            &GoodLpMicrolp,
            &mut rng,
            MC_TARGET_HITS,
            MC_MAX_POINTS,
        )
        .unwrap();
        // The estimate's standard error is about 10% (100 hits); allow 4 of them.
        assert!((e.volume - 1.0 / 6.0).abs() < 0.4 / 6.0, "{e:?}");
        assert!(
            e.ci95[0] < 1.0 / 6.0 && 1.0 / 6.0 < e.ci95[1] * 1.3,
            "{e:?}"
        );
    }

    #[test]
    fn rounding_makes_a_slanted_sliver_fill_its_box() {
        // |u·t| < 1e-3, |v·t| < 1, |w·t| < 1 for the orthonormal frame
        // u = (1, 1, 1)/√3, v = (1, −1, 0)/√2, w = (1, 1, −2)/√6: a slab of
        // volume 2e-3 · 2 · 2 = 8e-3 lying across the diagonal, which fills
        // well under 1% of its axis-aligned bounding box.
        let (s3, s2, s6) = (3f64.sqrt(), 2f64.sqrt(), 6f64.sqrt());
        let frame = [
            ([1.0 / s3, 1.0 / s3, 1.0 / s3], 1e-3),
            ([1.0 / s2, -1.0 / s2, 0.0], 1.0),
            ([1.0 / s6, 1.0 / s6, -2.0 / s6], 1.0),
        ];
        let rows: Vec<HalfSpace> = frame
            .iter()
            .flat_map(|&(a, b)| [half(a, b), half(a.map(|v| -v), b)])
            .collect();
        let mut rng = seeded_rng(9, 1);
        let e = mc_volume(
            &rows,
            3,
            Some(&[0.0; 3]),
            &GoodLpMicrolp,
            &mut rng,
            MC_TARGET_HITS,
            MC_MAX_POINTS,
        )
        .unwrap();
        assert!((e.volume - 8e-3).abs() < 0.4 * 8e-3, "{e:?}");
        assert!(
            e.hits as f64 > 0.2 * e.points as f64,
            "the rounded box should be mostly body: {e:?}"
        );
    }
}
