"""Which commands a set of pages documents for one capture session.

Pages are read with the snippets feature's parser (markdown-it-py, fences inside admonitions
and content tabs, the file's true line numbers, ``<!-- execdocs ... -->`` directives). A fence
belongs to the session the check will look its captures up in: the fence's directive, else the
page's front matter, else the site default (mkdocs.yml ``execdocs: snippets: session:``). Only
fences of the session being recorded are run, so a capture never lands where the check would
not find it. Opted-out fences (``skip: REASON``) are never run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from execdocs.scan import fenced_code_markdown
from execdocs.snippets import placeholders
from execdocs.snippets.parse import CONSOLE_LANGUAGES, parse_page


@dataclass(frozen=True)
class Documented:
    """One ``$ command`` on a page."""

    path: str
    line: int
    command: str

    @property
    def placeholders(self) -> list[str]:
        """``<pod명>``-style words the command needs filled before it can run."""
        return placeholders.names(self.command)


@dataclass
class Selection:
    """The commands for the session, and how many were left to other sessions or skipped."""

    commands: list[Documented]
    other_sessions: int = 0
    skipped: int = 0
    others: dict[str, int] = field(default_factory=dict)
    """Sessions the other commands belong to ("(none)" for fences with no session)."""


def commands_for_session(paths: list[Path], session: str,
                         default_session: str | None = None,
                         languages: tuple[str, ...] = CONSOLE_LANGUAGES,
                         superfences: bool = True) -> Selection:
    """Commands of ``paths`` (page order, then line order) whose fence's session is ``session``
    (``default_session``: the site default, for fences and pages that name none; ``languages``:
    the fence languages that are snippets; ``superfences``: the site lists it, else its fences
    are Python-Markdown's fenced_code, as the build renders them)."""
    selection = Selection([])
    md = None if superfences else fenced_code_markdown()
    for path in paths:
        source = Path(path).read_text(encoding="utf-8")
        parsed = parse_page(str(path), source, default_session, md=md, languages=languages)
        for fence in parsed.fences:
            if fence.skip is not None:
                selection.skipped += len(fence.commands)
                continue
            if (fence.session or parsed.session) != session:
                selection.other_sessions += len(fence.commands)
                name = fence.session or parsed.session or "(none)"
                selection.others[name] = selection.others.get(name, 0) + len(fence.commands)
                continue
            # parse_page reads the file itself: every line is known (None only after macros)
            selection.commands += [Documented(str(path), c.line or 0, c.text)
                                   for c in fence.commands]
    return selection
