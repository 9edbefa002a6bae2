"""What the Python-Markdown adapter keeps for a whole build: one :class:`Engine` per mkdocs.yml.

Python-Markdown makes a new extension object for every page (Zensical names extensions by
string), so the state that must outlive a page lives here, once per process and project: the
validated options (the one schema, ``execdocs.mkdocs.config``), the capture store, the
diagram renderer (its cache and warm workers), the page URLs that node links resolve against.
No logic of its own: the cores do the work.
"""

from __future__ import annotations

import atexit
import os
import posixpath
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pathspec
import yaml

from execdocs import config_secrets
from execdocs.diagrams.embed import relative as relative_url
from execdocs.diagrams.refs import SCHEME
from execdocs.diagrams.render import DiagramRenderer, Settings
from execdocs.mkdocs import config as schema
from execdocs.paths import shown
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets import place, sessions_page
from execdocs.snippets.store import Store, load_store

ZENSICAL_CACHE = ".cache"
"""The folder Zensical keeps its own cache in, and deletes whole on ``zensical build --clean``."""
SURVIVING_CACHE = ".execdocs-cache/diagrams"
"""Where the diagram cache goes under Zensical when ``cache_dir`` is left at its default
(which lies inside ``.cache/``): a folder ``--clean`` does not delete."""
RESCAN_S = 1.0
"""Under ``zensical serve``, captures are looked at again (for edits) at most this often. A
build reads them once, as the MkDocs plugin does: walking 3,000 capture files every second
was ~1/6 of a 300-page build's Markdown time (bench/README.md, Zensical)."""


@dataclass(frozen=True)
class PageInfo:
    """The page being converted, as far as the engine running Python-Markdown says."""

    path: str | None
    """Docs-relative source path (``kubelet.md``); None when the engine does not say."""
    url: str | None
    """The page's URL relative to the site root (``kubelet.html``, ``kubelet/``)."""


def page_info(md: Any) -> PageInfo:
    """The page Zensical is rendering, read from its ``rendering_context`` preprocessor.

    That is an internal Zensical API (its maintainers say it will change): anything missing or
    of another shape gives ``PageInfo(None, None)``, never an error.
    """
    try:
        context = md.preprocessors["rendering_context"]
    except (KeyError, AttributeError, TypeError):
        return PageInfo(None, None)
    page = getattr(context, "page", None)
    path, url = getattr(page, "path", None), getattr(page, "url", None)
    return PageInfo(path if isinstance(path, str) and path.endswith(".md") else None,
                    url if isinstance(url, str) else None)


def zensical_root(md: Any) -> Path | None:
    """Zensical's project root (the folder of its config file), when it says."""
    try:
        context = md.preprocessors["rendering_context"]
    except (KeyError, AttributeError, TypeError):
        return None
    config = getattr(context, "config", None)
    root = config.get("root_dir") if isinstance(config, dict) else None
    return Path(root) if isinstance(root, str) and root else None


def _url_of(src: str, directory_urls: bool) -> str:
    """The URL MkDocs and Zensical give the page ``src`` (``a/b.md`` -> ``a/b.html``/``a/b/``)."""
    stem = src[:-3]
    name = posixpath.basename(stem)
    if not directory_urls:
        return stem + ".html"
    if name in ("index", "README"):
        parent = posixpath.dirname(stem)
        return parent + "/" if parent else ""
    return stem + "/"


class Engine:
    """One project's options, capture store and diagram renderer, kept for the process."""

    def __init__(self, config_file: Path, *, under_zensical: bool, serving: bool = False):
        self.config_file = config_file.resolve()
        self.serving = serving  # captures edited while serving are seen (RESCAN_S)
        try:
            text = self.config_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ExecDocsError(Problem(
                shown(self.config_file), None, f"Couldn't read the config file: {exc.strerror}",
                hint="name it with `- execdocs.markdown: {config_file: path/to/mkdocs.yml}`",
            )) from None
        project = schema.load_project(self.config_file)  # raises ExecDocsError when invalid
        root = self.config_file.parent
        data = yaml.load(text, Loader=schema._TolerantLoader) or {}
        if project is None:  # the extension alone, no `plugins: - execdocs`: the defaults
            project = schema.Project(
                root=root, config_file=self.config_file,
                docs_dir=schema.resolve_against(root, data.get("docs_dir") or "docs"),
                config=schema.validate({}, self.config_file))
        self.project = project
        self.root = root
        self.language = schema.site_language(SimpleNamespace(theme=data.get("theme") or {}))
        self.directory_urls = data.get("use_directory_urls", True) is not False
        self.docs_prefix = shown(project.docs_dir, root)
        snippets = project.config.snippets
        self.snippets_on = bool(snippets.enabled) and snippets.mode != "off"
        self.mode = str(snippets.mode)
        self.options = project.options
        self.excluded = pathspec.GitIgnoreSpec.from_lines(list(snippets.exclude))
        self.max_bytes = int(snippets.max_capture_bytes)
        self.diagrams_on = bool(project.config.diagrams.enabled)
        self.settings = self._settings(project, data, under_zensical)
        self.store: Store | None = None
        self.store_seen: tuple[int, int, int] | None = None
        self.store_checked = 0.0
        self.store_problems: list[Problem] = []  # said once per load (with the next page)
        # Zensical puts nav titles, site_name and extra into every page's frame, where no
        # extension can look: a secret in the config fails the build at its line instead
        # (said once, with the first page; the same problems as `execdocs check` and MkDocs')
        self.config_problems = config_secrets.chain_problems(self.config_file, shown)
        self.index: dict = {}
        self.sessions: tuple[Store, tuple[str | None, str]] | None = None
        self.renderer: DiagramRenderer | None = None
        self.urls: dict[str, str] = {}

    def _settings(self, project: schema.Project, data: dict, under_zensical: bool) -> Settings:
        options = project.config.diagrams
        settings = schema.diagram_settings(options, self.root)
        zensical_cache = (self.root / ZENSICAL_CACHE).resolve()
        if not under_zensical or not settings.cache_dir.is_relative_to(zensical_cache):
            return settings
        if options.cache_dir == schema.DiagramsConfig.cache_dir.default:
            return Settings(**{**settings.__dict__,
                               "cache_dir": (self.root / SURVIVING_CACHE).resolve()})
        raise ExecDocsError(Problem(
            shown(self.config_file), None,
            f"'plugins: execdocs: diagrams: cache_dir: {options.cache_dir}' is inside "
            f"{ZENSICAL_CACHE}/, which `zensical build --clean` deletes whole",
            hint=f"leave cache_dir unset (Zensical builds then use {SURVIVING_CACHE}) or "
                 "choose a folder outside .cache/",
        ))

    # ------------------------------------------------------------------ pages
    def label(self, page: PageInfo) -> str:
        """``docs/kubelet.md``, as the plugin and ``execdocs check`` name the page."""
        if page.path is None:
            return UNKNOWN_PAGE
        return f"{self.docs_prefix}/{page.path}"

    def excluded_page(self, page: PageInfo) -> bool:
        """The page is left exactly as written (``snippets: exclude:``)."""
        return page.path is not None and self.excluded.match_file(page.path)

    def page_url(self, page: PageInfo) -> str:
        """The page's URL (what node links are made relative to)."""
        if page.url is not None:
            return page.url
        return _url_of(page.path, self.directory_urls) if page.path else ""

    def source(self, page: PageInfo, lines: list[str]) -> str:
        """The page file as written (front matter included), else the text being rendered."""
        if page.path is not None:
            try:
                return (self.project.docs_dir / page.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                pass
        return "\n".join(lines)

    # ------------------------------------------------------------------ snippets
    def current_store(self) -> Store:
        """The capture store; while serving, reloaded when a file under the captures folder
        changed (a build is one snapshot: the store it loaded first)."""
        now = time.monotonic()
        if self.store is not None and (not self.serving or now - self.store_checked < RESCAN_S):
            return self.store
        self.store_checked = now
        seen = _fingerprint(self.options.captures_dir)
        if self.store is None or seen != self.store_seen:
            try:
                self.store = load_store(self.options.captures_dir, self.max_bytes)
            except OSError as exc:
                raise ExecDocsError(Problem(
                    shown(self.options.captures_dir, self.root), None,
                    f"Couldn't read the captures folder: {exc.strerror}")) from None
            self.store_seen = seen
            self.index = {}
            self.store_problems = list(self.store.problems)
        return self.store

    def job(self, page: PageInfo, source: str) -> place.PageJob:
        """What ``place.place_page`` needs for this page."""
        store = self.current_store()
        sessions_uri, _ = self.sessions_listing(store)
        href = None
        if sessions_uri is not None and page.url is not None:
            href = relative_url(_url_of(sessions_uri, self.directory_urls), page.url)
        return place.PageJob(
            label=self.label(page), source=source, store=store,
            default_session=self.options.session, fold_after=self.options.fold_after,
            language=self.language, languages=self.options.languages, sessions_href=href,
            shown=lambda path: shown(path, self.root), index=self.index)

    def sessions_listing(self, store: Store) -> tuple[str | None, str]:
        """The page holding ``<!-- execdocs: sessions -->`` and its generated list, as the
        MkDocs adapter makes them (``snippets.sessions_page``); made again when the store is."""
        if self.sessions is None or self.sessions[0] is not store:
            docs = self.project.docs_dir
            sources = {}
            for path in sorted(docs.rglob("*.md")):
                uri = path.relative_to(docs).as_posix()
                if path.is_file() and not self.excluded.match_file(uri):
                    sources[uri] = path.read_text(encoding="utf-8", errors="replace")
            self.sessions = (store, sessions_page.listing(
                store, sources, self.options.session, self.options.languages, self.language))
        return self.sessions[1]

    # ------------------------------------------------------------------ diagrams
    def diagram_renderer(self, source: str) -> DiagramRenderer | None:
        """The renderer (started on the first page naming a diagram), fresh for this page."""
        if not self.diagrams_on or SCHEME not in source:
            return None
        if self.renderer is None:
            self.renderer = DiagramRenderer(self.settings)  # ExecDocsError: no Graphviz/font
            atexit.register(self.renderer.close)
            self.urls = self._page_urls()
        # One page is one "build" of the renderer: outcomes are not kept from another page
        # (under `zensical serve` a fixed script must be seen); cache and workers stay.
        self.renderer.begin_build()
        return self.renderer

    def _page_urls(self) -> dict[str, str]:
        docs = self.project.docs_dir
        pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.is_file())
        return {src: _url_of(src, self.directory_urls) for src in pages}


UNKNOWN_PAGE = "(page not named by the engine)"
"""The label of a page whose path the engine running Python-Markdown does not give."""


def _fingerprint(folder: Path) -> tuple[int, int, int]:
    """Count, newest mtime and total size of the files under ``folder`` (edits show here)."""
    count = newest = size = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            count += 1
            newest = max(newest, st.st_mtime_ns)
            size += st.st_size
    return count, newest, size


_ENGINES: dict[tuple[Path, int], Engine] = {}


def engine_for(config_file: Path, *, under_zensical: bool, serving: bool = False) -> Engine:
    """The engine of ``config_file`` for this process (a new one when the file changed);
    ``serving``: the process serves the site, so edited captures must be seen."""
    path = config_file.resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = (path, stamp)
    engine = _ENGINES.get(key)
    if engine is None:
        for old in [k for k in _ENGINES if k[0] == path]:
            stale = _ENGINES.pop(old)
            if stale.renderer is not None:
                stale.renderer.close()
        engine = _ENGINES[key] = Engine(path, under_zensical=under_zensical, serving=serving)
    return engine
