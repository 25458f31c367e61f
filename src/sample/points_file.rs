//! Data points from a file: CSV text or a NumPy `.npy` array.
//!
//! - **CSV** (any extension but `.npy`): one point per line, its coordinates
//!   separated by commas, or by spaces and tabs when the line has no comma
//!   (NumPy's `savetxt` default). Blank lines and lines starting with `#` are
//!   skipped; there is no header row. Errors name the line (from 1).
//! - **`.npy`**: a 2-D array of `float32` or `float64`, little- or
//!   big-endian, in C or Fortran order: one point per row. The header, a
//!   small Python dict literal (NumPy's "NPY format" specification, versions
//!   1.0 to 3.0), is parsed here; no other crate is needed. Errors name the
//!   row (from 0, as NumPy indexes).
//!
//! Every point must have as many coordinates as the model has inputs, and
//! every coordinate must be finite. A file with no points is an error.

use crate::sample::error::{PointOrigin, SampleInputError};
use std::path::Path;

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsFormat {
    /// Text, one point per line.
    Csv,
    /// A NumPy array.
    Npy,
}

/// Points read from a file, each with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PointsFile {
    /// The format read.
    pub format: PointsFormat,
    /// The points, in file order.
    pub points: Vec<Vec<f64>>,
    /// The line or row of each point.
    pub origins: Vec<PointOrigin>,
}

/// Reads the points of `path` (the format told by its extension: `.npy` or
/// else CSV), each of dimension `dim`.
pub fn read_points(path: &Path, dim: usize) -> Result<PointsFile, SampleInputError> {
    let error = |place: Option<PointOrigin>, message: String| SampleInputError::Points {
        path: path.to_path_buf(),
        place,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| error(None, format!("cannot read: {e}")))?;
    let is_npy = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"));
    let file = if is_npy {
        parse_npy(&bytes, dim).map_err(|(place, message)| error(place, message))?
    } else {
        let text =
            std::str::from_utf8(&bytes).map_err(|e| error(None, format!("not UTF-8 text: {e}")))?;
        parse_csv(text, dim).map_err(|(place, message)| error(place, message))?
    };
    if file.points.is_empty() {
        return Err(error(None, "the file holds no points".into()));
    }
    Ok(file)
}

type Failure = (Option<PointOrigin>, String);

/// Checks one point's width and values.
fn check_point(point: &[f64], dim: usize, place: PointOrigin) -> Result<(), Failure> {
    if point.len() != dim {
        return Err((
            Some(place),
            format!("{} values, but the model takes {dim} inputs", point.len()),
        ));
    }
    if let Some(j) = point.iter().position(|v| !v.is_finite()) {
        return Err((
            Some(place),
            format!("value {} (column {j}) is not finite", point[j]),
        ));
    }
    Ok(())
}

/// Parses CSV text (see the module doc).
pub fn parse_csv(text: &str, dim: usize) -> Result<PointsFile, Failure> {
    let mut points = Vec::new();
    let mut origins = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let place = PointOrigin::Line(i + 1);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = if line.contains(',') {
            line.split(',').map(str::trim).collect()
        } else {
            line.split_whitespace().collect()
        };
        let point = fields
            .iter()
            .enumerate()
            .map(|(j, f)| {
                f.parse::<f64>()
                    .map_err(|_| (Some(place), format!("`{f}` (column {j}) is not a number")))
            })
            .collect::<Result<Vec<f64>, Failure>>()?;
        check_point(&point, dim, place)?;
        points.push(point);
        origins.push(place);
    }
    Ok(PointsFile {
        format: PointsFormat::Csv,
        points,
        origins,
    })
}

/// A value of the `.npy` header dict.
#[derive(Debug, PartialEq)]
enum HeaderValue {
    Str(String),
    Bool(bool),
    Tuple(Vec<u64>),
}

/// Parses the header dict, e.g.
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`.
fn parse_header(text: &str) -> Result<Vec<(String, HeaderValue)>, String> {
    let mut rest = text.trim();
    let bad = |what: &str| format!("malformed .npy header ({what}): {text}");
    rest = rest.strip_prefix('{').ok_or_else(|| bad("no `{`"))?;
    let mut entries = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix('}') {
            if !r.trim().is_empty() {
                return Err(bad("text after `}`"));
            }
            return Ok(entries);
        }
        let (key, r) = quoted(rest).ok_or_else(|| bad("a key is not a quoted string"))?;
        rest = r
            .trim_start()
            .strip_prefix(':')
            .ok_or_else(|| bad("no `:` after a key"))?
            .trim_start();
        let value = if let Some((s, r)) = quoted(rest) {
            rest = r;
            HeaderValue::Str(s)
        } else if let Some(r) = rest.strip_prefix("True") {
            rest = r;
            HeaderValue::Bool(true)
        } else if let Some(r) = rest.strip_prefix("False") {
            rest = r;
            HeaderValue::Bool(false)
        } else if let Some(r) = rest.strip_prefix('(') {
            let end = r.find(')').ok_or_else(|| bad("no `)`"))?;
            let dims = r[..end]
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.trim_end_matches('L').parse::<u64>())
                .collect::<Result<Vec<u64>, _>>()
                .map_err(|_| bad("a shape entry is not an integer"))?;
            rest = &r[end + 1..];
            HeaderValue::Tuple(dims)
        } else {
            return Err(bad("a value is not a string, boolean or tuple"));
        };
        entries.push((key, value));
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r;
        }
    }
}

/// A single- or double-quoted string at the start of `s`, and what follows.
fn quoted(s: &str) -> Option<(String, &str)> {
    let q = s.chars().next().filter(|&c| c == '\'' || c == '"')?;
    let end = s[1..].find(q)? + 1;
    Some((s[1..end].to_string(), &s[end + 1..]))
}

/// Parses a `.npy` file's bytes (see the module doc).
pub fn parse_npy(bytes: &[u8], dim: usize) -> Result<PointsFile, Failure> {
    let fail = |m: String| (None, m);
    let magic = b"\x93NUMPY";
    if bytes.len() < 10 || &bytes[..6] != magic {
        return Err(fail(
            "not a .npy file (it does not start with \\x93NUMPY)".into(),
        ));
    }
    let major = bytes[6];
    let (header_len, start) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        _ => {
            return Err(fail(format!(
                ".npy format version {major} is not supported (1 to 3 are)"
            )))
        }
    };
    let header = bytes
        .get(start..start + header_len)
        .ok_or_else(|| fail("the .npy header is cut short".into()))?;
    let header =
        std::str::from_utf8(header).map_err(|_| fail("the .npy header is not text".into()))?;
    let entries = parse_header(header).map_err(fail)?;
    let get = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let descr = match get("descr") {
        Some(HeaderValue::Str(s)) => s.as_str(),
        _ => return Err(fail("the .npy header has no `descr`".into())),
    };
    let (big_endian, width) = match descr {
        "<f8" => (false, 8),
        "<f4" => (false, 4),
        ">f8" => (true, 8),
        ">f4" => (true, 4),
        other => {
            return Err(fail(format!(
            "dtype `{other}` is not supported (float32 or float64: save with X.astype(np.float64))"
        )))
        }
    };
    let fortran = match get("fortran_order") {
        Some(HeaderValue::Bool(b)) => *b,
        _ => return Err(fail("the .npy header has no `fortran_order`".into())),
    };
    let (rows, cols) = match get("shape") {
        Some(HeaderValue::Tuple(s)) if s.len() == 2 => (s[0] as usize, s[1] as usize),
        Some(HeaderValue::Tuple(s)) => {
            return Err(fail(format!(
                "the array has shape {s:?}; a 2-D array (points × {dim}) is needed"
            )))
        }
        _ => return Err(fail("the .npy header has no `shape`".into())),
    };
    if cols != dim {
        return Err(fail(format!(
            "the array has {cols} columns, but the model takes {dim} inputs"
        )));
    }
    let data = &bytes[start + header_len..];
    let needed = rows
        .checked_mul(cols)
        .and_then(|n| n.checked_mul(width))
        .ok_or_else(|| fail("the shape is too large".into()))?;
    if data.len() < needed {
        return Err(fail(format!(
            "the data has {} bytes, but shape ({rows}, {cols}) needs {needed}",
            data.len()
        )));
    }
    let value = |k: usize| -> f64 {
        let b = &data[k * width..(k + 1) * width];
        match (width, big_endian) {
            (8, false) => f64::from_le_bytes(b.try_into().expect("8 bytes")),
            (8, true) => f64::from_be_bytes(b.try_into().expect("8 bytes")),
            (_, false) => f32::from_le_bytes(b.try_into().expect("4 bytes")) as f64,
            (_, true) => f32::from_be_bytes(b.try_into().expect("4 bytes")) as f64,
        }
    };
    let mut points = Vec::with_capacity(rows);
    let mut origins = Vec::with_capacity(rows);
    for i in 0..rows {
        let point: Vec<f64> = (0..cols)
            .map(|j| value(if fortran { j * rows + i } else { i * cols + j }))
            .collect();
        check_point(&point, dim, PointOrigin::Row(i))?;
        points.push(point);
        origins.push(PointOrigin::Row(i));
    }
    Ok(PointsFile {
        format: PointsFormat::Npy,
        points,
        origins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `.npy` file as the NPY format specification lays it out: magic,
    /// version 1.0, a little-endian u16 header length, the header padded
    /// with spaces and ended by a newline so the data starts at a multiple
    /// of 64 bytes, then the data.
    fn npy(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
        let mut header = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
            if fortran { "True" } else { "False" }
        );
        while !(10 + header.len() + 1).is_multiple_of(64) {
            header.push(' ');
        }
        header.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend((header.len() as u16).to_le_bytes());
        out.extend(header.bytes());
        out.extend(data);
        out
    }

    #[test]
    fn csv_with_commas_spaces_comments_and_blank_lines() {
        let f = parse_csv("# x, y\n1, 2\n\n3.5 -4e-1\n", 2).unwrap();
        assert_eq!(f.points, vec![vec![1.0, 2.0], vec![3.5, -0.4]]);
        assert_eq!(f.origins, vec![PointOrigin::Line(2), PointOrigin::Line(4)]);
    }

    #[test]
    fn csv_errors_name_the_line() {
        let (place, m) = parse_csv("1,2\n1,2,3\n", 2).unwrap_err();
        assert_eq!(place, Some(PointOrigin::Line(2)));
        assert!(m.contains("3 values"), "{m}");
        let (place, m) = parse_csv("1,2\n\n1,NaN\n", 2).unwrap_err();
        assert_eq!(place, Some(PointOrigin::Line(3)));
        assert!(m.contains("not finite"), "{m}");
        let (place, m) = parse_csv("1,x\n", 2).unwrap_err();
        assert_eq!(place, Some(PointOrigin::Line(1)));
        assert!(m.contains("`x`"), "{m}");
    }

    #[test]
    fn npy_float64_c_order_and_float32_fortran_order() {
        let values = [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0];
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let f = parse_npy(&npy("<f8", false, "(3, 2)", &data), 2).unwrap();
        assert_eq!(
            f.points,
            vec![vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]]
        );
        // The same 3 × 2 array in Fortran order stores column 0 first.
        let columns = [1.0f32, 3.0, 5.0, 2.0, 4.0, 6.0];
        let data: Vec<u8> = columns.iter().flat_map(|v| v.to_le_bytes()).collect();
        let g = parse_npy(&npy("<f4", true, "(3, 2)", &data), 2).unwrap();
        assert_eq!(g.points, f.points);
        let be: Vec<u8> = values.iter().flat_map(|v| v.to_be_bytes()).collect();
        assert_eq!(
            parse_npy(&npy(">f8", false, "(3, 2)", &be), 2)
                .unwrap()
                .points,
            f.points
        );
    }

    #[test]
    fn npy_errors() {
        let data: Vec<u8> = [1.0f64, f64::NAN]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let (place, m) = parse_npy(&npy("<f8", false, "(1, 2)", &data), 2).unwrap_err();
        assert_eq!(place, Some(PointOrigin::Row(0)));
        assert!(m.contains("not finite"), "{m}");
        let (_, m) = parse_npy(&npy("<f8", false, "(2, 1)", &data), 2).unwrap_err();
        assert!(m.contains("1 columns"), "{m}");
        let (_, m) = parse_npy(&npy("<i8", false, "(1, 2)", &data), 2).unwrap_err();
        assert!(m.contains("<i8"), "{m}");
        let (_, m) = parse_npy(&npy("<f8", false, "(2,)", &data), 2).unwrap_err();
        assert!(m.contains("2-D"), "{m}");
        let (_, m) = parse_npy(&npy("<f8", false, "(2, 2)", &data), 2).unwrap_err();
        assert!(m.contains("needs 32"), "{m}");
        let (_, m) = parse_npy(b"1,2\n3,4\n", 2).unwrap_err();
        assert!(m.contains("not a .npy"), "{m}");
    }
}
