"""Read the hand-written expectations of the real-output corpus in ``samples/tables/``.

Each sample holds ``# expect ...`` lines written by reading the block, before the parser ran
(see ``samples/tables/README.md``); this module only reads them, it never derives a value from
the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "samples" / "tables"
_SEP = "--- output\n"
_TABLE = re.compile(r"^table (\d+) (header|rows|unaligned|preamble|cell): ?(.*)$")
_CELL = re.compile(r"^(\d+) (.+?) = (.*)$")


@dataclass
class ExpectedTable:
    """What a human reads in one table of a sample."""

    header: list[str] | None = None
    rows: int | None = None
    unaligned: int | None = None
    preamble: int | None = None
    cells: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class Sample:
    """One corpus file: its source, its output text and the expectations."""

    path: Path
    source: str
    text: str
    tables: int
    trailing: int | None
    expected: dict[int, ExpectedTable]


def load(path: Path) -> Sample:
    """Parse one sample file; raise ValueError naming the line when it is malformed."""
    raw = path.read_bytes().decode("utf-8")
    head, sep, text = raw.partition(_SEP)
    if not sep:
        raise ValueError(f"{path.name}: no '--- output' line")
    source = ""
    tables: int | None = None
    trailing: int | None = None
    expected: dict[int, ExpectedTable] = {}
    for lineno, line in enumerate(head.splitlines(), start=1):
        if line.startswith("# source: "):
            source = line[len("# source: "):].strip()
            continue
        if not line.startswith("# expect "):
            continue
        spec = line[len("# expect "):]
        if spec.startswith("tables: "):
            tables = int(spec[len("tables: "):])
            continue
        if spec.startswith("trailing: "):
            trailing = int(spec[len("trailing: "):])
            continue
        m = _TABLE.match(spec)
        if not m:
            raise ValueError(f"{path.name}:{lineno}: cannot read {line!r}")
        exp = expected.setdefault(int(m.group(1)), ExpectedTable())
        key, value = m.group(2), m.group(3)
        if key == "header":
            exp.header = [c.strip() for c in value.split(" | ")]
        elif key == "cell":
            c = _CELL.match(value)
            if not c:
                raise ValueError(f"{path.name}:{lineno}: cannot read cell {value!r}")
            cell = "" if c.group(3) == "<empty>" else c.group(3)
            exp.cells.append((int(c.group(1)), c.group(2), cell))
        else:
            setattr(exp, key, int(value))
    if not source.startswith("https://"):
        raise ValueError(f"{path.name}: no '# source: https://...' citation")
    if tables is None:
        raise ValueError(f"{path.name}: no '# expect tables: N'")
    return Sample(path=path, source=source, text=text, tables=tables, trailing=trailing,
                  expected=expected)


def samples() -> list[Path]:
    """Every corpus file, sorted."""
    return sorted(CORPUS.glob("*.txt"))
