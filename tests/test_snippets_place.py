"""Snippets placed inside Python-Markdown, on the text it renders; nothing else is touched.

Each test converts a page twice with the site's extensions: plain, and with execdocs'
preprocessor (``SnippetsExtension``) -- the same instance the MkDocs adapter registers.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import markdown
from _snippets_project import add_capture, add_session
from execdocs.snippets.place import PageJob, SnippetsExtension, place_page, unaccounted_prompts
from execdocs.snippets.store import load_store

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "pymdownx.details", "pymdownx.highlight",
              "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.snippets"]


def _md(extra: list | None = None, base: Path | None = None) -> markdown.Markdown:
    configs = {"pymdownx.tabbed": {"alternate_style": True},
               "pymdownx.snippets": {"base_path": [str(base or ".")], "check_paths": True}}
    return markdown.Markdown(extensions=EXTENSIONS + (extra or []), extension_configs=configs)


def _lab(tmp_path: Path) -> Path:
    add_session(tmp_path, provenance="reference", source="https://kubernetes.io/docs/")
    add_capture(tmp_path, "kubectl get nodes", "NAME    STATUS   AGE\nk3s-1   Ready    5m\n")
    add_capture(tmp_path, "crictl ps", "CONTAINER   IMAGE\nabc         nginx\n")
    return tmp_path


def _convert(tmp_path: Path, source: str, markdown_text: str | None = None,
             base: Path | None = None) -> tuple[str, PageJob]:
    """HTML of ``markdown_text`` (default: the source's body) rendered with execdocs."""
    source = textwrap.dedent(source)
    job = PageJob(label="docs/p.md", source=source, store=load_store(tmp_path / "captures"),
                  default_session="lab",
                  shown=lambda p: p.relative_to(tmp_path).as_posix())
    calls: list[int] = []

    def handler(lines, md):
        calls.append(1)
        return place_page(lines, md, job)

    text = source if markdown_text is None else textwrap.dedent(markdown_text)
    html = _md([SnippetsExtension(handler)], base).convert(text)
    assert calls == [1]
    return html, job


def _problems(job: PageJob) -> list[tuple[str, int | None, str]]:
    assert job.report is not None
    return [(p.path, p.line, p.message) for p in job.report.problems]


def test_fences_execdocs_does_not_own_render_byte_for_byte(tmp_path: Path) -> None:
    page = textwrap.dedent("""\
        # 제목

        ```bash
        $ kubectl get nodes
        ```

        ```console
        NAME    STATUS
        k3s-1   Ready
        ```

        <!-- execdocs: skip: 설치 스크립트 -->
        ```console
        $ curl -sfL https://get.k3s.io | sh -
        [INFO]  Finding release for channel stable
        ```

        !!! note
            ```yaml
            kind: Pod
            ```
        """)
    html, job = _convert(_lab(tmp_path), page)
    assert html == _md().convert(page)
    assert [m for _, _, m in _problems(job)][0].startswith("fence 'bash' holds '$ ' commands")


def test_owned_fences_stay_in_their_containers_and_the_rest_is_untouched(
        tmp_path: Path) -> None:
    page = textwrap.dedent("""\
        Intro

        1. Step one:

            ```console
            $ kubectl get nodes
            ```

        === "Tab"

            ```console
            $ crictl ps
            ```

        ```text
        after
        ```
        """)
    html, job = _convert(_lab(tmp_path), page)
    assert _problems(job) == []
    item = html[html.index("<li>"):html.index("</li>")]
    assert 'data-copy="kubectl get nodes"' in item and "k3s-1   Ready" in item
    tab = html[html.index('class="tabbed-block"'):]
    assert tab.index('data-copy="crictl ps"') < tab.index("</div>")
    plain = _md().convert(page)
    tail = plain[plain.rindex('<div class="highlight">'):]
    assert html.endswith(tail)  # what follows the snippets is byte-identical


def test_written_output_is_the_pages_claim_compared_with_the_capture(tmp_path: Path) -> None:
    page = """\
        ```console
        $ kubectl get nodes
        NAME    STATUS   AGE
        k3s-1   Ready    3d
        $ crictl ps
        CONTAINER   IMAGE
        abc         redis
        ```
        """
    html, job = _convert(_lab(tmp_path), page)
    # AGE differs only as the capture tool's volatile columns do: no problem for the first
    assert _problems(job) == [("docs/p.md", 6, "snippet 'crictl ps': the output written in "
                               "the page is not what the capture holds")]
    problem = job.report.problems[0]
    assert "+abc         redis" in problem.detail and "-abc         nginx" in problem.detail
    assert "abc         nginx" in html and "redis" not in html  # the page shows the capture


def test_written_output_without_a_capture_is_shown_and_labelled(tmp_path: Path) -> None:
    page = """\
        ```console
        $ kubectl get ns
        NAME          STATUS
        kube-system   Active
        ```
        """
    html, job = _convert(_lab(tmp_path), page)
    assert [m.split(":")[1] for _, _, m in _problems(job)] == [
        " no capture in session 'lab'"]
    assert "kube-system   Active" in html and "페이지에 적힌 출력" in html


def test_another_plugins_edit_moves_lines_messages_follow_the_source(tmp_path: Path) -> None:
    source = """\
        ---
        title: x
        ---
        {% set v = "1.30" %}
        {% set w = "2" %}
        # k3s {{ v }}

        ```console
        $ kubectl get pods
        ```
        """
    # what the macros plugin hands over: the two {% set %} lines gone, {{ v }} filled in
    rendered = """\
        # k3s 1.30

        ```console
        $ kubectl get pods
        ```
        """
    html, job = _convert(_lab(tmp_path), source, rendered)
    assert _problems(job) == [("docs/p.md", 9, "snippet 'kubectl get pods': no capture in "
                               "session 'lab'")]
    assert html.startswith("<h1>k3s 1.30</h1>") and 'data-copy="kubectl get pods"' in html
    assert "{%" not in html


def test_a_line_no_source_line_matches_is_reported_without_a_line(tmp_path: Path) -> None:
    source = "# t\n\n{{ commands() }}\n"
    rendered = "# t\n\n```console\n$ kubectl get pods\n```\n"
    _html, job = _convert(_lab(tmp_path), source, rendered)
    assert _problems(job) == [("docs/p.md", None, "snippet 'kubectl get pods': no capture in "
                               "session 'lab'")]


def test_fences_from_snippets_includes_carry_the_included_files_line(tmp_path: Path) -> None:
    _lab(tmp_path)
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "check.md").write_text(
        "Check the node:\n\n```console\n$ kubectl get nodes\n$ kubectl get svc\n```\n",
        encoding="utf-8")
    page = """\
        # 설치

        --8<-- "includes/check.md"

        ```console
        $ crictl ps
        ```
        """
    html, job = _convert(tmp_path, page, base=tmp_path)
    assert _problems(job) == [("includes/check.md", 5, "snippet 'kubectl get svc': no capture "
                               "in session 'lab'")]
    assert 'data-copy="kubectl get nodes"' in html and "k3s-1   Ready" in html
    assert [r.command.line for r in job.report.results] == [4, 5, 6]
    assert [r.page for r in job.report.results] == ["includes/check.md"] * 2 + ["docs/p.md"]


def test_page_opt_out_in_front_matter_leaves_every_fence_as_written(tmp_path: Path) -> None:
    page = """\
        ---
        execdocs: {skip: 아직 캡처 전}
        ---
        ```console
        $ kubectl get nodes
        ```
        """
    html, job = _convert(_lab(tmp_path), page, "```console\n$ kubectl get nodes\n```\n")
    assert html == _md().convert("```console\n$ kubectl get nodes\n```\n")
    assert _problems(job) == [] and job.report.results == []
    assert len(job.report.skipped) == 1


def test_a_page_with_no_session_gets_one_summary_problem(tmp_path: Path) -> None:
    page = "```console\n$ a\n$ b\n```\n\n```console\n$ c\n```\n"
    job = PageJob(label="docs/p.md", source=page, store=load_store(tmp_path / "captures"),
                  default_session=None)
    md = _md()
    place_page(page.split("\n"), md, job)
    assert [(p.line, p.message.split(",")[0]) for p in job.report.problems] == [
        (2, "3 command(s) in 2 console fence(s) have no capture session")]


def test_prompts_the_scanner_did_not_see_are_reported() -> None:
    shown = '<pre><code><span class="gp">$ </span>ls</code></pre>'
    problem = unaccounted_prompts(shown, None)
    assert problem is not None and "1 '$ ' prompt(s)" in problem.message
    assert re.search("did not see", problem.message)


def test_a_fence_title_is_kept_above_the_snippet(tmp_path: Path) -> None:
    html, job = _convert(_lab(tmp_path), '```console title="on the <node>"\n$ crictl ps\n```\n')
    assert _problems(job) == []
    assert html.index('<span class="filename">on the &lt;node&gt;</span>') < html.index(
        'data-copy="crictl ps"')


def test_a_fences_id_classes_and_attributes_stand_on_the_snippet(tmp_path: Path) -> None:
    # superfences puts them on the code block; the snippet's block holds what replaced it
    source = '``` { .console .wide #nodes data-lab="k3s" }\n$ kubectl get nodes\n```\n'
    html, job = _convert(_lab(tmp_path), source)
    assert _problems(job) == []
    plain = _md().convert(source)
    assert '<div id="nodes" class="wide highlight" data-lab="k3s">' in plain  # what is kept
    assert '<div class="execdocs-snippet wide" id="nodes" data-lab="k3s">' in html


def test_the_fence_memo_keeps_a_fences_classes_and_attributes(tmp_path: Path) -> None:
    from execdocs.snippets.memo import VerdictMemo

    source = '``` { .console .wide data-lab="k3s" }\n$ kubectl get nodes\n```\n'
    _lab(tmp_path)
    for _build in range(2):  # the second finds the fences in the memo the first saved
        memo = VerdictMemo(tmp_path)
        memo.load()
        job = PageJob(label="docs/p.md", source=source, store=load_store(tmp_path / "captures"),
                      default_session="lab", memo=memo)
        html = _md([SnippetsExtension(lambda lines, md, job=job: place_page(lines, md, job))]
                   ).convert(source)
        memo.save()
        assert '<div class="execdocs-snippet wide" data-lab="k3s">' in html


def test_tab_syntax_without_the_tabs_extension_is_an_indented_code_block(tmp_path: Path) -> None:
    # a held-out trial (2026-12-04): `=== "Linux"` on a site without pymdownx.tabbed is a
    # paragraph, the indented fence below it code text; execdocs drew a snippet inside the <pre>
    source = '# T\n\n=== "Linux"\n\n    ```console\n    $ kubectl get nodes\n    ```\n'
    _lab(tmp_path)
    extensions = ["pymdownx.highlight", "pymdownx.superfences", "admonition"]
    job = PageJob(label="docs/p.md", source=source, store=load_store(tmp_path / "captures"),
                  default_session="lab")
    with_execdocs = markdown.Markdown(extensions=[
        *extensions, SnippetsExtension(lambda lines, md: place_page(lines, md, job))])
    assert with_execdocs.convert(source) == markdown.Markdown(extensions=extensions).convert(
        source)
    assert job.report is not None
    assert [(p.line, "indented code block" in p.message) for p in job.report.problems] == [
        (5, True)]
    html, job = _convert(tmp_path, source)  # with pymdownx.tabbed: the tab holds a snippet
    assert 'data-copy="kubectl get nodes"' in html and _problems(job) == []
