//! A ReLU network: hidden affine layers each followed by ReLU, then an affine
//! output layer (docs/design.md §1). Neuron ids `(layer, index)` count hidden layers
//! only, from 0.
//!
//! A hidden neuron may be *leaky*: on its off side (`z ≤ 0`) it outputs
//! `α z` for its negative-side slope `α` instead of 0 (ReLU is `α = 0`;
//! ONNX `LeakyRelu` and `PRelu`). Its hyperplane is the same; only the
//! region's map changes. A neuron with `α = 1` is *linear* (it has no kink):
//! it cuts nothing, its bit in a pattern is always 1, and the walk spends no
//! test on it. Residual connections are carried through hidden layers as
//! such neurons (docs/design.md §1).

use crate::error::ModelError;
use crate::model::affine::Affine;
use crate::model::pattern::Pattern;
use std::path::PathBuf;

/// The activation after an affine layer, as a model file states it.
#[derive(Debug, Clone, PartialEq)]
pub enum Activation {
    /// `max(z, 0)`: the layer's neurons are hidden neurons.
    Relu,
    /// `z` for `z > 0`, `α_i z` otherwise, one slope `α_i` per neuron (a
    /// leaky ReLU or PReLU; `α_i = 0` is ReLU, `α_i = 1` passes `z` through
    /// unchanged): the layer's neurons are hidden neurons.
    Leaky(Vec<f64>),
    /// No activation: the layer composes with the next one.
    Identity,
}

/// The slope of a linear neuron: it has no kink, so it is not a hyperplane.
pub const LINEAR_SLOPE: f64 = 1.0;

/// A hidden neuron's output for pre-activation `z` and negative-side slope
/// `slope`: `z` when `z > 0`, `slope · z` otherwise (ReLU: `slope = 0`).
pub fn activate(z: f64, slope: f64) -> f64 {
    if z > 0.0 {
        z
    } else if slope == 0.0 {
        0.0
    } else {
        slope * z
    }
}

/// One affine layer as read from a file, before normalisation into a
/// [`Network`].
#[derive(Debug, Clone)]
pub struct LayerSpec {
    /// The affine map of the layer (`weight` is `out × in`).
    pub affine: Affine,
    /// Its activation.
    pub activation: Activation,
}

/// A validated ReLU network. Hidden layers are ReLU layers; identity layers
/// between them are composed into their successor when the network is built,
/// and a network whose last layer is ReLU gets an identity output.
#[derive(Debug, Clone)]
pub struct Network {
    hidden: Vec<Affine>,
    /// Per hidden layer, each neuron's negative-side slope (0 for ReLU).
    slopes: Vec<Vec<f64>>,
    output: Affine,
}

/// The largest growth allowed through the hidden layers: the walk's rows
/// are compositions of the layers on the input, so their entries are
/// bounded by the product of the layers' largest absolute row sums (bias
/// included). Below 1e100, the squares and sums of squares the walk takes
/// (norms of rows: at most 1e200 × width) stay far below f64's largest
/// value, 1.8e308; above it a row's norm may overflow to infinity and the
/// walk's geometry breaks down. Genuine networks are many orders of
/// magnitude below it (ACAS Xu N1,1: about 5e9).
pub const MAX_LAYER_GROWTH: f64 = 1e100;

/// Refuses hidden layers whose growth passes [`MAX_LAYER_GROWTH`].
/// A leaky neuron's output is at most `max(1, |α|)` times its
/// pre-activation, so its row counts that many times.
fn check_growth(
    hidden: &[Affine],
    slopes: &[Vec<f64>],
    source: &std::path::Path,
) -> Result<(), ModelError> {
    let mut growth = 1.0f64;
    for (k, (layer, alpha)) in hidden.iter().zip(slopes).enumerate() {
        let widest = (0..layer.rows())
            .map(|i| {
                (layer.row(i).iter().map(|v| v.abs()).sum::<f64>() + layer.bias()[i].abs())
                    * alpha[i].abs().max(1.0)
            })
            .fold(0.0, f64::max);
        growth *= widest.max(1.0);
        if growth > MAX_LAYER_GROWTH {
            return Err(ModelError::Layer {
                path: source.to_path_buf(),
                layer: k,
                message: format!(
                    "the weights grow too large: the product of the largest absolute row sums up to this layer is {growth:e}, over {MAX_LAYER_GROWTH:e}, so the walk's rows could overflow f64"
                ),
            });
        }
    }
    Ok(())
}

impl Network {
    /// Builds a network from its layers, validating that shapes chain,
    /// every number is finite, and the layers' growth is below
    /// [`MAX_LAYER_GROWTH`]. `source` names the file in errors.
    pub fn from_layers(layers: Vec<LayerSpec>, source: PathBuf) -> Result<Self, ModelError> {
        if layers.is_empty() {
            return Err(ModelError::NoLayers { path: source });
        }
        for (k, layer) in layers.iter().enumerate() {
            let a = &layer.affine;
            if a.rows() == 0 || a.cols() == 0 {
                return Err(ModelError::Layer {
                    path: source,
                    layer: k,
                    message: format!(
                        "weight is {}×{}: a layer needs at least one row and column",
                        a.rows(),
                        a.cols()
                    ),
                });
            }
            if k > 0 && a.cols() != layers[k - 1].affine.rows() {
                return Err(ModelError::Layer {
                    path: source,
                    layer: k,
                    message: format!(
                        "weight has {} columns but layer {} has {} outputs",
                        a.cols(),
                        k - 1,
                        layers[k - 1].affine.rows()
                    ),
                });
            }
            if let Activation::Leaky(alpha) = &layer.activation {
                if alpha.len() != a.rows() {
                    return Err(ModelError::Layer {
                        path: source,
                        layer: k,
                        message: format!(
                            "has {} negative-side slopes but {} neurons",
                            alpha.len(),
                            a.rows()
                        ),
                    });
                }
                if let Some(i) = alpha.iter().position(|v| !v.is_finite()) {
                    return Err(ModelError::Layer {
                        path: source,
                        layer: k,
                        message: format!(
                            "the negative-side slope of neuron {i} is not finite ({})",
                            alpha[i]
                        ),
                    });
                }
            }
            for i in 0..a.rows() {
                if let Some(j) = a.row(i).iter().position(|v| !v.is_finite()) {
                    return Err(ModelError::Layer {
                        path: source,
                        layer: k,
                        message: format!(
                            "weight row {i}, column {j} is not finite ({})",
                            a.row(i)[j]
                        ),
                    });
                }
                if !a.bias()[i].is_finite() {
                    return Err(ModelError::Layer {
                        path: source,
                        layer: k,
                        message: format!("bias entry {i} is not finite ({})", a.bias()[i]),
                    });
                }
            }
        }
        let mut hidden = Vec::new();
        let mut slopes = Vec::new();
        let mut pending: Option<Affine> = None;
        for layer in layers {
            let affine = match pending.take() {
                Some(inner) => layer.affine.after(&inner),
                None => layer.affine,
            };
            match layer.activation {
                Activation::Relu => {
                    slopes.push(vec![0.0; affine.rows()]);
                    hidden.push(affine);
                }
                Activation::Leaky(alpha) => {
                    // `-0.0` and `0.0` are the same slope; keep one bit pattern
                    // for the fingerprint.
                    slopes.push(alpha.iter().map(|&v| v + 0.0).collect());
                    hidden.push(affine);
                }
                Activation::Identity => pending = Some(affine),
            }
        }
        let output = match pending {
            Some(out) => out,
            None => Affine::identity(hidden.last().map(Affine::rows).unwrap_or(0)),
        };
        check_growth(&hidden, &slopes, &source)?;
        Ok(Network {
            hidden,
            slopes,
            output,
        })
    }

    /// Each hidden layer's negative-side slopes, one per neuron (0 for a
    /// ReLU neuron, 1 for a linear one).
    pub fn slopes(&self) -> &[Vec<f64>] {
        &self.slopes
    }

    /// Whether neuron `i` of hidden layer `layer` is linear (slope 1): no
    /// kink, no hyperplane, always 1 in a pattern.
    pub fn is_linear(&self, layer: usize, i: usize) -> bool {
        self.slopes[layer][i] == LINEAR_SLOPE
    }

    /// Whether some hidden neuron is not a plain ReLU (its slope is not 0).
    pub fn has_leaky(&self) -> bool {
        self.slopes.iter().flatten().any(|&a| a != 0.0)
    }

    /// Per hidden layer, how many neurons have a kink (slope ≠ 1): the
    /// neurons whose hyperplanes can cut.
    pub fn kinked_widths(&self) -> Vec<usize> {
        self.slopes
            .iter()
            .map(|l| l.iter().filter(|&&a| a != LINEAR_SLOPE).count())
            .collect()
    }

    /// The hidden (ReLU) layers.
    pub fn hidden(&self) -> &[Affine] {
        &self.hidden
    }

    /// The output layer.
    pub fn output(&self) -> &Affine {
        &self.output
    }

    /// The input dimension `d`.
    pub fn input_dim(&self) -> usize {
        self.hidden
            .first()
            .map(Affine::cols)
            .unwrap_or_else(|| self.output.cols())
    }

    /// The output dimension.
    pub fn output_dim(&self) -> usize {
        self.output.rows()
    }

    /// The width of each hidden layer.
    pub fn hidden_widths(&self) -> Vec<usize> {
        self.hidden.iter().map(Affine::rows).collect()
    }

    /// The number `N` of hidden neurons.
    pub fn hidden_neurons(&self) -> usize {
        self.hidden.iter().map(Affine::rows).sum()
    }

    /// A fingerprint of the exact network: SHA-256 over the layer shapes and
    /// the bits of every weight and bias, hidden layers then output, then
    /// (only when some neuron is leaky, so that a ReLU network keeps the
    /// fingerprint it always had) the bits of every slope, as hex.
    /// Certificates carry it so they cannot be checked against another network.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for layer in self.hidden.iter().chain([&self.output]) {
            h.update((layer.rows() as u64).to_le_bytes());
            h.update((layer.cols() as u64).to_le_bytes());
            for v in layer.weight().iter().chain(layer.bias()) {
                h.update(v.to_bits().to_le_bytes());
            }
        }
        if self.has_leaky() {
            h.update(b"slopes");
            for v in self.slopes.iter().flatten() {
                h.update(v.to_bits().to_le_bytes());
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A plain forward pass: the pre-activations of every hidden layer, and
    /// the output.
    pub fn forward(&self, x: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>) {
        let mut h = x.to_vec();
        let mut pre = Vec::with_capacity(self.hidden.len());
        for (layer, alpha) in self.hidden.iter().zip(&self.slopes) {
            let z = layer.apply(&h);
            h = z.iter().zip(alpha).map(|(&v, &a)| activate(v, a)).collect();
            pre.push(z);
        }
        (pre, self.output.apply(&h))
    }

    /// The activation pattern at `x` by a plain forward pass (`z > 0` is
    /// on; a linear neuron is always on).
    pub fn pattern_at(&self, x: &[f64]) -> Pattern {
        let (pre, _) = self.forward(x);
        Pattern::new(
            pre.into_iter()
                .zip(&self.slopes)
                .map(|(z, alpha)| {
                    z.into_iter()
                        .zip(alpha)
                        .map(|(v, &a)| v > 0.0 || a == LINEAR_SLOPE)
                        .collect()
                })
                .collect(),
        )
    }

    /// The network precomposed with an input map `x = E t + o`: a network on `t`.
    /// This is how a slice of the input space becomes a domain of its own
    /// (docs/design.md §1).
    pub fn precompose(&self, input: &Affine) -> Network {
        let mut hidden = self.hidden.clone();
        let mut output = self.output.clone();
        match hidden.first_mut() {
            Some(first) => *first = first.after(input),
            None => output = output.after(input),
        }
        Network {
            hidden,
            slopes: self.slopes.clone(),
            output,
        }
    }

    /// The affine maps of every hidden layer's pre-activations, and of the
    /// output, on the region with pattern `pattern` (which must have this
    /// network's layer widths). Each is a map of the input `x`.
    pub fn maps_for_pattern(&self, pattern: &Pattern) -> (Vec<Affine>, Affine) {
        let mut h = Affine::identity(self.input_dim());
        let mut pre = Vec::with_capacity(self.hidden.len());
        for ((layer, bits), alpha) in self.hidden.iter().zip(pattern.layers()).zip(&self.slopes) {
            let z = layer.after(&h);
            h = z.clone();
            h.activate_rows(bits, alpha);
            pre.push(z);
        }
        (pre, self.output.after(&h))
    }
}

/// For unit tests: ReLU layers `(weight rows, bias)` followed by an output
/// that sums the last hidden layer.
#[cfg(test)]
pub(crate) fn relu_network(layers: &[(Vec<Vec<f64>>, Vec<f64>)]) -> Network {
    let mut specs: Vec<LayerSpec> = layers
        .iter()
        .map(|(w, b)| LayerSpec {
            affine: Affine::from_rows(w[0].len(), w, b.clone()),
            activation: Activation::Relu,
        })
        .collect();
    let width = layers.last().expect("a layer").1.len();
    specs.push(LayerSpec {
        affine: Affine::from_rows(width, &[vec![1.0; width]], vec![0.0]),
        activation: Activation::Identity,
    });
    Network::from_layers(specs, "<test>".into()).expect("valid test network")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(rows: &[Vec<f64>], bias: Vec<f64>, activation: Activation) -> LayerSpec {
        LayerSpec {
            affine: Affine::from_rows(rows[0].len(), rows, bias),
            activation,
        }
    }

    #[test]
    fn identity_layers_compose_into_the_next() {
        let net = Network::from_layers(
            vec![
                spec(&[vec![2.0]], vec![1.0], Activation::Identity),
                spec(&[vec![1.0], vec![-1.0]], vec![0.0, 0.0], Activation::Relu),
                spec(&[vec![1.0, 1.0]], vec![0.0], Activation::Identity),
            ],
            "<memory>".into(),
        )
        .unwrap();
        assert_eq!(net.hidden_widths(), vec![2]);
        assert_eq!(net.forward(&[1.0]).1, vec![3.0]);
        assert_eq!(net.forward(&[-1.0]).1, vec![1.0]);
    }

    #[test]
    fn maps_for_pattern_agree_with_forward() {
        let net = Network::from_layers(
            vec![
                spec(
                    &[vec![1.0, -2.0], vec![0.5, 1.0]],
                    vec![0.1, -0.2],
                    Activation::Relu,
                ),
                spec(&[vec![1.0, 1.0]], vec![-0.3], Activation::Relu),
                spec(&[vec![2.0]], vec![1.0], Activation::Identity),
            ],
            "<memory>".into(),
        )
        .unwrap();
        let x = [0.7, 0.2];
        let p = net.pattern_at(&x);
        let (pre, out) = net.maps_for_pattern(&p);
        let (fpre, fout) = net.forward(&x);
        for (m, z) in pre.iter().zip(&fpre) {
            for (a, b) in m.apply(&x).iter().zip(z) {
                assert!((a - b).abs() < 1e-12);
            }
        }
        assert!((out.apply(&x)[0] - fout[0]).abs() < 1e-12);
    }

    #[test]
    fn shapes_must_chain() {
        let err = Network::from_layers(
            vec![
                spec(&[vec![1.0, 2.0]], vec![0.0], Activation::Relu),
                spec(&[vec![1.0, 1.0]], vec![0.0], Activation::Identity),
            ],
            "m.json".into(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("layer 1"), "{err}");
    }
}
