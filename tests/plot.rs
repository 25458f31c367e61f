//! Pictures: the drawn polygons tile the domain, hold their witnesses, have
//! the exact areas `sample` computes (`src/sample/volume.rs`, exact rational
//! clipping: a second computation of the same sets), and the rendered
//! pixels at the witnesses have the regions' colours.

mod common;

use common::cli::{fails, run, stderr, FIXTURE};
use regionwalk::{
    load_json_model, polygon_area, region_volumes, render, BoxSpec, ClassRule, ColorBy, Domain,
    GoodLpMicrolp, Network, Picture, RegionRecord, RegionReport, WalkOptions, Walker, WorkSpace,
};

/// Relative tolerance of the `f64` polygon areas: the polygons are clipped
/// in `f64` (rounding ~1e-16 per step), so their areas agree with the exact
/// ones to far better than this.
const AREA_RELATIVE: f64 = 1e-9;

fn fixture() -> Network {
    load_json_model(FIXTURE.as_ref()).unwrap()
}

/// `p` cut by the half-plane left of the directed edge `a → b` (test's own
/// clipping, for the overlap check).
fn clip_left(p: &[[f64; 2]], a: [f64; 2], b: [f64; 2]) -> Vec<[f64; 2]> {
    let side = |q: &[f64; 2]| (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0]);
    let mut out = Vec::new();
    for i in 0..p.len() {
        let (q, r) = (p[i], p[(i + 1) % p.len()]);
        let (sq, sr) = (side(&q), side(&r));
        if sq >= 0.0 {
            out.push(q);
        }
        if (sq > 0.0 && sr < 0.0) || (sq < 0.0 && sr > 0.0) {
            let t = sq / (sq - sr);
            out.push([q[0] + t * (r[0] - q[0]), q[1] + t * (r[1] - q[1])]);
        }
    }
    out
}

fn overlap(p: &[[f64; 2]], q: &[[f64; 2]]) -> f64 {
    let mut cut = p.to_vec();
    for i in 0..q.len() {
        if cut.len() < 3 {
            return 0.0;
        }
        cut = clip_left(&cut, q[i], q[(i + 1) % q.len()]);
    }
    if cut.len() < 3 {
        0.0
    } else {
        polygon_area(&cut).abs()
    }
}

/// Every check on the picture of `network` on `domain` (free area `total`).
fn check_geometry(network: &Network, domain: &Domain, total: f64) -> Picture {
    let space = WorkSpace::new(network, domain, &GoodLpMicrolp).unwrap();
    let picture = Picture::walk(network, domain, &space, &GoodLpMicrolp, ColorBy::Pattern).unwrap();
    // The regions as `sample` reads them, walked again, and their exact areas.
    let rows = domain.rows();
    let mut records = Vec::new();
    let walker = Walker::new(
        &space,
        &GoodLpMicrolp,
        WalkOptions {
            chebyshev: true,
            ..WalkOptions::default()
        },
    );
    walker
        .run(|r| {
            records.push(RegionRecord::from(&RegionReport::new(
                records.len() as u64,
                network,
                &space,
                &rows,
                &r,
            )));
            Ok(())
        })
        .unwrap();
    let volumes = region_volumes(domain, &space, &records, &GoodLpMicrolp, 1).unwrap();
    assert_eq!(picture.regions.len(), records.len());
    let tol = AREA_RELATIVE * total;
    let mut sum = 0.0;
    for (r, (record, volume)) in picture
        .regions
        .iter()
        .zip(records.iter().zip(&volumes.regions))
    {
        assert_eq!(r.pattern, record.pattern);
        let a = polygon_area(&r.shape);
        assert!(a > 0.0, "region {} is counter-clockwise with area", r.id);
        assert!(
            (a - volume.value).abs() <= tol,
            "region {}: {a} vs exact {}",
            r.id,
            volume.value
        );
        sum += a;
        // The witness strictly inside: left of every edge.
        let n = r.shape.len();
        for i in 0..n {
            let (p, q) = (r.shape[i], r.shape[(i + 1) % n]);
            let cross =
                (q[0] - p[0]) * (r.witness[1] - p[1]) - (q[1] - p[1]) * (r.witness[0] - p[0]);
            assert!(
                cross > 0.0,
                "region {}: witness {:?} outside edge {i}",
                r.id,
                r.witness
            );
        }
    }
    assert!(
        (sum - total).abs() <= tol,
        "areas sum to {sum}, domain {total}"
    );
    for (i, p) in picture.regions.iter().enumerate() {
        for q in &picture.regions[i + 1..] {
            assert!(
                overlap(&p.shape, &q.shape) <= tol,
                "regions {} and {} overlap",
                p.id,
                q.id
            );
        }
    }
    picture
}

#[test]
fn fixture_polygons_tile_the_box() {
    let net = fixture();
    let domain = BoxSpec::parse("-1:1").unwrap().resolve(2).unwrap();
    check_geometry(&net, &domain, 4.0);
}

#[test]
fn sliced_polygons_tile_the_window() {
    // A 3-input model on a plane and on a box with one fixed coordinate.
    let text = r#"{"layers": [
        {"weight": [[1, 0.5, -0.25], [-0.5, 1, 0.75], [0.25, -1, 0.5], [1, 1, 1], [-1, 0.25, 0.5]],
         "bias": [0.1, -0.2, 0.05, -0.5, 0.3]},
        {"weight": [[1, -1, 0.5, 0.25, -0.5], [0.5, 0.5, -1, 1, 0.25], [-0.25, 1, 1, -0.5, 0.5]],
         "bias": [0.1, -0.1, 0.2]},
        {"weight": [[1, -0.5, 0.25], [0.5, 1, -1]], "bias": [0, 0.1]}]}"#;
    let net = regionwalk::parse_json_model(text, "m3.json".as_ref()).unwrap();
    let plane = Domain::Affine(
        regionwalk::AffineSlice::new(
            vec![
                vec![-1.0, -1.0, 0.5],
                vec![1.0, -0.5, -0.5],
                vec![-0.5, 1.0, 0.25],
            ],
            Some(vec![(-0.5, 1.5), (0.0, 1.0)]),
            3,
        )
        .unwrap(),
    );
    let p = check_geometry(&net, &plane, 2.0);
    assert!(p.regions.len() > 5);
    let fixed = BoxSpec::parse("-1:1,0.25:0.25,-2:2")
        .unwrap()
        .resolve(3)
        .unwrap();
    let p = check_geometry(&net, &fixed, 8.0);
    assert!(p.regions.len() > 5);
}

#[test]
fn pixels_at_witnesses_have_the_region_colours() {
    let net = fixture();
    let domain = BoxSpec::parse("-1:1").unwrap().resolve(2).unwrap();
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    for color in [
        ColorBy::Pattern,
        ColorBy::Class(ClassRule::Argmax),
        ColorBy::Output(0),
    ] {
        let picture = Picture::walk(&net, &domain, &space, &GoodLpMicrolp, color).unwrap();
        let svg = picture.svg();
        assert_eq!(
            svg.matches("<polygon data-region=").count(),
            picture.regions.len()
        );
        assert_eq!(svg.matches("<title>region ").count(), picture.regions.len());
        let (w, _, pixels) = render(&svg).unwrap();
        // The twelve largest regions: their witnesses are far from any edge
        // in pixels, so no edge stroke or antialiasing reaches them.
        let mut big: Vec<_> = picture.regions.iter().collect();
        big.sort_by(|p, q| polygon_area(&q.shape).total_cmp(&polygon_area(&p.shape)));
        for r in big.iter().take(12) {
            let (x, y) = picture.pixel(&r.witness, (0.0, 1.0));
            let at = 4 * (y as usize * w as usize + x as usize);
            let got = &pixels[at..at + 3];
            for (g, e) in got.iter().zip(r.fill) {
                assert!(
                    g.abs_diff(e) <= 1,
                    "region {} at ({x}, {y}): {got:?} vs {:?}",
                    r.id,
                    r.fill
                );
            }
        }
    }
}

#[test]
fn plot_command_writes_svg_and_png_and_refuses_bad_domains() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("p.png");
    let out = run(&[
        "plot",
        FIXTURE,
        "--box=-1:1",
        "-o",
        png.to_str().unwrap(),
        "--color",
        "class",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(&std::fs::read(&png).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    let svg = dir.path().join("p.svg");
    let out = run(&[
        "plot",
        FIXTURE,
        "--box=-1:1,0.5:0.5",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<polyline"), "1-D: outputs as lines");
    fails(
        &["plot", FIXTURE, "--box=-1:1", "-o", "p.gif"],
        2,
        ".svg or .png",
    );
    fails(
        &["plot", FIXTURE, "--whole", "-o", "p.svg"],
        2,
        "needs a box",
    );
}

/// The distinct `fill` colours of the region polygons of an SVG.
fn region_fills(svg: &str) -> std::collections::BTreeSet<String> {
    svg.split("<polygon data-region=")
        .skip(1)
        .map(|p| {
            let at = p.find("fill=\"").unwrap() + 6;
            p[at..at + 7].to_string()
        })
        .collect()
}

#[test]
fn linear_colours_merge_regions_with_one_map() {
    // ReLU(x) − ReLU(−x) + ReLU(y) on [-1, 1]²: four activation regions (the
    // signs of x and y), but the output is x + y above y = 0 and x below it
    // (worked out by hand), so two linear regions: the two regions with
    // y > 0 share a colour, the two with y < 0 share another.
    let net = regionwalk::parse_json_model(
        r#"{"layers": [{"weight": [[1, 0], [-1, 0], [0, 1]], "bias": [0, 0, 0]},
                       {"weight": [[1, -1, 1]], "bias": [0]}]}"#,
        "lin.json".as_ref(),
    )
    .unwrap();
    let domain = BoxSpec::parse("-1:1").unwrap().resolve(2).unwrap();
    let space = WorkSpace::new(&net, &domain, &GoodLpMicrolp).unwrap();
    let picture = Picture::walk(&net, &domain, &space, &GoodLpMicrolp, ColorBy::Linear).unwrap();
    assert_eq!(picture.regions.len(), 4);
    for p in &picture.regions {
        for q in &picture.regions {
            let same_side = (p.witness[1] > 0.0) == (q.witness[1] > 0.0);
            assert_eq!(
                p.fill == q.fill,
                same_side,
                "{} vs {}",
                p.pattern,
                q.pattern
            );
        }
    }
    assert_eq!(region_fills(&picture.svg()).len(), 2);
}

#[test]
fn linear_colours_count_the_linear_regions_of_count() {
    // The number of distinct colours against `count --linear`'s number (the
    // region graph and exact map comparison, run by the count command).
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("lin.svg");
    let out = run(&[
        "plot",
        FIXTURE,
        "--box=-1:1",
        "--color",
        "linear",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["count", FIXTURE, "--box=-1:1", "--linear", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&common::cli::stdout(&out)).unwrap();
    let linear = report["linear_regions"].as_u64().unwrap() as usize;
    let fills = region_fills(&std::fs::read_to_string(&svg).unwrap());
    assert_eq!(fills.len(), linear);
    assert!(linear < report["regions"].as_u64().unwrap() as usize);
}
