//! Data over pictures: the projected points and the number of regions
//! holding data, against a brute force (every point tested against every
//! drawn polygon) and projections known by construction.

mod common;

use common::cli::{fails, run, stderr, stdout, FIXTURE};
use regionwalk::{
    load_json_model, AffineSlice, BoxSpec, ColorBy, Domain, GoodLpMicrolp, Network, Picture,
    WorkSpace,
};
use std::collections::BTreeSet;

/// A deterministic stream of numbers in `[lo, hi)` (a 64-bit LCG).
fn uniform(seed: &mut u64, lo: f64, hi: f64) -> f64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    lo + (hi - lo) * ((*seed >> 11) as f64 / (1u64 << 53) as f64)
}

/// The ids of the regions whose polygon holds one of `points` (brute
/// force: each point against each polygon, by the signs of cross products).
fn brute_force(picture: &Picture, points: &[[f64; 2]]) -> BTreeSet<u64> {
    let mut held = BTreeSet::new();
    for p in points {
        for r in &picture.regions {
            let n = r.shape.len();
            let inside = (0..n).all(|i| {
                let (a, b) = (r.shape[i], r.shape[(i + 1) % n]);
                (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0.0
            });
            if inside {
                held.insert(r.id);
            }
        }
    }
    held
}

fn picture(net: &Network, domain: &Domain) -> Picture {
    let space = WorkSpace::new(net, domain, &GoodLpMicrolp).unwrap();
    Picture::walk(net, domain, &space, &GoodLpMicrolp, ColorBy::Pattern).unwrap()
}

#[test]
fn regions_holding_data_on_a_box() {
    let net = load_json_model(FIXTURE.as_ref()).unwrap();
    let domain = BoxSpec::parse("-1:1").unwrap().resolve(2).unwrap();
    let mut picture = picture(&net, &domain);
    let mut seed = 7;
    let points: Vec<Vec<f64>> = (0..300)
        .map(|_| vec![uniform(&mut seed, -1.3, 1.3), uniform(&mut seed, -1.3, 1.3)])
        .collect();
    picture.add_points(&net, &domain, &points).unwrap();
    let overlay = picture.points.clone().unwrap();
    let inside: Vec<[f64; 2]> = (points.iter())
        .filter(|p| p.iter().all(|v| v.abs() <= 1.0))
        .map(|p| [p[0], p[1]])
        .collect();
    assert_eq!(overlay.inside.len(), inside.len());
    assert_eq!(overlay.outside, 300 - inside.len());
    let held = brute_force(&picture, &inside);
    assert_eq!(overlay.regions, held.into_iter().collect::<Vec<_>>());
    // Some regions hold data and some do not: the count means something.
    assert!(overlay.regions.len() > 20 && overlay.regions.len() < picture.regions.len());
}

#[test]
fn points_off_a_plane_project_onto_it() {
    // A 3-input model on a plane; each point is P0 + u U1 + v U2 + n N with
    // N = U1 × U2 normal to the plane, so its projection is (u, v) by
    // construction.
    let text = r#"{"layers": [
        {"weight": [[1, 0.5, -0.25], [-0.5, 1, 0.75], [0.25, -1, 0.5], [1, 1, 1], [-1, 0.25, 0.5]],
         "bias": [0.1, -0.2, 0.05, -0.5, 0.3]},
        {"weight": [[1, -1, 0.5, 0.25, -0.5]], "bias": [0.1]}]}"#;
    let net = regionwalk::parse_json_model(text, "m3.json".as_ref()).unwrap();
    let p = [[-1.0, -1.0, 0.5], [1.0, -0.5, -0.5], [-0.5, 1.0, 0.25]];
    let u1: Vec<f64> = (0..3).map(|i| p[1][i] - p[0][i]).collect();
    let u2: Vec<f64> = (0..3).map(|i| p[2][i] - p[0][i]).collect();
    let normal = [
        u1[1] * u2[2] - u1[2] * u2[1],
        u1[2] * u2[0] - u1[0] * u2[2],
        u1[0] * u2[1] - u1[1] * u2[0],
    ];
    let plane =
        Domain::Affine(AffineSlice::new(p.iter().map(|q| q.to_vec()).collect(), None, 3).unwrap());
    let mut picture = picture(&net, &plane);
    let mut seed = 11;
    let mut uv = Vec::new();
    let points: Vec<Vec<f64>> = (0..200)
        .map(|_| {
            let (u, v) = (uniform(&mut seed, 0.0, 1.0), uniform(&mut seed, 0.0, 1.0));
            let n = uniform(&mut seed, -2.0, 2.0);
            uv.push([u, v]);
            (0..3)
                .map(|i| p[0][i] + u * u1[i] + v * u2[i] + n * normal[i])
                .collect()
        })
        .collect();
    picture.add_points(&net, &plane, &points).unwrap();
    let overlay = picture.points.clone().unwrap();
    assert_eq!(overlay.inside.len(), 200);
    for (got, want) in overlay.inside.iter().zip(&uv) {
        assert!((got[0] - want[0]).abs() < 1e-9 && (got[1] - want[1]).abs() < 1e-9);
    }
    let held = brute_force(&picture, &uv);
    assert_eq!(overlay.regions, held.into_iter().collect::<Vec<_>>());
}

#[test]
fn plot_command_overlays_points() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.csv");
    // Three points, one outside the box (the region count itself is
    // checked against the brute force above).
    std::fs::write(&data, "0.1,0.1\n0.9,-0.9\n2,2\n").unwrap();
    let svg = dir.path().join("p.svg");
    let out = run(&[
        "plot",
        FIXTURE,
        "--box=-1:1",
        "--points",
        data.to_str().unwrap(),
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The point (2, 2) is outside [-1, 1]²: two are drawn.
    assert!(stdout(&out).contains("(2 points drawn, 1 outside)"));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches("<circle").count(), 2);
    assert!(text.contains("regions hold data,"));
    fails(
        &[
            "plot",
            FIXTURE,
            "--box=-1:1,0:0",
            "--points",
            data.to_str().unwrap(),
            "-o",
            "x.svg",
        ],
        2,
        "two free coordinates",
    );
}
