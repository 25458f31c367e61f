//! Every floating-point tolerance of the walk, named, with the reason for its
//! value. Decisions made with these are *float decisions*; by default every
//! one whose margin is within [`NEAR_TIE_MARGIN`] (or the rows' rounding
//! bound) is re-decided in exact arithmetic (docs/numerics.md, "Exact by
//! default"), and every output says how its decisions were made.
//!
//! All lengths are measured in the walk's working coordinates `t`, in which a
//! bounded domain is scaled to the cube `[-1, 1]^k` (see `space.rs`). So the
//! tolerances are relative to the size of the domain, not absolute.

/// A side of a cut (or a region) counts as having interior when its Chebyshev
/// radius, in working coordinates, exceeds this.
///
/// Why `1e-8`: microlp's pivoting tolerance is `1e-10` and its feasibility
/// checks accumulate a few such errors over LU updates, so an empty side can
/// come back with a radius of order `1e-10`. `1e-8` keeps a factor 100 above
/// that noise. A true region thinner than `1e-8` of the domain's half-width
/// is lost by a float decision: that is exactly the case the exact fallback of
/// the certification work exists for.
pub const TAU_INTERIOR: f64 = 1e-8;

/// A pre-activation row `a·t + c` is treated as constant (its `a` as zero)
/// when `‖a‖ ≤ ZERO_ROW_RELATIVE · Σ_j |w_ij| ‖m_j‖`: the size of the terms
/// whose sum is `a`. Likewise `c` counts as zero (and the zero convention makes
/// the neuron off) when `|c|` is below the same relative bound of its terms.
///
/// Why `1e-12`: a sum of `n` products carries a relative rounding error of
/// at most about `n · 1.1e-16`; for layers of up to a few thousand inputs that
/// is below `1e-12`. A row that exactly cancels in real arithmetic (a deeper
/// neuron that copies or negates an earlier one) must be seen as zero, or its
/// rounding noise, once normalised, becomes a random hyperplane.
pub const ZERO_ROW_RELATIVE: f64 = 1e-12;

/// The Chebyshev radius is capped at this many working units, which keeps
/// the LP bounded on unbounded domains (docs/design.md §2). On a bounded domain the
/// working coordinates lie in `[-1, 1]^k`, so the cap never binds there.
pub const RADIUS_CAP: f64 = 1.0;

/// When certifying, a row counts as active at a float LP optimum (and so
/// joins the support of a Motzkin certificate) when its slack, in working
/// units with unit normals, is below this.
///
/// Why `1e-7`: truly active rows have slacks of the LP's error, about
/// `1e-10`. A generous bound only adds rows to the small exact LP that finds
/// the multipliers (a little time); a row wrongly left out makes that LP fail
/// and sends the test to the full exact fallback (more time, same answer).
pub const ACTIVE_SLACK: f64 = 1e-7;
/// Two rows of a region (unit normals, working coordinates) are one
/// hyperplane, and so one facet, when their normals differ by at most this in
/// every entry and their offsets by at most this times `max(1, |b|)`
/// (docs/design.md §3: merge identical rows before the facet test).
///
/// Why `1e-12`: the same half-space written twice (a repeated polytope row,
/// or a positive multiple of one) normalises to unit rows that differ only by
/// the rounding of the normalisation, a few units of `1e-16`, so they must be
/// merged; otherwise the facet LP, with one row as an equality and the other
/// strict, finds neither. Merging cannot lose a facet: of two rows this close,
/// the LP with one as equality leaves the other a slack below `1e-12`, far
/// under [`TAU_INTERIOR`], so at most one of them could be a facet anyway.
pub const SAME_HYPERPLANE: f64 = 1e-12;

/// The neighbour rule of docs/design.md §3 takes a pre-activation `z = a·t + c` as
/// zero at a facet point `y` when `|z(y)| ≤ ON_FACET_RELATIVE · s`, with `s`
/// the size of the row: the terms that sum to its coefficients (as for
/// [`ZERO_ROW_RELATIVE`]) times `max(1, ‖y‖∞)`. Then the slope `a·v` along the
/// facet's outward normal decides the neuron's side instead.
///
/// Why `1e-10`: a neuron that truly vanishes on the facet (the facet's own
/// neuron, a duplicate of it, a deeper neuron bent onto it) evaluates at `y`
/// to rounding noise: the composed row carries a relative error below
/// `1e-12` of its terms (the argument of [`ZERO_ROW_RELATIVE`]) and `y` is
/// projected onto the facet's hyperplane, so its noise is below that too;
/// `1e-10` keeps a factor 100 above. A neuron that does not vanish on the
/// facet is nonzero on its relative interior, and `y` is the facet's
/// Chebyshev centre (at least [`TAU_INTERIOR`] = `1e-8` from every other row
/// of the region), so for a row of ordinary size its value is of that order:
/// `1e-10` keeps a factor 100 below.
pub const ON_FACET_RELATIVE: f64 = 1e-10;

/// Two regions' affine maps surely differ when some entry differs, in f64, by
/// more than `SAME_MAP_RELATIVE` times the sum of the two entries' absolute
/// bounds (the same product of layers with every weight replaced by its
/// absolute value). Otherwise they are compared exactly in rationals
/// (`exact_map.rs`); this is only a quick filter in front of that check.
///
/// Why `1e-9`: an entry of a product of `L` layers of width up to `n`,
/// computed in f64, is off by at most about `L · n · 1.1e-16` times its
/// absolute bound (the standard bound for matrix products); for `L · n` up to
/// `10^6` that is below `1.2e-10`. So a larger difference is real, and the
/// float test never declares two exactly equal maps different.
pub const SAME_MAP_RELATIVE: f64 = 1e-9;
/// A float decision is a *near-tie*, and goes to the exact path, when its
/// margin is below this (in working units, unit normals): a side whose
/// Chebyshev radius is in `(−NEAR_TIE_MARGIN, τ]` is neither clearly empty
/// nor clearly there, and a box range that comes within this of zero does
/// not decide.
///
/// Why `1e-6`: what can move a float margin is the LP's error (the dense
/// engine's primal and dual feasibility tolerances and microlp's are
/// `1e-10`, accumulated over a few dozen pivots), the rounding of the rows (bounded
/// separately, see [`NEAR_TIE_SAFETY`]) and a tightened box's own LP error.
/// `1e-6` is 10,000× the first, so a clear decision cannot be the LP's noise,
/// and small enough that near-ties stay rare: a hyperplane must pass within
/// a millionth of the domain's half-width of a cell without cutting it.
pub const NEAR_TIE_MARGIN: f64 = 1e-6;
/// A decision is also a near-tie when its margin is below this many times
/// the bound on the rounding error of the rows it uses
/// (`PreActivations::row_error`: [`ZERO_ROW_RELATIVE`] times the size of a
/// row's terms over its length). Why `100`: the bound is already a
/// worst-case one; a factor 100 keeps clear decisions clear of it even where
/// a few rows' errors add up.
pub const NEAR_TIE_SAFETY: f64 = 100.0;

/// The polygon walk (2 free coordinates, `walk/polygon/`) trusts the float
/// sign of a neuron's row at a polygon vertex only when the value exceeds
/// `POLYGON_NEAR_TIE_SAFETY` times its error bound; otherwise the test is a near-tie
/// and is decided in exact arithmetic, with no tolerance. The bound is the
/// vertex's own (each vertex carries one, grown by every clip that made it:
/// the endpoints' bounds plus the crossing's conditioning,
/// `walk/polygon/float_polygon.rs`) plus the row's: `SAME_MAP_RELATIVE`
/// times the row's absolute bound (the same product of layers with every
/// weight replaced by its absolute value), times the vertex's size.
///
/// Why `16`: the vertex bounds are first-order estimates (they drop
/// products of two rounding errors) and use `f64::EPSILON` per operation
/// where a careful count gives a few; a factor 16 covers both with room. A
/// larger factor only sends more tests to the exact path (time, never a
/// different answer when the bound holds).
pub const POLYGON_NEAR_TIE_SAFETY: f64 = 16.0;
