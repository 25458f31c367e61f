#!/usr/bin/env bash
# Makes the pictures of docs/pictures.md (small PNGs in docs/pictures/) and
# prints each one's region count for the captions. Run from anywhere, with
# ../shared/data beside the repo (the MNIST and ACAS Xu networks).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
rw=target/release/regionwalk
out=docs/pictures
data=../shared/data
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The bundled 2-D fixture, one colour per activation pattern.
$rw plot fixtures/net2d_16x16.json --box=-1:1 -o "$out/fixture-pattern.png"

# Two moons: the script trains the network (seeded; it rewrites
# fixtures/two_moons.json and .csv), coloured by class, with the data and the
# decision boundary.
python3 fixtures/two_moons.py
$rw plot fixtures/two_moons.json --box=-1.5:2.5,-1:1.5 --color class --boundary \
    --points fixtures/two_moons.csv -o "$out/two-moons.png"

# MNIST: the plane through the centres of the two VNN-LIB boxes and the
# first centre mirrored left to right, coloured by the predicted digit; and
# the segment between the two centres.
python3 scripts/mnist_plane.py "$data/mnistfc/prop_0_0.03.vnnlib" \
    "$data/mnistfc/prop_2_0.03.vnnlib" "$tmp"
mnist="$data/mnistfc/mnist-net_256x2.onnx"
$rw plot "$mnist" --plane "$tmp/mnist_plane.csv" --color class -o "$out/mnist-plane.png"
$rw plot "$mnist" --segment "$tmp/mnist_segment.csv" -o "$out/mnist-segment.png"

# ACAS Xu network 1-1 on the prop-3 box with rho, theta and psi fixed at
# their centres (v_own and v_int free), coloured by advisory: the smallest
# output.
box=$(python3 fixtures/vnnlib_box.py "$data/acasxu/prop_3.vnnlib" | python3 -c '
import sys
spec = sys.stdin.read().strip().split("=", 1)[1].split(",")
parts = []
for i, s in enumerate(spec):
    lo, hi = map(float, s.split(":"))
    parts.append(f"{(lo + hi) / 2!r}:{(lo + hi) / 2!r}" if i < 3 else s)
print(",".join(parts))')
$rw plot "$data/acasxu/ACASXU_run2a_1_1_batch_2000.onnx" --box="$box" \
    --color class --class-rule argmin -o "$out/acasxu-prop3.png"
