"""The code lines a built page shows: what the plain-vs-execdocs build diffs compare."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path


def code_lines(page: Path) -> Counter[str]:
    """Every non-blank line inside a ``<pre>`` of ``page``, tags dropped, entities decoded."""
    text = page.read_text(encoding="utf-8")
    lines: Counter[str] = Counter()
    for pre in re.findall(r"<pre[^>]*>(.*?)</pre>", text, flags=re.S):
        lines.update(ln for ln in html.unescape(re.sub(r"<[^>]+>", "", pre)).split("\n")
                     if ln.strip())
    return lines
