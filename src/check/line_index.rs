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
    /// The closing byte of each of them ([`LineIndex::scan_json`]).
    closers: Vec<u8>,
    /// The line's address and length, so a value can tell its offset and
    /// whether the index is that of its line.
    base: usize,
    len: usize,
    /// Whether every container of the line was recorded.
    complete: bool,
}

impl LineIndex {
    /// Empties the index for a scan of `line`.
    fn start(&mut self, line: &[u8]) {
        self.starts.clear();
        self.ends.clear();
        self.after.clear();
        self.open.clear();
        self.closers.clear();
        self.base = line.as_ptr() as usize;
        self.len = line.len();
        self.complete = false;
    }

    /// Scans `line`, recording its containers; `false` when its arrays and
    /// objects nest deeper than `max_depth` (the checker's depth limit:
    /// brackets inside strings do not count, a backslash in a string
    /// escapes the next byte, and a closing bracket at depth 0 is ignored).
    /// The index is meaningful only for a line that is JSON, which the
    /// caller checks next.
    pub(super) fn scan(&mut self, line: &[u8], max_depth: usize) -> bool {
        self.start(line);
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

    /// Checks, in one pass, that `line` is one JSON value (RFC 8259) of the
    /// plain kind a certificate's writer makes: ASCII, strings without
    /// escapes, arrays and objects nested at most `max_depth` deep; and
    /// records its containers as [`LineIndex::scan`] does. `false` says
    /// only that the line is not of that kind (it may still be JSON): the
    /// caller then checks it as before, by the depth scan, the UTF-8 check
    /// and `serde_json`, which give the verdict and the message.
    ///
    /// So this pass decides nothing on its own: every line it accepts,
    /// `serde_json` accepts too (its grammar is RFC 8259's, without the
    /// escapes and non-ASCII bytes this pass leaves to `serde_json`), and
    /// its depth and index are the scan's (tests below check both on
    /// random and mutated lines). It takes the place of three passes over
    /// each line: on the certificate of ACAS Xu N1,1 over property 4 the
    /// depth scan, `from_utf8` and `serde_json` took about 17% of `verify`'s
    /// 0.28 s, this pass 9% of 0.25 s, half the time (`perf`, one thread).
    pub(super) fn scan_json(&mut self, line: &[u8], max_depth: usize) -> bool {
        self.start(line);
        if u32::try_from(line.len()).is_err() {
            return false;
        }
        let t = line;
        let mut i = skip_space(t, 0);
        'value: loop {
            // A value starts at `i`.
            match t.get(i) {
                Some(b'{') if box_test_len(&t[i..]) > 0 => {
                    // A box test as the writer spells it: an object with
                    // no container inside, recorded whole.
                    if self.closers.len() >= max_depth || self.ends.len() == MAX_INDEXED {
                        return false;
                    }
                    let len = box_test_len(&t[i..]);
                    let ord = self.ends.len() as u32;
                    self.starts.push(i as u32);
                    self.ends.push((i + len) as u32);
                    self.after.push(ord + 1);
                    i += len;
                }
                Some(&open @ (b'[' | b'{')) => {
                    if self.closers.len() >= max_depth || self.ends.len() == MAX_INDEXED {
                        return false;
                    }
                    let close = if open == b'[' { b']' } else { b'}' };
                    self.open.push(self.ends.len() as u32);
                    self.starts.push(i as u32);
                    self.ends.push(u32::MAX);
                    self.after.push(u32::MAX);
                    self.closers.push(close);
                    i = skip_space(t, i + 1);
                    if t.get(i) != Some(&close) {
                        if close == b'}' {
                            let Some(v) = key(t, i) else { return false };
                            i = v;
                        }
                        continue 'value;
                    }
                    // An empty container: closed below.
                }
                Some(b'"') => match plain_string_end(t, i) {
                    Some(end) => i = end,
                    None => return false,
                },
                Some(b't') if t[i..].starts_with(b"true") => i += 4,
                Some(b'f') if t[i..].starts_with(b"false") => i += 5,
                Some(b'n') if t[i..].starts_with(b"null") => i += 4,
                Some(b'-' | b'0'..=b'9') => match number_end(t, i) {
                    Some(end) => i = end,
                    None => return false,
                },
                _ => return false,
            }
            // After a value (or at the closer of an empty container).
            loop {
                i = skip_space(t, i);
                let Some(&close) = self.closers.last() else {
                    self.complete = i == t.len();
                    return self.complete;
                };
                match t.get(i) {
                    Some(b',') => {
                        i = skip_space(t, i + 1);
                        if close == b'}' {
                            let Some(v) = key(t, i) else { return false };
                            i = v;
                        }
                        continue 'value;
                    }
                    Some(&b) if b == close => {
                        self.closers.pop();
                        if let Some(o) = self.open.pop() {
                            self.ends[o as usize] = (i + 1) as u32;
                            self.after[o as usize] = self.ends.len() as u32;
                        }
                        i += 1;
                    }
                    _ => return false,
                }
            }
        }
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

/// The length of the box test that `t` starts with when it is spelled as
/// the writer spells one, `{"box":"on"}` or `{"box":"off"}` (each one JSON
/// object holding one plain string), else 0. Most values of a certificate
/// are such (293,433 of the 366,658 tests of ACAS Xu N1,1 over property 4).
fn box_test_len(t: &[u8]) -> usize {
    const ON: &[u8] = br#"{"box":"on"}"#;
    const OFF: &[u8] = br#"{"box":"off"}"#;
    if t.starts_with(ON) {
        ON.len()
    } else if t.starts_with(OFF) {
        OFF.len()
    } else {
        0
    }
}

fn skip_space(t: &[u8], mut i: usize) -> usize {
    while matches!(t.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// An object's key at `i` (a plain string), then its colon: where its
/// value starts.
fn key(t: &[u8], i: usize) -> Option<usize> {
    if t.get(i) != Some(&b'"') {
        return None;
    }
    let i = skip_space(t, plain_string_end(t, i)?);
    (t.get(i) == Some(&b':')).then(|| skip_space(t, i + 1))
}

/// Eight copies of a byte.
const fn bytes(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The end of the string whose quote is at `i`, when it is plain: only
/// bytes from `0x20` to `0x7f` but `"` and `\\` before its closing quote
/// (printable ASCII, which JSON takes as itself). Eight bytes are tested
/// at a time: a word has a byte below `n ≤ 0x80` exactly when
/// `(w − n·1) & !w & 0x80·1` is not zero (a borrow can mark later bytes
/// wrongly, never a word without such a byte), and a byte equal to `b`
/// when `w ^ b·1` has a zero byte; a marked word is read byte by byte.
fn plain_string_end(t: &[u8], i: usize) -> Option<usize> {
    let below = |w: u64, n: u8| w.wrapping_sub(bytes(n)) & !w & bytes(0x80);
    let mut j = i + 1;
    while let Some(chunk) = t.get(j..j + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let marked = below(w, 0x20)
            | below(w ^ bytes(b'"'), 1)
            | below(w ^ bytes(b'\\'), 1)
            | (w & bytes(0x80));
        if marked != 0 {
            break;
        }
        j += 8;
    }
    loop {
        match *t.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' | 0..=0x1f | 0x80..=0xff => return None,
            _ => j += 1,
        }
    }
}

/// The end of the number at `i` (RFC 8259: `-? (0 | [1-9][0-9]*)
/// (.[0-9]+)? ([eE][+-]?[0-9]+)?`).
fn number_end(t: &[u8], mut i: usize) -> Option<usize> {
    let digits = |t: &[u8], mut i: usize| {
        let start = i;
        while t.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if t.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match t.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(t, i)?,
        _ => return None,
    };
    if t.get(i) == Some(&b'.') {
        i = digits(t, i + 1)?;
    }
    if matches!(t.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(t.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(t, i)?;
    }
    Some(i)
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

    /// What `serde_json` says of `line` (the reference): JSON or not.
    fn serde_accepts(line: &[u8]) -> bool {
        std::str::from_utf8(line)
            .is_ok_and(|text| serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok())
    }

    /// `ix`'s record of the containers, to compare two indexes.
    fn record(ix: &LineIndex) -> (Vec<u32>, Vec<u32>, Vec<u32>, bool) {
        (
            ix.starts.clone(),
            ix.ends.clone(),
            ix.after.clone(),
            ix.complete,
        )
    }

    /// Checks `scan_json` on `line` against `serde_json` and the depth
    /// scan: what it accepts is JSON, within the depth, and indexed as the
    /// scan indexes it. Returns whether it accepted.
    fn agrees(line: &[u8], max_depth: usize) -> bool {
        let (mut fast, mut slow) = (LineIndex::default(), LineIndex::default());
        let accepted = fast.scan_json(line, max_depth);
        if accepted {
            assert!(serde_accepts(line), "{}", String::from_utf8_lossy(line));
            assert!(
                slow.scan(line, max_depth),
                "{}",
                String::from_utf8_lossy(line)
            );
            assert_eq!(record(&fast), record(&slow));
            assert!(fast.of(line));
        }
        accepted
    }

    #[test]
    fn the_one_pass_check_accepts_plain_json_and_indexes_it_as_the_scan_does() {
        use crate::check::json_view::tests::random_value;
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(29);
        for _ in 0..3000 {
            let v = random_value(&mut rng, 6);
            for line in [v.to_string(), serde_json::to_string_pretty(&v).unwrap()] {
                // Plain: no escape and no byte beyond ASCII.
                let plain = !line.contains('\\') && line.is_ascii();
                assert_eq!(agrees(line.as_bytes(), 16), plain, "{line}");
            }
        }
        // Numbers, literals and white space of every form RFC 8259 has.
        let line = br#" [0, -0, 12, -3.25, 1e5, 2E-3, 4.5e+10, true, false, null, "", {}, [ ], {"a" : [1]}] "#;
        assert!(agrees(line, 16));
        // Too deep for the limit: left to the scan, which rejects it.
        assert!(!agrees(b"[[[1]]]", 2) && agrees(b"[[[1]]]", 3));
    }

    #[test]
    fn box_tests_taken_whole_are_indexed_as_the_scan_indexes_them() {
        // The writer's spellings, nested at every place a value may stand,
        // and spellings next to them that are read the general way (white
        // space, another side, a longer key, unclosed): each accepted line
        // is JSON by serde_json and indexed as the depth scan indexes it.
        let lines: [&[u8]; 10] = [
            br#"{"box":"on"}"#,
            br#"[{"box":"off"},{"box":"on"},[{"box":"on"}],{"a":{"box":"off"}}]"#,
            br#"[{"box":"on" },{ "box":"on"},{"box":"onn"},{"box":"of"}]"#,
            br#"{"tests":[{"box":"on"},{"box":"on"}],"box":{"box":"off"}}"#,
            br#"[{"box":"on"}"#,
            br#"{"box":"on"}}"#,
            br#"[{"box":"on"}{"box":"on"}]"#,
            br#"[{"box":"on"},]"#,
            br#"{"box":"off"#,
            br#"{"box":"on"},"#,
        ];
        let json = [
            true, true, true, true, false, false, false, false, false, false,
        ];
        for (line, json) in lines.into_iter().zip(json) {
            assert_eq!(agrees(line, 16), json, "{}", String::from_utf8_lossy(line));
        }
        // A box test counts one level of depth, like any object.
        assert!(!agrees(br#"[[{"box":"on"}]]"#, 2));
        assert!(agrees(br#"[[{"box":"on"}]]"#, 3));
        assert!(!agrees(br#"{"box":"on"}"#, 0));
    }

    #[test]
    fn what_the_one_pass_check_accepts_serde_json_accepts() {
        // Random single-byte changes of plain lines (one of a certificate's
        // shape among them), each checked against serde_json: the pass
        // never accepts a line serde_json refuses.
        use crate::check::json_view::tests::random_value;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
        let split = r#"{"box":[[null,["-3/8",[["d0","2230"],["s","7"]]]]],"layer":1,"pattern":"01","tests":[{"box":"on"},[{"cut":[["-1/2","3"],["1/4","0"]]},{"off":[["n0.6","4096"],["s","2683"]]}],"k","lin"],"type":"split"}"#;
        let mut lines = vec![split.to_string(), "[1.5e-3,-0,true]".to_string()];
        while lines.len() < 300 {
            let line = random_value(&mut rng, 5).to_string();
            if !line.contains('\\') && line.is_ascii() {
                lines.push(line);
            }
        }
        let bytes = b" \t\r\n\"\\/,:[]{}-+.0123456789eEtrufalsn\x00\x1f\x7f\xc3\xa9x";
        let (mut accepted, mut refused) = (0, 0);
        for line in &lines {
            for _ in 0..100 {
                let mut l = line.clone().into_bytes();
                let at = rng.gen_range(0..=l.len());
                let b = bytes[rng.gen_range(0..bytes.len())];
                match rng.gen_range(0..3) {
                    0 if at < l.len() => drop(l.remove(at)),
                    1 if at < l.len() => l[at] = b,
                    _ => l.insert(at, b),
                }
                if agrees(&l, 16) {
                    accepted += 1;
                } else {
                    refused += 1;
                }
            }
        }
        // Both kinds were seen (the test tests something either way).
        assert!(accepted > 1000 && refused > 1000, "{accepted} {refused}");
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
