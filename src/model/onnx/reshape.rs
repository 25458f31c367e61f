//! ONNX `Reshape`'s target shape: `0` copies the input's dimension (unless
//! `allowzero`), one `-1` takes what is left.

/// The shape `dims` becomes under `Reshape` to `target`, or why it cannot.
pub(crate) fn reshape_target(
    dims: &[usize],
    target: &[i64],
    allow_zero: bool,
) -> Result<Vec<usize>, String> {
    let n: usize = dims.iter().product();
    let mut out = Vec::with_capacity(target.len());
    let mut infer = None;
    for (k, &d) in target.iter().enumerate() {
        match d {
            -1 if infer.is_none() => {
                infer = Some(k);
                out.push(1);
            }
            0 if !allow_zero => out.push(*dims.get(k).ok_or_else(|| {
                format!(
                    "target {target:?}: dimension {k} copies a dimension the data does not have"
                )
            })?),
            d if d > 0 => out.push(d as usize),
            _ => return Err(format!("target shape {target:?} is not supported")),
        }
    }
    let known: usize = out.iter().product();
    if let Some(k) = infer {
        if known == 0 || !n.is_multiple_of(known) {
            return Err(format!("cannot reshape {dims:?} to {target:?}"));
        }
        out[k] = n / known;
    }
    if out.iter().product::<usize>() != n {
        return Err(format!(
            "cannot reshape {dims:?} ({n} entries) to {target:?}"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_and_minus_one() {
        assert_eq!(
            reshape_target(&[1, 2, 3], &[0, -1], false).unwrap(),
            vec![1, 6]
        );
        assert_eq!(reshape_target(&[1, 6], &[2, 3], false).unwrap(), vec![2, 3]);
        assert!(reshape_target(&[1, 6], &[4, -1], false).is_err());
        assert!(reshape_target(&[1, 6], &[0, 6], true).is_err());
        assert!(reshape_target(&[6], &[-1, -1], false).is_err());
    }
}
