"""An allowlist for the SVG a render job returns: what Graphviz emits, nothing active.

Runs in the build process on every reply and every cache entry, before anything is cached or
embedded: the job (user code) is not trusted to have produced what ``svg.postprocess`` makes.

Why not nh3 or bleach (both on PyPI, both kept): they are HTML sanitisers. Tried on Graphviz's
SVG (nh3 0.3.7, bleach 6.4.0) both drop ``xmlns`` and every namespaced attribute
(``xlink:href``), serialise as HTML (``<polygon></polygon>``, unusable in a standalone .svg),
and check URLs only by scheme: they cannot say "``href`` on ``<use>`` only to an icon of this
diagram" or "``url(...)`` only to ``#local`` ids". The body is small and regular, so a strict
ElementTree walk (expat, no DTD or entity allowed) is both shorter and stricter.

Refuses, never repairs: an element or attribute not listed makes the diagram fail with a
message naming it (fail closed; nothing is dropped silently).
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from typing import Any

from execdocs.diagrams import links as linkmod

SVG_NS = "http://www.w3.org/2000/svg"

# Elements Graphviz's SVG renderer writes (plugin/core/gvrender_core_svg.c), after
# ``svg.postprocess`` (``image`` -> ``use``, titles removed).
ELEMENTS = frozenset({
    "g", "a", "text", "tspan", "polygon", "polyline", "path", "ellipse", "circle", "rect",
    "line", "use", "defs", "linearGradient", "radialGradient", "stop", "title",
})
_QNAMES = frozenset(f"{{{SVG_NS}}}{tag}" for tag in ELEMENTS)
# Presentation and geometry attributes Graphviz writes; nothing with script or a URL in it.
ATTRIBUTES = frozenset({
    "id", "class", "transform", "fill", "fill-opacity", "stroke", "stroke-width",
    "stroke-dasharray", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "opacity",
    "font-size", "font-weight", "font-style", "font-stretch", "text-anchor",
    "text-decoration", "baseline-shift", "dominant-baseline", "x", "y", "dx", "dy",
    "width", "height", "points", "d", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2",
    "fx", "fy", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "viewBox", "preserveAspectRatio", "aria-label",
})
# Graphviz writes ``style="stop-color:...;stop-opacity:...;"`` on gradient stops: plain
# declarations of these properties, values without parentheses, quotes or escapes.
STYLE_PROPERTIES = frozenset({"stop-color", "stop-opacity", "fill", "fill-opacity", "stroke",
                              "stroke-opacity", "stroke-width", "opacity"})
_STYLE_VALUE = re.compile(r"[#A-Za-z0-9.,% -]+")
_URL_REF = re.compile(r"url\(\s*([^)]*)\)", re.IGNORECASE)
_LOCAL_REF = re.compile(r"#[A-Za-z0-9_@.:-]+")
_LINK = re.compile(r"@@L(\d+)@@")
_ICON_ID = re.compile(r"ic-[0-9a-f]{16}")
_SIZE = re.compile(r"\d+(\.\d+)?(pt|px)?")
_VIEWBOX = re.compile(r"-?\d+(\.\d+)?( -?\d+(\.\d+)?){3}")
_RASTER = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


class UnsafeSVG(ValueError):
    """The SVG holds something the allowlist does not (message: what and where)."""


def check(payload: dict[str, Any]) -> None:
    """Raise :class:`UnsafeSVG` unless ``payload`` (shape already checked) is allowed."""
    for key, pattern in (("width", _SIZE), ("height", _SIZE), ("viewbox", _VIEWBOX)):
        if not pattern.fullmatch(payload[key]):
            raise UnsafeSVG(f"{key} {payload[key]!r} is not a number")
    icons = payload["icons"]
    for icon_id, icon in icons.items():
        _check_icon(icon_id, icon)
    for link in payload["links"]:
        problem = linkmod.check_url(link["url"])
        if problem:
            raise UnsafeSVG(f"link {link['url']!r}: {problem}")
    body = payload["body"]
    if "<!" in body or "<?" in body:
        raise UnsafeSVG("a DTD, comment, CDATA section or processing instruction")
    try:
        root = ET.fromstring(f'<svg xmlns="{SVG_NS}">{body}</svg>')
    except ET.ParseError as exc:
        raise UnsafeSVG(f"not well-formed XML ({exc})") from None
    elements = root.iter()
    next(elements)  # the wrapper above
    for el in elements:
        attrib = el.attrib
        # Most of a diagram's elements: an allowed tag with only plain presentation
        # attributes (no href, no style; values without "(" or ":", see _check_element):
        # allowed as a whole in a few C calls. Anything else gets the full check.
        if el.tag in _QNAMES and ATTRIBUTES.issuperset(attrib):
            values = "".join(attrib.values())
            if "(" not in values and ":" not in values:
                continue
        _check_element(el, icons, len(payload["links"]))


def _check_icon(icon_id: str, icon: dict[str, Any]) -> None:
    if not _ICON_ID.fullmatch(icon_id):
        raise UnsafeSVG(f"icon id {icon_id!r}")
    if not all(isinstance(icon[k], int) and 0 < icon[k] <= 4096 for k in ("w", "h")):
        raise UnsafeSVG(f"icon {icon_id}: size")
    uri = icon["uri"]
    if uri in _GOOD_URIS:
        return
    prefix, _, data = uri.partition(",")
    if prefix not in ("data:image/png;base64", "data:image/jpeg;base64", "data:image/gif;base64"):
        raise UnsafeSVG(f"icon {icon_id}: only raster images as data: URIs are allowed")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise UnsafeSVG(f"icon {icon_id}: the data is not base64") from None
    if not raw.startswith(_RASTER):
        raise UnsafeSVG(f"icon {icon_id}: the data is not a PNG, JPEG or GIF image")
    if len(_GOOD_URIS) < 4096:
        _GOOD_URIS.add(uri)


# Icon data URIs that passed the check above (a pure function of the string): the diagrams of
# a site share a few icons, and a warm build checks every cache entry's copy of each.
_GOOD_URIS: set[str] = set()


def _check_element(el: ET.Element, icons: dict[str, Any], link_count: int) -> None:
    ns, _, tag = el.tag[1:].partition("}") if el.tag.startswith("{") else ("", "", el.tag)
    if ns != SVG_NS or tag not in ELEMENTS:
        raise UnsafeSVG(f"element <{tag}> is not allowed" + (f" (namespace {ns})" if ns else ""))
    for name, value in el.attrib.items():
        if name == "href" and tag == "a":
            found = _LINK.fullmatch(value)
            if not found or int(found.group(1)) >= link_count:
                raise UnsafeSVG(f"<a href={value!r}>: links come from the script's list only")
            continue
        if name == "href" and tag == "use":
            if not (value.startswith("#") and value[1:] in icons):
                raise UnsafeSVG(f"<use href={value!r}>: only this diagram's icons")
            continue
        if name == "style":
            _check_style(tag, value)
            continue
        if name not in ATTRIBUTES:
            raise UnsafeSVG(f"attribute {name!r} on <{tag}> is not allowed")
        if "(" not in value and ":" not in value:
            # url(...), expression( and javascript: all need one of these: a plain number,
            # colour or point list (most of a diagram's attributes) needs no closer look.
            continue
        lowered = value.lower()
        for ref in _URL_REF.findall(value):
            if not _LOCAL_REF.fullmatch(ref.strip().strip("'\"")):
                raise UnsafeSVG(f"{name}={value!r} on <{tag}>: only url(#id) references")
        if "javascript:" in lowered or "expression(" in lowered:
            raise UnsafeSVG(f"{name}={value!r} on <{tag}>")


def _check_style(tag: str, value: str) -> None:
    for declaration in value.split(";"):
        if not declaration.strip():
            continue
        prop, colon, val = declaration.partition(":")
        if not colon or prop.strip() not in STYLE_PROPERTIES or \
                not _STYLE_VALUE.fullmatch(val.strip()):
            raise UnsafeSVG(f"style={value!r} on <{tag}>: only plain colour and opacity "
                            "declarations")
