"""The Python-Markdown adapter (``execdocs.markdown``) under plain Python-Markdown, no Zensical.

Here the engine gives no page path: the extension must still check, render and fail, naming
the snippet instead of a line (tests/test_zensical.py builds the real site with Zensical).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from _snippets_project import add_capture, add_session, make_project
from execdocs.markdown import makeExtension
from execdocs.markdown.engine import UNKNOWN_PAGE, PageInfo, page_info
from execdocs.problems import ExecDocsError

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "pymdownx.highlight",
              "pymdownx.superfences"]


def _convert(root: Path, text: str) -> str:
    md = markdown.Markdown(extensions=[*EXTENSIONS, makeExtension(
        config_file=str(root / "mkdocs.yml"))])
    return md.convert(text)


def test_without_a_page_path_outputs_are_placed_and_directives_hidden(tmp_path: Path) -> None:
    make_project(tmp_path, {"index.md": "# 홈\n"})
    add_session(tmp_path)
    add_capture(tmp_path, "kubectl get nodes", "NAME     STATUS\nnode-1   Ready\n")
    html = _convert(tmp_path, "# 홈\n\n<!-- execdocs\n$ kubectl get nodes\n  STATUS=Ready\n-->\n"
                    "```console\n$ kubectl get nodes\n```\n")
    assert 'class="execdocs-snippet"' in html
    assert "node-1" in html and "Ready" in html
    assert "<!-- execdocs" not in html
    assert "<style>" in html  # the snippets stylesheet travels with the page


def test_without_a_page_path_a_missing_capture_names_the_snippet(tmp_path: Path) -> None:
    make_project(tmp_path, {"index.md": "# 홈\n"})
    add_session(tmp_path)
    text = ("# 홈\n\n```console\n$ kubectl get pods -A\n```\n\n"
            "```console\n$ kubectl top nodes\n```\n")
    with pytest.raises(ExecDocsError) as caught:
        _convert(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"execdocs: 2 problems on {UNKNOWN_PAGE}:")
    # no line number: they would count from a text whose offset in the file is unknown
    assert f"{UNKNOWN_PAGE}: snippet 'kubectl get pods -A': no capture" in message
    assert f"{UNKNOWN_PAGE}: snippet 'kubectl top nodes': no capture" in message
    assert "execdocs check" in message


def test_page_info_of_an_engine_that_gives_none_is_empty_not_an_error() -> None:
    assert page_info(markdown.Markdown()) == PageInfo(None, None)
    assert page_info(object()) == PageInfo(None, None)


def test_warn_mode_reports_without_failing(tmp_path: Path, caplog) -> None:
    make_project(tmp_path, {"index.md": "# 홈\n"})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("session: lab", "session: lab\n        mode: warn"))
    add_session(tmp_path)
    with caplog.at_level("INFO", logger="execdocs"):
        html = _convert(tmp_path, "```console\n$ kubectl get pods\n```\n")
    assert "execdocs-missing" in html
    assert "(warn mode)" in caplog.text and "'kubectl get pods': no capture" in caplog.text


def test_a_bad_option_is_reported_with_file_and_key(tmp_path: Path) -> None:
    make_project(tmp_path, {"index.md": "# 홈\n"})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("session: lab", "session: lab\n        fold_after: x"))
    with pytest.raises(ExecDocsError, match=r"mkdocs.yml: invalid option 'plugins: execdocs: "
                                            r"snippets'"):
        _convert(tmp_path, "# 홈\n")


def test_importing_the_extension_brings_no_mkdocs_build_and_no_plugin() -> None:
    # Zensical loads the extension by name. The one schema is built on MkDocs' config classes
    # (execdocs.mkdocs.config), so those come along; MkDocs' build (structure, commands),
    # Material and execdocs' MkDocs adapters must not.
    code = ("import sys, execdocs.markdown\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('mkdocs.structure', "
            "'mkdocs.commands', 'material', 'execdocs.mkdocs.plugin', 'execdocs.mkdocs.snippets', "
            "'execdocs.mkdocs.diagrams', 'execdocs.mkdocs.site', 'execdocs.mkdocs.log')))\n"
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_under_zensical_serve_problems_show_on_the_page_and_serving_goes_on(
        tmp_path: Path, monkeypatch, caplog) -> None:
    # An exception would end `zensical serve`: there the page shows the problem instead.
    make_project(tmp_path, {"index.md": "# 홈\n"})
    add_session(tmp_path)
    monkeypatch.setattr(sys, "argv", ["/venv/bin/zensical", "serve"])
    with caplog.at_level("WARNING", logger="execdocs"):
        html = _convert(tmp_path, "```console\n$ kubectl get pods\n```\n")
    assert "execdocs-missing" in html
    assert "'kubectl get pods': no capture" in caplog.text
    monkeypatch.setattr(sys, "argv", ["/venv/bin/zensical", "build"])
    with pytest.raises(ExecDocsError):
        _convert(tmp_path, "```console\n$ kubectl get pods\n```\n")


def test_a_secret_in_a_heading_is_withheld_from_the_table_of_contents(tmp_path: Path) -> None:
    make_project(tmp_path, {"index.md": "# 홈\n"})
    add_session(tmp_path)
    # A GitHub personal access token shape (ghp_ + 36 characters); made up, never valid.
    token = "ghp_" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"
    md = markdown.Markdown(extensions=[*EXTENSIONS, "toc", makeExtension(
        config_file=str(tmp_path / "mkdocs.yml"))])
    with pytest.raises(ExecDocsError, match="was about to be published"):
        md.convert(f"# 홈\n\n## token {token}\n\ntext\n")
    assert token not in repr(md.toc_tokens)
    assert "[secret withheld]" in repr(md.toc_tokens)


def test_under_zensical_the_diagram_cache_leaves_the_folder_clean_deletes(tmp_path: Path) -> None:
    from execdocs.markdown.engine import Engine

    make_project(tmp_path, {"index.md": "# 홈\n"})
    yml = tmp_path / "mkdocs.yml"
    # the default (.cache/execdocs/diagrams) moves out of Zensical's .cache/ ...
    assert Engine(yml, under_zensical=True).settings.cache_dir == (
        tmp_path / ".execdocs-cache" / "diagrams").resolve()
    assert Engine(yml, under_zensical=False).settings.cache_dir == (
        tmp_path / ".cache" / "execdocs" / "diagrams").resolve()
    # ... and a cache_dir chosen inside it is refused with what to do instead
    yml.write_text(yml.read_text().replace(
        "  - execdocs:\n", "  - execdocs:\n      diagrams:\n        cache_dir: .cache/mine\n"))
    with pytest.raises(ExecDocsError, match=r"inside \.cache/, which `zensical build --clean` "
                                            r"deletes whole") as caught:
        Engine(yml, under_zensical=True)
    assert "hint: leave cache_dir unset" in str(caught.value)


def test_a_build_reads_the_captures_once_and_serving_sees_an_edited_capture(
        tmp_path: Path, monkeypatch) -> None:
    # A build is one snapshot of captures/ (as under MkDocs): walking the folder again every
    # second cost 1/6 of a 300-page Zensical build. Serving still sees an edit.
    from execdocs.markdown import engine as engine_mod

    make_project(tmp_path, {"index.md": "# 홈\n"})
    add_session(tmp_path)
    capture = add_capture(tmp_path, "kubectl get nodes", "NAME     STATUS\nnode-1   Ready\n")
    walks: list[Path] = []
    real = engine_mod._fingerprint
    monkeypatch.setattr(engine_mod, "_fingerprint", lambda folder: walks.append(folder)
                        or real(folder))
    monkeypatch.setattr(engine_mod, "RESCAN_S", 0.0)  # "a second has passed" before every page
    page = "# 홈\n\n```console\n$ kubectl get nodes\n```\n"
    monkeypatch.setattr(sys, "argv", ["/venv/bin/zensical", "build"])
    for _ in range(4):
        assert "node-1" in _convert(tmp_path, page)
    assert len(walks) == 1

    serve_root = tmp_path / "served"
    make_project(serve_root, {"index.md": "# 홈\n"})
    add_session(serve_root)
    capture = add_capture(serve_root, "kubectl get nodes", "NAME     STATUS\nnode-1   Ready\n")
    monkeypatch.setattr(sys, "argv", ["/venv/bin/zensical", "serve"])
    assert "node-1" in _convert(serve_root, page)
    add_capture(serve_root, "kubectl get nodes", "NAME       STATUS\nnode-two   Ready\n",
                filename=capture.name)
    html = _convert(serve_root, page)
    assert "node-two" in html and "node-1" not in html


def _gh_token() -> str:
    import secrets as rnd
    import string
    return "ghp_" + "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(36))


def test_a_secret_in_the_config_fails_at_its_line(tmp_path: Path) -> None:
    # under Zensical the theme shows nav titles on every page, where no extension looks
    token = _gh_token()
    make_project(tmp_path, {"index.md": "# 홈\n"})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text() + f"nav:\n  - '설정 {token}': index.md\n")
    line = yml.read_text().splitlines().index(f"  - '설정 {token}': index.md") + 1
    with pytest.raises(ExecDocsError) as caught:
        _convert(tmp_path, "# 홈\n\ntext\n")
    assert f"mkdocs.yml:{line}: a github-pat is in the config file" in str(caught.value)
    assert token not in str(caught.value)


def test_with_snippets_off_the_guard_still_withholds(tmp_path: Path) -> None:
    token = _gh_token()
    make_project(tmp_path, {"index.md": "# Home\n"})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("language: ko", "language: en")
                   .replace("        session: lab\n", "        enabled: false\n"))
    with pytest.raises(ExecDocsError, match="was about to be published"):
        _convert(tmp_path, f"# Home\n\n```text\nGITHUB_TOKEN={token}\n```\n")
