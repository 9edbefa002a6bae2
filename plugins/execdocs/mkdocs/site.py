"""MkDocs adapter for site features: options and event handlers, no logic (see execdocs.site)."""

from __future__ import annotations

import json
import os

from mkdocs.exceptions import PluginError

from execdocs.atomic import write_atomic
from execdocs.mkdocs.config import SiteConfig, site_language
from execdocs.mkdocs.log import plugin_logger

log = plugin_logger("execdocs.site")

class SiteAdapter:
    """Event handlers for the site; ``options`` is set by the plugin in ``on_config``."""

    options: SiteConfig

    def __init__(self) -> None:
        self.search = self.line_breaks = False

    def on_config(self, config):
        # Korean features only where they help: an English site keeps Material's separator.
        korean = site_language(config) == "ko"
        self.search = korean if self.options.korean_search is None else self.options.korean_search
        self.line_breaks = (korean if self.options.korean_line_breaks is None
                            else self.options.korean_line_breaks)

    def on_post_page(self, output, *, page, config):
        # After search has indexed the page (on_page_context): the index gets no joiners.
        if self.line_breaks:
            from execdocs.site import word_joiner  # only a Korean site pays its import

            return word_joiner.join(output)
        return None

    def joiner(self):
        """The word joiner module when this site joins words (``on_post_page``), else None:
        the diagrams put their captions into pages it has been through."""
        if self.line_breaks:
            from execdocs.site import word_joiner

            return word_joiner
        return None

    def on_post_build(self, *, config):
        # Runs after the search plugin wrote the index and before Material's offline plugin
        # turns it into search_index.js (the plugin gives this handler priority -50).
        if not self.search:
            return
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if not os.path.isfile(path):  # search plugin absent or disabled
            return
        try:
            with open(path, encoding="utf-8") as f:
                index = json.load(f)
            from execdocs.site import korean_search

            added = korean_search.augment_index(index)
        except (OSError, ValueError) as exc:
            raise PluginError(f"Couldn't rewrite the search index '{path}': {exc}") from exc
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        write_atomic(path, data)
        log.info(
            "site: Korean search index, %d entries, %d hidden terms, %d spaced phrases",
            len(index["docs"]), added.terms, added.phrases,
        )
