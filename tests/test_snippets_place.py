"""Fences swapped for placeholders in the Markdown MkDocs hands over, then for HTML."""

from __future__ import annotations

from execdocs.snippets.parse import parse_page
from execdocs.snippets.place import (
    front_matter_offset,
    insert_html,
    placeholder,
    replace_fences,
    unchecked_prompts,
)

SOURCE = """\
---
title: x
---

# 제목

<!-- execdocs: session: other -->
```console
$ kubectl get nodes
```

=== "탭"

    ```console
    $ crictl ps
    ```
"""


def _markdown_as_mkdocs_gives_it() -> str:
    return SOURCE.split("---\n", 2)[2].lstrip("\n")


def test_front_matter_offset_exact_and_after_another_plugin() -> None:
    md = _markdown_as_mkdocs_gives_it()
    assert front_matter_offset(SOURCE, md) == 4
    # another plugin rewrote a line before us: the offset comes from the front matter itself
    assert front_matter_offset(SOURCE, md.replace("# 제목", "# 바뀐 제목")) == 4
    assert front_matter_offset("# no front matter\n", "# no front matter\n") == 0


def test_fences_and_directives_become_indented_placeholders() -> None:
    parsed = parse_page("docs/p.md", SOURCE)
    md = _markdown_as_mkdocs_gives_it()
    out, placed, problems = replace_fences(md, 4, parsed.fences, "n0nce", "docs/p.md")
    assert problems == [] and sorted(placed) == [0, 1]
    assert out == ("# 제목\n\n\n" + placeholder("n0nce", 0) + "\n\n\n"
                   '=== "탭"\n\n\n    ' + placeholder("n0nce", 1) + "\n\n")
    assert "<!-- execdocs" not in out


def test_fence_moved_by_another_plugin_is_reported_not_misplaced() -> None:
    parsed = parse_page("docs/p.md", SOURCE)
    md = "extra line\n" + _markdown_as_mkdocs_gives_it()
    out, placed, problems = replace_fences(md, 4, parsed.fences, "n", "docs/p.md")
    assert sorted(p.line for p in problems) == [8, 14] and placed == {}
    assert out == md


def test_insert_html_swaps_paragraphs_and_reports_missing() -> None:
    html = f"<h1>x</h1>\n<p>{placeholder('n', 0)}</p>\n<div><p>\n{placeholder('n', 1)}\n</p></div>"
    out, missing = insert_html(html, "n", {0: "<A/>", 1: "<B/>", 2: "<C/>"})
    assert out == "<h1>x</h1>\n<A/>\n<div><B/></div>"
    assert missing == [2]


def test_unchecked_prompts_counts_pygments_prompts() -> None:
    assert unchecked_prompts('<code><span class="gp">$ </span>ls</code>') == 1
    assert unchecked_prompts("<code>$ ls</code>") == 0
