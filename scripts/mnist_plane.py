#!/usr/bin/env python3
"""Write the points of the MNIST pictures (docs/pictures.md) as CSV rows:
the centres of the input boxes of the two VNN-LIB properties of
../shared/data/mnistfc, and a third point, the first centre with its image
mirrored left to right (another digit-like image, off the line of the two).

Usage: python3 scripts/mnist_plane.py VNNLIB0 VNNLIB2 OUT_DIR
Writes OUT_DIR/mnist_plane.csv (3 rows) and OUT_DIR/mnist_segment.csv (2 rows).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
from vnnlib_box import box  # noqa: E402


def centre(path):
    return [(a + b) / 2 for a, b in box(path)]


def main():
    first, second, out = sys.argv[1:4]
    p0, p1 = centre(first), centre(second)
    mirrored = [p0[r * 28 + (27 - c)] for r in range(28) for c in range(28)]
    row = lambda p: ",".join(repr(v) for v in p)
    with open(os.path.join(out, "mnist_plane.csv"), "w") as f:
        f.write("\n".join(row(p) for p in (p0, p1, mirrored)) + "\n")
    with open(os.path.join(out, "mnist_segment.csv"), "w") as f:
        f.write("\n".join(row(p) for p in (p0, p1)) + "\n")


main()
