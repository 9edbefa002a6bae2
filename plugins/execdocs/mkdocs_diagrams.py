"""MkDocs adapter for diagrams: options and event handlers, no logic (see execdocs.diagrams)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class DiagramsConfig(base.Config):
    """Options under ``execdocs: diagrams:``."""

    enabled = c.Type(bool, default=True)
    """Render ``![alt](diagram:NAME)`` references."""


class DiagramsAdapter:
    """Event handlers for diagrams; ``options`` is set by the plugin in ``on_config``."""

    options: DiagramsConfig
