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

    /// Whether the number written `text` has at most the limit's digits, so
    /// that parsing it (quadratic in its digits) stays quick.
    pub(super) fn digits_within(&self, text: &str) -> bool {
        text.bytes().filter(u8::is_ascii_digit).count() <= self.max_digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_digits: usize) -> CheckLimits {
        CheckLimits {
            max_digits,
            ..CheckLimits::default()
        }
    }

    #[test]
    fn digits_count_numerator_and_denominator_together() {
        assert!(limits(6).digits_within("-123/456"));
        assert!(!limits(5).digits_within("-123/456"));
        // Underscores, which the integer parser skips, are not digits.
        assert!(limits(2).digits_within("1_0"));
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
