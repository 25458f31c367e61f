//! Which LP engine a run uses. The dense dual simplex is the default: on the
//! walk's LPs it gives the same outcomes as the reference engine (cross-checked
//! on recorded and random LPs and on every oracle case, `tests/lp_engines.rs`,
//! `tests/walk_engines.rs`) at a fraction of the cost (`cargo bench --bench
//! lp`). The reference engine, good_lp with microlp, stays selectable for
//! cross-checks.

use crate::lp::{DenseSimplex, GoodLpMicrolp, LpEngine};

/// An LP engine by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// [`DenseSimplex`]: the dense dual simplex written for the walk's
    /// small LPs (the default).
    #[default]
    Dense,
    /// [`GoodLpMicrolp`]: good_lp driving microlp, the reference engine.
    Microlp,
}

static DENSE: DenseSimplex = DenseSimplex;
static MICROLP: GoodLpMicrolp = GoodLpMicrolp;

impl EngineChoice {
    /// The engine.
    pub fn engine(self) -> &'static dyn LpEngine {
        match self {
            EngineChoice::Dense => &DENSE,
            EngineChoice::Microlp => &MICROLP,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_dense_engine_and_each_choice_names_its_engine() {
        assert_eq!(EngineChoice::default(), EngineChoice::Dense);
        assert_eq!(
            EngineChoice::Dense.engine().name(),
            DenseSimplex.name(),
            "the dense choice"
        );
        assert_eq!(EngineChoice::Microlp.engine().name(), "good_lp/microlp");
    }
}
