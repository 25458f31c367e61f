"""Loading networks: files, weights, a duck-typed stand-in for a PyTorch
module (CI does not install torch: docs/python.md says why), a real
PyTorch module where torch is installed, and the errors bad input raises."""

import copy
import itertools
import json

import numpy as np
import pytest
import regionwalk as rw
from conftest import FIXTURE, ROOT, SQUARE, json_layers, key

TORCH = ROOT / "fixtures" / "torch"


class FakeTensor:
    """What from_torch uses of a torch tensor."""

    def __init__(self, a):
        self.a = a

    def detach(self):
        return self

    def cpu(self):
        return self

    def numpy(self):
        return self.a


class FakeModule:
    def __init__(self, *children):
        self._children = children

    def children(self):
        return iter(self._children)

    def named_children(self):
        return ((str(i), c) for i, c in enumerate(self._children))


class Sequential(FakeModule):
    pass


class Linear(FakeModule):
    def __init__(self, w, b):
        super().__init__()
        self.weight = FakeTensor(w)
        self.bias = None if b is None else FakeTensor(b)


class ReLU(FakeModule):
    pass


class Flatten(FakeModule):
    pass


class Dropout(FakeModule):
    pass


class LeakyReLU(FakeModule):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope


class Tanh(FakeModule):
    pass


def test_a_leaky_onnx_export_and_its_json_twin_give_the_same_regions():
    # LeakyReLU(0.1) exported by torch, and its weights written to JSON
    # with the onnx package (fixtures/torch/README.md).
    by_onnx = list(rw.regions(rw.Network.from_onnx(TORCH / "leaky2d.ts.onnx"), box=SQUARE))
    by_json = list(rw.regions(rw.Network.from_json(TORCH / "leaky2d.json"), box=SQUARE))
    assert [r.pattern_text for r in by_onnx] == [r.pattern_text for r in by_json]
    assert len(by_onnx) > 1


def test_onnx_export_and_its_json_twin_count_alike():
    # The same weights exported by torch to ONNX and written to JSON from
    # the state_dict (fixtures/torch/README.md).
    by_json = rw.count(rw.Network.from_json(TORCH / "mlp2d_16x16.json"), box=SQUARE)
    by_onnx = rw.count(rw.Network.from_onnx(TORCH / "mlp2d_16x16.ts.onnx"), box=SQUARE)
    assert by_json == by_onnx > 1


def test_from_torch_reads_float32_weights_exactly(tmp_path):
    rng = np.random.default_rng(3)
    w1, b1 = rng.standard_normal((6, 2)).astype(np.float32), rng.standard_normal(6).astype(np.float32)
    w2, b2 = rng.standard_normal((5, 6)).astype(np.float32), rng.standard_normal(5).astype(np.float32)
    w3 = rng.standard_normal((1, 5)).astype(np.float32)
    module = Sequential(
        Flatten(), Linear(w1, b1), ReLU(), Dropout(), Sequential(Linear(w2, b2), ReLU()), Linear(w3, None)
    )
    # The JSON twin: every float32 written as the decimal of its exact value.
    twin = tmp_path / "twin.json"
    layers = [(w1, b1), (w2, b2), (w3, np.zeros(1, np.float32))]
    twin.write_text(json.dumps({"layers": [{"weight": w.astype(float).tolist(), "bias": b.astype(float).tolist()} for w, b in layers]}))
    by_torch = list(rw.regions(rw.Network.from_torch(module), box=SQUARE))
    by_json = list(rw.regions(rw.Network.from_json(twin), box=SQUARE))
    assert [r.pattern_text for r in by_torch] == [r.pattern_text for r in by_json]
    assert len(by_torch) > 1


def test_from_torch_names_the_first_unsupported_layer():
    module = Sequential(Linear(np.eye(2), np.zeros(2)), Tanh(), Linear(np.ones((1, 2)), None))
    with pytest.raises(rw.ModelError, match=r"layer 1 \(Tanh\): not supported"):
        rw.Network.from_torch(module)


def leaky_forward(layers, slopes, x):
    """Pattern and output of an MLP whose hidden layer k has negative-side
    slopes ``slopes[k]`` (written here, apart from the package)."""
    pattern, h = [], np.asarray(x, dtype=float)
    for (w, b), a in zip(layers[:-1], slopes):
        z = w @ h + b
        pattern.append(z > 0)
        h = np.where(z > 0, z, a * z)
    w, b = layers[-1]
    return pattern, w @ h + b


def test_from_torch_reads_leaky_relu_and_composes_activations():
    rng = np.random.default_rng(8)
    w1, b1 = rng.standard_normal((7, 2)), rng.standard_normal(7)
    w2, b2 = rng.standard_normal((5, 7)), rng.standard_normal(5)
    w3 = rng.standard_normal((2, 5))
    # LeakyReLU(0.25) then ReLU: slope 0; LeakyReLU(-0.5) then
    # LeakyReLU(0.1): -0.5 (the first output is positive for z < 0).
    module = Sequential(
        Linear(w1, b1), LeakyReLU(0.25), Linear(w2, b2), LeakyReLU(-0.5), LeakyReLU(0.1), Linear(w3, None)
    )
    net = rw.Network.from_torch(module)
    layers, slopes = [(w1, b1), (w2, b2), (w3, np.zeros(2))], [0.25, -0.5]
    regions = list(rw.regions(net, box=SQUARE))
    assert len(regions) > 1
    # Every pattern a fine grid meets is a region (no region missed).
    g = np.linspace(-1, 1, 301)[1:-1]
    found = {key(r.pattern) for r in regions}
    for x in itertools.product(g, g):
        assert key(leaky_forward(layers, slopes, x)[0]) in found
    for r in regions:
        pattern, y = leaky_forward(layers, slopes, r.witness)
        assert key(r.pattern) == key(pattern)
        np.testing.assert_allclose(r.A @ r.witness + r.c, y, rtol=1e-9, atol=1e-12)
    # ReLU after a leaky ReLU is a ReLU.
    relu_after = Sequential(Linear(w1, b1), LeakyReLU(0.25), ReLU(), Linear(w2[:1], b2[:1]))
    r0 = next(iter(rw.regions(rw.Network.from_torch(relu_after), box=SQUARE)))
    _, y = leaky_forward([(w1, b1), (w2[:1], b2[:1])], [0.0], r0.witness)
    np.testing.assert_allclose(r0.A @ r0.witness + r0.c, y, rtol=1e-9, atol=1e-12)


def test_a_bad_model_file_raises_model_error_with_the_loader_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"layers": [{"weight": [[1, 2]], "bias": [0, 0]}]}')
    with pytest.raises(rw.ModelError, match="bad.json") as caught:
        rw.Network.from_json(bad)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(rw.ModelError, match="missing.onnx"):
        rw.Network.from_onnx(tmp_path / "missing.onnx")
    # An ONNX output that is not in the graph is named, as the CLI does.
    with pytest.raises(rw.ModelError, match="__no_such_value__"):
        rw.Network.from_onnx(TORCH / "mlp2d_12x3_softmax.ts.onnx", output="__no_such_value__")


def test_weights_that_do_not_chain_raise_model_error():
    with pytest.raises(rw.ModelError, match="layer 1"):
        rw.Network.from_weights([(np.ones((3, 2)), np.zeros(3)), (np.ones((1, 4)), np.zeros(1))])
    with pytest.raises(rw.ModelError, match="bias has 2 entries"):
        rw.Network.from_weights([(np.ones((3, 2)), np.zeros(2))])


def test_domain_errors_carry_the_library_message():
    net = rw.Network.from_json(FIXTURE)
    with pytest.raises(rw.DomainError, match="dimension 3 but the model takes 2"):
        rw.count(net, box=np.array([[-1, 1]] * 3))
    with pytest.raises(rw.DomainError, match="no domain given"):
        rw.count(net)
    with pytest.raises(rw.DomainError, match="at most one"):
        rw.count(net, box=SQUARE, whole=True)
    with pytest.raises(rw.DomainError, match="empty"):
        rw.count(net, box=np.array([[1.0, -1.0], [-1, 1]]))


def test_nnet_default_domain(tmp_path):
    # tests/cli_models.rs's tiny NNet: on its input box [0, 4] x [-1, 1]
    # the lines x = 1, y = 0 and x + y = 2 meet pairwise once inside, at
    # (2, 0) (the others on the boundary): 1 + 3 + 2 = 6 regions.
    path = tmp_path / "tiny.nnet"
    path.write_text(
        "// tiny test network\n2,2,1,3,\n2,3,1,\n0,\n0.0,-1.0,\n4.0,1.0,\n0.0,0.0,0.0,\n"
        "1.0,1.0,1.0,\n1.0,0.0,\n0.0,1.0,\n1.0,1.0,\n-1.0,\n0.0,\n-2.0,\n1.0,1.0,1.0,\n0.0,\n"
    )
    net = rw.Network.from_nnet(path)
    assert rw.count(net) == 6
    assert rw.count(net, box=np.array([[-10, 10], [-10, 10]])) == 6  # cut to its box


def test_layers_round_trip():
    layers = json_layers(FIXTURE)
    for (w, b), (w2, b2) in zip(layers, rw.Network.from_json(FIXTURE).layers()):
        np.testing.assert_array_equal(w, w2)
        np.testing.assert_array_equal(b, b2)


def test_a_real_torch_module_gives_the_regions_of_its_forward_pass():
    # Runs where PyTorch is installed (it is not in CI: see docs/python.md).
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    module = torch.nn.Sequential(
        torch.nn.Flatten(),
        torch.nn.Linear(2, 8),
        torch.nn.ReLU(),
        torch.nn.Dropout(0.5),
        torch.nn.Sequential(torch.nn.Linear(8, 6), torch.nn.ReLU()),
        torch.nn.Linear(6, 3),
    ).eval()
    net = rw.Network.from_torch(module)
    assert (net.input_dim, net.hidden_widths, net.output_dim) == (2, [8, 6], 3)
    linears = [m for m in module.modules() if isinstance(m, torch.nn.Linear)]
    regions = list(rw.regions(net, box=SQUARE))
    # The same weights by hand, as float64 numpy arrays: the same regions.
    twin = rw.Network.from_weights([(l.weight.detach().double().numpy(), l.bias.detach().double().numpy()) for l in linears])
    assert [r.pattern_text for r in regions] == [r.pattern_text for r in rw.regions(twin, box=SQUARE)]
    # torch's own forward pass, in float64 (float32 widens exactly).
    module64 = copy.deepcopy(module).double()
    linears64 = [m for m in module64.modules() if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for r in regions:
            x = torch.tensor(r.witness[None, :], dtype=torch.float64)
            y = module64(x)[0].numpy()
            h, pattern = x[0], []
            for l in linears64[:-1]:
                z = l(h)
                pattern.append((z > 0).numpy())
                h = torch.relu(z)
            assert key(r.pattern) == key(pattern)
            np.testing.assert_allclose(r.A @ r.witness + r.c, y, rtol=1e-9, atol=1e-12)
    bad = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1))
    with pytest.raises(rw.ModelError, match=r"layer 1 \(Tanh\): not supported"):
        rw.Network.from_torch(bad)
