"""The MkDocs (and ProperDocs) plugin ``execdocs``: wires MkDocs events to the feature adapters.

Each feature adapter (``diagrams``, ``snippets``, ``site``; ``secrets``, the guard, runs
whatever is on) gets its own validated sub-config
(``execdocs.mkdocs.config``) and holds no logic of its own; this class only says which adapter
handles which event, and when relative to other plugins (``event_priority``, so the order of
``plugins:`` in mkdocs.yml does not matter).
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from execdocs import markdown as markdown_adapter
from execdocs.mkdocs import log
from execdocs.mkdocs.config import ExecDocsConfig
from execdocs.mkdocs.diagrams import DiagramsAdapter
from execdocs.mkdocs.secrets import SecretsAdapter
from execdocs.mkdocs.site import SiteAdapter
from execdocs.mkdocs.snippets import SnippetsAdapter


class ExecDocsPlugin(BasePlugin[ExecDocsConfig]):
    """Diagrams from code, console snippets checked against captures, Korean site features."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        # Adapters live as long as the plugin: under `mkdocs serve` they keep workers and caches
        # across rebuilds (MkDocs keeps the plugin instance between rebuilds).
        self.diagrams = DiagramsAdapter()
        self.snippets = SnippetsAdapter()
        self.site = SiteAdapter()
        self.secrets = SecretsAdapter()
        self.secrets.sources = self.snippets.capture_sources

    @event_priority(100)  # first: a build's problem count starts before anyone can warn
    def on_config(self, config: Any) -> Any:
        log.reset_count()
        # One mkdocs.yml for both engines: Zensical needs `execdocs.markdown` listed; here the
        # plugin does that page work itself, with the page known, so the extension goes.
        if markdown_adapter.NAME in config.markdown_extensions:
            config.markdown_extensions.remove(markdown_adapter.NAME)
            config.mdx_configs.pop(markdown_adapter.NAME, None)
        self.diagrams.options = self.config.diagrams
        self.snippets.options = self.config.snippets
        self.site.options = self.config.site
        self.diagrams.on_config(config)
        self.snippets.on_config(config)
        self.site.on_config(config)
        self.secrets.on_config(config)
        return config

    def on_files(self, files: Any, *, config: Any) -> Any:
        self.secrets.on_files()
        self.diagrams.on_files(files, config=config)
        return self.snippets.on_files(files, config=config)

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        return self.snippets.on_page_markdown(markdown, page=page, config=config, files=files)

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        html = self.snippets.on_page_content(html, page=page, config=config, files=files)
        return self.secrets.on_page_content(html, page=page)

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        # The secret guard's last pass first, on the page as rendered (before the word joiner
        # puts invisible characters into the text, before the diagrams' SVG is inlined).
        output = self.secrets.on_post_page(output, page=page)
        # The word joiner next, before the diagrams' SVG is inlined: it leaves <svg> alone, so
        # reading it was wasted (+0.3 ms a page); the diagrams join the captions they put in.
        output = self.site.on_post_page(output, page=page, config=config) or output
        return self.diagrams.on_post_page(output, page=page, config=config,
                                          joiner=self.site.joiner()) or output

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        # the theme's own pages (404.html, sitemap.xml) carry the frame too: navigation titles,
        # site name, footer
        return self.secrets.on_post_template(output_content, template_name=template_name)

    @event_priority(-50)  # after search writes search_index.json, before offline packs it
    def _post_build_features(self, *, config: Any) -> None:
        self.diagrams.on_post_build(config=config)
        self.snippets.on_post_build(config=config)
        self.site.on_post_build(config=config)
        self.secrets.on_post_build()

    @event_priority(-100)  # last: every problem of the build has been reported
    def _post_build_strict(self, *, config: Any) -> None:
        # MkDocs 1.6 loses its own strict count under -q/-v (see execdocs.mkdocs.log).
        if config.strict and log.warned():
            count = log.warned()
            raise Abort(f"Aborted with {count} execdocs problem{'s' * (count != 1)} in strict "
                        "mode (see the warnings above; `execdocs check` lists the snippet ones)")

    on_post_build = CombinedEvent(_post_build_features, _post_build_strict)

    def on_build_error(self, *, error: Exception) -> None:
        self.secrets.on_build_error()

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        self.diagrams.on_serve(server, config=config, builder=builder)
        return self.snippets.on_serve(server, config=config, builder=builder)

    def on_shutdown(self) -> None:
        self.diagrams.on_shutdown()
