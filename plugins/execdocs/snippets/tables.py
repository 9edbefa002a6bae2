"""Column tables in command output (kubectl, crictl, ctr, docker), parsed by header position.

kubectl and friends print tables with Go's tabwriter: every column starts where its header word
starts, and the header is re-padded when a value grows. So cells are cut at the header's word
positions, never split on whitespace: ``2 hours ago``, ``28 (3m38s ago)`` and ``<none>`` stay one
cell, an empty cell stays empty. A header is a line of upper-case words separated by two or more
blanks (one blank joins words of one header: ``CONTAINER ID``, ``NOMINATED NODE``). Lines that
are not part of a table (crictl's ``WARN[0000]``, kubectl's ``Warning:`` lines) are kept as the
table's preamble. A table ends at a blank line or the next header, so ``kubectl get nodes,pods``
gives several tables. An empty listing whose header words are one blank apart (``ctr`` pads
with one blank) is read as a header-only table, one column per word.

Go's tabwriter counts runes, terminals and Python's wcwidth-aware tools count display cells: a
row holding wide (CJK) characters is cut by whichever of the two lines its cells up on gaps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_HEADER_CELL = re.compile(r"^[A-Z][A-Z0-9_\-./()%:#]*(?: [A-Z0-9_\-./()%:#]+)*$")
_GAP = re.compile(r" {2,}|\t+")


@dataclass
class Table:
    """One table: header cells, rows of cells (same length as the header), where it starts."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    line: int = 1
    """1-based line of the header within the output."""
    preamble: list[str] = field(default_factory=list)
    """Non-table lines between the previous table (or the start) and this header."""
    starts: list[int] = field(default_factory=list)
    """Column start positions (characters) in the header line."""

    def column(self, name: str) -> int | None:
        """Index of the header cell ``name`` (exact match), or None."""
        try:
            return self.header.index(name)
        except ValueError:
            return None

    def as_json(self) -> dict:
        """The JSON shape printed by ``execdocs table``."""
        return {"header": self.header, "rows": self.rows, "line": self.line,
                "preamble": self.preamble}


def _header(line: str) -> tuple[list[str], list[int]] | None:
    """Cells and start positions if ``line`` is a table header, else None."""
    stripped = line.rstrip()
    # cheap rejections first: data rows hold lower-case letters, headers never do
    if not stripped or stripped[0] == " " or stripped.upper() != stripped:
        return None
    cells: list[str] = []
    starts: list[int] = []
    pos = 0
    for m in _GAP.finditer(stripped):
        cells.append(stripped[pos : m.start()])
        starts.append(pos)
        pos = m.end()
    cells.append(stripped[pos:])
    starts.append(pos)
    if len(cells) < 2 or not all(_HEADER_CELL.match(c) for c in cells):
        return None
    return cells, starts


def _bare_header(line: str) -> tuple[list[str], list[int]] | None:
    """A header printed with single blanks (tabwriter padding 1 and no rows: ``ctr images ls``
    on an empty namespace); only taken when no row follows, since words cannot be grouped."""
    stripped = line.rstrip()
    if not _HEADER_CELL.match(stripped) or " " not in stripped:
        return None
    cells, starts, pos = [], [], 0
    for word in stripped.split(" "):
        cells.append(word)
        starts.append(pos)
        pos += len(word) + 1
    return cells, starts


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _display_to_index(line: str, starts: list[int]) -> list[int]:
    """Translate display-cell positions into character indexes of ``line``."""
    out: list[int] = []
    col = 0
    idx = 0
    for target in starts:
        while idx < len(line) and col < target:
            col += _width(line[idx])
            idx += 1
        out.append(idx)
    return out


def _clean(line: str, starts: list[int]) -> int:
    """How many column starts fall on a gap boundary (a blank just before, or past the end)."""
    score = 0
    for s in starts[1:]:
        if s >= len(line) or line[s - 1] in " \t":
            score += 1
    return score


def _cut(line: str, starts: list[int]) -> list[str]:
    cells = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(line)
        cells.append(line[s:end].strip())
    return cells


def _snap(line: str, starts: list[int]) -> list[int]:
    """Move a start that falls inside a word to the nearest word start (hand-aligned output)."""
    out = [starts[0]]
    for s in starts[1:]:
        if s >= len(line) or line[s - 1] in " \t":
            out.append(s)
            continue
        for delta in (1, -1, 2, -2, 3, -3):
            p = s + delta
            if out[-1] < p < len(line) and line[p - 1] in " \t" and line[p] not in " \t":
                out.append(p)
                break
        else:
            out.append(s)
    return out


def split_row(line: str, starts: list[int]) -> list[str]:
    """Cut one row at the header's column starts (rune or display positions, whichever fits)."""
    chosen = starts
    if not line.isascii():
        by_display = _display_to_index(line, starts)
        if _clean(line, by_display) > _clean(line, starts):
            chosen = by_display
    if _clean(line, chosen) < len(chosen) - 1:
        chosen = _snap(line, chosen)
    return _cut(line, chosen)


def parse_tables(text: str) -> list[Table]:
    """Every table in ``text``; lines that are no table's header or row become preambles."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    tables: list[Table] = []
    current: Table | None = None
    preamble: list[str] = []
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        found = _header(line)
        if found is None and current is None:
            nxt = lines[lineno].strip() if lineno < len(lines) else ""
            if not nxt:
                found = _bare_header(line)
        if found is not None:
            cells, starts = found
            current = Table(header=cells, line=lineno, preamble=preamble, starts=starts)
            tables.append(current)
            preamble = []
            continue
        if current is not None and line.strip():
            current.rows.append(split_row(line.rstrip(), current.starts))
            continue
        current = None  # a blank line ends the table
        if line.strip():
            preamble.append(line)
    return tables


def trailing_lines(text: str) -> list[str]:
    """Non-blank lines after the last table that belong to no table (for ``execdocs table``)."""
    lines = [ln.rstrip("\r") for ln in text.replace("\r\n", "\n").split("\n")]
    tables = parse_tables(text)
    if not tables:
        return [ln for ln in lines if ln.strip()]
    last = tables[-1]
    after = lines[last.line + len(last.rows):]
    return [ln for ln in after if ln.strip()]
