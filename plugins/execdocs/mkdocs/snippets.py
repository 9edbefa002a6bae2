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
        # the last pass over each page's HTML; kept across serve rebuilds (a clean text stays
        # clean), with the content each page's guard returned, so it is not scanned twice
        self.scrubber = secret_guard.PageScrubber()
        self.guarded: dict[str, secret_guard.Guarded] = {}
        self.framed: list[str] = []  # pages whose final HTML held a secret outside the content
        self.sessions_file: File | None = None  # the page listing the capture sessions
        self.sessions_md = ""
        self.memo: VerdictMemo | None = None  # remembered capture-check verdicts

    def _label(self, abs_path: str, config) -> str:
        return shown(abs_path, self.root)

    def _report(self, problem: Problem) -> None:
        if self.options.mode == "warn":
            log.info("(warn mode) " + problem.format())
        else:
            log.warning(problem.format())

    def on_config(self, config):
        # the words on the page (also the secret guard's, which runs with snippets off)
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
        self.guarded.clear()
        self.framed.clear()
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
        if job.report is not None:
            self.reports[job.label] = job.report
            for problem in job.report.problems:
                self._report(problem)
        return lines

    def on_page_content(self, html, *, page, config, files):
        html = self._placed(html, page, config)
        # the render-time guard: after every block is placed, before the search index reads
        # the page (it indexes page.content and the toc titles)
        label = self._label(page.file.abs_src_path or page.file.src_uri, config)
        guarded = secret_guard.guard(html, label, self._locate(label, page), self.language)
        for problem in guarded.problems:
            log.warning(problem.format())
        secret_guard.scrub_toc(page)
        self.guarded[label] = guarded
        return guarded.html

    def _locate(self, label, page) -> secret_guard.Locate:
        # the sources (the page, its captures' file text) are only put together when a secret
        # was found: rebuilding 10 capture files' text for every clean page cost 1/4 of a build
        found: list[secret_guard.Locate] = []

        def locate(value: str) -> str:
            if not found:
                sources = [(label, page.file.content_string)]
                report = self.reports.get(label)
                for r in report.results if report else []:
                    if r.capture is not None:
                        sources.append(secret_guard.capture_source(r.capture))
                found.append(secret_guard.locate_in(sources))
            return found[0](value)
        return locate

    def on_post_page(self, output, *, page, config):
        label = self._label(page.file.abs_src_path or page.file.src_uri, config)
        output, found = self.scrubber.scrub(output, self.guarded.pop(label, None))
        if found:
            self._framed(label, f"{found} secret(s) left in the page's final HTML (title, "
                         "navigation or theme) were replaced by '[secret withheld]'")
        return output

    def on_post_template(self, output, *, template_name):
        output, found = self.scrubber.scrub(output)
        if found:
            self._framed(template_name, f"{found} secret(s) in the theme's page (navigation, "
                         "site name or footer) were replaced by '[secret withheld]'")
        return output

    def _framed(self, name: str, what: str) -> None:
        # a secret in the navigation or the theme is on every page: one warning for the first
        # page, one line naming the others at the end of the build (not one per page)
        self.framed.append(name)
        if len(self.framed) == 1:
            log.warning(f"{name}: {what}; look in mkdocs.yml (nav, site_name, extra), the "
                        "theme's overrides and other plugins' output (any other page is named "
                        "at the end of the build)")

    def _placed(self, html, page, config):
        if self.core is None or page.file.abs_src_path is None:
            return html
        if self.excluded is not None and self.excluded.match_file(page.file.src_uri):
            return html
        label = self._label(page.file.abs_src_path, config)
        problem = place.unaccounted_prompts(html, self.reports.get(label))
        if problem is not None:
            self._report(Problem(label, None, problem.message, hint=problem.hint))
        return html

    def on_post_build(self, *, config):
        if len(self.framed) > 1:
            more = self.framed[1:]
            log.warning(f"{len(more)} more page(s) had secrets in their final HTML replaced by "
                        f"'[secret withheld]': {', '.join(more[:10])}"
                        + (f" and {len(more) - 10} more" if len(more) > 10 else ""))
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
