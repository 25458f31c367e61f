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

mod common;

use common::fuzz::{corpus, fuzz};
use proptest::prelude::*;
use regionwalk::{
    parse_json_model, parse_nnet_model, parse_onnx_model, parse_vnnlib_box, read_points,
    read_region_file, verify_certificate, CheckLimits, Domain, Network,
};
use std::path::{Path, PathBuf};

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
