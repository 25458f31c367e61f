"""A picture of the regions, as ``plot`` returns it."""

import os

from . import _native


class Picture:
    """The picture ``plot`` drew: ``svg`` (the SVG text), ``regions`` (how
    many regions it shows) and, when data points were drawn, ``points``, a
    dict with ``regions`` (the ids of the regions that hold a point),
    ``inside`` (points drawn) and ``outside`` (points off the window).
    A notebook shows it inline; ``save`` writes it as SVG or PNG."""

    def __init__(self, svg, regions, points=None):
        self.svg = svg
        self.regions = regions
        self.points = points

    def _repr_svg_(self):
        """The SVG, for Jupyter's inline display."""
        return self.svg

    def png(self):
        """The picture rendered to PNG bytes (as ``regionwalk plot -o
        FILE.png`` renders it)."""
        return _native.svg_to_png(self.svg)

    def save(self, path):
        """Writes the picture to ``path``: PNG if it ends in ``.png``, SVG if
        in ``.svg``."""
        ext = os.path.splitext(os.fspath(path))[1].lower()
        if ext == ".png":
            data = self.png()
        elif ext == ".svg":
            data = self.svg.encode()
        else:
            raise ValueError(f"{os.fspath(path)}: the picture's name must end in .svg or .png")
        with open(path, "wb") as f:
            f.write(data)

    def __repr__(self):
        held = ""
        if self.points is not None:
            held = f", {len(self.points['regions'])} of them hold data"
        return f"Picture({self.regions} regions{held})"
