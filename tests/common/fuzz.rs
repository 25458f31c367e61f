//! Fuzzing helpers: the seed corpus (`tests/fuzz_corpus/`), byte-level
//! mutations of its files, and a proptest runner with a fixed seed and a
//! bounded number of cases (`REGIONWALK_FUZZ_CASES`, `REGIONWALK_FUZZ_SEED`).

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::path::Path;

/// The bytes of the corpus file `name`.
pub fn corpus(name: &str) -> Vec<u8> {
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

pub fn cases() -> u32 {
    std::env::var("REGIONWALK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(160)
}

/// Runs `check` on mutations of the seed files `names`.
pub fn fuzz(names: &[&str], check: impl Fn(&[u8], &str) -> Result<(), TestCaseError>) {
    let seeds: Vec<Vec<u8>> = names.iter().map(|n| corpus(n)).collect();
    let mut runner = runner(cases());
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

/// A runner of `cases` cases drawn from a fixed seed (or
/// `REGIONWALK_FUZZ_SEED`); failures are not written to disk.
pub fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
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
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}
