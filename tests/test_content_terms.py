"""The contributor term list (CONTRIBUTING.md, "표기") holds in everything a reader sees.

Only the words that are wrong wherever they appear are checked here (파드, 포드, 퇴거, 추방,
폐기): the other rows of the list allow the English or old form in a heading or on first
mention, which a reviewer judges, not a grep. Scanned: the pages, diagram labels, the capture
session notes, the script that writes one of them, and the README.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AVOIDED = ("파드", "포드", "퇴거", "추방", "폐기")


def _files() -> list[Path]:
    out = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "diagram_src").glob("*.py"))
    out += sorted((ROOT / "captures").glob("*/session.yml"))
    out += sorted((ROOT / "captures").glob("*/*.capture"))
    return out + [ROOT / "scripts" / "record_containerd_captures.py", ROOT / "README.md"]


def test_the_term_list_names_the_avoided_words() -> None:
    table = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for word in AVOIDED:
        assert re.search(rf"^\|[^|]*\|[^|]*{word}", table, re.M), word


def test_no_avoided_term_in_pages_labels_notes_or_readme() -> None:
    found = [f"{path.relative_to(ROOT)}:{n}: {word}"
             for path in _files()
             for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
             for word in AVOIDED if word in line]
    assert found == []
