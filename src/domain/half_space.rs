//! A half-space `a·t ≤ b`: the row type of every domain and every cell.

/// A half-space `a·t ≤ b` (strict for the open polyhedron it bounds).
#[derive(Debug, Clone, PartialEq)]
pub struct HalfSpace {
    /// The normal.
    pub a: Vec<f64>,
    /// The offset.
    pub b: f64,
}
