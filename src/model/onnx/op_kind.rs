//! What each ONNX operator is to the loader: a step of the piecewise-linear
//! chain, the start of a head (not piecewise-linear, or reading the logits
//! only), something a head may contain, or a construct not supported yet.

use crate::model::onnx::proto::{NodeProto, DATA_TYPE_DOUBLE, DATA_TYPE_FLOAT};

/// The operators read on the chain, as listed in errors.
pub(crate) const CHAIN_OPS: &str = "Gemm, MatMul, Conv, BatchNormalization, AveragePool, GlobalAveragePool, Pad, Add, Sub, Mul, Div, Neg, Relu, LeakyRelu, PRelu, Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Identity, Cast (between float types), Dropout, Constant";

/// `TensorProto.DataType` FLOAT16 and BFLOAT16.
const DATA_TYPE_FLOAT16: i64 = 10;
const DATA_TYPE_BFLOAT16: i64 = 16;

/// The default operator domain and the ONNX-ML one (where `ZipMap` and
/// `ArrayFeatureExtractor` live).
fn domain_of(node: &NodeProto) -> &str {
    match node.domain.as_deref().unwrap_or("") {
        "" | "ai.onnx" => "",
        other => other,
    }
}

fn op_of(node: &NodeProto) -> &str {
    node.op_type.as_deref().unwrap_or("")
}

/// The type a `Cast` converts to.
pub(crate) fn cast_target(node: &NodeProto) -> Option<i64> {
    node.attribute
        .iter()
        .find(|a| a.name.as_deref() == Some("to"))
        .and_then(|a| a.i)
}

/// Whether a `Cast` converts to a floating-point type (a no-op on our `f64`
/// values, up to rounding).
pub(crate) fn casts_to_float(node: &NodeProto) -> bool {
    matches!(
        cast_target(node),
        Some(t) if t == DATA_TYPE_FLOAT as i64
            || t == DATA_TYPE_DOUBLE as i64
            || t == DATA_TYPE_FLOAT16
            || t == DATA_TYPE_BFLOAT16
    )
}

/// Whether `node` starts a head when the chain reaches it: it is not
/// piecewise-linear (`Sigmoid`, `Tanh`, `Softmax`, `LogSoftmax`), or turns
/// scores into labels (`ArgMax`, `TopK`, a cast to an integer type, the
/// ONNX-ML label operators).
pub(crate) fn starts_head(node: &NodeProto) -> bool {
    let op = op_of(node);
    match domain_of(node) {
        "" => {
            matches!(
                op,
                "Sigmoid"
                    | "Tanh"
                    | "Softmax"
                    | "LogSoftmax"
                    | "Hardmax"
                    | "ArgMax"
                    | "ArgMin"
                    | "TopK"
            ) || (op == "Cast" && !casts_to_float(node))
        }
        "ai.onnx.ml" => ML_HEAD_OPS.contains(&op),
        _ => false,
    }
}

/// The ONNX-ML operators a classifier's head uses.
const ML_HEAD_OPS: [&str; 4] = ["ZipMap", "ArrayFeatureExtractor", "LabelEncoder", "CastMap"];

/// Whether `node` may be part of a head cut off the graph: a head operator,
/// or one that only rearranges or combines what the head computes
/// (`Sub` for `1 − p`, `Concat` of probabilities, reshapes, casts).
/// Layers (`Gemm`, `MatMul`, `Conv`, `Relu`, …) are not: after them the cut
/// part would have regions of its own.
pub(crate) fn in_head(node: &NodeProto) -> bool {
    starts_head(node)
        || (domain_of(node).is_empty()
            && matches!(
                op_of(node),
                "Identity"
                    | "Cast"
                    | "Reshape"
                    | "Flatten"
                    | "Squeeze"
                    | "Unsqueeze"
                    | "Transpose"
                    | "Concat"
                    | "Gather"
                    | "Slice"
                    | "Shape"
                    | "Size"
                    | "Add"
                    | "Sub"
                    | "Mul"
                    | "Div"
                    | "Neg"
                    | "Exp"
                    | "Log"
                    | "ReduceMax"
                    | "ReduceMin"
                    | "ReduceSum"
                    | "ReduceMean"
                    | "Equal"
                    | "Greater"
                    | "Less"
                    | "Not"
                    | "Where"
                    | "Dropout"
            ))
}

/// Why a piecewise-linear construct the loader knows is not read yet, or
/// `None` for any other operator.
pub(crate) fn not_yet(op: &str) -> Option<&'static str> {
    Some(match op {
        "MaxPool" | "GlobalMaxPool" | "MaxUnpool" | "LpPool" => {
            "not supported yet: a maximum over a window is piecewise-linear with more than one kink per output, which regionwalk's layers (one ReLU per neuron) do not model; use AveragePool or a strided Conv"
        }
        "Clip" | "HardSigmoid" | "HardSwish" | "Max" | "Min" | "Abs" => {
            "not supported yet: it is piecewise-linear with more than one kink (or a kink not at 0), and regionwalk's layers have one ReLU per neuron; use ReLU"
        }
        _ => return None,
    })
}

/// "a Sigmoid", "an ArgMax".
pub(crate) fn a(op: &str) -> String {
    let vowel = op.starts_with(['A', 'E', 'I', 'O', 'U']);
    format!("{} {op}", if vowel { "an" } else { "a" })
}

/// The advice after a non-piecewise-linear operator in a hidden position.
pub(crate) fn hidden_nonlinear_advice(op: &str) -> String {
    let an_op = a(op);
    format!(
        "{an_op} is not piecewise-linear, so it is cut off only as a head (after the last layer, where it does not change the regions); {an_op} between layers is not supported: hidden layers must be ReLU"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::onnx::proto::AttributeProto;

    fn node(op: &str, domain: &str) -> NodeProto {
        NodeProto {
            op_type: Some(op.into()),
            domain: Some(domain.into()),
            ..Default::default()
        }
    }

    #[test]
    fn heads_and_casts() {
        assert!(starts_head(&node("Sigmoid", "")));
        assert!(starts_head(&node("ZipMap", "ai.onnx.ml")));
        assert!(!starts_head(&node("ZipMap", "com.example")));
        assert!(!starts_head(&node("Relu", "")));
        assert!(in_head(&node("Concat", "ai.onnx")));
        assert!(!in_head(&node("Gemm", "")));
        let mut cast = node("Cast", "");
        cast.attribute.push(AttributeProto {
            name: Some("to".into()),
            i: Some(7),
            ..Default::default()
        });
        assert!(starts_head(&cast) && !casts_to_float(&cast));
        cast.attribute[0].i = Some(11);
        assert!(!starts_head(&cast) && casts_to_float(&cast));
        assert!(not_yet("MaxPool").is_some() && not_yet("Relu").is_none());
        assert!(not_yet("LeakyRelu").is_none());
        assert_eq!(
            (a("ArgMax"), a("Tanh")),
            ("an ArgMax".into(), "a Tanh".into())
        );
    }
}
