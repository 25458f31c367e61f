"""The region graph as Python data."""


class Graph:
    """The region graph: ``nodes`` (one dict per region: ``id``,
    ``pattern``, ``pattern_text``, ``witness``, ``radius``, ``A``, ``c``,
    ``domain_facets``, ``linear_region``), ``edges`` (``(u, v, data)`` with
    ``u < v``, one per shared facet; ``data`` has ``neurons`` (the
    ``(layer, index)`` pairs that flip), the facet's hyperplane ``a·x = b``
    with ``u`` on the ``<`` side, a ``point`` inside the facet, and
    ``same_map``), and ``linear_regions``, the number of linear regions."""

    def __init__(self, data):
        self.nodes = data["nodes"]
        self.edges = data["edges"]
        self.linear_regions = data["linear_regions"]

    def to_networkx(self):
        """The graph as a ``networkx.Graph`` with the same node and edge
        attributes (node keys are region ids). Needs networkx."""
        try:
            import networkx as nx
        except ImportError:
            raise ImportError("Graph.to_networkx needs networkx: pip install networkx") from None
        g = nx.Graph()
        for node in self.nodes:
            g.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
        for u, v, data in self.edges:
            g.add_edge(u, v, **data)
        return g

    def __len__(self):
        return len(self.nodes)

    def __repr__(self):
        return (
            f"Graph({len(self.nodes)} regions, {len(self.edges)} shared facets, "
            f"{self.linear_regions} linear regions)"
        )
