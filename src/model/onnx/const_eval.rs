//! Evaluating the nodes of an ONNX graph that compute constants: shape
//! arithmetic such as PyTorch's `Shape → Gather → Unsqueeze → Concat`
//! feeding a `Reshape`, `ConstantOfShape`, and casts or reshapes of
//! initializers. The data's shape is static (one sample), so a `Shape` of
//! the data is a constant too.

use crate::model::onnx::broadcast::{broadcast, expand};
use crate::model::onnx::indexing::{
    concat, gather, normalise_axis, slice, squeeze_dims, transpose, unsqueeze_dims,
};
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
