//! What users read: region files, the graph's DOT and JSON, and the typed
//! reports every command prints.

pub(crate) mod certificate_merge;
pub(crate) mod checkpoint;
pub(crate) mod graph_dot;
pub(crate) mod graph_json;
pub(crate) mod graph_merge;
pub(crate) mod graph_part_json;
pub(crate) mod info_report;
pub(crate) mod json_line;
pub(crate) mod region_file;
pub(crate) mod region_stream;
pub(crate) mod run_report;
pub(crate) mod shard_merge;
