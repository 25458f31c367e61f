//! A ReLU network: hidden affine layers each followed by ReLU, then an affine
//! output layer (docs/design.md §1). Neuron ids `(layer, index)` count hidden layers
//! only, from 0.

use crate::error::ModelError;
use crate::model::affine::Affine;
use crate::model::pattern::Pattern;
use std::path::PathBuf;

/// The activation after an affine layer, as a model file states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// `max(z, 0)`: the layer's neurons are hidden neurons.
    Relu,
    /// No activation: the layer composes with the next one.
    Identity,
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
fn check_growth(hidden: &[Affine], source: &std::path::Path) -> Result<(), ModelError> {
    let mut growth = 1.0f64;
    for (k, layer) in hidden.iter().enumerate() {
        let widest = (0..layer.rows())
            .map(|i| layer.row(i).iter().map(|v| v.abs()).sum::<f64>() + layer.bias()[i].abs())
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
        let mut pending: Option<Affine> = None;
        for layer in layers {
            let affine = match pending.take() {
                Some(inner) => layer.affine.after(&inner),
                None => layer.affine,
            };
            match layer.activation {
                Activation::Relu => hidden.push(affine),
                Activation::Identity => pending = Some(affine),
            }
        }
        let output = match pending {
            Some(out) => out,
            None => Affine::identity(hidden.last().map(Affine::rows).unwrap_or(0)),
        };
        check_growth(&hidden, &source)?;
        Ok(Network { hidden, output })
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
    /// the bits of every weight and bias, hidden layers then output, as hex.
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
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A plain forward pass: the pre-activations of every hidden layer, and
    /// the output.
    pub fn forward(&self, x: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>) {
        let mut h = x.to_vec();
        let mut pre = Vec::with_capacity(self.hidden.len());
        for layer in &self.hidden {
            let z = layer.apply(&h);
            h = z.iter().map(|&v| v.max(0.0)).collect();
            pre.push(z);
        }
        (pre, self.output.apply(&h))
    }

    /// The activation pattern at `x` by a plain forward pass (`z > 0` is on).
    pub fn pattern_at(&self, x: &[f64]) -> Pattern {
        let (pre, _) = self.forward(x);
        Pattern::new(
            pre.into_iter()
                .map(|z| z.into_iter().map(|v| v > 0.0).collect())
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
        Network { hidden, output }
    }

    /// The affine maps of every hidden layer's pre-activations, and of the
    /// output, on the region with pattern `pattern` (which must have this
    /// network's layer widths). Each is a map of the input `x`.
    pub fn maps_for_pattern(&self, pattern: &Pattern) -> (Vec<Affine>, Affine) {
        let mut h = Affine::identity(self.input_dim());
        let mut pre = Vec::with_capacity(self.hidden.len());
        for (layer, bits) in self.hidden.iter().zip(pattern.layers()) {
            let z = layer.after(&h);
            h = z.clone();
            h.mask_rows(bits);
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
