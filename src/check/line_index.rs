//! Where each array and object of one line ends, found in the same scan
//! that checks the line's nesting depth, so that reading the line's values
//! (`json_view.rs`) steps over a container at once instead of scanning its
//! bytes again at every level.
//!
//! The index holds three numbers per container and at most
//! [`MAX_INDEXED`] containers, whatever the line: a line with more is read
//! by scanning, as without an index, so the index adds at most 12 MiB to a
//! hostile line's memory. A container is looked up by its ordinal and its
//! start: where the two disagree the index says nothing and the reader
//! scans, so a wrong ordinal can slow the reading but never change it. It is kept from line to line (no allocation per
//! line).

/// The most containers one line's index records (12 bytes each, so 12 MiB).
/// Genuine lines hold far fewer: a split of ACAS Xu (7 kB) about 500, a
/// 2.16 MB split of the MNIST plane about 300,000.
pub(super) const MAX_INDEXED: usize = 1 << 20;

/// The bytes the scan stops at: brackets, braces and the quote.
const STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'"' as usize] = true;
    t
};

/// The containers of the last line scanned by [`LineIndex::scan`], in the
/// order they open (their ordinals).
#[derive(Debug, Default)]
pub(super) struct LineIndex {
    /// Per container, the start of its text in the line.
    starts: Vec<u32>,
    /// Per container, the end (exclusive) of its text in the line.
    ends: Vec<u32>,
    /// Per container, the ordinal of the first container that opens after
    /// it ends.
    after: Vec<u32>,
    /// The containers open at the scan's position.
    open: Vec<u32>,
    /// The line's address and length, so a value can tell its offset and
    /// whether the index is that of its line.
    base: usize,
    len: usize,
    /// Whether every container of the line was recorded.
    complete: bool,
}

impl LineIndex {
    /// Scans `line`, recording its containers; `false` when its arrays and
    /// objects nest deeper than `max_depth` (the checker's depth limit:
    /// brackets inside strings do not count, a backslash in a string
    /// escapes the next byte, and a closing bracket at depth 0 is ignored).
    /// The index is meaningful only for a line that is JSON, which the
    /// caller checks next.
    pub(super) fn scan(&mut self, line: &[u8], max_depth: usize) -> bool {
        self.starts.clear();
        self.ends.clear();
        self.after.clear();
        self.open.clear();
        self.base = line.as_ptr() as usize;
        self.len = line.len();
        self.complete = false;
        let mut record = u32::try_from(line.len()).is_ok();
        let mut depth = 0usize;
        let mut i = 0;
        while i < line.len() {
            // Bytes that are no bracket or quote, most of a line, at once.
            while i < line.len() && !STRUCTURAL[line[i] as usize] {
                i += 1;
            }
            match line.get(i) {
                Some(b'"') => {
                    i += 1;
                    loop {
                        match line.get(i) {
                            None => break,
                            Some(b'"') => {
                                i += 1;
                                break;
                            }
                            Some(b'\\') => i += 2,
                            Some(_) => i += 1,
                        }
                    }
                    continue;
                }
                Some(b'[' | b'{') => {
                    depth += 1;
                    if depth > max_depth {
                        return false;
                    }
                    if record && self.ends.len() == MAX_INDEXED {
                        record = false;
                    }
                    if record {
                        self.open.push(self.ends.len() as u32);
                        self.starts.push(i as u32);
                        self.ends.push(u32::MAX);
                        self.after.push(u32::MAX);
                    }
                }
                Some(_) => {
                    // `]` or `}`.
                    depth = depth.saturating_sub(1);
                    if record {
                        if let Some(o) = self.open.pop() {
                            self.ends[o as usize] = (i + 1) as u32;
                            self.after[o as usize] = self.ends.len() as u32;
                        }
                    }
                }
                None => {}
            }
            i += 1;
        }
        self.complete = record && self.open.is_empty();
        true
    }

    /// Whether this is a complete index of `line`.
    pub(super) fn of(&self, line: &[u8]) -> bool {
        self.complete && self.base == line.as_ptr() as usize && self.len == line.len()
    }

    /// The container with ordinal `ord`, whose text starts at `start` in
    /// `text` (a part of the indexed line): the end of its text in `text`,
    /// and the ordinal of the first container after it. `None` unless the
    /// container `ord` starts there (then the caller scans).
    pub(super) fn container(&self, text: &[u8], start: usize, ord: u32) -> Option<(usize, u32)> {
        let offset = (text.as_ptr() as usize).checked_sub(self.base)?;
        let o = ord as usize;
        if *self.starts.get(o)? as usize != offset + start {
            return None;
        }
        let end = (self.ends[o] as usize).checked_sub(offset)?;
        (end <= text.len()).then(|| (end, self.after[o]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_end_where_they_close_and_strings_hide_brackets() {
        // Ordinals by hand: 0 the object, 1 the array of "a", 2 its [1],
        // 3 the empty object of "c".
        let line = br#"{"a": [[1], "]["], "b": "{", "c": {}}"#;
        let mut ix = LineIndex::default();
        assert!(ix.scan(line, 16));
        assert!(ix.of(line));
        assert_eq!(ix.container(line, 0, 0), Some((line.len(), 4)));
        let a = line.iter().position(|&b| b == b'[').unwrap();
        assert_eq!(ix.container(line, a, 1), Some((a + 11, 3)));
        assert_eq!(ix.container(line, a + 1, 2), Some((a + 4, 3)));
        // A wrong ordinal is not taken for the container.
        assert_eq!(ix.container(line, a, 2), None);
        assert!(!ix.of(&line[1..]));
    }

    #[test]
    fn depth_counts_brackets_outside_strings_only() {
        let mut ix = LineIndex::default();
        // `{"a": [[1]]}` nests 3 deep (object, array, array), by hand.
        let line = br#"{"a": [[1]], "b": "[[[[\"[["}"#;
        assert!(ix.scan(line, 3));
        assert!(!ix.scan(line, 2));
        assert!(ix.scan(b"17", 0));
        // After an escaped quote the string goes on, and after it ends the
        // brackets count again: 4 deep.
        let escaped = br#"{"s": "\"[", "a": [[[1]]]}"#;
        assert!(ix.scan(escaped, 4));
        assert!(!ix.scan(escaped, 3));
        // Closing brackets at depth 0 are ignored, not counted below 0:
        // `]]` then `[[` is 2 deep.
        assert!(ix.scan(b"]][[", 2));
        assert!(!ix.scan(b"]][[", 1));
        // A backslash escapes the byte after it, a quote included; a string
        // left open hides the rest of the line.
        assert!(ix.scan(br#""\\"[["#, 2) && !ix.scan(br#""\\"[["#, 1));
        assert!(ix.scan(br#""\"[["#, 0));
    }

    #[test]
    fn the_depth_is_the_nesting_of_the_json_value() {
        // On JSON text the depth is the nesting of arrays and objects, as
        // serde_json builds them (the reference here), on the random values
        // of `json_view.rs`'s tests, whose strings hold brackets, quotes and
        // backslashes.
        use crate::check::json_view::tests::random_value;
        use rand::SeedableRng;
        use serde_json::Value;
        fn nesting(v: &Value) -> usize {
            match v {
                Value::Array(a) => 1 + a.iter().map(nesting).max().unwrap_or(0),
                Value::Object(m) => 1 + m.values().map(nesting).max().unwrap_or(0),
                _ => 0,
            }
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut ix = LineIndex::default();
        for _ in 0..2000 {
            let v = random_value(&mut rng, 6);
            let (line, depth) = (v.to_string(), nesting(&v));
            assert!(ix.scan(line.as_bytes(), depth), "{line}");
            assert!(ix.of(line.as_bytes()));
            if depth > 0 {
                assert!(!ix.scan(line.as_bytes(), depth - 1), "{line}");
            }
        }
    }

    #[test]
    fn a_line_with_too_many_containers_is_left_unindexed() {
        let line = "[]".repeat(MAX_INDEXED + 1);
        let line = format!("[{}]", line.replace("][", "],["));
        let mut ix = LineIndex::default();
        assert!(ix.scan(line.as_bytes(), 16));
        assert!(!ix.of(line.as_bytes()));
        assert!(ix.ends.len() <= MAX_INDEXED);
    }
}
