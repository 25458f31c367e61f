//! A dense dual simplex for LPs with few variables and many rows, kept with
//! its basis so that a row added later is re-solved warm.
//!
//! The LP `max c·x  s.t.  a_j·x ≤ b_j (or = b_j), lo ≤ x ≤ hi` is solved in
//! its inequality form: bounds become rows, and a basis is a set of `n` rows
//! (`n` = number of variables) whose intersection is a vertex. Its
//! multipliers `y` solve `A_Bᵀ y = c`; the basis is *dual feasible* when
//! `y ≥ 0` on its `≤` rows. The dual simplex keeps that, and while some row is
//! violated at the vertex it brings the most violated one in and drops the
//! basic row the ratio test names (docs/design.md §2 uses the answers). Each
//! iteration costs `O(m·n + n²)`; the basis inverse is updated by rank one
//! and refactorised every [`REFACTOR_EVERY`] pivots and before an answer.
//!
//! A dual feasible start: each variable `x_i` starts with the bound row on
//! the side its objective coefficient pushes it to, or, if that bound is
//! infinite, an *artificial* row `±x_i ≤ M` with `M` unbounded (a big-M in
//! exact lexicographic form: the vertex is `x0 + M·x1`, and a row is violated
//! when it is for every large `M`). Artificial rows only leave. One still in
//! the basis at the end with a positive multiplier proves the LP unbounded.
//!
//! Degeneracy: the largest-violation rule with Harris's ratio test, and after
//! [`DEGENERATE_RUN`] degenerate pivots in a row, Bland's rule, which cannot
//! cycle.
//!
//! Adding a row keeps the multipliers, so the basis stays dual feasible: if
//! the new row is violated, a few dual pivots finish the job. A new
//! objective keeps the vertex, which stays feasible: a few primal pivots
//! finish that one (`new_objective.rs`).

mod answer;
mod ball_session;
mod new_objective;
mod pivot_rules;
mod warm_start;

use super::basis_inverse::{dot, BasisInverse};
use super::simplex_tolerance::{ACCEPT_RESIDUAL, DEGENERATE_RUN, DEGENERATE_STEP, REFACTOR_EVERY};
use super::{LinearProgram, LpOutcome, LpRow, RowKind};
use crate::error::LpError;
pub use ball_session::BallSession;

/// The engine's name in errors and reports.
pub(crate) const NAME: &str = "dense-simplex";

/// The simplex gives up (with an error) after
/// `ITERATIONS_PER_ROW · (m + n) + ITERATIONS_BASE` pivots. Bland's rule
/// terminates, so this only catches numerical breakdown; the dual simplex
/// needs about `n` to `2n` pivots on the walk's LPs.
const ITERATIONS_PER_ROW: usize = 50;
/// See [`ITERATIONS_PER_ROW`].
const ITERATIONS_BASE: usize = 1000;

const NOT_BASIC: usize = usize::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    LessEq,
    Equal,
    Artificial,
}

/// Where a row of the inequality form comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Row(usize),
    Upper(usize),
    Lower(usize),
    Artificial(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Status {
    #[default]
    Empty,
    Feasible,
    Infeasible,
    /// The primal simplex (after a new objective) found an edge along which
    /// the objective grows without bound: `ray`.
    Ray,
}

/// An LP with its current basis: solve it once, then add rows and re-solve
/// warm. All buffers are reused from one solve to the next.
#[derive(Debug, Default, Clone)]
pub struct WarmLp {
    n: usize,
    c: Vec<f64>,
    c_scale: f64,
    given_rows: usize,
    /// The rows of the inequality form, stored by column: `cols[i][j]` is
    /// the coefficient of `x_i` in row `j`. With few columns and many rows,
    /// the products `A·v` the simplex needs at every pivot are `n` vector
    /// updates of length `m`, which the compiler vectorises.
    cols: Vec<Vec<f64>>,
    /// Scratch: one row gathered from the columns; the basis rows; `A·v`.
    row_buf: Vec<f64>,
    basis_rows: Vec<f64>,
    t: Vec<f64>,
    b: Vec<f64>,
    /// `1/‖a_j‖` (1 for a zero row): violations are measured as distances.
    inv_norm: Vec<f64>,
    class: Vec<Class>,
    origin: Vec<Origin>,
    /// An equality row stored as `−a·x ≤ −b` (it entered from that side).
    flipped: Vec<bool>,
    /// Each row's position in the basis, or `NOT_BASIC`.
    pos: Vec<usize>,
    /// Rows that cannot enter: basic or artificial.
    skip: Vec<bool>,
    /// The equality rows.
    equalities: Vec<usize>,
    /// For each variable, its upper-bound, lower-bound and artificial rows
    /// (`NOT_BASIC` where it has none).
    var_rows: Vec<[usize; 3]>,
    /// An unbounded edge found by the primal simplex.
    ray: Vec<f64>,
    basis: Vec<usize>,
    /// The multiplier of each basis position.
    y: Vec<f64>,
    inv: BasisInverse,
    rhs0: Vec<f64>,
    rhs1: Vec<f64>,
    x0: Vec<f64>,
    x1: Vec<f64>,
    /// `a_j·x0 − b_j` and `a_j·x1` for every row, updated at each pivot
    /// (one dot product per row) and recomputed at each refactorisation.
    s0: Vec<f64>,
    s1: Vec<f64>,
    w: Vec<f64>,
    farkas_row: usize,
    farkas_w: Vec<f64>,
    artificials: usize,
    status: Status,
    since_refactor: usize,
    bland: bool,
    bland_from_start: bool,
    pivots: usize,
    degenerate_run: usize,
}

fn engine_error(message: String) -> LpError {
    LpError::Engine {
        engine: NAME,
        message,
    }
}

/// `t = A·v` for `A` stored by columns: `n` vector updates of length `m`.
fn times(cols: &[Vec<f64>], m: usize, v: &[f64], t: &mut Vec<f64>) {
    t.clear();
    t.resize(m, 0.0);
    for (col, &vi) in cols.iter().zip(v) {
        if vi != 0.0 {
            for (tj, aj) in t.iter_mut().zip(&col[..m]) {
                *tj += aj * vi;
            }
        }
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

impl WarmLp {
    /// An empty solver; its buffers grow to the largest LP it meets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Pivots by Bland's rule from the first pivot of each solve, not only
    /// after a run of degenerate pivots: slower, and cannot cycle.
    pub fn set_bland(&mut self, on: bool) {
        self.bland_from_start = on;
    }

    /// Pivots made by the last solve (with the row additions since).
    pub fn pivots(&self) -> usize {
        self.pivots
    }

    /// Whether the last solve switched to Bland's rule (after a run of
    /// degenerate pivots), or used it from the start.
    pub fn used_bland(&self) -> bool {
        self.bland
    }

    /// Solves `lp` from scratch and keeps its final basis.
    pub fn solve(&mut self, lp: &LinearProgram) -> Result<LpOutcome, LpError> {
        self.load(lp)?;
        self.start_basis();
        self.run()?;
        Ok(self.outcome())
    }

    /// Adds `row` to the LP last solved and re-solves from the previous
    /// basis. The row gets the next index (the first added row is
    /// `lp.rows.len()`), also in [`Self::dual_outcome`].
    pub fn add_row(&mut self, row: &LpRow) -> Result<LpOutcome, LpError> {
        if self.status == Status::Empty {
            return Err(engine_error("add_row before any solve".into()));
        }
        self.check_len(row)?;
        let kind = match row.kind {
            RowKind::LessEq => Class::LessEq,
            RowKind::Equal => Class::Equal,
        };
        self.push_row(&row.coeffs, kind, row.rhs, Origin::Row(self.given_rows));
        self.given_rows += 1;
        let j = self.b.len() - 1;
        self.s0[j] = dot(&row.coeffs, &self.x0) - row.rhs;
        self.s1[j] = dot(&row.coeffs, &self.x1);
        match self.status {
            Status::Feasible => {
                self.degenerate_run = 0;
                self.run()?;
            }
            // The basis of an unbounded edge is not dual feasible: start again.
            Status::Ray => {
                self.start_basis();
                self.run()?;
            }
            Status::Empty | Status::Infeasible => {}
        }
        Ok(self.outcome())
    }

    fn check_len(&self, row: &LpRow) -> Result<(), LpError> {
        if row.coeffs.len() == self.n {
            Ok(())
        } else {
            Err(engine_error(format!(
                "a row has {} coefficients for {} variables",
                row.coeffs.len(),
                self.n
            )))
        }
    }

    fn push_row(&mut self, coeffs: &[f64], class: Class, rhs: f64, origin: Origin) {
        for (col, &c) in self.cols.iter_mut().zip(coeffs) {
            col.push(c);
        }
        self.push_row_data(rhs, dot(coeffs, coeffs).sqrt(), class, origin);
    }

    /// `s·x_i ≤ rhs` as a row.
    fn push_unit_row(&mut self, i: usize, s: f64, class: Class, rhs: f64, origin: Origin) {
        for (k, col) in self.cols.iter_mut().enumerate() {
            col.push(if k == i { s } else { 0.0 });
        }
        self.push_row_data(rhs, 1.0, class, origin);
    }

    /// Row `j` gathered into `row_buf`.
    fn gather_row(&mut self, j: usize) {
        self.row_buf.clear();
        self.row_buf.extend(self.cols.iter().map(|col| col[j]));
    }

    /// Everything about a new row but its coefficients.
    fn push_row_data(&mut self, rhs: f64, norm: f64, class: Class, origin: Origin) {
        if class == Class::Equal {
            self.equalities.push(self.b.len());
        }
        self.b.push(rhs);
        self.inv_norm
            .push(if norm > 0.0 { 1.0 / norm } else { 1.0 });
        self.skip.push(class == Class::Artificial);
        self.class.push(class);
        self.origin.push(origin);
        self.flipped.push(false);
        self.pos.push(NOT_BASIC);
        self.s0.push(0.0);
        self.s1.push(0.0);
    }

    /// Empties the columns and every per-row vector for a program of `n`
    /// variables (what [`WarmLp::load`] and the side LPs' direct load both
    /// start from), keeping their capacity.
    fn clear_rows(&mut self, n: usize) {
        self.cols.resize_with(n, Vec::new);
        for col in &mut self.cols {
            col.clear();
        }
        for v in [
            &mut self.b,
            &mut self.inv_norm,
            &mut self.y,
            &mut self.s0,
            &mut self.s1,
        ] {
            v.clear();
        }
        self.class.clear();
        self.origin.clear();
        self.flipped.clear();
        self.pos.clear();
        self.skip.clear();
        self.equalities.clear();
        self.basis.clear();
    }

    /// Zeroes every per-variable vector for `n` variables and the pivot
    /// count: how [`WarmLp::load`] and the side LPs' direct load both end.
    fn zero_columns(&mut self, n: usize) {
        for v in [
            &mut self.rhs0,
            &mut self.rhs1,
            &mut self.x0,
            &mut self.x1,
            &mut self.w,
            &mut self.farkas_w,
        ] {
            v.clear();
            v.resize(n, 0.0);
        }
        self.pivots = 0;
    }

    /// Copies `lp` into the buffers; a start ([`Self::start_basis`] or a
    /// hint's) comes next.
    fn load(&mut self, lp: &LinearProgram) -> Result<(), LpError> {
        let n = lp.objective.len();
        self.n = n;
        self.status = Status::Empty;
        if lp.bounds.len() != n {
            return Err(engine_error(format!(
                "{} bounds for {n} variables",
                lp.bounds.len()
            )));
        }
        self.c.clear();
        self.c.extend_from_slice(&lp.objective);
        self.c_scale = max_abs(&self.c).max(1.0);
        self.clear_rows(n);
        for (i, row) in lp.rows.iter().enumerate() {
            self.check_len(row)?;
            let class = match row.kind {
                RowKind::LessEq => Class::LessEq,
                RowKind::Equal => Class::Equal,
            };
            self.push_row(&row.coeffs, class, row.rhs, Origin::Row(i));
        }
        self.given_rows = lp.rows.len();
        self.var_rows.clear();
        for (i, &(lo, hi)) in lp.bounds.iter().enumerate() {
            let mut rows = [NOT_BASIC; 3];
            if hi < f64::INFINITY {
                rows[0] = self.b.len();
                self.push_unit_row(i, 1.0, Class::LessEq, hi, Origin::Upper(i));
            }
            if lo > f64::NEG_INFINITY {
                rows[1] = self.b.len();
                self.push_unit_row(i, -1.0, Class::LessEq, -lo, Origin::Lower(i));
            }
            self.var_rows.push(rows);
        }
        self.zero_columns(n);
        Ok(())
    }

    /// The dual feasible start: each variable `x_i` enters with the bound
    /// row on the side its objective coefficient pushes it to, or, if that
    /// bound is infinite, an artificial row `±x_i ≤ M` (the one of an earlier
    /// start, turned to the side needed, if there is one).
    fn start_basis(&mut self) {
        for &j in &self.basis {
            self.pos[j] = NOT_BASIC;
            self.skip[j] = self.class[j] == Class::Artificial;
        }
        self.basis.clear();
        self.y.clear();
        self.artificials = 0;
        let n = self.n;
        for i in 0..n {
            let ci = self.c[i];
            let [upper, lower, artificial] = self.var_rows[i];
            let j = if upper != NOT_BASIC && ci >= 0.0 {
                upper
            } else if lower != NOT_BASIC && (ci < 0.0 || (ci == 0.0 && upper == NOT_BASIC)) {
                lower
            } else {
                let s = if ci < 0.0 { -1.0 } else { 1.0 };
                self.artificials += 1;
                if artificial != NOT_BASIC {
                    self.cols[i][artificial] = s;
                    artificial
                } else {
                    let j = self.b.len();
                    self.push_unit_row(i, s, Class::Artificial, 0.0, Origin::Artificial(i));
                    self.var_rows[i][2] = j;
                    j
                }
            };
            self.pos[j] = i;
            self.skip[j] = true;
            self.basis.push(j);
            // y_i = c · (column i of diag(s)⁻¹) = c_i·s = |c_i|.
            self.y.push(ci.abs());
        }
        let (cols, basis) = (&self.cols, &self.basis);
        self.inv
            .reset_diagonal(n, basis.iter().enumerate().map(|(i, &j)| cols[i][j]));
        self.since_refactor = 0;
        self.bland = self.bland_from_start;
        self.degenerate_run = 0;
        self.recompute();
    }

    /// Dual simplex pivots until no row is violated (optimal or unbounded)
    /// or the ratio test finds no leaving row (infeasible).
    fn run(&mut self) -> Result<(), LpError> {
        let limit = ITERATIONS_PER_ROW * (self.b.len() + self.n) + ITERATIONS_BASE;
        for _ in 0..limit {
            let Some(r) = self.price() else {
                if self.settle()? {
                    return Ok(());
                }
                continue;
            };
            self.gather_row(r);
            self.inv.coordinates(&self.row_buf, &mut self.w);
            let Some(q) = self.ratio_test() else {
                if self.since_refactor > 0 {
                    self.refactor()?;
                    continue;
                }
                self.farkas_row = r;
                self.farkas_w.copy_from_slice(&self.w);
                self.status = Status::Infeasible;
                return Ok(());
            };
            self.pivot(r, q)?;
        }
        Err(engine_error(format!(
            "no answer after {limit} pivots ({} rows, {} variables)",
            self.b.len(),
            self.n
        )))
    }

    /// The vertex `x0 + M·x1` of the current basis from its inverse, and
    /// every row's slacks from it.
    fn recompute(&mut self) {
        for (k, &j) in self.basis.iter().enumerate() {
            let artificial = self.class[j] == Class::Artificial;
            self.rhs0[k] = if artificial { 0.0 } else { self.b[j] };
            self.rhs1[k] = if artificial { 1.0 } else { 0.0 };
        }
        self.inv.solve(&self.rhs0, &mut self.x0);
        if self.artificials > 0 {
            self.inv.solve(&self.rhs1, &mut self.x1);
        } else {
            self.x1.fill(0.0);
        }
        times(&self.cols, self.b.len(), &self.x0, &mut self.t);
        for ((s, t), b) in self.s0.iter_mut().zip(&self.t).zip(&self.b) {
            *s = t - b;
        }
        if self.artificials > 0 {
            times(&self.cols, self.b.len(), &self.x1, &mut self.t);
            self.s1.copy_from_slice(&self.t);
        } else {
            self.s1.fill(0.0);
        }
    }

    /// A dual simplex pivot: row `r` enters with the multiplier at which
    /// the multiplier of the basic row at position `q` reaches zero.
    fn pivot(&mut self, r: usize, q: usize) -> Result<(), LpError> {
        let theta = self.y[q].max(0.0) / self.w[q];
        if self.class[self.basis[q]] != Class::Artificial {
            if theta <= DEGENERATE_STEP * self.c_scale {
                self.degenerate_run += 1;
                if self.degenerate_run > DEGENERATE_RUN + self.n {
                    self.bland = true;
                }
            } else {
                self.degenerate_run = 0;
            }
        }
        self.exchange(r, q, theta)
    }

    /// Row `r` (with coordinates `w` in the basis) replaces the basic row at
    /// position `q` and gets the multiplier `theta`; the other multipliers
    /// change by `−theta·w` so that they still combine to `c`.
    fn exchange(&mut self, r: usize, q: usize, theta: f64) -> Result<(), LpError> {
        self.pivots += 1;
        for (yk, wk) in self.y.iter_mut().zip(&self.w) {
            *yk -= theta * wk;
        }
        self.y[q] = theta;
        let leaving = self.basis[q];
        self.pos[leaving] = NOT_BASIC;
        self.skip[leaving] = self.class[leaving] == Class::Artificial;
        self.skip[r] = true;
        self.basis[q] = r;
        self.pos[r] = q;
        self.inv.replace(q, &self.w);
        self.move_point(r, q);
        if self.class[leaving] == Class::Artificial {
            self.artificials -= 1;
            if self.artificials == 0 {
                // x1 = A_B⁻¹·0 exactly: drop the rounding the updates left.
                self.x1.fill(0.0);
                self.s1.fill(0.0);
            }
        }
        self.since_refactor += 1;
        if self.since_refactor >= REFACTOR_EVERY {
            self.refactor()?;
        }
        Ok(())
    }

    /// At a basis that looks optimal: marks the LP solved and returns true
    /// if the answer passes [`ACCEPT_RESIDUAL`], else refactorises so that
    /// the caller looks again, and returns false.
    fn settle(&mut self) -> Result<bool, LpError> {
        if self.since_refactor > 0 && !self.accurate() {
            self.refactor()?;
            return Ok(false);
        }
        self.status = Status::Feasible;
        Ok(true)
    }

    /// Whether the vertex and the multipliers, as the rank-one updates left
    /// them, solve their basis to [`ACCEPT_RESIDUAL`].
    fn accurate(&mut self) -> bool {
        let x_tol = ACCEPT_RESIDUAL * (1.0 + max_abs(&self.x0));
        let d_tol = ACCEPT_RESIDUAL * (1.0 + max_abs(&self.x1));
        self.t.clear();
        self.t.extend_from_slice(&self.c);
        for k in 0..self.n {
            let j = self.basis[k];
            self.gather_row(j);
            let (rhs0, rhs1) = match self.class[j] {
                Class::Artificial => (0.0, 1.0),
                _ => (self.b[j], 0.0),
            };
            let inv = self.inv_norm[j];
            let r0 = (dot(&self.row_buf, &self.x0) - rhs0) * inv;
            let r1 = (dot(&self.row_buf, &self.x1) - rhs1) * inv;
            if r0.abs() > x_tol || r1.abs() > d_tol {
                return false;
            }
            for (g, a) in self.t.iter_mut().zip(&self.row_buf) {
                *g -= self.y[k] * a;
            }
        }
        let weight: f64 = self.y.iter().map(|y| y.abs()).sum();
        max_abs(&self.t) <= ACCEPT_RESIDUAL * (1.0 + weight) * self.c_scale
    }

    /// A fresh inverse from the basis rows, and the multipliers from it.
    fn refactor(&mut self) -> Result<(), LpError> {
        let n = self.n;
        self.basis_rows.clear();
        for &j in &self.basis {
            self.basis_rows.extend(self.cols.iter().map(|col| col[j]));
        }
        self.inv
            .refactor(self.basis_rows.chunks_exact(n.max(1)))
            .map_err(|_| engine_error("the basis became numerically singular".into()))?;
        for k in 0..n {
            self.y[k] = dot(&self.c, self.inv.col(k));
        }
        self.since_refactor = 0;
        self.recompute();
        Ok(())
    }

    /// After row `r` entered at position `q`: the vertex moves along the new
    /// column `d_q` until `r` is tight, `x0` by `−s0_r`, `x1` by `−s1_r`,
    /// and each row's slacks by those times `a_j·d_q`.
    fn move_point(&mut self, r: usize, q: usize) {
        let d = self.inv.col(q);
        let (step0, step1) = (-self.s0[r], -self.s1[r]);
        for (x, di) in self.x0.iter_mut().zip(d) {
            *x += step0 * di;
        }
        times(&self.cols, self.b.len(), d, &mut self.t);
        for (s, t) in self.s0.iter_mut().zip(&self.t) {
            *s += step0 * t;
        }
        if step1 != 0.0 {
            for (x, di) in self.x1.iter_mut().zip(d) {
                *x += step1 * di;
            }
            for (s, t) in self.s1.iter_mut().zip(&self.t) {
                *s += step1 * t;
            }
        }
        self.s0[r] = 0.0;
        self.s1[r] = 0.0;
    }
}
