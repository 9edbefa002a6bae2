"""Shared look of the site's diagrams (a helper module: editing it re-renders its importers).

Colours are chosen to read on Material's light *and* dark palettes: text is drawn in the page's
text colour by the renderer, boxes are translucent tints with a coloured border, edges a mid grey.
"""

from __future__ import annotations

from diagrams import Edge, Node

# Splines (not the library's default "ortho") so that Graphviz can place edge labels beside
# the edges instead of under them.
GRAPH = {
    "pad": "0.25",
    "splines": "spline",
    "nodesep": "0.35",
    "ranksep": "0.5",
    "fontsize": "14",
    "labelloc": "t",
}
NODE = {"fontsize": "14"}
EDGE = {"fontsize": "14", "color": "#7b8894", "penwidth": "1.4"}

BLUE = "#326ce5"  # the Kubernetes blue
GREEN = "#2e9e6b"
ORANGE = "#e07b00"
GREY = "#7b8894"
RED = "#d0453a"


def box(label: str, color: str = BLUE, *, url: str | None = None, width: str = "1.6") -> Node:
    """A component without an icon: a rounded, lightly tinted box."""
    attrs = {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": color + "26",  # ~15 % alpha: a tint on white, a glow on slate
        "color": color,
        "penwidth": "1.5",
        "fixedsize": "false",
        "labelloc": "c",
        "width": width,
        "height": "0.6",
        "margin": "0.15,0.08",
    }
    if url:
        attrs["URL"] = url
    return Node(label, **attrs)


def flow(label: str = "", color: str = GREY, *, dashed: bool = False) -> Edge:
    """An edge with an optional label; dashed for watch/observe relations.

    The label gets a blank last line: in a left-to-right diagram Graphviz sets the label right
    on top of its edge, and the blank line lifts the text clear of the line.
    """
    return Edge(label=f"{label}\n " if label else "", color=color,
                style="dashed" if dashed else "")


def cluster_attr(color: str = BLUE, *, label_below: bool = False) -> dict[str, str]:
    """Graph attributes for a Cluster: translucent fill, coloured border, room inside.

    ``label_below`` moves the cluster's title to its bottom edge, away from edges that enter
    the cluster from above.
    """
    return {
        "labelloc": "b" if label_below else "t",
        "bgcolor": color + "14",
        "pencolor": color,
        "penwidth": "1.3",
        "fontsize": "14",
        "margin": "12",
        "style": "rounded",
        "labeljust": "l",
    }
