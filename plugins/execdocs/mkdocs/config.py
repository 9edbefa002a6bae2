"""The one config schema of execdocs: ``plugins: - execdocs:`` in mkdocs.yml.

Every adapter reads its options through these classes: the MkDocs plugin gets them validated
by MkDocs; the CLI and the pytest plugin read mkdocs.yml with :func:`load_project`, which
validates the same classes and reports a bad value the same way (file, key, why). Defaults live
only here; :func:`snippet_options` and :func:`diagram_settings` turn a validated config into the
cores' plain option objects (the cores never import MkDocs).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec
import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c

from execdocs.config_secrets import inherited
from execdocs.paths import resolve_against, shown
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets.check import Options, Report
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.project import Site, check_files
from execdocs.snippets.store import MAX_BYTES

if TYPE_CHECKING:  # imported where used: `execdocs check` never loads the diagram renderer
    from execdocs.diagrams.settings import Settings


class DiagramsConfig(base.Config):
    """Options under ``execdocs: diagrams:``."""

    enabled = c.Type(bool, default=True)
    """Render ``![alt](diagram:NAME)`` references."""
    src_dir = c.Type(str, default="diagram_src")
    """Folder of the diagram scripts, relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache/execdocs/diagrams")
    """Folder of the render cache, relative to mkdocs.yml (git-ignored)."""
    timeout = c.Type((int, float), default=30)
    """Seconds one diagram may take (script plus Graphviz) before it is stopped."""
    workers = c.Type(int, default=min(2, os.cpu_count() or 1))
    """Render worker processes (started only when something is not cached)."""
    memory_mb = c.Type(int, default=2048)
    """Address-space limit of one render job in MiB (script plus Graphviz); 0 turns it off."""
    font = c.Type(str, default="NanumGothic")
    """The Hangul font used for Graphviz layout and named in the SVG (Debian fonts-nanum)."""


class SnippetsConfig(base.Config):
    """Options under ``execdocs: snippets:``."""

    enabled = c.Type(bool, default=True)
    """Check console snippets against captures and render their output."""
    captures_dir = c.Type(str, default="captures")
    """Folder of capture sessions, relative to mkdocs.yml."""
    session = c.Optional(c.Type(str))
    """Default capture session for every page (front matter ``execdocs: {session: X}`` wins)."""
    target_versions = c.Type(dict, default={})
    """Tool -> version prefix the site documents; sessions recorded with others are warned."""
    fold_after = c.Type(int, default=20)
    """Outputs longer than this many lines show this many and fold the rest."""
    mode = c.Choice(("strict", "warn", "off"), default="strict")
    """strict: problems are warnings (--strict fails); warn: reported, never failing; off."""
    languages = c.ListOfItems(c.Type(str), default=["console"])
    """Fence languages whose ``$ `` lines are commands backed by captures (case-insensitive).
    Add ``shell-session`` (Pygments' other name for ``console``) or ``sh-session`` (GitHub's)
    if the site writes prompt+output blocks that way; a ``$ `` line in a fence of any other
    language is reported as unchecked, and the fence is shown as written."""
    exclude = c.ListOfItems(c.Type(str), default=[])
    """Pages left exactly as written: gitignore-style globs on docs paths (``blog/**``)."""
    max_capture_bytes = c.Type(int, default=MAX_BYTES)
    """Size limit of one capture or session file; a larger one is a problem, not read."""


class SiteConfig(base.Config):
    """Options under ``execdocs: site:``."""

    korean_search = c.Optional(c.Type(bool))
    """Rewrite ``search/search_index.json`` for Korean: separator and hidden suffix field.
    Unset: on when the site's language (``theme.language``) is Korean."""
    korean_line_breaks = c.Optional(c.Type(bool))
    """Keep bracketed Korean words whole at line ends (``런타임(containerd)과``).
    Unset: on when the site's language (``theme.language``) is Korean."""


class ExecDocsConfig(base.Config):
    """Options of the ``execdocs`` plugin, one sub-config per feature."""

    diagrams = c.SubConfig(DiagramsConfig)
    """Diagrams rendered from Python code in ``diagram_src/``."""
    snippets = c.SubConfig(SnippetsConfig)
    """Console snippets checked against ``captures/``."""
    site = c.SubConfig(SiteConfig)
    """Site features: Korean search index, Korean line breaks."""


def site_language(mkdocs_config: Any) -> str:
    """The site's language code (``ko``, ``en``): Material's ``theme.language``, else the theme
    locale, without its region (``ko-KR``, ``en_US`` -> ``ko``, ``en``)."""
    theme = mkdocs_config.theme
    if "language" in theme and theme["language"]:
        tag = str(theme["language"])
    else:
        tag = str(getattr(theme, "locale", "en") or "en")
    return tag.replace("_", "-").split("-")[0].lower()


def snippet_options(config: SnippetsConfig, root: Path) -> Options:
    """The snippets core's options; paths resolve against ``root`` (mkdocs.yml's folder)."""
    return Options(
        captures_dir=resolve_against(root, config.captures_dir),
        session=config.session,
        target_versions={str(k): str(v) for k, v in config.target_versions.items()},
        fold_after=config.fold_after,
        mode=config.mode,
        exclude=list(config.exclude),
        languages=tuple(dict.fromkeys(str(x).strip().lower() for x in config.languages)),
    )


def diagram_settings(config: DiagramsConfig, root: Path) -> Settings:
    """The diagrams core's settings; paths resolve against ``root`` (mkdocs.yml's folder)."""
    from execdocs.diagrams.settings import Settings

    return Settings(
        project_dir=root,
        src_dir=resolve_against(root, config.src_dir).resolve(),
        cache_dir=resolve_against(root, config.cache_dir).resolve(),
        timeout=float(config.timeout),
        workers=config.workers,
        font=config.font,
        memory_mb=config.memory_mb,
    )


# ---------------------------------------------------------------- mkdocs.yml without MkDocs
try:
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _TolerantLoader(_Base):
    """SafeLoader that reads unknown tags (``!!python/name:x``, ``!ENV``) as plain values."""


def _any_tag(loader: Any, tag_suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _any_tag)


def _plugin_entry(config: dict[str, Any]) -> dict[str, Any] | None:
    """The raw ``execdocs`` options ({} when listed bare), None when the plugin is not used."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins:
        if entry == "execdocs":
            return {}
        if isinstance(entry, dict) and "execdocs" in entry:
            opts = entry["execdocs"]
            return opts if isinstance(opts, dict) else {}
    return None


_MKDOCS_EXCLUDE = (".*", "/templates/")
"""Files MkDocs never builds as pages (``mkdocs.structure.files._default_exclude``)."""


@dataclass
class Project:
    """A MkDocs project using execdocs: where its pages are, and its validated options."""

    root: Path
    config_file: Path
    docs_dir: Path
    config: ExecDocsConfig
    config_files: tuple[tuple[Path, str, dict[str, Any]], ...] = ()
    """(path, text, values) of mkdocs.yml and of each file it ``INHERIT``s, mkdocs.yml first
    (``config_secrets.inherited``): each is scanned for secrets; the markdown_extensions
    are read from the first that lists them (MkDocs merges mappings, a list replaces)."""
    not_built: tuple[str, ...] = _MKDOCS_EXCLUDE
    """gitignore-style patterns of docs files ``mkdocs build`` does not render: MkDocs'
    defaults, ``exclude_docs`` and ``draft_docs`` (drafts are rendered by serve only)."""

    @cached_property
    def options(self) -> Options:
        """The snippets core's options (which fence extension renders the pages: from the
        first file of the INHERIT chain that lists markdown_extensions, as MkDocs reads it)."""
        options = snippet_options(self.config.snippets, self.root)
        files = self.config_files or ((self.config_file, "", {}),)
        listed = next((f[2]["markdown_extensions"] for f in files
                       if "markdown_extensions" in f[2]), None)
        if listed is None and not self.config_files:
            return options  # a Project made by hand: the defaults
        names = [next(iter(e)) if isinstance(e, dict) and e else e for e in listed or ()]
        return dataclasses.replace(options, superfences="pymdownx.superfences" in names)

    @property
    def enabled(self) -> bool:
        return bool(self.config.snippets.enabled) and self.config.snippets.mode != "off"

    def page_label(self, path: Path | str) -> str:
        """``docs/kubelet.md``: the path relative to the project root, POSIX style."""
        return shown(path, self.root)

    def pages(self) -> list[Path]:
        """Every Markdown page under docs_dir that ``mkdocs build`` renders and execdocs does
        not exclude (``snippets: exclude:``), sorted. As MkDocs does, a ``README.md`` next to
        an ``index.md`` that is built is not (both would be the folder's index.html)."""
        not_built = pathspec.GitIgnoreSpec.from_lines(self.not_built)
        excluded = pathspec.GitIgnoreSpec.from_lines(
            [*self.not_built, *self.config.snippets.exclude])

        def built(path: Path) -> bool:
            return path.is_file() and not not_built.match_file(
                path.relative_to(self.docs_dir).as_posix())

        return sorted(p for p in self.docs_dir.rglob("*.md") if p.is_file()
                      and not excluded.match_file(p.relative_to(self.docs_dir).as_posix())
                      and not (p.name == "README.md" and built(p.with_name("index.md"))))

    def site(self) -> Site:
        """What the check reads of mkdocs.yml beyond the plugin's options: its text and the
        ``pymdownx.snippets`` settings (``ExecDocsError`` at mkdocs.yml:LINE if unreadable)."""
        files = self.config_files or ((self.config_file, "", {}),)  # a Project made by hand
        # the file whose markdown_extensions MkDocs uses: the first of the chain listing them
        path, text, _values = next((f for f in files if "markdown_extensions" in f[2]),
                                   files[0])
        includes = None
        if "pymdownx.snippets" in text:
            from execdocs.snippets.includes import read_settings

            includes = read_settings(text, shown(path, self.root), self.root, self.docs_dir)
        return Site(config_files=tuple((shown(p, self.root), t) for p, t, _v in files),
                    includes=includes, shown=lambda path: shown(path, self.root))


def validate(raw: dict[str, Any], config_file: Path) -> ExecDocsConfig:
    """``raw`` (the plugin's mapping in mkdocs.yml) checked against the schema, defaults filled.

    Raises :class:`ExecDocsError` naming the file and the key, as MkDocs would report it."""
    config = ExecDocsConfig(config_file_path=str(config_file))
    config.load_dict(raw)
    errors, _warnings = config.validate()
    if errors:
        key, err = errors[0]
        raise ExecDocsError(Problem(
            shown(config_file), None,
            f"invalid option 'plugins: execdocs: {key}': {err}",
            hint="fix the value in mkdocs.yml (the options are listed in ARCHITECTURE.md)",
        ))
    return config


def load_project(config_file: Path) -> Project | None:
    """Read mkdocs.yml; None when the project does not use the execdocs plugin."""
    config_file = Path(config_file).resolve()
    # read once; a file that can't be read raises here as before
    chain = inherited(config_file) or [(config_file, config_file.read_text(encoding="utf-8"))]
    files = []
    data: dict[str, Any] = {}
    for path, source in chain:
        values = _values(path, source)
        files.append((path, source, values))
        data = _merge(values, data)  # this file's values under those of the file inheriting it
    data.pop("INHERIT", None)
    raw = _plugin_entry(data)
    if raw is None:
        return None
    root = config_file.parent
    return Project(root=root, config_file=config_file,
                   docs_dir=resolve_against(root, data.get("docs_dir") or "docs"),
                   config=validate(raw, config_file),
                   config_files=tuple(files),
                   not_built=(*_MKDOCS_EXCLUDE, *_patterns(data.get("exclude_docs")),
                              *_patterns(data.get("draft_docs"))))


def _values(path: Path, text: str) -> dict[str, Any]:
    """One config file's mapping (``ExecDocsError`` at its line when it is not one)."""
    try:
        data = yaml.load(text, Loader=_TolerantLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ExecDocsError(Problem(shown(path), line, f"{path.name} is not valid YAML",
                                    detail=str(getattr(exc, "problem", "") or ""))) from None
    if not isinstance(data, dict):
        raise ExecDocsError(Problem(shown(path), None, f"{path.name} is not a mapping"))
    return data


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent`` as MkDocs merges an INHERITed file (mergedeep's REPLACE):
    mappings merge key by key, anything else (a list too) is replaced."""
    out = dict(parent)
    for key, value in child.items():
        old = out.get(key)
        out[key] = (_merge(old, value) if isinstance(old, dict) and isinstance(value, dict)
                    else value)
    return out


def _patterns(value: Any) -> list[str]:
    """``exclude_docs``/``draft_docs`` lines (MkDocs reads a multi-line gitignore string)."""
    return str(value).splitlines() if isinstance(value, str) else []


def check(project: Project, pages: list[Path] | None = None) -> Report:
    """Check ``pages`` (default: all of them, orphans included) against the project's store."""
    site = project.site()  # before anything is read: a bad setting is a usage error
    paths = project.pages() if pages is None else pages
    memo = VerdictMemo(project.root)
    memo.load()
    return check_files(paths, project.page_label, project.options, whole_site=pages is None,
                       memo=memo, site=site)
