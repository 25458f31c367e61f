//! `regionwalk sample` on the command line: the issue's example, data
//! points against a direct forward-pass tally, reproducibility, boundary
//! points, region files, and bad input. Expected values come from the exact
//! oracle (`tests/common/oracle.rs`), read from the fixture with serde_json.

mod common;

use common::cli::json_model_hidden_layers as hidden_layers;
use common::cli::{fails, json_of, run, stderr};
use common::oracle::{exact, oracle_regions, pattern_at, OracleLayer};
use num_rational::BigRational;
use num_traits::ToPrimitive;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

const FIXTURE: &str = "fixtures/net2d_16x16.json";

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

/// Removes every `seconds` field, the only thing that differs between two
/// runs of one seed.
fn without_seconds(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("seconds");
            m.values_mut().for_each(without_seconds);
        }
        Value::Array(a) => a.iter_mut().for_each(without_seconds),
        _ => {}
    }
}

#[test]
fn the_issue_example_prints_the_comparison() {
    let v = json_of(&run(&[
        "sample",
        FIXTURE,
        "--box=-1:1",
        "--samples",
        "1000",
        "--seed",
        "1",
        "--exact",
        "--json",
    ]));
    let oracle = oracle_regions(&hidden_layers(FIXTURE), &[-1.0, -1.0], &[1.0, 1.0]);
    let r = oracle.len() as u64;
    assert_eq!(v["regions"], r);
    let k = v["distinct_patterns"].as_u64().unwrap();
    assert_eq!(v["regions_found"], k, "no boundary points here");
    assert_eq!(v["points"], 1000);
    // The missed regions and the patterns seen split the oracle's regions.
    let seen: Vec<&str> = v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pattern"].as_str().unwrap())
        .collect();
    let missed = v["missed"].as_array().unwrap();
    assert_eq!(missed.len() as u64, r - k);
    let area: BTreeMap<&str, BigRational> = oracle
        .iter()
        .map(|o| (o.pattern.as_str(), o.measure.clone() / exact(4.0)))
        .collect();
    for m in missed {
        let pattern = m["pattern"].as_str().unwrap();
        assert!(!seen.contains(&pattern), "{pattern} both seen and missed");
        let fraction = BigRational::from_str(m["volume"]["fraction_exact"].as_str().unwrap());
        assert_eq!(fraction.unwrap(), area[pattern], "{pattern}");
        assert_eq!(m["volume"]["method"], "exact");
        assert!(m["radius"].as_f64().unwrap() > 0.0);
    }
    assert!(seen.iter().all(|p| area.contains_key(p)));
    // E[K(1000)] from the oracle's areas.
    let q: Vec<f64> = area
        .values()
        .map(|a| 1.0 - (1.0 - a.to_f64().unwrap()).powi(1000))
        .collect();
    let expected: f64 = q.iter().sum();
    let e = v["expected_distinct"].as_f64().unwrap();
    assert!((e - expected).abs() < 1e-9 * r as f64, "{e} vs {expected}");
    // One sample's K against it: Var K ≤ Σ q (1 − q) (the indicators are
    // negatively correlated; see tests/sampling.rs), and Chebyshev's
    // inequality puts K within 10 standard deviations with probability
    // above 99%.
    let sd = q.iter().map(|q| q * (1.0 - q)).sum::<f64>().sqrt();
    assert!(
        (k as f64 - e).abs() <= 10.0 * sd,
        "K = {k}, E = {e}, sd {sd}"
    );
    let curve = v["curve"].as_array().unwrap();
    let ns: Vec<u64> = curve.iter().map(|c| c["n"].as_u64().unwrap()).collect();
    assert_eq!(ns, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]);
    assert_eq!(curve.last().unwrap()["observed"], k);
    assert_eq!(v["volumes"]["fraction_sum_exact"], "1");
    assert_eq!(v["codes"], "4294967296");
}

/// The points of the hand-made CSV below that lie in [-1, 1]², as exact
/// rationals.
const CSV: &str = "# x, y: a hand-made data set\n\
0.5, 0.5\n\
-0.25,0.75\n\
\n\
0.5 0.5\n\
1.5, 0\n\
-0.9, -0.9\n\
0.1,-0.3\n\
0.1,-0.3\n\
0.7,-0.8\n";

fn csv_points_inside() -> Vec<[f64; 2]> {
    vec![
        [0.5, 0.5],
        [-0.25, 0.75],
        [0.5, 0.5],
        [-0.9, -0.9],
        [0.1, -0.3],
        [0.1, -0.3],
        [0.7, -0.8],
    ]
}

/// Data points per pattern by an exact forward pass of the oracle.
fn tally(layers: &[OracleLayer], points: &[[f64; 2]]) -> BTreeMap<String, u64> {
    let mut t = BTreeMap::new();
    for p in points {
        *t.entry(pattern_at(layers, &[exact(p[0]), exact(p[1])]))
            .or_default() += 1;
    }
    t
}

fn reported_hits(v: &Value) -> BTreeMap<String, u64> {
    v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["pattern"].as_str().unwrap().to_string(),
                p["hits"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn data_points_are_tallied_as_a_forward_pass_does() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(&dir, "data.csv", CSV.as_bytes());
    let v = json_of(&run(&[
        "sample",
        FIXTURE,
        "--box=-1:1",
        "--points",
        &csv,
        "--exact",
        "--json",
    ]));
    let expected = tally(&hidden_layers(FIXTURE), &csv_points_inside());
    assert_eq!(reported_hits(&v), expected);
    assert_eq!(v["source"]["kind"], "file");
    assert_eq!(v["source"]["rows"], 8);
    assert_eq!(v["source"]["outside_domain"], 1, "(1.5, 0) is outside");
    assert_eq!(v["points"], 7);
    assert_eq!(v["used_regions"], expected.len());
    let top = v["top_by_data"].as_array().unwrap();
    assert_eq!(top.len(), expected.len());
    assert_eq!(top[0]["points"], *expected.values().max().unwrap());
    assert!(v["used_fraction_of_codes"].as_f64().unwrap() > 0.0);
    for p in v["patterns"].as_array().unwrap() {
        assert!(p["region"].is_u64(), "every data pattern is a region");
    }
    // The same points as a float64 .npy array, written as the NPY format
    // specification lays it out, give the same tally.
    let values: Vec<f64> = csv_points_inside().into_iter().flatten().collect();
    let mut header = "{'descr': '<f8', 'fortran_order': False, 'shape': (7, 2), }".to_string();
    while !(10 + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    npy.extend((header.len() as u16).to_le_bytes());
    npy.extend(header.bytes());
    npy.extend(values.iter().flat_map(|x| x.to_le_bytes()));
    let npy = write(&dir, "data.npy", &npy);
    let w = json_of(&run(&[
        "sample",
        FIXTURE,
        "--box=-1:1",
        "--points",
        &npy,
        "--json",
    ]));
    assert_eq!(reported_hits(&w), expected);
    assert_eq!(w["source"]["format"], "npy");
}

#[test]
fn a_seed_reproduces_the_run_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let (a_csv, b_csv) = (
        dir.path().join("a.csv").to_str().unwrap().to_string(),
        dir.path().join("b.csv").to_str().unwrap().to_string(),
    );
    let args = |seed: &'static str, csv: &str| {
        run(&[
            "sample",
            FIXTURE,
            "--box=-1:1",
            "--samples",
            "3000",
            "--seed",
            seed,
            "--exact",
            "--json",
            "--csv",
            csv,
        ])
    };
    let mut a = json_of(&args("42", &a_csv));
    let mut b = json_of(&args("42", &b_csv));
    without_seconds(&mut a);
    without_seconds(&mut b);
    assert_eq!(a, b);
    let curve = std::fs::read_to_string(&a_csv).unwrap();
    assert_eq!(curve, std::fs::read_to_string(&b_csv).unwrap());
    assert!(curve.starts_with("n,observed,expected\n1,1,"), "{curve}");
    assert_eq!(curve.lines().count(), 1 + 13, "n = 1, 2, ..., 2048, 3000");
    let mut c = json_of(&args("43", &a_csv));
    without_seconds(&mut c);
    assert_ne!(a["patterns"], c["patterns"], "another seed, other points");
    // The text report is reproducible too (it prints no timings).
    let text = |seed| {
        let out = run(&[
            "sample",
            FIXTURE,
            "--box=-1:1",
            "--samples",
            "500",
            "--seed",
            seed,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let seven = text("7");
    assert!(
        seven.starts_with("500 points, uniform in the box, seed 7\n"),
        "{seven}"
    );
    assert_eq!(seven, text("7"));
}

#[test]
fn boundary_points_are_flagged_and_counted_off() {
    // z_0 = x − y cuts the square (0, 1)² into two regions (patterns 01 and
    // 11); z_1 = x + y is positive on all of it and 0 only at the corner.
    let dir = tempfile::tempdir().unwrap();
    let model = write(
        &dir,
        "cross.json",
        br#"{"layers": [{"weight": [[1, -1], [1, 1]], "bias": [0, 0]},
                        {"weight": [[1, 1]], "bias": [0]}]}"#,
    );
    let points = write(&dir, "p.csv", b"0.25,0.25\n0,0\n0.75,0.25\n");
    let v = json_of(&run(&[
        "sample",
        &model,
        "--box=0:1",
        "--points",
        &points,
        "--exact",
        "--json",
    ]));
    assert_eq!(v["regions"], 2);
    assert_eq!(v["boundary_points"], 2);
    let ex = v["boundary_examples"].as_array().unwrap();
    assert_eq!(ex[0]["origin"], "line 1");
    assert_eq!(ex[0]["pattern"], "01", "z_0 = 0 counts as off");
    assert_eq!(ex[0]["zero_neurons"], serde_json::json!([[0, 0]]));
    assert_eq!(ex[1]["origin"], "line 2");
    assert_eq!(ex[1]["zero_neurons"], serde_json::json!([[0, 0], [0, 1]]));
    // The corner's pattern 00 is no region: listed, and not a failure.
    assert_eq!(
        v["boundary_patterns_not_regions"],
        serde_json::json!(["00"])
    );
    let by: BTreeMap<String, Value> = v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["pattern"].as_str().unwrap().to_string(), p.clone()))
        .collect();
    assert!(by["00"]["region"].is_null());
    assert_eq!(by["01"]["boundary_hits"], 1);
    assert!(by["01"]["region"].is_u64());
    assert_eq!(v["used_regions"], 2);
}

#[test]
fn region_files_compare_like_the_walk_and_a_missing_region_fails_loudly() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json").to_str().unwrap().to_string();
    let jsonl = dir.path().join("r.jsonl").to_str().unwrap().to_string();
    for file in [&json, &jsonl] {
        let out = run(&["enumerate", FIXTURE, "--box=-1:1", "-o", file]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let sample = |extra: &[&str]| {
        let mut args = vec![
            "sample",
            FIXTURE,
            "--box=-1:1",
            "--samples",
            "2000",
            "--seed",
            "5",
            "--json",
        ];
        args.extend(extra);
        run(&args)
    };
    let mut walked = json_of(&sample(&["--exact"]));
    without_seconds(&mut walked);
    for file in [&json, &jsonl] {
        let mut read = json_of(&sample(&["--against", file]));
        without_seconds(&mut read);
        assert_eq!(read["regions_source"], file.as_str());
        for key in [
            "regions",
            "missed",
            "expected_distinct",
            "curve",
            "patterns",
            "milestones",
        ] {
            assert_eq!(read[key], walked[key], "{key} from {file}");
        }
    }
    // Drop the largest region from the JSON Lines file (and fix the summary):
    // the sample hits it, and that proves the file incomplete.
    let text = std::fs::read_to_string(&jsonl).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let largest = lines
        .iter()
        .filter(|l| l["type"] == "region")
        .max_by(|a, b| {
            a["radius"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["radius"].as_f64().unwrap())
        })
        .unwrap()
        .clone();
    let kept: Vec<String> = lines
        .iter()
        .filter(|l| **l != largest)
        .map(|l| {
            let mut l = l.clone();
            if l["type"] == "summary" {
                l["regions"] = (l["regions"].as_u64().unwrap() - 1).into();
            }
            l.to_string()
        })
        .collect();
    let cut = write(&dir, "cut.jsonl", (kept.join("\n") + "\n").as_bytes());
    let out = sample(&["--against", &cut]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the enumeration is incomplete"), "{err}");
    assert!(err.contains(largest["pattern"].as_str().unwrap()), "{err}");
    assert!(err.contains("sample "), "{err}");
    // A region file of another domain is bad input.
    let other = dir.path().join("o.json").to_str().unwrap().to_string();
    assert!(run(&["enumerate", FIXTURE, "--box=0:1", "-o", &other])
        .status
        .success());
    fails(
        &[
            "sample",
            FIXTURE,
            "--box=-1:1",
            "--samples",
            "10",
            "--against",
            &other,
        ],
        2,
        "domain",
    );
}

#[test]
fn a_polytope_is_sampled_by_rejection_and_measured_exactly() {
    // The triangle x ≥ −1, y ≥ −1, x + y ≤ 0: area 2, half its bounding box.
    let dir = tempfile::tempdir().unwrap();
    let tri = write(
        &dir,
        "tri.json",
        br#"{"A": [[-1, 0], [0, -1], [1, 1]], "b": [1, 1, 0]}"#,
    );
    let v = json_of(&run(&[
        "sample",
        FIXTURE,
        "--polytope",
        &tri,
        "--samples",
        "4000",
        "--seed",
        "2",
        "--exact",
        "--json",
    ]));
    assert_eq!(v["source"]["method"], "rejection_from_bounding_box");
    // Acceptance 1/2 (less a hair for the widened box): 4000 points need
    // about 8000 proposals, with a standard deviation of sqrt(8000) ≈ 89.
    let proposals = v["source"]["proposals"].as_f64().unwrap();
    assert!((proposals - 8000.0).abs() < 6.0 * 89.0, "{proposals}");
    assert_eq!(v["volumes"]["domain_volume_exact"], "2");
    assert_eq!(v["volumes"]["fraction_sum_exact"], "1");
}

#[test]
fn bad_input_exits_2_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let points = |name: &str, text: &[u8]| -> String { write(&dir, name, text) };
    let sample_points = |file: &str| -> Vec<String> {
        ["sample", FIXTURE, "--box=-1:1", "--points", file]
            .map(String::from)
            .to_vec()
    };
    let check = |file: String, needle: &str| {
        let args = sample_points(&file);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(&args, 2, needle);
    };
    check(
        points("wide.csv", b"0.1,0.2\n0.3,0.4\n0.5\n"),
        "line 3: 1 values",
    );
    check(
        points("nan.csv", b"0.1,0.2\nNaN,0.4\n"),
        "line 2: value NaN (column 0) is not finite",
    );
    check(points("word.csv", b"0.1,0.2\n\n0.3,zero\n"), "line 3");
    check(points("empty.csv", b""), "no points");
    check(points("comment.csv", b"# nothing here\n"), "no points");
    check(points("ints.npy", b"\x93NUMPY\x01\x00\x46\x00{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }                    \n"), "<i8");
    check("no/such/points.csv".into(), "no/such/points.csv");
    fails(
        &["sample", FIXTURE, "--whole", "--samples", "10"],
        2,
        "--box",
    );
    let data = points("d.csv", b"0.5,-2\n1,3\n");
    fails(
        &["sample", FIXTURE, "--whole", "--points", &data],
        2,
        "--box=0.5:1,-2:3",
    );
    fails(
        &["sample", FIXTURE, "--box=-1:1", "--samples", "0"],
        2,
        "at least 1",
    );
    fails(&["sample", FIXTURE, "--box=-1:1"], 2, "--samples");
}

#[test]
fn a_region_file_of_another_model_of_the_same_shape_is_caught_by_the_sample() {
    // Region files hold the model's shape, not its weights, so a file of
    // another model with the same widths is read. The fixture with its first
    // neuron negated (row and bias) is that other model; at a point where its
    // pattern (by the oracle's exact forward pass) is none of the fixture's
    // regions (by the oracle), the run stops: exit 1, as for an incomplete
    // enumeration, naming that point (line 1 of the point file) and pattern.
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
            .unwrap();
    let mut model: Value = serde_json::from_str(&text).unwrap();
    let first = &mut model["layers"][0];
    for w in first["weight"][0].as_array_mut().unwrap() {
        *w = (-w.as_f64().unwrap()).into();
    }
    first["bias"][0] = (-first["bias"][0].as_f64().unwrap()).into();
    let other = write(&dir, "other.json", model.to_string().as_bytes());
    let fixture: std::collections::BTreeSet<String> =
        oracle_regions(&hidden_layers(FIXTURE), &[-1.0, -1.0], &[1.0, 1.0])
            .into_iter()
            .map(|r| r.pattern)
            .collect();
    let other_layers = hidden_layers(&other);
    let (point, pattern) = (-7..=7)
        .flat_map(|i| (-7..=7).map(move |j| [i as f64 / 8.0, j as f64 / 8.0]))
        .map(|p| (p, pattern_at(&other_layers, &[exact(p[0]), exact(p[1])])))
        .find(|(_, pattern)| !fixture.contains(pattern))
        .expect("a point where the two models differ");
    let points = write(
        &dir,
        "p.csv",
        format!("{},{}\n", point[0], point[1]).as_bytes(),
    );
    let file = dir.path().join("fixture.json");
    let file = file.to_str().unwrap();
    assert!(run(&["enumerate", FIXTURE, "--box=-1:1", "-o", file])
        .status
        .success());
    let out = run(&[
        "sample",
        &other,
        "--box=-1:1",
        "--points",
        &points,
        "--against",
        file,
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "the enumeration is incomplete: line 1 at [{}, {}] has pattern {pattern}",
            point[0], point[1]
        )),
        "{err}"
    );
}
