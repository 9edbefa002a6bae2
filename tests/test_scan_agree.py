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
import yaml
from execdocs.diagrams.refs import find_refs
from execdocs.scan import scan
from execdocs.snippets.parse import parse_page

SAMPLES = Path(__file__).parent / "samples" / "scan"
PROJECT_MKDOCS = Path(__file__).parent.parent / "mkdocs.yml"


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured like the site (mkdocs.yml's markdown_extensions)."""
    config = yaml.load(PROJECT_MKDOCS.read_text(encoding="utf-8"), Loader=yaml.UnsafeLoader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            (name, options), = entry.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(entry)
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
    assert [(r.name, r.line) for r in find_refs(source)] == [
        (i.name, i.line + 1) for i in found.images]
    # the indented-code doubt is a problem at page:line, never silence
    assert [(p.line, p.message.split(":")[0]) for p in parsed.problems] == [
        (found.doubts[0][0] + 1, "fence inside an indented code block")]


def test_a_diagram_name_with_a_space_is_found_so_it_can_be_refused() -> None:
    refs = find_refs("# t\n\n![그림](diagram:my diagram)\n")
    assert [(r.name, r.line, r.valid_name) for r in refs] == [("my diagram", 3, False)]
