"""Find ``![alt](diagram:NAME)`` references in a page's source, with the file's line numbers.

The source must be the whole file (front matter included) so that line numbers are the file's.
markdown-it-py knows nothing of admonitions and content tabs; their indented bodies look like
code blocks to it, so those are parsed again (dedented, line offset kept) instead of skipped:
Python-Markdown with ``admonition``/``pymdownx.tabbed`` renders them as content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token

SCHEME = "diagram:"
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
# A line that opens an admonition, details block or content tab: its indented body is content.
_CONTAINER = re.compile(r'^\s*(?:!!!|\?\?\?\+?|===\+?)\s')


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


_MD: Any = None


def _parser() -> Any:
    """The markdown-it parser, imported on first use: a warm build never parses (~60 ms saved)."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.admon import admon_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin

        _MD = MarkdownIt("commonmark").use(front_matter_plugin).use(admon_plugin)
    return _MD


def find_refs(source: str) -> list[DiagramRef]:
    """Every diagram reference in ``source`` (a whole Markdown file), in document order."""
    if SCHEME not in source:  # most pages: no parse at all
        return []
    return _scan(source, 0)


def _scan(source: str, offset: int) -> list[DiagramRef]:
    refs: list[DiagramRef] = []
    lines = source.splitlines()
    for token in _parser().parse(source):
        if token.type == "inline" and token.map and token.children:
            refs += _inline_refs(token, token.map[0] + offset)
        elif token.type == "code_block" and token.map:
            start = token.map[0]
            # An indented block right under `!!! note` / `=== "Tab"` (possibly after blank lines)
            # is that container's body, not code.
            prev = start - 1
            while prev >= 0 and not lines[prev].strip():
                prev -= 1
            if prev >= 0 and _CONTAINER.match(lines[prev]):
                body = "\n".join(_dedent(line) for line in lines[start : token.map[1]])
                refs += _scan(body, offset + start)
    return refs


def _dedent(line: str) -> str:
    if line.startswith("\t"):
        return line[1:]
    return line[4:] if line.startswith("    ") else line.lstrip(" ")


def _inline_refs(token: Token, first_line: int) -> list[DiagramRef]:
    refs = []
    line = first_line
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            if src.startswith(SCHEME):
                alt = "".join(c.content for c in child.children or [])
                refs.append(DiagramRef(src[len(SCHEME) :], alt, line + 1))
        elif child.type in ("text", "html_inline", "code_inline"):
            line += child.content.count("\n")
    return refs
