//! A writer that counts the bytes through it: how a stopped run knows the
//! length of the unfinished file it keeps (region files, certificates).

use std::io::{self, Write};

/// A writer that counts the bytes through it.
pub(crate) struct Counted<W> {
    /// The writer written to.
    pub(crate) inner: W,
    /// Bytes written, with those the file held before.
    pub(crate) bytes: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
