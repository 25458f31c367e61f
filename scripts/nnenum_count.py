#!/usr/bin/env python3
"""Count the linear regions of a ReLU network in a box with nnenum, for a
side-by-side speed comparison with `regionwalk count` (scripts/bench-nnenum.sh).

nnenum is not part of this repository. Install it once, outside the repo:

    git clone https://github.com/stanleybak/nnenum
    python3 -m venv nnenum-venv
    nnenum-venv/bin/pip install ./nnenum     # numpy, scipy, swiglpk, onnx, onnxruntime, ...

then run this script with that venv's python, either with nnenum installed
in it or with `NNENUM_DIR` naming the clone (its `src/` is put on the path):

    NNENUM_DIR=path/to/nnenum nnenum-venv/bin/python scripts/nnenum_count.py \
        MODEL.onnx|MODEL.json (--vnnlib=FILE.vnnlib | --box=LO:HI[,LO:HI...])

It prints one JSON line: {"regions": N, "seconds": S, "lps": L}, where N is
the number of stars nnenum finished (its linear regions), S the wall time of
nnenum's `enumerate_network` (loading excluded) and L its LP count.

Settings (found in nnenum's `settings.py`, `enumerate.py` and the exact
settings of its `nnenum.py` front end):
- `BRANCH_MODE = BRANCH_EXACT`: split every ReLU whose pre-activation range
  in the star crosses zero; no overapproximation of any kind;
- no specification (`spec=None`): nothing is pruned, every star is
  enumerated to the output layer and counted in `Result.total_stars`;
  `TRY_QUICK_OVERAPPROX = False` (it needs a spec anyway);
- one process: `NUM_PROCESSES = 1` and `PARALLEL_ROOT_LP = False` (otherwise
  the LPs near the root run in a pool), BLAS single-threaded. nnenum still
  starts its `multiprocessing.Manager` server process for `Result`; it is
  idle during a one-process walk;
- no progress printing and no timers (`TIMING_STATS = False`), which would
  cost nnenum time that regionwalk does not spend.

Models: ONNX files go through nnenum's own loader (`load_onnx_network_optimized`,
falling back to `load_onnx_network`); regionwalk's JSON models
(docs/model-json.md) become nnenum `FullyConnectedLayer`s, each followed by a
`ReluLayer` when its activation is `relu` (hidden layers by default, the last
layer `identity` by default). The box is used in float64, as regionwalk reads it.
"""
import json
import os
import sys

# nnenum asserts that BLAS runs on one thread; set it before numpy loads.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

if os.environ.get("NNENUM_DIR"):
    sys.path.insert(0, os.path.join(os.environ["NNENUM_DIR"], "src"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))

import numpy as np  # noqa: E402

from vnnlib_box import box as vnnlib_box  # noqa: E402

try:
    from nnenum.enumerate import enumerate_network
    from nnenum.network import FullyConnectedLayer, NeuralNetwork, ReluLayer
    from nnenum.onnx_network import load_onnx_network, load_onnx_network_optimized
    from nnenum.settings import Settings
except ImportError as e:
    raise SystemExit(f"cannot import nnenum ({e}): install it or set NNENUM_DIR (see this script's header)")


def json_network(path):
    """A regionwalk JSON model as an nnenum network."""
    with open(path) as f:
        layers = json.load(f)["layers"]
    out, shape = [], None
    for k, layer in enumerate(layers):
        w = np.array(layer["weight"], dtype=float)
        b = np.array(layer["bias"], dtype=float)
        act = layer.get("activation", "identity" if k == len(layers) - 1 else "relu")
        if act not in ("relu", "identity"):
            raise SystemExit(f"{path}: layer {k}: unknown activation {act!r}")
        out.append(FullyConnectedLayer(len(out), w, b, shape))
        shape = out[-1].get_output_shape()
        if act == "relu":
            out.append(ReluLayer(len(out), shape))
    return NeuralNetwork(out), len(layers[0]["weight"][0])


def onnx_network(path):
    """An ONNX model through nnenum's own loaders."""
    try:
        net = load_onnx_network_optimized(path)
    except Exception:  # nnenum's fallback for layers the optimized loader lacks
        net = load_onnx_network(path)
    return net, net.get_num_inputs()


def parse_box(spec, n):
    """`LO:HI` for every input, or one `LO:HI` per input separated by commas."""
    pairs = [tuple(float(x) for x in p.split(":")) for p in spec.split(",")]
    if len(pairs) == 1:
        pairs *= n
    if len(pairs) != n or any(len(p) != 2 for p in pairs):
        raise SystemExit(f"--box={spec}: expected LO:HI or {n} of them")
    return pairs


def configure():
    Settings.NUM_PROCESSES = 1
    Settings.PARALLEL_ROOT_LP = False
    Settings.BRANCH_MODE = Settings.BRANCH_EXACT
    Settings.TRY_QUICK_OVERAPPROX = False
    Settings.TIMING_STATS = False
    Settings.PRINT_OUTPUT = False
    Settings.PRINT_PROGRESS = False
    Settings.RESULT_SAVE_STARS = False
    Settings.TIMEOUT = np.inf


def main(argv):
    if len(argv) != 3 or not argv[2].startswith(("--box=", "--vnnlib=")):
        raise SystemExit(__doc__)
    model, domain = argv[1], argv[2]
    net, n = onnx_network(model) if model.endswith(".onnx") else json_network(model)
    if domain.startswith("--vnnlib="):
        init_box = vnnlib_box(domain.split("=", 1)[1])
    else:
        init_box = parse_box(domain.split("=", 1)[1], n)
    if len(init_box) != n:
        raise SystemExit(f"{domain}: the box has {len(init_box)} inputs but {model} has {n}")
    configure()
    result = enumerate_network(np.array(init_box, dtype=np.float64), net, spec=None)
    if result.result_str not in ("none",):
        raise SystemExit(f"nnenum did not finish: {result.result_str}")
    print(json.dumps({"regions": result.total_stars, "seconds": result.total_secs, "lps": result.total_lps}))


if __name__ == "__main__":
    main(sys.argv)
