//! The LP engines on the LPs the walk really asks, timed in the same run:
//! each case walks a network once through an engine that records every LP,
//! then every engine solves the recorded set, and the times are reported as
//! µs per LP and as a ratio against the reference engine, good_lp/microlp.
//!
//!     cargo bench --bench lp            # all cases
//!     cargo bench --bench lp -- quick   # the ACAS Xu case only
//!
//! "Hot" times solve each LP right after an untimed solve of the same LP, so
//! its rows are in cache as in the walk (which builds each LP just before
//! solving it); "cold" times stream the whole recorded set from memory.
//!
//! It also checks that the engines agree on every recorded LP (kind of
//! outcome, optimal value), times two warm starts of the dense engine (a row
//! added to the LP without it; a bounding-box LP re-solved from the basis of
//! the one before, over the same rows, with its new objective), and walks
//! each case with the dense engine to compare region counts.

use regionwalk::lp::{
    DenseSimplex, GoodLpMicrolp, LinearProgram, LpEngine, LpOutcome, RowKind, WarmLp,
};
use regionwalk::{load_model, parse_json_model, BoxSpec, Network, WalkOptions, Walker, WorkSpace};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

/// Two engines' optimal values count as equal within this, relative to
/// `1 + |value|`: both work to about `1e-10`, and the walk decides on radii
/// against `1e-8`.
const AGREE: f64 = 1e-7;

/// Each engine solves the recorded set this many times, and the best pass
/// counts (the least disturbed by other work on the machine).
const PASSES: usize = 3;

/// Forwards to the reference engine and keeps every LP it is asked.
struct Recorder {
    lps: Mutex<Vec<LinearProgram>>,
}

impl LpEngine for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    fn maximise(&self, lp: &LinearProgram) -> Result<LpOutcome, regionwalk::LpError> {
        self.lps.lock().unwrap().push(lp.clone());
        GoodLpMicrolp.maximise(lp)
    }
}

fn data_dir() -> PathBuf {
    std::env::var_os("REGIONWALK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// A 2-input network with He-initialised random weights (seeded), like the
/// low-dimensional cases of issue 10.
fn random_2d_network(widths: &[usize]) -> Network {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
    let mut layers = Vec::new();
    let mut fan_in = 2;
    for &w in widths.iter().chain(&[1]) {
        let s = (6.0 / fan_in as f64).sqrt();
        let weight: Vec<Vec<f64>> = (0..w)
            .map(|_| (0..fan_in).map(|_| rng.gen_range(-s..s)).collect())
            .collect();
        let bias: Vec<f64> = (0..w).map(|_| rng.gen_range(-0.1..0.1)).collect();
        layers.push(format!(r#"{{"weight": {weight:?}, "bias": {bias:?}}}"#));
        fan_in = w;
    }
    let json = format!(r#"{{"layers": [{}]}}"#, layers.join(","));
    parse_json_model(&json, "random.json".as_ref()).unwrap()
}

/// Walks `net` over `domain` with `engine` on one thread; returns the
/// region count and the seconds taken.
fn walk(net: &Network, domain: &str, engine: &dyn LpEngine) -> (u64, f64) {
    let domain = BoxSpec::parse(domain)
        .unwrap()
        .resolve(net.input_dim())
        .unwrap();
    let options = WalkOptions {
        facets: true,
        ..WalkOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| {
        let start = Instant::now();
        let space = WorkSpace::new(net, &domain, engine).unwrap();
        let mut n = 0u64;
        Walker::new(&space, engine, options)
            .run(|_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        (n, start.elapsed().as_secs_f64())
    })
}

/// The shape of a recorded LP, for the per-shape lines of the report.
fn shape(lp: &LinearProgram) -> usize {
    if lp.rows.iter().any(|r| r.kind == RowKind::Equal) {
        2
    } else if lp.objective.last() == Some(&1.0) && lp.bounds.last().is_some_and(|b| b.1.is_finite())
    {
        0
    } else {
        1
    }
}
const SHAPES: [&str; 3] = ["Chebyshev", "bounding box", "facet"];

/// µs per LP of one engine.
#[derive(Clone, Copy)]
struct Timing {
    /// Per shape, each LP solved right after an untimed solve of the same
    /// LP: its rows are in cache, as in the walk, which builds each LP just
    /// before solving it.
    hot: [f64; 3],
    /// All shapes, hot.
    hot_all: f64,
    /// All shapes, one solve per LP in a row over the whole set: the rows
    /// come from memory.
    cold_all: f64,
}

/// The best of [`PASSES`] passes for each engine, the engines taking turns
/// so that a change of load on the machine hits both alike.
fn time(lps: &[LinearProgram], engines: &[&dyn LpEngine]) -> Vec<Timing> {
    let worst = Timing {
        hot: [f64::INFINITY; 3],
        hot_all: f64::INFINITY,
        cold_all: f64::INFINITY,
    };
    let mut best = vec![worst; engines.len()];
    let solve = |engine: &dyn LpEngine, lp| {
        std::hint::black_box(engine.maximise(std::hint::black_box(lp)).unwrap());
    };
    for _ in 0..PASSES {
        for (&engine, best) in engines.iter().zip(&mut best) {
            let start = Instant::now();
            for lp in lps {
                solve(engine, lp);
            }
            let cold = start.elapsed().as_secs_f64() * 1e6 / lps.len() as f64;
            best.cold_all = best.cold_all.min(cold);
            let mut per_shape = [0.0; 3];
            let mut counts = [0usize; 3];
            for lp in lps {
                solve(engine, lp);
                let t = Instant::now();
                solve(engine, lp);
                per_shape[shape(lp)] += t.elapsed().as_secs_f64();
                counts[shape(lp)] += 1;
            }
            let all = per_shape.iter().sum::<f64>() * 1e6 / lps.len() as f64;
            best.hot_all = best.hot_all.min(all);
            for s in 0..3 {
                best.hot[s] = best.hot[s].min(per_shape[s] * 1e6 / counts[s].max(1) as f64);
            }
        }
    }
    best
}

/// µs per warm row addition: each LP without its last row is solved cold
/// (untimed), then the row is added (timed).
fn time_warm(lps: &[LinearProgram]) -> f64 {
    let mut warm = WarmLp::new();
    let mut total = 0.0;
    let mut n = 0;
    for lp in lps.iter().filter(|lp| !lp.rows.is_empty()) {
        let (last, rest) = lp.rows.split_last().unwrap();
        let prefix = LinearProgram {
            rows: rest.to_vec(),
            ..lp.clone()
        };
        warm.solve(&prefix).unwrap();
        let t = Instant::now();
        std::hint::black_box(warm.add_row(last).unwrap());
        total += t.elapsed().as_secs_f64();
        n += 1;
    }
    total * 1e6 / n.max(1) as f64
}

/// µs per bounding-box LP when each LP with the rows of the one before is
/// re-solved from its basis with the new objective (the walk asks the `2k`
/// LPs of a cell's box one after the other): cold solves for the first of
/// each run, warm ones for the others; and the share that were warm.
fn time_objective_chains(lps: &[LinearProgram]) -> (f64, f64) {
    let boxes: Vec<&LinearProgram> = lps.iter().filter(|lp| shape(lp) == 1).collect();
    let mut warm = WarmLp::new();
    let (mut total, mut chained) = (0.0, 0);
    let mut previous: Option<&LinearProgram> = None;
    for &lp in &boxes {
        let same_rows = previous.is_some_and(|p| {
            p.rows.len() == lp.rows.len()
                && p.rows
                    .iter()
                    .zip(&lp.rows)
                    .all(|(a, b)| a.coeffs == b.coeffs && a.rhs == b.rhs)
        });
        let t = Instant::now();
        if same_rows {
            std::hint::black_box(warm.set_objective(&lp.objective).unwrap());
            chained += 1;
        } else {
            std::hint::black_box(warm.solve(lp).unwrap());
        }
        total += t.elapsed().as_secs_f64();
        previous = Some(lp);
    }
    let n = boxes.len().max(1) as f64;
    (total * 1e6 / n, chained as f64 / n)
}

/// Disagreements between the engines on the recorded set.
fn disagreements(lps: &[LinearProgram]) -> usize {
    let mut bad = 0;
    for (i, lp) in lps.iter().enumerate() {
        let a = GoodLpMicrolp.maximise(lp).unwrap();
        let b = DenseSimplex.maximise(lp).unwrap();
        let same = match (&a, &b) {
            (LpOutcome::Optimal { value: u, .. }, LpOutcome::Optimal { value: v, .. }) => {
                (u - v).abs() <= AGREE * (1.0 + u.abs())
            }
            _ => std::mem::discriminant(&a) == std::mem::discriminant(&b),
        };
        if !same {
            if bad < 5 {
                println!(
                    "  LP {i} ({}): microlp {a:?}, dense {b:?}",
                    SHAPES[shape(lp)]
                );
            }
            bad += 1;
        }
    }
    bad
}

fn report(name: &str, net: &Network, domain: &str) {
    let recorder = Recorder {
        lps: Mutex::new(Vec::new()),
    };
    let (regions, t_micro) = walk(net, domain, &recorder);
    let lps = recorder.lps.into_inner().unwrap();
    let (dense_regions, t_dense) = walk(net, domain, &DenseSimplex);
    let vars = lps.iter().map(|lp| lp.objective.len()).sum::<usize>() as f64 / lps.len() as f64;
    let rows = lps.iter().map(|lp| lp.rows.len()).sum::<usize>() as f64 / lps.len() as f64;
    let max_rows = lps.iter().map(|lp| lp.rows.len()).max().unwrap_or(0);
    println!("\n{name}: {regions} regions, {} LPs recorded", lps.len());
    println!("  {vars:.1} variables and {rows:.1} rows per LP on average, at most {max_rows} rows");
    let mut counts = [0usize; 3];
    for lp in &lps {
        counts[shape(lp)] += 1;
    }
    let times = time(&lps, &[&GoodLpMicrolp, &DenseSimplex]);
    let (micro, dense) = (times[0], times[1]);
    println!(
        "  µs per LP             {:>16} {:>16}   ratio",
        "good_lp/microlp", "dense-simplex"
    );
    let line = |what: &str, a: f64, b: f64, extra: String| {
        println!("  {what:<21} {a:>16.2} {b:>16.2}   {:.1}x{extra}", a / b)
    };
    line("all, hot", micro.hot_all, dense.hot_all, String::new());
    for s in 0..3 {
        let extra = format!("   ({} LPs)", counts[s]);
        line(
            &format!("{}, hot", SHAPES[s]),
            micro.hot[s],
            dense.hot[s],
            extra,
        );
    }
    line("all, cold", micro.cold_all, dense.cold_all, String::new());
    println!(
        "  warm row addition (dense-simplex): {:.2} µs per LP",
        time_warm(&lps)
    );
    let (chain, share) = time_objective_chains(&lps);
    println!(
        "  bounding box, new objective on the last basis (dense-simplex): {chain:.2} µs per LP ({:.0}% warm)",
        100.0 * share
    );
    let mut warm = WarmLp::new();
    let pivots: usize = lps
        .iter()
        .map(|lp| {
            warm.solve(lp).unwrap();
            warm.pivots()
        })
        .sum();
    println!(
        "  dense-simplex pivots per LP: {:.2}",
        pivots as f64 / lps.len() as f64
    );
    let bad = disagreements(&lps);
    println!("  engines disagree on {bad} of {} LPs", lps.len());
    println!(
        "  walk with facets, 1 thread: microlp {t_micro:.2} s (while recording), dense-simplex {t_dense:.2} s, {dense_regions} regions{}",
        if dense_regions == regions { "" } else { "  <-- COUNTS DIFFER" }
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    println!("regionwalk LP engine benchmark (best of {PASSES} passes)");
    let acas = load_model(
        &data_dir().join("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"),
        None,
    )
    .unwrap();
    report(
        "ACAS Xu N1,1, corner of the property-4 box",
        &acas.network,
        "-0.303531156:-0.3025,-0.009549297:0.009549297,0:0,0.318181818:0.4,0.083333333:0.166666667",
    );
    if !quick {
        report(
            "random 2-input net [32, 32, 32], [-1,1]^2",
            &random_2d_network(&[32, 32, 32]),
            "-1:1,-1:1",
        );
    }
}
