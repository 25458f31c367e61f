//! Certificates on disk: the writer of the walk's proofs, plain or gzip
//! files, and the prove-then-check pipeline of `count --certify`.
//! ARCHITECTURE.md says how the folders depend on each other.

pub(crate) mod certificate_check;
pub(crate) mod certificate_file;
pub(crate) mod certificate_io;
pub(crate) mod pipeline;
