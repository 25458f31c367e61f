//! Index arithmetic on row-major tensors: where each entry of a gathered,
//! concatenated, sliced or transposed tensor comes from, and the shapes of
//! `Squeeze` and `Unsqueeze`.

use crate::model::onnx::tensor::{Tensor, Values};

/// Advances a row-major multi-index within `dims`.
pub(crate) fn step(index: &mut [usize], dims: &[usize]) {
    for k in (0..index.len()).rev() {
        index[k] += 1;
        if index[k] < dims[k] {
            return;
        }
        index[k] = 0;
    }
}

pub(crate) fn normalise_axis(axis: i64, rank: usize) -> Result<usize, String> {
    let r = rank as i64;
    let a = if axis < 0 { axis + r } else { axis };
    if (0..r).contains(&a) {
        Ok(a as usize)
    } else {
        Err(format!("axis {axis} is out of range for rank {}", rank))
    }
}

/// Row-major strides of `dims`.
pub(crate) fn strides(dims: &[usize]) -> Vec<usize> {
    let mut s = vec![1; dims.len()];
    for k in (0..dims.len().saturating_sub(1)).rev() {
        s[k] = s[k + 1] * dims[k + 1];
    }
    s
}

/// Picks entries: output entry `j` is input entry `src[j]`.
pub(crate) fn pick(t: &Tensor, dims: Vec<usize>, src: &[usize]) -> Tensor {
    let values = match &t.values {
        Values::Float(v) => Values::Float(src.iter().map(|&i| v[i]).collect()),
        Values::Int(v) => Values::Int(src.iter().map(|&i| v[i]).collect()),
    };
    Tensor { dims, values }
}

pub(crate) fn gather(data: &Tensor, indices: &Tensor, axis: i64) -> Result<Tensor, String> {
    let axis = normalise_axis(axis, data.dims.len())?;
    let n = data.dims[axis] as i64;
    let idx: Vec<usize> = indices
        .ints("the indices")?
        .iter()
        .map(|&i| {
            let j = if i < 0 { i + n } else { i };
            usize::try_from(j)
                .ok()
                .filter(|&j| (j as i64) < n)
                .ok_or_else(|| format!("index {i} is out of range for a dimension of {n}"))
        })
        .collect::<Result<_, _>>()?;
    let outer: usize = data.dims[..axis].iter().product();
    let inner: usize = data.dims[axis + 1..].iter().product();
    let mut src = Vec::with_capacity(outer * idx.len() * inner);
    for o in 0..outer {
        for &i in &idx {
            for k in 0..inner {
                src.push((o * data.dims[axis] + i) * inner + k);
            }
        }
    }
    let dims = [
        &data.dims[..axis],
        &indices.dims[..],
        &data.dims[axis + 1..],
    ]
    .concat();
    Ok(pick(data, dims, &src))
}

/// The shape after inserting dimensions of 1 at `axes` (of the output).
pub(crate) fn unsqueeze_dims(dims: &[usize], axes: &[i64]) -> Result<Vec<usize>, String> {
    let rank = dims.len() + axes.len();
    let mut at: Vec<usize> = axes
        .iter()
        .map(|&a| normalise_axis(a, rank))
        .collect::<Result<_, _>>()?;
    at.sort_unstable();
    at.dedup();
    if at.len() != axes.len() {
        return Err(format!("axes {axes:?} repeat"));
    }
    let mut rest = dims.iter();
    Ok((0..rank)
        .map(|k| {
            if at.contains(&k) {
                1
            } else {
                *rest.next().expect("rank adds up")
            }
        })
        .collect())
}

/// The shape after removing the dimensions at `axes` (which must be 1), or
/// every dimension of 1 without `axes`.
pub(crate) fn squeeze_dims(dims: &[usize], axes: Option<&[i64]>) -> Result<Vec<usize>, String> {
    let Some(axes) = axes else {
        return Ok(dims.iter().copied().filter(|&d| d != 1).collect());
    };
    let at: Vec<usize> = axes
        .iter()
        .map(|&a| normalise_axis(a, dims.len()))
        .collect::<Result<_, _>>()?;
    if let Some(&k) = at.iter().find(|&&k| dims[k] != 1) {
        return Err(format!(
            "cannot squeeze axis {k} of shape {dims:?}: it is not 1"
        ));
    }
    Ok(dims
        .iter()
        .enumerate()
        .filter(|(k, _)| !at.contains(k))
        .map(|(_, &d)| d)
        .collect())
}

pub(crate) fn concat(parts: &[&Tensor], axis: i64) -> Result<Tensor, String> {
    let first = parts.first().ok_or("Concat of nothing")?;
    let axis = normalise_axis(axis, first.dims.len())?;
    let outer: usize = first.dims[..axis].iter().product();
    let mut dims = first.dims.clone();
    dims[axis] = parts.iter().map(|p| p.dims[axis]).sum();
    let mut floats = Vec::new();
    let mut ints = Vec::new();
    for o in 0..outer {
        for p in parts {
            if p.dims.len() != first.dims.len()
                || p.dims[..axis] != first.dims[..axis]
                || p.dims[axis + 1..] != first.dims[axis + 1..]
            {
                return Err(format!(
                    "cannot concatenate shapes {:?} and {:?}",
                    first.dims, p.dims
                ));
            }
            let chunk: usize = p.dims[axis..].iter().product();
            match &p.values {
                Values::Float(v) => floats.extend_from_slice(&v[o * chunk..(o + 1) * chunk]),
                Values::Int(v) => ints.extend_from_slice(&v[o * chunk..(o + 1) * chunk]),
            }
        }
    }
    let values = match (floats.is_empty(), ints.is_empty()) {
        (true, _) => Values::Int(ints),
        (false, true) => Values::Float(floats),
        _ => return Err("Concat of integer and float tensors".into()),
    };
    Ok(Tensor { dims, values })
}

/// The source of each output entry when axes are permuted by `perm`
/// (output axis `k` is input axis `perm[k]`), with the output shape.
pub(crate) fn permutation(
    dims: &[usize],
    perm: &[i64],
) -> Result<(Vec<usize>, Vec<usize>), String> {
    let rank = dims.len();
    let perm: Vec<usize> = perm
        .iter()
        .map(|&p| normalise_axis(p, rank))
        .collect::<Result<_, _>>()?;
    let mut sorted = perm.clone();
    sorted.sort_unstable();
    if sorted != (0..rank).collect::<Vec<_>>() {
        return Err(format!("{perm:?} is not a permutation of the {rank} axes"));
    }
    let out: Vec<usize> = perm.iter().map(|&p| dims[p]).collect();
    let in_strides = strides(dims);
    let total: usize = dims.iter().product();
    let mut src = Vec::with_capacity(total);
    let mut index = vec![0; rank];
    for _ in 0..total {
        src.push(
            (0..rank)
                .map(|k| index[k] * in_strides[perm[k]])
                .sum::<usize>(),
        );
        step(&mut index, &out);
    }
    Ok((out, src))
}

pub(crate) fn transpose(t: &Tensor, perm: &[i64]) -> Result<Tensor, String> {
    let (dims, src) = permutation(&t.dims, perm)?;
    Ok(pick(t, dims, &src))
}

pub(crate) fn slice(
    t: &Tensor,
    starts: &[i64],
    ends: &[i64],
    axes: Option<&[i64]>,
    steps: Option<&[i64]>,
) -> Result<Tensor, String> {
    let rank = t.dims.len();
    let mut lo: Vec<i64> = vec![0; rank];
    let mut stride_of: Vec<i64> = vec![1; rank];
    let mut count: Vec<usize> = t.dims.clone();
    for (k, (&s, &e)) in starts.iter().zip(ends).enumerate() {
        let axis = match axes {
            Some(a) => normalise_axis(*a.get(k).ok_or("fewer axes than starts")?, rank)?,
            None => k,
        };
        let st = steps.and_then(|s| s.get(k).copied()).unwrap_or(1);
        if st == 0 {
            return Err("a slice step of 0".into());
        }
        let n = t.dims[axis] as i64;
        let fix = |v: i64| if v < 0 { v + n } else { v };
        let (s, e) = if st > 0 {
            (fix(s).clamp(0, n), fix(e).clamp(0, n))
        } else {
            (fix(s).clamp(-1, n - 1), fix(e).clamp(-1, n - 1))
        };
        let len = if st > 0 {
            (e - s + st - 1).div_euclid(st)
        } else {
            (s - e - st - 1).div_euclid(-st)
        };
        lo[axis] = s;
        stride_of[axis] = st;
        count[axis] = len.max(0) as usize;
    }
    let in_strides = strides(&t.dims);
    let total: usize = count.iter().product();
    let mut src = Vec::with_capacity(total);
    let mut index = vec![0usize; rank];
    for _ in 0..total {
        src.push(
            (0..rank)
                .map(|k| (lo[k] + index[k] as i64 * stride_of[k]) as usize * in_strides[k])
                .sum(),
        );
        step(&mut index, &count);
    }
    Ok(pick(t, count, &src))
}
