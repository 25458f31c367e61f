"""Counts against independent values: Zaslavsky's formula for one layer in
general position, hand counts, and the exact oracle's count of the bundled
fixture."""

from math import comb

import numpy as np
import pytest
import regionwalk as rw
from conftest import FIXTURE, SQUARE, json_layers, patterns_at


def random_layer(rng, n, d):
    """One random hidden layer of ``n`` neurons on ``d`` inputs and a 1-output
    head: generic (in general position) with probability one."""
    return rw.Network.from_weights([(rng.standard_normal((n, d)), rng.standard_normal(n)), (rng.standard_normal((1, n)), np.zeros(1))])


@pytest.mark.parametrize("n,d", [(7, 2), (9, 2), (6, 3)])
def test_one_layer_on_the_whole_space_meets_zaslavsky(n, d):
    # Zaslavsky: n hyperplanes in general position cut R^d into
    # sum_{i=0..d} C(n, i) regions (1 + n + C(n, 2) in the plane).
    net = random_layer(np.random.default_rng(n * 10 + d), n, d)
    assert rw.count(net, whole=True) == sum(comb(n, i) for i in range(d + 1))


def test_absolute_value_has_two_regions():
    # |x| = ReLU(x) + ReLU(-x): the kink at 0 splits the line in two.
    net = rw.Network.from_weights([(np.array([[1.0], [-1.0]]), np.zeros(2)), (np.array([[1.0, 1.0]]), np.zeros(1))])
    assert rw.count(net, box=np.array([[-1.0, 1.0]])) == 2
    assert rw.count(net, whole=True) == 2
    # Fixing the only coordinate leaves one point, hence no interior.
    with pytest.raises(rw.DomainError):
        rw.count(net, box=np.array([[0.5, 0.5]]))


# 245 is the exact oracle's count of the fixture on [-1, 1]^2: rational
# polygon clipping in tests/common/oracle.rs, asserted against the CLI in
# tests/cli.rs (count_json_has_the_documented_fields_and_the_oracle_count)
# and quoted by the README.
ORACLE_FIXTURE_COUNT = 245


def test_fixture_count_matches_the_oracle():
    net = rw.Network.from_json(FIXTURE)
    assert rw.count(net, box=SQUARE) == ORACLE_FIXTURE_COUNT
    assert rw.count(net, box=[-1, 1]) == ORACLE_FIXTURE_COUNT  # one interval for every input
    assert rw.count(net, box=SQUARE, threads=1) == ORACLE_FIXTURE_COUNT


def test_certified_count_of_the_fixture():
    # Returns only after the independent checker accepted the certificate.
    net = rw.Network.from_json(FIXTURE)
    assert rw.count(net, box=SQUARE, certify=True) == ORACLE_FIXTURE_COUNT


def test_other_domains_of_the_same_square(tmp_path):
    net = rw.Network.from_json(FIXTURE)
    a = np.array([[1.0, 0], [-1, 0], [0, 1], [0, -1]])
    assert rw.count(net, polytope=(a, np.ones(4))) == ORACLE_FIXTURE_COUNT
    prop = tmp_path / "square.vnnlib"
    prop.write_text(
        "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
        "(assert (>= X_0 -1.0))\n(assert (<= X_0 1.0))\n"
        "(assert (>= X_1 -1.0))\n(assert (<= X_1 1.0))\n"
    )
    assert rw.count(net, vnnlib=prop) == ORACLE_FIXTURE_COUNT


def test_a_fixed_coordinate_slices_the_network():
    # On the line y = 0.3 the regions are the intervals between the kinks
    # of the network's restriction: a fine grid of x meets each of them
    # (each is longer than a grid step, twice its radius: checked), and consecutive ones
    # differ in pattern, so the count is the pattern changes along the grid
    # plus one. The patterns come from a numpy forward pass.
    xs = np.linspace(-1, 1, 200001)[1:-1]
    bits = patterns_at(json_layers(FIXTURE), np.column_stack([xs, np.full_like(xs, 0.3)]))
    changes = int(np.any(bits[1:] != bits[:-1], axis=1).sum())
    net = rw.Network.from_json(FIXTURE)
    got = list(rw.regions(net, box=np.array([[-1.0, 1.0], [0.3, 0.3]])))
    assert len(got) == changes + 1
    assert 2 * min(r.radius for r in got) > xs[1] - xs[0]
