"""MkDocs adapter: one plugin ``execdocs`` composed of the diagrams and snippets adapters.

Each feature keeps its own options under its own key and its own event handlers in
``mkdocs_diagrams.py`` / ``mkdocs_snippets.py``; this class only fans the events out.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin

from execdocs.mkdocs_diagrams import DiagramsAdapter, DiagramsConfig
from execdocs.mkdocs_site import SiteAdapter, SiteConfig
from execdocs.mkdocs_snippets import SnippetsAdapter, SnippetsConfig


class ExecDocsConfig(base.Config):
    """Options of the ``execdocs`` plugin."""

    diagrams = c.SubConfig(DiagramsConfig)
    """Diagrams rendered from Python code in ``diagram_src/``."""
    snippets = c.SubConfig(SnippetsConfig)
    """Console snippets checked against ``captures/``."""
    site = c.SubConfig(SiteConfig)
    """Site features: Korean search index, Korean line breaks."""


class ExecDocsPlugin(BasePlugin[ExecDocsConfig]):
    """Fan MkDocs events out to the feature adapters, diagrams first."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        # Adapters live as long as the plugin: under `mkdocs serve` they keep workers and caches
        # across rebuilds (MkDocs keeps the plugin instance between rebuilds).
        self.adapters = [DiagramsAdapter(), SnippetsAdapter(), SiteAdapter()]

    def _fan(self, event: str, value, *args, **kwargs):
        for adapter in self.adapters:
            handler = getattr(adapter, event, None)
            if handler is not None:
                result = handler(value, *args, **kwargs)
                if result is not None:
                    value = result
        return value

    def on_config(self, config):
        subs = (self.config.diagrams, self.config.snippets, self.config.site)
        for adapter, sub in zip(self.adapters, subs, strict=True):
            adapter.options = sub
        return self._fan("on_config", config)

    def on_files(self, files, *, config):
        return self._fan("on_files", files, config=config)

    def on_nav(self, nav, *, config, files):
        return self._fan("on_nav", nav, config=config, files=files)

    def on_page_markdown(self, markdown, *, page, config, files):
        return self._fan("on_page_markdown", markdown, page=page, config=config, files=files)

    def on_page_content(self, html, *, page, config, files):
        return self._fan("on_page_content", html, page=page, config=config, files=files)

    def on_post_page(self, output, *, page, config):
        return self._fan("on_post_page", output, page=page, config=config)

    def on_post_build(self, *, config):
        for adapter in self.adapters:
            if hasattr(adapter, "on_post_build"):
                adapter.on_post_build(config=config)

    def on_serve(self, server, *, config, builder):
        return self._fan("on_serve", server, config=config, builder=builder)

    def on_build_error(self, *, error):
        for adapter in self.adapters:
            if hasattr(adapter, "on_build_error"):
                adapter.on_build_error(error=error)

    def on_shutdown(self):
        for adapter in self.adapters:
            if hasattr(adapter, "on_shutdown"):
                adapter.on_shutdown()

