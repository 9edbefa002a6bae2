"""Put checked snippets into the page, inside Python-Markdown, at the positions it renders.

execdocs runs as a Python-Markdown preprocessor registered after ``pymdownx.snippets``
(priority 32) and whitespace normalisation (30), before superfences (25). So it sees the text
that is really rendered: after other MkDocs plugins (macros), with ``--8<--`` includes pasted
in. It finds the console fences in that text with the shared scanner and replaces each fence it
owns (and its directive) by one line holding a Python-Markdown raw-HTML placeholder, exactly
where superfences would have put its code block. Positions are never computed from another
text; lines are mapped back to the files only for messages (``execdocs.linemap``). Fences
execdocs does not own (another language, no ``$ ``, ``skip``, a page opted out) are not
touched, so they render byte-for-byte as Python-Markdown renders them.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from execdocs.linemap import LineMap, resolve_includes
from execdocs.problems import Problem
from execdocs.scan import split_front_matter
from execdocs.snippets.check import PageReport, check_parsed
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.numbering import (
    Renumber,
    UnknownHighlighter,
    numbering_for,
    renumber,
    renumber_plan,
)
from execdocs.snippets.parse import CONSOLE_LANGUAGES, ParsedPage, page_options, parse_text
from execdocs.snippets.render import render_fence
from execdocs.snippets.store import Capture, Store

PRIORITY = 29
"""After pymdownx.snippets (32: includes pasted in) and Python-Markdown's whitespace
normalisation (30: it deletes the placeholder's STX/ETX markers), before superfences (25)."""
RENUMBER_PRIORITY = 24.5
"""After superfences (25: its fences' line anchors renumbered), before Python-Markdown stashes
raw HTML blocks (20: an author's own ``id="__codelineno-…"`` is never touched)."""
_PROMPT_HTML = re.compile(r'<span class="gp">\$')


@dataclass
class PageJob:
    """One page to place: its label and source, and what the check needs."""

    label: str
    source: str
    store: Store
    default_session: str | None
    fold_after: int = 20
    language: str = "ko"
    """The site's language: the words on the page (execdocs.snippets.words)."""
    languages: tuple[str, ...] = CONSOLE_LANGUAGES
    """Fence languages that are snippets (``snippets: languages:``)."""
    sessions_href: str | None = None
    """URL of the sessions page relative to this page (the badge links there), if any."""
    shown: Callable[[Path], str] = Path.as_posix
    """How an included file's path is shown in messages."""
    index: dict[str, dict[str, list[Capture]]] = field(default_factory=dict)
    memo: VerdictMemo | None = None
    """The capture checks' remembered verdicts (``snippets/memo.py``), if any."""
    report: PageReport | None = None
    """Filled when the page has been placed."""
    unnumbered: str = ""
    """What the site's superfences lacked (``numbering.UnknownHighlighter``), when the page's
    snippets were placed without the highlighter's line numbers, marks or anchors."""


def _snippet_settings(md: Markdown) -> tuple[list[str], list[str]]:
    """pymdownx.snippets' base paths and ``auto_append`` files (appended to every page)."""
    try:
        snippet = md.preprocessors["snippet"]  # a Registry: no .get()
    except KeyError:
        return [], []
    return (list(getattr(snippet, "base_path", []) or []),
            list(getattr(snippet, "auto_append", []) or []))


def blank_page(job: PageJob) -> PageReport:
    """The report of a page Python-Markdown never converted (its text is blank: no
    preprocessor runs), as ``execdocs check`` makes it: its front matter read, no fence."""
    meta, _body, _offset = split_front_matter(job.source)
    probe = ParsedPage(page=job.label, session=job.default_session)
    page_options(job.label, meta, probe)
    job.report = check_parsed(probe, job.store, job.index, job.memo)
    return job.report


def place_page(lines: list[str], md: Markdown, job: PageJob) -> list[str]:
    """Check the console fences in ``lines`` (the text being rendered) and place them."""
    meta, body, offset = split_front_matter(job.source)
    probe = ParsedPage(page=job.label, session=job.default_session)
    page_options(job.label, meta, probe)
    text = "\n".join(lines)
    includes = []
    bases, appended = _snippet_settings(md)
    if "8<" in text or "8<" in body or appended:
        # what pymdownx.snippets appends is included as a block of names after the page
        names = body.split("\n") + (["--8<--", *appended, "--8<--"] if appended else [])
        includes = resolve_includes(names, bases, job.shown)
    if "$" in text:
        where = LineMap(job.label, lines, body.split("\n"), offset, includes,
                        tab_length=md.tab_length)
        parsed = parse_text(job.label, text, probe.session, where.locate, md, job.languages,
                            job.memo)
    else:  # no prompt anywhere: no snippet (most pages of most sites)
        parsed = ParsedPage(page=job.label, session=probe.session)
    parsed.problems[:0] = probe.problems
    parsed.skip = probe.skip
    job.report = check_parsed(parsed, job.store, job.index, job.memo)
    out = list(lines)
    owned = sorted(parsed.owned(), key=lambda f: -f.at)
    for fence in owned:
        first = fence.directive_at if fence.directive_at is not None else fence.at
        try:
            numbering = numbering_for(md, fence)
        except UnknownHighlighter as exc:
            numbering, job.unnumbered = None, str(exc)
        html = render_fence(fence, job.report.results, job.fold_after, job.language,
                            job.sessions_href, numbering)
        out[first: fence.stop] = [fence.indent + md.htmlStash.store(html)]
    plan = renumber_plan(md, parsed.counted, {f.at for f in owned})
    if plan is not None:
        _PLANS[md] = plan
    return out


# the renumbering each page's conversion still owes its other fences (after superfences)
_PLANS: weakref.WeakKeyDictionary[Markdown, Renumber] = weakref.WeakKeyDictionary()


class _Renumber(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        plan = _PLANS.pop(self.md, None)
        if plan is not None:
            renumber(self.md, plan)
        return lines


class _Preprocessor(Preprocessor):
    def __init__(self, md: Markdown, handler: Callable[[list[str], Markdown], list[str]]):
        super().__init__(md)
        self.handler = handler

    def run(self, lines: list[str]) -> list[str]:
        return self.handler(lines, self.md)


class SnippetsExtension(Extension):
    """Python-Markdown extension calling ``handler(lines, md)`` once per conversion.

    The MkDocs adapter (and a Zensical adapter alike) gives the handler that knows the page.
    """

    def __init__(self, handler: Callable[[list[str], Markdown], list[str]], **kwargs: Any):
        self.handler = handler
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_Preprocessor(md, self.handler), "execdocs_snippets",
                                  PRIORITY)
        # after superfences (25), before the raw HTML blocks are stashed (20)
        md.preprocessors.register(_Renumber(md), "execdocs_renumber", RENUMBER_PRIORITY)


def unaccounted_prompts(html: str, report: PageReport | None) -> Problem | None:
    """A problem when ``html`` shows more ``$`` prompts than execdocs placed or left alone.

    Each placed command shows one prompt; a fence left as written may show one per ``$``
    line. More than that means Python-Markdown rendered a console block the scanner never
    saw -- reported, never ignored.
    """
    shown = len(_PROMPT_HTML.findall(html))
    if report is None:
        expected = 0
        label = ""
    else:
        expected = report.parsed.foreign_prompts
        label = report.parsed.page
    if shown <= expected:
        return None
    return Problem(label, None, f"{shown - expected} '$ ' prompt(s) reached the page in a code "
                   "block the snippet scanner did not see, so nothing checked them",
                   hint="report the page shape; meanwhile write the commands in a plain "
                   "```console fence")
