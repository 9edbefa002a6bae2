"""Reading one header line and cutting one row under it (the line-level half of ``tables``).

A header is a line of upper-case words separated by two or more blanks or by tabs (one blank
joins the words of one cell: ``CONTAINER ID``). Its tabs split it into *fields*; inside a field
the columns start where their header words start. tabwriter's outputs come in three shapes:

- blank-padded (kubectl, crictl, docker, nerdctl; ctr pads with a single blank): a row's value
  starts where its header word starts;
- tab-separated (helm pads each cell with blanks and then writes a tab): a tab is a column
  boundary wherever it falls, so a field is cut by tabs first, then by position inside it;
- tab-separated with the tabs expanded to 8-column stops (a copy from a terminal or a web page):
  read by position against the header expanded the same way.

A row is cut at the header's positions when every cut falls at a blank (fast path, exact for
untouched tabwriter output). Otherwise the row is read as *chunks* (text between runs of two or
more blanks) and each chunk is placed under the header word whose start is within ``WINDOW``
characters of its own: pasted rows that drifted by a few characters, or grew four by a Markdown
``**bold**``, are read whole instead of being cut inside a word. A chunk that lies under no
header word, two chunks under one header, or a chunk running across the next header's start
without a blank there make the row *unaligned*: the reason is returned, and the caller reports
the row instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WINDOW = 4
"""How far (characters) a value may start from its header word and still be read under it."""

_HEADER_CELL = re.compile(r"^[A-Z][A-Z0-9_\-./()%:#]*(?: [A-Z0-9_\-./()%:#]+)*$")
_ELIDED_COLUMN = ("...", "…")  # a column the author cut out of the header and every row
_CHUNK = re.compile(r"[^ ]+(?: [^ ]+)*")  # text between runs of two or more blanks
_GAP = re.compile(r" {2,}")
_BOLD = re.compile(r"^\*\*(.+)\*\*$")


@dataclass(frozen=True)
class Layout:
    """Where a header's columns start: per tab-separated field, offsets inside the field."""

    fields: tuple[tuple[int, ...], ...]
    expanded: tuple[int, ...] | None = None
    """Column starts in the header with its tabs expanded to 8-column stops (tabbed headers)."""

    @property
    def tabbed(self) -> bool:
        """Whether the header has tabs."""
        return len(self.fields) > 1

    @property
    def starts(self) -> list[int]:
        """Column starts as positions in the header line (for blank-padded headers)."""
        if not self.tabbed:
            return list(self.fields[0])
        return list(self.expanded or ())


def _cells_of(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _CHUNK.finditer(text)]


def read_header(line: str) -> tuple[list[str], Layout] | None:
    """Header cells and layout if ``line`` is a table header, else None."""
    stripped = line.rstrip()
    # cheap rejections first: data rows hold lower-case letters, headers never do
    if not stripped or stripped[0] in " \t" or stripped.upper() != stripped:
        return None
    cells: list[str] = []
    fields: list[tuple[int, ...]] = []
    for field_text in stripped.split("\t"):
        found = _cells_of(field_text)
        if not found:
            return None  # an empty field: two tabs in a row has no header to place
        for _, cell in found:
            if not (_HEADER_CELL.match(cell) or cell in _ELIDED_COLUMN):
                return None
        cells.extend(cell for _, cell in found)
        fields.append(tuple(pos for pos, _ in found))
    if len(cells) < 2 or cells[0] in _ELIDED_COLUMN:
        return None
    expanded = None
    if len(fields) > 1:
        found = _cells_of(stripped.expandtabs(8))
        if len(found) == len(cells):
            expanded = tuple(pos for pos, _ in found)
    return cells, Layout(fields=tuple(fields), expanded=expanded)


def read_bare_header(line: str) -> tuple[list[str], Layout] | None:
    """A header printed with single blanks (tabwriter padding 1 and no rows: ``ctr images ls``
    on an empty namespace); the caller takes it only when no row follows."""
    stripped = line.rstrip()
    if not _HEADER_CELL.match(stripped) or " " not in stripped:
        return None
    cells, starts, pos = [], [], 0
    for word in stripped.split(" "):
        cells.append(word)
        starts.append(pos)
        pos += len(word) + 1
    return cells, Layout(fields=(tuple(starts),))


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
        out.append(idx + max(0, target - col))
    return out


def _unbold(cell: str) -> str:
    # a Markdown **bold** a poster put around a value is no part of the value
    m = _BOLD.match(cell)
    return m.group(1) if m else cell


def _fast(text: str, starts: list[int]) -> list[str] | None:
    """Cut at the starts when each falls at a blank and no cell holds a gap, else None."""
    n = len(text)
    for s in starts[1:]:
        if s >= n or text[s - 1] == " ":
            continue
        if text[s] == " " and (s + 1 >= n or text[s + 1] == " "):
            continue  # the value before filled its column exactly; a gap follows
        return None
    cells = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else n
        cell = text[0 if i == 0 else s:end].strip()
        if _GAP.search(cell):
            return None  # two values under one header: positions do not hold
        cells.append(cell)
    return cells


def _split_point(text: str, a: int, b: int, target: int, window: int) -> int | None:
    """A word start inside ``text[a:b]`` after a single blank, at ``target`` or within
    ``window`` of it (nearest first), else None."""
    for delta in sorted(range(-window, window + 1), key=abs):
        p = target + delta
        if a < p < b and text[p - 1] == " " and text[p] != " ":
            return p
    return None


def _chunked(text: str, starts: list[int], names: list[str]) -> tuple[list[str] | None, str]:
    """Place each chunk under the header word nearest its start (within WINDOW)."""
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    pieces: dict[int, str] = {}
    last = -1
    # one run of words with no gap anywhere (prose) is split only at exact positions
    window = WINDOW if len(chunks) > 1 else 0
    for a, b in chunks:
        near = sorted((abs(s - a), i) for i, s in enumerate(starts) if abs(s - a) <= WINDOW)
        free = [i for _, i in near if i > last]
        if not free:
            if near:
                return None, f"two values under {names[near[0][1]]!r}"
            return None, (f"{text[a:b][:30]!r} at column {a + 1} starts under no header word "
                          f"(none within {WINDOW} characters)")
        col, cut = free[0], a
        # a header word that starts inside this chunk needs a blank to cut at
        for i in range(col + 1, len(starts)):
            if not a < starts[i] < b:
                continue
            p = _split_point(text, cut, b, starts[i], window)
            if p is None:
                return None, f"{text[a:b][:30]!r} runs across the start of {names[i]!r}"
            pieces[col] = text[cut:p].strip()
            cut, col = p, i
        pieces[col] = text[cut:b].strip()
        last = col
    return [pieces.get(i, "") for i in range(len(starts))], ""


def cut_field(text: str, starts: list[int], names: list[str]) -> tuple[list[str] | None, str]:
    """Cells of one blank-padded field, or None and why it cannot be aligned."""
    tries = [starts]
    if not text.isascii():
        # Go's tabwriter counts runes, terminals and wcwidth-aware tools count display cells
        by_display = _display_to_index(text, starts)
        if by_display != starts:
            tries.append(by_display)
    for pos in tries:
        cells = _fast(text, pos)
        if cells is not None:
            return cells, ""
    first_reason = ""
    for pos in tries:
        cells, why = _chunked(text, pos, names)
        if cells is not None:
            return cells, ""
        first_reason = first_reason or why
    return None, first_reason


def cut_row(line: str, layout: Layout, names: list[str]) -> tuple[list[str] | None, str]:
    """Cells of one row under ``layout`` (``names``: the header cells), or None and why not."""
    text = line.rstrip(" ")  # keep trailing tabs: they still separate (empty) fields
    if not layout.tabbed:
        cells, why = cut_field(text.expandtabs(8) if "\t" in text else text,
                               list(layout.fields[0]), names)
    elif "\t" not in text:
        if layout.expanded is None:
            return None, "the header is tab-separated, the row has no tab"
        cells, why = cut_field(text, list(layout.expanded), names)
    else:
        cells, why = _cut_tabbed(text, layout, names)
    if cells is None:
        return None, why
    return [_unbold(c) for c in cells], ""


def _cut_tabbed(text: str, layout: Layout, names: list[str]) -> tuple[list[str] | None, str]:
    parts = text.split("\t")
    n = len(layout.fields)
    if len(parts) > n and any(p.strip() for p in parts[n:]):
        return None, f"{len(parts)} tab-separated fields, the header has {n}"
    parts = parts[:n] + [""] * (n - len(parts))
    cells: list[str] = []
    k = 0
    for part, starts in zip(parts, layout.fields, strict=True):
        field_names = names[k:k + len(starts)]
        k += len(starts)
        if len(starts) == 1:
            cells.append(part.strip())  # one column: the whole field, blanks inside and all
            continue
        got, why = cut_field(part.rstrip(), list(starts), field_names)
        if got is None:
            return None, why
        cells.extend(got)
    return cells, ""
