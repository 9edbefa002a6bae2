"""``![alt](diagram:NAME)`` references in a page's source, with the file's line numbers.

The finding is done by the shared scanner (``execdocs.scan``), the same one the snippets
feature uses, so both agree on what is prose and what is code (fences in lists, blockquotes,
admonitions, tabs, ``md_in_html``; names with spaces or non-ASCII, as Python-Markdown renders
them). The source must be the whole file (front matter included) so the lines are the file's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from execdocs.scan import DIAGRAM_SCHEME, fence_open_after, images_cut, scan, split_front_matter

SCHEME = DIAGRAM_SCHEME
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class DiagramRef:
    """One reference: ``name`` of the script, ``alt`` text, 1-based ``line`` in the file."""

    name: str
    alt: str
    line: int

    @property
    def valid_name(self) -> bool:
        """A name that can only mean a file directly in the diagram source folder."""
        return bool(_NAME.match(self.name))


def find_all(source: str) -> tuple[list[DiagramRef], list[tuple[int, str]]]:
    """Every diagram reference in ``source`` (a whole Markdown file), in document order, and
    its doubts: (1-based line, why) for diagram mentions Python-Markdown will not draw as an
    image.

    A name the renderer cannot use (a space, a slash, non-ASCII) is still returned, so the
    caller reports it at its line instead of publishing a broken image.
    """
    if SCHEME not in source:  # most pages: no scan at all
        return [], []
    _meta, body, offset = split_front_matter(source)
    # only images and their doubts are read here
    found = scan(_images_text(body), exact_fences=False)
    refs = [DiagramRef(img.name, img.alt, img.line + 1 + offset) for img in found.images]
    doubts = [(line + 1 + offset, why) for line, why in found.doubts if "diagram" in why]
    return refs, doubts


def _images_text(body: str) -> str:
    """``body``, or only its lines up to the first blank line after its last diagram mention
    when scanning those gives the very images and diagram doubts of the whole body.

    Why: a cold build scans every page that mentions a diagram before any page is built, and
    finding the fences of the whole page (superfences' rules, pure Python) was most of that.
    Why it is exact: superfences reads lines in one forward pass (no look-back, no second
    pass), so on a prefix it finds the fences the whole page has there, as long as no fence
    is still open where the prefix ends; then that blank line is outside every fence and
    the image search of the whole page (``scan.images_cut``) stops at or before it, on the
    same masked lines. Pages whose cut is past half their length are scanned whole (the
    check would cost more than it saves). ``tests/test_diagrams_refs.py`` compares both on
    every corpus page with a mention after every line.
    """
    lines = body.split("\n")
    blank = images_cut(lines)  # on the raw lines: after the last mention anywhere
    if (blank + 1) * 2 > len(lines):
        return body
    prefix = lines[: blank + 1]
    # the default instance, as find_all's scan (it scans without the site's)
    return body if fence_open_after(prefix) else "\n".join(prefix)
