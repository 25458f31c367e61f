//! Evaluating the nodes of an ONNX graph that compute constants: shape
//! arithmetic such as PyTorch's `Shape → Gather → Unsqueeze → Concat`
//! feeding a `Reshape`, `ConstantOfShape`, and casts or reshapes of
//! initializers. The data's shape is static (one sample), so a `Shape` of
//! the data is a constant too.

use crate::model::onnx::broadcast::{broadcast, expand};
use crate::model::onnx::node::int_attr;
use crate::model::onnx::proto::{AttributeProto, NodeProto, DATA_TYPE_FLOAT};
use crate::model::onnx::reshape::reshape_target;
use crate::model::onnx::tensor::{decode_tensor, Tensor, Values};
use std::collections::HashMap;

/// The value of `Shape` (opset 15: `start`, `end`) for data of shape `dims`.
pub(crate) fn shape_of(node: &NodeProto, dims: &[usize]) -> Result<Tensor, String> {
    let attrs = attribute_map(node);
    let op = node.op_type.as_deref().unwrap_or("");
    if op == "Size" {
        return Ok(int_tensor(
            vec![],
            vec![dims.iter().product::<usize>() as i64],
        ));
    }
    let rank = dims.len() as i64;
    let clamp = |v: i64| (if v < 0 { v + rank } else { v }).clamp(0, rank) as usize;
    let start = clamp(int_attr(&attrs, "start", 0));
    let end = clamp(int_attr(&attrs, "end", rank));
    let values: Vec<i64> = dims[start..end.max(start)]
        .iter()
        .map(|&d| d as i64)
        .collect();
    Ok(int_tensor(vec![values.len()], values))
}

/// Evaluates a node all of whose inputs are the constants `inputs` (`None`
/// for an omitted optional input). Returns its outputs, or why it cannot.
pub(crate) fn evaluate(node: &NodeProto, inputs: &[Option<Tensor>]) -> Result<Vec<Tensor>, String> {
    let op = node.op_type.as_deref().unwrap_or("");
    let attrs = attribute_map(node);
    let input = |k: usize| -> Result<&Tensor, String> {
        inputs
            .get(k)
            .and_then(Option::as_ref)
            .ok_or_else(|| format!("{op} needs input {k}"))
    };
    let ints_of = |k: usize, what: &str| -> Result<Option<Vec<i64>>, String> {
        match inputs.get(k).and_then(Option::as_ref) {
            Some(t) => Ok(Some(t.ints(what)?.to_vec())),
            None => Ok(None),
        }
    };
    let out = match op {
        "Identity" => input(0)?.clone(),
        "Cast" => cast(input(0)?, int_attr(&attrs, "to", 0)),
        "Neg" => map_values(input(0)?, |v| -v, |v| -v),
        "Add" | "Sub" | "Mul" | "Div" => arithmetic(op, input(0)?, input(1)?)?,
        "Gather" => gather(input(0)?, input(1)?, int_attr(&attrs, "axis", 0))?,
        "Unsqueeze" => {
            let axes = match attrs.get("axes") {
                Some(a) => a.ints.clone(),
                None => ints_of(1, "the axes")?.ok_or("Unsqueeze needs axes")?,
            };
            let t = input(0)?;
            with_dims(t, unsqueeze_dims(&t.dims, &axes)?)
        }
        "Squeeze" => {
            let axes = match attrs.get("axes") {
                Some(a) => Some(a.ints.clone()),
                None => ints_of(1, "the axes")?,
            };
            let t = input(0)?;
            with_dims(t, squeeze_dims(&t.dims, axes.as_deref())?)
        }
        "Concat" => {
            let parts: Vec<&Tensor> = inputs.iter().flatten().collect();
            concat(&parts, int_attr(&attrs, "axis", 0))?
        }
        "Reshape" => {
            let t = input(0)?;
            let target = match attrs.get("shape") {
                Some(a) => a.ints.clone(),
                None => input(1)?.ints("the shape")?.to_vec(),
            };
            let allow_zero = int_attr(&attrs, "allowzero", 0) != 0;
            with_dims(t, reshape_target(&t.dims, &target, allow_zero)?)
        }
        "Flatten" => {
            let t = input(0)?;
            let axis = normalise_axis(int_attr(&attrs, "axis", 1), t.dims.len() + 1)?;
            let (outer, inner) = t.dims.split_at(axis);
            with_dims(t, vec![outer.iter().product(), inner.iter().product()])
        }
        "Transpose" => {
            let t = input(0)?;
            let perm = match attrs.get("perm") {
                Some(a) => a.ints.clone(),
                None => (0..t.dims.len() as i64).rev().collect(),
            };
            transpose(t, &perm)?
        }
        "Slice" => {
            let t = input(0)?;
            let (starts, ends, axes, steps) = match attrs.get("starts") {
                Some(s) => (
                    s.ints.clone(),
                    attrs
                        .get("ends")
                        .map(|a| a.ints.clone())
                        .unwrap_or_default(),
                    attrs.get("axes").map(|a| a.ints.clone()),
                    None,
                ),
                None => (
                    ints_of(1, "the starts")?.ok_or("Slice needs starts")?,
                    ints_of(2, "the ends")?.ok_or("Slice needs ends")?,
                    ints_of(3, "the axes")?,
                    ints_of(4, "the steps")?,
                ),
            };
            slice(t, &starts, &ends, axes.as_deref(), steps.as_deref())?
        }
        "ConstantOfShape" => {
            let dims: Vec<usize> = input(0)?
                .ints("the shape")?
                .iter()
                .map(|&d| usize::try_from(d).map_err(|_| format!("negative dimension {d}")))
                .collect::<Result<_, _>>()?;
            let count: usize = dims.iter().product();
            let fill = match attrs.get("value").and_then(|a| a.t.as_ref()) {
                Some(t) => decode_tensor(t)?,
                None => Tensor {
                    dims: vec![1],
                    values: Values::Float(vec![0.0]),
                },
            };
            let values = match fill.values {
                Values::Float(v) => Values::Float(vec![*v.first().ok_or("empty value")?; count]),
                Values::Int(v) => Values::Int(vec![*v.first().ok_or("empty value")?; count]),
            };
            Tensor { dims, values }
        }
        other => {
            return Err(format!(
                "operator `{other}` cannot be evaluated as a constant"
            ))
        }
    };
    Ok(vec![out])
}

fn attribute_map(node: &NodeProto) -> HashMap<&str, &AttributeProto> {
    node.attribute
        .iter()
        .map(|a| (a.name.as_deref().unwrap_or(""), a))
        .collect()
}

fn int_tensor(dims: Vec<usize>, values: Vec<i64>) -> Tensor {
    Tensor {
        dims,
        values: Values::Int(values),
    }
}

fn with_dims(t: &Tensor, dims: Vec<usize>) -> Tensor {
    Tensor {
        dims,
        values: t.values.clone(),
    }
}

fn map_values(t: &Tensor, f: impl Fn(f64) -> f64, g: impl Fn(i64) -> i64) -> Tensor {
    Tensor {
        dims: t.dims.clone(),
        values: match &t.values {
            Values::Float(v) => Values::Float(v.iter().map(|&x| f(x)).collect()),
            Values::Int(v) => Values::Int(v.iter().map(|&x| g(x)).collect()),
        },
    }
}

/// `Cast` to `to` (a `TensorProto.DataType` code): floats stay floats
/// (rounded to float32 for FLOAT), anything else becomes integers
/// (floats truncated toward zero, as a C cast does).
fn cast(t: &Tensor, to: i64) -> Tensor {
    let float = matches!(to, 1 | 10 | 11 | 16);
    let values = match (&t.values, float) {
        (Values::Float(v), true) if to == DATA_TYPE_FLOAT as i64 => {
            Values::Float(v.iter().map(|&x| x as f32 as f64).collect())
        }
        (Values::Float(v), true) => Values::Float(v.clone()),
        (Values::Int(v), true) => Values::Float(v.iter().map(|&x| x as f64).collect()),
        (Values::Float(v), false) => Values::Int(v.iter().map(|&x| x as i64).collect()),
        (Values::Int(v), false) if to == 9 => {
            Values::Int(v.iter().map(|&x| (x != 0) as i64).collect())
        }
        (Values::Int(v), false) => Values::Int(v.clone()),
    };
    Tensor {
        dims: t.dims.clone(),
        values,
    }
}

fn arithmetic(op: &str, a: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    let dims = broadcast(&a.dims, &b.dims)
        .ok_or_else(|| format!("shapes {:?} and {:?} do not broadcast", a.dims, b.dims))?;
    let values = match (&a.values, &b.values) {
        (Values::Int(x), Values::Int(y)) => {
            let x = expand(
                &x.iter().map(|&v| v as f64).collect::<Vec<_>>(),
                &a.dims,
                &dims,
            );
            let y = expand(
                &y.iter().map(|&v| v as f64).collect::<Vec<_>>(),
                &b.dims,
                &dims,
            );
            let mut out = Vec::with_capacity(x.len());
            for (&p, &q) in x.iter().zip(&y) {
                let (p, q) = (p as i64, q as i64);
                out.push(match op {
                    "Add" => p + q,
                    "Sub" => p - q,
                    "Mul" => p * q,
                    _ if q == 0 => return Err("integer division by zero".into()),
                    _ => p / q,
                });
            }
            Values::Int(out)
        }
        (Values::Float(x), Values::Float(y)) => {
            let x = expand(x, &a.dims, &dims);
            let y = expand(y, &b.dims, &dims);
            Values::Float(
                x.iter()
                    .zip(&y)
                    .map(|(&p, &q)| match op {
                        "Add" => p + q,
                        "Sub" => p - q,
                        "Mul" => p * q,
                        _ => p / q,
                    })
                    .collect(),
            )
        }
        _ => return Err(format!("{op} of an integer and a float tensor")),
    };
    Ok(Tensor { dims, values })
}

fn normalise_axis(axis: i64, rank: usize) -> Result<usize, String> {
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
fn pick(t: &Tensor, dims: Vec<usize>, src: &[usize]) -> Tensor {
    let values = match &t.values {
        Values::Float(v) => Values::Float(src.iter().map(|&i| v[i]).collect()),
        Values::Int(v) => Values::Int(src.iter().map(|&i| v[i]).collect()),
    };
    Tensor { dims, values }
}

fn gather(data: &Tensor, indices: &Tensor, axis: i64) -> Result<Tensor, String> {
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

fn concat(parts: &[&Tensor], axis: i64) -> Result<Tensor, String> {
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
        for k in (0..rank).rev() {
            index[k] += 1;
            if index[k] < out[k] {
                break;
            }
            index[k] = 0;
        }
    }
    Ok((out, src))
}

fn transpose(t: &Tensor, perm: &[i64]) -> Result<Tensor, String> {
    let (dims, src) = permutation(&t.dims, perm)?;
    Ok(pick(t, dims, &src))
}

fn slice(
    t: &Tensor,
    starts: &[i64],
    ends: &[i64],
    axes: Option<&[i64]>,
    steps: Option<&[i64]>,
) -> Result<Tensor, String> {
    let rank = t.dims.len();
    let mut lo: Vec<i64> = vec![0; rank];
    let mut step: Vec<i64> = vec![1; rank];
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
        step[axis] = st;
        count[axis] = len.max(0) as usize;
    }
    let in_strides = strides(&t.dims);
    let total: usize = count.iter().product();
    let mut src = Vec::with_capacity(total);
    let mut index = vec![0usize; rank];
    for _ in 0..total {
        src.push(
            (0..rank)
                .map(|k| (lo[k] + index[k] as i64 * step[k]) as usize * in_strides[k])
                .sum(),
        );
        for k in (0..rank).rev() {
            index[k] += 1;
            if index[k] < count[k] {
                break;
            }
            index[k] = 0;
        }
    }
    Ok(pick(t, count, &src))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(dims: Vec<usize>, v: Vec<i64>) -> Option<Tensor> {
        Some(int_tensor(dims, v))
    }

    fn node(op: &str, attrs: Vec<AttributeProto>) -> NodeProto {
        NodeProto {
            op_type: Some(op.into()),
            attribute: attrs,
            ..Default::default()
        }
    }

    fn int_attribute(name: &str, v: i64) -> AttributeProto {
        AttributeProto {
            name: Some(name.into()),
            i: Some(v),
            ..Default::default()
        }
    }

    fn values(t: &Tensor) -> Vec<i64> {
        t.ints("t").unwrap().to_vec()
    }

    #[test]
    fn torchscript_shape_chain() {
        // Shape of [1, 1, 3] → Gather 0 → Unsqueeze 0 → Concat with [-1] → [1, -1].
        let shape = shape_of(&node("Shape", vec![]), &[1, 1, 3]).unwrap();
        assert_eq!(values(&shape), [1, 1, 3]);
        let first = &evaluate(
            &node("Gather", vec![]),
            &[Some(shape), ints(vec![], vec![0])],
        )
        .unwrap()[0];
        assert_eq!(first.dims, Vec::<usize>::new());
        let one = &evaluate(
            &node("Unsqueeze", vec![]),
            &[Some(first.clone()), ints(vec![1], vec![0])],
        )
        .unwrap()[0];
        assert_eq!(one.dims, vec![1]);
        let target = &evaluate(
            &node("Concat", vec![int_attribute("axis", 0)]),
            &[Some(one.clone()), ints(vec![1], vec![-1])],
        )
        .unwrap()[0];
        assert_eq!(values(target), [1, -1]);
    }

    #[test]
    fn slices_transposes_and_fills() {
        let t = int_tensor(vec![2, 3], vec![0, 1, 2, 3, 4, 5]);
        let s = &evaluate(
            &node("Slice", vec![]),
            &[
                Some(t.clone()),
                ints(vec![1], vec![-1]),
                ints(vec![1], vec![-4]),
                ints(vec![1], vec![1]),
                ints(vec![1], vec![-1]),
            ],
        )
        .unwrap()[0];
        assert_eq!(
            (s.dims.clone(), values(s)),
            (vec![2, 3], vec![2, 1, 0, 5, 4, 3])
        );
        let tr = &evaluate(&node("Transpose", vec![]), &[Some(t)]).unwrap()[0];
        assert_eq!(
            (tr.dims.clone(), values(tr)),
            (vec![3, 2], vec![0, 3, 1, 4, 2, 5])
        );
        let z = &evaluate(
            &node("ConstantOfShape", vec![]),
            &[ints(vec![2], vec![2, 1])],
        )
        .unwrap()[0];
        assert_eq!(z.floats("z").unwrap(), &[0.0, 0.0]);
        assert_eq!(squeeze_dims(&[1, 4, 1], None).unwrap(), vec![4]);
        assert_eq!(unsqueeze_dims(&[4], &[0, -1]).unwrap(), vec![1, 4, 1]);
        assert!(squeeze_dims(&[2, 4], Some(&[0])).is_err());
    }
}
