"""Column tables in command output (kubectl, crictl, ctr, nerdctl, helm, docker) by position.

kubectl and friends print tables with Go's tabwriter: every column starts where its header word
starts, and the header is re-padded when a value grows. So cells are cut at the header's word
positions (or its tabs, see ``table_cut``), never split on whitespace: ``2 hours ago``,
``28 (3m38s ago)`` and ``<none>`` stay one cell, an empty cell stays empty. Lines that are not
part of a table (crictl's ``WARN[0000]``, kubectl's ``Warning:`` lines) are kept as the table's
preamble. A table ends at a blank line, a prompt line or the next header, so
``kubectl get nodes,pods`` gives several tables.

Reference outputs are copied from other people's terminals, so a block may be a transcript:

- A *prompt line* (``$ cmd``, ``# cmd``, ``user@host:path$ cmd``, ``[user@host path]$ cmd``, a
  bare prompt; the shapes are ``DEFAULT_PROMPTS`` plus any the caller adds) ends the table
  before it and is kept as preamble of the next one (or as a trailing line).
- An *elision line* (``...``, ``# [...]``, ``<snip>``) inside a table is no row; it is counted in
  ``Table.elided`` and the table goes on.
- A blank line right after a header (a blog engine's doing) does not end the table when the
  next line reads as a row of it; nor does one between rows when every row so far had one.
- A header continued on an indented next line (a narrow terminal wrapped it) is joined; its rows
  cannot be placed and are reported.
- A row that cannot be placed under its header is kept in ``Table.unaligned`` with its line and
  the reason, never cut at a guessed place and never counted as a row.

An empty listing whose header words are one blank apart (``ctr`` pads with one blank) is read as
a header-only table, one column per word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from execdocs.snippets.table_cut import Layout, cut_field, cut_row, read_bare_header, read_header

DEFAULT_PROMPTS: tuple[str, ...] = (
    r"\$(?:\s|$)",                                         # $ cmd, a bare $
    r"#(?:\s|$)",                                          # # cmd (root), a bare #
    r"[\w.-]+@[\w.-]+:\S*\s?[$#>](?:\s|$)",                # user@host:path$ cmd (also # and >)
    r"\[[\w.-]+@[\w.-]+(?:[ :][^\]\n]*)?\]\s?[$#]",        # [user@host path]$cmd, blank or not
)
"""Regular expressions (matched at the start of a line) for shell prompt lines."""

_ELISION = re.compile(
    r"^\s*(?:#\s*|//\s*)?(?:\.{3,}|…|\[\s*(?:\.{3}|…)\s*\]|\(\s*(?:\.{3}|…)\s*\)|<\s*(?:\.{3}|…)\s*>"
    r"|<snip(?:ped)?>|\[snip(?:ped)?\]|\(snip(?:ped)?\)|-{2,}\s*snip\s*-{2,})\s*$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Unaligned:
    """A line inside a table that cannot be placed under its header."""

    line: int
    """1-based line within the output."""
    text: str
    reason: str


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
    unaligned: list[Unaligned] = field(default_factory=list)
    """Lines inside the table that could not be placed under the header (not in ``rows``)."""
    elided: list[int] = field(default_factory=list)
    """Lines inside the table where the author elided rows (``...``, ``# [...]``)."""
    row_lines: list[int] = field(default_factory=list)
    """1-based output line of each row."""
    end: int = 1
    """1-based line of the table's last header, row, unaligned or elision line."""
    layout: Layout | None = None
    wrapped: int | None = None
    """Line where the header continues, when a narrow terminal wrapped it."""
    _spaced: int = 0  # rows that came after a bridged blank line

    def column(self, name: str) -> int | None:
        """Index of the header cell ``name`` (exact match), or None."""
        try:
            return self.header.index(name)
        except ValueError:
            return None

    def other_lines(self) -> list[str]:
        """The table's lines that hold no cells: its preamble, then its unaligned lines."""
        return self.preamble + [u.text for u in self.unaligned]

    def as_json(self) -> dict:
        """The JSON shape printed by ``execdocs table``."""
        out: dict = {"header": self.header, "rows": self.rows, "line": self.line,
                     "preamble": self.preamble}
        if self.unaligned:
            out["unaligned"] = [{"line": u.line, "text": u.text, "reason": u.reason}
                                for u in self.unaligned]
        if self.elided:
            out["elided"] = self.elided
        return out


def compile_prompts(extra: Iterable[str] = (), defaults: bool = True) -> re.Pattern[str]:
    """One pattern for the prompt shapes: ``DEFAULT_PROMPTS`` (unless ``defaults`` is False)
    and ``extra`` (regular expressions matched at the start of a line).

    Raises ``re.error`` for a bad expression (the CLI turns it into a usage error)."""
    shapes = [*(DEFAULT_PROMPTS if defaults else ()), *extra]
    if not shapes:
        return re.compile(r"(?!)")  # matches nothing
    for shape in extra:
        re.compile(shape)  # name the bad one in the error, not the joined pattern
    return re.compile("|".join(f"(?:{s})" for s in shapes))


_DEFAULT = compile_prompts()


def is_elision(line: str) -> bool:
    """Whether ``line`` marks rows the author left out."""
    return _ELISION.match(line) is not None


def _lines(text: str) -> list[str]:
    lines = [ln.rstrip("\r") for ln in text.replace("\r\n", "\n").split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _indent(lines: list[str]) -> int:
    """Blanks every non-blank line starts with (a block pasted indented into prose)."""
    widths = [len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()]
    return min(widths, default=0)


def _row(table: Table, line: str) -> tuple[list[str] | None, str]:
    if table.wrapped is not None:
        return None, (f"the header is wrapped (continued on line {table.wrapped}): its columns "
                      "after the first line have no position")
    assert table.layout is not None
    cells, why = cut_row(line, table.layout, table.header)
    if cells is not None and len(cells) >= 3 and cells[0] and not any(cells[1:]):
        # kubectl, crictl, docker and helm fill every row past its first column; only two-
        # column tables (ctr namespaces ls: NAME LABELS) leave the rest empty
        return None, ("only the first column holds text: a line of prose, or a row broken "
                      "across lines?")
    return cells, why


class _Scanner:
    def __init__(self, raw: list[str], prompts: re.Pattern[str]) -> None:
        # lines are read without the block's common indent; what is kept is the line as written
        cut = _indent(raw)
        self.raw = raw
        self.lines = [ln[cut:] for ln in raw]
        self.prompts = prompts
        self.tables: list[Table] = []
        self.current: Table | None = None
        self.preamble: list[str] = []

    def is_prompt(self, line: str) -> bool:
        return self.prompts.match(line) is not None

    def _clear_row(self, i: int) -> bool:
        """Whether line ``i`` reads as a row of the current table with nothing guessed:
        every cut at a blank, two or more cells filled."""
        table = self.current
        if table is None or table.layout is None or table.wrapped is not None:
            return False
        line = self.lines[i]
        if self.is_prompt(line) or is_elision(line) or read_header(line) is not None:
            return False
        layout = table.layout
        if layout.tabbed:
            cells, _ = cut_row(line, layout, table.header)
        else:
            cells, _ = cut_field(line.rstrip(), list(layout.fields[0]), table.header)
        return cells is not None and sum(1 for c in cells if c) >= 2

    def _bridge(self, i: int) -> int | None:
        """Index of the row after the blank line(s) at ``i`` when they do not end the table."""
        table = self.current
        if table is None:
            return None
        j = i
        while j < len(self.lines) and not self.lines[j].strip():
            j += 1
        if j >= len(self.lines):
            return None
        header_only = not table.rows and not table.unaligned
        every_row_spaced = bool(table.rows) and table._spaced == len(table.rows)
        if (header_only or every_row_spaced) and self._clear_row(j):
            return j
        return None

    def scan(self) -> list[Table]:
        i = 0
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            lineno = i + 1
            if not line.strip():
                j = self._bridge(i)
                if j is not None:
                    assert self.current is not None
                    self.current._spaced += 1
                    i = j
                    continue
                self.current = None  # a blank line ends the table
                i += 1
                continue
            if is_elision(line):
                if self.current is not None:
                    self.current.elided.append(lineno)
                    self.current.end = lineno
                else:
                    self.preamble.append(self.raw[i])
                i += 1
                continue
            if self.is_prompt(line):
                self.current = None
                self.preamble.append(self.raw[i])
                i += 1
                continue
            if self._continues_header(line, lineno):
                i += 1
                continue
            found = read_header(line)
            if found is None and self.current is None:
                nxt = self.lines[i + 1] if i + 1 < n else ""
                if not nxt.strip() or self.is_prompt(nxt):
                    found = read_bare_header(line)
            if found is not None:
                cells, layout = found
                self.current = Table(header=cells, line=lineno, preamble=self.preamble,
                                     starts=layout.starts, end=lineno, layout=layout)
                self.tables.append(self.current)
                self.preamble = []
            elif self.current is not None:
                row, why = _row(self.current, line)
                if row is not None:
                    self.current.rows.append(row)
                    self.current.row_lines.append(lineno)
                else:
                    self.current.unaligned.append(Unaligned(lineno, self.raw[i], why))
                self.current.end = lineno
            else:
                self.preamble.append(self.raw[i])
            i += 1
        return self.tables

    def _continues_header(self, line: str, lineno: int) -> bool:
        """Join an indented header-like line right under a header (a wrapped header)."""
        table = self.current
        if (table is None or table.rows or table.unaligned or table.end != lineno - 1
                or not line[:1].isspace()):
            return False
        found = read_header(line.strip())
        if found is None:
            return False
        table.header = table.header + found[0]
        table.wrapped = lineno
        table.end = lineno
        return True


def parse_tables(text: str, prompts: re.Pattern[str] | None = None) -> list[Table]:
    """Every table in ``text``; lines that are no table's header or row become preambles.

    ``prompts`` (from ``compile_prompts``) says which lines are shell prompts; the default
    shapes are ``DEFAULT_PROMPTS``."""
    return _Scanner(_lines(text), prompts or _DEFAULT).scan()


def trailing_lines(text: str, prompts: re.Pattern[str] | None = None) -> list[str]:
    """Non-blank lines after the last table that belong to no table (for ``execdocs table``)."""
    lines = _lines(text)
    tables = parse_tables(text, prompts)
    if not tables:
        return [ln for ln in lines if ln.strip()]
    return [ln for ln in lines[tables[-1].end:] if ln.strip()]


def report_lines(tables: list[Table], where: str, trailing: list[str]) -> list[str]:
    """What ``execdocs table`` tells a reader about each table, in order: the preamble lines it
    took, how many rows it read, each elision, and each row it could not align (``where`` is
    the file name, or ``FILE stdout`` for a capture; unaligned rows read ``where:LINE``)."""
    out: list[str] = []
    for k, t in enumerate(tables, start=1):
        wrapped = f" (header wrapped onto line {t.wrapped})" if t.wrapped else ""
        out.append(f"{where}:{t.line}: table {k}: {' | '.join(t.header)}{wrapped}: "
                   f"{len(t.rows)} row(s), {len(t.unaligned)} unaligned")
        out += [f"  preamble: {line}" for line in t.preamble]
        out += [f"  {where}:{n}: elided rows" for n in t.elided]
        for u in t.unaligned:
            out.append(f"  {where}:{u.line}: row cannot be aligned: {u.reason}")
            out.append(f"    {u.text}")
    out += [f"  after the last table: {line}" for line in trailing] if tables else []
    return out
