"""Bench: a Python loop over `regions()` against the CLI's `enumerate` on
the same model and domain (issue 14 asks for at most 1.5x). From the
repository root, with the package installed and a release binary built:

    python python/bench/regions_loop.py MODEL VNNLIB [BINARY]

for example ACAS Xu N1,1 on its property-4 box (19,143 regions):

    python python/bench/regions_loop.py \\
        ../shared/data/acasxu/ACASXU_run2a_1_1_batch_2000.onnx \\
        ../shared/data/acasxu/prop_4.vnnlib

Prints the wall time of each and their ratio.
"""

import os
import subprocess
import sys
import tempfile
import time

import regionwalk as rw


def main():
    model, vnnlib = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else "target/release/regionwalk"
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        out = os.path.join(tmp, "regions.jsonl")
        subprocess.run([binary, "enumerate", model, "--vnnlib", vnnlib, "-o", out], check=True)
        cli = time.perf_counter() - start
    net = rw.Network.from_onnx(model) if model.endswith(".onnx") else rw.Network.load(model)
    start = time.perf_counter()
    n = sum(1 for _ in rw.regions(net, vnnlib=vnnlib))
    loop = time.perf_counter() - start
    print(f"{n} regions: CLI enumerate {cli:.2f} s, Python loop over regions() {loop:.2f} s, ratio {loop / cli:.2f}")


if __name__ == "__main__":
    main()
