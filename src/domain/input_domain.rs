//! Input domains: a box (possibly with fixed coordinates), an H-polytope
//! `A x ≤ b` (possibly unbounded), the whole space, or a plane or segment
//! through given points (docs/design.md §1).

use crate::domain::affine_slice::AffineSlice;
use crate::domain::half_space::HalfSpace;
use crate::error::DomainError;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::Path;

/// A `--box` as written, before the model's dimension is known.
#[derive(Debug, Clone, PartialEq)]
pub enum BoxSpec {
    /// `LO:HI`: the same interval in every coordinate.
    Uniform(f64, f64),
    /// `LO1:HI1,LO2:HI2,...`: one interval per coordinate.
    PerCoordinate(Vec<(f64, f64)>),
}

impl BoxSpec {
    /// Parses `LO:HI` or `LO1:HI1,LO2:HI2,...`. Numbers may be negative and
    /// use exponents (`-1e-3:2.5`); they must be finite.
    pub fn parse(spec: &str) -> Result<Self, DomainError> {
        let error = |message: String| DomainError::BoxSyntax {
            spec: spec.to_string(),
            message,
        };
        let mut intervals = Vec::new();
        for (i, part) in spec.split(',').enumerate() {
            let (lo, hi) = part
                .split_once(':')
                .ok_or_else(|| error(format!("coordinate {i}: expected LO:HI, found `{part}`")))?;
            let number = |text: &str| -> Result<f64, DomainError> {
                let v: f64 = text.trim().parse().map_err(|_| {
                    error(format!("coordinate {i}: `{}` is not a number", text.trim()))
                })?;
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(error(format!(
                        "coordinate {i}: bounds must be finite (use --polytope or --whole for unbounded domains)"
                    )))
                }
            };
            intervals.push((number(lo)?, number(hi)?));
        }
        Ok(if intervals.len() == 1 {
            BoxSpec::Uniform(intervals[0].0, intervals[0].1)
        } else {
            BoxSpec::PerCoordinate(intervals)
        })
    }

    /// The box in `dim` dimensions, checked: the right number of intervals,
    /// none inverted.
    pub fn resolve(&self, dim: usize) -> Result<Domain, DomainError> {
        let intervals = match self {
            BoxSpec::Uniform(lo, hi) => vec![(*lo, *hi); dim],
            BoxSpec::PerCoordinate(v) => v.clone(),
        };
        Domain::new_box(intervals, dim)
    }
}

/// An input domain.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// A product of intervals `[lo_i, hi_i]`; `lo_i == hi_i` fixes coordinate `i`.
    Box(Vec<(f64, f64)>),
    /// `{x : A x ≤ b}` (its interior is the domain).
    Polytope {
        /// Rows of `A`.
        a: Vec<Vec<f64>>,
        /// Right-hand sides.
        b: Vec<f64>,
    },
    /// All of `R^dim`.
    Whole(usize),
    /// A plane or segment through given points, over a window of its own
    /// coordinates (which are then the domain's coordinates).
    Affine(AffineSlice),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolytopeFile {
    #[serde(rename = "A")]
    a: Vec<Vec<f64>>,
    b: Vec<f64>,
}

impl Domain {
    /// A checked box for a model with `dim` inputs.
    pub fn new_box(intervals: Vec<(f64, f64)>, dim: usize) -> Result<Self, DomainError> {
        if intervals.len() != dim {
            return Err(DomainError::Dimension {
                domain: intervals.len(),
                model: dim,
            });
        }
        for (coordinate, &(lo, hi)) in intervals.iter().enumerate() {
            if lo > hi || !lo.is_finite() || !hi.is_finite() {
                return Err(DomainError::EmptyInterval { coordinate, lo, hi });
            }
        }
        Ok(Domain::Box(intervals))
    }

    /// Reads a polytope file `{"A": [[...]], "b": [...]}` meaning `A x ≤ b`.
    pub fn load_polytope(path: &Path) -> Result<Self, DomainError> {
        let error = |message: String| DomainError::PolytopeFile {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read: {e}")))?;
        let file: PolytopeFile = serde_json::from_str(&text)
            .map_err(|e| error(format!("line {}, column {}: {e}", e.line(), e.column())))?;
        let dim = file.a.first().map(Vec::len).unwrap_or(0);
        if file.a.is_empty() || dim == 0 {
            return Err(error("`A` has no rows or no columns".into()));
        }
        if let Some(i) = file.a.iter().position(|r| r.len() != dim) {
            return Err(error(format!(
                "row {i} of `A` has {} entries but row 0 has {dim}",
                file.a[i].len()
            )));
        }
        if file.b.len() != file.a.len() {
            return Err(error(format!(
                "`b` has {} entries but `A` has {} rows",
                file.b.len(),
                file.a.len()
            )));
        }
        Ok(Domain::Polytope {
            a: file.a,
            b: file.b,
        })
    }

    /// The dimension of the space the domain lives in.
    pub fn dim(&self) -> usize {
        match self {
            Domain::Box(v) => v.len(),
            Domain::Polytope { a, .. } => a[0].len(),
            Domain::Whole(d) => *d,
            Domain::Affine(s) => s.input_dim(),
        }
    }

    /// The dimension of the domain's own coordinates, in which its rows and
    /// regions are written: the input's, or a slice's `k`.
    pub fn coordinate_dim(&self) -> usize {
        match self {
            Domain::Affine(s) => s.dim(),
            _ => self.dim(),
        }
    }

    /// The domain as a box in its own coordinates, if it is one: a box's
    /// intervals, or a slice's window.
    pub fn window(&self) -> Option<&[(f64, f64)]> {
        match self {
            Domain::Box(v) => Some(v),
            Domain::Affine(s) => Some(s.window()),
            _ => None,
        }
    }

    /// An error unless the domain's dimension is `model`.
    pub fn check_dim(&self, model: usize) -> Result<(), DomainError> {
        if self.dim() == model {
            Ok(())
        } else {
            Err(DomainError::Dimension {
                domain: self.dim(),
                model,
            })
        }
    }

    /// The domain's rows `g·x ≤ h` in its own coordinates: the input
    /// space's, or a slice's window coordinates. For a box (and a slice's
    /// window), row `2i` is `−x_i ≤ −lo_i` and row `2i+1` is `x_i ≤ hi_i`,
    /// for every coordinate, fixed ones included. Region files refer to
    /// domain rows by this index.
    pub fn rows(&self) -> Vec<HalfSpace> {
        match self {
            Domain::Box(v) => box_rows(v),
            Domain::Affine(s) => s.rows(),
            Domain::Polytope { a, b } => a
                .iter()
                .zip(b)
                .map(|(a, &b)| HalfSpace { a: a.clone(), b })
                .collect(),
            Domain::Whole(_) => Vec::new(),
        }
    }

    /// The coordinates fixed by the domain (`lo == hi` in a box), with their values.
    pub fn fixed(&self) -> Vec<(usize, f64)> {
        match self {
            Domain::Box(v) => v
                .iter()
                .enumerate()
                .filter(|(_, (lo, hi))| lo == hi)
                .map(|(i, &(lo, _))| (i, lo))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The domain cut to the box `clip` (same dimension), and whether that
    /// changed it. A box stays a box; the whole space becomes the box; a
    /// polytope gains the box's rows.
    pub fn intersect_box(&self, clip: &[(f64, f64)]) -> Result<(Domain, bool), DomainError> {
        self.check_dim(clip.len())?;
        Ok(match self {
            Domain::Box(v) => {
                let cut: Vec<(f64, f64)> = v
                    .iter()
                    .zip(clip)
                    .map(|(&(lo, hi), &(cl, ch))| (lo.max(cl), hi.min(ch)))
                    .collect();
                let changed = cut != *v;
                (Domain::new_box(cut, clip.len())?, changed)
            }
            Domain::Whole(_) => (Domain::Box(clip.to_vec()), true),
            // A slice stays as given if the clip box holds its window's
            // corners (then, being convex, all of it); cutting it would make
            // a polytope in slice coordinates, which is not supported.
            Domain::Affine(s) => {
                let k = s.dim();
                for corner in 0..1usize << k {
                    let at: Vec<f64> = (0..k)
                        .map(|j| {
                            let (lo, hi) = s.window()[j];
                            if corner >> j & 1 == 1 {
                                hi
                            } else {
                                lo
                            }
                        })
                        .collect();
                    let x = s.to_input(&at);
                    if let Some(i) =
                        (0..x.len()).find(|&i| !(clip[i].0..=clip[i].1).contains(&x[i]))
                    {
                        return Err(DomainError::Slice {
                            message: format!(
                                "the slice leaves the model's input box: at slice point {at:?}, input {i} is {} outside [{}, {}]; choose a smaller window",
                                x[i], clip[i].0, clip[i].1
                            ),
                        });
                    }
                }
                (self.clone(), false)
            }
            Domain::Polytope { a, b } => {
                let mut a = a.clone();
                let mut b = b.clone();
                for row in box_rows(clip) {
                    a.push(row.a);
                    b.push(row.b);
                }
                (Domain::Polytope { a, b }, true)
            }
        })
    }

    /// A JSON description, as written in every output.
    pub fn to_json(&self) -> Value {
        match self {
            Domain::Box(v) => json!({
                "kind": "box",
                "lo": v.iter().map(|p| p.0).collect::<Vec<_>>(),
                "hi": v.iter().map(|p| p.1).collect::<Vec<_>>(),
                "fixed": self.fixed().iter().map(|p| p.0).collect::<Vec<_>>(),
            }),
            Domain::Polytope { a, b } => json!({"kind": "polytope", "A": a, "b": b}),
            Domain::Whole(d) => json!({"kind": "whole", "dim": d}),
            Domain::Affine(s) => s.to_json(),
        }
    }
}

/// The rows of the box `v`: row `2i` is `−x_i ≤ −lo_i`, row `2i+1` is
/// `x_i ≤ hi_i`.
pub(crate) fn box_rows(v: &[(f64, f64)]) -> Vec<HalfSpace> {
    let d = v.len();
    let unit = |i: usize, s: f64| {
        let mut a = vec![0.0; d];
        a[i] = s;
        a
    };
    v.iter()
        .enumerate()
        .flat_map(|(i, &(lo, hi))| {
            [
                HalfSpace {
                    a: unit(i, -1.0),
                    b: -lo,
                },
                HalfSpace {
                    a: unit(i, 1.0),
                    b: hi,
                },
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_negative_and_per_coordinate_boxes() {
        assert_eq!(BoxSpec::parse("-1:1").unwrap(), BoxSpec::Uniform(-1.0, 1.0));
        assert_eq!(
            BoxSpec::parse("-1e-3:2.5,0:0").unwrap(),
            BoxSpec::PerCoordinate(vec![(-1e-3, 2.5), (0.0, 0.0)])
        );
        assert!(BoxSpec::parse("1").is_err());
        assert!(BoxSpec::parse("a:1").is_err());
        assert!(BoxSpec::parse("-inf:1").is_err());
    }

    #[test]
    fn rejects_inverted_and_misdimensioned_boxes() {
        let e = BoxSpec::parse("0:1,2:1").unwrap().resolve(2).unwrap_err();
        assert!(e.to_string().contains("coordinate 1"), "{e}");
        let e = BoxSpec::parse("0:1,0:1").unwrap().resolve(3).unwrap_err();
        assert!(e.to_string().contains("dimension 2"), "{e}");
        let fixed = BoxSpec::parse("0:1,0.5:0.5").unwrap().resolve(2).unwrap();
        assert_eq!(fixed.fixed(), vec![(1, 0.5)]);
    }
}
