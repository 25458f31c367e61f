//! The model loaders and VNN-LIB boxes against expectations computed outside
//! this crate: ONNX fixtures whose outputs `onnx.reference.ReferenceEvaluator`
//! computed (`fixtures/make_onnx_fixtures.py`), the JSON conversion of ACAS Xu
//! N1,1 (`fixtures/onnx_to_json.py`), the same network published in two
//! formats (`TestNetwork2.nnet` / `.onnx`), and numbers read off the files.
//!
//! The real networks are read from the shared data folder: `$REGIONWALK_DATA`
//! if set, else `<crate root>/../shared/data`.

// The NNet header's 3.141593 and 6.28318530718 are data copied from the file, not π.
#![allow(clippy::approx_constant)]

mod common;
mod onnx_expect;

use common::data::data_dir;
use onnx_expect::{
    assert_close, check_error, crate_root, expected_files, numbers, read_json, tolerance,
};
use regionwalk::{
    load_json_model, load_model, load_nnet_model, load_onnx_model, load_vnnlib_box, region_bounds,
    zaslavsky_bound, ModelError, ModelFormat, Network, VnnlibError,
};
use serde_json::Value;

fn output(net: &Network, x: &[f64]) -> Vec<f64> {
    net.forward(x).1
}

/// A deterministic point in a box, from a small linear congruential sequence.
struct Points(u64);

impl Points {
    fn next_in(&mut self, bounds: &[(f64, f64)]) -> Vec<f64> {
        bounds
            .iter()
            .map(|&(lo, hi)| {
                self.0 = self
                    .0
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
                lo + (hi - lo) * u
            })
            .collect()
    }
}

fn fixture_cases() -> Vec<(String, Value)> {
    let cases = expected_files("onnx");
    assert!(
        cases.len() >= 12,
        "fixtures missing: run fixtures/make_onnx_fixtures.py"
    );
    cases
}

#[test]
fn onnx_fixtures_match_the_reference_evaluator() {
    let mut checked = 0;
    for (stem, expected) in fixture_cases() {
        if expected.get("error").is_some() {
            continue;
        }
        let path = crate_root()
            .join("fixtures/onnx")
            .join(format!("{stem}.onnx"));
        let model = load_onnx_model(&path).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let tol = tolerance(&expected);
        let inputs = expected["inputs"].as_array().unwrap();
        let outputs = expected["outputs"].as_array().unwrap();
        for (x, y) in inputs.iter().zip(outputs) {
            let got = output(&model.network, &numbers(x));
            assert_close(&got, &numbers(y), tol, &stem);
        }
        checked += 1;
    }
    // Two of them (skip_connection, branch_join) are residual connections.
    assert_eq!(checked, 11);
}

#[test]
fn onnx_fixture_folding_is_reported() {
    let path = crate_root().join("fixtures/onnx/normalise_sub_div.onnx");
    let model = load_onnx_model(&path).unwrap();
    let line = |name: &str| -> String {
        model
            .folded
            .iter()
            .find(|f| f.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("{name} not in {:?}", model.folded))
            .clone()
    };
    assert!(
        line("centre").starts_with("node 0 `centre` (Sub): subtracts"),
        "{}",
        line("centre")
    );
    assert!(line("centre").ends_with("folded into hidden layer 0"));
    assert!(line("scale_in").starts_with("node 1 `scale_in` (Div): divides by"));
    assert!(line("scale_in").ends_with("folded into hidden layer 0"));
    assert!(line("flat").starts_with("node 2 `flat` (Flatten): reshapes [1, 1, 1, 4] to [1, 4]"));
    // After the one Relu, everything folds into the output layer.
    assert!(line("rescale").starts_with("node 5 `rescale` (Mul): multiplies by"));
    assert!(line("rescale").ends_with("folded into the output layer"));
    assert!(line("reshift").ends_with("folded into the output layer"));
    assert!(line("flip").starts_with("node 8 `flip` (Sub): subtracts the data from"));
    assert!(line("flip").ends_with("folded into the output layer"));
    // The Gemms and the Relu are the layers themselves, not folded ops.
    assert_eq!(model.folded.len(), 6, "{:?}", model.folded);
    assert_eq!(model.network.hidden_widths(), vec![5]);
    let path = crate_root().join("fixtures/onnx/reshape_identity_dropout.onnx");
    let model = load_onnx_model(&path).unwrap();
    assert_eq!(model.network.input_dim(), 6);
    let folded = model.folded.join("\n");
    for part in ["(Reshape)", "(Identity)", "(Dropout)"] {
        assert!(folded.contains(part), "{folded}");
    }
}

#[test]
fn onnx_errors_name_the_node_its_op_type_and_index() {
    let mut checked = 0;
    for (stem, expected) in fixture_cases() {
        let Some(want) = expected.get("error") else {
            continue;
        };
        let path = crate_root()
            .join("fixtures/onnx")
            .join(format!("{stem}.onnx"));
        let err = load_onnx_model(&path).expect_err(&stem);
        check_error(&err, want, &format!("{stem}.onnx"));
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn every_acasxu_network_loads_and_matches_the_reference_evaluator() {
    let data = data_dir();
    let expected = read_json(&crate_root().join("fixtures/acasxu_expected.json"));
    let points: Vec<Vec<f64>> = expected["acasxu_points"]
        .as_array()
        .unwrap()
        .iter()
        .map(numbers)
        .collect();
    let nets = expected["acasxu"].as_object().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(data.join("acasxu"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "onnx"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 45);
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let model = load_onnx_model(&path).unwrap_or_else(|e| panic!("{e}"));
        let net = &model.network;
        assert_eq!(net.input_dim(), 5, "{name}");
        assert_eq!(net.hidden_widths(), vec![50; 6], "{name}");
        assert_eq!(net.output_dim(), 5, "{name}");
        let want = nets[name].as_array().unwrap();
        for (x, y) in points.iter().zip(want) {
            assert_close(&output(net, x), &numbers(y), 2e-5, name);
        }
    }
}

#[test]
fn acasxu_1_1_matches_its_json_conversion() {
    let onnx_path = data_dir().join("acasxu/ACASXU_run2a_1_1_batch_2000.onnx");
    let onnx = load_onnx_model(&onnx_path).unwrap();
    let json = load_json_model(&crate_root().join("fixtures/acasxu_1_1.json")).unwrap();
    assert_eq!(onnx.network.hidden_widths(), json.hidden_widths());
    // The MATLAB export subtracts an all-zero constant from the input.
    assert!(
        onnx.folded[0].starts_with("node 0 `input_Sub` (Sub): subtracts a constant of shape [1, 1, 1, 5], all zero, folded into hidden layer 0"),
        "{:?}",
        onnx.folded
    );
    let mut points = Points(1);
    let mut worst: f64 = 0.0;
    for _ in 0..2000 {
        let x = points.next_in(&[(-0.6, 0.8); 5]);
        let (a, b) = (output(&onnx.network, &x), output(&json, &x));
        for (u, v) in a.iter().zip(&b) {
            worst = worst.max((u - v).abs());
        }
    }
    // Both hold the same float32 weights as f64; only summation order could differ.
    assert!(worst <= 1e-12, "max difference {worst}");
}

#[test]
fn mnist_network_loads_and_matches_the_reference_evaluator() {
    let path = data_dir().join("mnistfc/mnist-net_256x2.onnx");
    let model = load_onnx_model(&path).unwrap();
    let net = &model.network;
    assert_eq!(net.input_dim(), 784);
    assert_eq!(net.hidden_widths(), vec![256, 256]);
    assert_eq!(net.output_dim(), 10);
    let expected = read_json(&crate_root().join("fixtures/acasxu_expected.json"));
    for (k, y) in expected["mnist"].as_array().unwrap().iter().enumerate() {
        // x_i = ((i * 37 + 11 k) mod 256) / 255, rounded to float32 as the script did.
        let x: Vec<f64> = (0..784)
            .map(|i| (((i * 37 + 11 * k) % 256) as f64 / 255.0) as f32 as f64)
            .collect();
        assert_close(&output(net, &x), &numbers(y), 2e-5, "mnist");
    }
    // The folded list names the Flatten the PyTorch export begins with.
    assert!(
        model.folded.iter().any(|f| f.contains("(Flatten)")),
        "{:?}",
        model.folded
    );
}

/// The `[min, max]` box in the header of TestNetwork2.nnet.
const NNET_BOX: [(f64, f64); 5] = [
    (0.0, 60760.0),
    (-3.141593, 3.141593),
    (-3.141593, 3.141593),
    (100.0, 1200.0),
    (0.0, 1200.0),
];

#[test]
fn nnet_and_onnx_of_one_network_give_the_same_function() {
    let data = data_dir();
    let nnet = load_nnet_model(&data.join("nnet/TestNetwork2.nnet")).unwrap();
    let onnx = load_onnx_model(&data.join("nnet/TestNetwork2.onnx")).unwrap();
    assert_eq!(nnet.input_box, NNET_BOX.to_vec());
    assert_eq!(nnet.network.hidden_widths(), onnx.network.hidden_widths());
    let mut points = Points(7);
    for _ in 0..2000 {
        let x = points.next_in(&NNET_BOX);
        let (a, b) = (output(&nnet.network, &x), output(&onnx.network, &x));
        // The ONNX file holds the folded weights rounded to float32.
        assert_close(&a, &b, 1e-4, &format!("at {x:?}"));
    }
}

#[test]
fn nnet_raw_space_is_the_acasxu_onnx_normalised_space_mapped_back() {
    // TestNetwork2.nnet holds the weights of ACAS Xu N1,1. The VNN-COMP ONNX
    // takes normalised inputs and gives normalised outputs; the NNet loader
    // works on raw ones. Means and ranges as printed in the NNet header.
    let data = data_dir();
    let nnet = load_nnet_model(&data.join("nnet/TestNetwork2.nnet")).unwrap();
    let onnx = load_onnx_model(&data.join("acasxu/ACASXU_run2a_1_1_batch_2000.onnx")).unwrap();
    let mean = [19791.091, 0.0, 0.0, 650.0, 600.0, 7.5188840201];
    let range = [
        60261.0,
        6.28318530718,
        6.28318530718,
        1100.0,
        1200.0,
        373.94992,
    ];
    let mut points = Points(11);
    for _ in 0..500 {
        let x = points.next_in(&NNET_BOX);
        let u: Vec<f64> = (0..5).map(|i| (x[i] - mean[i]) / range[i]).collect();
        let y: Vec<f64> = output(&onnx.network, &u)
            .iter()
            .map(|v| v * range[5] + mean[5])
            .collect();
        assert_close(&output(&nnet.network, &x), &y, 1e-4, &format!("at {x:?}"));
    }
}

#[test]
fn load_model_dispatches_by_extension_or_by_name() {
    let data = data_dir();
    let nnet = load_model(&data.join("nnet/TestNetwork2.nnet"), None).unwrap();
    assert_eq!(nnet.format, ModelFormat::Nnet);
    assert_eq!(nnet.default_box, Some(NNET_BOX.to_vec()));
    assert_eq!(nnet.folded.len(), 2);
    let onnx = load_model(&data.join("mnistfc/mnist-net_256x2.onnx"), None).unwrap();
    assert_eq!(onnx.format, ModelFormat::Onnx);
    assert_eq!(onnx.default_box, None);
    let json = load_model(&crate_root().join("fixtures/acasxu_1_1.json"), None).unwrap();
    assert_eq!((json.format, json.folded.len()), (ModelFormat::Json, 0));
    // A named format overrides the extension.
    let err = load_model(
        &data.join("nnet/TestNetwork2.nnet"),
        Some(ModelFormat::Onnx),
    )
    .unwrap_err();
    assert!(err.to_string().contains("TestNetwork2.nnet"), "{err}");
    let err = load_model(
        &data.join("nnet/TestNetwork2.nnet"),
        Some(ModelFormat::Json),
    )
    .unwrap_err();
    assert!(matches!(err, ModelError::Json { line: 1, .. }), "{err}");
}

#[test]
fn vnnlib_boxes_of_acasxu_and_mnist() {
    let data = data_dir();
    // The numbers as written in the files.
    let prop_3 = load_vnnlib_box(&data.join("acasxu/prop_3.vnnlib")).unwrap();
    assert_eq!(
        prop_3,
        vec![
            (-0.303531156, -0.298552812),
            (-0.009549297, 0.009549297),
            (0.493380324, 0.5),
            (0.3, 0.5),
            (0.3, 0.5)
        ]
    );
    let prop_4 = load_vnnlib_box(&data.join("acasxu/prop_4.vnnlib")).unwrap();
    assert_eq!(
        prop_4,
        vec![
            (-0.303531156, -0.298552812),
            (-0.009549297, 0.009549297),
            (0.0, 0.0),
            (0.318181818, 0.5),
            (0.083333333, 0.166666667)
        ]
    );
    let mnist = load_vnnlib_box(&data.join("mnistfc/prop_0_0.03.vnnlib")).unwrap();
    assert_eq!(mnist.len(), 784);
    assert_eq!(mnist[0], (0.0, 0.029999999329447746));
    assert_eq!(mnist[783], (0.0, 0.029999999329447746));
    // ε = 0.03 around an image, clipped to [0, 1]; the bounds are float32 values.
    assert!(mnist
        .iter()
        .all(|&(lo, hi)| lo <= hi && hi - lo <= 0.06 + 1e-7));
    // Property 6's input set is a union of two boxes.
    let err = load_vnnlib_box(&data.join("acasxu/prop_6.vnnlib")).unwrap_err();
    assert!(
        matches!(err, VnnlibError::NotABox { line: 28, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("disjunction"), "{err}");
    // Every other ACAS Xu property is a box over the 5 inputs.
    for p in [1, 2, 5, 7, 8, 9, 10] {
        let b = load_vnnlib_box(&data.join(format!("acasxu/prop_{p}.vnnlib"))).unwrap();
        assert_eq!(b.len(), 5, "prop_{p}");
    }
}

#[test]
fn bounds_of_a_real_network() {
    let net = load_onnx_model(&data_dir().join("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"))
        .unwrap()
        .network;
    let b = region_bounds(&net);
    assert_eq!(b.codes, num_bigint::BigUint::from(1u8) << 300);
    // Σ_{i≤5} C(50, i) = 1 + 50 + 1225 + 19600 + 230300 + 2118760 = 2369936.
    assert_eq!(b.first_layer, num_bigint::BigUint::from(2_369_936u32));
    assert_eq!(b.first_layer, zaslavsky_bound(5, 50));
    let serra = b.serra.expect("a ReLU network has Serra's bound");
    assert!(serra < b.codes && serra > b.first_layer);
}
