//! Appends an integer's decimal digits to a string without the formatting
//! machinery (`write!` goes through `fmt::write`, a `Formatter` and its
//! padding for every number). A certificate is mostly numbers (ACAS Xu
//! N1,1 over property 4: about three million of them in 28 MB), and
//! formatting them with `write!` was about 6% of `certify`.

/// Two digits at a time: `PAIRS[2n..2n + 2]` are the digits of `n < 100`.
const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Appends the digits of `v`.
pub fn push_u128(out: &mut String, mut v: u128) {
    // u128::MAX has 39 digits.
    let mut buf = [0u8; 39];
    let mut at = buf.len();
    // The high part in u128 steps, the rest in u64 ones (cheaper).
    while v > u64::MAX as u128 {
        let (q, r) = (v / 100, (v % 100) as usize);
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[2 * r..2 * r + 2]);
        v = q;
    }
    let mut v = v as u64;
    while v >= 100 {
        let r = (v % 100) as usize;
        v /= 100;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[2 * r..2 * r + 2]);
    }
    if v >= 10 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[2 * v as usize..2 * v as usize + 2]);
    } else {
        at -= 1;
        buf[at] = b'0' + v as u8;
    }
    out.push_str(std::str::from_utf8(&buf[at..]).expect("ASCII digits"));
}

/// Appends the digits of `v`.
pub fn push_u64(out: &mut String, v: u64) {
    push_u128(out, v.into());
}

/// Appends `v` with its sign.
pub fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The standard library's `Display` is the reference.
    #[test]
    fn digits_are_those_display_writes() {
        let mut values: Vec<u128> = vec![0, 1, 9, 10, 99, 100, 101, 999, 1000, 12345];
        for k in 0..128 {
            let p = 1u128 << k;
            values.extend([p - 1, p, p + 1, p / 3, p / 10 * 9]);
        }
        values.extend([
            u64::MAX as u128,
            u64::MAX as u128 + 1,
            u128::MAX,
            10u128.pow(38),
        ]);
        for v in values {
            let mut s = String::from("x");
            push_u128(&mut s, v);
            assert_eq!(s, format!("x{v}"));
            if let Ok(w) = u64::try_from(v) {
                let mut s = String::new();
                push_u64(&mut s, w);
                assert_eq!(s, w.to_string());
            }
            if let Ok(w) = i64::try_from(v) {
                for w in [w, -w] {
                    let mut s = String::new();
                    push_i64(&mut s, w);
                    assert_eq!(s, w.to_string());
                }
            }
        }
        let mut s = String::new();
        push_i64(&mut s, i64::MIN);
        assert_eq!(s, i64::MIN.to_string());
    }
}
