"""Render-time secret guard: nothing the shared rules detect reaches a published page.

The snippet check reports a secret in a capture as a problem, but a non-strict build goes on
and a failing one has already written pages; so whatever is about to be published is scanned
too, with the same rules (``execdocs.secrets``), as text a reader would see: tags dropped,
entities decoded, attribute values (``data-copy``, ``href``) scanned on their own, inline
markup (a highlighter's ``<span>``s) not breaking a token apart.

* :func:`guard_html` (page content, before the search index reads it): each top-level block
  holding a secret is replaced by a visible error naming ``file:line``;
* :func:`scrub_html` (the whole output page, last line): each text run or attribute value
  holding a secret is replaced by ``[secret withheld]``; :class:`PageScrubber` runs it on
  every page of a build without scanning the theme's frame again on every page;
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


def _found(page: str, parsed: tuple[str, list[Segment], list[tuple[int, int]]] | None = None
           ) -> list[tuple[secrets.Finding, str, list[Segment]]]:
    """Each finding in the page's text, the value, and the segments it touches (``parsed``:
    the page's ``_segments`` when the caller has them already)."""
    text, segs, _blocks = parsed or _segments(page)
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
    parsed = _segments(page)  # once: the text to scan and, on a hit, where it came from
    blocks = parsed[2]
    hits: dict[int, tuple[str, str]] = {}  # block -> (kind, origin)
    for finding, value, touched in _found(page, parsed):
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


_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n)+")
WINDOW = 8
"""Consecutive pieces of a page (cut at blank lines) :class:`PageScrubber` scans together."""


class PageScrubber:
    """The last pass over every page's whole HTML (:func:`scrub_html`), at a cost that does not
    grow with the square of the number of pages.

    Every page repeats the theme's frame (header, a navigation listing every page, footer): on
    a site of 300 pages, scanning each page's whole text again cost more than the rest of the
    build. So the page is cut into pieces at blank lines (the frame's template is full of them)
    and every run of :data:`WINDOW` consecutive pieces is scanned with the whole rule set once
    per distinct run, remembered across pages and rebuilds (a clean text stays clean). The runs
    not seen before are scanned together with their neighbours, as one text per stretch of the
    page they cover. The page's content, already scanned whole by :func:`guard_html`, is left
    out when it is found in the page exactly as the guard returned it (if a plugin changed it
    afterwards, it is scanned here). Any finding sends the page through :func:`scrub_html`,
    the exact pass over the whole page, which replaces what it finds.

    What this does not see and a whole-page scan would: a match in the frame (not in the
    content) whose text runs across more than ``WINDOW - 1`` blank-line runs, or that needs
    context further away than that (``kind: Secret`` a screen above a ``data:`` block).
    """

    def __init__(self, limit: int = 500_000) -> None:
        # runs are kept as tuples of the pieces' hashes (str hashes are keyed per process, so
        # no page can be written to collide with a clean run on purpose)
        self.clean: set[tuple[int, ...]] = set()
        self.limit = limit
        """Runs remembered at most (the set is emptied beyond, e.g. after long serving)."""
        self.scanned = 0
        """Pieces scanned so far: what the memo saves shows in tests."""

    def scrub(self, page: str, guarded: str | None = None) -> tuple[str, int]:
        """``page`` with every secret replaced, and how many were found (see
        :func:`scrub_html`); ``guarded``: the content HTML :func:`guard_html` returned."""
        rest = page
        if guarded:
            at = page.find(guarded)
            if at != -1:  # the content as guarded: a block boundary stands in for it
                rest = page[:at] + "\n\n<div></div>\n\n" + page[at + len(guarded):]
        pieces = _BLANK_RUN.split(rest)
        hashes = list(map(hash, pieces))
        # every run of WINDOW consecutive pieces (shorter tails are dropped: strict=False)
        runs = list(zip(*(hashes[i:] for i in range(min(WINDOW, len(hashes)))), strict=False))
        new = set(runs) - self.clean
        if not new:
            return page, 0
        # the stretches of pieces the new runs cover, each scanned as one text
        stretches: list[list[int]] = []
        for i, run in enumerate(runs):
            if run in new:
                end = i + len(run)
                if stretches and i <= stretches[-1][1]:
                    stretches[-1][1] = end
                else:
                    stretches.append([i, end])
        self.scanned += sum(end - start for start, end in stretches)
        text = "\n\n\n".join(_segments("\n\n".join(pieces[start:end]))[0]
                              for start, end in stretches)
        if secrets.matches(text):
            return scrub_html(page)
        if len(self.clean) + len(new) > self.limit:
            self.clean.clear()
        self.clean.update(new)
        return page, 0


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
