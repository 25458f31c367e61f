//! Warm starts of the dense simplex: rows added to a solved LP, and a new
//! objective over the same rows, give what a cold solve gives.

mod lp_support;

use lp_support::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regionwalk::lp::{DenseSimplex, LinearProgram, LpEngine, WarmLp};

/// Adding rows one at a time to a warm basis gives what a cold solve of the
/// same rows gives.
#[test]
fn warm_row_additions_match_cold_solves() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let mut warm = WarmLp::new();
    for case in 0..400 {
        let shape = SHAPES[case % SHAPES.len()];
        let k = rng.gen_range(2..7);
        let cell = random_cell(&mut rng, k, shape);
        let full = if case % 2 == 0 {
            chebyshev(&cell, k)
        } else {
            bounding(&cell, k, rng.gen_range(0..k), 1.0)
        };
        let start = full.rows.len() / 2;
        let mut lp = LinearProgram {
            rows: full.rows[..start].to_vec(),
            ..full.clone()
        };
        warm.solve(&lp).unwrap();
        for row in &full.rows[start..] {
            let incremental = warm.add_row(row).unwrap();
            lp.rows.push(row.clone());
            let what = format!("case {case} ({shape:?}), {} rows", lp.rows.len());
            check_certificate(&lp, &warm.dual_outcome(), &what);
            let cold = DenseSimplex.maximise(&lp).unwrap();
            same_answer(&incremental, &cold, &what);
        }
    }
}

/// A new objective over the same rows, solved from the last basis (primal
/// simplex, or a fresh start where the last answer left no feasible vertex),
/// gives what a cold solve gives; its certificate checks. The objectives
/// are those of a bounding box (`±t_i` in turn), then random ones.
#[test]
fn new_objectives_match_cold_solves() {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let mut warm = WarmLp::new();
    let mut tally = Tally::default();
    for case in 0..400 {
        let k = rng.gen_range(2..7);
        let mut lp = if case % 3 == 2 {
            general(&mut rng)
        } else {
            let cell = random_cell(&mut rng, k, SHAPES[case % SHAPES.len()]);
            bounding(&cell, k, 0, 1.0)
        };
        let n = lp.objective.len();
        warm.solve(&lp).unwrap();
        let mut objectives: Vec<Vec<f64>> = (0..2 * n)
            .map(|e| {
                let mut c = vec![0.0; n];
                c[e / 2] = if e % 2 == 0 { -1.0 } else { 1.0 };
                c
            })
            .collect();
        objectives.extend((0..3).map(|_| (0..n).map(|_| rng.gen_range(-1.0..1.0)).collect()));
        for (e, objective) in objectives.into_iter().enumerate() {
            let incremental = warm.set_objective(&objective).unwrap();
            lp.objective = objective;
            let what = format!("case {case}, objective {e}: {lp:?}");
            check_certificate(&lp, &warm.dual_outcome(), &what);
            same_answer(&incremental, &DenseSimplex.maximise(&lp).unwrap(), &what);
            tally.add(cross_check(&lp, &what));
        }
    }
    tally.finish();
}
