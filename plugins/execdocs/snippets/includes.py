"""``--8<--`` includes for ``execdocs check`` and pytest, expanded by pymdownx.snippets itself.

The build checks the text Python-Markdown really renders: ``pymdownx.snippets`` (a
preprocessor at priority 32) pastes the included files in, whitespace is normalised (30), then
execdocs' own preprocessor (``place``, 29) finds the console fences and maps each line back to
the page or the included file (``execdocs.linemap``). The check reads pages from disk, so for a
page with includes it does the same: a Python-Markdown instance with the site's
``pymdownx.snippets`` options (read from mkdocs.yml by :func:`read_settings`) and the very
preprocessor of the build (``place.place_page``), whose verdict it keeps; nothing after it runs.
So the check and the build name the same file and line in the same words, by construction.

What the check must not do, it refuses with a problem at the include's file:line instead of
guessing: it never downloads a URL (``url_download: true``: the build would), and a file that
is missing under ``check_paths: true``, unreadable or not in the configured encoding is one
problem (the build stops there with pymdownx's exception). Every path pymdownx looked at, and
what it found there, is kept (:attr:`Expansion.probes`): ``check_cache`` keys a stored run on
them, so an edited, added or removed included file is a new run.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import yaml
from pymdownx.snippets import SnippetMissingError

from execdocs.problems import ExecDocsError, Problem
from execdocs.scan import split_front_matter
from execdocs.snippets import place
from execdocs.snippets.check import PageReport, check_parsed
from execdocs.snippets.check_cache import CHANGED, path_state
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.parse import CONSOLE_LANGUAGES, parse_page
from execdocs.snippets.store import Capture, Store

NAMES = ("pymdownx.snippets", "pymdownx.snippets:SnippetExtension")
"""How ``markdown_extensions:`` may name the extension."""
PAGE_DIR = None
"""A ``base_path`` entry written ``!relative``: the folder of the page being rendered."""
_CORE_TAG = "tag:yaml.org,2002:"
_RELATIVE = "!relative"


@dataclass(frozen=True)
class IncludeSettings:
    """``pymdownx.snippets`` as mkdocs.yml lists it: its options, ``base_path`` resolved."""

    config_label: str
    """How mkdocs.yml is named in messages."""
    line: int | None
    """Line of the extension's entry in mkdocs.yml."""
    options: dict[str, Any]
    """Every option but ``base_path``, as written (pymdownx validates them)."""
    base_path: tuple[str | None, ...]
    """Absolute folders or files; :data:`PAGE_DIR` for ``!relative`` (the page's folder)."""

    def applies(self, body: str) -> bool:
        """The page's text can change under pymdownx.snippets (every marker holds ``8<``)."""
        return "8<" in body or bool(self.options.get("auto_append"))

    def for_page(self, page: Path) -> dict[str, Any]:
        """The extension's options for rendering ``page`` (a ``!relative`` base resolved)."""
        folder = os.path.dirname(os.path.abspath(page))
        bases = [folder if b is PAGE_DIR else b for b in self.base_path]
        return {**self.options, "base_path": bases}


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None  # the config reader reports invalid YAML


def _entry(root: yaml.Node) -> tuple[yaml.Node, yaml.Node | None] | None:
    """(node naming pymdownx.snippets, its options node or None) in ``markdown_extensions``."""
    if not isinstance(root, yaml.MappingNode):
        return None
    exts = next((v for k, v in root.value
                 if isinstance(k, yaml.ScalarNode) and k.value == "markdown_extensions"), None)
    found: tuple[yaml.Node, yaml.Node | None] | None = None
    if isinstance(exts, yaml.SequenceNode):
        for item in exts.value:
            if isinstance(item, yaml.ScalarNode) and item.value in NAMES:
                found = (item, None)  # MkDocs keeps the last mention's options
            elif isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if isinstance(k, yaml.ScalarNode) and k.value in NAMES:
                        found = (k, v)
    elif isinstance(exts, yaml.MappingNode):
        for k, v in exts.value:
            if isinstance(k, yaml.ScalarNode) and k.value in NAMES:
                found = (k, v)
    return found


def _foreign_tag(node: yaml.Node) -> yaml.Node | None:
    """The first node under ``node`` with a tag MkDocs resolves at load time (``!ENV``...)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.tag and not n.tag.startswith(_CORE_TAG):
            return n
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            stack.extend(x for pair in n.value for x in pair)
    return None


def _base(node: yaml.Node, root: Path, docs_dir: Path, problem: Callable[..., ExecDocsError]
          ) -> str | None:
    """One ``base_path`` entry: a plain path (pymdownx makes it absolute against the working
    folder, as in the build) or MkDocs' ``!relative`` tag."""
    if node.tag != _RELATIVE:
        if _foreign_tag(node) is not None or not isinstance(node, yaml.ScalarNode):
            raise problem(node, "'base_path' must be a path or a list of paths")
        return str(yaml.safe_load(yaml.serialize(node)))
    value = str(node.value or "")
    prefix, _, suffix = value.partition("/")
    if prefix == "$config_dir":
        return os.path.join(str(root), suffix)
    if prefix == "$docs_dir":
        return os.path.join(str(docs_dir), suffix)
    if not value:
        return PAGE_DIR
    raise problem(node, f"'!relative {value}': MkDocs knows '!relative', '!relative "
                  "$config_dir[/path]' and '!relative $docs_dir[/path]'")


def read_settings(text: str, label: str, root: Path, docs_dir: Path) -> IncludeSettings | None:
    """The site's ``pymdownx.snippets`` settings from mkdocs.yml's ``text``; None when the
    extension is not listed. Raises :class:`ExecDocsError` at ``mkdocs.yml:LINE`` for options
    it cannot read as MkDocs does (a tag resolved from the environment, a bad value)."""
    if "pymdownx.snippets" not in text:
        return None
    tree = _compose(text)
    found = _entry(tree) if tree is not None else None
    if found is None:
        return None
    name, opts = found
    line = name.start_mark.line + 1

    def problem(node: yaml.Node | None, why: str) -> ExecDocsError:
        at = node.start_mark.line + 1 if node is not None else line
        return ExecDocsError(Problem(
            label, at, f"pymdownx.snippets options: {why}",
            hint="write the option's value in mkdocs.yml (execdocs check and pytest expand "
            "--8<-- includes with these options, as the build does)"))

    options: dict[str, Any] = {}
    base_path: list[str | None] = [os.path.abspath(".")]  # pymdownx's default: ["."]
    if opts is not None and not (isinstance(opts, yaml.ScalarNode) and opts.tag.endswith("null")):
        if not isinstance(opts, yaml.MappingNode):
            raise problem(opts, "the options must be a mapping")
        for k, v in opts.value:
            key = str(k.value)
            if key == "base_path":
                items = v.value if isinstance(v, yaml.SequenceNode) else [v]
                base_path = [_base(item, root, docs_dir, problem) for item in items]
                continue
            tagged = _foreign_tag(v)
            if tagged is not None:
                raise problem(tagged, f"'{key}: {tagged.tag} ...' is resolved by MkDocs when it "
                              "loads the file; execdocs check cannot tell its value")
            options[key] = yaml.safe_load(yaml.serialize(v))
    settings = IncludeSettings(label, line, options,
                               tuple(b if b is PAGE_DIR else os.path.abspath(b)
                                     for b in base_path))
    try:  # the extension validates its own options, as it does when MkDocs loads it
        markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={
            "pymdownx.snippets": settings.for_page(docs_dir / "index.md")})
    except (KeyError, TypeError, ValueError) as exc:
        raise problem(opts, f"pymdownx.snippets refuses them: {exc}") from None
    return settings


@dataclass
class Expansion:
    """What one page's expansion read: ``probes`` maps every path pymdownx looked at to what
    was there (``check_cache.path_state``), ``CHANGED`` if it changed while being read."""

    probes: dict[str, str] = field(default_factory=dict)

    def see(self, path: str) -> None:
        """Note what ``path`` holds now (a second, different look marks it changed)."""
        state = path_state(path)
        if self.probes.setdefault(path, state) != state:
            self.probes[path] = CHANGED


def _watch(pre: Any, seen: Expansion, stack: list[str | None],
           last: list[tuple[str | None, str]], refused: list[tuple[str | None, str]]) -> None:
    """Wrap the preprocessor's file look-ups: every path it tries is noted in ``seen``, the
    file being expanded is on ``stack``, the last name asked for in ``last``; a download is
    refused (noted in ``refused``, nothing included, as a failed one)."""
    get_path, read_lines, parse = pre.get_snippet_path, pre.read_lines, pre.parse_snippets

    def get_snippet_path(path: str) -> Any:
        last[:] = [(stack[-1], path)]
        for base, is_dir in pre.get_bases():
            if is_dir:
                joined = os.path.join(base, path)
                seen.see(os.path.abspath(joined) if pre.restrict_base_path else joined)
            else:
                seen.see(os.path.join(os.path.dirname(base), path))
        return get_path(path)

    def read(path: str) -> Any:
        seen.see(path)
        lines = read_lines(path)
        seen.see(path)  # changed while pymdownx read it: never stored
        return lines

    @functools.wraps(parse)
    def parse_snippets(lines: list[str], file_name: str | None = None, *args: Any,
                       **kwargs: Any) -> Any:
        stack.append(file_name)
        try:
            return parse(lines, file_name, *args, **kwargs)
        finally:
            stack.pop()

    def download(url: str) -> list[str]:
        refused.append((stack[-1], url))
        return []

    for base in pre.base_path:
        seen.see(base)
    pre.get_snippet_path, pre.read_lines, pre.parse_snippets = (
        get_snippet_path, read, parse_snippets)
    pre.download = download


@dataclass
class PageInput:
    """One page to expand and check, and what the check of its fences needs."""

    label: str
    path: Path
    source: str
    store: Store
    session: str | None
    languages: tuple[str, ...] = CONSOLE_LANGUAGES
    index: dict[str, dict[str, list[Capture]]] = field(default_factory=dict)
    memo: VerdictMemo | None = None
    shown: Callable[[Path], str] = Path.as_posix


def check_expanded(page: PageInput, settings: IncludeSettings, seen: Expansion
                   ) -> PageReport | None:
    """The page's report as the build makes it, includes expanded (a page opted out in front
    matter stays so: its included fences count as opted out); None when the page's text does
    not change under pymdownx.snippets (the plain check of its source is the same)."""
    _meta, body, offset = split_front_matter(page.source)  # MkDocs renders the body alone
    if not settings.applies(body) or not body.strip():
        return None
    job = place.PageJob(label=page.label, source=page.source, store=page.store,
                        default_session=page.session, languages=page.languages,
                        shown=page.shown, index=page.index, memo=page.memo)

    def handler(lines: list[str], md: markdown.Markdown) -> list[str]:
        place.place_page(lines, md, job)
        return []  # the verdict is made; nothing after the build's preprocessor is needed

    md = markdown.Markdown(extensions=["pymdownx.snippets", place.SnippetsExtension(handler)],
                           extension_configs={"pymdownx.snippets": settings.for_page(page.path)})
    stack: list[str | None] = []
    last: list[tuple[str | None, str]] = []
    refused: list[tuple[str | None, str]] = []
    _watch(md.preprocessors["snippet"], seen, stack, last, refused)
    try:
        md.convert(body)
    except Exception as exc:
        why = _include_error(exc, settings, page.shown)
        if why is None:
            raise  # not an include problem: a bug to see whole
        file, name = last[0] if last else (None, "")
        report = _unexpanded(page)
        report.parsed.problems.append(Problem(*_where(page, body, offset, file, name), *why))
        return report
    report = job.report if job.report is not None else _unexpanded(page)
    report.parsed.problems += [Problem(
        *_where(page, body, offset, file, url),
        f"'--8<-- \"{url}\"': execdocs check does not download included URLs, so what the "
        "build would include from it is not checked",
        f"url_download is true in {settings.config_label}",
        "keep the file in the repository and include it by path") for file, url in refused]
    return report


def _include_error(exc: Exception, settings: IncludeSettings, shown: Callable[[Path], str]
                   ) -> tuple[str, str, str] | None:
    """(message, detail, hint) for an exception pymdownx.snippets raises on a bad include."""
    if isinstance(exc, SnippetMissingError):
        return ("included file or section not found (check_paths: true makes the build fail "
                "here)", str(exc), "fix the path or section name in the --8<-- line, or create "
                "it; paths are looked up under base_path: "
                + ", ".join(shown(Path(b)) if b is not PAGE_DIR else "(the page's folder)"
                            for b in settings.base_path))
    if isinstance(exc, UnicodeDecodeError):
        encoding = settings.options.get("encoding", "utf-8")
        return (f"included file is not valid {encoding}", str(exc),
                f"save it as {encoding}, or set pymdownx.snippets' encoding in "
                f"{settings.config_label}")
    if isinstance(exc, OSError):
        return (f"included file cannot be read: {exc.strerror or exc}", exc.filename or "",
                "include a readable file (a folder cannot be included)")
    return None


def _where(page: PageInput, body: str, offset: int, file: str | None, name: str
           ) -> tuple[str, int | None]:
    """The file and line of the ``--8<--`` line naming ``name`` in ``file`` (None: the page)."""
    if file is None:
        lines, label, first = body.split("\n"), page.label, 1 + offset
    else:
        label, first = page.shown(Path(file)), 1
        try:
            lines = Path(file).read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            return label, None
    for i, line in enumerate(lines):
        if name and name in line:
            return label, i + first
    return label, None


def _unexpanded(page: PageInput) -> PageReport:
    """The page's own fences checked as written, when its includes could not be expanded
    (so its commands are still checked, and their captures are not called orphans)."""
    parsed = parse_page(page.label, page.source, page.session, languages=page.languages,
                        memo=page.memo)
    return check_parsed(parsed, page.store, page.index, page.memo)
