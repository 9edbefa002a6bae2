"""Secrets in HTML as a reader sees it: the text of a page or an SVG, and the same rules.

The text is what a reader sees: tags dropped, entities decoded, block elements on lines of their
own, inline markup (a highlighter's ``<span>``s) not breaking a token apart, attribute values
(``data-copy``, ``href``, an SVG's ``xlink:title``) scanned on their own lines after the text;
``script`` and ``style`` bodies are text too (fail closed). :func:`segments` keeps where each
piece came from, so that :func:`scrub_html` can replace exactly the runs that hold a secret.
Used by the render-time guard (``execdocs.secret_guard``) and the diagrams' reply check.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

from execdocs import secrets

__all__ = ["ATTR", "WITHHELD", "Segment", "found", "scrub_html", "scrub_text", "segments", "text"]

WITHHELD = "[secret withheld]"
# a tag's attributes possessively (Python >= 3.11): its alternatives start with different
# characters and a '>' can only stand inside a quoted value, so giving back never makes a match
# (the same matches as the plain pattern, ~2x faster on Material pages: tests/test_secret_html)
_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>"
                    r"|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"
                    r"|[^<]+|<", re.S)
ATTR = _ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_INLINE = {"a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "samp", "small", "span",
           "strong", "sub", "sup", "u", "var", "wbr"}


# Where the guard withholds a finding: the smallest of these elements around it, so that a
# secret in one list item or table cell does not take the whole list or table with it. Whole
# elements are replaced (a <div> may stand where they stood); of the others only what is
# inside (a <div> may stand inside an <li>, <dd> or <td>, not in the <ul> or <tr> around it).
_WHOLE_UNITS = {"p", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_INNER_UNITS = {"li", "dd", "dt", "td", "th", "summary", "figcaption"}
# start tags that end an open <p> (HTML's tree construction closes it implicitly)
_CLOSES_P = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
             "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
             "header", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table",
             "ul"}


@dataclass(frozen=True)
class Segment:
    """A piece of visible text: where it is in the HTML and in the joined text."""

    html_start: int
    html_end: int
    text_start: int
    text_end: int
    block: int
    """Index of the top-level block it belongs to."""
    unit: tuple[int, int] = (-1, -1)
    """(start, end) in the HTML of the smallest element around it that the guard withholds
    whole or by its inside (a paragraph, code block, heading, list item, table cell), or
    (-1, -1) when none is: then its top-level block is withheld."""
    code: bool = False
    """That element is a ``<pre>``: the guard withholds the lines that hold a secret."""
    attr: bool = False
    """An attribute value: ``html_start:html_end`` is the whole ``name="value"``, which is
    replaced by ``name="[secret withheld]"``; any other segment is text, replaced whole (a text
    run such as ``QVFC...PQ==`` looks like ``name=value`` but is all secret)."""


def segments(page: str) -> tuple[str, list[Segment], list[tuple[int, int]]]:
    """The page's text, its segments, and the (start, end) of each top-level block.

    Elements are matched by name as a browser does: a closing tag ends the open element of its
    name and every element opened inside it (an ``<li>`` ends a stray ``<YOUR_ENDPOINT>``
    placeholder that Python-Markdown passed through as a tag), a closing tag nothing opened is
    ignored, and a block element's start tag ends an open ``<p>``. What stays open runs to
    the end of the page (fail closed)."""
    text: list[str] = []
    size = 0
    raw: list[tuple[int, int, int, int, int, int, bool]] = []  # segments: unit index, attr?
    blocks: list[tuple[int, int]] = []
    units: list[list[int]] = []  # [start, end] of each unit, its end filled when it closes
    stack: list[tuple[str, int, bool]] = []  # (name, innermost unit index or -1, own unit)
    code: set[int] = set()  # the units that are a <pre>
    block_start = 0

    # attribute values are scanned after the text, each on its own line, so that a
    # highlighter's <span class="n"> does not come between the halves of a token
    attrs: list[tuple[int, int, str, int, int, str]] = []

    def add(hs: int, he: int, value: str, block: int, unit: int, attr: bool = False) -> None:
        nonlocal size
        text.append(value)
        raw.append((hs, he, size, size + len(value), block, unit, attr))
        size += len(value)

    def close(at_start: int, at_end: int) -> None:
        """Pop the top element: its unit ends at ``at_end`` if replaced whole, else (only its
        inside) at ``at_start``."""
        name, unit, own = stack.pop()
        if own:
            units[unit][1] = at_end if name in _WHOLE_UNITS else at_start

    for m in _TOKEN.finditer(page):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name:  # text, a comment, a doctype or a stray '<'
            if not stack:
                block_start = m.start()
            if not m.group().startswith(("<!--", "<!")) or m.group() == "<":
                add(m.start(), m.end(), htmllib.unescape(m.group()), len(blocks),
                    stack[-1][1] if stack else -1)
            if not stack:
                blocks.append((block_start, m.end()))
            continue
        if not closing:
            if name in _CLOSES_P and stack and stack[-1][0] == "p":
                close(m.start(), m.start())
                if not stack:
                    blocks.append((block_start, m.start()))
            if not stack:
                block_start = m.start()
            inner = stack[-1][1] if stack else -1  # the tag's own values: its parent's unit
            for a in _ATTR.finditer(m.group(3)):
                if a.group(1).lower() in ("class", "id", "style"):
                    continue
                value = next(v for v in a.groups()[1:] if v is not None)
                at = m.start(3) + a.start()
                attrs.append((at, m.start(3) + a.end(), htmllib.unescape(value), len(blocks),
                              inner, _lead(a.group(1))))
            if name not in _INLINE:
                text.append("\n")
                size += 1
            self_closing = m.group(3).rstrip().endswith("/")
            if name not in _VOID and not self_closing:
                if name in _WHOLE_UNITS or name in _INNER_UNITS:
                    units.append([m.start() if name in _WHOLE_UNITS else m.end(), len(page)])
                    stack.append((name, len(units) - 1, True))
                    if name == "pre":
                        code.add(len(units) - 1)
                else:
                    stack.append((name, inner, False))
            elif not stack:
                blocks.append((block_start, m.end()))
        else:
            if name not in _INLINE:
                text.append("\n")
                size += 1
            if any(open_name == name for open_name, _u, _o in stack):
                while stack[-1][0] != name:  # opened inside it and never closed: ended here
                    close(m.start(), m.start())
                close(m.start(), m.end())
                if not stack:
                    blocks.append((block_start, m.end()))
    if stack:  # unbalanced: the last block runs to the end (fail closed)
        blocks.append((block_start, len(page)))
    for hs, he, value, block, unit, lead in attrs:
        text.append("\n" + lead)
        size += 1 + len(lead)
        add(hs, he, value, block, unit, attr=True)
        text.append("\n")
        size += 1
    segs = [Segment(hs, he, ts, te, block, (units[u][0], units[u][1]) if u != -1 else (-1, -1),
                    u in code, attr)
            for hs, he, ts, te, block, u, attr in raw]
    return "".join(text), segs, blocks


# the markup _TOKEN knows (comment, doctype, tag), as one split: what lies between is text,
# exactly _TOKEN's text runs and stray '<'s (they join to the same string)
_MARKUP = re.compile("(" + _TOKEN.pattern.removesuffix(r"|[^<]+|<") + ")", re.S)
_SKIPPED_ATTRS = ("class", "id", "style")


def _lead(name: str) -> str:
    """What an attribute's value is read after: a snippet's ``data-copy`` holds the command its
    code block shows after "$ ", and is read as that line is (``KEY=value cmd`` on a command
    line ends at the blank; alone on a line an env listing's value runs to its end)."""
    return "$ " if name.lower() == "data-copy" else ""


def text(page: str) -> str:
    """The page's text exactly as :func:`segments` joins it, without keeping where each piece
    came from: the cheap first look (a page without a finding needs no more). One C-level
    split instead of a Python step per token."""
    parts = _MARKUP.split(page)
    runs = [t if "&" not in t else htmllib.unescape(t) for t in parts[0::5]]
    names = parts[3::5]
    out: list[str] = [""] * (len(runs) + len(names))
    out[0::2] = runs
    out[1::2] = ["" if n is None or n.lower() in _INLINE else "\n" for n in names]
    # attribute values after the text, in order: one scan over the opening tags' attributes
    # joined by NUL finds what a scan per tag finds, unless a match runs over a NUL (a quote
    # its tag does not close, a bare value at its end): then each tag is scanned on its own
    tags = [a for c, a in zip(parts[2::5], parts[4::5], strict=True) if not c and a and "=" in a]
    found = _ATTR.findall("\0".join(tags))
    if any("\0" in dq + sq + bare for _n, dq, sq, bare in found):
        found = [m for a in tags for m in _ATTR.findall(a)]
    values = [(_lead(name), dq or sq or bare) for name, dq, sq, bare in found
              if name.lower() not in _SKIPPED_ATTRS]  # unmatched groups are "": one holds it
    out += [f"\n{lead}{v}\n" if "&" not in v else f"\n{lead}{htmllib.unescape(v)}\n"
            for lead, v in values]
    return "".join(out)


def found(page: str, parsed: tuple[str, list[Segment], list[tuple[int, int]]] | None = None
           ) -> list[tuple[secrets.Finding, str, list[Segment]]]:
    """Each finding in the page's text, the value, and the segments it touches (``parsed``:
    the page's ``_segments`` when the caller has them already)."""
    text, segs, _blocks = parsed or segments(page)
    out = []
    for kind, start, end in secrets.matches(text):
        touched = [s for s in segs if s.text_start < end and s.text_end > start]
        line = text.count("\n", 0, start) + 1
        out.append((secrets.Finding(kind, line, 1), text[start:end], touched))
    return out


def scrub_html(page: str, keep: tuple[tuple[int, int], ...] = ()) -> tuple[str, int]:
    """``page`` with every text run or attribute value that holds a secret replaced by
    ``[secret withheld]``; and how many secrets were found. ``keep``: (start, end) spans of
    ``page`` left as they are (blocks an ``allow-secret`` directive let through)."""
    def kept(seg: Segment) -> bool:
        return any(k0 <= seg.html_start and seg.html_end <= k1 for k0, k1 in keep)

    hits = [segs for _f, _v, segs in found(page) if not all(map(kept, segs))]
    spans = sorted({(s.html_start, s.html_end, s.attr) for segs in hits for s in segs
                    if not kept(s)})
    out, pos = [], 0
    for start, end, is_attr in spans:
        if start < pos:
            continue
        name = _ATTR.match(page, start, end) if is_attr else None
        out.append(page[pos:start] + (f'{name.group(1)}="{WITHHELD}"' if name else WITHHELD))
        pos = end
    out.append(page[pos:])
    return "".join(out), len(hits)


def scrub_text(text: str) -> str:
    """``text`` (a title) with each secret replaced by ``[secret withheld]``."""
    out, pos = [], 0
    for _kind, start, end in secrets.matches(text):
        out.append(text[pos:start] + WITHHELD)
        pos = end
    out.append(text[pos:])
    return "".join(out)
