//! The Chebyshev ball of an open polyhedron `{t : a_j·t < b_j}`: the largest
//! ball inside it, by one LP (docs/design.md §2): maximise `r` subject to
//! `a_j·t + r·‖a_j‖ ≤ b_j` and `0 ≤ r ≤ cap`.

use crate::domain::half_space::HalfSpace;
use crate::error::LpError;
use crate::lp::scratch_program::ScratchProgram;
use crate::lp::{Basis, LinearProgram, LpEngine, LpOutcome, LpRow, RowKind};
use crate::model::affine::norm;
use std::cell::RefCell;

/// A ball: a centre and a radius.
#[derive(Debug, Clone, PartialEq)]
pub struct Ball {
    /// The centre.
    pub center: Vec<f64>,
    /// The radius.
    pub radius: f64,
}

/// The Chebyshev ball of `{t ∈ R^dim : a·t < b for every row}`, with the
/// radius capped at `cap`. `norm` gives the length used for each row's
/// normal: the Euclidean norm for the working metric, or a scaled one to
/// measure the radius in other coordinates. The radius may come back zero or
/// negative: then the set has no interior. `None` only if the engine reports
/// infeasibility, which a free radius rules out in exact arithmetic.
pub fn chebyshev_ball<'a>(
    engine: &dyn LpEngine,
    dim: usize,
    rows: impl IntoIterator<Item = &'a HalfSpace>,
    norm: impl Fn(&[f64]) -> f64,
    cap: f64,
) -> Result<Option<Ball>, LpError> {
    Ok(chebyshev_ball_from(engine, dim, rows, norm, cap, None)?.0)
}

/// [`chebyshev_ball`], starting from `hint` (the final basis of the ball LP
/// of some of these rows, in the same order), where the engine can; with
/// the final basis of this one, a hint for a ball LP of more rows.
fn chebyshev_ball_from<'a>(
    engine: &dyn LpEngine,
    dim: usize,
    rows: impl IntoIterator<Item = &'a HalfSpace>,
    norm: impl Fn(&[f64]) -> f64,
    cap: f64,
    hint: Option<&Basis>,
) -> Result<(Option<Ball>, Option<Basis>), LpError> {
    let rows = rows.into_iter().map(|h| (h.a.as_slice(), norm(&h.a), h.b));
    let answer = with_program(dim, rows, cap, |lp| engine.maximise_from(lp, hint))?;
    ball_of(engine, answer)
}

/// The ball LP of one side of a side test (docs/design.md §2, step 4):
/// the rows of a piece, `a_j·t < b_j` (Euclidean norms), and the side's
/// own row `σ·(a·t + c) > 0`, written `−σ a·t < σ c`. The side tests of
/// one piece, one per neuron, ask LPs that differ only in that last row.
#[derive(Debug, Clone, Copy)]
pub struct SideLp<'a> {
    /// Names `rows` and the hint the LP starts from together: two side LPs
    /// with the same nonzero key have the same rows and the same hint, so
    /// an engine may keep what it built from them for the next one
    /// (`lp/warm_lp/ball_session.rs`). 0 names nothing.
    pub key: u64,
    /// The number of coordinates `t` (the LP has one more variable, `r`).
    pub dim: usize,
    /// The piece's rows.
    pub rows: &'a [HalfSpace],
    /// The side's affine function `z = a·t + c`, as `(a, c)`.
    pub z: (&'a [f64], f64),
    /// `σ`: `1` for the side `z > 0`, `−1` for `z < 0`.
    pub sign: f64,
    /// The radius cap.
    pub cap: f64,
}

impl SideLp<'_> {
    /// The side's own row as a half-space of `t`: `(−σ a, σ c)`, each
    /// coefficient `−σ a_i` (exact: `σ` is `±1`).
    pub fn side_row(&self) -> impl Iterator<Item = f64> + '_ {
        self.z.0.iter().map(move |v| -self.sign * v)
    }

    /// Builds the LP (rows, then the side's row; objective `r`, `r ≤ cap`)
    /// in a thread's scratch program and hands it to `solve`.
    pub fn with_program<T>(
        &self,
        solve: impl FnOnce(&LinearProgram) -> Result<T, LpError>,
    ) -> Result<T, LpError> {
        let side: Vec<f64> = self.side_row().collect();
        let size = norm(&side);
        let rows = self.rows.iter().map(|h| (h.a.as_slice(), norm(&h.a), h.b));
        let rows = rows.chain([(side.as_slice(), size, self.sign * self.z.1)]);
        with_program(self.dim, rows, self.cap, solve)
    }
}

/// The Chebyshev ball of one side of a side test ([`SideLp`]), from `hint`
/// where the engine can, with the final basis.
pub(crate) fn chebyshev_side(
    engine: &dyn LpEngine,
    side: &SideLp<'_>,
    hint: Option<&Basis>,
) -> Result<(Option<Ball>, Option<Basis>), LpError> {
    let answer = engine.maximise_side(side, hint)?;
    ball_of(engine, answer)
}

/// The ball LP of `rows` (each `(a, size, b)`: `a·t + r·size ≤ b`) built in
/// the thread's scratch program and handed to `solve`.
fn with_program<'a, T>(
    dim: usize,
    rows: impl IntoIterator<Item = (&'a [f64], f64, f64)>,
    cap: f64,
    solve: impl FnOnce(&LinearProgram) -> Result<T, LpError>,
) -> Result<T, LpError> {
    SCRATCH.with(|scratch| {
        let objective = (0..=dim).map(|i| if i == dim { 1.0 } else { 0.0 });
        let free = (f64::NEG_INFINITY, f64::INFINITY);
        let bounds = (0..=dim).map(|i| {
            if i == dim {
                (f64::NEG_INFINITY, cap)
            } else {
                free
            }
        });
        let mut scratch = scratch.borrow_mut();
        let lp = scratch.build(objective, bounds, rows, |row, (a, size, b)| {
            set_ball_row(row, a, size, b)
        });
        solve(lp)
    })
}

/// The ball of a ball LP's answer.
fn ball_of(
    engine: &dyn LpEngine,
    (outcome, basis): (LpOutcome, Option<Basis>),
) -> Result<(Option<Ball>, Option<Basis>), LpError> {
    match outcome {
        LpOutcome::Optimal { mut x, .. } => {
            let radius = x.pop().unwrap_or(0.0);
            Ok((Some(Ball { center: x, radius }), basis))
        }
        LpOutcome::Infeasible => Ok((None, None)),
        LpOutcome::Unbounded => Err(LpError::Engine {
            engine: engine.name(),
            message: "Chebyshev LP reported unbounded although its radius is capped".into(),
        }),
    }
}

thread_local! {
    /// A thread's ball LP, kept between calls.
    static SCRATCH: RefCell<ScratchProgram> = RefCell::new(ScratchProgram::default());
}

/// Makes `row` the ball LP's row `a·t + r·size ≤ b` (see [`ball_row`]).
fn set_ball_row(row: &mut LpRow, a: &[f64], size: f64, b: f64) {
    row.coeffs.clear();
    row.coeffs.extend_from_slice(a);
    row.coeffs.push(size);
    row.kind = RowKind::LessEq;
    row.rhs = b;
}

/// The row `a·t + r·size ≤ b` of a ball LP in the variables `(t, r)`: a
/// ball of radius `r` around `t` lies inside `a·t ≤ b` when `size` is the
/// normal's length (in the metric the radius is measured in).
pub(crate) fn ball_row(h: &HalfSpace, size: f64) -> LpRow {
    let mut coeffs = Vec::with_capacity(h.a.len() + 1);
    coeffs.extend_from_slice(&h.a);
    coeffs.push(size);
    LpRow {
        coeffs,
        kind: RowKind::LessEq,
        rhs: h.b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::GoodLpMicrolp;

    #[test]
    fn unit_square_has_radius_one_half() {
        let rows = [
            HalfSpace {
                a: vec![1.0, 0.0],
                b: 1.0,
            },
            HalfSpace {
                a: vec![-1.0, 0.0],
                b: 0.0,
            },
            HalfSpace {
                a: vec![0.0, 1.0],
                b: 1.0,
            },
            HalfSpace {
                a: vec![0.0, -1.0],
                b: 0.0,
            },
        ];
        let ball = chebyshev_ball(&GoodLpMicrolp, 2, &rows, norm, 10.0)
            .unwrap()
            .unwrap();
        assert!((ball.radius - 0.5).abs() < 1e-9);
        assert!((ball.center[0] - 0.5).abs() < 1e-9 && (ball.center[1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn empty_and_flat_sets() {
        // x < 0 and x > 1: empty; the best "radius" is -1/2 at x = 1/2.
        let rows = [
            HalfSpace {
                a: vec![1.0],
                b: 0.0,
            },
            HalfSpace {
                a: vec![-1.0],
                b: -1.0,
            },
        ];
        let ball = chebyshev_ball(&GoodLpMicrolp, 1, &rows, norm, 1.0)
            .unwrap()
            .unwrap();
        assert!((ball.radius + 0.5).abs() < 1e-9, "{ball:?}");
        // x <= 0 and x >= 0: a point, radius 0.
        let rows = [
            HalfSpace {
                a: vec![1.0],
                b: 0.0,
            },
            HalfSpace {
                a: vec![-1.0],
                b: 0.0,
            },
        ];
        let ball = chebyshev_ball(&GoodLpMicrolp, 1, &rows, norm, 1.0)
            .unwrap()
            .unwrap();
        assert!(ball.radius.abs() < 1e-12);
    }
}
