//! Certifying in tests: run the walk with certification, write the
//! certificate to memory, and check it with the independent checker.

use super::walk::ENGINE;
use regionwalk::{
    verify_certificate, CertificateWriter, Domain, Network, SliceNetwork, Verdict, WalkOptions,
    WalkStats, Walker, WorkSpace,
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
    verify_certificate(net, domain, text.as_bytes()).unwrap()
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
