"""Networks: loaded from model files, numpy weights or a PyTorch module."""

import os

import numpy as np

from . import _native
from ._native import ModelError

# The PyTorch layers `from_torch` reads, by class name (torch is never
# imported: the module is read through its attributes).
_PASS_THROUGH = ("Flatten", "Identity", "Dropout")


class Network:
    """A ReLU network: hidden affine layers each followed by ReLU, then an
    affine output layer. Build one with a ``from_*`` class method."""

    def __init__(self, native):
        self._native = native

    @classmethod
    def load(cls, path, format=None, output=None):
        """Loads a model file: JSON, ONNX or NNet, told by its extension
        unless ``format`` (``"json"``, ``"onnx"``, ``"nnet"``) says.
        ``output`` names the ONNX value to count regions for (docs/models.md).
        Raises ``ModelError`` with the loader's message on a bad file."""
        return cls(_native.NativeNetwork.load(os.fspath(path), format, output))

    @classmethod
    def from_onnx(cls, path, output=None):
        """Loads an ONNX model (docs/models.md says which graphs are read)."""
        return cls.load(path, "onnx", output)

    @classmethod
    def from_nnet(cls, path):
        """Loads an NNet model; its ``[min, max]`` input box becomes the
        default domain and cuts any domain given."""
        return cls.load(path, "nnet")

    @classmethod
    def from_json(cls, path):
        """Loads a JSON model ``{"layers": [{"weight", "bias"}, ...]}``."""
        return cls.load(path, "json")

    @classmethod
    def from_weights(cls, layers, name="<weights>"):
        """A network from ``[(W, b), ...]``: numpy arrays with ``W`` out × in,
        as PyTorch stores them. A ReLU follows every layer but the last.
        Any real dtype is read exactly (float32 and float16 widen to
        float64 without rounding)."""
        specs = []
        layers = list(layers)
        for k, (w, b) in enumerate(layers):
            w, b = _layer_arrays(w, b, f"{name}: layer {k}")
            specs.append((w, b, np.zeros(w.shape[0]) if k + 1 < len(layers) else None))
        return cls(_native.NativeNetwork.from_layers(specs, name))

    @classmethod
    def from_torch(cls, module):
        """A network from a PyTorch ``nn.Sequential`` (or any module whose
        ``children()`` are) of ``Linear``, ``ReLU``, ``LeakyReLU``,
        ``Flatten``, ``Identity`` and ``Dropout`` layers (dropout as in
        eval mode). Nested ``Sequential`` modules are read in order. The
        weights and slopes are read exactly; torch is not imported by
        regionwalk. Raises ``ModelError`` naming the first layer it cannot
        read."""
        name = f"<torch {type(module).__name__}>"
        specs = []  # [W, b, negative-side slopes or None], one per Linear
        for path, layer in _torch_layers(module, ""):
            kind = type(layer).__name__
            where = f"{name}: layer {path} ({kind})"
            if kind == "Linear":
                w = _tensor(layer.weight)
                b = _tensor(layer.bias) if layer.bias is not None else np.zeros(w.shape[0])
                specs.append([*_layer_arrays(w, b, where), None])
            elif kind in ("ReLU", "LeakyReLU"):
                if not specs:
                    raise ModelError(f"{where}: an activation before the first Linear layer is not supported")
                slope = 0.0 if kind == "ReLU" else float(layer.negative_slope)
                specs[-1][2] = _then(specs[-1][2], slope, specs[-1][0].shape[0])
            elif kind not in _PASS_THROUGH:
                raise ModelError(
                    f"{where}: not supported (from_torch reads Linear, ReLU, "
                    "LeakyReLU, Flatten, Identity and Dropout)"
                )
        if not specs:
            raise ModelError(f"{name}: no Linear layer")
        return cls(_native.NativeNetwork.from_layers([tuple(s) for s in specs], name))

    @property
    def input_dim(self):
        """The number of inputs."""
        return self._native.input_dim

    @property
    def output_dim(self):
        """The number of outputs."""
        return self._native.output_dim

    @property
    def hidden_widths(self):
        """The widths of the hidden (ReLU) layers."""
        return self._native.hidden_widths

    @property
    def format(self):
        """The model's format: ``json`` (also for weights), ``onnx`` or ``nnet``."""
        return self._native.format

    @property
    def notes(self):
        """What the loader folded into the layers or cut off, one line each."""
        return self._native.folded

    def layers(self):
        """The normalised layers ``[(W, b), ...]`` as the walk sees them:
        every hidden layer (each followed by ReLU), then the output layer."""
        return self._native.layers()

    def __repr__(self):
        return (
            f"Network({self.input_dim} inputs, hidden {self.hidden_widths}, "
            f"{self.output_dim} outputs, from {self._native.source})"
        )


def _layer_arrays(w, b, where):
    """``(W, b)`` as float64 arrays, checked to be a matrix and a vector."""
    w = np.asarray(w)
    b = np.asarray(b)
    for what, a, ndim in (("weight", w, 2), ("bias", b, 1)):
        if a.ndim != ndim or not np.issubdtype(a.dtype, np.number) or np.iscomplexobj(a):
            raise ModelError(f"{where}: {what} must be a real {ndim}-D array, got {a.dtype} of shape {a.shape}")
    return np.ascontiguousarray(w, dtype=np.float64), np.ascontiguousarray(b, dtype=np.float64)


def _then(slopes, slope, n):
    """The negative-side slopes of an activation with ``slopes`` (``None``:
    none yet) followed by a (leaky) ReLU of slope ``slope``: for ``z < 0``
    the first gives ``p z``, which the second passes when ``p < 0`` (it is
    positive) and scales by ``slope`` otherwise."""
    if slopes is None:
        return np.full(n, slope)
    return np.where(slopes < 0, slopes, slopes * slope)


def _tensor(t):
    """A torch tensor (or anything with ``detach``) as a numpy array."""
    if hasattr(t, "detach"):
        t = t.detach().cpu().numpy()
    return np.asarray(t)


def _torch_layers(module, prefix):
    """The leaf layers of ``module`` in order, with their dotted names."""
    children = list(module.named_children()) if hasattr(module, "named_children") else None
    if children is None:
        children = [(str(i), c) for i, c in enumerate(module.children())]
    if not children:
        yield prefix or "0", module
        return
    for name, child in children:
        path = f"{prefix}.{name}" if prefix else name
        if type(child).__name__ == "Sequential":
            yield from _torch_layers(child, path)
        else:
            yield path, child
