//! The checker's bounds on what it reads, so that a hostile file is rejected
//! quickly and in little memory: the length of a line, the length of the
//! whole (decompressed) stream, the digits of one number, and the nesting
//! depth of one line's JSON. The defaults, and the certificates they were
//! measured on, are in `docs/certificate.md` ("Limits").

use std::fmt;

/// The bounds the checker enforces while reading a certificate. Every
/// genuine certificate measured so far is far inside the defaults; a run
/// that needs more can raise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckLimits {
    /// The longest line, in bytes, newline not counted.
    pub max_line_bytes: usize,
    /// The longest certificate, in bytes as read (after decompression).
    pub max_total_bytes: u64,
    /// The most decimal digits in one number (numerator and denominator
    /// together), checked before the number is parsed.
    pub max_digits: usize,
    /// The deepest nesting of arrays and objects in one line.
    pub max_depth: usize,
}

impl Default for CheckLimits {
    /// 16 MiB lines, 64 GiB in all, 10 000 digits, depth 16.
    fn default() -> Self {
        CheckLimits {
            max_line_bytes: 16 << 20,
            max_total_bytes: 64 << 30,
            max_digits: 10_000,
            max_depth: 16,
        }
    }
}

/// One of the bounds of [`CheckLimits`]; it prints as its name, which is
/// also the name of `verify`'s flag that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`CheckLimits::max_line_bytes`].
    LineBytes,
    /// [`CheckLimits::max_total_bytes`].
    TotalBytes,
    /// [`CheckLimits::max_digits`].
    Digits,
    /// [`CheckLimits::max_depth`].
    Depth,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::LineBytes => "max-line-bytes",
            Limit::TotalBytes => "max-total-bytes",
            Limit::Digits => "max-digits",
            Limit::Depth => "max-depth",
        })
    }
}

impl Limit {
    /// What going over the limit means, to precede the limit's name.
    pub fn over(&self) -> &'static str {
        match self {
            Limit::LineBytes => "the line is longer than",
            Limit::TotalBytes => "the certificate is longer than",
            Limit::Digits => "a number has more digits than",
            Limit::Depth => "the line nests deeper than",
        }
    }
}

impl CheckLimits {
    /// The value of `limit`.
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::LineBytes => self.max_line_bytes as u64,
            Limit::TotalBytes => self.max_total_bytes,
            Limit::Digits => self.max_digits as u64,
            Limit::Depth => self.max_depth as u64,
        }
    }

    /// Whether the arrays and objects of the JSON text `line` nest no deeper
    /// than the limit. A linear scan of the bytes, before any parsing:
    /// brackets inside strings do not count.
    pub(super) fn depth_within(&self, line: &[u8]) -> bool {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for &b in line {
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > self.max_depth {
                        return false;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        true
    }

    /// Whether the number written `text` has at most the limit's digits, so
    /// that parsing it (quadratic in its digits) stays quick.
    pub(super) fn digits_within(&self, text: &str) -> bool {
        text.bytes().filter(u8::is_ascii_digit).count() <= self.max_digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_depth: usize, max_digits: usize) -> CheckLimits {
        CheckLimits {
            max_depth,
            max_digits,
            ..CheckLimits::default()
        }
    }

    #[test]
    fn depth_counts_brackets_outside_strings_only() {
        // `{"a": [[1]]}` nests 3 deep (object, array, array), by hand.
        let line = br#"{"a": [[1]], "b": "[[[[\"[["}"#;
        assert!(limits(3, 10).depth_within(line));
        assert!(!limits(2, 10).depth_within(line));
        assert!(limits(0, 10).depth_within(b"17"));
        // After an escaped quote the string goes on, and after it ends the
        // brackets count again: 4 deep.
        let escaped = br#"{"s": "\"[", "a": [[[1]]]}"#;
        assert!(limits(4, 10).depth_within(escaped));
        assert!(!limits(3, 10).depth_within(escaped));
    }

    #[test]
    fn digits_count_numerator_and_denominator_together() {
        assert!(limits(1, 6).digits_within("-123/456"));
        assert!(!limits(1, 5).digits_within("-123/456"));
        // Underscores, which the integer parser skips, are not digits.
        assert!(limits(1, 2).digits_within("1_0"));
    }

    #[test]
    fn limits_print_as_their_flag_names() {
        let names: Vec<String> = [
            Limit::LineBytes,
            Limit::TotalBytes,
            Limit::Digits,
            Limit::Depth,
        ]
        .iter()
        .map(Limit::to_string)
        .collect();
        assert_eq!(
            names,
            [
                "max-line-bytes",
                "max-total-bytes",
                "max-digits",
                "max-depth"
            ]
        );
    }
}
