//! Lines of a certificate, read within the limits: a line longer than
//! `max_line_bytes`, or a stream longer than `max_total_bytes`, stops the
//! reading at once. At most one line is held, and never more than the limit
//! of it, so memory stays flat however long the hostile line; and since the
//! reader pulls its bytes on demand, a compressed stream is decompressed no
//! further than the limits.

use crate::check::limits::{CheckLimits, Limit};
use std::io::{self, BufRead};

/// The lines of `reader`, one at a time.
pub(super) struct BoundedLines<R> {
    reader: R,
    line: Vec<u8>,
    total: u64,
    max_line: usize,
    max_total: u64,
}

impl<R: BufRead> BoundedLines<R> {
    pub(super) fn new(reader: R, limits: &CheckLimits) -> Self {
        BoundedLines {
            reader,
            line: Vec::new(),
            total: 0,
            max_line: limits.max_line_bytes,
            max_total: limits.max_total_bytes,
        }
    }

    /// The next line without its `\n` (or `\r\n`), `None` at the end, or
    /// the limit the line goes over. As `BufRead::lines`, a last line
    /// without a newline counts, and an empty stream has no lines.
    pub(super) fn next_line(&mut self) -> io::Result<Option<Result<&[u8], Limit>>> {
        self.line.clear();
        let mut started = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(started.then(|| Ok(trim_cr(&self.line))));
            }
            started = true;
            let newline = memchr::memchr(b'\n', chunk);
            let taken = newline.map_or(chunk.len(), |i| i + 1);
            let content = newline.unwrap_or(chunk.len());
            self.total += taken as u64;
            if self.total > self.max_total {
                return Ok(Some(Err(Limit::TotalBytes)));
            }
            let len = self.line.len() + content;
            if len > self.max_line {
                return Ok(Some(Err(Limit::LineBytes)));
            }
            if len > self.line.capacity() {
                // Grow by doubling, but never past the limit.
                let target = len.max(2 * self.line.capacity()).min(self.max_line);
                self.line.reserve_exact(target - self.line.len());
            }
            self.line.extend_from_slice(&chunk[..content]);
            self.reader.consume(taken);
            if newline.is_some() {
                return Ok(Some(Ok(trim_cr(&self.line))));
            }
        }
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8], max_line: usize, max_total: u64) -> Vec<Result<String, Limit>> {
        let limits = CheckLimits {
            max_line_bytes: max_line,
            max_total_bytes: max_total,
            ..CheckLimits::default()
        };
        // A tiny buffer, so that lines span many chunks.
        let mut lines = BoundedLines::new(io::BufReader::with_capacity(3, text), &limits);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            let stop = line.is_err();
            out.push(line.map(|l| String::from_utf8(l.to_vec()).unwrap()));
            if stop {
                break;
            }
        }
        out
    }

    #[test]
    fn lines_split_as_the_standard_reader_splits_them() {
        let text = b"ab\r\n\ncdefg\nh";
        let ours: Vec<String> = read_all(text, 100, 100)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let std: Vec<String> = text.lines().map(Result::unwrap).collect();
        assert_eq!(ours, std);
        assert!(read_all(b"", 100, 100).is_empty());
    }

    #[test]
    fn a_line_over_the_limit_stops_the_reading() {
        // "abcde" is 5 bytes: within a limit of 5, over a limit of 4.
        assert_eq!(
            read_all(b"abcde\nxy\n", 5, 100),
            [Ok("abcde".into()), Ok("xy".into())]
        );
        assert_eq!(read_all(b"abcde\nxy\n", 4, 100), [Err(Limit::LineBytes)]);
    }

    #[test]
    fn a_stream_over_the_limit_stops_the_reading() {
        // 9 bytes in all, newlines counted.
        assert_eq!(
            read_all(b"abcde\nxy\n", 10, 9),
            [Ok("abcde".into()), Ok("xy".into())]
        );
        assert_eq!(
            read_all(b"abcde\nxy\n", 10, 8),
            [Ok("abcde".into()), Err(Limit::TotalBytes)]
        );
    }

    #[test]
    fn the_line_buffer_never_grows_past_the_limit() {
        // A line of exactly the limit, read 3 bytes at a time: doubling
        // alone would reach 128 bytes of capacity for 100.
        let limits = CheckLimits {
            max_line_bytes: 100,
            ..CheckLimits::default()
        };
        let text = [b'a'; 100];
        let mut lines = BoundedLines::new(io::BufReader::with_capacity(3, &text[..]), &limits);
        assert_eq!(lines.next_line().unwrap().unwrap().unwrap().len(), 100);
        assert!(lines.line.capacity() <= 100, "{}", lines.line.capacity());
    }

    /// A reader that is interrupted once, then fails with `then` or reads
    /// `text`.
    struct Flaky {
        interrupted: bool,
        then: Option<io::ErrorKind>,
        text: &'static [u8],
    }

    impl io::Read for Flaky {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(io::ErrorKind::Interrupted.into());
            }
            if let Some(kind) = self.then {
                return Err(kind.into());
            }
            let n = self.text.len().min(buf.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    #[test]
    fn an_interrupted_read_is_retried_and_other_errors_are_returned() {
        let limits = CheckLimits::default();
        let flaky = |then| {
            let reader = Flaky {
                interrupted: false,
                then,
                text: b"ab\n",
            };
            BoundedLines::new(io::BufReader::new(reader), &limits)
        };
        let mut lines = flaky(None);
        assert_eq!(lines.next_line().unwrap(), Some(Ok(&b"ab"[..])));
        let mut failing = flaky(Some(io::ErrorKind::InvalidData));
        let err = failing.next_line().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
