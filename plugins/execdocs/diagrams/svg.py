"""SVG post-processing (in the worker) and page assembly (in the build process).

Graphviz writes icons as ``<image href="/abs/site-packages/...png">`` and titles made of node ids.
:func:`postprocess` turns that into a reusable body: ids carry a prefix token, icons become
``<use href="#ic-HASH">`` references to a downscaled PNG stored once, node links become tokens
resolved per page, Korean text uses the one font and the page's text colour (``currentColor``,
so it follows Material's light and dark palettes).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import re
import xml.etree.ElementTree as ET
from typing import Any

from execdocs.diagrams import links as linkmod

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PREFIX = "@@P@@"  # replaced per page by the diagram's id prefix
LINK = "@@L{}@@"  # replaced per page by the resolved URL of link number {}
ICON = "@@I{}@@"  # replaced by the worker (not the job) with icon number {}'s id
ICON_CLASS = "@@C{}@@"  # ... and with its class (``ic-dark`` or none)
DEFAULT_TEXT = "#2d3436"  # the diagrams library's text colour -> currentColor

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_icon_memo: dict[tuple[str, int, int], dict[str, Any]] = {}


def _q(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"


def icon_entry(path: str, icon_px: int) -> dict[str, Any]:
    """Downscale one PNG icon to at most ``icon_px`` pixels; id = hash of the resulting bytes."""
    stat = os.stat(path)
    memo_key = (path, stat.st_mtime_ns, icon_px)
    if memo_key in _icon_memo:
        return _icon_memo[memo_key]
    from PIL import Image  # only the worker needs Pillow

    with Image.open(path) as opened:
        img = opened.convert("RGBA")
        img.thumbnail((icon_px, icon_px), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        img.save(out, format="PNG", optimize=True)
        width, height = img.size
        dark = _is_dark(img)
    data = out.getvalue()
    entry = {
        "id": "ic-" + hashlib.sha256(data).hexdigest()[:16],
        "w": width,
        "h": height,
        "uri": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
        "dark": dark,
    }
    _icon_memo[memo_key] = entry
    return entry


def _is_dark(img: Any) -> bool:
    """True for a mostly black icon (invisible on the dark palette: the page inverts it)."""
    gray = img.convert("LA")
    total = weight = 0
    for lum, alpha in gray.getdata():
        total += lum * alpha
        weight += alpha
    return weight > 0 and total / weight < 80


def postprocess(
    svg_text: str, *, font: str, icon_px: int, links: list[dict[str, Any]]
) -> dict[str, Any]:
    """Turn Graphviz's SVG into the cached form: body, size, icons, links.

    ``links`` are the script's links in token order (``links.token``): Graphviz only ever saw
    the tokens; each ``<a>`` gets a placeholder resolved per page by the parent.
    """
    root = ET.fromstring(svg_text)
    icon_paths: list[str] = []
    parents = {child: parent for parent in root.iter() for child in parent}

    for group in list(root.iter(_q("g"))):
        title = group.find(_q("title"))
        if title is not None:
            group.remove(title)  # graph/node titles are ids, not text for readers

    for el in list(root.iter()):
        el_id = el.get("id")
        if el_id:
            el.set("id", PREFIX + el_id)
        if el.get("font-family") is not None:
            del el.attrib["font-family"]  # set once on the root
        if el.tag == _q("text") and (el.get("fill") or "").lower() == DEFAULT_TEXT:
            el.set("fill", "currentColor")
        if el.tag == _q("text") and not (el.text or "").strip() and len(el) == 0 and \
                parents.get(el) is not None:
            parents[el].remove(el)  # a blank label line (spacing under an edge label) draws nothing
            continue
        if el.tag == _q("polygon") and el.get("fill") == "white" and \
                parents.get(el) is not None and parents[el].get("class") == "graph":
            parents[el].remove(el)  # the page background shows through, light or dark
        elif el.tag == _q("image"):
            href = el.attrib.pop(f"{{{XLINK_NS}}}href", None) or el.attrib.pop("href", "")
            if not os.path.isabs(href) or not os.path.isfile(href):
                raise ValueError(f"icon {href!r} is not a readable file")
            if href not in icon_paths:
                icon_paths.append(href)
            index = icon_paths.index(href)
            el.tag = _q("use")
            attrs = {"href": f"#{ICON.format(index)}", "class": ICON_CLASS.format(index)}
            for name in ("x", "y", "width", "height"):
                attrs[name] = el.get(name, "").removesuffix("px")
            el.attrib.clear()
            el.attrib.update(attrs)
        elif el.tag == _q("a"):
            url = el.attrib.pop(f"{{{XLINK_NS}}}href", None) or el.attrib.pop("href", "")
            label = el.attrib.pop(f"{{{XLINK_NS}}}title", None)
            el.attrib.pop("target", None)  # pages decide how links open
            if url:
                link_no = linkmod.token_index(url)
                if link_no is None or link_no >= len(links):
                    raise ValueError(f"a link that did not come from the script: {url!r}")
                el.set("href", LINK.format(link_no))
            if label:
                el.set("aria-label", label)

    body_xml = ET.tostring(root, encoding="unicode")
    body = body_xml[body_xml.index(">") + 1 : body_xml.rindex("</svg>")].strip()
    return {
        "width": root.get("width", ""),
        "height": root.get("height", ""),
        "viewbox": root.get("viewBox", ""),
        "font": font,
        "body": body,
        "icon_paths": icon_paths,
        "links": [{"url": li["url"], "file": li["file"], "line": li["line"]} for li in links],
    }


_ICON_TOKEN = re.compile(r'#@@I(\d+)@@"|\s?class="@@C(\d+)@@"')


def resolve_icons(answer: dict[str, Any], icon_px: int) -> dict[str, Any]:
    """Inline the icons a job's SVG names (in the warm worker, which keeps the downscaled
    icons across jobs; a job's child would lose them with every fork).

    Raises ValueError for a reply that does not name its icons as :func:`postprocess` does.
    """
    paths = answer.pop("icon_paths", None)
    body = answer.get("body")
    if not isinstance(paths, list) or not isinstance(body, str) or \
            not all(isinstance(p, str) for p in paths):
        raise ValueError("the job's reply does not list its icons")
    entries = []
    for path in paths:
        if not os.path.isabs(path) or not os.path.isfile(path):
            raise ValueError(f"icon {path!r} is not a readable file")
        try:
            entries.append(icon_entry(path, icon_px))
        except (OSError, ValueError) as exc:  # PIL's "cannot identify image" is an OSError
            raise ValueError(f"icon {path!r} can't be read as an image: {exc}") from None

    def swap(match: re.Match[str]) -> str:
        index = int(match.group(1) or match.group(2))
        if index >= len(entries):
            raise ValueError(f"icon number {index} is not listed")
        entry = entries[index]
        if match.group(1) is not None:
            return f'#{entry["id"]}"'
        return ' class="ic-dark"' if entry["dark"] else ""

    answer["body"] = _ICON_TOKEN.sub(swap, body)
    answer["icons"] = {e["id"]: {k: e[k] for k in ("w", "h", "uri")}
                       for e in sorted(entries, key=lambda e: e["id"])}
    return answer


# ---------------------------------------------------------------- page assembly (build side)

CSS = (
    ".execdocs-diagram{margin:1.2em 0;text-align:center}"
    ".execdocs-diagram svg{max-width:100%;height:auto}"
    ".execdocs-diagram figcaption{font-size:.75rem}"
    # Links in the caption are underlined: colour alone does not tell them from its text
    # (WCAG 1.4.1, axe link-in-text-block).
    ".execdocs-diagram figcaption a{text-decoration:underline;white-space:nowrap}"
    ".execdocs-diagram svg a:hover text{text-decoration:underline}"
    # Node links are reached with the keyboard: the focused one is outlined and underlined.
    ".execdocs-diagram svg a:focus{outline:none}"
    ".execdocs-diagram svg a:focus-visible{outline:2px solid var(--md-accent-fg-color,#526cfe);"
    "outline-offset:2px}"
    ".execdocs-diagram svg a:focus-visible text{text-decoration:underline;font-weight:700}"
    # "Full size": the figure is its own URL target and becomes a scrollable overlay (no JS,
    # no extra file); "닫기" targets a marker just before the figure, so the page stays put.
    ".execdocs-close{display:none}"
    ".execdocs-diagram:target{position:fixed;inset:0;z-index:10;margin:0;padding:1rem;"
    "overflow:auto;background:var(--md-default-bg-color,#fff);text-align:left;"
    # Material sizes figures to their content (fit-content): the overlay takes the whole window
    "width:auto;max-width:none}"
    ".execdocs-diagram:target svg{max-width:none;flex:none}"
    # ... with its caption (and "닫기") on top, kept in view while the diagram scrolls
    ".execdocs-diagram:target{display:flex;flex-direction:column;align-items:flex-start}"
    ".execdocs-diagram:target figcaption{order:-1;position:sticky;top:0;left:0;z-index:1;"
    "margin:0 0 .5rem;padding:.3rem 0;background:var(--md-default-bg-color,#fff)}"
    ".execdocs-diagram:target .execdocs-open{display:none}"
    ".execdocs-diagram:target .execdocs-close{display:inline}"
    # In the dark palette the pastel cluster fills would glare behind light text: dim them.
    '[data-md-color-scheme="slate"] .execdocs-diagram g.cluster>path:not([fill-opacity]),'
    '[data-md-color-scheme="slate"] .execdocs-diagram g.cluster>polygon:not([fill-opacity])'
    "{fill-opacity:.13}"
    '[data-md-color-scheme="slate"] .execdocs-diagram use.ic-dark{filter:invert(1)}'
)


_symbols_memo: dict[tuple[Any, ...], str] = {}


def symbols(icons: dict[str, dict[str, Any]]) -> str:
    """``<symbol>`` definitions for the icons, in id order (deterministic).

    Remembered per exact set of (id, size, data URI): the pages of a site mostly show the
    same few icons, and each page's sprite copied every data URI again.
    """
    # the types too: True == 1 as a key, but they are written differently
    key = tuple((icon_id, type(i["w"]), i["w"], type(i["h"]), i["h"], i["uri"])
                for icon_id, i in sorted(icons.items()))
    found = _symbols_memo.get(key)
    if found is None:
        found = "".join(
            f'<symbol id="{icon_id}" viewBox="0 0 {w} {h}" '
            f'preserveAspectRatio="xMinYMin meet"><image width="{w}" height="{h}" '
            f'href="{uri}"/></symbol>'
            for icon_id, _, w, _, h, uri in key
        )
        if len(_symbols_memo) < 256:
            _symbols_memo[key] = found
    return found


# The full-size view works without JS (CSS :target); with it, the keyboard follows the view:
# focus moves onto "close" when it opens, Tab stays inside it, Escape closes it and focus
# returns to "full size". Outside any SVG (the published SVG holds no script).
OVERLAY_JS = (
    "(function(){if(window.execdocsOverlay)return;window.execdocsOverlay=1;"
    "function cur(){return document.querySelector('.execdocs-diagram:target')}"
    "function stops(f){return Array.prototype.filter.call(f.querySelectorAll('a[href]'),"
    "function(a){return a.getClientRects().length>0})}"
    "function sync(){var f=cur();if(f){var c=f.querySelector('.execdocs-close');"
    "if(c)c.focus();return}var m=location.hash&&document.getElementById("
    "decodeURIComponent(location.hash.slice(1)));var n=m&&m.nextElementSibling;"
    "if(n&&n.classList.contains('execdocs-diagram')){var o=n.querySelector('.execdocs-open');"
    "if(o)o.focus()}}"
    "addEventListener('hashchange',sync);"
    "addEventListener('keydown',function(e){var f=cur();if(!f)return;"
    "if(e.key==='Escape'){var c=f.querySelector('.execdocs-close');if(c){e.preventDefault();"
    "c.click()}return}if(e.key!=='Tab')return;var s=stops(f);if(!s.length)return;"
    "var i=s.indexOf(document.activeElement);if(i<0||(e.shiftKey&&i===0)||"
    "(!e.shiftKey&&i===s.length-1)){e.preventDefault();"
    "s[i<0||!e.shiftKey?0:s.length-1].focus()}})})();"
)


def sprite(icons: dict[str, dict[str, Any]]) -> str:
    """One hidden SVG per page holding the CSS and every icon the page's diagrams use, once;
    and the full-size view's keyboard script (:data:`OVERLAY_JS`)."""
    return (
        '<svg class="execdocs-icons" aria-hidden="true" width="0" height="0" '
        'style="position:absolute;width:0;height:0;overflow:hidden">'
        f"<style>{CSS}</style><defs>{symbols(icons)}</defs></svg>"
        f"<script>{OVERLAY_JS}</script>"
    )


def svg_element(
    entry: dict[str, Any], *, prefix: str, title: str, urls: list[str], standalone: bool = False
) -> str:
    """The ``<svg>`` of one diagram: ``title`` is HTML-escaped text, ``urls`` the resolved links.

    Without links the SVG is one image (``role="img"``, named by its title). With node links
    it is a ``graphics-document``: an image role would make its links presentational (axe
    ``nested-interactive``: a screen reader announces one picture and never reaches them),
    while a document keeps each node link a link, in the tab order, named by its label.
    """
    body = entry["body"].replace(PREFIX, prefix)
    for index, url in enumerate(urls):
        body = body.replace(LINK.format(index), html.escape(url, quote=True))
    extra = ""
    if standalone:
        extra = f"<style>{CSS}</style><defs>{symbols(entry['icons'])}</defs>"
    return (
        f'<svg xmlns="{SVG_NS}" role="{"graphics-document" if urls else "img"}" '
        f'aria-labelledby="{prefix}title" '
        f'width="{entry["width"]}" height="{entry["height"]}" viewBox="{entry["viewbox"]}" '
        f'font-family="{entry["font"]}, sans-serif" class="execdocs-svg">'
        f'<title id="{prefix}title">{title}</title>{extra}{body}</svg>'
    )


_IMG = re.compile(r'(<p>\s*)?<img\b[^>]*?\bsrc="diagram:([^"]*)"[^>]*>(\s*</p>)?')
_ALT = re.compile(r'\balt="([^"]*)"')


_P_BEFORE = re.compile(r"<p>\s*$")


def find_placeholders(page_html: str) -> list[re.Match[str]]:
    """The ``<img src="diagram:NAME">`` tags Python-Markdown made of the references, in order."""
    # Plain str.find to the few candidates, then an anchored match: a regex scan of every page's
    # whole HTML cost more than the rest of the embedding.
    found: list[re.Match[str]] = []
    pos = page_html.find('src="diagram:')
    while pos >= 0:
        start = page_html.rfind("<img", 0, pos)
        if start >= 0:
            before = _P_BEFORE.search(page_html, max(0, start - 16), start)
            match = _IMG.match(page_html, before.start() if before else start)
            if match and match.start(2) > pos and (not found or match.start() >= found[-1].end()):
                found.append(match)
        pos = page_html.find('src="diagram:', pos + 1)
    return found


def alt_of(match: re.Match[str]) -> str:
    """The (already escaped) alt text of a placeholder."""
    found = _ALT.search(match.group(0))
    return found.group(1) if found else ""


def id_prefix(name: str, occurrence: int) -> str:
    """A per-diagram id prefix; a second copy on one page gets its own."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", name)
    return f"dg-{safe}-" if occurrence == 0 else f"dg-{safe}-{occurrence + 1}-"
