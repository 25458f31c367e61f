//! Streaming writers of region files (`docs/region-json.md`): one JSON
//! document, or JSON Lines with a header line, one line per region, and a
//! summary line. Regions are written as they arrive, never held.

use crate::counted_writer::Counted;
use crate::walk::region_report::RegionReport;
use serde_json::Value;
use std::io::{self, Write};

/// The two layouts of a region file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionFormat {
    /// `{"header fields"..., "regions": [...], "summary": {...}}`.
    Json,
    /// `{"type": "header", ...}`, then `{"type": "region", ...}` per line,
    /// then `{"type": "summary", ...}`.
    Jsonl,
}

/// Writes a region file to `W` as regions arrive.
pub struct RegionWriter<W: Write> {
    out: Counted<W>,
    format: RegionFormat,
    written: u64,
}

impl<W: Write> RegionWriter<W> {
    /// Starts the file with `header`, a JSON object (model, domain, ...).
    pub fn new(out: W, format: RegionFormat, header: &Value) -> io::Result<Self> {
        let mut out = Counted {
            inner: out,
            bytes: 0,
        };
        let fields = header.as_object().expect("header is a JSON object");
        match format {
            RegionFormat::Json => {
                open_object(&mut out, fields)?;
                out.write_all(b"\"regions\":[\n")?;
            }
            RegionFormat::Jsonl => {
                let mut line = serde_json::Map::new();
                line.insert("type".into(), "header".into());
                line.extend(fields.clone());
                serde_json::to_writer(&mut out, &line)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(RegionWriter {
            out,
            format,
            written: 0,
        })
    }

    /// Continues a file that holds, in `bytes` bytes, the header and
    /// `written` regions of `format` (and nothing after them): `out` must be
    /// positioned at its end. A resumed run's file (docs/large-runs.md).
    pub fn resume(out: W, format: RegionFormat, written: u64, bytes: u64) -> Self {
        RegionWriter {
            out: Counted { inner: out, bytes },
            format,
            written,
        }
    }

    /// Regions written, with those of the file continued by
    /// [`RegionWriter::resume`].
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Bytes written, with those of the file continued.
    pub fn bytes(&self) -> u64 {
        self.out.bytes
    }

    /// Flushes and returns the writer without ending the file (no summary):
    /// what a stopped run keeps to continue later.
    pub fn into_unfinished(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out.inner)
    }

    /// Appends one region.
    pub fn region(&mut self, region: &RegionReport) -> io::Result<()> {
        match self.format {
            RegionFormat::Json => {
                if self.written > 0 {
                    self.out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut self.out, region)?;
            }
            RegionFormat::Jsonl => {
                let mut value = serde_json::to_value(region)?;
                if let Value::Object(map) = &mut value {
                    let mut line = serde_json::Map::new();
                    line.insert("type".into(), "region".into());
                    line.extend(std::mem::take(map));
                    value = Value::Object(line);
                }
                serde_json::to_writer(&mut self.out, &value)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Ends the file with `summary` (a JSON object) and returns the writer.
    pub fn finish(mut self, summary: &Value) -> io::Result<W> {
        match self.format {
            RegionFormat::Json => {
                self.out.write_all(b"\n],\n\"summary\":")?;
                serde_json::to_writer(&mut self.out, summary)?;
                self.out.write_all(b"}\n")?;
            }
            RegionFormat::Jsonl => {
                let mut line = serde_json::Map::new();
                line.insert("type".into(), "summary".into());
                if let Some(fields) = summary.as_object() {
                    line.extend(fields.clone());
                }
                serde_json::to_writer(&mut self.out, &line)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

/// Starts a JSON object with `fields`, each followed by a comma, so that the
/// caller can stream the remaining fields (a large array) after them.
pub(crate) fn open_object<W: Write>(
    out: &mut W,
    fields: &serde_json::Map<String, Value>,
) -> io::Result<()> {
    out.write_all(b"{")?;
    for (key, value) in fields {
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, value)?;
        out.write_all(b",\n")?;
    }
    Ok(())
}
