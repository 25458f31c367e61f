//! Warm starts of the dense simplex: rows added to a solved LP, and a new
//! objective over the same rows, give what a cold solve gives.

mod lp_support;

use lp_support::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regionwalk::lp::{BasisRow, DenseSimplex, GoodLpMicrolp, LinearProgram, LpEngine, WarmLp};

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

/// A start from a hint (the final basis of the same LP over fewer rows, as
/// a child cell's LP starts from its parent's) gives what the reference
/// engine gives on the whole LP, and its certificate checks; a hint that
/// does not fit (a row the LP lacks, a row named twice, the basis of
/// another objective) is ignored, with the same answers. The hinted starts
/// must also save pivots on the whole: otherwise the hint is not used.
#[test]
fn starts_from_hints_match_the_reference() {
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    let mut warm = WarmLp::new();
    let (mut hinted_pivots, mut cold_pivots, mut fitted) = (0, 0, 0);
    for case in 0..400 {
        let shape = SHAPES[case % SHAPES.len()];
        let k = rng.gen_range(2..7);
        let cell = random_cell(&mut rng, k, shape);
        let full = match case % 3 {
            0 => chebyshev(&cell, k),
            1 => bounding(&cell, k, rng.gen_range(0..k), 1.0),
            _ => bounding(&cell, k, rng.gen_range(0..k), -1.0),
        };
        let start = full.rows.len() - rng.gen_range(1..4).min(full.rows.len());
        let parent = LinearProgram {
            rows: full.rows[..start].to_vec(),
            ..full.clone()
        };
        warm.solve(&parent).unwrap();
        let mut hint = warm.final_basis();
        let what = format!("case {case} ({shape:?}), {} rows", full.rows.len());
        match case % 4 {
            // A hint naming a row past the LP's, or one row twice.
            1 => {
                if let Some(h) = hint.as_mut() {
                    h.0[0] = BasisRow::Row(full.rows.len() as u32 + 5);
                }
            }
            2 => {
                if let Some(h) = hint.as_mut() {
                    let first = h.0[0];
                    h.0.iter_mut().skip(1).take(1).for_each(|r| *r = first);
                }
            }
            _ => {}
        }
        let hinted = warm.solve_from(&full, hint.as_ref()).unwrap();
        check_certificate(&full, &warm.dual_outcome(), &what);
        cross_check(&full, &what);
        same_answer(&hinted, &GoodLpMicrolp.maximise(&full).unwrap(), &what);
        if hint.is_some() && case % 4 == 0 {
            fitted += 1;
            hinted_pivots += warm.pivots();
            warm.solve(&full).unwrap();
            cold_pivots += warm.pivots();
        }
    }
    eprintln!("{fitted} fitting hints: {hinted_pivots} pivots, cold {cold_pivots}");
    assert!(fitted > 50, "{fitted} fitting hints");
    assert!(
        2 * hinted_pivots < cold_pivots,
        "hinted starts took {hinted_pivots} pivots, cold ones {cold_pivots}"
    );
}

/// A new objective from a hint: each coordinate's minimum and maximum from
/// the final basis of the same objective over fewer rows (a cell's bounding
/// box from its parent's), against the reference engine.
#[test]
fn new_objectives_from_hints_match_the_reference() {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let mut warm = WarmLp::new();
    for case in 0..200 {
        let k = rng.gen_range(2..7);
        let cell = random_cell(&mut rng, k, SHAPES[case % SHAPES.len()]);
        let full = bounding(&cell, k, 0, -1.0);
        let start = full.rows.len() - 2.min(full.rows.len());
        let mut parent = LinearProgram {
            rows: full.rows[..start].to_vec(),
            ..full.clone()
        };
        let mut hints = Vec::new();
        for e in 0..2 * k {
            let mut c = vec![0.0; k];
            c[e / 2] = if e % 2 == 0 { -1.0 } else { 1.0 };
            parent.objective = c;
            warm.solve(&parent).unwrap();
            hints.push((parent.objective.clone(), warm.final_basis()));
        }
        warm.solve(&full).unwrap();
        let mut lp = full.clone();
        for (e, (objective, hint)) in hints.into_iter().enumerate() {
            // Each hint is given to a workspace left at another objective's
            // optimum.
            let answer = warm.set_objective_from(&objective, hint.as_ref()).unwrap();
            lp.objective = objective;
            let what = format!("case {case}, objective {e}");
            check_certificate(&lp, &warm.dual_outcome(), &what);
            same_answer(&answer, &GoodLpMicrolp.maximise(&lp).unwrap(), &what);
        }
        // The basis of the maximum of t_0, given for its minimum: not dual
        // feasible there, so ignored.
        let mut c = vec![0.0; k];
        c[0] = 1.0;
        lp.objective = c;
        warm.solve(&lp).unwrap();
        let wrong = warm.final_basis();
        lp.objective[0] = -1.0;
        let answer = warm
            .set_objective_from(&lp.objective.clone(), wrong.as_ref())
            .unwrap();
        same_answer(
            &answer,
            &GoodLpMicrolp.maximise(&lp).unwrap(),
            &format!("case {case}, wrong hint"),
        );
    }
}
