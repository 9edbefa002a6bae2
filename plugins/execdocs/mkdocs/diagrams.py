"""MkDocs adapter for diagrams: options and event handlers, no logic (see execdocs.diagrams).

Content problems become warnings through the plugin logger (one build reports all of them and
``--strict`` fails); a broken environment (no Graphviz, no Hangul font) is a ``PluginError``.
The SVG enters the page in ``on_post_page``: the reference stays an ``<img src="diagram:...">``
through Markdown (cheap), and the large SVG is substituted into the final HTML (measured,
bench/README.md: raw HTML through Markdown made builds 2.4x slower, on_post_page 1.2x).
"""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from execdocs.diagrams.refs import SCHEME
from execdocs.mkdocs.config import DiagramsConfig, diagram_settings, site_language
from execdocs.mkdocs.log import plugin_logger
from execdocs.problems import ExecDocsError

if TYPE_CHECKING:  # the renderer is imported only for a site that names a diagram
    from execdocs.diagrams.render import DiagramRenderer, Settings

log = plugin_logger("execdocs.diagrams")


def _timed(hook):
    """Add the hook's wall time to the build's total (``mkdocs serve -v`` prints it per build)."""

    @functools.wraps(hook)
    def wrapper(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return hook(self, *args, **kwargs)
        finally:
            self.hooks_s += time.perf_counter() - started

    return wrapper


class DiagramsAdapter:
    """Event handlers for diagrams; ``options`` is set by the plugin in ``on_config``."""

    options: DiagramsConfig

    def __init__(self) -> None:
        self.renderer: DiagramRenderer | None = None  # kept across `mkdocs serve` rebuilds
        self.settings: Settings | None = None
        self.urls: dict[str, str] = {}
        self.files = None
        self.docs_prefix = "docs"
        self.language = "ko"  # the site's theme.language: the words of captions and notices
        self.hooks_s = 0.0  # this build's time in the hooks below (bench/bench_diagrams.py)

    @_timed
    def on_config(self, config):
        self.hooks_s = 0.0  # a new build starts here
        if not self.options.enabled:
            return None
        project = Path(config.config_file_path or ".").resolve().parent
        self.language = site_language(config)
        self.settings = diagram_settings(self.options, project)
        if self.renderer is not None and self.renderer.settings != self.settings:
            self.renderer.close()
            self.renderer = None
        if self.renderer is not None:
            self.renderer.begin_build()
        docs = Path(config.docs_dir).resolve()
        try:
            self.docs_prefix = docs.relative_to(project).as_posix()
        except ValueError:
            self.docs_prefix = docs.as_posix()
        return None

    @_timed
    def on_files(self, files, *, config):
        if not self.options.enabled:
            return None
        pages = list(files.documentation_pages())
        if self.renderer is None:
            # Graphviz and the Hangul font are checked only for a site that names a diagram:
            # a page without the text "diagram:" cannot hold a reference (any mention at all
            # takes the full path, which reports what it finds).
            if not any(SCHEME in (f.content_string or "") for f in pages):
                return None
            assert self.settings is not None  # set in on_config
            from execdocs.diagrams.render import DiagramRenderer

            try:
                self.renderer = DiagramRenderer(self.settings)
            except ExecDocsError as exc:
                raise PluginError(str(exc)) from exc
            self.renderer.begin_build()
        self.files = files
        self.urls = {f.src_uri: f.url for f in pages}
        for file in pages:
            for problem in self.renderer.add_page(self._shown(file.src_uri), file.content_string):
                log.warning(problem.format())
        return None

    @_timed
    def on_post_page(self, output, *, page, config, joiner=None):
        # joiner: the word joiner the page went through (None: none), see DiagramRenderer.embed
        if self.renderer is None or not self.options.enabled:
            return None
        html, problems = self.renderer.embed(
            self._shown(page.file.src_uri), output, page.url, self.urls, self.language, joiner
        )
        for problem in problems:
            log.warning(problem.format())
        return html

    def on_post_build(self, *, config):
        if self.renderer is None or not self.options.enabled:
            return
        started = time.perf_counter()
        anchors = {
            f.src_uri: set(getattr(f.page, "present_anchor_ids", None) or ())
            for f in self.files.documentation_pages()
            if f.page is not None
        }
        for problem in self.renderer.finish(anchors):
            log.warning(problem.format())
        log.info(self.renderer.summary())
        log.debug(self.renderer.timing(self.hooks_s + time.perf_counter() - started))

    def on_serve(self, server, *, config, builder):
        if self.renderer is not None and self.renderer.settings.src_dir.is_dir():
            # An edited script changes only its own cache key; a helper, its importers'.
            server.watch(str(self.renderer.settings.src_dir))
            self.renderer.pool.warm()  # so the first edited diagram pays no process start
        return server

    def on_shutdown(self):
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None

    def _shown(self, src_uri: str) -> str:
        return f"{self.docs_prefix}/{src_uri}"
