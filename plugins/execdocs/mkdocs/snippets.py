"""MkDocs adapter for console snippets: options and event handlers, no logic.

The work is in ``execdocs.snippets`` (parse, store, check, render, place). Each content problem
is a warning with ``page:line`` (so one build reports all of them and ``--strict`` fails); an
unreadable captures folder is a ``PluginError``.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from execdocs.mkdocs.config import SnippetsConfig, snippet_options
from execdocs.mkdocs.log import plugin_logger
from execdocs.paths import shown
from execdocs.snippets import place, render
from execdocs.snippets.check import Options, PageReport, Report, check_page, project_warnings
from execdocs.snippets.store import Store, load_store

log = plugin_logger("execdocs")


class SnippetsAdapter:
    """Event handlers for snippets; ``options`` is set by the plugin in ``on_config``."""

    options: SnippetsConfig

    def __init__(self) -> None:
        self.core: Options | None = None
        self.store: Store | None = None
        self.reports: dict[str, PageReport] = {}
        self.pending: dict[str, tuple[str, dict[int, str]]] = {}
        self.index: dict = {}  # session -> command -> captures, rebuilt with the store

    def _label(self, abs_path: str, config) -> str:
        return shown(abs_path, os.path.dirname(config.config_file_path or "."))

    def on_config(self, config):
        if not self.options.enabled:
            return config
        root = Path(os.path.dirname(config.config_file_path or "."))
        self.core = snippet_options(self.options, root)
        if render.CSS_PATH not in config.extra_css:
            config.extra_css.append(render.CSS_PATH)
        return config

    def on_files(self, files, *, config):
        if self.core is None:
            return files
        try:
            self.store = load_store(self.core.captures_dir)  # reloaded on every (re)build
        except OSError as exc:
            raise PluginError(f"Couldn't read captures '{self.core.captures_dir}': {exc}") from exc
        for problem in self.store.problems:
            log.warning(problem.format())
        self.reports.clear()
        self.pending.clear()
        self.index = {}
        files.append(File.generated(config, render.CSS_PATH, content=render.STYLESHEET))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        if self.core is None or self.store is None or page.file.abs_src_path is None:
            return markdown
        label = self._label(page.file.abs_src_path, config)
        source = page.file.content_string
        report = check_page(label, source, self.store, self.core, self.index)
        self.reports[label] = report
        for problem in report.problems:
            log.warning(problem.format())
        if not report.parsed.fences:
            return markdown
        nonce = place.new_nonce()
        offset = place.front_matter_offset(source, markdown)
        markdown, placed, problems = place.replace_fences(
            markdown, offset, report.parsed.fences, nonce, label)
        for problem in problems:
            log.warning(problem.format())
        blocks = {i: render.render_fence(f, report.results, self.core.fold_after)
                  for i, f in placed.items()}
        self.pending[page.file.src_uri] = (nonce, blocks)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        if self.core is None:
            return html
        label = self._label(page.file.abs_src_path or page.file.src_uri, config)
        if place.unchecked_prompts(html):
            log.warning(f"{label}: a console block with '$ ' prompts reached the page without "
                        "being checked (a fence the snippet parser did not see)")
        pending = self.pending.pop(page.file.src_uri, None)
        if pending is None:
            return html
        nonce, blocks = pending
        html, missing = place.insert_html(html, nonce, blocks)
        for index in missing:
            log.warning(f"{label}: the output of console fence #{index + 1} could not be placed "
                        "in the page")
        return html

    def on_post_build(self, *, config):
        if self.core is None or self.store is None:
            return
        pages = list(self.reports.values())
        warnings = project_warnings(self.store, pages, self.core)
        for problem in warnings:
            log.warning(problem.format())
        report = Report(pages=pages, store_problems=list(self.store.problems), warnings=warnings)
        log.info(report.summary())

    def on_serve(self, server, *, config, builder):
        if self.core is not None and self.core.captures_dir.is_dir():
            server.watch(str(self.core.captures_dir))
        return server
