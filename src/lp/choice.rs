//! Which engine a run uses. The default, `auto`, walks two free coordinates
//! as polygons (`walk/polygon/`: no LP per side test, near-ties decided
//! exactly) and solves every other LP with the dense dual simplex. The dense
//! simplex gives the same outcomes as the reference engine on the walk's LPs
//! (cross-checked on recorded and random LPs and on every oracle case,
//! `tests/lp_engines.rs`, `tests/walk_engines.rs`) at a fraction of the cost
//! (`cargo bench --bench lp`). Naming an LP engine (`dense`, or the
//! reference engine, good_lp with microlp) makes it decide every side test,
//! in two coordinates too, for cross-checks.

use crate::error::LpError;
use crate::lp::{Basis, DenseSimplex, GoodLpMicrolp, LinearProgram, LpEngine, LpOutcome, SideLp};

/// An engine by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// Polygons where the walk has two free coordinates, the dense simplex
    /// for every LP (the default).
    #[default]
    Auto,
    /// [`DenseSimplex`]: the dense dual simplex written for the walk's
    /// small LPs, for every side test.
    Dense,
    /// [`GoodLpMicrolp`]: good_lp driving microlp, the reference engine.
    Microlp,
}

/// The automatic choice: the dense simplex, allowing polygon walks.
struct Auto;

impl LpEngine for Auto {
    fn name(&self) -> &'static str {
        "auto"
    }

    fn maximise(&self, lp: &LinearProgram) -> Result<LpOutcome, LpError> {
        DENSE.maximise(lp)
    }

    fn maximise_each(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        each: &mut dyn FnMut(LpOutcome) -> bool,
    ) -> Result<(), LpError> {
        DENSE.maximise_each(lp, objectives, each)
    }

    fn maximise_from(
        &self,
        lp: &LinearProgram,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        DENSE.maximise_from(lp, hint)
    }

    fn maximise_each_from(
        &self,
        lp: &LinearProgram,
        objectives: &mut dyn Iterator<Item = &[f64]>,
        hints: &[Option<Basis>],
        each: &mut dyn FnMut(LpOutcome, Option<Basis>) -> bool,
    ) -> Result<(), LpError> {
        DENSE.maximise_each_from(lp, objectives, hints, each)
    }

    fn maximise_side(
        &self,
        side: &SideLp<'_>,
        hint: Option<&Basis>,
    ) -> Result<(LpOutcome, Option<Basis>), LpError> {
        DENSE.maximise_side(side, hint)
    }

    fn polygons(&self) -> bool {
        true
    }
}

static AUTO: Auto = Auto;
static DENSE: DenseSimplex = DenseSimplex;
static MICROLP: GoodLpMicrolp = GoodLpMicrolp;

impl EngineChoice {
    /// The engine.
    pub fn engine(self) -> &'static dyn LpEngine {
        match self {
            EngineChoice::Auto => &AUTO,
            EngineChoice::Dense => &DENSE,
            EngineChoice::Microlp => &MICROLP,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_walks_polygons_and_each_named_engine_does_not() {
        assert_eq!(EngineChoice::default(), EngineChoice::Auto);
        assert!(EngineChoice::Auto.engine().polygons());
        assert_eq!(EngineChoice::Auto.engine().name(), "auto");
        assert_eq!(
            EngineChoice::Dense.engine().name(),
            DenseSimplex.name(),
            "the dense choice"
        );
        assert!(!EngineChoice::Dense.engine().polygons());
        assert_eq!(EngineChoice::Microlp.engine().name(), "good_lp/microlp");
        assert!(!EngineChoice::Microlp.engine().polygons());
    }
}
