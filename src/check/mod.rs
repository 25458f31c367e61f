//! The independent checker of certificates: it rebuilds the walk's decision
//! tree from a certificate file and checks every proof in it in exact
//! arithmetic. It imports only the network, the domain, exact arithmetic and
//! the certificate format's names (`format.rs`, which the prover's writer
//! shares), so that a passed check does not rest on the code that made the
//! certificate; `tests/checker_isolation.rs` enforces this.

mod bounded_lines;
mod box_proof;
pub(crate) mod format;
mod json_view;
pub(crate) mod limits;
mod line_index;
mod neuron_test;
pub(crate) mod rejection;
mod row_index;
pub(crate) mod verify;
