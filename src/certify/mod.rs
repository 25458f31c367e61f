pub(crate) mod certificate_file;
pub(crate) mod certificate_io;
pub(crate) mod pipeline;
