//! A split's cell box (format version 3; docs/certificate.md, "Cell
//! boxes"): per free coordinate a lower and an upper bound, each either
//! left to the parent cell's box (`null`) or given with its proof, integer
//! multipliers on the cell's rows and on the side of the bound shown empty
//! (`s`: `y_i < l` for a lower bound `l`, `y_i > h` for an upper bound `h`).
//! Each proof is checked as a one-sided test's multipliers are
//! (`neuron_test.rs`), relaxed over the parent cell's box, which holds the
//! cell. The box so proved holds the cell, so the split's tests, and the
//! bounds of its descendants' boxes, may be checked against it.

use crate::check::json_view::Json;
use crate::check::neuron_test::{
    double_of, small_dyadic, CellBox, ExactCell, NeuronTests, Row, Side, SideRow,
};
use crate::check::rejection::BoxFault;
use crate::exact::bound_row::bound_side;
use serde_json::Value;
use std::rc::Rc;

/// A cell's box as the checker keeps it, shared by the cell's descendants.
pub(super) type SharedBox = Option<Rc<Vec<(f64, f64)>>>;

/// The box of a cell with `rows` and the box `parent` (its parent cell's,
/// or the domain's), given its split's `field`: the parent's when the split
/// gives none, else the parent's with each bound given replaced, once every
/// given bound's proof checks.
pub(super) fn cell_box(
    tests: &NeuronTests,
    field: Json,
    rows: &[Row],
    parent: SharedBox,
    exact: &ExactCell,
) -> Result<SharedBox, BoxFault> {
    if field == Json::ABSENT {
        return Ok(parent);
    }
    let parent = parent.ok_or(BoxFault::NotABox)?;
    let dim = tests.dim();
    let coordinates = field
        .as_array()
        .and_then(|a| a.exactly(dim).ok())
        .ok_or(BoxFault::NotAList { dim })?;
    let mut bounds: Vec<(f64, f64)> = parent.to_vec();
    for (coordinate, ends) in coordinates.into_iter().enumerate() {
        let ends = ends
            .as_array()
            .and_then(|a| a.exactly(2).ok())
            .ok_or(BoxFault::NotAPair { coordinate })?;
        for (end, upper) in ends.into_iter().zip([false, true]) {
            if end.equals(&Value::Null) {
                continue;
            }
            let value = bound_value(end.item(0), tests)
                .ok_or(BoxFault::NotADouble { coordinate, upper })?;
            let lambda = end.item(1);
            let empty = SideRow::Bound {
                coordinate,
                upper,
                value,
            };
            if !tests.proved_by_floats(&lambda, rows, empty, &parent) {
                let side = Side {
                    half: bound_side(dim, coordinate, upper, value),
                    neuron: None,
                };
                let checked = tests.motzkin(&lambda, rows, &side, (Some(&parent), exact));
                checked.map_err(|fault| BoxFault::Multipliers {
                    coordinate,
                    upper,
                    fault,
                })?;
            }
            let slot = &mut bounds[coordinate];
            if upper {
                slot.1 = value;
            } else {
                slot.0 = value;
            }
        }
    }
    Ok(Some(Rc::new(bounds)))
}

/// A bound as written, `"p/q"` with `q` a power of two, when it is a double
/// (within the limit on digits).
fn bound_value(v: Json, tests: &NeuronTests) -> Option<f64> {
    let text = v.as_str()?;
    if !tests.limits().digits_within(&text) {
        return None;
    }
    let (m, e) = small_dyadic(&text)?;
    double_of(m, e)
}

/// A box of the checker, as a slice.
pub(super) fn as_box(bbox: &SharedBox) -> Option<&CellBox> {
    bbox.as_deref().map(Vec::as_slice)
}
