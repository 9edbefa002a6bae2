"""Check a set of page files on disk: read them, load the store once, run the one engine.

Used by ``execdocs check`` and the pytest plugin (the MkDocs plugin checks the pages MkDocs
hands it instead). The mkdocs.yml reader is an adapter: ``execdocs.mkdocs.config``; what it
read of the site beyond the plugin's options is a :class:`Site`: the config file's text (its
secrets are problems, ``execdocs.config_secrets``) and the ``pymdownx.snippets`` settings that
pages with ``--8<--`` includes are expanded with, as the build expands them
(``snippets/includes.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from execdocs import config_secrets
from execdocs.snippets.check import Expand, Options, PageReport, Report, check_project
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.store import Capture, load_store

if TYPE_CHECKING:  # imported when a site lists pymdownx.snippets (it brings Python-Markdown)
    from execdocs.snippets.includes import IncludeSettings


@dataclass(frozen=True)
class Site:
    """What the check reads of the site's config besides the plugin's options."""

    config_files: tuple[tuple[str, str], ...]
    """(how it is named in messages, its text) of the config file and of each file it
    INHERITs (``config_secrets.inherited``): scanned for secrets."""
    includes: IncludeSettings | None
    """``pymdownx.snippets`` as the site configures it; None when it is not listed."""
    shown: Callable[[Path], str]
    """How an included file's path is shown in messages (as the build shows it)."""


def check_files(paths: list[Path], label: Callable[[Path], str], options: Options,
                whole_site: bool, memo: VerdictMemo | None = None,
                site: Site | None = None) -> Report:
    """Check the pages ``paths`` (shown as ``label(path)``) against ``options.captures_dir``;
    orphan captures are judged only when ``whole_site``. ``memo`` (loaded) remembers the
    capture checks' verdicts; it is saved at the end. ``site``: the config file's secrets are
    problems, and pages are checked with their ``--8<--`` includes expanded."""
    store = load_store(options.captures_dir)
    files = {label(p): Path(p) for p in paths}
    sources = {name: path.read_text(encoding="utf-8") for name, path in files.items()}
    probes: dict[str, str] = {}
    expand: Expand | None = None
    if site is not None and site.includes is not None:
        from execdocs.snippets.includes import Expansion, PageInput, check_expanded

        settings, shown, seen = site.includes, site.shown, Expansion(probes)

        def expand(name: str, source: str, index: dict[str, dict[str, list[Capture]]]
                   ) -> PageReport | None:
            page = PageInput(label=name, path=files[name], source=source, store=store,
                             session=options.session, languages=options.languages,
                             index=index, memo=memo, shown=shown)
            return check_expanded(page, settings, seen)

    report = check_project(sources, store, options, whole_site=whole_site, memo=memo,
                           expand=expand)
    report.probes = probes
    if site is not None:
        report.config_problems = [problem for label, text in site.config_files
                                  for problem in config_secrets.problems(text, label)]
    if memo is not None:
        memo.save()
    return report
