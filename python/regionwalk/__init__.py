"""regionwalk: exact enumeration of the activation regions of ReLU networks.

A ReLU network cuts its input space into convex regions on each of which
every neuron's on/off state is fixed and the network is one affine map.
regionwalk finds every one of them, exactly, on a box, a polytope or the
whole space (docs/python.md).

>>> import numpy as np, regionwalk as rw
>>> net = rw.Network.from_weights([(np.array([[1.0], [-1.0]]), np.zeros(2)),
...                                (np.array([[1.0, 1.0]]), np.zeros(1))])
>>> rw.count(net, box=np.array([[-1.0, 1.0]]))    # |x| on (-1, 1)
2
"""

from ._native import (
    CertificateRejected,
    DomainError,
    ModelError,
    Region,
    WalkError,
)
from .graph import Graph
from .network import Network
from .picture import Picture
from .runs import count, graph, plot, regions, sample

__version__ = "0.1.0"

__all__ = [
    "CertificateRejected",
    "DomainError",
    "Graph",
    "ModelError",
    "Network",
    "Picture",
    "Region",
    "WalkError",
    "count",
    "graph",
    "plot",
    "regions",
    "sample",
]
