"""The shared scanner finds exactly what Python-Markdown + the site's extensions render.

Each corpus page is rendered with the extension set of this project's mkdocs.yml. Every
``<pre>`` code block in the HTML must be a fence the scanner found (same text, same order), or a
shape the scanner reports as a doubt at its line (a fence Python-Markdown shows as code); every
``<img src="diagram:...">`` must be an image the scanner found, and nothing more.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
from _site_markdown import site_extensions
from execdocs.diagrams.refs import find_all
from execdocs.scan import code_blocks, scan
from execdocs.snippets.parse import parse_page

SAMPLES = Path(__file__).parent / "samples" / "scan"


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured like the site (mkdocs.yml's markdown_extensions)."""
    names, configs = site_extensions()
    return markdown.Markdown(extensions=names, extension_configs=configs)


def rendered(source: str) -> tuple[list[str], list[str]]:
    """(text of every <pre> block, src name of every diagram image) in the rendered HTML."""
    out = site_markdown().convert(source)
    blocks = [html.unescape(re.sub(r"<[^>]+>", "", code)).rstrip("\n")
              for code in re.findall(r"<pre[^>]*>(.*?)</pre>", out, flags=re.S)]
    images = [html.unescape(src) for src in re.findall(r'<img [^>]*src="diagram:([^"]*)"', out)]
    return blocks, images


REALWORLD = Path(__file__).parent / "samples" / "realworld" / "docs"
# the real-world shapes too (see samples/realworld/SOURCES.md), except the pages whose text only
# exists after the macros plugin or pymdownx.snippets ran (test_realworld_corpus builds those)
CORPORA = sorted(SAMPLES.glob("*.md")) + sorted(
    p for p in REALWORLD.rglob("*.md") if p.name not in {"macros.md", "includes.md"})


@pytest.mark.parametrize("path", CORPORA, ids=[p.stem for p in CORPORA])
def test_scanner_accounts_for_every_rendered_block_and_image(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    source = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)  # as MkDocs strips it
    blocks, images = rendered(source)
    found = scan(source, site_markdown())
    lines = source.split("\n")
    # a block Python-Markdown renders from an indented code block holding a fence is reported
    doubted = {"\n".join(ln[4:] for ln in lines[at:at + 3]) for at, _ in found.doubts}
    assert [b for b in blocks if b not in doubted] == ["\n".join(f.body) for f in found.fences]
    assert images == [img.name for img in found.images]


TRICKY = """\
A paragraph
    indented, a lazy continuation
===

    code after a blank line
    more code

- item

      code in the item
  text
- next

<div>

    inside an html block
</div>

| a | b |
|---|---|
|   c | d |

!!! note

        code in an admonition
    text

> quote
>
>     quoted code
"""


def test_the_cut_property_holds_on_shapes_that_look_ahead(tmp_path: Path) -> None:
    page = tmp_path / "tricky.md"
    page.write_text(TRICKY * 3, encoding="utf-8")
    test_the_lines_after_a_line_never_decide_whether_it_is_in_a_code_block(page)


@pytest.mark.parametrize("path", CORPORA, ids=[p.stem for p in CORPORA])
def test_the_lines_after_a_line_never_decide_whether_it_is_in_a_code_block(path: Path) -> None:
    # what lets the scanner parse a page's block structure only up to its last indented fence:
    # on every page of the corpora, cut after every line, each line before the cut is in an
    # indented code block exactly when it is in one of the whole page (setext underlines,
    # tables and lists after the cut included)
    lines = path.read_text(encoding="utf-8").split("\n")
    whole = {i for a, b in code_blocks("\n".join(lines)) for i in range(a, b)}
    for cut in range(1, len(lines) + 1, 1 if len(lines) < 200 else 3):
        part = {i for a, b in code_blocks("\n".join(lines[:cut])) for i in range(a, b)}
        assert part == {i for i in whole if i < cut}, f"{path.name}: cut after line {cut}"


def test_the_shapes_corpus_exercises_every_container() -> None:
    source = (SAMPLES / "shapes.md").read_text(encoding="utf-8")
    found = scan(source, site_markdown())
    prefixes = {f.prefix for f in found.fences}
    assert {"", "   ", "    ", "        ", "> ", "> > "} <= prefixes
    assert {f.marker for f in found.fences} >= {"```", "~~~", "````"}
    names = [img.name for img in found.images]
    assert "name with space" in names and "클러스터" in names and "titled" in names
    assert "code-span" not in names and "link" not in names
    # the one fence Python-Markdown shows as code is a doubt at its own line
    (at, why), = found.doubts
    assert lines_at(source, at).strip() == "```console" and "indented code block" in why


def lines_at(source: str, at: int) -> str:
    return source.split("\n")[at]


def test_snippets_and_diagrams_read_pages_through_the_one_scanner() -> None:
    source = (SAMPLES / "shapes.md").read_text(encoding="utf-8")
    found = scan(source, site_markdown())
    parsed = parse_page("docs/shapes.md", source)
    console = [f for f in found.fences if f.lang == "console"
               and any(ln.startswith("$ ") for ln in f.body)]
    assert [f.line for f in parsed.fences] == [f.start + 1 for f in console]
    assert [(r.name, r.line) for r in find_all(source)[0]] == [
        (i.name, i.line + 1) for i in found.images]
    # the indented-code doubt is a problem at page:line, never silence
    assert [(p.line, p.message.split(":")[0]) for p in parsed.problems] == [
        (found.doubts[0][0] + 1, "fence inside an indented code block")]


def test_a_diagram_name_with_a_space_is_found_so_it_can_be_refused() -> None:
    refs = find_all("# t\n\n![그림](diagram:my diagram)\n")[0]
    assert [(r.name, r.line, r.valid_name) for r in refs] == [("my diagram", 3, False)]


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


# container name -> how it wraps a body (every shape the site's extensions give a meaning to)
CONTAINERS = {
    "top": lambda b: b,
    "list": lambda b: "- item\n\n" + _indent(b, "    "),
    "ordered-3": lambda b: "1. item\n\n" + _indent(b, "   "),
    "list-tight": lambda b: "- item\n" + _indent(b, "    "),
    "list-2": lambda b: "- item\n\n" + _indent(b, "  "),
    "nested-list": lambda b: "- a\n\n    - b\n\n" + _indent(b, "        "),
    "quote": lambda b: _indent(b, "> ").replace("\n\n", "\n>\n"),
    "quote-2": lambda b: _indent(b, "> > "),
    "admonition": lambda b: '!!! note "t"\n' + _indent(b, "    "),
    "admonition-blank": lambda b: "!!! note\n\n" + _indent(b, "    "),
    "admonition-5": lambda b: "!!! note\n" + _indent(b, "     "),
    "details": lambda b: "??? tip\n" + _indent(b, "    "),
    "details-open": lambda b: '???+ tip "x"\n' + _indent(b, "    "),
    "tab": lambda b: '=== "A"\n\n' + _indent(b, "    ") + '\n\n=== "B"\n\n    text',
    "tab-in-admonition": lambda b: '!!! note\n    === "A"\n\n' + _indent(b, "        "),
    "admonition-in-list": lambda b: "- x\n\n    !!! note\n" + _indent(b, "        "),
    "md-in-html": lambda b: "<div markdown>\n\n" + b + "\n\n</div>",
    "details-html": lambda b: "<details markdown>\n<summary>s</summary>\n\n" + b
                              + "\n\n</details>",
}
MARKERS = [("```", "```"), ("~~~", "~~~"), ("````", "````"), ("```", "````"), ("~~~~", "~~~")]
LANGS = ["console", "bash", "", "{.console}", 'console title="x"', 'console linenums="1"']


@pytest.mark.parametrize("container", sorted(CONTAINERS))
def test_generated_shapes_agree_with_python_markdown(container: str) -> None:
    wrap = CONTAINERS[container]
    for (opening, closing), lang in [(m, lang) for m in MARKERS for lang in LANGS]:
        body = (f"Para.\n\n{opening}{lang}\n$ kubectl get nodes\nNAME STATUS\n{closing}\n\n"
                "After ![d](diagram:x y).")
        source = "# T\n\n" + wrap(body) + "\n\nEnd.\n"
        blocks, images = rendered(source)
        blocks = [b for b in blocks if not re.fullmatch(r"[\d\n]+", b)]  # linenums column
        found = scan(source, site_markdown())
        case = f"{container} {opening}{lang} .. {closing}"
        assert blocks == ["\n".join(f.body) for f in found.fences], case
        assert images == [img.name for img in found.images] == ["x y"], case
        if not blocks and "console" in lang:  # a console block not rendered is reported
            assert found.doubts, case


@pytest.mark.parametrize("path", CORPORA, ids=[p.stem for p in CORPORA])
def test_images_are_found_alike_in_the_cut_page_and_the_whole(path: Path, monkeypatch) -> None:
    # what lets the image search parse a page only up to the blank line after its last diagram
    # mention (scan.images_cut), and skip the parse that makes fences exact (exact_fences=False,
    # diagrams read no fences): with a mention put after every line of every corpus page (and
    # the look-ahead shapes), the cut page gives the same images and diagram doubts as the whole
    # page scanned in full
    import execdocs.scan as scanmod

    lines = (TRICKY + path.read_text(encoding="utf-8")).split("\n")
    probes = ["![probe](diagram:probe)", "    ![indented](diagram:deep)", "> x ![q](diagram:q)"]
    for at in range(0, len(lines) + 1, 1 if len(lines) < 60 else 2):
        text = "\n".join(lines[:at] + [probes[at % 3]] + lines[at:])
        cut = scan(text, exact_fences=False)  # as diagrams/refs.py reads a page
        with monkeypatch.context() as whole_page:
            whole_page.setattr(scanmod, "images_cut", len)
            whole = scan(text)
        assert cut.images == whole.images, f"{path.name}: mention after line {at}"
        assert [d for d in cut.doubts if "diagram" in d[1]] == \
            [d for d in whole.doubts if "diagram" in d[1]], f"{path.name}: after line {at}"


CONSOLE_DEEP = ["    ```console", "    $ kubectl get nodes", "    ```"]


def _variants(source: str, most: int = 40) -> list[str]:
    """The page, and the page with an indented console fence put after a blank line (every
    one, or ``most`` of them spread over the page): in a list, an admonition, a tab, a quote,
    after raw HTML, in an indented code block -- wherever the page's own structure puts it."""
    lines = source.split("\n")
    blanks = [i for i, ln in enumerate(lines) if not ln.strip()]
    step = max(1, len(blanks) // most)
    out = [source]
    for i in blanks[::step]:
        out.append("\n".join(lines[:i + 1] + CONSOLE_DEEP + [""] + lines[i + 1:]))
    return out


PUBLIC = sorted((Path(__file__).parent / "samples" / "public").glob("pymdownx-*.md"))
RESTART_CORPORA = sorted(p for p in (Path(__file__).parent / "samples").rglob("*.md")
                         if "public" not in p.parts) + sorted(
    (Path(__file__).parent.parent / "docs").rglob("*.md"))
# shapes where starting afresh would be wrong, or nearly: raw HTML a blank line does not end, a
# column-0 line that is a quote or a list item, tabs and admonitions, an indented code block
RESTART_TRICKY = [
    "<!--\n\nnot prose\n\n" + "\n".join(CONSOLE_DEEP) + "\n-->\n",
    "<pre>\n\nx\n\n" + "\n".join(CONSOLE_DEEP) + "\n</pre>\n",
    "<?php\n\nx\n\n" + "\n".join(CONSOLE_DEEP) + "\n?>\n",
    "> quote\n\n> more\n\n" + "\n".join("> " + ln for ln in CONSOLE_DEEP) + "\n",
    "1. one\n\n2. two\n\n" + "\n".join(CONSOLE_DEEP) + "\n",
    "- a\n\n      code\n\nb\n\n" + "\n".join("    " + ln for ln in CONSOLE_DEEP) + "\n",
    '=== "A"\n\n    x\n\n=== "B"\n\n' + "\n".join(CONSOLE_DEEP) + "\n",
    "!!! note\n\n    x\n\ny\n\n" + "\n".join(CONSOLE_DEEP) + "\n",
    "para\n\n" + "\n".join("    " + ln for ln in CONSOLE_DEEP) + "\n",
    "para\n" + "\n".join(CONSOLE_DEEP) + "\n",
    "<div markdown>\n\nx\n\n" + "\n".join(CONSOLE_DEEP) + "\n\n</div>\n",
]


@pytest.mark.parametrize("source", [p.read_text(encoding="utf-8") for p in RESTART_CORPORA]
                         + RESTART_TRICKY,
                         ids=[p.stem for p in RESTART_CORPORA]
                         + [f"tricky{i}" for i in range(len(RESTART_TRICKY))])
def test_the_block_parse_from_the_restart_line_decides_as_the_whole_page(
        source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # scan parses the block structure only from where it last started afresh before the first
    # indented console fence (scan.restart_line): the fences and doubts must be those of the
    # parse of the whole text before that fence
    import execdocs.scan as scan_mod

    source = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
    md = site_markdown()
    variants = _variants(source)
    for snippets in (("console",), None):
        fast = [scan(v, md, images=False, snippets=snippets) for v in variants]
        with monkeypatch.context() as m:
            m.setattr(scan_mod, "restart_line", lambda masked, line: 0)
            whole = [scan(v, md, images=False, snippets=snippets) for v in variants]
        assert [(s.fences, s.doubts) for s in fast] == [(s.fences, s.doubts) for s in whole]


@pytest.mark.parametrize("path", PUBLIC, ids=[p.stem for p in PUBLIC])
def test_the_restart_line_keeps_every_snippet_verdict_on_public_pages(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pages nobody here wrote (samples/public/SOURCES.md), with an indented console fence put
    # after blank lines: every fence that may be a snippet (scan's `snippets` contract: a
    # console fence, or any fence with a `$ ` line) and every doubt are what the whole-text
    # parse gives. (A plain-code fence inside an indented code block before the restart line
    # may stay a fence, as the contract allows: on these pages that happens.)
    import execdocs.scan as scan_mod

    source = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.S)
    md = site_markdown()

    def verdicts(found, snippets):
        return ([f for f in found.fences
                 if snippets is None or scan_mod._may_be_snippet(f, snippets)], found.doubts)

    variants = _variants(source, most=60)
    for snippets in (("console",), None):
        fast = [verdicts(scan(v, md, images=False, snippets=snippets), snippets)
                for v in variants]
        with monkeypatch.context() as m:
            m.setattr(scan_mod, "restart_line", lambda masked, line: 0)
            whole = [verdicts(scan(v, md, images=False, snippets=snippets), snippets)
                     for v in variants]
        assert fast == whole
