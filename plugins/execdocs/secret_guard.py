"""Render-time secret guard: nothing the shared rules detect reaches a published page.

The snippet check reports a secret in a capture as a problem, but a non-strict build goes on
and a failing one has already written pages; so whatever is about to be published is scanned
too, with the same rules (``execdocs.secrets``), as text a reader would see: tags dropped,
entities decoded, attribute values (``data-copy``, ``href``) scanned on their own, inline
markup (a highlighter's ``<span>``s) not breaking a token apart.

* :func:`guard_html` (page content, before the search index reads it): each top-level block
  holding a secret is replaced by a visible error naming ``file:line``;
* :func:`scrub_html` (the whole output page, last line): each text run or attribute value
  holding a secret is replaced by ``[secret withheld]``;
* :func:`scrub_text` (titles, table-of-contents entries).
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from dataclasses import dataclass

from execdocs import secrets
from execdocs.problems import Problem
from execdocs.snippets.store import Capture, display_path, dumps_capture
from execdocs.snippets.words import words

WITHHELD = "[secret withheld]"
_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
                    r"|[^<]+|<", re.S)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_INLINE = {"a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "samp", "small", "span",
           "strong", "sub", "sup", "u", "var", "wbr"}
_RAW = {"script", "style"}


@dataclass(frozen=True)
class Segment:
    """A piece of visible text: where it is in the HTML and in the joined text."""

    html_start: int
    html_end: int
    text_start: int
    text_end: int
    block: int
    """Index of the top-level block it belongs to."""


def _segments(page: str) -> tuple[str, list[Segment], list[tuple[int, int]]]:
    """The page's text, its segments, and the (start, end) of each top-level block."""
    text: list[str] = []
    size = 0
    segs: list[Segment] = []
    blocks: list[tuple[int, int]] = []
    depth, block_start = 0, 0

    # attribute values are scanned after the text, each on its own line, so that a
    # highlighter's <span class="n"> does not come between the halves of a token
    attrs: list[tuple[int, int, str, int]] = []

    def add(hs: int, he: int, value: str, block: int | None = None) -> None:
        nonlocal size
        text.append(value)
        segs.append(Segment(hs, he, size, size + len(value),
                            len(blocks) if block is None else block))
        size += len(value)

    for m in _TOKEN.finditer(page):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name:  # text, a comment, a doctype or a stray '<'
            if depth == 0:
                block_start = m.start()
            if not m.group().startswith(("<!--", "<!")) or m.group() == "<":
                add(m.start(), m.end(), htmllib.unescape(m.group()))
            if depth == 0:
                blocks.append((block_start, m.end()))
            continue
        if not closing:
            if depth == 0:
                block_start = m.start()
            for a in _ATTR.finditer(m.group(3)):
                if a.group(1).lower() in ("class", "id", "style"):
                    continue
                value = next(v for v in a.groups()[1:] if v is not None)
                at = m.start(3) + a.start()
                attrs.append((at, m.start(3) + a.end(), htmllib.unescape(value), len(blocks)))
            if name not in _INLINE:
                text.append("\n")
                size += 1
            self_closing = m.group(3).rstrip().endswith("/")
            if name not in _VOID and not self_closing:
                depth += 1
            elif depth == 0:
                blocks.append((block_start, m.end()))
        else:
            if name not in _INLINE:
                text.append("\n")
                size += 1
            depth = max(depth - 1, 0)
            if depth == 0:
                blocks.append((block_start, m.end()))
    if depth > 0:  # unbalanced: the last block runs to the end (fail closed)
        blocks.append((block_start, len(page)))
    for hs, he, value, block in attrs:
        text.append("\n")
        size += 1
        add(hs, he, value, block)
        text.append("\n")
        size += 1
    return "".join(text), segs, blocks


def _found(page: str) -> list[tuple[secrets.Finding, str, list[Segment]]]:
    """Each finding in the page's text, the value, and the segments it touches."""
    text, segs, _blocks = _segments(page)
    out = []
    for kind, start, end in secrets.matches(text):
        touched = [s for s in segs if s.text_start < end and s.text_end > start]
        line = text.count("\n", 0, start) + 1
        out.append((secrets.Finding(kind, line, 1), text[start:end], touched))
    return out


Locate = Callable[[str], str]
"""Given a secret's value, the ``file:line`` it came from (for the error), or ``""``."""


def guard_html(page: str, where: str, locate: Locate | None = None, language: str = "ko"
               ) -> tuple[str, list[Problem]]:
    """``page`` (a page's content HTML) with every top-level block that holds a secret
    replaced by a visible error; one problem per block, at ``where`` (the page).

    The error's words follow ``language`` (the site's ``theme.language``: Korean or English,
    other languages English), as the snippets' words do (``execdocs.snippets.words``)."""
    if not page:
        return page, []
    _text, _segs, blocks = _segments(page)
    hits: dict[int, tuple[str, str]] = {}  # block -> (kind, origin)
    for finding, value, touched in _found(page):
        origin = locate(value) if locate else ""
        for seg in touched:
            hits.setdefault(seg.block, (finding.kind, origin))
    problems = []
    out, pos = [], 0
    for index in sorted(hits):
        if index >= len(blocks):  # the joined text's last segment had no closed block
            start, end = blocks[-1] if blocks else (0, len(page))
        else:
            start, end = blocks[index]
        if start < pos:
            continue
        kind, origin = hits[index]
        source = origin or where
        out.append(page[pos:start] + _error_block(kind, source, language))
        pos = end
        label, _sep, line = origin.rpartition(":")
        own = label == where and line.isdigit()  # the page's own Markdown holds it
        problems.append(Problem(where, int(line) if own else None,
                                f"a {kind} was about to be published; the block was withheld "
                                "from the page and the search index",
                                detail=f"from {source}" if origin and not own else "",
                                hint="redact it at its source (execdocs capture does), and "
                                "rotate the credential if it was real"))
    out.append(page[pos:])
    return "".join(out), problems


def _error_block(kind: str, source: str, language: str) -> str:
    w = words(language)
    body = w["withheld"].format(source=htmllib.escape(source), kind=htmllib.escape(kind))
    return ('<div class="admonition failure execdocs-withheld"><p class="admonition-title">'
            f"{htmllib.escape(w['withheld-title'])}</p><p>{body}</p></div>")


def scrub_html(page: str) -> tuple[str, int]:
    """``page`` with every text run or attribute value that holds a secret replaced by
    ``[secret withheld]``; and how many secrets were found."""
    found = _found(page)
    spans = sorted({(s.html_start, s.html_end) for _f, _v, segs in found for s in segs})
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        piece = page[start:end]
        attr = _ATTR.fullmatch(piece)
        out.append(page[pos:start] + (f'{attr.group(1)}="{WITHHELD}"' if attr else WITHHELD))
        pos = end
    out.append(page[pos:])
    return "".join(out), len(found)


def scrub_text(text: str) -> str:
    """``text`` (a title) with each secret replaced by ``[secret withheld]``."""
    out, pos = [], 0
    for _kind, start, end in secrets.matches(text):
        out.append(text[pos:start] + WITHHELD)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def scrub_toc(page: object) -> None:
    """Replace secrets in a page's title and its table-of-contents titles (what the search
    index and the navigation show besides the content); ``page`` is a MkDocs page."""
    title = getattr(page, "title", None)
    if isinstance(title, str) and secrets.matches(title):
        page.title = scrub_text(title)  # type: ignore[attr-defined]
    stack = list(getattr(page, "toc", None) or [])
    while stack:
        item = stack.pop()
        if isinstance(getattr(item, "title", None), str) and secrets.matches(item.title):
            item.title = scrub_text(item.title)
        stack.extend(getattr(item, "children", None) or [])


def capture_source(capture: Capture) -> tuple[str, str]:
    """(label, text) of a loaded capture for :func:`locate_in` (its file's lines, from what
    the store loaded: the file is not read again)."""
    return display_path(capture.path or "capture"), dumps_capture(capture)


def locate_in(sources: list[tuple[str, str]]) -> Locate:
    """A :data:`Locate` that looks for the value's first line in ``sources`` (label, text):
    the page's Markdown, the capture files it shows."""
    def locate(value: str) -> str:
        needle = next((ln.strip() for ln in value.splitlines() if ln.strip()), "")
        if not needle:
            return ""
        for label, text in sources:
            at = text.find(needle)
            if at != -1:
                return f"{label}:{text.count(chr(10), 0, at) + 1}"
        return ""
    return locate
