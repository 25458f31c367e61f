//! Reading back the region files that `enumerate` writes
//! (`docs/region-json.md`), in either layout, for comparison with a sample.
//! Only what a comparison needs is kept of each region: id, pattern,
//! witness, radius and constraints.

use crate::domain::input_domain::Domain;
use crate::model::network::Network;
use crate::model::pattern::Pattern;
use crate::sample::error::SampleInputError;
use crate::walk::region_report::RegionReport;
use serde::Deserialize;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// One inequality `a·x ≤ b` of a region, in input coordinates.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordConstraint {
    /// The normal.
    pub a: Vec<f64>,
    /// The offset.
    pub b: f64,
}

/// A region as a comparison needs it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RegionRecord {
    /// Its id in the enumeration.
    pub id: u64,
    /// Its pattern, `0110|101`.
    pub pattern: String,
    /// A point inside it.
    pub witness: Vec<f64>,
    /// Its Chebyshev radius, in input units.
    pub radius: f64,
    /// The region is `{x : a·x < b}` for these rows, inside the domain.
    pub constraints: Vec<RecordConstraint>,
}

impl From<&RegionReport> for RegionRecord {
    fn from(r: &RegionReport) -> Self {
        RegionRecord {
            id: r.id,
            pattern: r.pattern.clone(),
            witness: r.witness.clone(),
            radius: r.radius,
            constraints: r
                .constraints
                .iter()
                .map(|c| RecordConstraint {
                    a: c.a.clone(),
                    b: c.b,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize)]
struct Summary {
    regions: u64,
    /// False when the run was stopped early (files from before the field
    /// existed were always complete).
    #[serde(default = "complete_by_default")]
    complete: bool,
}

fn complete_by_default() -> bool {
    true
}

/// The `json` layout: header fields, `regions`, `summary`.
#[derive(Deserialize)]
struct JsonFile {
    model: Value,
    domain: Value,
    regions: Vec<RegionRecord>,
    summary: Summary,
}

/// One line of the `jsonl` layout.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line {
    Header { model: Value, domain: Value },
    Region(RegionRecord),
    Summary(Summary),
}

/// Reads the regions of a file written by `enumerate` (the layout is told by
/// its first line: a whole JSON object with `"type": "header"` is JSON
/// Lines) and checks that it was written for `network` on `domain`: the
/// same domain, input dimension and hidden layer widths (the weights are not
/// in the file, so they cannot be compared), complete (its summary present
/// and counting the regions read), and every pattern of the right shape.
pub fn read_region_file(
    path: &Path,
    network: &Network,
    domain: &Domain,
) -> Result<Vec<RegionRecord>, SampleInputError> {
    let error = |line: Option<usize>, message: String| SampleInputError::RegionFile {
        path: path.to_path_buf(),
        line,
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| error(None, format!("cannot read: {e}")))?;
    let mut reader = BufReader::new(file);
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|e| error(Some(1), e.to_string()))?;
    let is_jsonl = serde_json::from_str::<Value>(&first)
        .is_ok_and(|v| v.get("type").and_then(Value::as_str) == Some("header"));
    let (model, file_domain, regions, summary) = if is_jsonl {
        let mut header = None;
        let mut regions = Vec::new();
        let mut summary = None;
        let lines = std::iter::once(Ok(first)).chain(reader.lines());
        for (i, line) in lines.enumerate() {
            let line = line.map_err(|e| error(Some(i + 1), e.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Line>(&line)
                .map_err(|e| error(Some(i + 1), e.to_string()))?
            {
                Line::Header { model, domain } => header = Some((model, domain)),
                Line::Region(r) => regions.push(r),
                Line::Summary(s) => summary = Some(s),
            }
        }
        let (model, file_domain) = header.ok_or_else(|| error(None, "no header line".into()))?;
        let summary = summary.ok_or_else(|| {
            error(
                None,
                "no summary line: the file is incomplete (was enumerate interrupted?)".into(),
            )
        })?;
        (model, file_domain, regions, summary)
    } else {
        let rest = std::io::Read::chain(first.as_bytes(), reader);
        let f: JsonFile = serde_json::from_reader(rest)
            .map_err(|e| error(Some(e.line()), format!("column {}: {e}", e.column())))?;
        (f.model, f.domain, f.regions, f.summary)
    };
    if !summary.complete {
        return Err(error(
            None,
            "the summary says \"complete\": false: the run was stopped before its end, so the file holds only some regions".into(),
        ));
    }
    if summary.regions != regions.len() as u64 {
        return Err(error(
            None,
            format!(
                "the summary counts {} regions but the file holds {}",
                summary.regions,
                regions.len()
            ),
        ));
    }
    if file_domain != domain.to_json() {
        return Err(error(
            None,
            format!(
                "the file was enumerated on the domain {file_domain}, not on the one given ({})",
                domain.to_json()
            ),
        ));
    }
    let widths = serde_json::json!(network.hidden_widths());
    if model.get("hidden_widths") != Some(&widths)
        || model.get("input_dim") != Some(&network.input_dim().into())
    {
        return Err(error(
            None,
            format!(
                "the file is for a model with {} inputs and hidden layers {}, not {} inputs and {widths}",
                model.get("input_dim").unwrap_or(&Value::Null),
                model.get("hidden_widths").unwrap_or(&Value::Null),
                network.input_dim()
            ),
        ));
    }
    let expected: Vec<usize> = network.hidden_widths();
    for r in &regions {
        let shape: Option<Vec<usize>> =
            Pattern::parse(&r.pattern).map(|p| p.layers().iter().map(Vec::len).collect());
        if shape.as_ref() != Some(&expected) {
            return Err(error(
                None,
                format!(
                    "region {}: pattern `{}` does not fit the model",
                    r.id, r.pattern
                ),
            ));
        }
        if let Some(c) = r
            .constraints
            .iter()
            .find(|c| c.a.len() != network.input_dim())
        {
            return Err(error(
                None,
                format!(
                    "region {}: a constraint has {} coefficients, not {}",
                    r.id,
                    c.a.len(),
                    network.input_dim()
                ),
            ));
        }
    }
    Ok(regions)
}
