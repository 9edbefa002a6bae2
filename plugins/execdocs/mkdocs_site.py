"""MkDocs adapter for site features: options and event handlers, no logic (see execdocs.site)."""

from __future__ import annotations

import json
import os
import tempfile

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from execdocs.site import korean_search, word_joiner

log = get_plugin_logger(__name__)

_SEARCH_PLUGINS = ("search", "material/search")


class SiteConfig(base.Config):
    """Options under ``execdocs: site:``."""

    korean_search = c.Type(bool, default=True)
    """Rewrite ``search/search_index.json`` for Korean: separator and hidden suffix field."""
    korean_line_breaks = c.Type(bool, default=True)
    """Keep bracketed Korean words whole at line ends (``런타임(containerd)과``)."""


class SiteAdapter:
    """Event handlers for the site; ``options`` is set by the plugin in ``on_config``."""

    options: SiteConfig

    def on_config(self, config):
        if not self.options.korean_search:
            return None
        names = list(config.plugins)
        search = [i for i, name in enumerate(names) if name in _SEARCH_PLUGINS]
        if search and "execdocs" in names and search[0] > names.index("execdocs"):
            # MkDocs runs on_post_build in list order: listed first, execdocs would rewrite a
            # stale index that search then overwrites.
            raise PluginError(
                "Couldn't set up Korean search: 'execdocs' is listed before 'search' in "
                "mkdocs.yml plugins\n  hint: list 'search' first, or set "
                "'execdocs: site: korean_search: false'"
            )
        return None

    def on_post_page(self, output, *, page, config):
        # After search has indexed the page (on_page_context): the index gets no joiners.
        if self.options.korean_line_breaks:
            return word_joiner.join(output)
        return None

    def on_post_build(self, *, config):
        if not self.options.korean_search:
            return
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if not os.path.isfile(path):  # search plugin absent or disabled
            return
        try:
            with open(path, encoding="utf-8") as f:
                index = json.load(f)
            added = korean_search.augment_index(index)
        except (OSError, ValueError) as exc:
            raise PluginError(f"Couldn't rewrite the search index '{path}': {exc}") from exc
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, path)
        log.info(
            "site: Korean search index, %d entries, %d hidden terms, %d spaced phrases",
            len(index["docs"]), added.terms, added.phrases,
        )
