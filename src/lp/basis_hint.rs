//! A basis to start from. A child cell's LP is its parent's with a few rows
//! added, and a basis that was optimal for a set of rows stays *dual
//! feasible* when rows are added (its multipliers still combine to the
//! objective, with the same signs). So the dual simplex can start from the
//! parent's optimal basis and usually needs only a pivot or two for the new
//! rows, instead of the `n` to `2n` pivots of a cold start
//! (docs/performance.md, "Warm starts").
//!
//! A hint names its rows as the LP does (a given row by index, or a
//! variable's bound), so it outlives the engine's workspace. A hint that
//! does not fit the LP it is given to (an index out of range, a singular or
//! no longer dual feasible basis) is ignored: the engine starts cold. So a
//! hint can make a solve faster or slower, never different in what it
//! decides beyond the engine's own tolerances.

/// One row of a basis, named as the LP names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasisRow {
    /// The LP's given row with this index.
    Row(u32),
    /// The upper bound of this variable.
    Upper(u32),
    /// The lower bound of this variable.
    Lower(u32),
}

/// The rows of an optimal basis, one per variable, as a hint for a later LP
/// over the same variables and objective with more rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Basis(pub Vec<BasisRow>);
