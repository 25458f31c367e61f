//! Certifying in tests: run the walk with certification, write the
//! certificate to memory, and check it with the independent checker.

use super::walk::ENGINE;
use regionwalk::{
    verify_certificate, CertificateWriter, CheckLimits, Domain, Network, SliceNetwork, Verdict,
    WalkOptions, WalkStats, Walker, WorkSpace,
};

/// The certificate text, the number of regions the walk listed, and its stats.
pub fn certify(net: &Network, domain: &Domain) -> (String, u64, WalkStats) {
    let space = WorkSpace::new(net, domain, ENGINE.engine()).expect("domain has interior");
    let slice = SliceNetwork::new(net, domain);
    let mut writer = CertificateWriter::new(Vec::new(), net, domain, slice.free()).unwrap();
    let options = WalkOptions {
        certify: true,
        ..WalkOptions::default()
    };
    let mut n = 0;
    let stats = Walker::new(&space, ENGINE.engine(), options)
        .run(|r| {
            n += 1;
            writer.region(&r).map_err(regionwalk::WalkError::Sink)
        })
        .expect("walk succeeds");
    let bytes = writer.finish(serde_json::json!({})).unwrap();
    (String::from_utf8(bytes).unwrap(), n, stats)
}

/// The checker's verdict on `text`.
pub fn check(net: &Network, domain: &Domain, text: &str) -> Verdict {
    verify_certificate(net, domain, text.as_bytes(), &CheckLimits::default()).unwrap()
}

/// Certifies and checks; returns the certified count.
pub fn certified_count(net: &Network, domain: &Domain) -> u64 {
    let (text, n, _) = certify(net, domain);
    let verdict = check(net, domain, &text);
    assert!(
        verdict.verified,
        "rejected: {}",
        verdict.reason.map(|r| r.to_string()).unwrap_or_default()
    );
    assert_eq!(verdict.regions, n);
    n
}

/// `|x_0| = ReLU(x_0) + ReLU(−x_0)` on `dim` inputs, as a JSON model file.
pub fn abs_model(dim: usize) -> String {
    let unit: Vec<f64> = (0..dim).map(|i| if i == 0 { 1.0 } else { 0.0 }).collect();
    let minus: Vec<f64> = unit.iter().map(|v| -v).collect();
    serde_json::json!({"layers": [
        {"weight": [unit, minus], "bias": [0.0, 0.0]},
        {"weight": [[1.0, 1.0]], "bias": [0.0]},
    ]})
    .to_string()
}

/// The network of [`abs_model`].
pub fn abs_network(dim: usize) -> Network {
    regionwalk::parse_json_model(&abs_model(dim), "abs.json".as_ref()).unwrap()
}

/// A certificate for [`abs_model`] on `domain`, written by hand from
/// docs/certificate.md (not by the prover), one item a line: neuron 0
/// (`z = x_0`) cuts the domain at `x_0 = 0` with witnesses `off` and `on`;
/// on each piece neuron 1 (`z = −x_0`) is one-sided, its other side empty by
/// the cut's row plus the side itself (multipliers 1 and 1); regions `01`
/// (`x_0 < 0`) and `10`, with the same witnesses. Valid whenever `off` and
/// `on` lie inside `domain` on their sides of `x_0 = 0`.
pub fn abs_certificate(
    net: &Network,
    domain: &Domain,
    off: &[&str],
    on: &[&str],
) -> Vec<serde_json::Value> {
    use serde_json::json;
    let dim = off.len();
    vec![
        json!({"type": "header", "format": "regionwalk-certificate", "version": 1,
               "network_sha256": net.fingerprint(), "input_dim": dim,
               "hidden_widths": [2], "domain": domain.to_json(),
               "free": (0..dim).collect::<Vec<_>>()}),
        json!({"type": "split", "layer": 0, "pattern": "", "tests": [
            [{"cut": [off, on]}],
            [{"on": [["n0.0", "1"], ["s", "1"]]}, {"off": [["n0.0", "1"], ["s", "1"]]}],
        ]}),
        json!({"type": "region", "id": 0, "pattern": "01", "witness": off}),
        json!({"type": "region", "id": 1, "pattern": "10", "witness": on}),
        json!({"type": "summary", "regions": 2}),
    ]
}

/// Items as the lines of a certificate file.
pub fn lines_text(items: &[serde_json::Value]) -> String {
    items.iter().map(|l| format!("{l}\n")).collect()
}
