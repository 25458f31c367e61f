//! The side tests of one piece of a cell solve one ball LP per neuron
//! (`walk/side_test.rs`), and those LPs differ only in their last row: the
//! piece's rows, the side's row, the radius bound, and the same hint. So
//! the session loads the piece's rows once, with an empty slot for the
//! side's row, installs the hint once (a refactorisation of its basis and
//! every row's slack), and keeps that state; each side LP of the same piece
//! starts from a copy of it, writes its own row into the slot and runs the
//! dual simplex. Loading, refactorising and recomputing the slacks were a
//! fifth of a walk when every LP did them.
//!
//! Every number the simplex starts from is the one a fresh load and
//! install of the same LP computes (the same operations in the same order;
//! a row's slack does not depend on the other rows), so the answers, bases
//! and pivots are the same bit for bit: only the work is shared. A hint
//! that names the side's row itself, or one that does not install, takes
//! the fresh path every time.

use super::{engine_error, Class, Origin, Status, WarmLp, NOT_BASIC};
use crate::error::LpError;
use crate::lp::basis_inverse::BasisInverse;
use crate::lp::{Basis, BasisRow, LpOutcome, SideLp};
use crate::model::affine::dot;

/// A [`WarmLp`] kept loaded with one piece's ball LP between side tests.
#[derive(Debug, Default)]
pub struct BallSession {
    lp: WarmLp,
    /// The [`SideLp::key`] whose installed state `saved` holds (0: none).
    key: u64,
    /// The hint installed, and the number of the piece's rows.
    hint: Basis,
    rows: usize,
    saved: Installed,
}

/// What a side LP's solve changes, as the hint's installation left it.
#[derive(Debug, Default)]
struct Installed {
    basis: Vec<usize>,
    y: Vec<f64>,
    pos: Vec<usize>,
    skip: Vec<bool>,
    inv: BasisInverse,
    x0: Vec<f64>,
    s0: Vec<f64>,
}

impl BallSession {
    /// An empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// Solves the side LP from `hint` where it fits, as
    /// [`WarmLp::solve_from`] solves [`SideLp::with_program`]'s LP, with the
    /// final basis.
    pub fn solve(
        &mut self,
        side: &SideLp<'_>,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        let m = side.rows.len();
        // The installed state holds for every side row when the hint's
        // basis leaves the slot out.
        let keep = side.key != 0
            && hint.is_some_and(|h| {
                h.0.iter()
                    .all(|r| !matches!(*r, BasisRow::Row(i) if i as usize >= m))
            });
        let hint_matches = || hint.is_some_and(|h| *h == self.hint);
        if keep
            && self.key == side.key
            && self.rows == m
            && self.lp.n == side.dim + 1
            && hint_matches()
        {
            self.restore();
            self.lp.write_side(side, m);
            self.lp.slot_slack(m);
        } else {
            self.key = 0;
            self.lp.load_ball(side)?;
            match hint {
                Some(h) if keep => {
                    if self.lp.install(h) {
                        self.save();
                        self.key = side.key;
                        self.rows = m;
                        self.hint.0.clone_from(&h.0);
                        self.lp.write_side(side, m);
                        self.lp.slot_slack(m);
                    } else {
                        self.lp.write_side(side, m);
                        self.lp.start_basis();
                    }
                }
                _ => {
                    self.lp.write_side(side, m);
                    if !hint.is_some_and(|h| self.lp.install(h)) {
                        self.lp.start_basis();
                    }
                }
            }
        }
        self.lp.run()?;
        Ok((self.lp.outcome(), self.lp.final_basis()))
    }

    fn save(&mut self) {
        let (lp, s) = (&self.lp, &mut self.saved);
        s.basis.clone_from(&lp.basis);
        s.y.clone_from(&lp.y);
        s.pos.clone_from(&lp.pos);
        s.skip.clone_from(&lp.skip);
        s.inv.copy_from(&lp.inv);
        s.x0.clone_from(&lp.x0);
        s.s0.clone_from(&lp.s0);
    }

    /// The state right after the hint's installation (what `install` and
    /// `load` set, and what a solve changes).
    fn restore(&mut self) {
        let (lp, s) = (&mut self.lp, &self.saved);
        lp.basis.clone_from(&s.basis);
        lp.y.clone_from(&s.y);
        lp.pos.clone_from(&s.pos);
        lp.skip.clone_from(&s.skip);
        lp.inv.copy_from(&s.inv);
        lp.x0.clone_from(&s.x0);
        lp.s0.clone_from(&s.s0);
        lp.x1.fill(0.0);
        lp.s1.fill(0.0);
        lp.artificials = 0;
        lp.since_refactor = 0;
        lp.bland = lp.bland_from_start;
        lp.degenerate_run = 0;
        lp.status = Status::Empty;
        lp.pivots = 0;
    }
}

impl WarmLp {
    /// [`WarmLp::load`] of a side LP's program, written into the columns
    /// directly: the piece's rows (each row's norm computed once), an empty
    /// slot for the side's row ([`Self::write_side`]), the radius bound.
    fn load_ball(&mut self, side: &SideLp<'_>) -> Result<(), LpError> {
        let (dim, n) = (side.dim, side.dim + 1);
        self.n = n;
        self.status = Status::Empty;
        self.c.clear();
        self.c.resize(n, 0.0);
        self.c[dim] = 1.0;
        self.c_scale = 1.0;
        self.clear_rows(n);
        for (i, h) in side.rows.iter().enumerate() {
            if h.a.len() != dim {
                return Err(engine_error(format!(
                    "a row has {} coefficients for {n} variables",
                    h.a.len() + 1
                )));
            }
            // ‖(a, ‖a‖)‖² summed in the order of `dot` over the LP's row.
            let squares = dot(&h.a, &h.a);
            let size = squares.sqrt();
            for (col, &v) in self.cols.iter_mut().zip(&h.a) {
                col.push(v);
            }
            self.cols[dim].push(size);
            let norm = (squares + size * size).sqrt();
            self.push_row_data(h.b, norm, Class::LessEq, Origin::Row(i));
        }
        for col in &mut self.cols {
            col.push(0.0);
        }
        self.push_row_data(0.0, 0.0, Class::LessEq, Origin::Row(side.rows.len()));
        self.given_rows = side.rows.len() + 1;
        self.var_rows.clear();
        for i in 0..n {
            let mut rows = [NOT_BASIC; 3];
            if i == dim && side.cap < f64::INFINITY {
                rows[0] = self.b.len();
                self.push_unit_row(i, 1.0, Class::LessEq, side.cap, Origin::Upper(i));
            }
            self.var_rows.push(rows);
        }
        self.zero_columns(n);
        Ok(())
    }

    /// Writes the side's row `−σ a·t + r·‖a‖ ≤ σ c` into slot `j`.
    fn write_side(&mut self, side: &SideLp<'_>, j: usize) {
        let dim = side.dim;
        for (col, v) in self.cols.iter_mut().zip(side.side_row()) {
            col[j] = v;
        }
        // The side row's norm as `norm` computes it (`−σ a_i` squares to
        // exactly `a_i²`), then the LP row's as `dot` sums it.
        let squares = dot(side.z.0, side.z.0);
        let size = squares.sqrt();
        self.cols[dim][j] = size;
        let norm = (squares + size * size).sqrt();
        self.b[j] = side.sign * side.z.1;
        self.inv_norm[j] = if norm > 0.0 { 1.0 / norm } else { 1.0 };
    }

    /// Row `j`'s slacks at the current vertex (no artificial row in the
    /// basis), summed as [`WarmLp::recompute`] sums them.
    fn slot_slack(&mut self, j: usize) {
        let mut t = 0.0;
        for (col, &xi) in self.cols.iter().zip(&self.x0) {
            if xi != 0.0 {
                t += col[j] * xi;
            }
        }
        self.s0[j] = t - self.b[j];
        self.s1[j] = 0.0;
    }
}

/// `times` is how `recompute` sums a row's slack; `slot_slack` repeats it
/// for one row. This test keeps the two in step.
#[cfg(test)]
mod tests {
    use super::super::times;
    use super::*;

    #[test]
    fn one_rows_slack_is_summed_as_all_rows_are() {
        let cols = vec![vec![0.1, 0.7], vec![1e-17, -3.3], vec![0.3, 1.0]];
        let x = [0.2, 0.0, -1e16];
        let mut t = Vec::new();
        times(&cols, 2, &x, &mut t);
        let mut lp = WarmLp::new();
        lp.cols = cols;
        lp.x0 = x.to_vec();
        lp.b = vec![0.5, 0.25];
        lp.s0 = vec![0.0; 2];
        lp.s1 = vec![0.0; 2];
        for (j, tj) in t.iter().enumerate() {
            lp.slot_slack(j);
            assert_eq!(lp.s0[j].to_bits(), (tj - lp.b[j]).to_bits());
        }
    }

    /// The session against a fresh solve of the same LP (the second
    /// algorithm: `WarmLp::solve_from` on `SideLp::with_program`'s LP), on
    /// random pieces and side rows, several side LPs per piece so that the
    /// kept state is reused: outcomes and bases must agree bit for bit.
    #[test]
    fn a_kept_piece_solves_as_a_fresh_load_does() {
        use crate::domain::half_space::HalfSpace;
        use crate::model::affine::norm;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut session = BallSession::new();
        let mut reused = 0;
        for piece in 0..60u64 {
            let dim = rng.gen_range(2..6);
            let unit = |rng: &mut rand_chacha::ChaCha8Rng| {
                let a: Vec<f64> = (0..dim).map(|_| rng.gen_range(-1.0..1.0)).collect();
                let size = norm(&a);
                a.into_iter().map(|v| v / size).collect::<Vec<f64>>()
            };
            // The cube [-1, 1]^dim and random cuts through it.
            let mut rows: Vec<HalfSpace> = (0..2 * dim)
                .map(|e| {
                    let mut a = vec![0.0; dim];
                    a[e / 2] = if e % 2 == 0 { -1.0 } else { 1.0 };
                    HalfSpace { a, b: 1.0 }
                })
                .collect();
            for _ in 0..rng.gen_range(0..8) {
                let b = rng.gen_range(-0.3..0.8);
                rows.push(HalfSpace {
                    a: unit(&mut rng),
                    b,
                });
            }
            // A hint: the final basis of the piece's ball LP with its last
            // row as the side's (a cut's far side), or none.
            let last = rows.pop().expect("a row");
            let side = SideLp {
                key: 0,
                dim,
                rows: &rows,
                z: (&last.a, -last.b),
                sign: -1.0,
                cap: 1.0,
            };
            let mut fresh = WarmLp::new();
            side.with_program(|lp| fresh.solve_from(lp, None)).unwrap();
            let hint = if piece % 5 == 0 {
                None
            } else {
                fresh.final_basis()
            };
            rows.push(last);
            for _ in 0..6 {
                let a = unit(&mut rng);
                let side = SideLp {
                    key: piece + 1,
                    dim,
                    rows: &rows,
                    z: (&a, rng.gen_range(-1.0..1.0)),
                    sign: if rng.gen_bool(0.5) { 1.0 } else { -1.0 },
                    cap: 1.0,
                };
                let kept = session.key == side.key;
                let got = session.solve(&side, hint.as_ref()).unwrap();
                let outcome = side
                    .with_program(|lp| fresh.solve_from(lp, hint.as_ref()))
                    .unwrap();
                let want = (outcome, fresh.final_basis());
                let bits = |o: &LpOutcome| match o {
                    LpOutcome::Optimal { x, value } => {
                        let mut b: Vec<u64> = x.iter().map(|v| v.to_bits()).collect();
                        b.push(value.to_bits());
                        b
                    }
                    _ => Vec::new(),
                };
                assert_eq!(got, want, "piece {piece}");
                assert_eq!(bits(&got.0), bits(&want.0), "piece {piece}");
                reused += usize::from(kept);
            }
        }
        assert!(reused > 100, "the kept state was used {reused} times");
    }
}
