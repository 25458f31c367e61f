//! `count --estimate PROBES`: Knuth's estimate of the count from random
//! paths down the walk's tree. Lines in general position have exactly
//! 1 + n + C(n, 2) regions (Zaslavsky): the independent answer the estimate
//! must come near. The estimate does not depend on the thread count.

mod common;

use common::cli::{json_of, lcg_model, run};

/// How far, in standard errors, the estimate may be from the true count.
/// The estimator is unbiased and its mean over 4000 probes close to normal,
/// so 4 standard errors fail by chance about once in 16,000 seeds; the seed
/// is fixed, so the test is deterministic.
const SIGMAS: f64 = 4.0;

#[test]
fn the_estimate_comes_near_zaslavskys_count_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let n = 30;
    let model = lcg_model(dir.path(), "lines.json", &[n], 3);
    let zaslavsky = (1 + n + n * (n - 1) / 2) as f64;
    let estimate = |threads: &str| {
        json_of(&run(&[
            "count",
            &model,
            "--whole",
            "--estimate",
            "4000",
            "--json",
            "--threads",
            threads,
        ]))["estimate"]
            .clone()
    };
    let one = estimate("1");
    assert_eq!(one, estimate("2"), "the estimate depends on the threads");
    let (regions, se) = (
        one["regions"].as_f64().unwrap(),
        one["std_error"].as_f64().unwrap(),
    );
    assert_eq!(one["probes"], 4000);
    assert!(se > 0.0 && se < zaslavsky / 5.0, "{one}");
    assert!(
        (regions - zaslavsky).abs() <= SIGMAS * se,
        "estimate {regions} ± {se}, Zaslavsky {zaslavsky}"
    );
}
