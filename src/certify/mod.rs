pub(crate) mod certificate_file;
pub(crate) mod certifying;
pub(crate) mod exact_alternative;
pub(crate) mod motzkin;
pub(crate) mod pipeline;
pub(crate) mod prover;
