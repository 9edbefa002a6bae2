"""Gradual adoption outside MkDocs too: the CLI and pytest read the same mode and exclude."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from _snippets_project import make_project
from execdocs.mkdocs.config import check, load_project


def test_exclude_globs_and_mode_off_apply_to_the_cli_and_pytest_paths(tmp_path: Path) -> None:
    pages = {"index.md": "# i\n\n```console\n$ kubectl get nodes\n```\n",
             "legacy/old.md": "# o\n\n```console\n$ docker ps\n```\n",
             "legacy/deep/older.md": "# o\n\n```console\n$ docker images\n```\n"}
    for name in pages:
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    make_project(tmp_path, pages)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "        session: lab\n", "        session: lab\n        exclude: ['legacy/**']\n"),
        encoding="utf-8")
    project = load_project(config)
    assert project is not None and project.enabled
    assert [p.relative_to(project.docs_dir).as_posix() for p in project.pages()] == ["index.md"]
    report = check(project)
    assert [p.path for p in report.problems] == ["docs/index.md"]
    config.write_text(config.read_text(encoding="utf-8").replace(
        "        session: lab\n", "        session: lab\n        mode: 'off'\n"), encoding="utf-8")
    assert load_project(config).enabled is False


def test_page_opt_out_in_front_matter_is_honoured_by_the_check(tmp_path: Path) -> None:
    make_project(tmp_path, {"index.md": "---\nexecdocs: {skip: later}\n---\n"
                                        "```console\n$ kubectl get nodes\n```\n"})
    report = check(load_project(tmp_path / "mkdocs.yml"))
    assert report.problems == [] and report.commands == 0
    assert "1 fence(s) opted out" in report.summary()


def test_pages_mkdocs_does_not_build_are_not_checked(tmp_path: Path) -> None:
    pages = {"index.md": "# i\n", ".hidden/x.md": "```console\n$ a\n```\n",
             "templates/t.md": "```console\n$ b\n```\n", "drafts/d.md": "```console\n$ c\n```\n",
             "old/o.md": "```console\n$ d\n```\n", "sub/templates/kept.md": "# k\n"}
    for name in pages:
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    make_project(tmp_path, pages, extra="exclude_docs: |\n  old/\ndraft_docs: |\n  drafts/\n")
    project = load_project(tmp_path / "mkdocs.yml")
    assert [p.relative_to(project.docs_dir).as_posix() for p in project.pages()] == [
        "index.md", "sub/templates/kept.md"]
    assert check(project).problems == []


def test_a_readme_next_to_an_index_is_not_checked_as_mkdocs_does_not_build_it(
        tmp_path: Path) -> None:
    # kubernetes/kops docs/: README.md next to index.md ("Excluding 'README.md' from the site
    # because it conflicts with 'index.md'"); check counted 205 pages where the build had 204
    pages = {"index.md": "# i\n", "README.md": "```bash\n$ make\n```\n",
             "sub/README.md": "# s\n", "old/index.md": "# o\n", "old/README.md": "# r\n"}
    for name in pages:
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    make_project(tmp_path, pages, extra="exclude_docs: |\n  old/index.md\n")
    project = load_project(tmp_path / "mkdocs.yml")
    assert [p.relative_to(project.docs_dir).as_posix() for p in project.pages()] == [
        "index.md", "old/README.md", "sub/README.md"]
    assert check(project).problems == []


def test_the_summary_does_not_call_commands_without_a_session_checked(tmp_path: Path) -> None:
    # kubevirt/user-guide: "54 commands on 97 pages checked" when none had a capture session
    pages = {"index.md": "# i\n\n```console\n$ virtctl version\n$ kubectl get vmis\n```\n"}
    make_project(tmp_path, pages)
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("        session: lab\n", "        mode: warn\n"))
    report = check(load_project(yml))
    assert report.summary().startswith(
        "snippets: 2 commands on 1 pages, 2 of them not checked (no capture session), ")


def test_a_blank_page_is_counted_and_its_front_matter_read_by_the_build_as_by_the_check(
        tmp_path: Path) -> None:
    # Python-Markdown converts nothing on a blank page (no preprocessor runs): the build said
    # "on 1 pages" where `execdocs check` said 2, and never read the blank page's front matter
    pages = {"index.md": "# i\n", "blank.md": "---\nexecdocs: [not, a, mapping]\n---\n\n"}
    make_project(tmp_path, pages)
    report = check(load_project(tmp_path / "mkdocs.yml"))
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert built.returncode == 0, built.stderr
    assert [(p.path, p.line) for p in report.problems] == [("docs/blank.md", 1)]
    assert "docs/blank.md:1: front matter 'execdocs' must be a mapping" in built.stderr
    assert f"INFO    -  execdocs: {report.summary()}" in built.stderr
    assert report.summary().startswith("snippets: 0 commands on 2 pages checked")
