//! Constant tensors of an ONNX graph (initializers and `Constant` nodes),
//! decoded to `f64` or `i64` values with their shape.

use crate::model::onnx::proto::{
    AttributeProto, TensorProto, DATA_LOCATION_EXTERNAL, DATA_TYPE_DOUBLE, DATA_TYPE_FLOAT,
    DATA_TYPE_INT32, DATA_TYPE_INT64,
};

/// `TensorProto.DataType.BOOL` (Dropout's `training_mode`).
const DATA_TYPE_BOOL: i32 = 9;

/// The values of a constant tensor.
#[derive(Debug, Clone)]
pub(crate) enum Values {
    /// float32 or float64 values, as `f64` (every float32 converts exactly).
    Float(Vec<f64>),
    /// Integer (or boolean) values.
    Int(Vec<i64>),
}

/// A decoded constant tensor.
#[derive(Debug, Clone)]
pub(crate) struct Tensor {
    /// The shape (empty for a scalar).
    pub dims: Vec<usize>,
    /// The values, row-major.
    pub values: Values,
}

impl Tensor {
    /// The float values, or an error saying the tensor is not a float tensor.
    pub fn floats(&self, what: &str) -> Result<&[f64], String> {
        match &self.values {
            Values::Float(v) => Ok(v),
            Values::Int(_) => Err(format!("{what} is an integer tensor, not float32/float64")),
        }
    }

    /// The integer values, or an error saying the tensor is not an integer tensor.
    pub fn ints(&self, what: &str) -> Result<&[i64], String> {
        match &self.values {
            Values::Int(v) => Ok(v),
            Values::Float(_) => Err(format!("{what} is a float tensor, not an integer tensor")),
        }
    }
}

/// Decodes a `TensorProto`: float32/float64 (raw little-endian bytes or the
/// typed `float_data`/`double_data` fields), int32/int64/bool (for shapes and
/// flags). Anything else, external storage, or a count that does not match
/// the shape, is an error message naming the tensor.
pub(crate) fn decode_tensor(t: &TensorProto) -> Result<Tensor, String> {
    let name = t.name.as_deref().unwrap_or("");
    let what = format!("tensor `{name}`");
    if t.data_location == Some(DATA_LOCATION_EXTERNAL) {
        return Err(format!(
            "{what} is stored in an external data file, which is not supported (save the model with its weights inside)"
        ));
    }
    let mut dims = Vec::with_capacity(t.dims.len());
    for &d in &t.dims {
        if d < 0 {
            return Err(format!("{what} has a negative dimension {d}"));
        }
        dims.push(d as usize);
    }
    // No tensor holds more elements than a file has bytes; a shape past
    // `usize::MAX / 8` elements (whose byte count would overflow) is refused
    // before anything is read or allocated.
    let count = dims
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= usize::MAX / 8)
        .ok_or_else(|| {
            format!("{what}: its shape {dims:?} has more elements than can be stored")
        })?;
    let raw = t.raw_data.as_deref();
    let data_type = t.data_type.unwrap_or(0);
    let values = match data_type {
        DATA_TYPE_FLOAT => Values::Float(match raw {
            Some(bytes) => {
                check_len(&what, bytes.len(), count * 4)?;
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64)
                    .collect()
            }
            None => {
                check_count(&what, t.float_data.len(), count)?;
                t.float_data.iter().map(|&v| v as f64).collect()
            }
        }),
        DATA_TYPE_DOUBLE => Values::Float(match raw {
            Some(bytes) => {
                check_len(&what, bytes.len(), count * 8)?;
                bytes
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
                    .collect()
            }
            None => {
                check_count(&what, t.double_data.len(), count)?;
                t.double_data.clone()
            }
        }),
        DATA_TYPE_INT64 => Values::Int(match raw {
            Some(bytes) => {
                check_len(&what, bytes.len(), count * 8)?;
                bytes
                    .chunks_exact(8)
                    .map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes")))
                    .collect()
            }
            None => {
                check_count(&what, t.int64_data.len(), count)?;
                t.int64_data.clone()
            }
        }),
        DATA_TYPE_INT32 => Values::Int(match raw {
            Some(bytes) => {
                check_len(&what, bytes.len(), count * 4)?;
                bytes
                    .chunks_exact(4)
                    .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as i64)
                    .collect()
            }
            None => {
                check_count(&what, t.int32_data.len(), count)?;
                t.int32_data.iter().map(|&v| v as i64).collect()
            }
        }),
        DATA_TYPE_BOOL => Values::Int(match raw {
            Some(bytes) => {
                check_len(&what, bytes.len(), count)?;
                bytes.iter().map(|&b| b as i64).collect()
            }
            None => {
                check_count(&what, t.int32_data.len(), count)?;
                t.int32_data.iter().map(|&v| v as i64).collect()
            }
        }),
        other => {
            return Err(format!(
                "{what} has data type {other} ({}); only float32 and float64 weights are supported",
                data_type_name(other)
            ))
        }
    };
    if let Values::Float(v) = &values {
        if let Some(i) = v.iter().position(|x| !x.is_finite()) {
            return Err(format!("{what}: entry {i} is not finite ({})", v[i]));
        }
    }
    Ok(Tensor { dims, values })
}

/// The tensor of a `Constant` node, from its one attribute.
pub(crate) fn constant_node_value(attributes: &[AttributeProto]) -> Result<Tensor, String> {
    let [attr] = attributes else {
        return Err(format!(
            "a Constant node needs exactly one attribute, found {}",
            attributes.len()
        ));
    };
    let name = attr.name.as_deref().unwrap_or("");
    match name {
        "value" => match &attr.t {
            Some(t) => decode_tensor(t),
            None => Err("attribute `value` holds no tensor".into()),
        },
        "value_float" => Ok(Tensor {
            dims: vec![],
            values: Values::Float(vec![attr.f.unwrap_or(0.0) as f64]),
        }),
        "value_floats" => Ok(Tensor {
            dims: vec![attr.floats.len()],
            values: Values::Float(attr.floats.iter().map(|&v| v as f64).collect()),
        }),
        "value_int" => Ok(Tensor {
            dims: vec![],
            values: Values::Int(vec![attr.i.unwrap_or(0)]),
        }),
        "value_ints" => Ok(Tensor {
            dims: vec![attr.ints.len()],
            values: Values::Int(attr.ints.clone()),
        }),
        other => Err(format!("Constant attribute `{other}` is not supported")),
    }
}

fn check_len(what: &str, got: usize, want: usize) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "{what}: raw_data has {got} bytes, its shape needs {want}"
        ))
    }
}

fn check_count(what: &str, got: usize, want: usize) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what} has {got} values, its shape needs {want}"))
    }
}

/// The ONNX name of a `TensorProto.DataType` code.
pub(crate) fn data_type_name(code: i32) -> &'static str {
    match code {
        0 => "undefined",
        1 => "float32",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "string",
        9 => "bool",
        10 => "float16",
        11 => "float64",
        12 => "uint32",
        13 => "uint64",
        14 => "complex64",
        15 => "complex128",
        16 => "bfloat16",
        _ => "another type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(data_type: i32, dims: Vec<i64>) -> TensorProto {
        TensorProto {
            dims,
            data_type: Some(data_type),
            name: Some("t".into()),
            ..Default::default()
        }
    }

    #[test]
    fn raw_and_typed_floats_agree() {
        let mut raw = tensor(DATA_TYPE_FLOAT, vec![2]);
        raw.raw_data = Some([1.5f32.to_le_bytes(), (-0.25f32).to_le_bytes()].concat());
        let mut typed = tensor(DATA_TYPE_FLOAT, vec![2]);
        typed.float_data = vec![1.5, -0.25];
        for t in [raw, typed] {
            let d = decode_tensor(&t).unwrap();
            assert_eq!(d.floats("t").unwrap(), &[1.5, -0.25]);
        }
        let mut double = tensor(DATA_TYPE_DOUBLE, vec![1, 1]);
        double.raw_data = Some(0.1f64.to_le_bytes().to_vec());
        assert_eq!(decode_tensor(&double).unwrap().floats("t").unwrap(), &[0.1]);
    }

    #[test]
    fn wrong_counts_types_and_values_are_errors() {
        let mut short = tensor(DATA_TYPE_FLOAT, vec![3]);
        short.float_data = vec![1.0];
        assert!(decode_tensor(&short).unwrap_err().contains("needs 3"));
        let half = tensor(10, vec![1]);
        assert!(decode_tensor(&half).unwrap_err().contains("float16"));
        let mut nan = tensor(DATA_TYPE_DOUBLE, vec![1]);
        nan.double_data = vec![f64::NAN];
        assert!(decode_tensor(&nan).unwrap_err().contains("not finite"));
        let mut external = tensor(DATA_TYPE_FLOAT, vec![1]);
        external.data_location = Some(DATA_LOCATION_EXTERNAL);
        assert!(decode_tensor(&external).unwrap_err().contains("external"));
    }
}
