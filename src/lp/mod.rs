//! Linear programming behind a small trait of our own, so a faster engine can
//! be added later and cross-checked against the reference one.

mod basis_hint;
mod basis_inverse;
pub(crate) mod chebyshev;
mod choice;
mod dense_simplex;
mod duals;
mod good_lp_engine;
mod scratch_program;
pub mod simplex_tolerance;
mod warm_lp;

pub use basis_hint::{Basis, BasisRow};
pub use chebyshev::SideLp;
pub use choice::EngineChoice;
pub use dense_simplex::DenseSimplex;
pub use duals::{DualOutcome, LpDuals, Multipliers};
pub use good_lp_engine::GoodLpMicrolp;
pub(crate) use scratch_program::ScratchProgram;
pub use warm_lp::WarmLp;

use crate::error::LpError;
use crate::striped_counter::StripedCounter;

/// How a row compares its left side with its right-hand side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// `coeffs · x ≤ rhs`.
    LessEq,
    /// `coeffs · x = rhs`.
    Equal,
}

/// One row of a linear program.
#[derive(Debug, Clone)]
pub struct LpRow {
    /// Dense coefficients, one per variable.
    pub coeffs: Vec<f64>,
    /// The comparison.
    pub kind: RowKind,
    /// The right-hand side.
    pub rhs: f64,
}

/// A dense linear program: maximise `objective · x` subject to the rows and
/// the variable bounds.
#[derive(Debug, Clone, Default)]
pub struct LinearProgram {
    /// Objective coefficients (maximised).
    pub objective: Vec<f64>,
    /// Lower and upper bound of each variable (infinite for free).
    pub bounds: Vec<(f64, f64)>,
    /// The rows.
    pub rows: Vec<LpRow>,
}

/// The outcome of a solve.
#[derive(Debug, Clone, PartialEq)]
pub enum LpOutcome {
    /// An optimum `x` with its objective value.
    Optimal {
        /// The optimal point.
        x: Vec<f64>,
        /// The objective value at `x`.
        value: f64,
    },
    /// No point satisfies the rows.
    Infeasible,
    /// The objective is unbounded above.
    Unbounded,
}

/// An LP engine.
pub trait LpEngine: Send + Sync {
    /// The engine's name, for reports.
    fn name(&self) -> &'static str;
    /// Maximises `lp`.
    fn maximise(&self, lp: &LinearProgram) -> Result<LpOutcome, LpError>;

    /// Maximises `lp`, then each of `objectives` in turn over the same rows
    /// and bounds, handing each outcome to `each` until it says to stop. An
    /// engine that can re-solve from the last basis (the bounding box of a
    /// cell is `2k` such LPs) does so; by default each is solved afresh.
    fn maximise_each(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        each: &mut dyn FnMut(LpOutcome) -> bool,
    ) -> Result<(), LpError> {
        if !each(self.maximise(lp)?) {
            return Ok(());
        }
        let mut lp = lp.clone();
        for objective in objectives {
            lp.objective.clear();
            lp.objective.extend_from_slice(objective);
            if !each(self.maximise(&lp)?) {
                break;
            }
        }
        Ok(())
    }

    /// Maximises `lp` starting from `hint` where the engine can (a basis
    /// that was optimal for the same objective over some of these rows,
    /// `basis_hint.rs`), and returns the final basis as a hint for later
    /// LPs. By default the hint is ignored and none is returned.
    fn maximise_from(
        &self,
        lp: &LinearProgram,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        let _ = hint;
        Ok((self.maximise(lp)?, None))
    }

    /// [`Self::maximise_each`] with a hint per objective (`hints[0]` for
    /// `lp`'s own objective, then one per later objective; a missing or
    /// `None` hint means none), handing each outcome to `each` with its
    /// final basis. By default the hints are ignored and none is returned.
    fn maximise_each_from(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        hints: &[Option<Basis>],
        each: &mut dyn FnMut(LpOutcome, Option<Basis>) -> bool,
    ) -> Result<(), LpError> {
        let _ = hints;
        self.maximise_each(lp, objectives, &mut |outcome| each(outcome, None))
    }

    /// The ball LP of one side of a side test ([`SideLp`]), from `hint`
    /// where the engine can, with the final basis: what
    /// [`Self::maximise_from`] gives for [`SideLp::with_program`]'s LP,
    /// which is what it does by default. An engine may keep what it built
    /// for one side LP for the next with the same [`SideLp::key`].
    fn maximise_side(
        &self,
        side: &SideLp<'_>,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        side.with_program(|lp| self.maximise_from(lp, hint))
    }

    /// Whether a walk with this engine may split cells of two free
    /// coordinates as polygons, with no LP per side test (`walk/polygon/`).
    /// Only the automatic choice does ([`EngineChoice::Auto`]): an engine
    /// chosen by name is the one that decides every side test, so that
    /// engines can be compared.
    fn polygons(&self) -> bool {
        false
    }
}

/// An engine that counts the LPs it solves, shared across threads.
pub struct Counted<'a> {
    inner: &'a dyn LpEngine,
    solves: StripedCounter,
}

impl<'a> Counted<'a> {
    /// Wraps `inner`.
    pub fn new(inner: &'a dyn LpEngine) -> Self {
        Counted {
            inner,
            solves: StripedCounter::default(),
        }
    }

    /// LPs solved so far.
    pub fn solves(&self) -> u64 {
        self.solves.get()
    }
}

impl LpEngine for Counted<'_> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn maximise(&self, lp: &LinearProgram) -> Result<LpOutcome, LpError> {
        self.solves.add(1);
        self.inner.maximise(lp)
    }

    fn maximise_each(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        each: &mut dyn FnMut(LpOutcome) -> bool,
    ) -> Result<(), LpError> {
        self.inner.maximise_each(lp, objectives, &mut |outcome| {
            self.solves.add(1);
            each(outcome)
        })
    }

    fn maximise_from(
        &self,
        lp: &LinearProgram,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        self.solves.add(1);
        self.inner.maximise_from(lp, hint)
    }

    fn maximise_each_from(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        hints: &[Option<Basis>],
        each: &mut dyn FnMut(LpOutcome, Option<Basis>) -> bool,
    ) -> Result<(), LpError> {
        self.inner
            .maximise_each_from(lp, objectives, hints, &mut |outcome, basis| {
                self.solves.add(1);
                each(outcome, basis)
            })
    }

    fn maximise_side(
        &self,
        side: &SideLp<'_>,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        self.solves.add(1);
        self.inner.maximise_side(side, hint)
    }

    fn polygons(&self) -> bool {
        self.inner.polygons()
    }
}
