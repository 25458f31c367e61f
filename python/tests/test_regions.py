"""Regions checked against a numpy forward pass written in conftest.py:
patterns and maps at the witnesses, and a grid that every region must
account for."""

import itertools
import time

import numpy as np
import regionwalk as rw
from conftest import FIXTURE, SQUARE, forward, json_layers, key, patterns_at, random_net


def test_every_region_agrees_with_a_forward_pass_at_its_witness():
    layers = json_layers(FIXTURE)
    regions = list(rw.regions(rw.Network.from_json(FIXTURE), box=SQUARE))
    assert [r.id for r in regions] == list(range(len(regions)))
    for r in regions:
        pattern, y = forward(layers, r.witness)
        assert key(r.pattern) == key(pattern)
        np.testing.assert_allclose(r.A @ r.witness + r.c, y, rtol=1e-9, atol=1e-12)
        # The witness lies strictly inside the inequalities, by its radius.
        norms = np.linalg.norm(r.G, axis=1)
        assert np.all(r.G @ r.witness < r.h - 0.5 * r.radius * norms)
        g, h = r.inequalities
        assert g is r.G and h is r.h
        assert len(r.sources) == len(r.h)
    # Distinct patterns: no region is listed twice.
    assert len({key(r.pattern) for r in regions}) == len(regions)


def test_a_grid_finds_no_pattern_the_walk_missed():
    layers = json_layers(FIXTURE)
    found = {key(r.pattern) for r in rw.regions(rw.Network.from_json(FIXTURE), box=SQUARE)}
    g = np.linspace(-1, 1, 401)[1:-1]
    widths = [len(b) for _, b in layers[:-1]]
    for row in np.unique(patterns_at(layers, np.array(list(itertools.product(g, g)))), axis=0):
        assert key(np.split(row, np.cumsum(widths)[:-1])) in found


# The bound of the regions channel in python/src/regions.rs.
CHANNEL_REGIONS = 256


def test_regions_stream():
    # The first layer alone cuts the plane into 1 + 40 + C(40, 2) = 821
    # regions (Zaslavsky), each holding at least one region of the whole
    # network. Taking 5 must leave the walk blocked on the bounded channel
    # after at most 5 + 256 (+1 being handed over) regions.
    it = rw.regions(random_net([40, 40], seed=5), whole=True)
    first = list(itertools.islice(it, 5))
    assert [r.id for r in first] == [0, 1, 2, 3, 4]
    time.sleep(0.5)  # let the walk run ahead as far as it can
    assert 5 <= it.produced <= 5 + CHANNEL_REGIONS + 1 < 1 + 40 + 780
    it.close()
    assert next(it, None) is None


def test_from_weights_and_from_json_give_the_same_regions():
    by_json = list(rw.regions(rw.Network.from_json(FIXTURE), box=SQUARE))
    by_weights = list(rw.regions(rw.Network.from_weights(json_layers(FIXTURE)), box=SQUARE))
    assert [r.pattern_text for r in by_json] == [r.pattern_text for r in by_weights]
    for a, b in zip(by_json, by_weights):
        np.testing.assert_array_equal(a.A, b.A)
        np.testing.assert_array_equal(a.witness, b.witness)
