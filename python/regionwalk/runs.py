"""The runs: count, regions, graph and sample, each on a network and a
domain given by keyword: ``box=``, ``whole=True``, ``polytope=`` or
``vnnlib=`` (none for an NNet model: its input box is the default)."""

import json
import os
import secrets
import tempfile

import numpy as np

from . import _native
from ._native import DomainError
from .graph import Graph


def count(net, *, box=None, whole=False, polytope=None, vnnlib=None, certify=False, threads=None):
    """The number of activation regions of ``net`` on the domain.

    Domains: ``box`` an array ``[[lo, hi], ...]`` with one row per input
    (``lo == hi`` fixes the coordinate; a single ``[lo, hi]`` applies to
    every input), ``whole=True`` for all of R^d, ``polytope=(A, b)`` for
    ``A x <= b``, or ``vnnlib`` a VNN-LIB file's input box.

    With ``certify=True`` every decision is proved in exact arithmetic, the
    proof is written to a temporary certificate and read back by the
    independent checker; the count returns only if the checker accepts it
    (else ``CertificateRejected``). ``threads`` sizes the walk's thread pool
    (default: one per core). The GIL is released during the walk, and
    Ctrl-C interrupts it.
    """
    return _native.count(
        net._native, _domain(net, box, whole, polytope, vnnlib), certify, threads
    )


def regions(net, *, box=None, whole=False, polytope=None, vnnlib=None, threads=None):
    """Iterates over the activation regions of ``net`` on the domain (see
    ``count`` for the domain keywords), in the walk's tree order, as
    ``Region`` objects: ``id``, ``pattern`` (a tuple of boolean arrays, one
    per hidden layer), ``witness`` and ``radius`` (the Chebyshev centre and
    radius), the inequalities ``G x < h`` with their ``sources``, and the
    map ``A x + c`` of the network on the region.

    The regions stream: the walk runs ahead of the loop by at most a few
    hundred regions, so a loop over millions holds none of the rest.
    Breaking out of the loop (or dropping the iterator) stops the walk.
    """
    return _native.regions(net._native, _domain(net, box, whole, polytope, vnnlib), threads)


def graph(net, *, box=None, whole=False, polytope=None, vnnlib=None, threads=None):
    """The region graph of ``net`` on the domain (see ``count`` for the
    domain keywords): one node per region, one edge per facet two regions
    share, and the linear regions (regions joined across facets where the
    map does not change). Returns a ``Graph``; ``.to_networkx()`` converts
    it when networkx is installed."""
    return Graph(
        _native.graph(net._native, _domain(net, box, whole, polytope, vnnlib), threads)
    )


def sample(
    net,
    *,
    box=None,
    whole=False,
    polytope=None,
    vnnlib=None,
    points=None,
    samples=None,
    seed=None,
    exact=False,
    against=None,
):
    """Samples the domain and reports the distinct activation patterns the
    points fall in, as the CLI's ``sample --json`` report (docs/sampling.md)
    in a dict.

    Give ``points`` (an ``n × d`` array) or ``samples`` (that many points
    drawn uniformly in the domain with ``seed``, drawn at random and
    reported when not given). ``exact=True`` also enumerates the exact
    regions and compares; ``against`` compares with a region file written
    by ``regionwalk enumerate``.
    """
    domain = _domain(net, box, whole, polytope, vnnlib)
    if seed is None:
        seed = secrets.randbits(63)
    against = None if against is None else os.fspath(against)
    if points is None:
        text = _native.sample(net._native, domain, seed, None, samples, exact, against)
        return json.loads(text)
    if samples is not None:
        raise ValueError("give exactly one of points= and samples=")
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2:
        raise ValueError(f"points must be a 2-D array (n × d), got shape {points.shape}")
    with tempfile.TemporaryDirectory(prefix="regionwalk-") as tmp:
        path = os.path.join(tmp, "points.npy")
        np.save(path, np.ascontiguousarray(points))
        report = json.loads(_native.sample(net._native, domain, seed, path, None, exact, against))
    source = report.get("source", {})
    if source.get("kind") == "file":
        source["kind"] = "array"
        source.pop("path", None)
        source.pop("format", None)
    return report


def _domain(net, box, whole, polytope, vnnlib):
    """The domain keywords as the native module takes them."""
    if box is not None:
        box = np.asarray(box, dtype=np.float64)
        if box.shape == (2,):
            box = np.tile(box, (net.input_dim, 1))
        if box.ndim != 2 or box.shape[1] != 2:
            raise DomainError(f"box has shape {box.shape}; expected (d, 2): one [lo, hi] row per input")
        box = np.ascontiguousarray(box)
    if polytope is not None:
        try:
            a, b = polytope
        except (TypeError, ValueError):
            raise DomainError("polytope must be a pair (A, b) meaning A x <= b") from None
        a = np.ascontiguousarray(a, dtype=np.float64)
        b = np.ascontiguousarray(b, dtype=np.float64)
        if a.ndim != 2 or b.ndim != 1:
            raise DomainError(f"polytope: A must be 2-D and b 1-D, got shapes {a.shape} and {b.shape}")
        if a.shape[1] != net.input_dim:
            raise DomainError(
                f"the domain has dimension {a.shape[1]} but the model takes {net.input_dim} inputs"
            )
        polytope = (a, b)
    return {
        "box": box,
        "whole": bool(whole),
        "polytope": polytope,
        "vnnlib": None if vnnlib is None else os.fspath(vnnlib),
    }
