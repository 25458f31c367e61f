//! The checker reads the domain exactly as given, with no float set-up: a
//! row `0·x ≤ b` is vacuous when `b ≥ 0` and empties the domain when `b < 0`;
//! a polytope thinner than any float tolerance is checked like any other.
//! The certificates are written by hand (`common::certify::abs_certificate`),
//! and the expected verdicts come from the geometry, by hand: `|x_0|` has
//! one breakpoint, `x_0 = 0`, so two regions on any domain it crosses, and
//! none on an empty domain.

mod common;

use common::certify::{abs_certificate, abs_model, abs_network, lines_text};
use common::cli::run;
use regionwalk::{
    verify_certificate, CheckLimits, Domain, RejectionKind, SplitFault, TestFault, Verdict,
};

/// The interval `−1 < x < 1` plus the rows `extra` (`a`, `b`).
fn interval_and(extra: &[(f64, f64)]) -> Domain {
    let mut a = vec![vec![1.0], vec![-1.0]];
    let mut b = vec![1.0, 1.0];
    for &(ea, eb) in extra {
        a.push(vec![ea]);
        b.push(eb);
    }
    Domain::Polytope { a, b }
}

/// The slab `|x − y| ≤ 2^-40` in the square `|x|, |y| ≤ 1`: its Chebyshev
/// radius, 2^-40/√2 ≈ 6.4e-13, is far below the float walk's tolerance.
fn slab(extra: &[(Vec<f64>, f64)]) -> Domain {
    let eps = 2f64.powi(-40);
    let mut a = vec![
        vec![1.0, -1.0],
        vec![-1.0, 1.0],
        vec![1.0, 0.0],
        vec![-1.0, 0.0],
        vec![0.0, 1.0],
        vec![0.0, -1.0],
    ];
    let mut b = vec![eps, eps, 1.0, 1.0, 1.0, 1.0];
    for (ea, eb) in extra {
        a.push(ea.clone());
        b.push(*eb);
    }
    Domain::Polytope { a, b }
}

/// Witnesses on the diagonal, inside the slab on each side of `x = 0`.
const SLAB_OFF: [&str; 2] = ["-1/2", "-1/2"];
const SLAB_ON: [&str; 2] = ["1/2", "1/2"];

fn verdict(domain: &Domain, off: &[&str], on: &[&str]) -> Verdict {
    let net = abs_network(off.len());
    let text = lines_text(&abs_certificate(&net, domain, off, on));
    verify_certificate(&net, domain, text.as_bytes(), &CheckLimits::default()).unwrap()
}

#[test]
fn a_zero_row_with_a_negative_bound_empties_the_domain() {
    // Row 2 reads 0·x ≤ −1: no point satisfies it, so no region exists and
    // the certificate's first witness (the cut's off witness) is outside it.
    let v = verdict(&interval_and(&[(0.0, -1.0)]), &["-1/2"], &["1/2"]);
    assert!(!v.verified);
    let reason = v.reason.unwrap();
    assert_eq!(reason.line, Some(2));
    assert_eq!(
        reason.kind,
        RejectionKind::Split {
            cell: String::new(),
            layer: 0,
            fault: SplitFault::Test {
                layer: 0,
                neuron: 0,
                piece: 0,
                fault: TestFault::WitnessOutside {
                    on: false,
                    row: "d2".into()
                }
            }
        }
    );
}

#[test]
fn a_zero_row_with_a_bound_of_zero_or_more_is_vacuous() {
    for b in [0.0, 1.0] {
        let v = verdict(&interval_and(&[(0.0, b)]), &["-1/2"], &["1/2"]);
        assert!(v.verified, "b = {b}: {:?}", v.reason);
        assert_eq!(v.regions, 2);
    }
}

#[test]
fn a_polytope_thinner_than_the_float_tolerance_is_checked_exactly() {
    let v = verdict(&slab(&[]), &SLAB_OFF, &SLAB_ON);
    assert!(v.verified, "{:?}", v.reason);
    assert_eq!(v.regions, 2);
}

#[test]
fn verify_checks_thin_and_empty_polytopes_from_the_command_line() {
    // The command reads the same domain from a file. Before the checker
    // read the domain on its own, `verify` set up the float working space
    // first, which refused the slab ("no interior (Chebyshev radius
    // 6.4e-13)", exit 2). Now its certificate is verified (exit 0); with an
    // empty row added, the same certificate is rejected (exit 1).
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("abs.json");
    std::fs::write(&model, abs_model(2)).unwrap();
    for (extra, code) in [(vec![], 0), (vec![(vec![0.0, 0.0], -1.0)], 1)] {
        let domain = slab(&extra);
        let Domain::Polytope { a, b } = &domain else {
            unreachable!()
        };
        let poly = dir.path().join("p.json");
        std::fs::write(&poly, serde_json::json!({"A": a, "b": b}).to_string()).unwrap();
        let cert = dir.path().join("c.jsonl");
        let items = abs_certificate(&abs_network(2), &domain, &SLAB_OFF, &SLAB_ON);
        std::fs::write(&cert, lines_text(&items)).unwrap();
        let out = run(&[
            "verify",
            model.to_str().unwrap(),
            "--polytope",
            poly.to_str().unwrap(),
            cert.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{extra:?}: {err}");
        if code == 1 {
            assert!(err.contains("violates row d6"), "{err}");
        }
    }
}
