//! Data points from a file: CSV text or a NumPy `.npy` array.
//!
//! - **CSV** (any extension but `.npy`), read with the `csv` crate: one
//!   point per line, its coordinates separated by commas, or by spaces and
//!   tabs when the line has no comma (NumPy's `savetxt` default). Blank lines
//!   and lines starting with `#` are skipped; there is no header row. Errors
//!   name the line (from 1).
//! - **`.npy`**, read with the `npyz` crate: a 2-D array of `float32` or
//!   `float64`, little- or big-endian, in C or Fortran order: one point per
//!   row (NumPy's "NPY format" specification, versions 1.0 to 3.0). Errors
//!   name the row (from 0, as NumPy indexes).
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

/// Parses CSV text (see the module doc) with the `csv` crate: fields
/// separated by commas (quotes allowed), trimmed; a line with no comma is
/// one field, split at its spaces and tabs.
///
/// The crate skips blank and comment lines itself, but the positions it
/// then gives the records that follow point at the skipped lines, so line
/// numbers would be wrong. Each skipped line is handed to it as an empty
/// record instead, so that record `k` is line `k + 1`.
pub fn parse_csv(text: &str, dim: usize) -> Result<PointsFile, Failure> {
    let one_record_a_line: String = text
        .lines()
        .map(|l| {
            let l = l.trim();
            let l = if l.is_empty() || l.starts_with('#') {
                "\"\""
            } else {
                l
            };
            format!("{l}\n")
        })
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(one_record_a_line.as_bytes());
    let mut points = Vec::new();
    let mut origins = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let place = PointOrigin::Line(k + 1);
        let record = record.map_err(|e| (Some(place), format!("not CSV: {e}")))?;
        let fields: Vec<&str> = match record.len() {
            1 => record[0].split_whitespace().collect(),
            _ => record.iter().collect(),
        };
        if fields.is_empty() {
            continue;
        }
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

/// Parses a `.npy` file's bytes (see the module doc) with the `npyz` crate,
/// which reads the header (a Python dict literal) and the data in either
/// byte order.
pub fn parse_npy(bytes: &[u8], dim: usize) -> Result<PointsFile, Failure> {
    let fail = |m: String| (None, m);
    let npy = npyz::NpyFile::new(bytes).map_err(|e| fail(format!("not a .npy file: {e}")))?;
    let header = npy.header().clone();
    let data: &[u8] = npy.into_inner();
    let descr = match header.dtype() {
        npyz::DType::Plain(t) => t.to_string(),
        other => other.descr(),
    };
    let width = match descr.as_str() {
        "<f8" | ">f8" => 8,
        "<f4" | ">f4" => 4,
        other => {
            return Err(fail(format!(
            "dtype `{other}` is not supported (float32 or float64: save with X.astype(np.float64))"
        )))
        }
    };
    let (rows, cols) = match header.shape() {
        &[rows, cols] => (rows as usize, cols as usize),
        s => {
            return Err(fail(format!(
                "the array has shape {s:?}; a 2-D array (points × {dim}) is needed"
            )))
        }
    };
    if cols != dim {
        return Err(fail(format!(
            "the array has {cols} columns, but the model takes {dim} inputs"
        )));
    }
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
    let fortran = header.order() == npyz::Order::Fortran;
    let file = npyz::NpyFile::with_header(header, data);
    let values: Vec<f64> = if width == 8 {
        file.into_vec::<f64>()
    } else {
        file.into_vec::<f32>()
            .map(|v| v.into_iter().map(f64::from).collect())
    }
    .map_err(|e| fail(format!("cannot read the data: {e}")))?;
    let mut points = Vec::with_capacity(rows);
    let mut origins = Vec::with_capacity(rows);
    for i in 0..rows {
        let point: Vec<f64> = (0..cols)
            .map(|j| values[if fortran { j * rows + i } else { i * cols + j }])
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
    fn csv_fields_may_be_quoted_and_lines_keep_their_numbers() {
        // Line 1 a comment, 2 blank, 3 quoted fields, 4 spaces only, 5 tabs.
        let f = parse_csv("# x,y\n\n\"1\",\"2\"\n   \n3\t4\n", 2).unwrap();
        assert_eq!(f.points, vec![vec![1.0, 2.0], vec![3.0, 4.0]]);
        assert_eq!(f.origins, vec![PointOrigin::Line(3), PointOrigin::Line(5)]);
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
