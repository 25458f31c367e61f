//! Real networks (ACAS Xu, from the shared data folder): the walk's
//! invariants hold, random samples find no pattern the walk missed, and one
//! network published in two formats has the same regions.

mod common;

use common::data::data_dir;
use common::walk::enumerate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regionwalk::{load_model, load_vnnlib_box, BoxSpec, Domain};
use std::collections::{BTreeMap, BTreeSet};

/// A corner of the ACAS Xu property-4 box (X_2 fixed at 0), small enough for
/// a test: a few thousand regions.
const SMALL_PROP4: &str =
    "-0.303531156:-0.3025,-0.009549297:0.009549297,0:0,0.318181818:0.4,0.083333333:0.166666667";

#[test]
fn acasxu_samples_find_only_enumerated_patterns() {
    // Sampling can only under-count: every pattern a random interior point
    // shows must be one of the enumerated regions (a point's pattern is that
    // of the region holding it, unless it lies on a boundary, which happens
    // with probability 0). 20,000 points also hit most large regions.
    let model = load_model(
        &data_dir().join("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"),
        None,
    )
    .unwrap();
    let net = &model.network;
    let domain = BoxSpec::parse(SMALL_PROP4).unwrap().resolve(5).unwrap();
    let (regions, stats) = enumerate(net, &domain);
    assert!(
        regions.len() > 500,
        "{} regions: the test would be weak",
        regions.len()
    );
    assert_eq!(stats.thin_splits, 0);
    let found: BTreeMap<&str, f64> = regions
        .iter()
        .map(|r| (r.pattern.as_str(), r.radius))
        .collect();
    let Domain::Box(b) = &domain else {
        unreachable!()
    };
    let mut rng = StdRng::seed_from_u64(7);
    let mut hit = BTreeSet::new();
    for _ in 0..20_000 {
        let x: Vec<f64> = b
            .iter()
            .map(|&(lo, hi)| if lo == hi { lo } else { rng.gen_range(lo..hi) })
            .collect();
        let p = net.pattern_at(&x).to_string();
        assert!(
            found.contains_key(p.as_str()),
            "sampled pattern {p} at {x:?} was not enumerated"
        );
        hit.insert(p);
    }
    assert!(
        hit.len() * 4 > regions.len(),
        "sampling hit only {} of {}",
        hit.len(),
        regions.len()
    );
}

#[test]
fn vnnlib_box_is_the_box_it_writes() {
    // ACAS Xu property 4 as its VNN-LIB file states it (fixtures/vnnlib_box.py
    // prints the same numbers): X_2 is fixed at 0.
    let b = load_vnnlib_box(&data_dir().join("acasxu/prop_4.vnnlib")).unwrap();
    let written = BoxSpec::parse(
        "-0.303531156:-0.298552812,-0.009549297:0.009549297,0.0:0.0,0.318181818:0.5,0.083333333:0.166666667",
    )
    .unwrap()
    .resolve(5)
    .unwrap();
    assert_eq!(Domain::new_box(b, 5).unwrap(), written);
    assert_eq!(written.fixed(), vec![(2, 0.0)]);
}

#[test]
fn nnet_and_onnx_of_one_network_have_the_same_regions() {
    // TestNetwork2.nnet and TestNetwork2.onnx are one network published in
    // two formats, both in raw input units. Their weights are rounded
    // differently (6 significant decimal digits against float32), which moves
    // hyperplanes by about 1e-5 relative, so a sliver thinner than that can
    // exist in one and not the other (seen: a 6e-9-wide region at a box face).
    // Every region thicker than 1e-4 of the box's smallest half-width must be
    // in both.
    let dir = data_dir().join("nnet");
    let nnet = load_model(&dir.join("TestNetwork2.nnet"), None)
        .unwrap()
        .network;
    let onnx = load_model(&dir.join("TestNetwork2.onnx"), None)
        .unwrap()
        .network;
    let domain = BoxSpec::parse("1500:1501,-0.06:0.06,3.1:3.14,980:1200,960:1200")
        .unwrap()
        .resolve(5)
        .unwrap();
    let (a, _) = enumerate(&nnet, &domain);
    let (b, _) = enumerate(&onnx, &domain);
    assert!(a.len() > 500, "{} regions: the test would be weak", a.len());
    let thick = 1e-4 * 0.02;
    let patterns = |rs: &[regionwalk::RegionReport]| -> BTreeSet<String> {
        rs.iter().map(|r| r.pattern.clone()).collect()
    };
    let (pa, pb) = (patterns(&a), patterns(&b));
    for r in a.iter().filter(|r| !pb.contains(&r.pattern)) {
        assert!(
            r.radius < thick,
            "NNet region {} (radius {}) missing from ONNX",
            r.pattern,
            r.radius
        );
    }
    for r in b.iter().filter(|r| !pa.contains(&r.pattern)) {
        assert!(
            r.radius < thick,
            "ONNX region {} (radius {}) missing from NNet",
            r.pattern,
            r.radius
        );
    }
    let differ = pa.symmetric_difference(&pb).count();
    assert!(
        differ * 1000 <= a.len(),
        "{differ} regions differ out of {}",
        a.len()
    );
}
