//! Writes certificate files (JSON Lines, documented in `docs/certificate.md`):
//! a header naming the network and domain, then the walk's tree in pre-order
//! (each split's proofs before the regions under it), one line per split and
//! per region, and a summary line. Exact numbers are strings `p/q`.

use crate::check::format::{
    push_domain_row, push_neuron_row, side_name, BOX_TEST, CELL_BOX, CERTIFICATE_FORMAT,
    CERTIFICATE_VERSION, CONSTANT_TEST, CUT_TEST, HEADER_ITEM, LINEAR_TEST, REGION_ITEM, SIDE_ROW,
    SPLIT_ITEM, SUMMARY_ITEM,
};
use crate::counted_writer::Counted;
use crate::decimal_digits::push_u64;
use crate::domain::input_domain::Domain;
use crate::exact::dyadic::Dyadic;
use crate::exact::point::ExactPoint;
use crate::model::network::Network;
use crate::walk::box_proof::BoxRecord;
use crate::walk::prover::{RowTag, SplitRecord, TestRecord};
use crate::walk::region::Region;
use num_bigint::BigInt;
use num_traits::ToPrimitive;
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
        line.push_str(r#"{"id":"#);
        push_u64(&mut line, self.regions);
        let _ = write!(
            line,
            r#","pattern":"{}","type":"{REGION_ITEM}","witness":"#,
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

/// Appends a row's name.
fn push_tag(out: &mut String, tag: &RowTag) {
    match *tag {
        RowTag::Domain(i) => push_domain_row(out, i),
        RowTag::Neuron { layer, index } => push_neuron_row(out, layer, index),
        RowTag::Side => out.push_str(SIDE_ROW),
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
            out.push('"');
            out.push_str(CONSTANT_TEST);
            out.push('"');
        }
        TestRecord::Linear => {
            out.push('"');
            out.push_str(LINEAR_TEST);
            out.push('"');
        }
        TestRecord::Box { on } => {
            out.push_str("{\"");
            out.push_str(BOX_TEST);
            out.push_str("\":\"");
            out.push_str(side_name(*on));
            out.push_str("\"}");
        }
        TestRecord::Motzkin { on, lambda } => {
            out.push_str("{\"");
            out.push_str(side_name(*on));
            out.push_str("\":");
            multipliers_json(out, lambda);
            out.push('}');
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

/// A multiplier as the certificate writes it: an integer, in a string.
trait Multiplier {
    /// Appends its digits.
    fn push_digits(&self, out: &mut String);
}

impl Multiplier for u64 {
    fn push_digits(&self, out: &mut String) {
        push_u64(out, *self);
    }
}

impl Multiplier for BigInt {
    /// Rounded multipliers fit a machine word, and print without a big
    /// number's conversion.
    fn push_digits(&self, out: &mut String) {
        match self.to_u64() {
            Some(v) => v.push_digits(out),
            None => {
                let _ = write!(out, "{self}");
            }
        }
    }
}

/// Appends a list of multipliers `[["row", "λ"], ...]`.
fn multipliers_json<V: Multiplier>(out: &mut String, lambda: &[(RowTag, V)]) {
    out.push('[');
    for (k, (t, v)) in lambda.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str("[\"");
        push_tag(out, t);
        out.push_str("\",\"");
        v.push_digits(out);
        out.push_str("\"]");
    }
    out.push(']');
}

/// Appends a cell's box: per free coordinate `[lower, upper]`, each `null`
/// (the parent's bound holds) or `["p/q", multipliers]`.
fn cell_box_json(out: &mut String, cell_box: &BoxRecord) {
    out.push('[');
    for (i, ends) in cell_box.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        for (k, end) in ends.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            match end {
                None => out.push_str("null"),
                Some(b) => {
                    out.push_str("[\"");
                    Dyadic::from_f64(b.value).push_fraction(out);
                    out.push_str("\",");
                    multipliers_json(out, &b.lambda);
                    out.push(']');
                }
            }
        }
        out.push(']');
    }
    out.push(']');
}

/// The test of every piece, when the pieces share one that does not
/// depend on the piece (a box, constant or linear test): written once, not
/// once per piece (format version 3). Of ACAS Xu N1,1 over property 4's
/// 317,500 neuron tests 298,956 are such, and writing each once made the
/// certificate 16% smaller.
fn shared_test(per_piece: &[TestRecord]) -> Option<&TestRecord> {
    let first = per_piece.first()?;
    let shareable = matches!(
        first,
        TestRecord::Box { .. } | TestRecord::Constant | TestRecord::Linear
    );
    (shareable && per_piece.iter().all(|t| t == first)).then_some(first)
}

/// Appends a split's line (with its newline).
fn split_line(out: &mut String, split: &SplitRecord) {
    out.push('{');
    if let Some(cell_box) = &split.cell_box {
        let _ = write!(out, r#""{CELL_BOX}":"#);
        cell_box_json(out, cell_box);
        out.push(',');
    }
    out.push_str(r#""layer":"#);
    push_u64(out, split.layer as u64);
    let _ = write!(out, r#","pattern":"{}","tests":["#, split.pattern);
    for (i, per_piece) in split.tests.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if let Some(shared) = shared_test(per_piece) {
            test_json(out, shared);
            continue;
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
