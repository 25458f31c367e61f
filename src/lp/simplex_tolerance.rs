//! The tolerances of the dense dual simplex ([`super::WarmLp`]), named, with
//! the reason for each value. The walk feeds it rows with unit (or nearly
//! unit) normals in working coordinates of size about 1, so absolute values
//! here are relative to that scale; each test also scales with the row.

/// A row `a·x ≤ b` counts as violated when `a·x − b > PRIMAL_FEAS · ‖a‖ ·
/// (1 + ‖x‖∞)`: its point lies beyond the hyperplane by more than this
/// distance, relative to the size of the point.
///
/// Why `1e-10`: `a·x` carries a rounding error of about `n · 1.1e-16 · ‖a‖‖x‖`
/// (below `3e-15` for `n ≤ 20`), and the vertex, solved from a basis that is
/// refactorised before the answer is given, is accurate to that times the
/// basis condition number; `1e-10` leaves room for conditions up to `1e4`.
/// It is also 100 times below the walk's interior threshold
/// `TAU_INTERIOR = 1e-8`, so a Chebyshev radius comes out accurate far
/// beyond what any walk decision looks at. This is the value microlp uses.
pub const PRIMAL_FEAS: f64 = 1e-10;

/// While artificial rows `±x_i ≤ M` (with `M` "infinitely" large) are still
/// in the basis, the vertex is `x0 + M·x1`; a row is violated *for large
/// `M`* when `a·x1 > DIRECTION · ‖a‖ · (1 + ‖x1‖∞)`, and treated as
/// parallel to the recession direction when `|a·x1|` is below that.
///
/// Why `1e-11`: `x1` is a sum of columns of the basis inverse, exact up to a
/// few units of `1e-16` times the basis condition, so a row truly parallel to
/// it gives `|a·x1|` below `1e-13` for conditions up to `1e3`; a row that is
/// nearly parallel but not quite is tipped into the parallel class only if
/// its angle is below `1e-11`, which at the end moves the point by at most
/// `1e-11` per unit of `M` (see `WarmLp::point`).
pub const DIRECTION: f64 = 1e-11;

/// In the ratio test, a basic row can leave only when its coordinate `w_k`
/// in the entering row exceeds `PIVOT · max(1, ‖w‖∞)`.
///
/// Why `1e-9`: a pivot on `w_k` scales the basis inverse by `1 / w_k`; a
/// coordinate that is rounding noise (a few units of `1e-16` times the
/// basis condition) must never be pivoted on, and a real one below `1e-9`
/// would make the new basis so ill-conditioned (condition `> 1e9`) that the
/// vertex loses the accuracy [`PRIMAL_FEAS`] assumes. Refusing it declares a
/// (nearly) dependent row unhelpful, which is what it is at this precision.
pub const PIVOT: f64 = 1e-9;

/// A multiplier `y_k ≥ −DUAL_FEAS · max(1, ‖c‖∞)` counts as nonnegative.
/// Harris's ratio test uses this slack to choose, among near-ties, the pivot
/// with the largest coordinate, so that stability does not hinge on ties
/// broken by rounding.
///
/// Why `1e-10`: multipliers are solved from the same basis as the vertex and
/// carry the same relative error as it (see [`PRIMAL_FEAS`]); allowing
/// negatives of this size changes the optimal value by at most `1e-10` times
/// the primal scale, the same as the primal tolerance allows.
pub const DUAL_FEAS: f64 = 1e-10;

/// At the end, an artificial row still in the basis with multiplier above
/// `UNBOUNDED · max(1, ‖c‖∞)` means the objective grows with `M`: the LP is
/// unbounded. Below, the artificial row carries no weight and the optimum is
/// finite (the point is then slid along the recession direction to the
/// nearest feasible spot, `WarmLp::point`).
///
/// Why `1e-9`: a true multiplier of an artificial row is the objective's
/// component along a recession direction; rounding leaves noise of order
/// [`DUAL_FEAS`] on a multiplier that is truly zero, so `1e-9` keeps a
/// factor 10 above it. An objective within `1e-9` of orthogonal to a
/// recession direction is a near-tie that no float engine decides reliably.
pub const UNBOUNDED: f64 = 1e-9;

/// A pivot whose step `θ` (the entering row's multiplier) is at most this
/// (relative to `max(1, ‖c‖∞)`) leaves the dual objective unchanged: it is
/// degenerate, and only degenerate pivots can cycle.
///
/// Why `1e-12`: well below any multiplier worth the name (see [`DUAL_FEAS`]),
/// so a pivot counted as degenerate truly makes no progress.
pub const DEGENERATE_STEP: f64 = 1e-12;

/// After this many degenerate pivots in a row (not counting those that drive
/// an artificial row out, which cannot repeat), the simplex switches to
/// Bland's rule (smallest index enters and leaves) for the rest of the solve:
/// Bland's rule cannot cycle.
///
/// Why `16` (plus the number of variables): a vertex where many rows meet
/// (three lines through a point, a duplicated row) needs a few degenerate
/// pivots to find the basis whose multipliers are all nonnegative; the
/// largest-violation rule usually finds it in fewer than `n` steps. A run this
/// long means it is going round.
pub const DEGENERATE_RUN: usize = 16;

/// The rank-one updates of the basis inverse are replaced by a fresh
/// factorisation after this many pivots, and before an answer unless the
/// answer passes [`ACCEPT_RESIDUAL`].
///
/// Why `32`: each update adds rounding of about `1e-16` times the basis
/// condition; after 32 updates that is still far below [`PRIMAL_FEAS`], and a
/// refactorisation (`O(n³)`, a few hundred flops at the walk's sizes) every 32
/// pivots costs little.
pub const REFACTOR_EVERY: usize = 32;

/// An answer reached through rank-one updates is given without a fresh
/// factorisation when it solves its own basis to this: every basic row
/// `a·x = b` holds at the vertex within `ACCEPT_RESIDUAL · (1 + ‖x‖∞)` in
/// distance, and the multipliers give `Σ y_k a_k = c` within
/// `ACCEPT_RESIDUAL · (1 + Σ|y_k|) · max(1, ‖c‖∞)`. Otherwise the basis is
/// refactorised and the rows priced again.
///
/// Why `1e-12`: that is 100 times below [`PRIMAL_FEAS`] and [`DUAL_FEAS`],
/// so an accepted answer is as accurate as those tolerances promise; a well
/// conditioned basis after a few updates is exact to a few units of `1e-16`,
/// so the check almost always passes, and it costs `O(n²)` where a
/// refactorisation and the repricing it needs cost `O(n³ + m·n)`.
pub const ACCEPT_RESIDUAL: f64 = 1e-12;

/// Gauss–Jordan elimination declares the basis singular when the best pivot
/// of a column is at most this times the largest entry of its row.
///
/// Why `1e-12`: the ratio test never pivots on coordinates below [`PIVOT`],
/// so a basis it builds has pivots far above this; only an accumulation of
/// rounding in many updates could bring one this low, and then the basis is
/// numerically singular and its vertex meaningless.
pub const SINGULAR_PIVOT: f64 = 1e-12;
