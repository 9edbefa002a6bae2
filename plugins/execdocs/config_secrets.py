"""Secrets in the site's config file (mkdocs.yml), each a problem at ``mkdocs.yml:LINE``.

The theme puts parts of the config into every page's frame (navigation titles, site name,
repository link, footer), where no page check looks, and the file itself is published in the
repository. So every secret the one rule set (``execdocs.secrets``) finds in the file's text
is a problem at its line: ``execdocs check``, the MkDocs build and the Zensical extension
report the same ones, with the same words (:func:`problems`).

One shape of the file is read for what it is, not as ``key: value`` text: a mapping from a
title to a page. In ``nav:`` a key is the title shown in the menu and a value the page or link
it opens (``- Secret: guide/scanner/secret.md``), and anywhere else a value that is a Markdown
page path names a page (``redirect_maps:``, ``manually-create-secrets.md: other.md``). There a
key that names a secret says nothing about the value, so the rule "a value under a key that
names a secret" does not apply: the title, the target and the rest of the line (a comment)
are each scanned on their own, and anything found in one of them is still reported. Every
other line is scanned as written. A file that is not valid YAML is scanned as plain text.

A config file may name another with ``INHERIT:`` (MkDocs merges it under the file's own
values): :func:`inherited` follows that chain as MkDocs does, and every file of it is scanned,
each secret a problem at its own file's line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from execdocs import secrets
from execdocs.problems import Problem

MESSAGE = ("a {kind} is in the config file: the theme would publish it on every page "
           "(navigation, site name, footer)")
HINT = "take it out of the config file (and rotate it if it was real)"
_PAGE_PATH = re.compile(r"^[^\s:]+\.md(?:#[^\s]*)?$")
"""A Markdown page path (``cli/k0s_token.md``, ``a/b.md#part``): a page, not a value."""


def _loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _page_pairs(text: str) -> dict[int, tuple[str, str, str]]:
    """0-based line -> the ``title: page`` pair written on it: title, target and the rest of
    the line (see the module docstring)."""
    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    lines = text.split("\n")
    pairs: dict[int, tuple[str, str, str]] = {}
    stack: list[tuple[yaml.Node, bool]] = []
    for key, value in root.value:
        in_nav = isinstance(key, yaml.ScalarNode) and key.value == "nav"
        stack.append((value, in_nav))
    while stack:
        node, in_nav = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, in_nav) for child in node.value)
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            stack.append((value, in_nav))
            if not (isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)):
                continue
            line = key.start_mark.line
            if value.start_mark.line != line or key.end_mark.line != line or (
                    value.end_mark.line != line):
                continue  # a title or target over several lines: scanned as written
            if not (in_nav or _PAGE_PATH.match(value.value) or _PAGE_PATH.match(key.value)):
                continue
            raw = lines[line]
            rest = (raw[:key.start_mark.column] + raw[key.end_mark.column:value.start_mark.column]
                    + raw[value.end_mark.column:])
            pairs[line] = (key.value, value.value, rest)
    return pairs


def problems(text: str, label: str) -> list[Problem]:
    """Every secret in the config file ``text`` (shown as ``label``), one problem a finding."""
    found = secrets.scan(text)
    if not found:
        return []
    pairs = _page_pairs(text)
    out: list[Problem] = []
    for finding in found:
        pair = pairs.get(finding.line - 1)
        if pair is None:
            kinds = [finding.kind]
        else:  # a title and its page: each part on its own (module docstring)
            kinds = [f.kind for part in pair for f in secrets.scan(part)]
        out += [Problem(label, finding.line, MESSAGE.format(kind=kind), hint=HINT)
                for kind in dict.fromkeys(kinds)]
    return list(dict.fromkeys(out))  # two findings on one pair line: said once


def inherited(config_file: Path) -> list[tuple[Path, str]]:
    """The config file and every file it ``INHERIT``s, the file first, each with its text:
    MkDocs' rule (a path relative to the folder of the file naming it; that file's values win
    over its parent's). A parent that cannot be read ends the chain (MkDocs reports it when it
    loads the file); a loop is followed once around."""
    chain: list[tuple[Path, str]] = []
    path: Path | None = Path(config_file)
    seen: set[Path] = set()
    while path is not None and path.resolve() not in seen:
        seen.add(path.resolve())
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            break
        chain.append((path, text))
        parent = _inherit(text)
        path = (None if parent is None else
                Path(os.path.normpath(os.path.join(os.path.dirname(path), parent))))
    return chain


def _inherit(text: str) -> str | None:
    """The value of the top-level ``INHERIT`` key (read from the node tree: tags such as
    ``!!python/name`` or ``!ENV`` elsewhere in the file need no constructor)."""
    if "INHERIT" not in text:
        return None
    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "INHERIT" and isinstance(
                value, yaml.ScalarNode) and value.value:
            return str(value.value)
    return None


def chain_problems(config_file: Path, label: Callable[[Path], str]) -> list[Problem]:
    """:func:`problems` of the config file and of every file it inherits (:func:`inherited`),
    each named by ``label(path)``."""
    return [problem for path, text in inherited(config_file)
            for problem in problems(text, label(path))]

