"""Console snippets in a page, found by the shared scanner (``execdocs.scan``).

A snippet is a fence whose language is ``console`` (or another of ``snippets: languages:``,
compared case-insensitively as Pygments does); each line starting with ``$ `` is a command.
A trailing ``\\`` continues a command on the next line and a heredoc (``<<EOF`` ... ``EOF``)
runs to its delimiter: both are one command. Lines under a command that are not commands are
the page's claim about its output: they are kept and compared with the capture, never dropped.
A console fence without any ``$ `` line is plain code and is left as written. Instructions go in
an HTML comment directly before the fence (pymdownx.superfences turns a fence with an unknown
option into inline code); Python-Markdown treats it as an invisible HTML block::

    <!-- execdocs: skip: 설치 명령이라 출력이 환경마다 다름 -->

    <!-- execdocs
    session: k3s-kubelet-down
    $ kubectl get nodes -o wide
      STATUS=NotReady where NAME=k3s-agent-1
    $ kubectl describe node <노드명>
      exit: 0
      contains: NotReady
    -->

Directive lines: ``session: NAME``, ``skip: REASON`` (the fence renders exactly as written),
``exit: N``, ``$ COMMAND`` (the following indented lines are assertions on that command),
anything else is an assertion (on the fence's only command). ``<!-- execdocs: sessions -->`` on
its own line is a page directive (the list of capture sessions, ``sessions_page``). The page's
session comes from front matter (``execdocs: {session: NAME}``), else the site default;
``execdocs: {skip: REASON}`` in front matter opts the whole page out.

Lines: the scanner works on the text it is given; ``locate`` maps a 0-based index of that text
to ``(path, 1-based line)`` for messages, or ``(page, None)`` when no mapping exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from execdocs.problems import Problem
from execdocs.scan import Directive, Remembered, scan, split_front_matter

if TYPE_CHECKING:
    from markdown import Markdown

PROMPT = "$ "
SESSIONS_DIRECTIVE = re.compile(r"^[ \t]*<!--[ \t]*execdocs:[ \t]*sessions[ \t]*-->[ \t]*$", re.M)
"""A page directive, not a fence's: the list of capture sessions goes here
(``execdocs.snippets.sessions_page``)."""
ALLOW_SECRET_DIRECTIVE = re.compile(r"^\s*<!--\s*execdocs:\s*allow-secret\b")
"""The render-time secret guard's directive (``execdocs.secret_guard.ALLOW``): it stands before
a block written in the page, not a console fence."""
CONSOLE_LANGUAGES: tuple[str, ...] = ("console",)
"""Fence languages execdocs owns by default (``snippets: languages:`` in mkdocs.yml)."""
_DIRECTIVE_RE = re.compile(r"^\s*<!--\s*execdocs\b:?", re.S)
# `<<EOF`, `<<-'EOF'`, `<< "END"`; not the here-string `<<<`
_TITLE_RE = re.compile(r"""\btitle=(["'])(.*?)\1""")
_HEREDOC_RE = re.compile(r"(?<!<)<<(-?)[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
Locate = Callable[[int], tuple[str, "int | None"]]


@dataclass
class Command:
    """One ``$ `` command of a fence, with its 1-based line in the page file (None: unknown)."""

    text: str
    line: int | None
    exit: int = 0
    assertions: list[tuple[int | None, str]] = field(default_factory=list)
    """(page line, assertion text) pairs written in the directive for this command."""
    output: list[str] = field(default_factory=list)
    """Output lines written under the command in the page: the page's claim."""
    output_line: int | None = None
    """Line of the first written output line."""
    shown: str = ""
    """The command as written after ``$ `` (its blanks kept: ``$  virt-host-validate``), what
    the page shows; :attr:`text` is it trimmed, what captures are matched by."""
    at: int = 0
    """0-based index of its first line in the fence's content (``hl_lines`` counts those)."""


@dataclass
class Fence:
    """A console fence: where it is (in the file and in the scanned text), what it says."""

    page: str
    """Path shown in messages: the page, or the included file the fence comes from."""
    line: int | None
    """Line of the opening fence marker (1-based), None when it cannot be mapped."""
    indent: str
    """Text before the fence marker on its opening line (kept when the fence is replaced)."""
    commands: list[Command] = field(default_factory=list)
    session: str | None = None
    skip: str | None = None
    directive_line: int | None = None
    at: int = 0
    """0-based index of the opening line in the scanned text."""
    stop: int = 0
    """One past the closing line in the scanned text."""
    directive_at: int | None = None
    """0-based index of the directive's first line in the scanned text."""
    preamble: list[str] = field(default_factory=list)
    """Lines before the first command (comments, a note): shown as written."""
    title: str | None = None
    """The fence's ``title="..."`` option (Material shows it above the block), kept."""
    options: dict[str, str] = field(default_factory=dict)
    """Its highlight options as superfences validated them (``hl_lines``, ``linenums``)."""
    block: int | None = None
    """The number the page's code block counter gives it without execdocs (its line anchors
    are ``__codelineno-BLOCK-LINE``); None when the highlighter does not render it."""
    ident: str = ""
    """Its ``{ #id }``, if any."""
    classes: tuple[str, ...] = ()
    """Its classes after the language (``{ .console .wide }``), kept on the snippet."""
    attrs: tuple[tuple[str, str], ...] = ()
    """The attributes superfences would put on its block (``data-x="1"``), kept likewise."""
    size: int = 0
    """Lines of content (between the markers)."""

    @property
    def owned(self) -> bool:
        """execdocs replaces this fence (commands, not opted out); others stay as written."""
        return bool(self.commands) and self.skip is None


@dataclass
class ParsedPage:
    """The console fences of one page and the problems found while reading it."""

    page: str
    session: str | None
    fences: list[Fence] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skip: str | None = None
    """Reason the page opted out in front matter (then no fence is owned)."""
    foreign_prompts: int = 0
    """``$ `` lines in fences execdocs leaves as written (a highlighter may mark them)."""
    counted: list[tuple[int, str]] = field(default_factory=list)
    """(start, ``#id``) of every fence the highlighter numbers, in its order
    (``scan.Scan.counted``)."""

    def owned(self) -> list[Fence]:
        """The fences execdocs replaces (none when the page opted out)."""
        return [] if self.skip else [f for f in self.fences if f.owned]


def page_options(page: str, meta: str | None, result: ParsedPage) -> None:
    """Apply front matter ``execdocs: {session: NAME, skip: REASON}`` to ``result``."""
    if meta is None:
        return
    try:
        data = yaml.safe_load(meta) or {}
    except yaml.YAMLError as exc:
        result.problems.append(Problem(page, 1, f"front matter is not valid YAML: {exc}"))
        return
    opts = data.get("execdocs") if isinstance(data, dict) else None
    if opts is None:
        return
    if not isinstance(opts, dict):
        result.problems.append(Problem(page, 1, "front matter 'execdocs' must be a mapping",
                                       hint="execdocs: {session: k3s-lab}"))
        return
    if opts.get("session") is not None:
        result.session = str(opts["session"])
    if "skip" in opts:
        reason = str(opts["skip"] or "").strip()
        if reason:
            result.skip = reason
        else:
            result.problems.append(Problem(page, 1, "front matter 'execdocs: skip:' needs a "
                                           "reason", hint="execdocs: {skip: 출력 검증 전인 문서}"))


def _parse_directive(text: str, at: int, locate: Locate, fence: Fence,
                     problems: list[Problem]) -> None:
    """Apply an ``<!-- execdocs ... -->`` comment to the fence that follows it."""
    body = _DIRECTIVE_RE.sub("", text, count=1)
    body = body.rsplit("-->", 1)[0]
    by_text = {" ".join(c.text.split()): c for c in fence.commands}
    current: Command | None = None
    unknown = False  # lines under a '$ ' that names no command are already reported
    loose: list[tuple[int | None, str]] = []
    for offset, raw in enumerate(body.split("\n")):
        path, lineno = locate(at + offset)
        stripped = raw.strip()
        if not stripped:
            continue
        key, sep, value = stripped.partition(":")
        key = key.strip()
        if unknown and not (stripped.startswith(PROMPT) or stripped == "$"):
            continue
        if stripped.startswith(PROMPT) or stripped == "$":
            wanted = " ".join(stripped[2:].split())
            current = by_text.get(wanted)
            unknown = current is None
            if current is None:
                problems.append(Problem(path, lineno,
                                        f"directive names command '{wanted}' that is not in the "
                                        f"fence below (line {fence.line})"))
            continue
        if sep and key == "session" and current is None:
            fence.session = value.strip() or None
        elif sep and key == "skip" and current is None:
            fence.skip = value.strip()
            if not fence.skip:
                problems.append(Problem(path, lineno, "'skip:' needs a reason",
                                        hint="<!-- execdocs: skip: 왜 출력이 없는지 -->"))
                fence.skip = None
        elif sep and key == "exit":
            try:
                code = int(value.strip())
            except ValueError:
                problems.append(Problem(path, lineno,
                                        f"'exit:' needs an integer, got {value.strip()!r}"))
                continue
            for cmd in [current] if current else fence.commands:
                cmd.exit = code
        elif current is not None:
            current.assertions.append((lineno, stripped))
        else:
            loose.append((lineno, stripped))
    if loose:
        if len(fence.commands) == 1:
            fence.commands[0].assertions[:0] = loose
        else:
            problems.append(Problem(fence.page, loose[0][0],
                                    f"assertion {loose[0][1]!r} does not say which command of "
                                    f"the fence at line {fence.line} it is about",
                                    hint="put '$ COMMAND' on a line before its assertions"))


def _heredoc_ends(text: str) -> list[tuple[str, bool]]:
    """Delimiters of the heredocs a command line opens (``<<-`` allows leading tabs)."""
    return [(m.group(3), m.group(1) == "-") for m in _HEREDOC_RE.finditer(text)]


# a shell prompt that is not "$ ": user@host:~$, root@node:/#, [user@host dir]$, host:~/x$
_OTHER_PROMPT = re.compile(r"((?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?|\[[^\]\n]+\]|[\w.-]+:[~/][^\s$#]*)"
                           r"[$#]) \S")


def _quote_after(line: str, quote: str | None) -> str | None:
    """The quote (``'`` or ``"``) still open at the end of ``line`` of a command, given the one
    open at its start: sh reads on to the next line inside quotes (``echo "`` then a manifest
    then ``" | kubectl apply -f -`` is one command). A ``#`` at a word's start outside quotes
    starts a comment."""
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if quote == "'":
            if char == "'":
                quote = None
        elif quote == '"':
            if char == "\\":
                i += 1
            elif char == '"':
                quote = None
        elif char == "\\":
            i += 1
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in " \t;&|("):
            break
        i += 1
    return quote


def _commands(body: list[str], first: int, locate: Locate, fence: Fence,
              problems: list[Problem]) -> None:
    """Fill ``fence.commands`` (and their written output) from the fence's content lines."""
    continued = False
    heredocs: list[tuple[str, bool]] = []
    quote: str | None = None  # a quote the command line left open: the next line goes on
    current: Command | None = None
    for i, text in enumerate(body):
        path, lineno = locate(first + i)
        if path != fence.page:  # a line of another file (an include inside the fence): the
            lineno = None       # messages name the fence's file, so no line of another one
        if current is not None and (continued or heredocs or quote):
            current.text += "\n" + text
            current.shown += "\n" + text
            if continued or quote:  # the command line goes on; its heredoc bodies start after
                quote = _quote_after(text, quote)
                continued = quote is None and text.endswith("\\")
                if quote is None:
                    heredocs += _heredoc_ends(text)
            else:
                delim, tabs = heredocs[0]
                # `<<-` strips leading tabs (which Python-Markdown may have expanded)
                if (text.lstrip() if tabs else text) == delim:
                    heredocs.pop(0)
            continue
        if text.startswith(PROMPT) or text.rstrip() == "$":
            command_text = text[2:].strip()
            if not command_text:
                problems.append(Problem(path, lineno, "empty '$ ' command line"))
                continue
            current = Command(text=command_text, line=lineno, shown=text[2:].rstrip(), at=i)
            fence.commands.append(current)
            quote = _quote_after(text[2:], None)
            continued = quote is None and text.endswith("\\")
            heredocs = _heredoc_ends(text) if quote is None else []
            if continued or heredocs or quote:
                current.text = text[2:].lstrip()
                current.shown = text[2:]
        elif current is not None:
            if not current.output:
                current.output_line = lineno
            current.output.append(text)
        else:
            fence.preamble.append(text)
    for cmd in fence.commands:  # trailing blank lines are layout, not a claim
        while cmd.output and not cmd.output[-1].strip():
            cmd.output.pop()
        if not cmd.output:
            cmd.output_line = None
    if quote and current is not None:
        problems.append(Problem(fence.page, current.line,
                                f"a quote ({quote}) opened in this command is never closed in "
                                "the fence, so every line after it is part of the command",
                                hint=f"close the quote with {quote}, or escape it as \\{quote}"))
    if heredocs and current is not None:
        problems.append(Problem(fence.page, current.line,
                                f"heredoc '{heredocs[0][0]}' is never closed in the fence",
                                hint=f"end it with a line '{heredocs[0][0]}'"))


def parse_text(page: str, text: str, session: str | None, locate: Locate,
               md: Markdown | None = None,
               languages: Collection[str] = CONSOLE_LANGUAGES,
               memo: Remembered | None = None) -> ParsedPage:
    """Parse Markdown ``text`` (no front matter) into console fences and problems.

    ``locate`` maps a 0-based line of ``text`` to ``(path, line)`` for messages; ``md`` is
    the Python-Markdown instance that renders the text, when there is one; ``languages``: the
    fence languages that are snippets (lower case); ``memo``: where the scanner's fences and
    block parse are remembered (``scan.Remembered``), if anywhere.
    """
    result = ParsedPage(page=page, session=session)
    found = scan(text, md, images=False, snippets=languages, memo=memo)
    result.counted = [(f.start, f.ident) for f in found.counted]
    number = {f.start: n for n, f in enumerate(found.counted)}
    lines = text.split("\n")
    for at, why in found.doubts:
        path, line = locate(at)
        opener = lines[at] if at < len(lines) else ""
        if why.startswith("fence is never closed"):
            result.problems.append(Problem(path, line, "fence is never closed",
                                           detail="Python-Markdown shows it as text",
                                           hint="add the closing marker line"))
        elif any(lang in opener.lower() for lang in languages) or any(
                ln.lstrip(" \t>").startswith(PROMPT) for ln in lines[at + 1: at + 4]):
            result.problems.append(Problem(path, line, why))
    directives: dict[int, Directive] = {}
    allows: dict[int, Directive] = {}  # the secret guard's (execdocs.secret_guard.ALLOW)
    found.directives = [d for d in found.directives if not SESSIONS_DIRECTIVE.match(d.text)]
    for d in found.directives:
        end = d.end  # the fence it belongs to follows after blank lines only
        while end < len(lines) and not lines[end].strip(" \t>"):
            end += 1
        (allows if ALLOW_SECRET_DIRECTIVE.match(d.text) else directives)[end] = d
    found.directives = [d for d in found.directives if d not in allows.values()]
    for f in found.fences:
        if f.start in allows and f.lang.lower() in languages:
            path, line = locate(allows[f.start].start)
            result.problems.append(Problem(
                path, line, "'allow-secret' does not apply to a console fence: its output "
                "comes from a capture, where a secret is real",
                hint="redact the capture (execdocs capture does it when it records); "
                "'allow-secret' is for an example written in the page itself"))
    used: set[int] = set()
    prompted: list[tuple[int, str]] = []  # (line, prompt) of console fences read as output
    for f in found.fences:
        result.foreign_prompts += sum(1 for ln in f.body if ln.startswith("$"))
        if f.lang.lower() not in languages:
            if any(ln.startswith(PROMPT) for ln in f.body):
                path, line = locate(f.start)
                lang = f.lang or "(no language)"
                owned = ", ".join(sorted(languages))
                result.problems.append(Problem(
                    path, line, f"fence '{lang}' holds '$ ' commands but is not a console "
                    "fence, so nothing checks them",
                    detail=f"it is shown exactly as written; snippet languages: {owned}",
                    hint="use ```console (backed by captures), drop the '$ ' prompts"
                    + (f", or add '{f.lang.lower()}' to 'snippets: languages:' in mkdocs.yml"
                       if f.lang else "")))
            continue
        path, line = locate(f.start)
        fence = Fence(page=path, line=line, indent=f.prefix, at=f.start, stop=f.end,
                      options=dict(f.options), block=number.get(f.start), ident=f.ident,
                      classes=f.classes, attrs=f.attrs, size=len(f.body))
        title = _TITLE_RE.search(f.opening)
        fence.title = title.group(2) if title else None
        _commands(f.body, f.start + 1, locate, fence, result.problems)
        before = directives.get(f.start)
        if before is not None:
            d = before
            used.add(d.start)
            fence.directive_at = d.start
            fence.directive_line = locate(d.start)[1]
            _parse_directive(d.text, d.start, locate, fence, result.problems)
        other = next((i for i, ln in enumerate(f.body) if _OTHER_PROMPT.match(ln)), None)
        if fence.commands:
            result.fences.append(fence)
        elif other is not None:  # albc's docs: "foo@bar:~$ kubectl describe deployment ..."
            prompted.append((f.start + 1 + other,
                             _OTHER_PROMPT.match(f.body[other]).group(1)))  # type: ignore[union-attr]
        elif before is not None:
            result.problems.append(Problem(path, fence.directive_line,
                                           "execdocs directive before a console fence with no "
                                           "'$ ' command"))
    if prompted:  # one line for the page, at its first such fence (rook: 16 on one page)
        path, line = locate(prompted[0][0])
        n = len(prompted)
        result.problems.append(Problem(
            path, line, f"{n} console fence(s) have no '$ ' command; '{prompted[0][1]}' looks "
            "like a prompt, but execdocs reads only '$ ', so nothing in them is checked",
            detail="they are shown exactly as written"
            + (f"; the others start at line(s) "
               f"{', '.join(str(locate(at)[1]) for at, _p in prompted[1:6])}" if n > 1 else ""),
            hint="write each command as '$ COMMAND' (captures are matched by the command), or "
            "make a fence ```text if it is output only"))
    for left in found.directives:
        if left.start not in used:
            path, line = locate(left.start)
            result.problems.append(Problem(path, line, "execdocs directive is not followed by "
                                           "a console fence"))
    return result


def parse_page(page: str, source: str, default_session: str | None = None,
               md: Markdown | None = None,
               languages: Collection[str] = CONSOLE_LANGUAGES,
               memo: Remembered | None = None) -> ParsedPage:
    """Parse a page's full source (front matter included) into console fences and problems.

    ``page`` is the label used in messages (``docs/kubelet.md``); lines are the file's.
    """
    meta, body, offset = split_front_matter(source)
    probe = ParsedPage(page=page, session=default_session)
    page_options(page, meta, probe)
    result = parse_text(page, body, probe.session, lambda i: (page, i + 1 + offset), md,
                        languages, memo)
    result.problems[:0] = probe.problems
    result.skip = probe.skip
    return result
