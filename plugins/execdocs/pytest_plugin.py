"""pytest adapter (entry point ``pytest11``): one test item per documented command.

Markdown pages under the ``docs_dir`` of a MkDocs project that uses the ``execdocs`` plugin are
collected: each console command becomes an item with the id
``docs/kubelet.md:42::kubectl get nodes -o wide`` (select with ``-k``), and a page with
problems outside any command (an unclosed fence, a ``$ `` fence that is not ``console``...) gets
a ``<page>::page`` item. Each ``.capture`` and ``session.yml`` under the captures folder is an
item too (malformed, orphan, off-target versions). A failing item prints the same message as
``mkdocs build`` and ``execdocs check``, without a traceback. The whole site is checked once
per test session. Add ``docs`` and ``captures`` to ``testpaths`` to run them with plain pytest.
A secret in mkdocs.yml is a failing ``mkdocs.yml::config`` item (brought by the first of the
project's files collected). Pages are checked with their ``--8<--`` includes expanded, as the
build does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from execdocs.mkdocs import config as project_mod
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets.check import Report
from execdocs.snippets.store import CAPTURE_SUFFIX, SESSION_FILE

_PROJECTS: dict[Path, project_mod.Project | None] = {}
_REPORT_KEY = pytest.StashKey[dict[Path, Report]]()
_CONFIG_KEY = pytest.StashKey[set[Path]]()


class SnippetFailure(Exception):
    """Raised by an item whose snippet has problems; shown as the problems, no traceback."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def _project_for(path: Path) -> project_mod.Project | None:
    """The execdocs MkDocs project whose docs or captures folder holds ``path``."""
    for folder in path.resolve().parents:
        config = folder / "mkdocs.yml"
        if config not in _PROJECTS:
            _PROJECTS[config] = project_mod.load_project(config) if config.is_file() else None
        project = _PROJECTS[config]
        if project is not None and project.enabled:
            return project
    return None


def _report(config: pytest.Config, project: project_mod.Project) -> Report:
    reports = config.stash.setdefault(_REPORT_KEY, {})
    if project.config_file not in reports:
        try:
            reports[project.config_file] = project_mod.check(project)
        except ExecDocsError as exc:  # mkdocs.yml settings the check cannot read: no items
            raise pytest.Collector.CollectError(str(exc)) from None
    return reports[project.config_file]


def _config_item(collector: pytest.File, project: project_mod.Project, report: Report):
    """The ``mkdocs.yml::config`` item when the config file has problems (its secrets), once
    per test session, from whichever of the project's files is collected first."""
    said = collector.config.stash.setdefault(_CONFIG_KEY, set())
    if project.config_file in said or not report.config_problems:
        return []
    said.add(project.config_file)
    label = project.page_label(project.config_file)
    return [SnippetItem.from_parent(collector, name="config", nodeid=f"{label}::config",
                                    problems=report.config_problems, line=None)]


def _same_file(problem_path: str, path: Path) -> bool:
    return Path(problem_path).resolve() == path.resolve()


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """Collect pages of an execdocs project and its capture files."""
    if file_path.suffix == ".md" or file_path.suffix == CAPTURE_SUFFIX or (
        file_path.name == SESSION_FILE
    ):
        project = _project_for(file_path)
        if project is None:
            return None
        resolved = file_path.resolve()
        if file_path.suffix == ".md" and project.docs_dir.resolve() in resolved.parents:
            return SnippetPage.from_parent(parent, path=file_path, project=project)
        if file_path.suffix != ".md" and project.options.captures_dir.resolve() in resolved.parents:
            return CaptureFile.from_parent(parent, path=file_path, project=project)
    return None


class SnippetPage(pytest.File):
    """A Markdown page: one item per console command, plus one for page-level problems."""

    def __init__(self, *, project: project_mod.Project, **kwargs):
        super().__init__(**kwargs)
        self.project = project

    def collect(self):
        report = _report(self.config, self.project)
        yield from _config_item(self, self.project, report)
        label = self.project.page_label(self.path)
        page = next((p for p in report.pages if p.parsed.page == label), None)
        if page is None:
            return
        if page.parsed.problems:
            yield SnippetItem.from_parent(self, name="page", nodeid=f"{label}::page",
                                          problems=page.parsed.problems, line=None)
        for result in page.results:
            # a command of a file that several pages include is an item of each of them
            nodeid = result.id if result.page == label else f"{result.id} (in {label})"
            yield SnippetItem.from_parent(
                self, name=" ".join(result.command.text.split()), nodeid=nodeid,
                problems=result.problems, line=result.command.line)


class CaptureFile(pytest.File):
    """A ``.capture`` or ``session.yml``: malformed, orphan or off-target-version problems."""

    def __init__(self, *, project: project_mod.Project, **kwargs):
        super().__init__(**kwargs)
        self.project = project

    def collect(self):
        report = _report(self.config, self.project)
        yield from _config_item(self, self.project, report)
        mine = [p for p in report.store_problems + report.warnings
                if _same_file(p.path, self.path) or _same_file(p.path, self.path.parent)]
        label = self.project.page_label(self.path)
        kind = "session" if self.path.name == SESSION_FILE else "capture"
        yield SnippetItem.from_parent(self, name=kind, nodeid=f"{label}::{kind}", problems=mine,
                                      line=None)


class SnippetItem(pytest.Item):
    """One checked command (or page/capture file); fails with its problems."""

    def __init__(self, *, problems: list[Problem], line: int | None, **kwargs):
        super().__init__(**kwargs)
        self.problems = problems
        self.line = line

    def runtest(self) -> None:
        if self.problems:
            raise SnippetFailure(self.problems)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SnippetFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, (self.line - 1 if self.line else None), self.name
