"""Line numbers, highlighted lines and line anchors on the console fences execdocs renders,
as the site's highlighter shows them on every other fence.

A site with ``pymdownx.highlight``'s ``linenums`` (or a fence's ``linenums="5"``), a fence's
``hl_lines="2 4-6"``, ``line_anchors``/``anchor_linenums`` or ``line_spans`` gets each block of
the rendered fence (preamble, command, output) from superfences' own formatter, numbered on
from the block before, its anchors named by the number the page's code block counter gives
the fence without execdocs. So the lines read and link as the plain build's: a link to
``#__codelineno-3-2`` finds the fence it found before, and the other fences keep their numbers
(:func:`renumber`, after superfences has run).

``hl_lines`` counts the lines written in the page. A command line or an output line shown as
written is highlighted where it is shown; an output line the page wrote but the capture
replaces is highlighted where the capture shows the same line at the same place, and otherwise
is a problem at the page's line (:func:`unshown_highlights`): the highlight would be lost.

No MkDocs import: superfences' preprocessor is reached through the Markdown instance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from execdocs.problems import Problem
from execdocs.snippets.ansi import strip_ansi
from execdocs.snippets.parse import Command, Fence

if TYPE_CHECKING:
    from markdown import Markdown

_LINENUMS = re.compile(r"(?P<start>\d+)(?:[ \t]+(?P<step>\d+))?(?:[ \t]+(?P<special>\d+))?")


def hl_lines(fence: Fence) -> set[int]:
    """The 0-based content lines the fence's ``hl_lines`` names, by superfences' rules (a
    number past the end is clamped to one past it, so it names nothing)."""
    spec = fence.options.get("hl_lines", "")
    count = fence.size
    out: set[int] = set()

    def norm(n: str) -> int:
        v = int(n)
        return 0 if v < 1 else count + 1 if v > count else v

    for entry in spec.split():
        ends = [norm(e) for e in entry.split("-")]
        if len(ends) > 1:
            if ends[0] <= ends[1]:
                out.update(range(ends[0], ends[1] + 1))
        elif 1 <= ends[0] <= count:
            out.add(ends[0])
    return {n - 1 for n in out if 1 <= n <= count}


def _command_lines(command: Command) -> int:
    return command.shown.count("\n") + 1


def terminal_text(data: str) -> str:
    """What a terminal shows: CRLF as LF, a line rewritten with CR shows its last version."""
    lines = data.replace("\r\n", "\n").split("\n")
    return "\n".join(ln.rsplit("\r", 1)[-1] if "\r" in ln.rstrip("\r") else ln.rstrip("\r")
                     for ln in lines)


def shown_lines(stdout: str) -> list[str]:
    """The lines an output block shows of ``stdout`` (terminal text, no trailing break)."""
    lines = stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def written_output_highlights(fence: Fence, command: Command, wanted: set[int]
                              ) -> list[int]:
    """Offsets in ``command``'s written output of the highlighted lines (``wanted``: 0-based
    content lines of the fence)."""
    first = command.at + _command_lines(command)
    return [k for k in range(len(command.output)) if first + k in wanted]


def capture_offsets(written: list[str], shown: list[str], offsets: list[int]
                    ) -> tuple[list[int], list[int]]:
    """(highlighted offsets in ``shown``, written offsets it does not show): a written line is
    highlighted in the capture where the capture has the same line at the same place."""
    found, lost = [], []
    for k in offsets:
        if k < len(shown) and shown[k].rstrip() == written[k].rstrip():
            found.append(k)
        elif written[k].strip():  # a blank line highlighted shows nothing either way
            lost.append(k)
    return found, lost


def unshown_highlights(fence: Fence, command: Command, stdout: str | None) -> list[Problem]:
    """A problem for each ``hl_lines`` line that is output the page wrote under ``command``
    when the capture shown instead (``stdout``, as recorded) does not have it at the same
    place."""
    if stdout is None or "hl_lines" not in fence.options:
        return []
    offsets = written_output_highlights(fence, command, hl_lines(fence))
    if not offsets:
        return []
    shown = shown_lines(strip_ansi(terminal_text(stdout)))
    _found, lost = capture_offsets(command.output, shown, offsets)
    out = []
    for k in lost:
        line = None if command.output_line is None else command.output_line + k
        out.append(Problem(
            fence.page, line if line is not None else fence.line,
            f"hl_lines marks output line {k + 1} of '$ {command.text}' "
            f"({command.output[k].strip()[:60]!r}), but the capture shown instead has "
            "another line there, so nothing would be highlighted",
            hint="write the output as the capture shows it (then its line is highlighted), "
            "change hl_lines, or keep the fence as written with "
            "<!-- execdocs: skip: REASON -->"))
    return out


@dataclass
class Numbering:
    """The site's highlighter for one fence, and the line number it stands at.

    A line shown as the page wrote it (the preamble, a command, written output) keeps the
    number it has in the plain build (``base`` + its index in the fence), so prose that says
    "line 4" and links to ``#__codelineno-B-4`` still find it; a blank line the highlighter
    drops between two blocks leaves its number unused, as a blank line's number is invisible
    in the plain build. Captured output is numbered on after its command; when it is longer
    than what the page wrote, the lines after it move on (numbers never repeat)."""

    real: Any
    """superfences' preprocessor: its ``highlight`` is the site's default formatter."""
    block: int
    numbered: bool
    step: str
    special: str
    anchors: str
    spans: str
    hl: set[int] = field(default_factory=set)
    base: int = 1
    """The number of the fence's first content line."""
    ident: str = ""
    """The fence's ``#id``: its line anchors are named by it, as superfences names them."""
    next: int = 1
    """The lowest number the next line shown may have."""
    widest: int = 0
    """The highest number given so far (every block's numbers are padded to its width)."""

    def block_html(self, lines: list[str], language: str, hl: list[int] | None = None,
                   classes: tuple[str, ...] = (), attrs: dict[str, str] | None = None,
                   at: int | None = None) -> str | None:
        """One block of ``lines`` (text) as the site's highlighter shows it; ``hl``: 0-based
        offsets to highlight; ``at``: the index in the fence of its first line when the page
        wrote these lines (None: captured, numbered on). None when nothing is left to show
        (the highlighter drops empty lines at both ends, as it does on any fence)."""
        marks = set(hl or ())
        first = max(self.next, self.base + at) if at is not None else self.next
        if self.real.stripnl:
            while lines and lines[0] == "":
                lines = lines[1:]
                marks = {k - 1 for k in marks}
                first += 1
            while lines and lines[-1] == "":
                lines = lines[:-1]
        if not lines:
            return None
        options = {}
        if self.numbered:
            options["linenums"] = " ".join(x for x in (str(first), self.step or "1",
                                                       self.special) if x)
        shown = sorted(k + 1 for k in marks if 0 <= k < len(lines))
        if shown:
            options["hl_lines"] = " ".join(map(str, shown))
        ext = self.real.highlight_ext
        before = ext.pygments_code_block
        self.real.line_count = len(lines)  # what superfences clamps hl_lines with
        ext.pygments_code_block = self.block - 1  # it takes the next number: the fence's
        try:
            out = str(self.real.highlight(src="\n".join(lines), language=language,
                                          options=options, md=self.real.md,
                                          classes=list(classes), id_value=self.ident,
                                          attrs=dict(attrs or {})))
        finally:
            ext.pygments_code_block = before
        if self.ident:  # the id stands once, on the whole snippet; its anchors keep it
            out = out.replace(f' id="{self.ident}"', "", 1)
        name = self.ident or str(self.block)
        if not self.numbered and first != 1:  # a block without numbers anchors from 1
            out = _shift_anchors(out, (self.anchors, self.spans), name, first - 1)
        if first > self.next:  # lines not shown (blank ones at a block's edge) keep their ids
            out = self._keep_ids(out, name, range(self.next, first), first)
        self.next = first + len(lines)
        self.widest = max(self.widest, self.next - 1)
        return out

    def _keep_ids(self, html: str, name: str, numbers: range, first: int) -> str:
        """``html`` with empty anchors and spans for ``numbers`` (lines the plain block shows
        and this one does not) before its line ``first``: a link to one still lands here."""
        ids = "".join((f'<span id="{self.spans}-{name}-{n}"></span>' if self.spans else "")
                      + (f'<a id="{self.anchors}-{name}-{n}" name="{self.anchors}-{name}-{n}">'
                         "</a>" if self.anchors else "") for n in numbers)
        for prefix in (self.spans, self.anchors):
            at = html.find(f'id="{prefix}-{name}-{first}"') if prefix else -1
            if at != -1:
                at = html.rfind("<", 0, at)
                return html[:at] + ids + html[at:]
        return html

    def pad(self, html: str) -> str:
        """``html`` (the whole snippet) with every line number padded to the widest one's
        width, as one plain block pads them (each block the highlighter rendered padded to its
        own)."""
        if not self.numbered:
            return html
        width = len(str(self.widest))

        def sub(m: re.Match[str]) -> str:
            return m.group(1) + (m.group(3) or "").rjust(width) + m.group(4)

        return _NUMBER.sub(sub, html)


# a line number as Pygments writes it (table, inline and pymdownx-inline styles), padded
_NUMBER = re.compile(r'(<span class="(?:normal|special|linenos|linenos special)">'
                     r'(?:<a href="#[^"]*">)?|data-linenos=")( *)(\d*)((?:</a>)?</span>| ")')


def _shift_anchors(html: str, prefixes: tuple[str, ...], name: str, by: int) -> str:
    """``html`` with the line anchors of the block named ``name`` moved on by ``by`` lines."""
    names = "|".join(re.escape(p) for p in prefixes if p)
    if not names:
        return html
    pattern = re.compile(rf'((?:id|name)="|href="#)({names})-{re.escape(name)}-(\d+)"')
    return pattern.sub(lambda m: f'{m.group(1)}{m.group(2)}-{name}-{int(m.group(3)) + by}"',
                       html)


# what Numbering reads of superfences' preprocessor (pymdownx 10): one it lacks means the
# fence keeps execdocs' plain blocks, as before numbering, rather than a traceback mid-build
_READS = ("use_pygments", "linenums", "line_anchors", "anchor_linenums", "line_spans",
          "stripnl", "highlight", "md")


def _line_anchors(real: Any) -> str:
    """The prefix of the line anchors superfences' preprocessor ``real`` writes ("" for none),
    as pymdownx.highlight sets it (anchor_linenums alone means ``__codelineno``)."""
    return getattr(real, "line_anchors", "") or (
        "__codelineno" if getattr(real, "anchor_linenums", False) else "")


class UnknownHighlighter(Exception):
    """The site's superfences lacks what the numbering reads (another pymdownx release): the
    fence keeps execdocs' plain blocks; the message names what is missing."""


def numbering_for(md: Markdown, fence: Fence) -> Numbering | None:
    """How the site's highlighter would decorate ``fence``'s lines, or None when it would not
    (no numbers, highlighted lines or line anchors: execdocs' own plain blocks then).
    Raises :class:`UnknownHighlighter` when superfences' preprocessor is not as known."""
    if fence.block is None or "fenced_code_block" not in md.preprocessors:
        return None
    from pymdownx.superfences import SuperFencesBlockPreprocessor

    real = md.preprocessors["fenced_code_block"]
    if not isinstance(real, SuperFencesBlockPreprocessor):
        return None
    real.get_hl_settings()
    missing = [a for a in _READS if not hasattr(real, a)]
    if not hasattr(getattr(real, "highlight_ext", None), "pygments_code_block"):
        missing.append("highlight_ext.pygments_code_block")
    if missing:  # a superfences or highlighter that names these otherwise: not known
        raise UnknownHighlighter(", ".join(missing))
    if not real.use_pygments:  # superfences ignores hl_lines and linenums without Pygments
        return None
    m = _LINENUMS.match(fence.options.get("linenums", ""))
    start = int(m.group("start")) if m else -1
    numbered = bool((real.linenums and start != 0) or (real.linenums is not False and start > 0))
    anchors = _line_anchors(real)
    marks = hl_lines(fence)
    if not (numbered or marks or anchors or real.line_spans):
        return None
    base = start if numbered and start > 0 else 1
    return Numbering(real, fence.block, numbered, (m.group("step") or "") if m else "",
                     (m.group("special") or "") if m else "", anchors, real.line_spans or "",
                     marks, base, fence.ident, base)


@dataclass
class Renumber:
    """What :func:`renumber` needs of a page whose placed fences took counter numbers."""

    numbers: list[int]
    """The number each fence the highlighter renders after execdocs would have had before,
    in order (its index: the number it gets now)."""
    taken: int
    """How many numbers execdocs' fences took (the counter moves on by as many)."""
    prefixes: tuple[str, ...]
    stash_from: int
    """The first stash entry superfences may have stored (those before are execdocs' own)."""


def renumber_plan(md: Markdown, counted: list[tuple[int, str]], placed: set[int]
                  ) -> Renumber | None:
    """The plan for a page whose fences at ``placed`` (their starts) execdocs rendered, of the
    ``counted`` ones (start, ``#id``) the highlighter numbers; None when nothing moves or the
    site names no line anchors."""
    if not placed or "fenced_code_block" not in md.preprocessors:
        return None
    real = md.preprocessors["fenced_code_block"]
    prefixes = tuple(p for p in (_line_anchors(real), getattr(real, "line_spans", "")) if p)
    taken = sum(1 for start, _id in counted if start in placed)
    if not prefixes or not taken:
        return None
    if any(ident.isdigit() for _start, ident in counted):
        return None  # a fence's own id "3" reads as a number: leave the ids as they are
    numbers = [n for n, (start, _id) in enumerate(counted) if start not in placed]
    return Renumber(numbers, taken, prefixes, len(md.htmlStash.rawHtmlBlocks))


def renumber(md: Markdown, plan: Renumber) -> None:
    """After superfences: give each fence's line anchors the number it has without execdocs,
    and move the counter on past execdocs' fences (indented code blocks number after)."""
    names = "|".join(re.escape(p) for p in plan.prefixes)
    pattern = re.compile(rf'((?:id|name)="|href="#)({names})-(\d+)-(\d+)"')

    def sub(m: re.Match[str]) -> str:
        now = int(m.group(3))
        was = plan.numbers[now] if now < len(plan.numbers) else now + plan.taken
        return f'{m.group(1)}{m.group(2)}-{was}-{m.group(4)}"'

    blocks = md.htmlStash.rawHtmlBlocks
    for i in range(plan.stash_from, len(blocks)):
        if isinstance(blocks[i], str) and "-" in blocks[i]:
            blocks[i] = pattern.sub(sub, blocks[i])
    real = md.preprocessors["fenced_code_block"]
    ext = getattr(real, "highlight_ext", None)
    if ext is not None and hasattr(ext, "pygments_code_block"):
        ext.pygments_code_block += plan.taken
