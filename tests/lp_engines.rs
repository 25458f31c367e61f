//! The dense dual simplex against the reference engine (good_lp/microlp) on
//! many seeded random LPs of the shapes the walk makes, degenerate ones
//! included, and against its own certificates: every optimum is checked for
//! primal feasibility, dual feasibility and equal primal and dual values;
//! every infeasibility by its Farkas combination; every unboundedness by its
//! ray. Those checks use the LP only, not either engine's bookkeeping.

mod lp_support;

use lp_support::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regionwalk::lp::{DenseSimplex, LpEngine, WarmLp};

#[test]
fn walk_shaped_lps_agree_with_microlp_and_their_certificates() {
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let mut tally = Tally::default();
    for case in 0..1200 {
        let shape = SHAPES[case % SHAPES.len()];
        let k = if case % 5 == 0 {
            rng.gen_range(6..17)
        } else {
            rng.gen_range(2..6)
        };
        let cell = random_cell(&mut rng, k, shape);
        let what = format!("case {case} ({shape:?}, k = {k}, {} rows)", cell.len());
        tally.add(cross_check(
            &chebyshev(&cell, k),
            &format!("{what}, Chebyshev"),
        ));
        let i = rng.gen_range(0..k);
        for sign in [1.0, -1.0] {
            tally.add(cross_check(
                &bounding(&cell, k, i, sign),
                &format!("{what}, box {sign} t{i}"),
            ));
        }
        if !cell.is_empty() {
            let j = rng.gen_range(0..cell.len());
            tally.add(cross_check(
                &facet(&cell, k, j),
                &format!("{what}, facet {j}"),
            ));
        }
    }
    tally.finish();
}

#[test]
fn general_lps_with_bounds_and_equalities_agree() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut tally = Tally::default();
    for case in 0..2000 {
        let lp = general(&mut rng);
        tally.add(cross_check(&lp, &format!("general case {case}: {lp:?}")));
    }
    tally.finish();
}

/// Cells with hundreds of rows, rows scaled by factors from 1/100 to 100,
/// and rows through one vertex moved off it by rounding-sized amounts.
#[test]
fn large_scaled_and_nearly_degenerate_cells_agree() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let mut tally = Tally::default();
    for case in 0..150 {
        let k = rng.gen_range(2..17);
        let mut cell = if case % 2 == 0 {
            unit_box(k)
        } else {
            Vec::new()
        };
        let anchor = point(&mut rng, k);
        for _ in 0..rng.gen_range(50..300) {
            let p = point(&mut rng, k);
            cell.push(cut_keeping(&mut rng, &p, &anchor));
        }
        let v = point(&mut rng, k);
        for _ in 0..2 * k {
            let (a, b) = cut_keeping(&mut rng, &v, &anchor);
            cell.push((a, b + rng.gen_range(-1e-13..1e-13)));
        }
        for (a, b) in &mut cell {
            let f = 10f64.powf(rng.gen_range(-2.0..2.0));
            a.iter_mut().for_each(|x| *x *= f);
            *b *= f;
        }
        let what = format!("case {case} (k = {k}, {} rows)", cell.len());
        tally.add(cross_check(
            &chebyshev(&cell, k),
            &format!("{what}, Chebyshev"),
        ));
        let i = rng.gen_range(0..k);
        tally.add(cross_check(
            &bounding(&cell, k, i, 1.0),
            &format!("{what}, box t{i}"),
        ));
        let j = rng.gen_range(0..cell.len());
        tally.add(cross_check(
            &facet(&cell, k, j),
            &format!("{what}, facet {j}"),
        ));
    }
    eprintln!("{tally:?}");
}

/// Bland's rule from the first pivot (the anti-cycling fallback) gives the
/// same answers, with valid certificates.
#[test]
fn blands_rule_alone_gives_the_same_answers() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let mut bland = WarmLp::new();
    bland.set_bland(true);
    for case in 0..600 {
        let k = rng.gen_range(2..7);
        let cell = random_cell(&mut rng, k, SHAPES[case % SHAPES.len()]);
        let lp = match case % 4 {
            0 => chebyshev(&cell, k),
            1 if !cell.is_empty() => facet(&cell, k, rng.gen_range(0..cell.len())),
            2 => general(&mut rng),
            _ => bounding(&cell, k, rng.gen_range(0..k), -1.0),
        };
        let what = format!("case {case}: {lp:?}");
        let slow = bland.solve(&lp).unwrap();
        check_certificate(&lp, &bland.dual_outcome(), &what);
        same_answer(&slow, &DenseSimplex.maximise(&lp).unwrap(), &what);
    }
}

/// A zero objective makes every multiplier zero and so every pivot
/// degenerate: on feasibility LPs with hundreds of rows the simplex must
/// switch to Bland's rule, and still answer right.
#[test]
fn degenerate_runs_switch_to_blands_rule_and_still_agree() {
    let mut rng = ChaCha8Rng::seed_from_u64(15);
    let mut warm = WarmLp::new();
    let (mut switched, mut tally) = (0, Tally::default());
    for case in 0..100 {
        let k = rng.gen_range(8..17);
        let mut cell = if case % 2 == 0 {
            unit_box(k)
        } else {
            Vec::new()
        };
        let anchor = point(&mut rng, k);
        for i in 0..300 {
            let p = point(&mut rng, k);
            // A few cuts that may leave `anchor` out make some LPs infeasible.
            cell.push(if case % 3 == 0 && i < 4 {
                cut(&mut rng, &p, &anchor)
            } else {
                cut_keeping(&mut rng, &p, &anchor)
            });
        }
        let mut lp = bounding(&cell, k, 0, 1.0);
        lp.objective = vec![0.0; k];
        warm.solve(&lp).unwrap();
        switched += usize::from(warm.used_bland());
        tally.add(cross_check(&lp, &format!("case {case} (k = {k})")));
    }
    eprintln!("{tally:?}, {switched} switched to Bland's rule");
    assert!(switched > 0 && tally.optimal > 0 && tally.infeasible > 0);
}
