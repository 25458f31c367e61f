//! A lazy view of one line of JSON, so that checking a line costs no memory
//! beyond the line itself, however many values it holds.
//!
//! Parsing a line into `serde_json::Value` costs memory per value, not per
//! byte: 32 bytes a scalar, more for a string, and a map node of about 600
//! bytes for every object. A line within the 16 MiB line limit holding two
//! million `{"a":1}` made the checker allocate 1.4 GB before it rejected the
//! line. Here the line is only checked to be JSON (without building
//! anything), and a value is a slice of the line's bytes: looking up a key or
//! walking an array scans the bytes, and a number is read only when the
//! checker asks for it. The checker reads each part of a line a small,
//! fixed number of times, so the time stays linear in the line.

use crate::check::line_index::LineIndex;
use serde::de::IgnoredAny;
use serde_json::Value;
use std::borrow::Cow;

/// The longest text of a value that [`Json::to_value`] copies out whole (for
/// the messages of a rejection): a value found in a genuine certificate is
/// far shorter; a longer one is described by its length instead, so that a
/// hostile line never turns into a large `Value`.
const SHOWN_BYTES: usize = 1024;

/// The longest number that [`Json::equals`] reads as a JSON number: a
/// number written by the prover (an `f64` printed shortest) has at most 24
/// characters; a longer text is taken as different rather than parsed.
const NUMBER_BYTES: usize = 1024;

/// How far a string is scanned byte by byte before a vector search takes
/// over (names of rows and numbers are shorter; witnesses are longer).
const SHORT_STRING: usize = 24;

/// One JSON value of a line: the bytes that spell it, without the white
/// space around it. An absent value (a key an object does not have, an
/// index past an array's end) has no bytes, and reads as nothing, as
/// `Value::Null` does in `serde_json`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Json<'a> {
    text: &'a [u8],
    /// The line's index (`line_index.rs`) and this value's ordinal in it,
    /// when the value is a container of an indexed line.
    nav: Nav<'a>,
}

/// Where a container sits in its line's index, if it has one.
type Nav<'a> = Option<(&'a LineIndex, u32)>;

impl PartialEq for Json<'_> {
    /// Values are equal when they spell the same bytes (how they were
    /// found does not matter); only the absent value has none.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<'a> Json<'a> {
    /// The value that `line` spells, after checking that the whole line is
    /// one JSON value (without building it); the error is the parser's
    /// message.
    ///
    /// With `index`, the line's containers as [`LineIndex::scan`] found
    /// them, reading steps over a container at once; an index of another
    /// line, or an incomplete one, is not used, and the line is read by
    /// scanning. Either way every value reads the same.
    pub(super) fn parse(line: &'a [u8], index: Option<&'a LineIndex>) -> Result<Json<'a>, String> {
        let text = std::str::from_utf8(line)
            .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
        serde_json::from_str::<IgnoredAny>(text).map_err(|e| e.to_string())?;
        Ok(Json::view(line, index))
    }

    /// The value that `line` spells, a line that
    /// [`LineIndex::scan_json`] found to be JSON, indexed in `index`.
    pub(super) fn checked(line: &'a [u8], index: &'a LineIndex) -> Json<'a> {
        debug_assert!(index.of(line), "the line's own index");
        Json::view(line, Some(index))
    }

    /// The value that `line`, a line of JSON, spells.
    fn view(line: &'a [u8], index: Option<&'a LineIndex>) -> Json<'a> {
        let start = skip_space(line, 0);
        let index = index.filter(|ix| ix.of(line));
        let (end, nav, _) = next_value(line, start, index.map(|ix| (ix, 0)));
        Json {
            text: &line[start..end],
            nav,
        }
    }

    /// The absent value.
    pub(super) const ABSENT: Json<'static> = Json {
        text: &[],
        nav: None,
    };

    fn absent() -> Json<'a> {
        Json::ABSENT
    }

    /// Element `i` of this array, or absent (also when it is no array).
    pub(super) fn item(self, i: usize) -> Json<'a> {
        self.as_array().map_or(Json::absent(), |a| a.get(i))
    }

    /// The value of `key` in this object, or absent. If the key is repeated,
    /// the last one counts, as when `serde_json` builds a map.
    pub(super) fn at(self, key: &str) -> Json<'a> {
        let [found] = self.fields([key]);
        found
    }

    /// The values of `keys` in this object (each as [`Json::at`]), found in
    /// one scan of the object.
    pub(super) fn fields<const N: usize>(self, keys: [&str; N]) -> [Json<'a>; N] {
        let mut found = [Json::absent(); N];
        for (k, v) in self.members() {
            match plain_string(k.text) {
                // A key without escapes is its bytes: compared once each.
                Some(inner) => {
                    for (key, slot) in keys.iter().zip(&mut found) {
                        if inner == key.as_bytes() {
                            *slot = v;
                        }
                    }
                }
                None => {
                    for (key, slot) in keys.iter().zip(&mut found) {
                        if string_is(k, key) {
                            *slot = v;
                        }
                    }
                }
            }
        }
        found
    }

    /// This object with the values of `keys` found in one scan, for a
    /// checker that reads several of them (a line's top-level object).
    pub(super) fn record<const N: usize>(self, keys: [&'static str; N]) -> Record<'a, N> {
        Record {
            keys,
            values: self.fields(keys),
            object: self,
        }
    }

    /// Whether this value is a JSON string that spells `s` (compared by
    /// bytes when it has no escape).
    pub(super) fn is_str(self, s: &str) -> bool {
        string_is(self, s)
    }

    /// The bytes of the string this value spells, unescaped, if it is a
    /// string: borrowed from the line when it has no escape.
    pub(super) fn str_bytes(self) -> Option<Cow<'a, [u8]>> {
        match plain_string(self.text) {
            Some(inner) => Some(Cow::Borrowed(inner)),
            None => self
                .as_str()
                .map(|s| Cow::Owned(s.into_owned().into_bytes())),
        }
    }

    /// The bytes that spell this value (none when it is absent).
    pub(super) fn text(self) -> &'a [u8] {
        self.text
    }

    /// The string this value spells, unescaped, if it is a string.
    pub(super) fn as_str(self) -> Option<Cow<'a, str>> {
        string_text(self.text)
    }

    /// The value as a `u64`, if it is an integer that fits (as
    /// `Value::as_u64`: no sign, fraction or exponent).
    pub(super) fn as_u64(self) -> Option<u64> {
        let digits = self.text.len() <= 20 && self.text.iter().all(u8::is_ascii_digit);
        if !digits || self.text.is_empty() {
            return None;
        }
        std::str::from_utf8(self.text).ok()?.parse().ok()
    }

    /// The array this value is, if it is one.
    pub(super) fn as_array(self) -> Option<Array<'a>> {
        (self.text.first() == Some(&b'[')).then_some(Array {
            text: self.text,
            nav: self.nav,
        })
    }

    /// Whether this value is the JSON value `v`, as `serde_json` compares
    /// values (numbers as the numbers they spell). An object with a repeated
    /// key is never equal.
    pub(super) fn equals(self, v: &Value) -> bool {
        match v {
            Value::Null => self.text == b"null",
            Value::Bool(b) => self.text == if *b { &b"true"[..] } else { b"false" },
            Value::String(s) => self.as_str().is_some_and(|t| t == s.as_str()),
            Value::Number(n) => {
                let number = matches!(self.text.first(), Some(b'-' | b'0'..=b'9'))
                    && self.text.len() <= NUMBER_BYTES;
                number
                    && serde_json::from_slice::<serde_json::Number>(self.text).ok()
                        == Some(n.clone())
            }
            Value::Array(items) => self.as_array().is_some_and(|a| {
                let mut mine = a.iter();
                items
                    .iter()
                    .all(|item| mine.next().is_some_and(|m| m.equals(item)))
                    && mine.next().is_none()
            }),
            Value::Object(map) => {
                self.text.first() == Some(&b'{')
                    && self.members().take(map.len() + 1).count() == map.len()
                    // With as many members as keys, each key found means
                    // the members' keys are the map's, none repeated.
                    && map.iter().all(|(k, v)| {
                        self.members()
                            .any(|(mk, mv)| string_is(mk, k) && mv.equals(v))
                    })
            }
        }
    }

    /// The value as a `serde_json::Value`, to show in a rejection: the
    /// value itself if its text is short, else a string saying how long it
    /// is. Absent is `null`.
    pub(super) fn to_value(self) -> Value {
        if self.text.len() > SHOWN_BYTES {
            return Value::String(format!("(a value of {} bytes, not shown)", self.text.len()));
        }
        serde_json::from_slice(self.text).unwrap_or(Value::Null)
    }

    /// The (key, value) pairs of this object, in order; none if it is not
    /// an object.
    fn members(self) -> impl Iterator<Item = (Json<'a>, Json<'a>)> {
        let text = if self.text.first() == Some(&b'{') {
            self.text
        } else {
            &[]
        };
        let mut values = Values::inside(text, self.nav);
        std::iter::from_fn(move || {
            let key = values.next()?;
            // The key's `:` is skipped as a separator.
            let value = values.next()?;
            Some((key, value))
        })
    }
}

/// An object with some of its values found ahead (by [`Json::record`]).
pub(super) struct Record<'a, const N: usize> {
    keys: [&'static str; N],
    values: [Json<'a>; N],
    object: Json<'a>,
}

impl<'a, const N: usize> Record<'a, N> {
    /// The value of `key` (as [`Json::at`]): found ahead, or looked up now.
    pub(super) fn at(&self, key: &str) -> Json<'a> {
        match self.keys.iter().position(|k| *k == key) {
            Some(i) => self.values[i],
            None => self.object.at(key),
        }
    }
}

/// An array of a line: its elements, read on demand.
#[derive(Debug, Clone, Copy)]
pub(super) struct Array<'a> {
    text: &'a [u8],
    nav: Nav<'a>,
}

impl<'a> Array<'a> {
    /// The elements, in order.
    pub(super) fn iter(self) -> impl Iterator<Item = Json<'a>> {
        Values::inside(self.text, self.nav)
    }

    /// The bytes that spell the array.
    pub(super) fn text(self) -> &'a [u8] {
        self.text
    }

    /// The number of elements (a scan of the array).
    pub(super) fn len(self) -> usize {
        self.iter().count()
    }

    /// The elements, if there are exactly `n` (found in one scan, holding
    /// no more than `n + 1` of them), else how many there are: a count the
    /// checker knows ahead (from the network) bounds what it holds.
    pub(super) fn exactly(self, n: usize) -> Result<Vec<Json<'a>>, usize> {
        let items: Vec<Json<'a>> = self.iter().take(n.saturating_add(1)).collect();
        match items.len() == n {
            true => Ok(items),
            false => Err(self.len()),
        }
    }

    /// Whether the array has no element.
    pub(super) fn is_empty(self) -> bool {
        self.iter().next().is_none()
    }

    /// Element `i`, or absent.
    pub(super) fn get(self, i: usize) -> Json<'a> {
        self.iter().nth(i).unwrap_or(Json::absent())
    }
}

/// The values inside an array or object `text` (an object's keys and values
/// alternate), from byte `at` on. `text` is valid JSON; the scan never
/// reads past its end whatever the bytes.
struct Values<'a> {
    text: &'a [u8],
    at: usize,
    /// The index, and the ordinal of the next container to open.
    nav: Nav<'a>,
}

impl<'a> Values<'a> {
    /// The values inside the container `text`, whose place in the index
    /// (if any) is `nav`: its first inner container is the next ordinal.
    fn inside(text: &'a [u8], nav: Nav<'a>) -> Self {
        Values {
            text,
            at: 1,
            nav: nav.map(|(ix, ord)| (ix, ord + 1)),
        }
    }
}

impl<'a> Iterator for Values<'a> {
    type Item = Json<'a>;

    fn next(&mut self) -> Option<Json<'a>> {
        let t = self.text;
        let start = skip_space(t, self.at);
        if matches!(t.get(start), None | Some(b']' | b'}')) {
            self.at = t.len();
            return None;
        }
        let (end, nav, following) = next_value(t, start, self.nav);
        self.nav = following;
        // Past the separator (`,` between values, `:` after a key).
        let after = skip_space(t, end);
        self.at = after + usize::from(matches!(t.get(after), Some(b',' | b':')));
        Some(Json {
            text: &t[start..end],
            nav,
        })
    }
}

/// The end of the value that starts at `start` in `t`, where `nav` holds
/// the index and the ordinal of the next container to open; then the
/// value's own place (a container the index places), and `nav` for what
/// follows it. A container the index does not vouch for is scanned, and
/// the ordinals after it are unknown.
fn next_value<'a>(t: &[u8], start: usize, nav: Nav<'a>) -> (usize, Nav<'a>, Nav<'a>) {
    if !matches!(t.get(start), Some(b'[' | b'{')) {
        return (value_end(t, start), None, nav);
    }
    if let Some((ix, ord)) = nav {
        if let Some((end, after)) = ix.container(t, start, ord) {
            return (end, Some((ix, ord)), Some((ix, after)));
        }
    }
    (value_end(t, start), None, None)
}

fn skip_space(t: &[u8], mut i: usize) -> usize {
    while matches!(t.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (exclusive) of the value that starts at `i`.
fn value_end(t: &[u8], i: usize) -> usize {
    match t.get(i) {
        Some(b'"') => string_end(t, i),
        Some(b'[' | b'{') => container_end(t, i),
        Some(_) => {
            let mut j = i;
            while !matches!(
                t.get(j),
                None | Some(b',' | b':' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                j += 1;
            }
            j
        }
        None => i,
    }
}

/// The end (exclusive) of the string whose opening quote is at `i`.
fn string_end(t: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    // Most strings of a certificate are a few bytes: a plain loop finds
    // their end sooner than setting up a vector search.
    let near = t.len().min(j + SHORT_STRING);
    while j < near {
        match t[j] {
            b'"' => return j + 1,
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    while let Some(k) = t
        .get(j..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        match t[j + k] {
            b'"' => return j + k + 1,
            // A backslash escapes the next byte.
            _ => j += k + 2,
        }
    }
    t.len()
}

/// The end (exclusive) of the array or object that opens at `i`; brackets
/// inside strings do not count. (In valid JSON brackets and braces nest
/// properly, so one depth counts both.)
fn container_end(t: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while let Some(&b) = t.get(j) {
        match b {
            b'"' => {
                j = string_end(t, j);
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    t.len()
}

/// The text of the JSON string `t` (with its quotes), unescaped; borrowed
/// when it has no escape.
fn string_text(t: &[u8]) -> Option<Cow<'_, str>> {
    let inner = t.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if inner.contains(&b'\\') {
        serde_json::from_slice::<String>(t).ok().map(Cow::Owned)
    } else {
        std::str::from_utf8(inner).ok().map(Cow::Borrowed)
    }
}

/// The bytes inside the JSON string `t` when it has no escape (then they
/// are the string's own), else `None`.
fn plain_string(t: &[u8]) -> Option<&[u8]> {
    let inner = t.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    (!inner.contains(&b'\\')).then_some(inner)
}

/// Whether the JSON string `t` spells `s`.
fn string_is(t: Json<'_>, s: &str) -> bool {
    match plain_string(t.text) {
        Some(inner) => inner == s.as_bytes(),
        None => t.as_str().is_some_and(|x| x == s),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Json<'_> {
        Json::parse(text.as_bytes(), None).unwrap()
    }

    #[test]
    fn reads_what_serde_json_reads() {
        // The same line through serde_json's `Value`, as the reference.
        let text = r#" {"type": "split", "n": 17, "neg": -3, "f": 1.5, "big": 18446744073709551616,
            "s": "a\"b\u0041[", "a": [ [], [1, "x"], {"k": [true, null]} ], "e": {},
            "type": "region"} "#;
        let v: Value = serde_json::from_str(text).unwrap();
        let j = parse(text);
        for key in ["type", "n", "neg", "f", "big", "s", "a", "e", "missing"] {
            assert_eq!(j.at(key).as_str().as_deref(), v[key].as_str(), "{key}");
            assert_eq!(j.at(key).as_u64(), v[key].as_u64(), "{key}");
            assert_eq!(j.at(key).as_array().is_some(), v[key].is_array(), "{key}");
            assert_eq!(j.at(key).to_value(), v[key], "{key}");
            assert!(j.at(key).equals(&v[key]) || v[key].is_null(), "{key}");
        }
        // The repeated key: the last one counts, as in the map.
        assert_eq!(j.at("type").as_str().as_deref(), Some("region"));
        let a = j.at("a").as_array().unwrap();
        assert_eq!(a.len(), 3);
        assert!(a.get(0).as_array().unwrap().is_empty());
        assert_eq!(
            a.get(1).as_array().unwrap().get(1).as_str().as_deref(),
            Some("x")
        );
        assert_eq!(a.get(2).at("k").to_value(), json!([true, null]));
        assert_eq!(a.get(3), Json::absent());
        assert!(j.at("e").as_array().is_none());
    }

    #[test]
    fn equality_is_serde_jsons_but_never_with_a_repeated_key() {
        let expected = json!({"kind": "box", "lo": [-1.0, 0.5], "hi": [1.0, 2], "x": null});
        assert!(parse(r#"{"hi":[1.0,2],"lo":[-1.0,0.5],"kind":"box","x":null}"#).equals(&expected));
        // 1e0 is the number 1.0; 2.0 is not the integer 2.
        assert!(parse(r#"{"hi":[1e0,2],"lo":[-1.0,0.5],"kind":"box","x":null}"#).equals(&expected));
        assert!(
            !parse(r#"{"hi":[1.0,2.0],"lo":[-1.0,0.5],"kind":"box","x":null}"#).equals(&expected)
        );
        assert!(!parse(r#"{"hi":[1.0,2],"lo":[-1.0,0.5],"kind":"box"}"#).equals(&expected));
        assert!(!parse(r#"{"hi":[1.0,2],"lo":[-1.0],"kind":"box","x":null}"#).equals(&expected));
        assert!(
            !parse(r#"{"hi":[1.0,2],"lo":[-1.0,0.5],"kind":"box","kind":"box"}"#).equals(&expected)
        );
        assert!(!parse(r#"[1]"#).equals(&json!({})));
        assert!(parse(r#"{}"#).equals(&json!({})));
    }

    #[test]
    fn a_line_that_is_not_one_json_value_is_refused_with_the_parsers_message() {
        for bad in [
            r#"{"a": 1"#,
            "[1] 2",
            "",
            "[1,]",
            r#"{"a" 1}"#,
            "[01]",
            "nul",
        ] {
            assert!(Json::parse(bad.as_bytes(), None).is_err(), "{bad}");
        }
        // The message is serde_json's: that of docs/errors.md's garbage
        // certificate.
        assert_eq!(
            Json::parse(br#"{"type": "header""#, None).unwrap_err(),
            "EOF while parsing an object at line 1 column 17"
        );
        assert_eq!(
            Json::parse(b"[\"\xff\"]", None).unwrap_err(),
            "invalid UTF-8 at byte 2"
        );
    }

    #[test]
    fn a_long_value_is_shown_by_its_length() {
        let long = format!("[{}1]", "1,".repeat(SHOWN_BYTES));
        assert_eq!(
            parse(&long).to_value(),
            json!(format!("(a value of {} bytes, not shown)", long.len()))
        );
    }

    /// A random JSON value of the kinds certificates hold, with strings that
    /// hold brackets, quotes and escapes.
    pub(in crate::check) fn random_value(rng: &mut rand_chacha::ChaCha8Rng, depth: usize) -> Value {
        use rand::Rng;
        let strings = [
            "d1", "n2.17", "4096", "-3/8", "[", "}{", "a\"b", "\\", "é", "",
        ];
        match rng.gen_range(0..if depth == 0 { 3 } else { 5 }) {
            0 => json!(strings[rng.gen_range(0..strings.len())]),
            1 => json!(rng.gen_range(-5i64..100_000)),
            2 => [json!(null), json!(true), json!(1.5e-3)][rng.gen_range(0..3)].clone(),
            3 => Value::Array(
                (0..rng.gen_range(0..4))
                    .map(|_| random_value(rng, depth - 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..rng.gen_range(0..4))
                    .map(|_| {
                        let key = ["type", "on", "cut", "box", "x"][rng.gen_range(0..5)];
                        (key.to_string(), random_value(rng, depth - 1))
                    })
                    .collect(),
            ),
        }
    }

    /// Reads `a` and `b` in every way the checker can and asserts that they
    /// read alike, down to the leaves.
    fn reads_alike(a: Json, b: Json) {
        assert_eq!(a.text, b.text);
        assert_eq!(a.as_str(), b.as_str());
        assert_eq!(a.as_u64(), b.as_u64());
        assert_eq!(a.to_value(), b.to_value());
        if a.text.first() == Some(&b'{') {
            for key in ["type", "on", "cut", "box", "x"] {
                reads_alike(a.at(key), b.at(key));
            }
        }
        let (Some(x), Some(y)) = (a.as_array(), b.as_array()) else {
            assert_eq!(a.as_array().is_some(), b.as_array().is_some());
            return;
        };
        assert_eq!(x.len(), y.len());
        assert_eq!(x.exactly(2).map(|v| v.len()), y.exactly(2).map(|v| v.len()));
        for (p, q) in x.iter().zip(y.iter()) {
            reads_alike(p, q);
        }
        reads_alike(x.get(1), y.get(1));
    }

    #[test]
    fn an_indexed_line_reads_as_a_scanned_one() {
        // The scanned reading, tested against serde_json above, is the
        // reference for the indexed one, on random lines and a line of a
        // genuine certificate's shape.
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut index = LineIndex::default();
        let split = r#"{"layer":1,"pattern":"01","tests":[[{"box":"on"}],[{"cut":[["-1/2","3"],["1/4","0"]]}],[{"off":[["d1","4096"],["s","3"]]},{"on":[["n0.0","1"],["s","1"]]}]],"type":"split"}"#;
        let mut lines = vec![split.to_string()];
        lines.extend((0..3000).map(|_| random_value(&mut rng, 5).to_string()));
        for line in &lines {
            assert!(index.scan(line.as_bytes(), 16));
            let indexed = Json::parse(line.as_bytes(), Some(&index)).unwrap();
            assert!(indexed.nav.is_some() || !line.starts_with(['[', '{']));
            reads_alike(indexed, parse(line));
        }
        // An index of another line is not used.
        index.scan(b"[[1]]", 16);
        let other = Json::parse(split.as_bytes(), Some(&index)).unwrap();
        assert!(other.nav.is_none());
        reads_alike(other, parse(split));
    }
}
