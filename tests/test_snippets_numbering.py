"""Line numbers, highlighted lines and line anchors on the fences execdocs renders.

A site that numbers its code blocks (pymdownx.highlight ``linenums``, a fence's
``linenums="5"``), highlights lines (``hl_lines``) or links to them (``anchor_linenums``,
``line_spans``: Material's recommended setup) must see its console fences numbered like every
other block, and every other block keep the ids it has without execdocs: a link to
``#__codelineno-3-2`` finds the same line in both builds. Each test converts a page twice with
the real extensions, plain and with execdocs' preprocessors; the last one runs real
``mkdocs build``s.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import markdown
import pytest
from _code_lines import code_lines
from _snippets_project import add_capture, add_session, run_check
from execdocs.snippets.place import PageJob, SnippetsExtension, place_page
from execdocs.snippets.store import load_store

RECOMMENDED = {"anchor_linenums": True, "line_spans": "__span", "pygments_lang_class": True}
PAGE = """\
    # Pods

    ```bash
    kubectl apply -f web.yaml
    ```

    ```console hl_lines="1 3"
    # the pods of the web app
    $ kubectl get pods
    NAME    READY
    ...
    ```

    ```yaml
    kind: Service
    ```

        an indented code block
    """


def _lab(root: Path, pods: str = "NAME    READY\nweb-1   1/1\nweb-2   1/1\n") -> Path:
    add_session(root, provenance="illustrative")
    add_capture(root, "kubectl get pods", pods)
    return root


def _marked(html: str) -> list[str]:
    """The text of each highlighted line (line numbers left out)."""
    lines = re.findall(r'<span class="hll">(.*?)\n', html)
    return [re.sub(r"<[^>]+>", "", re.sub(r'<span class="linenos"[^>]*>[^<]*</span>', "", ln))
            .strip() for ln in lines]


def _convert(root: Path, page: str, highlight: dict, execdocs: bool = True
             ) -> tuple[str, PageJob | None]:
    source = textwrap.dedent(page)
    extensions: list = ["attr_list", "pymdownx.highlight", "pymdownx.superfences"]
    job = None
    if execdocs:
        job = PageJob(label="docs/p.md", source=source, store=load_store(root / "captures"),
                      default_session="lab", shown=lambda p: p.relative_to(root).as_posix())
        extensions.append(SnippetsExtension(lambda lines, md: place_page(lines, md, job)))
    md = markdown.Markdown(extensions=extensions,
                           extension_configs={"pymdownx.highlight": highlight})
    return md.convert(source), job


_BLOCK = re.compile(r'<div class="language-(?!console)[^"]*highlight">.*?</code></pre></div>'
                    r"(?:</td></tr></table></div>)?", re.S)


def _others(html: str) -> list[str]:
    """The code blocks of ``html`` outside execdocs' snippets."""
    while (start := html.find('<div class="execdocs-snippet"')) != -1:
        depth, pos = 0, start
        for m in re.finditer(r"<(/?)div\b", html[start:]):
            depth += -1 if m.group(1) else 1
            if depth == 0:
                pos = start + m.end()
                break
        html = html[:start] + html[pos:]
    return _BLOCK.findall(html)


def _anchors(html: str, block: int) -> list[int]:
    return [int(n) for n in re.findall(rf'<a id="__codelineno-{block}-(\d+)"', html)]


@pytest.mark.parametrize("style", ["table", "inline", "pymdownx-inline"])
def test_the_other_blocks_keep_their_html_and_the_snippet_numbers_on(tmp_path: Path,
                                                                     style: str) -> None:
    _lab(tmp_path)
    config = dict(RECOMMENDED, linenums=True, linenums_style=style)
    plain, _ = _convert(tmp_path, PAGE, config, execdocs=False)
    html, job = _convert(tmp_path, PAGE, config)
    assert job is not None and job.report is not None and not job.report.problems
    # the bash, yaml and indented blocks: byte for byte, the anchors of 0 and 2 included
    others = _others(plain)
    assert len(others) == 3 and _others(html) == others
    assert [_anchors(html, n) for n in (0, 2)] == [[1], [1]]
    # the snippet takes the console fence's number 1; its lines count on across its blocks:
    # the preamble, the command, the captured output (three lines where the page wrote two)
    assert _anchors(html, 1) == [1, 2, 3, 4, 5]
    assert _anchors(plain, 1) == [1, 2, 3, 4]
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
    numbers = re.findall(r'<span class="normal"><a href="#__codelineno-1-\d+">(\d+)</a>'
                         r'|<span class="linenos"[^>]*?(?: data-linenos="\s*(\d+) ")?>(\d*)',
                         html)
    shown = [int(next(x for x in groups if x)) for groups in numbers if any(groups)]
    assert shown[:5] == [1, 2, 3, 4, 5] if style == "table" else shown[1:6] == [1, 2, 3, 4, 5]
    # hl_lines="1 3": the preamble line and the output line the page wrote as the capture has
    # it are highlighted where they are shown; the '...' line was not highlighted
    assert _marked(html) == ["# the pods of the web app", "NAME    READY"]


def test_anchors_without_numbers_count_on_across_the_snippet(tmp_path: Path) -> None:
    # Material's recommended setup without linenums: every line still has its anchor
    _lab(tmp_path)
    plain, _ = _convert(tmp_path, PAGE, RECOMMENDED, execdocs=False)
    html, _job = _convert(tmp_path, PAGE, RECOMMENDED)
    assert "linenos" not in html and "highlighttable" not in html
    assert _anchors(html, 1) == [1, 2, 3, 4, 5]
    assert re.findall(r'<span id="(__span-1-\d+)"', html) == [f"__span-1-{n}" for n in
                                                              range(1, 6)]
    assert _others(html) == _others(plain)


def test_a_fence_of_its_own_numbers_from_its_linenums(tmp_path: Path) -> None:
    _lab(tmp_path)
    add_capture(tmp_path, "kubectl get nodes", "NAME    STATUS\nnode1   Ready\n")
    page = """\
        ```console linenums="7"
        $ kubectl get nodes
        ```

        ```bash
        echo after
        ```
        """
    html, _job = _convert(tmp_path, page, {"linenums_style": "table"})
    # the site numbers no fence by default: the bash fence after it has none, as before
    assert re.findall(r'<span class="normal">(\d+)</span>', html) == ["7", "8", "9"]


def test_a_site_that_decorates_nothing_keeps_execdocs_own_blocks(tmp_path: Path) -> None:
    _lab(tmp_path)
    html, _job = _convert(tmp_path, PAGE.replace(' hl_lines="1 3"', ""), {})
    snippet = html[html.index('<div class="execdocs-snippet">'):]
    assert '<div class="highlight execdocs-command" data-copy="kubectl get pods">' in snippet
    assert "codelineno" not in html and "linenos" not in html


def test_a_highlighted_output_line_the_capture_does_not_show_is_a_problem(
        tmp_path: Path, capsys) -> None:
    # the page wrote "web-0 0/1" on line 5 and highlighted it; the capture has another line
    # there: the highlight would be lost, so the build and `execdocs check` both say so
    _lab(tmp_path)
    page = """\
        # Pods

        ```console hl_lines="2 3"
        $ kubectl get pods
        NAME    READY
        web-0   0/1
        ...
        ```
        """
    html, job = _convert(tmp_path, page, dict(RECOMMENDED, linenums=True))
    assert job is not None and job.report is not None
    problems = [(p.path, p.line, p.message) for p in job.report.problems]
    assert len(problems) == 2  # the written line differs from the capture too
    lost = [p for p in problems if "hl_lines" in p[2]]
    assert lost == [("docs/p.md", 6, "hl_lines marks output line 2 of '$ kubectl get pods' "
                     "('web-0   0/1'), but the capture shown instead has another line there, "
                     "so nothing would be highlighted")]
    assert _marked(html) == ["NAME    READY"]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text(textwrap.dedent(page), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nmarkdown_extensions:\n  - pymdownx.highlight\n"
        "  - pymdownx.superfences\nplugins:\n  - execdocs:\n      snippets:\n"
        "        session: lab\n", encoding="utf-8")
    code, out, err = run_check(tmp_path, capsys)
    assert code == 1
    assert "docs/p.md:6: hl_lines marks output line 2 of '$ kubectl get pods'" in out + err


def test_long_and_coloured_outputs_are_numbered_on_across_the_fold(tmp_path: Path) -> None:
    rows = "".join(f"\x1b[32mpod-{n:02d}\x1b[0m   Running\n" for n in range(30))
    _lab(tmp_path, pods=rows)
    page = "```console\n$ kubectl get pods\n```\n"
    html, _job = _convert(tmp_path, page, dict(RECOMMENDED, linenums=True))
    assert _anchors(html, 0) == list(range(1, 32))
    assert "\x1b" not in html and "[32m" not in html  # colours dropped, the text kept
    head, rest = html.split('<details class="execdocs-more">')
    assert "pod-19" in head and "pod-20" not in head and "pod-29" in rest


def test_real_builds_lose_no_numbered_line_and_keep_every_other_anchor(tmp_path: Path) -> None:
    config = """\
        site_name: numbers
        docs_dir: docs
        use_directory_urls: false
        theme:
          name: material
        markdown_extensions:
          - attr_list
          - pymdownx.highlight:
              linenums: true
              anchor_linenums: true
              line_spans: __span
          - pymdownx.superfences
        """
    sites = {}
    for name, plugin in (("plain", ""), ("execdocs", "plugins:\n  - execdocs:\n      "
                                                     "snippets:\n        session: lab\n")):
        root = _lab(tmp_path / name)
        (root / "docs").mkdir()
        # the output written in full (an elided '...' line is replaced by the capture's)
        page = PAGE.replace("    ...\n", "    web-1   1/1\n    web-2   1/1\n")
        (root / "docs" / "index.md").write_text(textwrap.dedent(page), encoding="utf-8")
        (root / "mkdocs.yml").write_text(textwrap.dedent(config) + plugin, encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                              capture_output=True, text=True,
                              env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=300)
        assert proc.returncode == 0, proc.stderr
        sites[name] = root / "site" / "index.html"
    before, after = code_lines(sites["plain"]), code_lines(sites["execdocs"])
    assert not before - after, sorted(before - after)  # the numbers 1-4 and every code line
    plain, ours = (p.read_text(encoding="utf-8") for p in sites.values())
    assert _others(ours) == _others(plain)
    assert [_anchors(ours, n) for n in range(3)] == [[1], [1, 2, 3, 4, 5], [1]]


def test_lines_written_in_the_page_keep_their_plain_numbers(tmp_path: Path) -> None:
    # a blank line between two blocks is not shown (the highlighter drops it at a block's
    # edge) but keeps its number, as in the plain build: `$ echo b` stays line 4, and prose
    # or links naming "line 4" still find it (rook, cnpg kubectl-plugin.md: a held-out trial)
    page = "```console hl_lines=\"4\"\n$ echo a\na\n\n$ echo b\nb\n```\n"
    config = dict(RECOMMENDED, linenums=True)
    plain, _ = _convert(tmp_path, page, config, execdocs=False)
    add_session(tmp_path, provenance="illustrative")
    html, _job = _convert(tmp_path, page, config)
    assert _anchors(plain, 0) == [1, 2, 3, 4, 5]
    # line 3 is not shown, its anchor and span stand before line 4's: no link is lost
    assert _anchors(html, 0) == [1, 2, 3, 4, 5]
    assert re.search(r'<span id="__span-0-3"></span><a id="__codelineno-0-3" '
                     r'name="__codelineno-0-3"></a><span id="__span-0-4">', html)
    plain_ids = set(re.findall(r'\bid="([^"]+)"', plain))
    assert plain_ids <= set(re.findall(r'\bid="([^"]+)"', html))
    assert re.search(r'id="__codelineno-0-4" name="__codelineno-0-4"></a><span class="hll">'
                     r'<span class="gp">\$ </span>', html)
    assert _marked(html) == ["$ echo b"]


def test_a_preamble_blank_line_keeps_its_number_too(tmp_path: Path) -> None:
    _lab(tmp_path)
    page = "```console\n# a note\n\n$ kubectl get pods\n```\n"
    html, _job = _convert(tmp_path, page, dict(RECOMMENDED, linenums=True))
    assert _anchors(html, 0) == [1, 2, 3, 4, 5, 6]  # the note, (the blank), the command,
    # three lines captured


def test_a_fence_of_its_own_id_names_its_anchors_by_it(tmp_path: Path) -> None:
    _lab(tmp_path)
    page = "``` { .console #pods }\n$ kubectl get pods\n```\n"
    config = dict(RECOMMENDED, linenums=True)
    plain, _ = _convert(tmp_path, page, config, execdocs=False)
    html, _job = _convert(tmp_path, page, config)
    assert re.findall(r'<a id="(__codelineno-pods-\d+)"', plain) == ["__codelineno-pods-1"]
    assert re.findall(r'<a id="(__codelineno-pods-\d+)"', html) == [
        f"__codelineno-pods-{n}" for n in range(1, 5)]
    assert re.findall(r'\bid="pods"', html) == ['id="pods"']  # once, on the whole snippet


def test_every_block_pads_its_numbers_to_the_fence_widest(tmp_path: Path) -> None:
    # a plain fence of 10+ lines shows " 1"; each block padded to its own width did not line
    # up the command's text with its output's (held-out trial, rook's quickstart)
    _lab(tmp_path, pods="".join(f"pod-{n}\n" for n in range(12)))
    html, _job = _convert(tmp_path, "```console\n$ kubectl get pods\n```\n",
                          dict(RECOMMENDED, linenums=True, linenums_style="table"))
    numbers = re.findall(r'<span class="normal"><a href="#[^"]+">([ \d]+)</a>', html)
    assert numbers == [f"{n:2d}" for n in range(1, 14)]


def test_a_superfences_that_reads_otherwise_keeps_execdocs_own_blocks(tmp_path: Path,
                                                                      monkeypatch) -> None:
    # a pymdownx release that renamed what the numbering reads: the plain blocks, no traceback
    from pymdownx.superfences import SuperFencesBlockPreprocessor

    _lab(tmp_path)
    real = SuperFencesBlockPreprocessor.get_hl_settings

    def renamed(self) -> None:  # as if a release called stripnl something else
        real(self)
        self.__dict__.pop("stripnl", None)

    monkeypatch.setattr(SuperFencesBlockPreprocessor, "get_hl_settings", renamed)
    html, job = _convert(tmp_path, "```console\n$ kubectl get pods\n```\n",
                         dict(RECOMMENDED, linenums=True))
    assert '<div class="highlight execdocs-command" data-copy="kubectl get pods">' in html
    assert job is not None and job.report is not None and not job.report.problems
    assert job.unnumbered == "stripnl"  # what the build's one INFO line names


def test_the_build_says_once_that_the_numbers_were_not_drawn(caplog) -> None:
    from execdocs.mkdocs.snippets import SnippetsAdapter
    from execdocs.snippets.place import PageJob
    from execdocs.snippets.store import Store

    adapter = SnippetsAdapter()
    adapter.options = type("Options", (), {"mode": "strict"})()  # type: ignore[assignment]
    caplog.set_level("INFO", logger="mkdocs.plugins.execdocs")
    for label in ("docs/a.md", "docs/b.md"):
        job = PageJob(label, "", Store(Path(".")), None)
        job.unnumbered = "stripnl"
        adapter._placed(job)
    said = [r.getMessage() for r in caplog.records if "line numbers" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("execdocs: docs/a.md: ") and "(stripnl)" in said[0]
