"""Assertions written on a fence, checked against a capture's output.

One assertion per line (see ``parse`` for where they are written)::

    STATUS=Ready                      every row of the table: cell equals
    CONTAINER-RUNTIME~containerd://   every row: cell contains
    NAME^=nginx-                      every row: cell starts with
    STATUS!=NotReady                  every row: cell differs
    any STATUS=NotReady               at least one row
    STATUS=NotReady where NAME=k3s-2  the rows selected by the condition (at least one must exist)
    rows=3   rows>=1                  number of rows
    contains: containerd              stdout holds the text
    matches: Runtime.*containerd      a regular expression matches stdout (re.MULTILINE)
    stderr contains: connection refused
    stderr matches: ^E\\d+

Column names are header cells as printed (``CONTAINER ID``, ``NOMINATED NODE``); the table
used is the first one in the output that has every column the assertion names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from execdocs.snippets.tables import Table

_COND_RE = re.compile(r"^(?P<col>[A-Z][A-Z0-9_\-./()%:# ]*?)\s*(?P<op>!=|\^=|=|~)\s*(?P<val>.*)$")
_ROWS_RE = re.compile(r"^rows\s*(?P<op>>=|<=|=|>|<)\s*(?P<n>\d+)$")
_TEXT_RE = re.compile(r"^(?P<stream>stderr\s+)?(?P<kind>contains|matches)\s*:\s*(?P<val>.+)$")


class AssertionSyntaxError(ValueError):
    """An assertion line that does not parse."""


@dataclass(frozen=True)
class Condition:
    """``COLUMN op VALUE``."""

    column: str
    op: str
    value: str

    def test(self, cell: str) -> bool:
        """Whether ``cell`` satisfies the condition."""
        if self.op == "=":
            return cell == self.value
        if self.op == "!=":
            return cell != self.value
        if self.op == "^=":
            return cell.startswith(self.value)
        return self.value in cell

    def __str__(self) -> str:
        return f"{self.column}{self.op}{self.value}"


@dataclass(frozen=True)
class Assertion:
    """A parsed assertion line."""

    text: str
    kind: str  # "cell", "rows", "text"
    quantifier: str = "all"
    condition: Condition | None = None
    where: Condition | None = None
    rows_op: str = ""
    rows_n: int = 0
    stream: str = "stdout"
    pattern: str = ""
    regex: bool = False


def _condition(text: str) -> Condition:
    m = _COND_RE.match(text.strip())
    if not m or not m["val"].strip() and m["op"] not in ("=", "!="):
        raise AssertionSyntaxError(
            f"cannot read {text.strip()!r}: expected COLUMN=VALUE, COLUMN~TEXT, COLUMN^=PREFIX "
            "or COLUMN!=VALUE with an upper-case column name")
    return Condition(m["col"].strip(), m["op"], m["val"].strip())


def parse_assertion(text: str) -> Assertion:
    """Parse one assertion line; raise ``AssertionSyntaxError`` with a readable reason."""
    line = text.strip()
    m = _TEXT_RE.match(line)
    if m:
        stream = "stderr" if m["stream"] else "stdout"
        value = m["val"].strip()
        if m["kind"] == "matches":
            try:
                re.compile(value)
            except re.error as exc:
                raise AssertionSyntaxError(f"bad regular expression {value!r}: {exc}") from None
        return Assertion(text=line, kind="text", stream=stream, pattern=value,
                         regex=m["kind"] == "matches")
    m = _ROWS_RE.match(line)
    if m:
        return Assertion(text=line, kind="rows", rows_op=m["op"], rows_n=int(m["n"]))
    quantifier = "all"
    rest = line
    for q in ("any ", "all ", "no "):
        if rest.startswith(q):
            quantifier, rest = q.strip(), rest[len(q):]
            break
    where = None
    parts = re.split(r"\s+where(?:\s+|$)", rest, maxsplit=1)
    if len(parts) == 2:
        rest, cond = parts
        if not cond.strip():
            raise AssertionSyntaxError(f"cannot read {line!r}: 'where' needs a COLUMN=VALUE")
        where = _condition(cond)
    return Assertion(text=line, kind="cell", quantifier=quantifier, condition=_condition(rest),
                     where=where)


def _pick_table(tables: list[Table], columns: list[str]) -> Table | None:
    for table in tables:
        if all(table.column(c) is not None for c in columns):
            return table
    return None


def _row_name(table: Table, row: list[str], index: int) -> str:
    return f"row {index + 1} ({table.header[0]}={row[0]})" if row else f"row {index + 1}"


def evaluate(assertion: Assertion, stdout: str, stderr: str, tables: list[Table]) -> str | None:
    """Check one assertion; return why it fails (naming row and column) or None when it holds."""
    if assertion.kind == "text":
        text = stdout if assertion.stream == "stdout" else stderr
        if assertion.regex:
            ok = re.search(assertion.pattern, text, re.MULTILINE) is not None
        else:
            ok = assertion.pattern in text
        if ok:
            return None
        verb = "matches nothing in" if assertion.regex else "is not in"
        return f"{assertion.pattern!r} {verb} {assertion.stream}"
    columns = []
    if assertion.condition is not None:
        columns.append(assertion.condition.column)
    if assertion.where is not None:
        columns.append(assertion.where.column)
    table = _pick_table(tables, columns) if columns else (tables[0] if tables else None)
    if table is None:
        if not tables:
            return "the output holds no table"
        have = "; ".join(" | ".join(t.header) for t in tables)
        return f"no table has column(s) {', '.join(columns)} (headers: {have})"
    if table.unaligned:
        # fail closed: a row that cannot be placed under the header may be the one that matters
        u = table.unaligned[0]
        return (f"the table at output line {table.line} has {len(table.unaligned)} row(s) that "
                f"cannot be placed under its header (output line {u.line}: {u.reason}); "
                "fix the reference output, or run 'execdocs table' on the capture to see them")
    if assertion.kind == "rows":
        n = len(table.rows)
        ok = {"=": n == assertion.rows_n, ">=": n >= assertion.rows_n,
              "<=": n <= assertion.rows_n, ">": n > assertion.rows_n,
              "<": n < assertion.rows_n}[assertion.rows_op]
        return None if ok else f"the table at output line {table.line} has {n} row(s)"
    cond = assertion.condition
    assert cond is not None
    col = table.column(cond.column)
    assert col is not None
    rows = list(enumerate(table.rows))
    if assertion.where is not None:
        wcol = table.column(assertion.where.column)
        assert wcol is not None
        rows = [(i, r) for i, r in rows if assertion.where.test(r[wcol])]
        if not rows:
            return f"no row where {assertion.where}"
    if not rows:
        return f"the table at output line {table.line} has no rows"
    failing = [(i, r) for i, r in rows if not cond.test(r[col])]
    if assertion.quantifier == "any":
        if len(failing) < len(rows):
            return None
        seen = ", ".join(repr(r[col]) for _, r in rows[:5])
        return f"no row has {cond} (column {cond.column} holds {seen})"
    if assertion.quantifier == "no":
        passing = [(i, r) for i, r in rows if cond.test(r[col])]
        if not passing:
            return None
        i, r = passing[0]
        return f"{_row_name(table, r, i)}, column {cond.column} is {r[col]!r}"
    if not failing:
        return None
    i, r = failing[0]
    more = f" (and {len(failing) - 1} more row(s))" if len(failing) > 1 else ""
    return f"{_row_name(table, r, i)}, column {cond.column} is {r[col]!r}{more}"
