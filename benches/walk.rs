//! Benchmarks of the walk on real networks, reported as ratios against a
//! baseline measured in the same run (absolute times depend on the machine).
//!
//!     cargo bench --bench walk            # all cases
//!     cargo bench --bench walk -- quick   # the small case only
//!
//! Baselines: the walk without per-cell box tightening, and one thread.

use regionwalk::{load_model, BoxSpec, GoodLpMicrolp, WalkOptions, WalkStats, Walker, WorkSpace};
use std::path::PathBuf;
use std::time::Instant;

struct Case {
    name: &'static str,
    model: &'static str,
    domain: &'static str,
    quick: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "ACAS Xu N1,1, corner of the property-4 box",
        model: "acasxu/ACASXU_run2a_1_1_batch_2000.onnx",
        domain: "-0.303531156:-0.3025,-0.009549297:0.009549297,0:0,0.318181818:0.4,0.083333333:0.166666667",
        quick: true,
    },
    Case {
        name: "ACAS Xu N1,1, property-4 box",
        model: "acasxu/ACASXU_run2a_1_1_batch_2000.onnx",
        domain: "-0.303531156:-0.298552812,-0.009549297:0.009549297,0.0:0.0,0.318181818:0.5,0.083333333:0.166666667",
        quick: false,
    },
    Case {
        name: "ACAS Xu N1,1, property-3 box",
        model: "acasxu/ACASXU_run2a_1_1_batch_2000.onnx",
        domain: "-0.303531156:-0.298552812,-0.009549297:0.009549297,0.493380324:0.5,0.3:0.5,0.3:0.5",
        quick: false,
    },
];

fn data_dir() -> PathBuf {
    std::env::var_os("REGIONWALK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// Counts the regions; returns (regions, stats, seconds).
fn run(space: &WorkSpace, options: WalkOptions, threads: usize) -> (u64, WalkStats, f64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let start = Instant::now();
        let mut n = 0u64;
        let stats = Walker::new(space, &GoodLpMicrolp, options)
            .run(|_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        (n, stats, start.elapsed().as_secs_f64())
    })
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("regionwalk walk benchmark ({cores} cores)");
    for case in CASES.iter().filter(|c| c.quick || !quick) {
        let model = load_model(&data_dir().join(case.model), None).unwrap();
        let domain = BoxSpec::parse(case.domain)
            .unwrap()
            .resolve(model.network.input_dim())
            .unwrap();
        let space = WorkSpace::new(&model.network, &domain, &GoodLpMicrolp).unwrap();
        let plain = WalkOptions {
            tighten_boxes: false,
            ..WalkOptions::default()
        };
        let (n0, s0, t0) = run(&space, plain, 1);
        let (n1, s1, t1) = run(&space, WalkOptions::default(), 1);
        let (n2, _, t2) = run(&space, WalkOptions::default(), cores);
        assert!(n0 == n1 && n1 == n2, "counts differ: {n0} {n1} {n2}");
        println!("\n{} : {n1} regions", case.name);
        println!(
            "  baseline (no box tightening, 1 thread): {t0:8.2} s, {:>8} LPs",
            s0.lp_solves
        );
        println!(
            "  box tightening, 1 thread:                {t1:8.2} s, {:>8} LPs   {:.2}x faster than baseline",
            s1.lp_solves,
            t0 / t1
        );
        println!(
            "  box tightening, {cores} threads:               {t2:8.2} s                 {:.2}x faster than 1 thread",
            t1 / t2
        );
    }
}
