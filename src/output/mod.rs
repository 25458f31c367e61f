pub(crate) mod atomic_file;
pub(crate) mod certificate_io;
pub(crate) mod graph_dot;
pub(crate) mod graph_json;
pub(crate) mod region_file;
pub(crate) mod region_reader;
pub(crate) mod region_report;
pub(crate) mod walk_writer;
