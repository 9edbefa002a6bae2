"""Remembered verdicts of the per-capture checks (and of the scanner's block-structure parse),
shared by builds and ``execdocs check``.

``check._capture_problems`` (provenance, exit status, ``run`` line, UTF-8, secrets, the page's
written output, assertions and the tables they need) is a pure function of the command as the
page writes it, the capture (every field, its path and line), the session's provenance, the
page label and the working folder (how paths are shown), and the code judging them. The memo
keys each verdict on a hash of exactly those (``repr`` of the two dataclasses, so a field added
later is in the key without anyone remembering to add it) plus ``check_cache.code_fingerprint``;
a changed byte anywhere is another key, and the check runs. The same holds for
``scan.code_blocks`` (the markdown-it block parse that finds indented code blocks on a page
whose console fences are indented): a pure function of the text, keyed on it; and for
``scan.find_fences`` (superfences' own fence finder, ~0.1 ms a page): a function of the text and
of the Markdown settings ``scan.finder_settings`` describes, keyed on both -- settings it
cannot describe the same way in every process (a custom fence's own validator) are never
remembered.

Kept in one file, ``.cache/execdocs/snippets/verdicts.json`` (see :func:`dumps`): read once
when a run starts (before a build starts any diagram job), written once at its end with only
the verdicts used by that run (so it does not grow), atomically. A file that is unreadable, of
the wrong shape or whose payload hash does not match is ignored as a whole. A verdict is only
as trustworthy as the project folder it sits in (the same user can edit the code); what is
published is still scanned by the render-time secret guard, which keeps only clean verdicts on
exact page texts (``execdocs.secret_memo``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from execdocs.atomic import write_atomic
from execdocs.problems import Problem
from execdocs.scan import ALL_BLOCKS, Blocks, CodeFence, code_blocks, find_fences, finder_settings
from execdocs.snippets.check_cache import CACHE_DIR, code_fingerprint

if TYPE_CHECKING:
    from markdown import Markdown

FILE_NAME = "verdicts.json"
T = TypeVar("T")


class VerdictMemo:
    """Verdicts by key; ``load`` once, ``get``/``put`` per capture check, ``save`` once."""

    def __init__(self, root: Path):
        self.path = Path(root) / CACHE_DIR / FILE_NAME
        self.fingerprint = code_fingerprint()
        self._old: dict[str, list[list[Any]]] = {}
        self._used: dict[str, list[list[Any]]] = {}  # key -> rows (problems or line ranges)
        self.hits = self.misses = 0

    def load(self) -> None:
        """Read the file (a missing or corrupt one is an empty memo)."""
        self._old = {}
        try:
            with open(self.path, "rb") as fh:
                head, _, body = fh.read().partition(b"\n")
            header = json.loads(head)
            if header["fingerprint"] == self.fingerprint and (
                    header["sha256"] == hashlib.sha256(body).hexdigest()):
                entries = json.loads(body.decode("utf-8", "surrogatepass"))
                if isinstance(entries, dict):
                    self._old = entries
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def key(self, *parts: object) -> str:
        """The key of a verdict on ``parts`` (reprs of every input)."""
        h = hashlib.sha256(self.fingerprint.encode())
        h.update(os.getcwd().encode("utf-8", "surrogateescape"))
        for part in parts:
            h.update(b"\0")
            h.update(repr(part).encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def _recall(self, key: str, read: Callable[[list[list[Any]]], T | None]) -> T | None:
        """What ``read`` makes of the rows remembered under ``key`` (kept for this run's file),
        or None -- a miss -- when there are none or ``read`` finds them of the wrong shape."""
        rows = self._used.get(key)
        if rows is None:
            rows = self._old.get(key)
        value = None if rows is None else read(rows)
        if value is None:
            self.misses += 1
            return None
        self._used[key] = rows  # type: ignore[assignment]  # not None when value is not
        self.hits += 1
        return value

    def get(self, key: str) -> list[Problem] | None:
        """The remembered problems, or None when this verdict is not known."""
        return self._recall(key, _problems_from)

    def code_blocks(self, masked: str, blocks: Blocks = ALL_BLOCKS) -> list[tuple[int, int]]:
        """``scan.code_blocks(masked, blocks)``, remembered."""
        key = self.key("code-blocks", masked, *blocks)
        ranges = self._recall(key, _ranges_from)
        if ranges is None:
            ranges = code_blocks(masked, blocks)
            self._used[key] = [[a, b] for a, b in ranges]
        return ranges

    def find_fences(self, lines: list[str], md: Markdown | None
                    ) -> tuple[list[CodeFence], int | None]:
        """``scan.find_fences(lines, md)``, remembered under the text and ``md``'s settings as
        ``scan.finder_settings`` describes them (not remembered when it cannot)."""
        settings = finder_settings(md)
        if settings is None:
            return find_fences(lines, md)
        key = self.key("fences", settings, "\n".join(lines))
        got = self._recall(key, lambda rows: _fences_from(rows, lines))
        if got is None:
            got = find_fences(lines, md)
            self._used[key] = [[got[1]], *(_fence_row(f, lines) for f in got[0])]
        return got

    def put(self, key: str, problems: list[Problem]) -> None:
        """Remember ``problems`` as the verdict for ``key``."""
        self._used[key] = [[p.path, p.line, p.message, p.detail, p.hint] for p in problems]

    def save(self) -> None:
        """Write the verdicts this run used (nothing when they are the file's already)."""
        if self._used == self._old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, dumps(self.fingerprint, self._used))
        except OSError:
            pass  # a cache that can't be written only costs the next run its speed
        self._old, self._used = self._used, {}


def dumps(fingerprint: str, entries: dict[str, Any]) -> bytes:
    """The memo file: a header line (the code fingerprint, the SHA-256 of the rest), then the
    entries as JSON on one line. The hash is checked on the bytes as read, so loading does not
    serialise the entries again (~5 ms for 300 pages)."""
    body = json.dumps(entries, ensure_ascii=False).encode("utf-8", "surrogatepass")
    head = json.dumps({"fingerprint": fingerprint, "sha256": hashlib.sha256(body).hexdigest()})
    return head.encode() + b"\n" + body


def _problems_from(rows: list[list[Any]]) -> list[Problem] | None:
    try:
        return [Problem(str(p), None if n is None else int(n), str(m), str(d), str(h))
                for p, n, m, d, h in rows]
    except (TypeError, ValueError):
        return None


def _ranges_from(rows: list[list[Any]]) -> list[tuple[int, int]] | None:
    try:
        return [(int(a), int(b)) for a, b in rows]
    except (TypeError, ValueError):
        return None


def _fence_row(fence: CodeFence, lines: list[str]) -> list[Any]:
    """A fence as JSON data; its body as ``{"cut": c, "n": n}`` when it is the ``n`` lines
    after the opening with their first ``c`` characters cut (most fences: the file stays small),
    else as the lines themselves."""
    body: Any = fence.body
    first = fence.start + 1
    if fence.body and first + len(fence.body) <= len(lines):
        cut = len(lines[first]) - len(fence.body[0])
        if cut >= 0 and all(lines[first + i][cut:] == ln for i, ln in enumerate(fence.body)):
            body = {"cut": cut, "n": len(fence.body)}
    elif not fence.body:
        body = {"cut": 0, "n": 0}
    return [fence.start, fence.end, fence.prefix, fence.marker, fence.lang, fence.opening, body,
            fence.counted, [list(o) for o in fence.options], fence.ident, list(fence.classes),
            [list(a) for a in fence.attrs]]


def _pairs(rows: Any) -> bool:
    """Whether ``rows`` is a list of [str, str] (a fence's options or attributes)."""
    return isinstance(rows, list) and all(
        isinstance(o, list) and len(o) == 2 and all(isinstance(x, str) for x in o) for o in rows)


def _fences_from(rows: list[list[Any]], lines: list[str]
                 ) -> tuple[list[CodeFence], int | None] | None:
    """The fences of :func:`_fence_row` rows (the first row: ``[unclosed]``), or None when the
    rows are not of that shape (then the finder runs)."""
    if not rows or not isinstance(rows[0], list) or len(rows[0]) != 1:
        return None
    unclosed = rows[0][0]
    if unclosed is not None and type(unclosed) is not int:
        return None
    out = []
    for row in rows[1:]:
        if not isinstance(row, list) or len(row) != 12:
            return None
        (start, end, prefix, marker, lang, opening, body, counted, options, ident, classes,
         attrs) = row
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(lines)
                and all(isinstance(x, str) for x in (prefix, marker, lang, opening, ident))
                and type(counted) is bool and _pairs(options) and _pairs(attrs)
                and isinstance(classes, list) and all(isinstance(c, str) for c in classes)):
            return None
        if isinstance(body, dict):
            cut, n = body.get("cut"), body.get("n")
            if type(cut) is not int or type(n) is not int or cut < 0 or n < 0 or (
                    start + 1 + n > len(lines)):
                return None
            body = [ln[cut:] for ln in lines[start + 1:start + 1 + n]]
        elif not (isinstance(body, list) and all(isinstance(x, str) for x in body)):
            return None
        out.append(CodeFence(start, end, prefix, marker, lang, list(body), opening, counted,
                             tuple((k, v) for k, v in options), ident, tuple(classes),
                             tuple((k, v) for k, v in attrs)))
    return out, unclosed
