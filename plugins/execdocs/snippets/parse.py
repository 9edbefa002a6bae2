"""Find console snippets in a page's source with markdown-it-py, with the file's true lines.

A snippet is a fence whose info string is ``console``; each line starting with ``$ `` is a
command (a trailing ``\\`` continues it on the next line). Fences inside admonitions
(``!!!``/``???``) and content tabs (``=== "Tab"``) are found too. The fence itself carries no
options (pymdownx.superfences rejects unknown ones, see STYLE.md); instructions go in an
HTML comment directly before it, which both Python-Markdown and markdown-it-py treat as an
invisible HTML block::

    <!-- execdocs: skip: 설치 명령이라 출력이 환경마다 다름 -->

    <!-- execdocs
    session: k3s-kubelet-down
    $ kubectl get nodes -o wide
      STATUS=NotReady where NAME=k3s-agent-1
      CONTAINER-RUNTIME^=containerd://
    $ kubectl describe node <노드명>
      exit: 0
      contains: NotReady
    -->
    ```console
    $ kubectl get nodes -o wide
    $ kubectl describe node <노드명>
    ```

Directive lines: ``session: NAME`` (this fence's capture session), ``skip: REASON`` (opt out;
the reason is listed by the check), ``exit: N`` (expected exit status), ``$ COMMAND`` (the
following indented lines are assertions on that command), anything else is an assertion (on the
fence's only command when it has one). The page's session comes from front matter
(``execdocs: {session: NAME}``), else the site default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from execdocs.problems import Problem

PROMPT = "$ "
_TAB_RE = re.compile(r'^={3}[+!]{0,2}[ \t]+"[^"\n]*"[ \t]*$')
_DIRECTIVE_RE = re.compile(r"^\s*<!--\s*execdocs\b:?", re.S)


@dataclass
class Command:
    """One ``$ `` command of a fence, with its 1-based line in the page file."""

    text: str
    line: int
    exit: int = 0
    assertions: list[tuple[int, str]] = field(default_factory=list)
    """(page line, assertion text) pairs written in the directive for this command."""


@dataclass
class Fence:
    """A console fence: where it is, its commands, and what its directive says."""

    page: str
    line: int
    """Line of the opening fence marker (1-based)."""
    end_line: int
    """Line of the closing fence marker (1-based, inclusive)."""
    indent: str
    """Text before the fence marker on its opening line (kept when the fence is replaced)."""
    commands: list[Command] = field(default_factory=list)
    session: str | None = None
    skip: str | None = None
    directive_line: int | None = None


@dataclass
class ParsedPage:
    """The console fences of one page and the problems found while reading it."""

    page: str
    session: str | None
    fences: list[Fence] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _tabs_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """pymdownx.tabbed ``=== "Title"``: the indented lines below are the tab's content."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos : state.eMarks[start]]
    if not _TAB_RE.match(line):
        return False
    if silent:
        return True
    old_parent, old_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    indent = state.sCount[start] + 4
    nxt = start + 1
    while nxt < end:
        blank = state.bMarks[nxt] + state.tShift[nxt] >= state.eMarks[nxt]
        if not blank and state.sCount[nxt] < indent:
            break
        nxt += 1
    state.parentType = "tab"  # type: ignore[assignment]
    state.blkIndent = indent
    state.lineMax = nxt
    token = state.push("tab_open", "div", 1)
    token.map = [start, nxt]
    token.info = line
    state.md.block.tokenize(state, start + 1, nxt)
    state.push("tab_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_max, old_indent
    state.line = nxt
    return True


def markdown_parser() -> MarkdownIt:
    """markdown-it-py set up like the site: front matter, admonitions/details, content tabs."""
    md = MarkdownIt("commonmark").use(front_matter_plugin).use(admon_plugin)
    md.block.ruler.before("fence", "tabs", _tabs_rule, {"alt": ["paragraph", "blockquote"]})
    # only block structure matters here: skipping inline parsing halves the parse time
    md.core.ruler.disable(["inline", "text_join"])
    return md


_MD = markdown_parser()


def _closing_ok(src_lines: list[str], token) -> bool:
    """True when the fence's last line is a closing marker (markdown-it runs unclosed fences on)."""
    first, end = token.map
    if end - 1 <= first or end - 1 >= len(src_lines):
        return False
    last = src_lines[end - 1].strip()
    # strip container prefixes such as blockquote '>' markers
    last = last.lstrip("> ").strip()
    marker = token.markup
    return last.startswith(marker) and set(last) == {marker[0]}


def _parse_directive(text: str, line: int, fence: Fence, problems: list[Problem]) -> None:
    """Apply an ``<!-- execdocs ... -->`` comment to the fence that follows it."""
    body = _DIRECTIVE_RE.sub("", text, count=1)
    body = body.rsplit("-->", 1)[0]
    by_text = {" ".join(c.text.split()): c for c in fence.commands}
    current: Command | None = None
    unknown = False  # lines under a '$ ' that names no command are already reported
    loose: list[tuple[int, str]] = []
    for offset, raw in enumerate(body.split("\n")):
        lineno = line + offset
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
                problems.append(Problem(fence.page, lineno,
                                        f"directive names command '{wanted}' that is not in the "
                                        f"fence below (line {fence.line})"))
            continue
        if sep and key == "session" and current is None:
            fence.session = value.strip() or None
        elif sep and key == "skip" and current is None:
            fence.skip = value.strip()
            if not fence.skip:
                problems.append(Problem(fence.page, lineno, "'skip:' needs a reason",
                                        hint="<!-- execdocs: skip: 왜 출력이 없는지 -->"))
                fence.skip = None
        elif sep and key == "exit":
            try:
                code = int(value.strip())
            except ValueError:
                problems.append(Problem(fence.page, lineno,
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


def _commands(content: str, first_line: int, fence: Fence, problems: list[Problem]) -> list[int]:
    """Fill ``fence.commands``; return the lines that are neither commands nor blank."""
    written: list[int] = []
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    pending: Command | None = None
    for i, text in enumerate(lines):
        lineno = first_line + i
        if pending is not None:
            pending.text += "\n" + text
            if not text.endswith("\\"):
                pending = None
            continue
        if text.startswith(PROMPT) or text.rstrip() == "$":
            cmd = Command(text=text[2:].strip(), line=lineno)
            if not cmd.text:
                problems.append(Problem(fence.page, lineno, "empty '$ ' command line"))
                continue
            fence.commands.append(cmd)
            if text.endswith("\\"):
                cmd.text = text[2:].lstrip()
                pending = cmd
        elif text.strip():
            written.append(lineno)
    return written


def parse_page(page: str, source: str, default_session: str | None = None) -> ParsedPage:
    """Parse a page's full source (front matter included) into console fences and problems.

    ``page`` is the label used in messages (``docs/kubelet.md``).
    """
    tokens = _MD.parse(source)
    src_lines = source.split("\n")
    result = ParsedPage(page=page, session=default_session)
    pending_directive: tuple[str, int] | None = None
    for token in tokens:
        if token.type == "front_matter":
            try:
                meta = yaml.safe_load(token.content) or {}
            except yaml.YAMLError as exc:
                result.problems.append(Problem(page, 1, f"front matter is not valid YAML: {exc}"))
                continue
            opts = meta.get("execdocs") if isinstance(meta, dict) else None
            if isinstance(opts, dict) and opts.get("session") is not None:
                result.session = str(opts["session"])
            elif opts is not None and not isinstance(opts, dict):
                result.problems.append(Problem(page, 1, "front matter 'execdocs' must be a "
                                               "mapping", hint="execdocs: {session: k3s-lab}"))
            continue
        if token.type == "html_block" and _DIRECTIVE_RE.match(token.content):
            if pending_directive is not None:
                result.problems.append(Problem(page, pending_directive[1],
                                               "execdocs directive is not followed by a "
                                               "console fence"))
            pending_directive = (token.content, token.map[0] + 1)
            continue
        if token.type == "code_block" and (
            "```" in token.content or re.search(r"(?m)^\$ ", token.content)
        ):
            result.problems.append(Problem(
                page, token.map[0] + 1,
                "indented code block holds a fence or '$ ' prompt that is not checked",
                hint="check the indentation of the enclosing admonition or content tab"))
        if token.type != "fence":
            if pending_directive is not None:
                result.problems.append(Problem(page, pending_directive[1],
                                               "execdocs directive is not followed by a "
                                               "console fence"))
                pending_directive = None
            continue
        lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        line = token.map[0] + 1
        opener = src_lines[token.map[0]]
        indent = opener[: opener.index(token.markup)] if token.markup in opener else ""
        if not _closing_ok(src_lines, token):
            result.problems.append(Problem(page, line, "fence is never closed",
                                           detail=f"opened with {token.markup}{token.info}",
                                           hint=f"add a line '{token.markup}' after the last "
                                           "command"))
            pending_directive = None
            continue
        if lang != "console":
            if re.search(r"(?m)^\$ ", token.content):
                result.problems.append(Problem(
                    page, line, f"fence '{lang or '(no language)'}' holds '$ ' commands but is "
                    "not a console fence, so nothing checks them",
                    hint="use ```console (backed by captures) or drop the '$ ' prompts"))
            if pending_directive is not None:
                result.problems.append(Problem(page, pending_directive[1],
                                               "execdocs directive is not followed by a "
                                               "console fence"))
                pending_directive = None
            continue
        fence = Fence(page=page, line=line, end_line=token.map[1], indent=indent)
        written = _commands(token.content, line + 1, fence, result.problems)
        if pending_directive is not None:
            fence.directive_line = pending_directive[1]
            _parse_directive(pending_directive[0], pending_directive[1], fence, result.problems)
            pending_directive = None
        if written and fence.skip is None:
            result.problems.append(Problem(
                page, written[0], "console fence holds a line that is not a '$ ' command",
                detail="outputs are not written in the page: they come from captures/",
                hint="move the output into a capture file, or opt out with "
                "<!-- execdocs: skip: REASON -->"))
        if not fence.commands and fence.skip is None:
            result.problems.append(Problem(page, line, "console fence has no '$ ' command"))
        result.fences.append(fence)
    if pending_directive is not None:
        result.problems.append(Problem(page, pending_directive[1],
                                       "execdocs directive is not followed by a console fence"))
    return result
