"""Python-Markdown configured like this site (mkdocs.yml's markdown_extensions), for the tests
that compare the scanner with what Python-Markdown really renders."""

from __future__ import annotations

from pathlib import Path

import yaml

PROJECT_MKDOCS = Path(__file__).parent.parent / "mkdocs.yml"


def site_extensions() -> tuple[list[str], dict]:
    """Extension names and their configs; the project's own mkdocs.yml, trusted like MkDocs
    trusts it (python/object tags for slugify)."""
    config = yaml.load(PROJECT_MKDOCS.read_text(encoding="utf-8"), Loader=yaml.UnsafeLoader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        if entry == "execdocs.markdown":
            continue  # Zensical's adapter: under MkDocs the plugin removes it (plugin.py)
        if isinstance(entry, dict):
            (name, options), = entry.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(entry)
    return names, configs
