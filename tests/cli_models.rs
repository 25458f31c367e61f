//! The command line with real model formats: `info`, `--model-format`,
//! `--vnnlib`, the NNet default domain, and files as exporters write them.

mod common;

use common::cli::{json_model_hidden_layers, json_of, run};
use common::data::data_dir;
use common::oracle::oracle_regions;

/// A tiny NNet model: 2 inputs in [0, 4] × [-1, 1], 3 hidden neurons, 1 output.
/// Means and ranges 0 and 1, so the raw network is the stored one: its lines
/// are x = 1, y = 0 and x + y = 2.
const TINY_NNET: &str = "// tiny test network
2,2,1,3,
2,3,1,
0,
0.0,-1.0,
4.0,1.0,
0.0,0.0,0.0,
1.0,1.0,1.0,
1.0,0.0,
0.0,1.0,
1.0,1.0,
-1.0,
0.0,
-2.0,
1.0,1.0,1.0,
0.0,
";

#[test]
fn info_reports_sizes_format_and_exact_bounds() {
    let v = json_of(&run(&["info", "fixtures/net2d_16x16.json", "--json"]));
    assert_eq!(v["model"]["format"], "json");
    assert_eq!(v["model"]["hidden_widths"], serde_json::json!([16, 16]));
    // 2^32 codes; Zaslavsky for 16 lines in the plane: 1 + 16 + C(16, 2) = 137.
    assert_eq!(v["bounds"]["codes"], "4294967296");
    assert_eq!(v["bounds"]["first_layer_zaslavsky"], "137");
    let acas = data_dir().join("acasxu/ACASXU_run2a_1_1_batch_2000.onnx");
    let v = json_of(&run(&["info", acas.to_str().unwrap(), "--json"]));
    assert_eq!(v["model"]["format"], "onnx");
    assert_eq!(v["model"]["hidden_neurons"], 300);
    assert!(
        !v["model"]["folded"].as_array().unwrap().is_empty(),
        "the Sub and Flatten are reported"
    );
    // With property 4 (one input fixed) the bounds are for 4 free inputs:
    // Zaslavsky Σ_{i≤4} C(50, i) = 1 + 50 + 1225 + 19600 + 230300 = 251176.
    let prop4 = data_dir().join("acasxu/prop_4.vnnlib");
    let v = json_of(&run(&[
        "info",
        acas.to_str().unwrap(),
        "--vnnlib",
        prop4.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(v["free_dim"], 4);
    assert_eq!(v["bounds"]["first_layer_zaslavsky"], "251176");
}

#[test]
fn model_format_overrides_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("model.txt");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/net2d_16x16.json"),
        &txt,
    )
    .unwrap();
    let out = run(&["count", txt.to_str().unwrap(), "--box=-1:1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("model.txt"));
    let by_name = json_of(&run(&[
        "count",
        txt.to_str().unwrap(),
        "--model-format",
        "json",
        "--box=-1:1",
        "--json",
    ]));
    let by_ext = json_of(&run(&[
        "count",
        "fixtures/net2d_16x16.json",
        "--box=-1:1",
        "--json",
    ]));
    assert_eq!(by_name["regions"], by_ext["regions"]);
}

#[test]
fn nnet_default_domain_and_clipping() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.nnet");
    std::fs::write(&path, TINY_NNET).unwrap();
    let p = path.to_str().unwrap();
    // On [0, 4] × [-1, 1] the lines x = 1, y = 0 and x + y = 2 all cross the
    // box and meet pairwise at (1, 0), (1, 1) — on the boundary y = 1, so not
    // inside — and (2, 0): 1 + 3 + 2 = 6 regions (the formula of one generic
    // layer on a box).
    let v = json_of(&run(&["count", p, "--json"]));
    assert_eq!(v["regions"], 6);
    assert_eq!(v["domain"]["lo"], serde_json::json!([0.0, -1.0]));
    // A box reaching outside [min, max] is cut to it, with a note.
    let out = run(&["count", p, "--box=-10:10", "--json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("clips its inputs"));
    assert_eq!(json_of(&out)["regions"], 6);
}

#[test]
fn vnnlib_domains_and_their_errors() {
    let acas = data_dir().join("acasxu/ACASXU_run2a_1_1_batch_2000.onnx");
    let prop6 = data_dir().join("acasxu/prop_6.vnnlib");
    let out = run(&[
        "count",
        acas.to_str().unwrap(),
        "--vnnlib",
        prop6.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("prop_6.vnnlib") && err.contains("line 28") && err.contains("not a box"),
        "{err}"
    );
    let out = run(&["count", acas.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an ONNX model has no default domain"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no domain given"));
}

/// What a new user does with a scikit-learn classifier exported by
/// skl2onnx: count its regions as the file is. The head (Sigmoid, labels,
/// ZipMap) is cut; the count is the exact oracle's on the JSON twin the
/// fixture script wrote from the same weights.
#[test]
fn an_skl2onnx_classifier_counts_as_exported() {
    let twin = json_model_hidden_layers("fixtures/exporters/skl_binary_f32.json");
    let expected = oracle_regions(&twin, &[-1.0, -1.0], &[1.0, 1.0]).len();
    let v = json_of(&run(&[
        "count",
        "fixtures/exporters/skl_binary_f32.onnx",
        "--box=-1:1",
        "--json",
    ]));
    assert_eq!(v["regions"], expected);
}

/// The head the loader cut is said on stderr and in the JSON report, and
/// `--model-output` chooses the value counted. The node names and order are
/// those skl2onnx wrote into the file (read with `onnx` when the fixture was
/// made); the count is the oracle's on the JSON twin, as above.
#[test]
fn the_head_cut_is_reported_and_the_output_can_be_chosen() {
    use common::cli::{fails, stderr};
    let model = "fixtures/exporters/skl_binary_f32.onnx";
    let out = run(&["count", model, "--box=-1:1", "--json"]);
    let v = json_of(&out);
    assert!(
        stderr(&out).contains("regions are counted for `add_result2`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(v["model"]["kept_output"], "add_result2");
    let cut = v["model"]["head_cut"].as_array().unwrap();
    assert_eq!(cut[0]["name"], "Relu2");
    assert_eq!(cut[0]["op_type"], "Sigmoid");
    // Choosing the probabilities output keeps the same logits: same regions.
    let twin = json_model_hidden_layers("fixtures/exporters/skl_binary_f32.json");
    let expected = oracle_regions(&twin, &[-1.0, -1.0], &[1.0, 1.0]).len();
    let chosen = json_of(&run(&[
        "count",
        model,
        "--box=-1:1",
        "--json",
        "--model-output",
        "output_probability",
    ]));
    assert_eq!(chosen["regions"], expected);
    fails(
        &["count", model, "--box=-1:1", "--model-output", "nosuch"],
        2,
        "the chosen output `nosuch` is not a value computed from the input",
    );
    // A model without a head reports neither field.
    let plain = json_of(&run(&[
        "count",
        "fixtures/net2d_16x16.json",
        "--box=-1:1",
        "--json",
    ]));
    assert!(plain["model"].get("head_cut").is_none());
    assert!(plain["model"].get("kept_output").is_none());
}

/// `info` on a CNN: the convolution folded into a 50 × 25 map, and the
/// bounds of 50 + 8 hidden neurons over 25 inputs.
#[test]
fn info_on_a_cnn_prints_the_folded_sizes_and_the_bounds() {
    let v = json_of(&run(&["info", "fixtures/torch/cnn5x5.ts.onnx", "--json"]));
    assert_eq!(v["model"]["input_dim"], 25);
    assert_eq!(v["model"]["hidden_widths"], serde_json::json!([50, 8]));
    let folded = v["model"]["folded"][0].as_str().unwrap();
    assert!(folded.contains("as a 50 × 25 affine map"), "{folded}");
    // Zaslavsky for 50 hyperplanes in R^25: Σ_{i≤25} C(50, i); codes 2^58.
    let mut c: u64 = 1;
    let mut sum: u64 = 1;
    for i in 1..=25u64 {
        c = c * (50 - i + 1) / i;
        sum += c;
    }
    assert_eq!(v["bounds"]["first_layer_zaslavsky"], sum.to_string());
    assert_eq!(v["bounds"]["codes"], (1u64 << 58).to_string());
}

/// An unsupported construct is a bad input (exit 2) naming the node.
#[test]
fn unsupported_exports_exit_2_naming_the_node() {
    use common::cli::fails;
    fails(
        &["count", "fixtures/onnx_ops/err_maxpool.onnx", "--box=-1:1"],
        2,
        "node 0 `pool` (MaxPool): a MaxPool is not supported yet",
    );
    fails(
        &["count", "fixtures/onnx_ops/err_clip.onnx", "--box=-1:1"],
        2,
        "node 1 `act1` (Clip): a Clip is not supported yet",
    );
    fails(
        &[
            "count",
            "fixtures/onnx_ops/err_product_join.onnx",
            "--box=-1:1",
        ],
        2,
        "node 2 `gate` (Mul): reads `r` and `h` together",
    );
}

#[test]
fn nnet_errors_name_the_file_and_line_and_exit_2() {
    // TINY_NNET with one line changed (1-based line numbers of the file:
    // 2 header, 3 sizes, 6 maximums, 8 ranges, 10 a weight row), cut short,
    // or with text after the last layer. Each message is the parser's
    // sentence for that defect, at that line.
    let lines: Vec<&str> = TINY_NNET.split('\n').collect();
    let with = |line: usize, text: &'static str| {
        let mut l = lines.clone();
        l[line - 1] = text;
        l.join("\n")
    };
    let cases = [
        (with(2, "2,2,"), "line 2: expected 4 values, found 2"),
        (
            with(3, "2,3,"),
            "line 3: expected 3 layer sizes (input and 2 layers), found 2",
        ),
        (
            with(6, "4.0,-2.0,"),
            "line 6: input 1: maximum -2 is below minimum -1",
        ),
        (with(8, "1.0,0.0,1.0,"), "line 8: range 1 is zero"),
        (
            with(10, "0.0,abc,"),
            "line 10: a weight row of layer 0: value 1 `abc` is not a number",
        ),
        (
            lines[..lines.len() - 3].join("\n"),
            "line 15: the file ends before a weight row of layer 1",
        ),
        (
            format!("{TINY_NNET}1.0,\n"),
            "line 17: unexpected text after the last layer",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.nnet");
    for (text, message) in cases {
        std::fs::write(&path, text).unwrap();
        let out = run(&["count", path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{message}: {err}");
        assert_eq!(
            err.trim_end(),
            format!("error: {}: {message}", path.display())
        );
    }
}
