//! Reports as one line of JSON with their keys in sorted order, at every
//! depth, as serde_json's map keeps them: going through a
//! [`serde_json::Value`] sorts them, so the order of a report's fields
//! (flattened parts included) never shows in the output.

use serde::Serialize;

/// `report` as one line of JSON (no newline), keys sorted.
pub fn json_line<T: Serialize>(report: &T) -> serde_json::Result<String> {
    serde_json::to_string(&serde_json::to_value(report)?)
}
