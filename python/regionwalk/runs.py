"""The runs: count, regions, graph, sample and plot, each on a network and
a domain given by keyword: ``box=``, ``whole=True``, ``polytope=``,
``vnnlib=``, ``plane=`` or ``segment=`` (none for an NNet model: its input
box is the default)."""

import json
import os
import secrets
import tempfile

import numpy as np

from . import _native
from ._native import DomainError
from .graph import Graph
from .picture import Picture


def count(
    net,
    *,
    box=None,
    whole=False,
    polytope=None,
    vnnlib=None,
    plane=None,
    segment=None,
    window=None,
    certify=False,
    threads=None,
):
    """The number of activation regions of ``net`` on the domain.

    Domains: ``box`` an array ``[[lo, hi], ...]`` with one row per input
    (``lo == hi`` fixes the coordinate; a single ``[lo, hi]`` applies to
    every input), ``whole=True`` for all of R^d, ``polytope=(A, b)`` for
    ``A x <= b``, ``vnnlib`` a VNN-LIB file's input box, ``plane=(P0, P1,
    P2)`` the plane ``x = P0 + u (P1 - P0) + v (P2 - P0)`` through three
    input points, or ``segment=(P0, P1)`` the segment ``x = P0 + t (P1 -
    P0)``. A slice's ``window`` is ``[[ulo, uhi], [vlo, vhi]]`` for a plane
    or ``[lo, hi]`` for a segment (default: 0 to 1 on each); on a slice the
    regions are in its own coordinates ``(u, v)`` or ``t``.

    With ``certify=True`` every decision is proved in exact arithmetic, the
    proof is written to a temporary certificate and read back by the
    independent checker; the count returns only if the checker accepts it
    (else ``CertificateRejected``). ``threads`` sizes the walk's thread pool
    (default: one per core). The GIL is released during the walk; Ctrl-C
    raises ``KeyboardInterrupt`` at once and stops the walk.
    """
    domain = _domain(net, box, whole, polytope, vnnlib, plane, segment, window)
    return _native.count(net._native, domain, certify, threads)


def regions(
    net,
    *,
    box=None,
    whole=False,
    polytope=None,
    vnnlib=None,
    plane=None,
    segment=None,
    window=None,
    threads=None,
    facets=False,
    exact=False,
):
    """Iterates over the activation regions of ``net`` on the domain (see
    ``count`` for the domain keywords), in the walk's tree order, as
    ``Region`` objects: ``id``, ``pattern`` (a tuple of boolean arrays, one
    per hidden layer), ``witness`` and ``radius`` (the Chebyshev centre and
    radius), the inequalities ``G x < h`` with their ``sources``, and the
    map ``A x + c`` of the network on the region. On a plane or segment
    these are in the slice's coordinates, and ``input_witness``,
    ``input_A`` and ``input_c`` give the witness and map in input
    coordinates.

    ``facets=True`` also decides which rows of ``G`` are facets of the
    region (one float LP per row, not proved): ``Region.facets``, a
    boolean array.
    ``exact=True`` proves every decision in exact arithmetic, as a
    certified count does, and gives each region's ``exact_witness`` and
    ``exact_map`` as ``fractions.Fraction``s.

    The regions stream: the walk runs ahead of the loop by at most a few
    hundred regions, so a loop over millions holds none of the rest.
    Breaking out of the loop (or dropping the iterator) stops the walk.
    """
    domain = _domain(net, box, whole, polytope, vnnlib, plane, segment, window)
    return _native.regions(net._native, domain, threads, facets, exact)


def graph(
    net,
    *,
    box=None,
    whole=False,
    polytope=None,
    vnnlib=None,
    plane=None,
    segment=None,
    window=None,
    threads=None,
):
    """The region graph of ``net`` on the domain (see ``count`` for the
    domain keywords): one node per region, one edge per facet two regions
    share, and the linear regions (regions joined across facets where the
    map does not change). Returns a ``Graph``; ``.to_networkx()`` converts
    it when networkx is installed."""
    domain = _domain(net, box, whole, polytope, vnnlib, plane, segment, window)
    return Graph(_native.graph(net._native, domain, threads))


def sample(
    net,
    *,
    box=None,
    whole=False,
    polytope=None,
    vnnlib=None,
    plane=None,
    segment=None,
    window=None,
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
    domain = _domain(net, box, whole, polytope, vnnlib, plane, segment, window)
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


def plot(
    net,
    *,
    box=None,
    whole=False,
    polytope=None,
    vnnlib=None,
    plane=None,
    segment=None,
    window=None,
    color="pattern",
    class_rule="argmax",
    output_index=0,
    layer=1,
    boundary=False,
    hyperplanes=None,
    points=None,
    threads=None,
):
    """The picture of the regions of ``net`` on a domain with one or two
    free coordinates (see ``count`` for the domain keywords: a box with the
    other coordinates fixed, a ``plane=`` or a ``segment=``), drawn by the
    same code as ``regionwalk plot`` (docs/pictures.md). Returns a
    ``Picture``, which a notebook shows inline (``_repr_svg_``).

    ``color`` is what the fills show: ``"pattern"`` (one colour per region),
    ``"output"`` (output ``output_index``'s value at the witness),
    ``"class"`` (the class under ``class_rule``, ``"argmax"`` or
    ``"argmin"``), ``"layer"`` (the cells after ``layer`` hidden layers) or
    ``"linear"`` (the linear regions). ``boundary=True`` draws the decision
    boundary, ``hyperplanes=L`` the zero sets of hidden layer ``L``'s
    neurons (from 0), and ``points`` (an ``n × d`` array of input points)
    draws data projected onto the slice and counts the regions that hold it
    (2-D only).
    """
    domain = _domain(net, box, whole, polytope, vnnlib, plane, segment, window)
    if points is not None:
        points = np.asarray(points, dtype=np.float64)
        if points.ndim != 2:
            raise ValueError(f"points must be a 2-D array (n × d), got shape {points.shape}")
        points = np.ascontiguousarray(points)
    drawn = _native.plot(
        net._native,
        domain,
        color,
        class_rule,
        output_index,
        layer,
        bool(boundary),
        hyperplanes,
        points,
        threads,
    )
    return Picture(drawn["svg"], drawn["regions"], drawn.get("points"))


def _domain(net, box, whole, polytope, vnnlib, plane, segment, window):
    """The domain keywords as the native module takes them."""
    if plane is not None and segment is not None:
        raise DomainError("give at most one of box=, whole=True, polytope=, vnnlib=, plane= and segment=")
    points = plane if plane is not None else segment
    if points is not None:
        k = 2 if plane is not None else 1
        what = "plane" if k == 2 else "segment"
        points = np.asarray(points, dtype=np.float64)
        if points.ndim != 2 or points.shape[0] != k + 1:
            raise DomainError(
                f"{what} takes {k + 1} input points (a ({k + 1}, d) array), got shape {points.shape}"
            )
        points = np.ascontiguousarray(points)
    if window is not None:
        window = np.asarray(window, dtype=np.float64)
        if window.shape == (2,) and points is not None:
            window = np.tile(window, (points.shape[0] - 1, 1))
        if window.ndim != 2 or window.shape[1] != 2:
            raise DomainError(f"window has shape {window.shape}; expected (k, 2): one [lo, hi] row per slice coordinate")
        window = np.ascontiguousarray(window)
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
        "slice": points,
        "window": window,
    }
