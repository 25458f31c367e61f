//! numpy-style broadcasting of a constant tensor against the data's shape,
//! as ONNX's elementwise operators define it.

/// The broadcast shape of `a` and `b` (aligned on the right; a dimension of
/// 1 stretches), or `None` if they do not broadcast.
pub(crate) fn broadcast(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let rank = a.len().max(b.len());
    let mut out = vec![0; rank];
    for (k, o) in out.iter_mut().enumerate() {
        let da = (k + a.len()).checked_sub(rank).map_or(1, |i| a[i]);
        let db = (k + b.len()).checked_sub(rank).map_or(1, |i| b[i]);
        *o = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(out)
}

/// The row-major values of a tensor of shape `dims` stretched to the shape
/// `out` (which `dims` must broadcast to).
pub(crate) fn expand(values: &[f64], dims: &[usize], out: &[usize]) -> Vec<f64> {
    let offset = out.len() - dims.len();
    let mut strides = vec![0; out.len()];
    let mut stride = 1;
    for k in (0..dims.len()).rev() {
        if dims[k] != 1 {
            strides[k + offset] = stride;
        }
        stride *= dims[k];
    }
    let total: usize = out.iter().product();
    let mut result = Vec::with_capacity(total);
    let mut index = vec![0; out.len()];
    for _ in 0..total {
        result.push(
            values[index
                .iter()
                .zip(&strides)
                .map(|(i, s)| i * s)
                .sum::<usize>()],
        );
        for k in (0..out.len()).rev() {
            index[k] += 1;
            if index[k] < out[k] {
                break;
            }
            index[k] = 0;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(broadcast(&[1, 5], &[5]), Some(vec![1, 5]));
        assert_eq!(broadcast(&[5], &[1, 1, 5]), Some(vec![1, 1, 5]));
        assert_eq!(broadcast(&[1, 5], &[]), Some(vec![1, 5]));
        assert_eq!(broadcast(&[5, 1], &[1, 5]), Some(vec![5, 5]));
        assert_eq!(broadcast(&[4], &[5]), None);
        assert_eq!(expand(&[2.0], &[], &[1, 3]), vec![2.0; 3]);
        assert_eq!(
            expand(&[1.0, 2.0], &[2, 1], &[2, 2]),
            vec![1.0, 1.0, 2.0, 2.0]
        );
        assert_eq!(
            expand(&[1.0, 2.0], &[1, 2], &[2, 2]),
            vec![1.0, 2.0, 1.0, 2.0]
        );
    }
}
