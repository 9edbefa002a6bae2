"""Python-Markdown adapter: ``markdown_extensions: - execdocs.markdown`` (for Zensical).

Zensical reads ``mkdocs.yml`` and runs Python-Markdown extensions, but ignores MkDocs plugins.
This extension gives a page rendered there the same content the MkDocs plugin gives it:
diagram references become the same sanitised inline SVGs (same renderer, cache code and worker
pool), console fences the same output blocks with provenance (the same preprocessor,
``execdocs.snippets.place``), and execdocs' directives are not published. Its options are the
plugin's: it reads the ``plugins: - execdocs:`` block of ``mkdocs.yml`` through the one schema
(``execdocs.mkdocs.config``), so both engines build one site from one file. The only option of
its own is ``config_file`` (which ``mkdocs.yml``; default: the one in Zensical's project root).

A page with problems logs each one, then raises one error naming each ``page:line``: Zensical
fails the build (exit 1) on an extension's exception. Under MkDocs the plugin removes this
extension from the list and does the work itself (it knows the page, counts warnings for
``--strict``, watches inputs, tunes the search index). README "Zensical" has the setup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from execdocs.markdown.extension import ExecDocsExtension

NAME = "execdocs.markdown"
"""The name to list under ``markdown_extensions:``."""


def makeExtension(**kwargs: Any) -> ExecDocsExtension:  # noqa: N802 (Python-Markdown's name)
    """The extension, as Python-Markdown loads it by name."""
    # imported here: the MkDocs plugin imports this package for NAME only, and the
    # extension's imports (diagrams, the Zensical engine) are a build's startup cost
    from execdocs.markdown.extension import ExecDocsExtension

    return ExecDocsExtension(**kwargs)


__all__ = ["NAME", "ExecDocsExtension", "makeExtension"]
