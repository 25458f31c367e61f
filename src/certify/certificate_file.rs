//! Writes certificate files (JSON Lines, documented in `docs/certificate.md`):
//! a header naming the network and domain, then the walk's tree in pre-order
//! (each split's proofs before the regions under it), one line per split and
//! per region, and a summary line. Exact numbers are strings `p/q`.

use crate::check::format::{
    domain_row, neuron_row, side_name, BOX_TEST, CERTIFICATE_FORMAT, CERTIFICATE_VERSION,
    CONSTANT_TEST, CUT_TEST, HEADER_ITEM, LINEAR_TEST, REGION_ITEM, SIDE_ROW, SPLIT_ITEM,
    SUMMARY_ITEM,
};
use crate::counted_writer::Counted;
use crate::domain::input_domain::Domain;
use crate::exact::point::ExactPoint;
use crate::model::network::Network;
use crate::walk::prover::{RowTag, SplitRecord, TestRecord};
use crate::walk::region::Region;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Streams a certificate.
pub struct CertificateWriter<W: Write> {
    out: Counted<W>,
    regions: u64,
}

impl<W: Write> CertificateWriter<W> {
    /// Writes the header for `network` on `domain`; `free` are the free input
    /// coordinates, on which witnesses are written.
    pub fn new(out: W, network: &Network, domain: &Domain, free: &[usize]) -> io::Result<Self> {
        let header = json!({
            "type": HEADER_ITEM,
            "format": CERTIFICATE_FORMAT,
            "version": CERTIFICATE_VERSION,
            "network_sha256": network.fingerprint(),
            "input_dim": network.input_dim(),
            "hidden_widths": network.hidden_widths(),
            "domain": domain.to_json(),
            "free": free,
        });
        let mut out = Counted {
            inner: out,
            bytes: 0,
        };
        writeln!(out, "{header}")?;
        Ok(CertificateWriter { out, regions: 0 })
    }

    /// Continues a certificate that holds, in `bytes` bytes, the header and
    /// the lines of `regions` regions (and nothing after them): `out` must
    /// be positioned at its end. A resumed run's (docs/large-runs.md).
    pub fn resume(out: W, regions: u64, bytes: u64) -> Self {
        CertificateWriter {
            out: Counted { inner: out, bytes },
            regions,
        }
    }

    /// Regions written, with those of the certificate continued.
    pub fn written(&self) -> u64 {
        self.regions
    }

    /// Bytes written, with those of the certificate continued.
    pub fn bytes(&self) -> u64 {
        self.out.bytes
    }

    /// Flushes and returns the writer without the summary line: what a
    /// stopped run keeps to continue later.
    pub fn into_unfinished(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out.inner)
    }

    /// Writes the proofs that precede `region`, then the region with its
    /// exact witness (the walk must have run with certification on).
    pub fn region(&mut self, region: &Region) -> io::Result<()> {
        let mut line = String::new();
        for split in &region.splits {
            line.clear();
            split_line(&mut line, split);
            self.out.write_all(line.as_bytes())?;
        }
        let witness = region.exact_witness.as_ref().ok_or_else(|| {
            io::Error::other("region without an exact witness: certification was off")
        })?;
        line.clear();
        // Keys in the order serde_json writes an object's (sorted), so the
        // lines are those `json!` made.
        let _ = write!(line, r#"{{"id":{},"pattern":""#, self.regions);
        let _ = write!(
            line,
            r#"{}","type":"{REGION_ITEM}","witness":"#,
            region.pattern
        );
        point_json(&mut line, witness);
        line.push_str("}\n");
        self.out.write_all(line.as_bytes())?;
        self.regions += 1;
        Ok(())
    }

    /// Writes the summary and returns the writer.
    pub fn finish(mut self, extra: Value) -> io::Result<W> {
        let mut line = json!({"type": SUMMARY_ITEM, "regions": self.regions});
        if let (Some(m), Value::Object(e)) = (line.as_object_mut(), extra) {
            m.extend(e);
        }
        writeln!(self.out, "{line}")?;
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

fn tag_json(tag: &RowTag) -> String {
    match tag {
        RowTag::Domain(i) => domain_row(*i),
        RowTag::Neuron { layer, index } => neuron_row(*layer, *index),
        RowTag::Side => SIDE_ROW.to_string(),
    }
}

/// Appends a point as a JSON list of `p/q` strings.
fn point_json(out: &mut String, p: &ExactPoint) {
    out.push('[');
    match p {
        ExactPoint::Dyadic(d) => {
            for (k, v) in d.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push('"');
                v.push_fraction(out);
                out.push('"');
            }
        }
        ExactPoint::Rational(_) => {
            for (k, v) in p.to_strings().iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "\"{v}\"");
            }
        }
    }
    out.push(']');
}

/// Appends a test as JSON, as `json!` writes it (names and numbers only, so
/// nothing needs escaping).
fn test_json(out: &mut String, test: &TestRecord) {
    match test {
        TestRecord::Constant => {
            let _ = write!(out, "\"{CONSTANT_TEST}\"");
        }
        TestRecord::Linear => {
            let _ = write!(out, "\"{LINEAR_TEST}\"");
        }
        TestRecord::Box { on } => {
            let _ = write!(out, r#"{{"{BOX_TEST}":"{}"}}"#, side_name(*on));
        }
        TestRecord::Motzkin { on, lambda } => {
            let _ = write!(out, r#"{{"{}":["#, side_name(*on));
            for (k, (t, v)) in lambda.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, r#"["{}","{v}"]"#, tag_json(t));
            }
            out.push_str("]}");
        }
        TestRecord::Cut { off, on } => {
            let _ = write!(out, r#"{{"{CUT_TEST}":["#);
            point_json(out, off);
            out.push(',');
            point_json(out, on);
            out.push_str("]}");
        }
    }
}

/// Appends a split's line (with its newline).
fn split_line(out: &mut String, split: &SplitRecord) {
    let _ = write!(
        out,
        r#"{{"layer":{},"pattern":"{}","tests":["#,
        split.layer, split.pattern
    );
    for (i, per_piece) in split.tests.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        for (k, t) in per_piece.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            test_json(out, t);
        }
        out.push(']');
    }
    let _ = writeln!(out, r#"],"type":"{SPLIT_ITEM}"}}"#);
}
