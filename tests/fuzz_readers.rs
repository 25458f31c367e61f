//! Property-based fuzzing of every reader: mutations of the real files of
//! `tests/fuzz_corpus/` (bytes flipped, truncated, cut out, duplicated,
//! spliced from another seed, tokens such as huge numbers inserted) must
//! never panic or hang: each reader returns its value or its typed error.
//! One property goes further: a certificate that still verifies after a
//! mutation must prove the true count (the seed certificate's, which the
//! walk and the checker agreed on when the corpus was made).
//!
//! The cases are drawn from a fixed seed, so `cargo test` runs the same
//! ones every time; `REGIONWALK_FUZZ_CASES=N` runs N per reader (default
//! 160), and `REGIONWALK_FUZZ_SEED=S` draws other ones.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use regionwalk::{
    parse_json_model, parse_nnet_model, parse_onnx_model, parse_vnnlib_box, read_points,
    read_region_file, verify_certificate, CheckLimits, Domain, Network,
};
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One change to a file; positions are fractions of its length.
#[derive(Debug, Clone)]
enum Op {
    /// XOR one byte.
    Flip(f64, u8),
    /// Keep only the first part.
    Truncate(f64),
    /// Cut out up to `n` bytes.
    Delete(f64, usize),
    /// Repeat up to `n` bytes in place.
    Duplicate(f64, usize),
    /// Insert up to `n` bytes taken from the donor file at another place.
    Splice(f64, f64, usize),
    /// Insert a token.
    Insert(f64, &'static [u8]),
}

/// Tokens that readers meet at their edges.
const TOKENS: &[&[u8]] = &[
    b"-",
    b"0",
    b"-1",
    b"1e308",
    b"1e999",
    b"-0",
    b"NaN",
    b"inf",
    b"99999999999999999999999",
    b"4294967296",
    b"18446744073709551616",
    b"\"",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b":",
    b"\n",
    b"(",
    b")",
    b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
    b"\x00",
    b"/",
];

fn op() -> impl Strategy<Value = Op> {
    let at = 0.0..1.0f64;
    prop_oneof![
        4 => (at.clone(), 1..=255u8).prop_map(|(p, x)| Op::Flip(p, x)),
        1 => at.clone().prop_map(Op::Truncate),
        2 => (at.clone(), 1..64usize).prop_map(|(p, n)| Op::Delete(p, n)),
        1 => (at.clone(), 1..64usize).prop_map(|(p, n)| Op::Duplicate(p, n)),
        2 => (at.clone(), at.clone(), 1..128usize).prop_map(|(p, q, n)| Op::Splice(p, q, n)),
        3 => (at, proptest::sample::select(TOKENS)).prop_map(|(p, t)| Op::Insert(p, t)),
    ]
}

/// A mutation: which seed, which donor, and one to four changes.
fn mutation(seeds: usize) -> impl Strategy<Value = (usize, usize, Vec<Op>)> {
    (0..seeds, 0..seeds, proptest::collection::vec(op(), 1..=4))
}

fn place(p: f64, len: usize) -> usize {
    ((p * len as f64) as usize).min(len)
}

fn mutate(seed: &[u8], donor: &[u8], ops: &[Op]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for op in ops {
        let len = b.len();
        match *op {
            Op::Flip(p, x) if len > 0 => {
                let i = place(p, len - 1);
                b[i] ^= x;
            }
            Op::Flip(..) => {}
            Op::Truncate(p) => b.truncate(place(p, len)),
            Op::Delete(p, n) => {
                let i = place(p, len);
                b.drain(i..(i + n).min(len));
            }
            Op::Duplicate(p, n) => {
                let i = place(p, len);
                let piece = b[i..(i + n).min(len)].to_vec();
                b.splice(i..i, piece);
            }
            Op::Splice(p, q, n) => {
                let (i, j) = (place(p, len), place(q, donor.len()));
                let piece = donor[j..(j + n).min(donor.len())].to_vec();
                b.splice(i..i, piece);
            }
            Op::Insert(p, t) => {
                let i = place(p, len);
                b.splice(i..i, t.iter().copied());
            }
        }
    }
    b
}

fn cases() -> u32 {
    std::env::var("REGIONWALK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(160)
}

/// Runs `check` on mutations of the seed files `names`.
fn fuzz(names: &[&str], check: impl Fn(&[u8], &str) -> Result<(), TestCaseError>) {
    let seeds: Vec<Vec<u8>> = names.iter().map(|n| corpus(n)).collect();
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    };
    let seed: u64 = std::env::var("REGIONWALK_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261129);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    // Each seed as it is must pass too.
    for (s, name) in seeds.iter().zip(names) {
        check(s, name).unwrap_or_else(|e| panic!("seed {name}: {e}"));
    }
    let result = runner.run(&mutation(seeds.len()), |(s, d, ops)| {
        let bytes = mutate(&seeds[s], &seeds[d], &ops);
        check(&bytes, names[s])
    });
    if let Err(e) = result {
        panic!("{names:?}: {e}");
    }
}

/// A scratch file that a case writes its bytes to, for the readers that
/// take a path.
struct Scratch {
    _dir: tempfile::TempDir,
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Scratch {
            dir: dir.path().to_path_buf(),
            _dir: dir,
        }
    }

    /// Writes `bytes` to a file named `name` and returns its path.
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The corpus network and its domain, the box `[-1, 1]²`, against which
/// its region files and certificates were written.
fn corpus_net() -> (Network, Domain) {
    let net = parse_json_model(&text(&corpus("net.json")), Path::new("net.json")).unwrap();
    let domain = Domain::new_box(vec![(-1.0, 1.0); 2], 2).unwrap();
    (net, domain)
}

const ONNX: &[&str] = &[
    "gemm_transb1.onnx",
    "normalise_sub_div.onnx",
    "conv_batchnorm_pool.onnx",
    "casts_squeezes_transposes.onnx",
    "head_softmax_labels.onnx",
];

#[test]
fn onnx_reader_never_panics() {
    fuzz(ONNX, |bytes, _| {
        let _ = parse_onnx_model(bytes, Path::new("fuzz.onnx"));
        Ok(())
    });
}

#[test]
fn nnet_reader_never_panics() {
    fuzz(&["net.nnet"], |bytes, _| {
        let _ = parse_nnet_model(&text(bytes), Path::new("fuzz.nnet"));
        Ok(())
    });
}

#[test]
fn json_model_reader_never_panics() {
    fuzz(&["net.json"], |bytes, _| {
        let _ = parse_json_model(&text(bytes), Path::new("fuzz.json"));
        Ok(())
    });
}

#[test]
fn vnnlib_reader_never_panics() {
    fuzz(&["box.vnnlib"], |bytes, _| {
        let _ = parse_vnnlib_box(&text(bytes), Path::new("fuzz.vnnlib"));
        Ok(())
    });
}

#[test]
fn polytope_reader_never_panics() {
    let scratch = Scratch::new();
    fuzz(&["polytope.json"], |bytes, _| {
        let _ = Domain::load_polytope(&scratch.write("p.json", bytes));
        Ok(())
    });
}

#[test]
fn points_readers_never_panic() {
    let scratch = Scratch::new();
    fuzz(
        &["points.csv", "points.npy", "points_f32.npy"],
        |bytes, name| {
            let ext = Path::new(name).extension().unwrap().to_str().unwrap();
            let _ = read_points(&scratch.write(&format!("p.{ext}"), bytes), 2);
            Ok(())
        },
    );
}

#[test]
fn region_file_reader_never_panics() {
    let scratch = Scratch::new();
    let (net, domain) = corpus_net();
    fuzz(&["regions.jsonl", "regions.json"], |bytes, name| {
        let _ = read_region_file(&scratch.write(name, bytes), &net, &domain);
        Ok(())
    });
}

/// The certificate checker never panics, and what it verifies has the true
/// count: 34 regions (the seed's, which the walk and the checker agree on).
#[test]
fn a_mutated_certificate_never_verifies_a_wrong_count() {
    let (net, domain) = corpus_net();
    let limits = CheckLimits::default();
    let true_count = 34;
    fuzz(&["net.cert.jsonl"], |bytes, _| {
        if let Ok(v) = verify_certificate(&net, &domain, bytes, &limits) {
            prop_assert!(
                !v.verified || v.regions == true_count,
                "verified {} regions",
                v.regions
            );
        }
        Ok(())
    });
}

#[test]
fn gzip_certificate_reader_never_panics() {
    let scratch = Scratch::new();
    let (net, domain) = corpus_net();
    let limits = CheckLimits::default();
    fuzz(&["net.cert.jsonl.gz"], |bytes, _| {
        let path = scratch.write("c.cert.jsonl.gz", bytes);
        if let Ok(v) = regionwalk::check_certificate(&net, &domain, &path, &limits) {
            prop_assert!(!v.verified || v.regions == 34, "verified {}", v.regions);
        }
        Ok(())
    });
}
