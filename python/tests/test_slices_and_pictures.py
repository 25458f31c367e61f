"""Planes and segments, and pictures, against independent values: the
exact oracle's count of the fixture, a numpy forward pass along a fine
grid, and the distinct patterns of data points computed in numpy."""

import re

import numpy as np
import pytest
import regionwalk as rw
from conftest import FIXTURE, json_layers, forward, key, patterns_at

# The exact oracle's count of the fixture on [-1, 1]^2 (see test_count.py).
ORACLE_FIXTURE_COUNT = 245

# The plane x = P0 + u (P1 - P0) + v (P2 - P0) over (u, v) in [0, 1]^2 is
# exactly the square [-1, 1]^2.
SQUARE_PLANE = np.array([[-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])


def test_a_plane_over_the_square_has_the_oracle_count():
    net = rw.Network.from_json(FIXTURE)
    assert rw.count(net, plane=SQUARE_PLANE) == ORACLE_FIXTURE_COUNT
    # The window [0, 1/2] x [0, 1] is the left half, [-1, 0] x [-1, 1].
    half = rw.count(net, plane=SQUARE_PLANE, window=[[0.0, 0.5], [0.0, 1.0]])
    assert half == rw.count(net, box=np.array([[-1.0, 0.0], [-1.0, 1.0]]))


def test_plane_regions_in_slice_and_input_coordinates():
    layers = json_layers(FIXTURE)
    p0, u, v = SQUARE_PLANE[0], SQUARE_PLANE[1] - SQUARE_PLANE[0], SQUARE_PLANE[2] - SQUARE_PLANE[0]
    basis = np.column_stack([u, v])
    regions = list(rw.regions(rw.Network.from_json(FIXTURE), plane=SQUARE_PLANE))
    assert len(regions) == ORACLE_FIXTURE_COUNT
    for r in regions:
        x = p0 + basis @ r.witness
        np.testing.assert_allclose(r.input_witness, x, rtol=0, atol=1e-12)
        pattern, y = forward(layers, x)
        assert key(r.pattern) == key(pattern)
        np.testing.assert_allclose(r.input_A @ x + r.input_c, y, rtol=1e-9, atol=1e-12)
        # On the plane the map is the input map composed with the slice.
        np.testing.assert_allclose(r.A, r.input_A @ basis, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(r.A @ r.witness + r.c, y, rtol=1e-9, atol=1e-12)


def test_a_segment_has_the_kinks_a_grid_sees():
    # On the segment from (-1, 0.3) to (1, 0.3) the regions are the
    # intervals between kinks: a fine grid meets each (each is longer than a
    # grid step: checked), so the count is the pattern changes plus one.
    ts = np.linspace(0, 1, 200001)[1:-1]
    xs = np.column_stack([-1 + 2 * ts, np.full_like(ts, 0.3)])
    bits = patterns_at(json_layers(FIXTURE), xs)
    changes = int(np.any(bits[1:] != bits[:-1], axis=1).sum())
    got = list(rw.regions(rw.Network.from_json(FIXTURE), segment=[[-1.0, 0.3], [1.0, 0.3]]))
    assert len(got) == changes + 1
    assert 2 * min(r.radius for r in got) > ts[1] - ts[0]


def test_slice_errors_carry_the_library_message():
    net = rw.Network.from_json(FIXTURE)
    with pytest.raises(rw.DomainError, match="not affinely independent"):
        rw.count(net, plane=[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    with pytest.raises(rw.DomainError, match="segment takes 2 input points"):
        rw.count(net, segment=SQUARE_PLANE)
    with pytest.raises(rw.DomainError, match="at most one"):
        rw.count(net, box=[-1, 1], plane=SQUARE_PLANE)
    with pytest.raises(rw.DomainError, match="window"):
        rw.count(net, box=[-1, 1], window=[0, 1])


def test_the_picture_draws_every_region_once():
    net = rw.Network.from_json(FIXTURE)
    picture = rw.plot(net, box=[-1, 1])
    assert picture.regions == ORACLE_FIXTURE_COUNT
    svg = picture._repr_svg_()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    ids = sorted(int(i) for i in re.findall(r'<polygon data-region="(\d+)"', svg))
    assert ids == list(range(ORACLE_FIXTURE_COUNT))
    assert picture.png().startswith(b"\x89PNG\r\n\x1a\n")
    # A segment is drawn too (1-D: one interval per region).
    assert rw.plot(net, segment=[[-1.0, 0.3], [1.0, 0.3]]).regions > 1


def test_the_picture_counts_the_regions_that_hold_data(tmp_path):
    layers = json_layers(FIXTURE)
    points = np.random.default_rng(11).uniform(-1.2, 1.2, (300, 2))
    picture = rw.plot(rw.Network.from_json(FIXTURE), box=[-1, 1], color="class", boundary=True, points=points)
    inside = points[np.all(np.abs(points) <= 1, axis=1)]
    assert picture.points["inside"] == len(inside)
    assert picture.points["outside"] == len(points) - len(inside)
    # The regions holding a point: its distinct patterns (numpy forward pass).
    assert len(picture.points["regions"]) == len(np.unique(patterns_at(layers, inside), axis=0))
    path = tmp_path / "moons.svg"
    picture.save(path)
    assert path.read_text() == picture.svg
    with pytest.raises(ValueError, match="must end in .svg or .png"):
        picture.save(tmp_path / "moons.jpg")


def test_picture_errors():
    net = rw.Network.from_json(FIXTURE)
    with pytest.raises(ValueError, match="color"):
        rw.plot(net, box=[-1, 1], color="rainbow")
    with pytest.raises(ValueError, match="output_index=3: the model has 1 outputs"):
        rw.plot(net, box=[-1, 1], color="output", output_index=3)
    with pytest.raises(rw.DomainError, match="two free coordinates"):
        rw.plot(rw.Network.from_weights([(np.eye(3), np.zeros(3)), (np.ones((1, 3)), np.zeros(1))]), box=[-1, 1])
