"""Compare a fresh output with the stored capture and say what kind of change it is.

Classes, most serious first:

- ``exit-status-changed``: the command now succeeds where it failed, or the reverse;
- ``structural``: something a reader would notice (a row, a status, a node, a version);
- ``volatile-only``: only what changes on every run differs (AGE, IPs, container and pod ids,
  pod-name hashes, timestamps, restart counts, PIDs);
- ``identical``: byte for byte.

Tables are compared cell by cell (columns cut at the header's word positions by the snippets
feature's table parser), because kubectl and ctr re-pad every column when one value grows: a
line diff would call that structural.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from execdocs.snippets.tables import Table, parse_tables, trailing_lines

IDENTICAL = "identical"
VOLATILE_ONLY = "volatile-only"
STRUCTURAL = "structural"
EXIT_STATUS_CHANGED = "exit-status-changed"

# Columns whose every value is expected to change between two runs on the same system.
VOLATILE_COLUMNS = frozenset({
    "AGE", "CREATED", "LAST SEEN", "FIRST SEEN", "RESTARTS", "PID", "IP", "INTERNAL-IP",
    "EXTERNAL-IP", "CLUSTER-IP", "POD ID", "CONTAINER ID", "LAST SCHEDULE", "DURATION",
    "UPDATED", "ATTEMPT",
})
_K8S_RAND = "bcdfghjklmnpqrstvwxz2456789"  # alphabet of Kubernetes' generated name suffixes
_MONTH = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# klog's line header: `E1126 15:37:41.875471   17660 memcache.go:265]` (time and PID vary).
_KLOG = r"(?m)^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6}\s+\d+ "
_DAY = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_ISO_TIME = (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?"
             r"(?: [A-Z]{3,4}\b)?")
_HTTP_TIME = (rf"(?:{_DAY}), \d{{1,2}} (?:{_MONTH}) \d{{4}} \d{{2}}:\d{{2}}:\d{{2}}"
              r"(?: [+-]\d{4}| [A-Z]{3})?")
_AGO = (r"\b(?:\d+[smhdwy])+ ago\b"
        r"|\b\d+ (?:second|minute|hour|day|week|month|year)s? ago\b"
        r"|\b(?:About an?|Less than an?) \w+ ago\b")
_IPV4 = r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w.])"
# Needs a `::` or a hex letter so that clock times (`15:30:05`) are not taken for addresses.
_IPV6 = (r"(?<![\w:])(?=[0-9a-f:]*(?:::|[a-f]))(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{1,4}"
         r"(?:/\d{1,3})?(?![\w:])")
# Full and short (12/13 hex) container, pod and task ids. Image digests (`sha256:...`) stay:
# a new digest is a new image, which a reader should see.
_ID = r"(?<![\w:])[0-9a-f]{64}(?!\w)|(?<![\w:])(?=[0-9a-f]*\d)[0-9a-f]{12,13}(?!\w)"
_NAME = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_RS_POD = rf"\b({_NAME})-[{_K8S_RAND}]{{6,10}}-[{_K8S_RAND}]{{5}}\b"  # deployment pods
_DS_POD = rf"\b({_NAME})-[{_K8S_RAND}]{{5}}\b"  # daemonset and job pods
NORMALISATION_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern), repl) for name, pattern, repl in (
        ("timestamp", _KLOG, "<KLOG> "),
        ("timestamp", _ISO_TIME, "<TIME>"),
        ("timestamp", _HTTP_TIME, "<TIME>"),
        ("age", _AGO, "<AGO>"),
        ("ip", _IPV4, "<IP>"),
        ("ip", _IPV6, "<IP>"),
        ("id", _ID, "<ID>"),
        ("pod-hash", _RS_POD, r"\1-…"),
        ("pod-hash", _DS_POD, r"\1-…"),
        ("restarts", r"(Restart Count:\s+)\d+", r"\1<N>"),
    )
)
"""(name, pattern, replacement) applied in order to every line and every table cell."""

def normalise(text: str) -> str:
    """Replace every volatile token of ``text`` by its placeholder (``<IP>``, ``nginx-…``)."""
    for _name, pattern, repl in NORMALISATION_RULES:
        text = pattern.sub(repl, text)
    return text


@dataclass(frozen=True)
class Output:
    """One run's observable result: exit status and the two streams."""

    exit_status: int | None
    stdout: bytes
    stderr: bytes


@dataclass
class Drift:
    """The class of change plus reviewable lines (``row web-1: STATUS RUNNING → STOPPED``)."""

    kind: str
    changes: list[str] = field(default_factory=list)


def _split(text: str) -> tuple[list[Table], list[str]]:
    """The output's tables (the snippets table parser) and its other lines, in order."""
    tables = parse_tables(text)
    plain = [line.rstrip() for t in tables for line in t.other_lines()]  # unaligned rows too
    plain += [line.rstrip() for line in trailing_lines(text)]
    return tables, plain


def _norm_cell(column: str, value: str) -> str:
    if column in VOLATILE_COLUMNS and value not in ("", "<none>"):
        return f"<{column}>"
    return normalise(value)


def _canonical(text: str) -> tuple[object, ...]:
    tables, plain = _split(text)
    return (
        tuple((tuple(t.header), tuple(tuple(_norm_cell(c, v) for c, v in zip(t.header, row,
                                                                              strict=True))
                                      for row in t.rows)) for t in tables),
        tuple(normalise(line) for line in plain),
    )


def _keyed(table: Table) -> dict[str, list[str]]:
    """Rows by their normalised first cell; repeats get ``#2``, ``#3``."""
    out: dict[str, list[str]] = {}
    for row in table.rows:
        key = _norm_cell(table.header[0], row[0]) if row else ""
        n, k = 1, key
        while k in out:
            n += 1
            k = f"{key} #{n}"
        out[k] = row
    return out


def _table_changes(old: Table, new: Table, stream: str) -> list[str]:
    if old.header != new.header:
        return [f"{stream} table header: {'  '.join(old.header)} → {'  '.join(new.header)}"]
    changes: list[str] = []
    before, after = _keyed(old), _keyed(new)
    for key, row in before.items():
        if key not in after:
            changes.append(f"row {key}: removed")
            continue
        for col, a, b in zip(new.header, row, after[key], strict=True):
            if a != b:
                volatile = _norm_cell(col, a) == _norm_cell(col, b)
                changes.append(f"row {key}: {col} {a or '∅'} → {b or '∅'}"
                               + (" (volatile)" if volatile else ""))
    changes += [f"row {key}: added" for key in after if key not in before]
    return changes


def _stream_changes(old: str, new: str, stream: str) -> list[str]:
    """Reviewable lines for one stream: per cell for tables, a unified diff for the rest."""
    ot, ol = _split(old)
    nt, nl = _split(new)
    changes: list[str] = []
    if len(ot) == len(nt):
        for a, b in zip(ot, nt, strict=True):
            changes += _table_changes(a, b, stream)
    else:
        changes.append(f"{stream}: {len(ot)} table(s) → {len(nt)} table(s)")
        ol, nl = old.splitlines(), new.splitlines()
    if ol != nl:
        diff = difflib.unified_diff(ol, nl, f"{stream} (stored)", f"{stream} (now)", n=1,
                                    lineterm="")
        changes += list(diff)
    return changes


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def classify(stored: Output, fresh: Output) -> Drift:
    """Classify ``fresh`` against ``stored`` and list the changes a reviewer should read."""
    changes: list[str] = []
    if stored.exit_status != fresh.exit_status:
        changes.append(f"exit status {stored.exit_status} → {fresh.exit_status}")
    if stored.stdout == fresh.stdout and stored.stderr == fresh.stderr:
        return Drift(EXIT_STATUS_CHANGED if changes else IDENTICAL, changes)
    same = True
    for stream, a, b in (("stdout", stored.stdout, fresh.stdout),
                         ("stderr", stored.stderr, fresh.stderr)):
        if a == b:
            continue
        old, new = _text(a), _text(b)
        changes += _stream_changes(old, new, stream)
        same = same and _canonical(old) == _canonical(new)
    if stored.exit_status != fresh.exit_status:
        return Drift(EXIT_STATUS_CHANGED, changes)
    return Drift(VOLATILE_ONLY if same else STRUCTURAL, changes)
