"""The region graph against a formula and the patterns, and the sample
report against a numpy count of distinct patterns."""

import networkx as nx
import numpy as np
import regionwalk as rw
from conftest import FIXTURE, SQUARE, forward, json_layers, key, patterns_at


def test_one_layer_graph_has_n_squared_edges():
    # n lines in general position in the plane: each is cut into n pieces
    # by the n - 1 others, and each piece is one shared facet: n^2 edges,
    # 1 + n + C(n, 2) nodes.
    n = 6
    rng = np.random.default_rng(1)
    net = rw.Network.from_weights([(rng.standard_normal((n, 2)), rng.standard_normal(n)), (rng.standard_normal((1, n)), np.zeros(1))])
    g = rw.graph(net, whole=True)
    assert len(g.nodes) == 1 + n + n * (n - 1) // 2
    assert len(g.edges) == n * n


def test_fixture_graph_edges_flip_the_neurons_they_name():
    layers = json_layers(FIXTURE)
    net = rw.Network.from_json(FIXTURE)
    g = rw.graph(net, box=SQUARE)
    assert len(g.nodes) == rw.count(net, box=SQUARE)
    for u, v, data in g.edges:
        pu, pv = g.nodes[u]["pattern"], g.nodes[v]["pattern"]
        flipped = [(l, i) for l in range(len(pu)) for i in range(len(pu[l])) if pu[l][i] != pv[l][i]]
        assert flipped == [tuple(n) for n in data["neurons"]]
        # The facet's point is on the hyperplane, between the witnesses' sides.
        assert abs(data["a"] @ data["point"] - data["b"]) < 1e-9
        assert data["a"] @ g.nodes[u]["witness"] < data["b"] < data["a"] @ g.nodes[v]["witness"]
        assert data["same_map"] == bool(np.allclose(g.nodes[u]["A"], g.nodes[v]["A"], rtol=0, atol=1e-12))
    nxg = g.to_networkx()
    assert nxg.number_of_nodes() == len(g.nodes) and nxg.number_of_edges() == len(g.edges)
    assert nx.is_connected(nxg)
    assert len({n["linear_region"] for n in g.nodes}) == g.linear_regions


def test_sample_report_counts_the_distinct_patterns_of_the_points():
    layers = json_layers(FIXTURE)
    points = np.random.default_rng(7).uniform(-1, 1, (2000, 2))
    report = rw.sample(rw.Network.from_json(FIXTURE), box=SQUARE, points=points)
    assert report["source"]["kind"] == "array"
    assert report["points"] == 2000
    assert report["distinct_patterns"] == len(np.unique(patterns_at(layers, points), axis=0))
    uniform = rw.sample(rw.Network.from_json(FIXTURE), box=SQUARE, samples=500, seed=4, exact=True)
    assert uniform["seed"] == 4 and uniform["points"] == 500
    assert uniform["regions"] == 245  # the oracle's count (test_count.py)
    _ = forward, key
