"""MkDocs adapter for console snippets: options and event handlers, no logic."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class SnippetsConfig(base.Config):
    """Options under ``execdocs: snippets:``."""

    enabled = c.Type(bool, default=True)
    """Check console snippets against captures and render their output."""


class SnippetsAdapter:
    """Event handlers for snippets; ``options`` is set by the plugin in ``on_config``."""

    options: SnippetsConfig
