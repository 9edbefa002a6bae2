"""Diagram references are found in the page source with the file's own line numbers."""

from __future__ import annotations

import re

import markdown
import pytest
from execdocs.diagrams.refs import DiagramRef, find_all

PAGE = """\
---
title: 제목
tags: [a, b]
---
# 제목

본문 ![첫 그림](diagram:one)
둘째 줄
![둘째 *그림*](diagram:two) 끝

!!! note "메모"
    ![관리 안](diagram:three)

=== "탭"

    설명
    ![탭 안](diagram:four)

```
![코드 안](diagram:not-a-ref)
```

`![인라인 코드](diagram:nor-this)` and ![외부](https://example.org/x.png)
"""


def test_lines_count_the_front_matter_and_containers():
    assert find_all(PAGE)[0] == [
        DiagramRef("one", "첫 그림", 7),
        DiagramRef("two", "둘째 그림", 9),
        DiagramRef("three", "관리 안", 12),
        DiagramRef("four", "탭 안", 17),
    ]


def test_python_markdown_renders_the_same_references():
    # What markdown-it-py finds must be exactly what the site's Python-Markdown turns into
    # <img src="diagram:..."> (the placeholders replaced after the build).
    body = PAGE.split("---\n", 2)[2]
    html = markdown.markdown(body, extensions=[
        "admonition", "attr_list", "pymdownx.superfences",
        "pymdownx.tabbed",
    ], extension_configs={"pymdownx.tabbed": {"alternate_style": True}})
    rendered = re.findall(r'<img alt="[^"]*" src="diagram:([^"]+)"', html)
    assert rendered == [ref.name for ref in find_all(PAGE)[0]]


@pytest.mark.parametrize("name, valid", [
    ("cluster", True), ("k3s_node", True), ("a-b", True),
    ("../etc/passwd", False), ("sub/x", False), ("", False),
])
def test_names_are_plain_file_stems(name, valid):
    assert DiagramRef(name, "", 1).valid_name is valid


def test_diagram_mentions_python_markdown_will_not_draw_are_doubts():
    source = ("# t\n\n![a][ref]\n\n[ref]: diagram:cluster\n\n"
              '<div>\n<img src="diagram:raw">\n</div>\n')
    assert find_all(source)[0] == []
    found = [(line, why.split(";")[0].split(" points")[0].lower())
             for line, why in find_all(source)[1]]
    assert found == [(7, "a raw html block mentions 'diagram:'"), (5, "reference definition [ref]")]


# Shapes around the cut: a fence open across the blank line after the mention (tab- and
# space-indented, in a quote, never closed), a fence abandoned by a less indented line, and
# an opener that, read as text in a page cut inside its fence, would close a code span
# around the image.
CUT_SHAPES = (
    "text ```span ![a](diagram:a)\n```\n\ncode\n```\n",
    "![a](diagram:a)\n```\n\n![not](diagram:inside)\n```\n",
    "![a](diagram:a)\n\t```\n\n\tcode\n\t```\n",
    "- item ![a](diagram:a)\n    ~~~~\n\n    x\n    ~~~~\n",
    "> ![a](diagram:a)\n> ```\n>\n> x\n> ```\n",
    "![a](diagram:a)\n```python\n\nnever closed\n",
    "  ```\n![a](diagram:a)\n\n  more\n```\n",
)


def test_the_cut_page_gives_the_whole_pages_references(monkeypatch):
    """find_all scans a page only up to the blank line after its last diagram mention when no
    fence is open there (refs._images_text): with a mention put after every line of every
    corpus page (and the shapes above), it finds what the whole page scanned gives."""
    from execdocs.diagrams import refs as refsmod
    from test_scan_agree import CORPORA, TRICKY

    filler = "\n".join(f"줄 {i} 본문" for i in range(40))
    pages = [TRICKY + p.read_text(encoding="utf-8") for p in CORPORA]
    pages += [shape + "\n" + filler + "\n" for shape in CUT_SHAPES]
    probes = ["![probe](diagram:probe)", "    ![indented](diagram:deep)", "> x ![q](diagram:q)"]
    cut_used = 0
    for page in pages:
        lines = page.split("\n")
        for at in range(0, len(lines) + 1, 1 if len(lines) < 60 else 3):
            text = "\n".join(lines[:at] + [probes[at % 3]] + lines[at:])
            cut = find_all(text)
            cut_used += refsmod._images_text(text) != text
            with monkeypatch.context() as whole_page:
                whole_page.setattr(refsmod, "_images_text", lambda body: body)
                whole = find_all(text)
            assert cut == whole, f"mention after line {at} of:\n{page[:300]}"
    assert cut_used > 100  # the cut page was really read, not only the whole one
