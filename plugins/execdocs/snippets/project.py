"""Check a set of page files on disk: read them, load the store once, run the one engine.

Used by ``execdocs check`` and the pytest plugin (the MkDocs plugin checks the pages MkDocs
hands it instead). The mkdocs.yml reader is an adapter: ``execdocs.mkdocs.config``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from execdocs.snippets.check import Options, Report, check_project
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.store import load_store


def check_files(paths: list[Path], label: Callable[[Path], str], options: Options,
                whole_site: bool, memo: VerdictMemo | None = None) -> Report:
    """Check the pages ``paths`` (shown as ``label(path)``) against ``options.captures_dir``;
    orphan captures are judged only when ``whole_site``. ``memo`` (loaded) remembers the
    capture checks' verdicts; it is saved at the end."""
    store = load_store(options.captures_dir)
    sources = {label(p): Path(p).read_text(encoding="utf-8") for p in paths}
    report = check_project(sources, store, options, whole_site=whole_site, memo=memo)
    if memo is not None:
        memo.save()
    return report
