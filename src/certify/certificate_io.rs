//! Certificate files on disk: gzip-compressed when the name ends in `.gz`
//! (certificates compress about 5×), plain otherwise. The checker never
//! opens files: its callers open the certificate here and hand it a reader.

use crate::atomic_file::AtomicFile;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

/// Whether `path` names a gzip-compressed certificate.
fn is_gzip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "gz")
}

/// A certificate being written, never left half-written (an
/// [`AtomicFile`]): call [`CertificateSink::commit`] when done.
pub enum CertificateSink {
    /// Written as is.
    Plain(AtomicFile),
    /// Compressed with gzip.
    Gzip(GzEncoder<AtomicFile>),
}

impl CertificateSink {
    /// Starts writing the certificate `path`, compressed if it ends in `.gz`.
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = AtomicFile::create(path)?;
        Ok(if is_gzip(path) {
            CertificateSink::Gzip(GzEncoder::new(file, Compression::default()))
        } else {
            CertificateSink::Plain(file)
        })
    }

    /// Ends the compressed stream, if any, and puts the file in place.
    pub fn commit(self) -> io::Result<()> {
        match self {
            CertificateSink::Plain(f) => f.commit(),
            CertificateSink::Gzip(g) => g.finish()?.commit(),
        }
    }
}

impl Write for CertificateSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            CertificateSink::Plain(f) => f.write(buf),
            CertificateSink::Gzip(g) => g.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            CertificateSink::Plain(f) => f.flush(),
            CertificateSink::Gzip(g) => g.flush(),
        }
    }
}

/// Opens the certificate `path` for reading, decompressing it if its name
/// ends in `.gz`.
pub fn open_certificate(path: &Path) -> io::Result<Box<dyn BufRead>> {
    let file = File::open(path)?;
    Ok(if is_gzip(path) {
        Box::new(BufReader::new(GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_gzip_certificates_read_back() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["c.jsonl", "c.jsonl.gz"] {
            let path = dir.path().join(name);
            let mut sink = CertificateSink::create(&path).unwrap();
            writeln!(sink, "{{\"type\":\"header\"}}").unwrap();
            sink.commit().unwrap();
            let bytes = std::fs::read(&path).unwrap();
            // gzip streams start with the magic bytes 1f 8b (RFC 1952).
            assert_eq!(bytes.starts_with(&[0x1f, 0x8b]), name.ends_with(".gz"));
            let lines: Vec<String> = open_certificate(&path)
                .unwrap()
                .lines()
                .collect::<io::Result<_>>()
                .unwrap();
            assert_eq!(lines, ["{\"type\":\"header\"}"]);
        }
    }
}
