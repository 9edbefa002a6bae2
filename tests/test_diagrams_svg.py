"""Graphviz's SVG as the renderer post-processes it, on real ``dot`` output."""

from __future__ import annotations

import re
import shutil
import subprocess

from execdocs.diagrams.svg import postprocess


def _dot_svg(source: str) -> str:
    dot = shutil.which("dot")
    assert dot, "Graphviz's dot is needed (scripts/setup.sh installs it)"
    return subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, text=True,
                          check=True).stdout


def test_blank_label_lines_are_dropped_and_the_label_kept() -> None:
    # diagram_src/_style.py's flow() ends every edge label with a blank line (spacing); dot
    # writes it as a <text> holding one space, which draws nothing.
    raw = _dot_svg('digraph { rankdir=LR; a -> b [label="생성\\n "] }')
    assert re.search(r"<text[^>]*> </text>", raw), "dot no longer writes the blank line"
    body = postprocess(raw, font="NanumGothic", icon_px=64, links=[])["body"]
    texts = re.findall(r"<(?:svg:)?text\b[^>]*>([^<]*)</(?:svg:)?text>", body)
    assert "생성" in texts
    assert all(t.strip() for t in texts), texts
