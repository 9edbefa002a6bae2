"""Map lines of the text being rendered back to the files they came from, for messages only.

Other plugins change a page before execdocs sees it (the macros plugin drops ``{% set %}``
lines, ``pymdownx.snippets`` pastes ``--8<--`` includes in). execdocs finds fences in the text
that is actually rendered and writes only at positions in that same text; this map only says
which file and line each rendered line came from, so a message can point there. A line that
matches nothing (a line a macro produced) has no line: the message names the page alone.

Matching is difflib's (longest matching blocks, in order), first against the page's own
source, then the unmatched stretches against each included file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

# pymdownx.snippets: `--8<-- "file.md"` (an inline include) or a bare `--8<--` opening and
# closing a block of file names, one a line; `;--8<--` is an escaped (shown) marker.
_INLINE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(["'])(.+?)\1[ \t]*$""")
_BLOCK = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]*$")
_LINES_OR_SECTION = re.compile(r"(?i)(?::-?[0-9]*){1,2}(?:,-?[0-9:]*)*$|:[a-z][-_0-9a-z]*$")


def included_names(lines: list[str]) -> list[str]:
    """File names ``--8<--`` lines include (line ranges and sections cut off), in order."""
    names: list[str] = []
    in_block = False
    for line in lines:
        if _BLOCK.match(line):
            in_block = not in_block
            continue
        m = _INLINE.match(line)
        if m:
            names.append(m.group(2))
        elif in_block and line.strip() and not line.strip().startswith(";"):
            names.append(line.strip())
    return [_LINES_OR_SECTION.sub("", n) for n in names if "://" not in n]


def resolve_includes(lines: list[str], base_paths: list[str], shown: Callable[[Path], str],
                     depth: int = 4) -> list[tuple[str, list[str]]]:
    """``(path shown in messages, lines)`` of every file the page includes, nested ones too."""
    out: list[tuple[str, list[str]]] = []
    seen: set[Path] = set()
    todo = [(name, depth) for name in included_names(lines)]
    while todo:
        name, left = todo.pop(0)
        for base in base_paths:
            path = (Path(base) / name).resolve()
            if path.is_file() and path not in seen:
                seen.add(path)
                try:
                    text = path.read_text(encoding="utf-8").split("\n")
                except (OSError, UnicodeDecodeError):
                    break
                out.append((shown(path), text))
                if left > 1:
                    todo += [(n, left - 1) for n in included_names(text)]
                break
    return out


def normalised(lines: list[str], tab_length: int) -> list[str]:
    """Lines as Python-Markdown's whitespace normalisation leaves them (tabs expanded, blank
    lines emptied), so an unchanged page still compares equal to its source."""
    return ["" if not ln.strip() else ln.expandtabs(tab_length) for ln in lines]


class LineMap:
    """0-based line of the rendered text -> ``(path, 1-based line)``, or ``(page, None)``."""

    def __init__(self, page: str, text: list[str], body: list[str], offset: int,
                 includes: list[tuple[str, list[str]]] | None = None,
                 tab_length: int | None = None) -> None:
        self.page = page
        self.offset = offset
        if tab_length is not None:  # the text went through Python-Markdown's normalisation
            body = normalised(body, tab_length)
            includes = [(p, normalised(lines, tab_length)) for p, lines in includes or []]
        while len(text) > len(body) and not text[-1]:
            text = text[:-1]  # the blank lines Python-Markdown appends
        self.identity = text == body
        self.where: dict[int, tuple[str, int]] = {}
        if self.identity:
            return
        matcher = difflib.SequenceMatcher(None, body, text, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                if body[a + k].strip():  # a blank line matches anywhere: no evidence
                    self.where[b + k] = (page, a + k + 1 + offset)
        if includes:
            self._match_includes(text, includes)

    def _match_includes(self, text: list[str], includes: list[tuple[str, list[str]]]) -> None:
        stretch: list[int] = []
        for i in range(len(text) + 1):
            if i < len(text) and i not in self.where:
                stretch.append(i)
                continue
            if stretch:
                self._match_stretch(text, stretch, includes)
                stretch = []

    def _match_stretch(self, text: list[str], stretch: list[int],
                       includes: list[tuple[str, list[str]]]) -> None:
        # Included lines are re-indented to the include line: compare without indentation.
        # The file matching most of what is left goes first: a file matched merely in order
        # would claim the lines any fence has (```console, ```) from the file they came from.
        left = [i for i in stretch if text[i].strip()]
        todo = list(includes)
        while left and todo:
            region = [text[i].strip() for i in left]
            best: list[tuple[int, tuple[str, int]]] = []
            chosen = todo[0]
            for shown, lines in todo:
                matcher = difflib.SequenceMatcher(None, [ln.strip() for ln in lines], region,
                                                  autojunk=False)
                found = [(left[b + k], (shown, a + k + 1))
                         for a, b, size in matcher.get_matching_blocks() for k in range(size)]
                if len(found) > len(best):
                    best, chosen = found, (shown, lines)
            if not best:
                return
            self.where.update(best)
            todo.remove(chosen)
            taken = {i for i, _ in best}
            left = [i for i in left if i not in taken]

    def locate(self, index: int) -> tuple[str, int | None]:
        """Where rendered line ``index`` came from (``(page, None)`` when nothing matches)."""
        if self.identity:
            return self.page, index + 1 + self.offset
        return self.where.get(index, (self.page, None))

