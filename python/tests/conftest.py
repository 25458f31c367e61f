"""Shared helpers of the Python tests: the repository's fixtures, and a
numpy forward pass written here from the weights, independent of the
package's own code."""

import json
from pathlib import Path

import numpy as np
import regionwalk as rw

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "net2d_16x16.json"
SQUARE = np.array([[-1.0, 1.0], [-1.0, 1.0]])


def json_layers(path):
    """The ``(W, b)`` layers of a JSON model, read with the json module."""
    model = json.loads(Path(path).read_text())
    return [(np.array(l["weight"], dtype=float), np.array(l["bias"], dtype=float)) for l in model["layers"]]


def forward(layers, x):
    """The hidden layers' on/off pattern and the output at ``x``, for an
    MLP with ReLU after every layer but the last."""
    pattern, h = [], np.asarray(x, dtype=float)
    for w, b in layers[:-1]:
        z = w @ h + b
        pattern.append(z > 0)
        h = np.maximum(z, 0)
    w, b = layers[-1]
    return pattern, w @ h + b


def key(pattern):
    """A hashable form of a pattern given as boolean arrays."""
    return tuple(tuple(bool(v) for v in layer) for layer in pattern)


def patterns_at(layers, xs):
    """The patterns at the rows of ``xs``, one row of booleans (all hidden
    neurons, layer after layer) per point."""
    h, bits = np.asarray(xs, dtype=float).T, []
    for w, b in layers[:-1]:
        z = w @ h + b[:, None]
        bits.append(z > 0)
        h = np.maximum(z, 0)
    return np.vstack(bits).T


def random_net(widths, seed):
    """A random network on 2 inputs with hidden layers of ``widths`` and one
    output; its layers are in general position with probability one."""
    rng, d, layers = np.random.default_rng(seed), 2, []
    for w in widths:
        layers.append((rng.standard_normal((w, d)), rng.standard_normal(w)))
        d = w
    return rw.Network.from_weights(layers + [(rng.standard_normal((1, d)), np.zeros(1))])
