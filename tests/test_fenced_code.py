"""Sites without pymdownx.superfences: MkDocs renders their fences with Python-Markdown's own
``fenced_code`` (it adds the extension to every site). Such a site crashed every page holding a
``$`` (cloudnative-pg's docs at a3404c46 and zalando/postgres-operator at a7aaad0a, 2026-12-03:
"'FencedBlockPreprocessor' object has no attribute 'extension'"). The scanner now finds the
fences that extension's own run finds, in the build and in ``execdocs check`` alike."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from _code_lines import code_lines
from execdocs.mkdocs.config import check, load_project
from execdocs.scan import find_fences

SAMPLES = Path(__file__).parent / "samples"
SHAPES = [
    "# t\n\n```console\n$ ls\nfile\n```\n",
    "```{.console .x}\n$ ls\n```\n\n~~~ bash\necho\n~~~\n",
    "1. step\n\n    ```console\n    $ ls\n    ```\n\n2. next\n",  # in a list: no fence for it
    "```console\n$ a\n```\n```console\n$ b\n```\n",  # back to back
    "```{.console\n$ broken attrs\n```\n\ntext $5\n",
    "````\n```console\n$ inside\n```\n````\n",
    "```console\nnot closed\n",
    "> ```console\n> $ quoted\n> ```\n",
    "```console hl_lines=\"1\"\n$ ls\n```\n",
]


def _corpus() -> list[str]:
    pages = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.rglob("*.md"))]
    return pages + SHAPES


def _stashed(text: str) -> list[tuple[str, str]]:
    """(language, code) of each block fenced_code's own run stashes, in order."""
    md = markdown.Markdown(extensions=["fenced_code"])
    lines = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    md.preprocessors["fenced_code_block"].run(lines)
    out = []
    for block in md.htmlStash.rawHtmlBlocks:
        m = re.fullmatch(r'<pre(?: [^>]*)?><code(?: class="language-([^"]*)")?>(.*)</code></pre>',
                         str(block), re.S)
        assert m, block
        out.append((m.group(1) or "", html.unescape(m.group(2))))
    return out


@pytest.mark.parametrize("text", _corpus(), ids=lambda t: t[:30])
def test_the_fences_found_are_those_fenced_code_renders(text: str) -> None:
    md = markdown.Markdown(extensions=["fenced_code"])
    lines = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    fences, unclosed = find_fences(lines, md)
    assert unclosed is None
    assert [(f.lang, "\n".join(f.body) + "\n" if f.body else "") for f in fences] == [
        (lang, code) for lang, code in _stashed(text)]
    for f in fences:  # each fence's lines are its own opening and closing marker lines
        assert lines[f.start].startswith(f.marker) and lines[f.end - 1].startswith(f.marker)


def _site(root: Path, plugin: bool) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text(
        "# Home\n\nIt costs $5.\n\n```console\n$ kubectl get nodes\nNAME STATUS\n```\n\n"
        "1. In a list, not a fence for fenced_code:\n\n    ```console\n    $ ls -l\n    ```\n\n"
        "```{.console}\n$ crictl ps\n```\n\n```bash\n$ echo kept as written\n```\n",
        encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: t\nuse_directory_urls: false\nplugins:\n  - search\n"
        + ("  - execdocs:\n      snippets:\n        mode: warn\n" if plugin else ""),
        encoding="utf-8")
    return root




@pytest.mark.slow
def test_a_site_without_superfences_builds_and_keeps_every_code_line(tmp_path: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    built = {}
    for name, plugin in (("plain", False), ("exec", True)):
        root = _site(tmp_path / name, plugin)
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f",
                               str(root / "mkdocs.yml")],
                              cwd=root, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Traceback" not in done.stderr
        built[name] = (root / "site" / "index.html", done.stderr)
    plain, execd = code_lines(built["plain"][0]), code_lines(built["exec"][0])
    assert not plain - execd, plain - execd  # nothing the plain build shows is lost
    page = built["exec"][0].read_text(encoding="utf-8")
    assert page.count('class="execdocs-snippet"') == 2  # the two fences fenced_code renders
    log = built["exec"][1]
    assert "2 command(s) in 2 console fence(s) have no capture session" in log
    # execdocs check reads the page as the build does: the same two commands, not the one in
    # the list item (superfences would take that for a fence)
    report = check(load_project(tmp_path / "exec" / "mkdocs.yml"))
    assert report.commands == 2
