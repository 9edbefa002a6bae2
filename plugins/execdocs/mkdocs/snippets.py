"""MkDocs adapter for console snippets: options and event handlers, no logic.

The work is in ``execdocs.snippets`` (parse, store, check, render, place). ``place`` runs as a
Python-Markdown preprocessor on the text MkDocs really renders (after other plugins, with
``--8<--`` includes); this adapter only tells it which page is being rendered. Each content
problem is a warning with ``page:line`` (one build reports all of them and ``--strict`` fails),
or an INFO line in ``mode: warn``; an unreadable captures folder is a ``PluginError``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pathspec
from markdown import Markdown
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from execdocs import secret_guard
from execdocs.mkdocs.config import SnippetsConfig, site_language, snippet_options
from execdocs.mkdocs.log import plugin_logger
from execdocs.paths import shown
from execdocs.problems import Problem
from execdocs.snippets import place, render, sessions_page
from execdocs.snippets.check import Options, PageReport, Report, project_warnings
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.store import Store, load_store

log = plugin_logger("execdocs")


class SnippetsAdapter:
    """Event handlers for snippets; ``options`` is set by the plugin in ``on_config``."""

    options: SnippetsConfig

    def __init__(self) -> None:
        self.core: Options | None = None
        self.store: Store | None = None
        self.reports: dict[str, PageReport] = {}
        self.index: dict = {}  # session -> command -> captures, rebuilt with the store
        self.job: place.PageJob | None = None  # the page Python-Markdown is converting
        self.root = Path(".")
        self.excluded: pathspec.GitIgnoreSpec | None = None
        self.language = "en"
        self.sessions_file: File | None = None  # the page listing the capture sessions
        self.sessions_md = ""
        self.memo: VerdictMemo | None = None  # remembered capture-check verdicts
        self.unnumbered = ""  # the first page placed without the site's line numbers

    def _label(self, abs_path: str, config) -> str:
        return shown(abs_path, self.root)

    def _report(self, problem: Problem) -> None:
        if self.options.mode == "warn":
            log.info("(warn mode) " + problem.format())
        else:
            log.warning(problem.format())

    def on_config(self, config):
        # the words on the page
        self.language = site_language(config)
        if not self.options.enabled or self.options.mode == "off":
            self.core = self.memo = None
            return config
        self.root = Path(os.path.dirname(config.config_file_path or ".")).resolve()
        self.core = snippet_options(self.options, self.root)
        # read before any diagram job starts (on_files); saved at the end of the build
        self.memo = VerdictMemo(self.root)
        self.memo.load()
        try:
            # gitignore-style, as MkDocs' own exclude_docs
            self.excluded = pathspec.GitIgnoreSpec.from_lines(self.core.exclude)
        except (ValueError, TypeError) as exc:
            raise PluginError(f"Couldn't read 'execdocs: snippets: exclude': {exc}") from exc
        if render.CSS_PATH not in config.extra_css:
            config.extra_css.append(render.CSS_PATH)
        # a Python-Markdown preprocessor, so fences are found in the text really rendered
        config.markdown_extensions.append(place.SnippetsExtension(self._convert))
        return config

    def on_files(self, files, *, config):
        if self.core is None:
            return files
        try:
            # reloaded on every (re)build
            self.store = load_store(self.core.captures_dir, self.options.max_capture_bytes)
        except OSError as exc:
            raise PluginError(f"Couldn't read captures '{self.core.captures_dir}': {exc}") from exc
        for problem in self.store.problems:
            self._report(problem)
        self.reports.clear()
        self.index = {}
        self.unnumbered = ""
        files.append(File.generated(config, render.CSS_PATH, content=render.STYLESHEET))
        self._sessions_page(files)
        return files

    def _sessions_page(self, files) -> None:
        # the page with <!-- execdocs: sessions -->: its list is made from every page's source
        assert self.core is not None and self.store is not None
        self.sessions_file, self.sessions_md = None, ""
        pages = [f for f in files.documentation_pages() if f.abs_src_path is not None
                 and not (self.excluded and self.excluded.match_file(f.src_uri))]
        uri, self.sessions_md = sessions_page.listing(
            self.store, {f.src_uri: f.content_string for f in pages}, self.core.session,
            self.core.languages, self.language)
        self.sessions_file = files.get_file_from_path(uri) if uri else None

    def on_page_markdown(self, markdown, *, page, config, files):
        self.job = None
        if self.core is None or self.store is None or page.file.abs_src_path is None:
            return None
        if self.excluded is not None and self.excluded.match_file(page.file.src_uri):
            return None
        href = self.sessions_file.url_relative_to(page.file) if self.sessions_file else None
        self.job = place.PageJob(
            label=self._label(page.file.abs_src_path, config),
            source=page.file.content_string, store=self.store,
            default_session=self.core.session, fold_after=self.core.fold_after,
            language=self.language, languages=self.core.languages, sessions_href=href,
            shown=lambda path: shown(path, self.root), index=self.index, memo=self.memo)
        if self.sessions_file is not None and page.file.src_uri == self.sessions_file.src_uri:
            return sessions_page.replace_directive(markdown, self.sessions_md)
        return None

    def _convert(self, lines: list[str], md: Markdown) -> list[str]:
        # the first conversion after on_page_markdown is the page's own; later ones (other
        # plugins converting docstrings or snippets of their own) are left alone
        job, self.job = self.job, None
        if job is None:
            return lines
        lines = place.place_page(lines, md, job)
        self._placed(job)
        return lines

    def _placed(self, job: place.PageJob) -> None:
        if job.unnumbered and not self.unnumbered:  # once a build: the site's setup, not a page's
            self.unnumbered = job.label
            log.info(f"{job.label}: console snippets are drawn without the highlighter's line "
                     "numbers, highlighted lines and line anchors (where the site sets them): "
                     "this pymdownx.superfences lacks what execdocs reads to draw them "
                     f"({job.unnumbered}); the commands and outputs are all shown")
        if job.report is not None:
            self.reports[job.label] = job.report
            for problem in job.report.problems:
                self._report(problem)

    def on_page_content(self, html, *, page, config, files):
        if self.job is not None:  # a blank page: Python-Markdown converted nothing
            job, self.job = self.job, None
            place.blank_page(job)
            self._placed(job)
        if self.core is None or page.file.abs_src_path is None:
            return html
        if self.excluded is not None and self.excluded.match_file(page.file.src_uri):
            return html
        label = self._label(page.file.abs_src_path, config)
        problem = place.unaccounted_prompts(html, self.reports.get(label))
        if problem is not None:
            self._report(Problem(label, None, problem.message, hint=problem.hint))
        return html

    def capture_sources(self, label: str) -> list[tuple[str, str]]:
        """(label, text) of the capture files the page ``label`` shows (where the secret
        guard names a secret found in its content)."""
        report = self.reports.get(label)
        return [secret_guard.capture_source(r.capture) for r in report.results
                if r.capture is not None] if report else []

    def on_post_build(self, *, config):
        if self.core is None or self.store is None:
            return
        pages = list(self.reports.values())
        warnings = project_warnings(self.store, pages, self.core)
        for problem in warnings:
            self._report(problem)
        report = Report(pages=pages, store_problems=list(self.store.problems), warnings=warnings)
        log.info(report.summary())
        if self.memo is not None:
            self.memo.save()

    def on_serve(self, server, *, config, builder):
        if self.core is not None and self.core.captures_dir.is_dir():
            server.watch(str(self.core.captures_dir))
        return server
