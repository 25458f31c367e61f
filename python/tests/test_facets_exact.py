"""Facets and exact witnesses of regions, checked by means written here:
polygons clipped in numpy for the facets, and a forward pass in exact
rational arithmetic (fractions) for the witnesses and maps."""

from fractions import Fraction

import numpy as np
import regionwalk as rw
from conftest import FIXTURE, json_layers

# A vertex lies on a row's line when within this distance: the polygons are
# clipped in float64 from rows of norm ~1 on [-1, 1]^2, so their vertices
# carry errors near 1e-15; the fixture's thinnest region is far wider.
ON_LINE = 1e-9


def polygon(g, h):
    """The polygon {x : g x <= h} (bounded by the domain's rows), by
    clipping a large square with one half-plane after another."""
    poly = [np.array(p, float) for p in ((-10, -10), (10, -10), (10, 10), (-10, 10))]
    for a, b in zip(g, h):
        out = []
        for p, q in zip(poly, poly[1:] + poly[:1]):
            fp, fq = a @ p - b, a @ q - b
            if fp <= 0:
                out.append(p)
            if (fp < 0 < fq) or (fq < 0 < fp):
                out.append(p + (q - p) * (fp / (fp - fq)))
        poly = out
    return poly


def test_facets_are_the_rows_that_carry_an_edge():
    regions = list(rw.regions(rw.Network.from_json(FIXTURE), box=[-1, 1], facets=True))
    assert len(regions) == 245  # the oracle's count (test_count.py)
    for r in regions:
        poly = polygon(r.G, r.h)
        for i, (a, b) in enumerate(zip(r.G, r.h)):
            on = [p for p in poly if abs(a @ p - b) <= ON_LINE * np.linalg.norm(a)]
            # A facet: its line holds an edge, two distinct vertices.
            edge = len(on) >= 2 and max(np.linalg.norm(p - on[0]) for p in on) > ON_LINE
            assert bool(r.facets[i]) == edge, (r.id, i)
    assert rw.regions(rw.Network.from_json(FIXTURE), box=[-1, 1]).__next__().facets is None


def exact_forward(layers, x):
    """Pre-activations of every hidden layer and the output at the exact
    point ``x``, with every float weight taken as its exact value."""
    h, pre = list(x), []
    for k, (w, b) in enumerate(layers):
        z = [sum((Fraction(float(wij)) * hj for wij, hj in zip(row, h)), Fraction(float(bi))) for row, bi in zip(w, b)]
        if k + 1 == len(layers):
            return pre, z
        pre.append(z)
        h = [max(v, Fraction(0)) for v in z]


def test_exact_witnesses_are_strictly_inside_in_rational_arithmetic():
    layers = json_layers(FIXTURE)
    regions = list(rw.regions(rw.Network.from_json(FIXTURE), box=[-1, 1], exact=True))
    assert len(regions) == 245
    for r in regions:
        x = r.exact_witness
        assert all(isinstance(v, Fraction) and -1 < v < 1 for v in x)
        pre, y = exact_forward(layers, x)
        for z, bits in zip(pre, r.pattern):
            # Strictly on its side: no pre-activation is zero.
            assert all((v > 0) == bool(on) and v != 0 for v, on in zip(z, bits)), r.id
        a, c = r.exact_map
        assert [sum((aij * xj for aij, xj in zip(row, x)), ci) for row, ci in zip(a, c)] == y
