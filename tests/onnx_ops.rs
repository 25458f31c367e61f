//! The ONNX loader on operators beyond plain MLP chains: no-op and shape
//! operators, constant shape chains, heads cut at the logits, output choice,
//! convolutions, batch normalisation, pooling and padding folded into the
//! layers, and the constructs still rejected. Fixtures and expectations are
//! written by `fixtures/make_onnx_op_fixtures.py`: the values of the kept
//! tensor come from `onnx.reference.ReferenceEvaluator` (from numpy for the
//! crop, which the evaluator refuses), compared with `Network::forward`; the
//! nodes to cut are read off the graph by the script.

mod onnx_expect;

use onnx_expect::{check_cases, check_error, crate_root, expected_files};
use regionwalk::{
    load_model, load_model_with, load_onnx_model_with, LoadOptions, ModelError, ModelFormat,
};

fn fixture(stem: &str) -> std::path::PathBuf {
    crate_root()
        .join("fixtures/onnx_ops")
        .join(format!("{stem}.onnx"))
}

#[test]
fn operator_fixtures_match_the_reference_evaluator() {
    let checked = check_cases("onnx_ops");
    for stem in [
        "torchscript_view_chain",
        "casts_squeezes_transposes",
        "head_softmax_labels",
        "outputs_mid_and_end",
        "two_heads",
        "conv_stride_pad_dilation",
        "conv_groups_same_global_pool",
        "conv1d_valid_average_pool",
        "conv_batchnorm_pool",
        "pad_then_conv",
        "pad_opset10",
        "pad_crop",
        "leaky_relu_prelu",
        "prelu_per_channel",
        "pool_ceil_reflect",
        "pool_ceil_edge",
    ] {
        assert!(checked.iter().any(|s| s == stem), "{stem} not checked");
    }
}

#[test]
fn unsupported_constructs_name_the_node() {
    let mut checked = Vec::new();
    for (stem, expected) in expected_files("onnx_ops") {
        let Some(want) = expected.get("error") else {
            continue;
        };
        let err = load_onnx_model_with(&fixture(&stem), None).expect_err(&stem);
        check_error(&err, want, &format!("{stem}.onnx"));
        checked.push(stem);
    }
    for stem in [
        "err_clip",
        "err_maxpool",
        "err_tanh_hidden",
        "err_erf",
        "err_label_then_layer",
        "err_two_heads",
        "err_product_join",
        "err_join_shapes",
    ] {
        assert!(checked.iter().any(|s| s == stem), "{stem} not checked");
    }
}

#[test]
fn folded_steps_are_listed() {
    let model = load_onnx_model_with(&fixture("casts_squeezes_transposes"), None).unwrap();
    let folded = model.folded.join("\n");
    for part in [
        "node 0 `to_double` (Cast): casts float32 to float64, nothing to compute",
        "node 1 `to_float` (Cast): rounds float64 to float32, dropped",
        "node 3 `move_unit_axis` (Transpose): reshapes [1, 2, 3, 1] to [1, 1, 2, 3], nothing to compute",
        "node 5 `swap` (Transpose): permutes the axes of [1, 2, 3] by [0, 2, 1] to [1, 3, 2], folded into hidden layer 0",
        "node 8 `add_half` (Add): adds a constant of shape [1, 3, 2], all 0.5, folded into hidden layer 0",
        "node 9 `negate` (Neg): negates, folded into hidden layer 0",
    ] {
        assert!(folded.contains(part), "`{part}` not in\n{folded}");
    }
    // The shape chain's nodes are constants: neither listed nor cut.
    let model = load_onnx_model_with(&fixture("torchscript_view_chain"), None).unwrap();
    assert!(model.head_cut.is_empty());
    assert!(
        model.folded[0].starts_with("node 7 `/Reshape` (Reshape): reshapes [1, 1, 2, 3] to [1, 6]"),
        "{:?}",
        model.folded
    );
}

#[test]
fn the_library_api_reports_the_head_and_takes_an_output() {
    let path = fixture("head_softmax_labels");
    let model = load_model(&path, None).unwrap();
    assert_eq!(model.head_cut.len(), 3);
    assert_eq!(model.head_cut[0].to_string(), "node 3 `softmax` (Softmax)");
    assert_eq!(
        model.head_note().unwrap(),
        "regions are counted for `logits`; other graph outputs, not counted: `label`, `probabilities`; cut: node 3 `softmax` (Softmax), node 4 `argmax` (ArgMax), node 5 `to_label` (Cast)"
    );
    let chosen = load_model_with(
        &path,
        &LoadOptions {
            format: Some(ModelFormat::Onnx),
            output: Some("probabilities".into()),
        },
    )
    .unwrap();
    assert!(chosen
        .head_note()
        .unwrap()
        .starts_with("regions are counted for `logits` (the value the chosen output `probabilities` is read from)"));
    // A plain chain has no note.
    let plain = load_model(&fixture("torchscript_view_chain"), None).unwrap();
    assert_eq!(plain.head_note(), None);
    assert!(plain.kept_output.is_some());
    // A name that is not a computed value is an error about the graph.
    for name in ["nothing", "w0"] {
        let err = load_model_with(
            &path,
            &LoadOptions {
                format: None,
                output: Some(name.into()),
            },
        )
        .unwrap_err();
        assert!(matches!(err, ModelError::Format { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains(&format!("`{name}` is not a value computed from the input"))
                && message.contains("\"probabilities\""),
            "{message}"
        );
    }
}
