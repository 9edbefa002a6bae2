"""Shared look of the sample diagrams."""

GRAPH = {"pad": "0.3", "splines": "spline", "nodesep": "0.5"}
