//! Degenerate networks: every count here follows from the definitions of
//! docs/design.md §1 (a region is full-dimensional; a neuron identically zero on a
//! cell is off and does not split it), worked out by hand in each comment,
//! and is cross-checked against the exact polygon-clipping oracle.

mod common;

use common::oracle::{oracle_regions, oracle_slice_regions, OracleLayer};
use common::walk::{boxed, enumerate, network, patterns};
use std::collections::BTreeSet;

fn layer(weight: Vec<Vec<f64>>, bias: Vec<f64>) -> OracleLayer {
    OracleLayer { weight, bias }
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The enumerator's patterns, asserted equal to the oracle's.
fn checked(layers: &[OracleLayer], lo: &[f64], hi: &[f64]) -> BTreeSet<String> {
    let found = patterns(&network(layers), &boxed(lo, hi));
    let oracle: BTreeSet<String> = oracle_regions(layers, lo, hi)
        .into_iter()
        .map(|r| r.pattern)
        .collect();
    assert_eq!(found, oracle, "enumerator and oracle disagree");
    found
}

const LO: [f64; 2] = [-1.0, -1.0];
const HI: [f64; 2] = [1.0, 1.0];

#[test]
fn duplicated_scaled_and_negated_rows() {
    // x + y = 0 crosses the square: 2 regions. A duplicate, a positive
    // multiple, or a negation of the same row adds no hyperplane, so still 2;
    // the copies agree with the original and the negation disagrees.
    let row = vec![1.0, 1.0];
    let dup = checked(
        &[layer(vec![row.clone(), row.clone()], vec![0.0, 0.0])],
        &LO,
        &HI,
    );
    assert_eq!(dup, set(&["00", "11"]));
    let scaled = checked(
        &[layer(vec![row.clone(), vec![3.0, 3.0]], vec![0.25, 0.75])],
        &LO,
        &HI,
    );
    assert_eq!(scaled, set(&["00", "11"]));
    let negated = checked(
        &[layer(vec![row.clone(), vec![-1.0, -1.0]], vec![0.0, 0.0])],
        &LO,
        &HI,
    );
    assert_eq!(negated, set(&["01", "10"]));
}

#[test]
fn zero_rows_follow_the_zero_convention() {
    // A zero row is the constant b: on everywhere when b > 0, off when b < 0,
    // and off when b = 0 (identically zero is off). With a crossing neuron
    // beside it: 2 regions whose second bit is that constant.
    let zero = vec![0.0, 0.0];
    let cut = vec![1.0, -0.5];
    assert_eq!(
        checked(
            &[layer(vec![cut.clone(), zero.clone()], vec![0.1, 0.5])],
            &LO,
            &HI
        ),
        set(&["01", "11"])
    );
    assert_eq!(
        checked(
            &[layer(vec![cut.clone(), zero.clone()], vec![0.1, -0.5])],
            &LO,
            &HI
        ),
        set(&["00", "10"])
    );
    assert_eq!(
        checked(&[layer(vec![cut, zero.clone()], vec![0.1, 0.0])], &LO, &HI),
        set(&["00", "10"])
    );
    // Only zero rows: one region.
    assert_eq!(
        checked(&[layer(vec![zero.clone(), zero], vec![0.0, 1.0])], &LO, &HI),
        set(&["01"])
    );
}

#[test]
fn three_and_four_lines_through_one_point() {
    // k distinct lines through one point inside the square cut it into 2k
    // sectors: 6 for three lines, 8 for four (in general position it would
    // be 7 and 11).
    let three = layer(
        vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]],
        vec![-0.25, 0.5, 0.25],
    );
    assert_eq!(checked(&[three], &LO, &HI).len(), 6);
    let four = layer(
        vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 1.0],
            vec![1.0, -1.0],
        ],
        vec![-0.25, 0.5, 0.25, -0.75],
    );
    assert_eq!(checked(&[four], &LO, &HI).len(), 8);
}

#[test]
fn deeper_neurons_that_copy_or_negate_earlier_ones() {
    // Layer 0: h0 = ReLU(x), h1 = ReLU(y), h2 = ReLU(x) (a copy of h0).
    // Layer 1 neurons:
    //  - ReLU(h0): on exactly where h0 is on, so no new hyperplane;
    //  - ReLU(−h0): never positive, and identically zero where h0 is off: off;
    //  - ReLU(h0 − h2): identically zero on every cell (exact cancellation): off;
    //  - ReLU(h1 − 0.5): positive exactly where y > 0.5: one new line.
    // So the square splits by x = 0, y = 0 and y = 0.5: 2 × 3 = 6 regions.
    let first = layer(
        vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 0.0]],
        vec![0.0, 0.0, 0.0],
    );
    let second = layer(
        vec![
            vec![1.0, 0.0, 0.0],
            vec![-1.0, 0.0, 0.0],
            vec![1.0, 0.0, -1.0],
            vec![0.0, 1.0, 0.0],
        ],
        vec![0.0, 0.0, 0.0, -0.5],
    );
    let found = checked(&[first, second], &LO, &HI);
    assert_eq!(found.len(), 6);
    for p in &found {
        let (l0, l1) = p.split_once('|').unwrap();
        assert_eq!(&l1[0..1], &l0[0..1], "{p}: the copy agrees with h0");
        assert_eq!(
            &l1[1..3],
            "00",
            "{p}: the negation and the cancellation are off"
        );
    }
    // A deeper neuron bent onto an existing boundary: ReLU(h0 + h1) is zero
    // exactly on the quadrant x ≤ 0, y ≤ 0 and positive elsewhere; its
    // zero set there is the quadrant's own boundary, so it adds no region.
    let first = layer(vec![vec![1.0, 0.0], vec![0.0, 1.0]], vec![0.0, 0.0]);
    let bent = layer(vec![vec![1.0, 1.0]], vec![0.0]);
    assert_eq!(checked(&[first, bent], &LO, &HI).len(), 4);
}

#[test]
fn fixed_coordinate_is_the_slice() {
    // On the box x ∈ [-1, 1], y = 0.25 the network of two inputs is the 1-D
    // network whose bias absorbs 0.25 × (the y column). The oracle of that
    // slice (the fold done in exact arithmetic) gives the expected patterns.
    let w = vec![vec![1.0, 2.0], vec![-1.0, 1.0], vec![0.5, -4.0]];
    let b = vec![0.0, -0.5, 0.75];
    let second = layer(
        vec![vec![1.0, -1.0, 1.0], vec![-0.5, 1.0, 0.25]],
        vec![-0.25, 0.1],
    );
    let layers = [layer(w, b), second];
    let expected: BTreeSet<String> = oracle_slice_regions(&layers, &[(1, 0.25)], &[-1.0], &[1.0])
        .into_iter()
        .map(|r| r.pattern)
        .collect();
    let net = network(&layers);
    let (regions, _) = enumerate(&net, &boxed(&[-1.0, 0.25], &[1.0, 0.25]));
    let found: BTreeSet<String> = regions.iter().map(|r| r.pattern.clone()).collect();
    assert_eq!(found, expected);
    assert!(
        expected.len() >= 3,
        "the slice should cross several neurons"
    );
}

#[test]
fn a_dead_network_has_one_region() {
    // Every first-layer neuron is negative on the whole box: one region, all off,
    // and the second layer sees only its biases.
    let first = layer(vec![vec![1.0, 1.0], vec![-1.0, 0.5]], vec![-3.0, -2.0]);
    let second = layer(vec![vec![1.0, 1.0], vec![1.0, -1.0]], vec![0.5, 0.0]);
    assert_eq!(checked(&[first, second], &LO, &HI), set(&["00|10"]));
}
