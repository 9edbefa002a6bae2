"""Read a MkDocs project's snippet settings without MkDocs (for the CLI and the pytest plugin).

Only ``docs_dir`` and the ``execdocs`` plugin's ``snippets`` options are read from mkdocs.yml;
YAML tags such as ``!!python/name:`` or ``!ENV`` are tolerated and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pathspec
import yaml

from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets.check import Options, Report, check_project
from execdocs.snippets.store import load_store

try:
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class _TolerantLoader(_Base):  # type: ignore[misc,valid-type]
    """SafeLoader that reads unknown tags (``!!python/name:x``, ``!ENV``) as plain values."""


def _any_tag(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _any_tag)


@dataclass
class Project:
    """A MkDocs project using execdocs: where its pages and captures are, and its options."""

    root: Path
    config_file: Path
    docs_dir: Path
    options: Options
    enabled: bool = True

    def page_label(self, path: Path) -> str:
        """``docs/kubelet.md``: the page path relative to the project root, POSIX style."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def pages(self) -> list[Path]:
        """Every Markdown page under docs_dir not excluded (``snippets: exclude:``), sorted."""
        excluded = pathspec.GitIgnoreSpec.from_lines(self.options.exclude)
        return sorted(p for p in self.docs_dir.rglob("*.md") if p.is_file()
                      and not excluded.match_file(p.relative_to(self.docs_dir).as_posix()))


def _snippet_options(config: dict) -> dict | None:
    """The ``execdocs: snippets:`` mapping, {} when the plugin has no options, None if unused."""
    for entry in config.get("plugins") or []:
        if entry == "execdocs":
            return {}
        if isinstance(entry, dict) and "execdocs" in entry:
            opts = entry["execdocs"] or {}
            return (opts.get("snippets") or {}) if isinstance(opts, dict) else {}
    plugins = config.get("plugins")
    if isinstance(plugins, dict) and "execdocs" in plugins:
        opts = plugins["execdocs"] or {}
        return (opts.get("snippets") or {}) if isinstance(opts, dict) else {}
    return None


def options_from_mapping(raw: dict, root: Path) -> Options:
    """Build ``Options`` from the ``snippets`` mapping; paths resolve against ``root``."""
    captures = Path(raw.get("captures_dir") or "captures")
    return Options(
        captures_dir=captures if captures.is_absolute() else root / captures,
        session=raw.get("session"),
        target_versions={str(k): str(v) for k, v in (raw.get("target_versions") or {}).items()},
        fold_after=int(raw.get("fold_after", 20)),
        mode=str(raw.get("mode", "strict")),
        exclude=[str(g) for g in raw.get("exclude") or []],
    )


def load_project(config_file: Path) -> Project | None:
    """Read mkdocs.yml; None when the project does not use the execdocs plugin."""
    config_file = Path(config_file).resolve()
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except yaml.YAMLError as exc:
        raise ExecDocsError(Problem(str(config_file), None, f"mkdocs.yml is not valid YAML: "
                                    f"{exc}")) from None
    raw = _snippet_options(config)
    if raw is None:
        return None
    root = config_file.parent
    docs = Path(config.get("docs_dir") or "docs")
    return Project(root=root, config_file=config_file,
                   docs_dir=docs if docs.is_absolute() else root / docs,
                   options=options_from_mapping(raw, root),
                   enabled=raw.get("enabled", True) and raw.get("mode") != "off")


def check(project: Project, pages: list[Path] | None = None) -> Report:
    """Check ``pages`` (default: all of them, orphans included) against the project's store."""
    store = load_store(project.options.captures_dir)
    whole = pages is None
    paths = project.pages() if pages is None else pages
    sources = {project.page_label(p): Path(p).read_text(encoding="utf-8") for p in paths}
    return check_project(sources, store, project.options, whole_site=whole)
