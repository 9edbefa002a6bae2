"""markdown-it-py (our parser) and Python-Markdown + pymdownx (the site) see the same snippets.

The site is rendered with the real extension set of mkdocs.yml; every console block Python-
Markdown produces (Pygments marks its prompts ``class="gp"``) must be a fence our parser found,
with the same commands in the same order -- and nothing more.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
from _site_markdown import site_extensions
from execdocs.snippets.parse import parse_page

SAMPLE = Path(__file__).parent / "samples" / "snippets" / "agree.md"


_site_extensions = site_extensions


def _python_markdown_blocks(source: str) -> list[list[str]]:
    body = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)  # as MkDocs strips it
    names, configs = _site_extensions()
    out = markdown.Markdown(extensions=names, extension_configs=configs).convert(body)
    blocks = []
    for code in re.findall(r"<code>(.*?)</code>", out, flags=re.S):
        if 'class="gp"' not in code:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", code))
        blocks.append([ln[2:] for ln in text.splitlines() if ln.startswith("$ ")])
    return blocks


def test_both_parsers_find_the_same_console_blocks() -> None:
    source = SAMPLE.read_text(encoding="utf-8")
    ours = parse_page("docs/agree.md", source)
    assert ours.problems == []
    mine = [[c.text for c in f.commands] for f in ours.fences]
    theirs = _python_markdown_blocks(source)
    assert mine == theirs
    # the sample really exercises every container: top level (``` and ~~~), admonition,
    # collapsed and open details, two tabs, a list item and a blockquote
    assert len(mine) == 10
    assert ["sudo crictl pods", "sudo crictl images"] in mine
    assert ["kubectl get ns"] in mine


def test_site_config_uses_the_extensions_the_parser_understands() -> None:
    names, _ = _site_extensions()
    # the parser knows admonitions, details and tabs; a new container extension needs a rule
    containers = {"admonition", "pymdownx.details", "pymdownx.tabbed", "pymdownx.blocks.tab",
                  "pymdownx.blocks.admonition", "pymdownx.blocks.details"}
    assert set(names) & containers <= {"admonition", "pymdownx.details", "pymdownx.tabbed"}
