//! The NNet loader: the comma-separated text format of the ACAS Xu networks
//! (format of the `sisl/NNet` repository's README).
//!
//! ```text
//! // header lines, each beginning with //
//! 7,5,5,50,                 layers L, inputs, outputs, largest layer size
//! 5,50,50,50,50,50,50,5,    the L + 1 layer sizes, input first
//! 0,                        an unused flag
//! 0.0,-3.14,...,            input minimums
//! 60760.0,3.14,...,         input maximums
//! 19791.0,0.0,...,7.51,     input means, then one mean for all outputs
//! 60261.0,6.28,...,373.9,   input ranges, then one range for all outputs
//! w,w,w,...,                layer 1: one line per neuron (a row of W, out × in),
//! b,                        then one line per neuron with its bias; and so on
//! ```
//!
//! The stored weights act on normalised inputs: NNet clips `x` to
//! `[min, max]`, maps it to `(x − mean) / range`, and maps the outputs back by
//! `y · range_out + mean_out`. The loader folds both maps into the first and
//! last layers, so the [`Network`] it returns lives in the *raw* input space
//! and gives raw outputs. It equals the NNet evaluation inside the
//! `[min, max]` box, which it returns as the model's default domain; outside
//! it NNet clips and this network does not, so a caller intersects its domain
//! with the box.

use crate::error::ModelError;
use crate::model::affine::Affine;
use crate::model::network::{Activation, LayerSpec, Network};
use std::path::Path;

/// A network read from an NNet file.
#[derive(Debug, Clone)]
pub struct NnetModel {
    /// The network, on raw inputs with raw outputs (normalisation folded in).
    pub network: Network,
    /// The `[min, max]` box of each input, where NNet does not clip: the
    /// default domain of an NNet model.
    pub input_box: Vec<(f64, f64)>,
    /// What was folded: the input normalisation and the output de-normalisation.
    pub folded: Vec<String>,
}

/// Reads an NNet file.
pub fn load_nnet_model(path: &Path) -> Result<NnetModel, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_nnet_model(&text, path)
}

/// Parses the text of an NNet file; `path` names it in errors.
pub fn parse_nnet_model(text: &str, path: &Path) -> Result<NnetModel, ModelError> {
    let mut lines = Lines {
        inner: text.lines().enumerate().peekable(),
        path,
        last: 0,
    };
    while lines
        .inner
        .peek()
        .is_some_and(|(_, l)| l.trim_start().starts_with("//") || l.trim().is_empty())
    {
        lines.inner.next();
    }
    let (line, head) = lines.numbers("the header (layers, inputs, outputs, largest size)")?;
    let [layer_count, inputs, outputs, ..] = head[..] else {
        return Err(lines.error(line, format!("expected 4 values, found {}", head.len())));
    };
    let layer_count = lines.count(line, layer_count, "the number of layers")?;
    let inputs = lines.count(line, inputs, "the number of inputs")?;
    let outputs = lines.count(line, outputs, "the number of outputs")?;
    if layer_count == 0 {
        return Err(lines.error(line, "the network has no layers".into()));
    }
    let (line, size_values) = lines.numbers("the layer sizes")?;
    if size_values.len() != layer_count + 1 {
        return Err(lines.error(
            line,
            format!(
                "expected {} layer sizes (input and {layer_count} layers), found {}",
                layer_count + 1,
                size_values.len()
            ),
        ));
    }
    let mut sizes = Vec::with_capacity(size_values.len());
    for &v in &size_values {
        sizes.push(lines.count(line, v, "a layer size")?);
    }
    if sizes[0] != inputs || sizes[layer_count] != outputs {
        return Err(lines.error(
            line,
            format!(
                "the sizes {sizes:?} do not start with the {inputs} inputs and end with the {outputs} outputs of the header"
            ),
        ));
    }
    lines.numbers("the unused flag")?;
    let mins = lines.exactly(inputs, "input minimums")?;
    let (max_line, maxs) = lines.exactly_at(inputs, "input maximums")?;
    let means = lines.exactly(inputs + 1, "means (inputs, then outputs)")?;
    let (range_line, ranges) = lines.exactly_at(inputs + 1, "ranges (inputs, then outputs)")?;
    if let Some(i) = ranges.iter().position(|&r| r == 0.0) {
        return Err(lines.error(range_line, format!("range {i} is zero")));
    }
    let mut input_box = Vec::with_capacity(inputs);
    for (i, (&lo, &hi)) in mins.iter().zip(&maxs).enumerate() {
        if lo > hi {
            return Err(lines.error(
                max_line,
                format!("input {i}: maximum {hi} is below minimum {lo}"),
            ));
        }
        input_box.push((lo, hi));
    }
    let mut layers = Vec::with_capacity(layer_count);
    for k in 0..layer_count {
        let (cols, rows) = (sizes[k], sizes[k + 1]);
        let mut weight = Vec::with_capacity(rows * cols);
        for _ in 0..rows {
            weight.extend(lines.exactly(cols, &format!("a weight row of layer {k}"))?);
        }
        let mut bias = Vec::with_capacity(rows);
        for _ in 0..rows {
            bias.extend(lines.exactly(1, &format!("a bias of layer {k}"))?);
        }
        layers.push((weight, bias));
    }
    if let Some((i, _)) = lines.inner.find(|(_, l)| !l.trim().is_empty()) {
        return Err(lines.error(i + 1, "unexpected text after the last layer".into()));
    }

    // Input normalisation: W ((x − m) / r) + b = (W / r) x + (b − W (m / r)).
    let (first_weight, first_bias) = &mut layers[0];
    for (row, b) in first_weight.chunks_mut(inputs).zip(first_bias.iter_mut()) {
        let mut shift = 0.0;
        for (j, w) in row.iter_mut().enumerate() {
            shift += *w * (means[j] / ranges[j]);
            *w /= ranges[j];
        }
        *b -= shift;
    }
    // Output de-normalisation: (W h + b) r + m = (r W) h + (r b + m).
    let (mean_out, range_out) = (means[inputs], ranges[inputs]);
    let (last_weight, last_bias) = &mut layers[layer_count - 1];
    last_weight.iter_mut().for_each(|w| *w *= range_out);
    last_bias
        .iter_mut()
        .for_each(|b| *b = *b * range_out + mean_out);

    let specs = layers
        .into_iter()
        .enumerate()
        .map(|(k, (weight, bias))| LayerSpec {
            affine: Affine::new(sizes[k + 1], sizes[k], weight, bias),
            activation: if k + 1 < layer_count {
                Activation::Relu
            } else {
                Activation::Identity
            },
        })
        .collect();
    let network = Network::from_layers(specs, path.to_path_buf())?;
    let first = if layer_count > 1 {
        "hidden layer 0"
    } else {
        "the output layer"
    };
    let folded = vec![
        format!("input normalisation (x − mean) / range folded into {first}: the model's inputs are raw (unnormalised) values"),
        format!("output de-normalisation y · {range_out} + {mean_out} folded into the output layer"),
    ];
    Ok(NnetModel {
        network,
        input_box,
        folded,
    })
}

/// The remaining lines, numbered from 1 in errors.
struct Lines<'t, 'p> {
    inner: std::iter::Peekable<std::iter::Enumerate<std::str::Lines<'t>>>,
    path: &'p Path,
    last: usize,
}

impl Lines<'_, '_> {
    fn error(&self, line: usize, message: String) -> ModelError {
        ModelError::Nnet {
            path: self.path.to_path_buf(),
            line,
            message,
        }
    }

    /// The numbers of the next line (a trailing comma is allowed).
    fn numbers(&mut self, what: &str) -> Result<(usize, Vec<f64>), ModelError> {
        let Some((i, text)) = self.inner.next() else {
            return Err(self.error(self.last + 1, format!("the file ends before {what}")));
        };
        let line = i + 1;
        self.last = line;
        let mut values = Vec::new();
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        let n = fields.len();
        for (k, field) in fields.into_iter().enumerate() {
            if field.is_empty() && k + 1 == n {
                break;
            }
            let v: f64 = field.parse().map_err(|_| {
                self.error(line, format!("{what}: value {k} `{field}` is not a number"))
            })?;
            if !v.is_finite() {
                return Err(self.error(line, format!("{what}: value {k} is not finite ({v})")));
            }
            values.push(v);
        }
        Ok((line, values))
    }

    fn exactly_at(&mut self, n: usize, what: &str) -> Result<(usize, Vec<f64>), ModelError> {
        let (line, values) = self.numbers(what)?;
        if values.len() != n {
            return Err(self.error(
                line,
                format!("{what}: expected {n} values, found {}", values.len()),
            ));
        }
        Ok((line, values))
    }

    fn exactly(&mut self, n: usize, what: &str) -> Result<Vec<f64>, ModelError> {
        Ok(self.exactly_at(n, what)?.1)
    }

    fn count(&self, line: usize, v: f64, what: &str) -> Result<usize, ModelError> {
        if v >= 1.0 && v.fract() == 0.0 && v < 1e9 {
            Ok(v as usize)
        } else {
            Err(self.error(
                line,
                format!("{what} must be a positive integer, found {v}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // One input, two hidden neurons, one output; mean 1, range 2 on the
    // input, mean 10, range 4 on the output.
    const SMALL: &str = "// a test network
2,1,1,2,
1,2,1,
0,
-1.0,
3.0,
1.0,10.0,
2.0,4.0,
1.0,
-1.0,
0.0,
0.5,
1.0,1.0,
0.25,
";

    #[test]
    fn normalisation_is_folded() {
        let m = parse_nnet_model(SMALL, Path::new("t.nnet")).unwrap();
        assert_eq!(m.input_box, vec![(-1.0, 3.0)]);
        // By hand at x = 2: u = (2 − 1)/2 = 0.5; hidden relu(0.5) = 0.5,
        // relu(−0.5 + 0.5) = 0; y = 0.5 + 0 + 0.25 = 0.75; raw 0.75·4 + 10 = 13.
        assert_eq!(m.network.forward(&[2.0]).1, vec![13.0]);
        // At x = −1: u = −1; relu(−1) = 0, relu(1.5) = 1.5; y = 1.75; raw 17.
        assert_eq!(m.network.forward(&[-1.0]).1, vec![17.0]);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = SMALL.replace("0.5,\n", "zero,\n");
        let e = parse_nnet_model(&bad, Path::new("t.nnet"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 12") && e.contains("zero"), "{e}");
        let short = SMALL.replace("1.0,1.0,\n", "1.0,\n");
        let e = parse_nnet_model(&short, Path::new("t.nnet"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 13") && e.contains("expected 2 values"),
            "{e}"
        );
        let cut: String = SMALL.lines().take(10).map(|l| format!("{l}\n")).collect();
        let e = parse_nnet_model(&cut, Path::new("t.nnet"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("ends before"), "{e}");
    }
}
