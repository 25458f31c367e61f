//! Lines over the pictures: the decision boundary and one layer's neuron
//! zero sets, against lines worked out by hand or by a forward pass of the
//! network written here.

mod common;

use common::cli::{fails, run, stderr, FIXTURE};
use regionwalk::{
    parse_json_model, BoxSpec, ClassRule, ColorBy, GoodLpMicrolp, Picture, WorkSpace,
};

/// How far from a line an endpoint of a drawn segment may be: the
/// segments are clipped in `f64` from rows of size ~1, so their endpoints
/// are on the lines to ~1e-15; this is far from any other line here.
const ON_LINE: f64 = 1e-9;

fn picture(text: &str, boundary: Option<ClassRule>, layer: Option<usize>) -> Picture {
    let net = parse_json_model(text, "lines.json".as_ref()).unwrap();
    let domain = BoxSpec::parse("-1:1").unwrap().resolve(2).unwrap();
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    let mut p = Picture::walk(&net, &domain, &space, &GoodLpMicrolp, ColorBy::Pattern).unwrap();
    p.add_lines(boundary, layer).unwrap();
    p
}

fn length([p, q]: &[[f64; 2]; 2]) -> f64 {
    (p[0] - q[0]).hypot(p[1] - q[1])
}

#[test]
fn decision_boundary_of_three_linear_classes() {
    // Outputs x, y and −x − y (ReLU(s) − ReLU(−s) = s). By hand: x and y
    // tie on top on the ray x = y, x ≥ 0, to (1, 1); x and −x − y on
    // y = −2x, x ≥ 0, to (1/2, −1); y and −x − y on x = −2y, y ≥ 0, to
    // (−1, 1/2). The boundary is those three rays from the origin.
    let net = r#"{"layers": [
        {"weight": [[1, 0], [-1, 0], [0, 1], [0, -1]], "bias": [0, 0, 0, 0]},
        {"weight": [[1, -1, 0, 0], [0, 0, 1, -1], [-1, 1, -1, 1]], "bias": [0, 0, 0]}]}"#;
    let p = picture(net, Some(ClassRule::Argmax), None);
    type OnRay = fn(&[f64; 2]) -> bool;
    let rays: [(OnRay, f64); 3] = [
        (
            |q| (q[0] - q[1]).abs() <= ON_LINE && q[0] >= -ON_LINE,
            2f64.sqrt(),
        ),
        (
            |q| (q[1] + 2.0 * q[0]).abs() <= ON_LINE && q[0] >= -ON_LINE,
            1.25f64.sqrt(),
        ),
        (
            |q| (q[0] + 2.0 * q[1]).abs() <= ON_LINE && q[1] >= -ON_LINE,
            1.25f64.sqrt(),
        ),
    ];
    let mut lengths = [0.0; 3];
    for s in &p.boundary {
        let ray = rays
            .iter()
            .position(|(on, _)| on(&s[0]) && on(&s[1]))
            .unwrap_or_else(|| panic!("segment {s:?} is on no ray"));
        lengths[ray] += length(s);
    }
    for (got, (_, want)) in lengths.iter().zip(&rays) {
        assert!((got - want).abs() <= ON_LINE, "{lengths:?}");
    }
    // Argmin: the smallest output. By hand, x and y tie at the bottom on
    // x = y, x ≤ 0, to (−1, −1): a different boundary.
    let p = picture(net, Some(ClassRule::Argmin), None);
    assert!(p
        .boundary
        .iter()
        .all(|s| s.iter().all(|q| q[0] <= ON_LINE || q[1] <= ON_LINE)));
    let diag: f64 = (p.boundary.iter())
        .filter(|s| s.iter().all(|q| (q[0] - q[1]).abs() <= ON_LINE))
        .map(length)
        .sum();
    assert!((diag - 2f64.sqrt()).abs() <= ON_LINE);
}

/// The length of the line `w·p + b = 0` inside `[-1, 1]²`: the points where
/// it meets the square's sides, the two farthest apart.
fn chord(w: [f64; 2], b: f64) -> f64 {
    let mut hits = Vec::new();
    for s in [-1.0, 1.0] {
        let y = -(b + w[0] * s) / w[1];
        if y.abs() <= 1.0 {
            hits.push([s, y]);
        }
        let x = -(b + w[1] * s) / w[0];
        if x.abs() <= 1.0 {
            hits.push([x, s]);
        }
    }
    let mut best: f64 = 0.0;
    for p in &hits {
        for q in &hits {
            best = best.max(length(&[*p, *q]));
        }
    }
    best
}

const TWO_LAYERS: &str = r#"{"layers": [
    {"weight": [[1, 0.5], [-0.3, 1], [1, -1]], "bias": [-0.2, 0.1, 1.5]},
    {"weight": [[1, -1, 0.5], [-0.5, 1, 1]], "bias": [0.1, -0.4]},
    {"weight": [[1, 1]], "bias": [0]}]}"#;

#[test]
fn first_layer_lines_are_the_neurons_lines() {
    let p = picture(TWO_LAYERS, None, Some(0));
    let neurons = [([1.0, 0.5], -0.2), ([-0.3, 1.0], 0.1), ([1.0, -1.0], 1.5)];
    let mut lengths = [0.0; 3];
    for s in &p.hyperplanes {
        let k = neurons
            .iter()
            .position(|(w, b)| {
                s.iter()
                    .all(|q| (w[0] * q[0] + w[1] * q[1] + b).abs() <= ON_LINE)
            })
            .unwrap_or_else(|| panic!("segment {s:?} on no neuron's line"));
        lengths[k] += length(s);
    }
    for (got, (w, b)) in lengths.iter().zip(&neurons) {
        assert!((got - chord(*w, *b)).abs() <= ON_LINE, "{lengths:?}");
    }
}

#[test]
fn second_layer_lines_are_zeros_of_a_forward_pass() {
    // Each drawn layer-1 segment: some layer-1 neuron's pre-activation,
    // computed here by a forward pass, is zero at both ends and the middle.
    let w0 = [[1.0, 0.5], [-0.3, 1.0], [1.0, -1.0]];
    let b0 = [-0.2, 0.1, 1.5];
    let w1 = [[1.0, -1.0, 0.5], [-0.5, 1.0, 1.0]];
    let b1 = [0.1, -0.4];
    let z1 = |q: [f64; 2]| -> [f64; 2] {
        let h: Vec<f64> = (0..3)
            .map(|i| (w0[i][0] * q[0] + w0[i][1] * q[1] + b0[i]).max(0.0))
            .collect();
        [0, 1].map(|k| b1[k] + (0..3).map(|i| w1[k][i] * h[i]).sum::<f64>())
    };
    let p = picture(TWO_LAYERS, None, Some(1));
    assert!(!p.hyperplanes.is_empty());
    for s in &p.hyperplanes {
        let mid = [(s[0][0] + s[1][0]) / 2.0, (s[0][1] + s[1][1]) / 2.0];
        assert!(
            (0..2).any(|k| [s[0], s[1], mid].iter().all(|&q| z1(q)[k].abs() <= ON_LINE)),
            "segment {s:?}"
        );
    }
}

#[test]
fn plot_command_draws_lines_and_refuses_bad_layers() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("b.svg");
    let out = run(&[
        "plot",
        FIXTURE,
        "--box=-1:1",
        "--boundary",
        "--hyperplanes",
        "0",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains(r#"class="hyperplanes""#));
    fails(
        &[
            "plot",
            FIXTURE,
            "--box=-1:1",
            "--hyperplanes",
            "2",
            "-o",
            "x.svg",
        ],
        2,
        "2 hidden layers",
    );
    fails(
        &[
            "plot",
            FIXTURE,
            "--box=-1:1,0:0",
            "--boundary",
            "-o",
            "x.svg",
        ],
        2,
        "two free coordinates",
    );
}

#[test]
fn class_colours_change_where_the_class_does() {
    // The three-class net above: the region x > 0, y > 0 holds the tie
    // x = y, so one region is two colours. By hand, x wins at (0.8, 0.2)
    // and y at (0.2, 0.8); the palette's first two colours (as the legend
    // shows) are class 0's and class 1's.
    let net = parse_json_model(
        r#"{"layers": [
        {"weight": [[1, 0], [-1, 0], [0, 1], [0, -1]], "bias": [0, 0, 0, 0]},
        {"weight": [[1, -1, 0, 0], [0, 0, 1, -1], [-1, 1, -1, 1]], "bias": [0, 0, 0]}]}"#,
        "three.json".as_ref(),
    )
    .unwrap();
    let domain = BoxSpec::parse("-1:1").unwrap().resolve(2).unwrap();
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    let p = Picture::walk(
        &net,
        &domain,
        &space,
        &GoodLpMicrolp,
        ColorBy::Class(ClassRule::Argmax),
    )
    .unwrap();
    let svg = p.svg();
    assert_eq!(
        svg.matches("<polygon data-region=").count(),
        p.regions.len()
    );
    let (w, _, pixels) = regionwalk::render(&svg).unwrap();
    for (point, colour) in [([0.8, 0.2], [31, 119, 180]), ([0.2, 0.8], [255, 127, 14])] {
        let (x, y) = p.pixel(&point, (0.0, 1.0));
        let at = 4 * (y as usize * w as usize + x as usize);
        assert_eq!(&pixels[at..at + 3], &colour, "at {point:?}");
    }
}
