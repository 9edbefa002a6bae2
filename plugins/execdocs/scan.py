"""The one Markdown scanner: fenced code, ``<!-- execdocs ... -->`` directives, diagram images.

Snippets and diagrams both read pages through this module, so they agree on what a page holds.
Fences are found by pymdownx.superfences' own line rules (its block preprocessor, subclassed
to record each fence instead of rendering it): Python-Markdown with superfences finds a fence
wherever the opening line is only spaces, tabs and ``>`` before the marker -- at top level, in
lists, blockquotes, admonitions, details, content tabs and ``md_in_html`` blocks alike -- so
reusing its rules, rather than a second parser's, is what makes "the scanner finds exactly what
Python-Markdown renders" hold (``tests/test_scan_agree.py`` checks it on a corpus).

Diagram images (``![alt](diagram:NAME)``) are found in the prose markdown-it-py sees once the
fences are masked out (admonitions, details and tabs taught to it), with a regex that follows
Python-Markdown's link syntax (spaces and non-ASCII in the name, an optional title), because
markdown-it-py refuses a destination with a space that Python-Markdown renders.

Everything works on the text it is given and reports 0-based line indexes in that text; the
caller maps them to file lines (see ``execdocs.snippets.lines``). No MkDocs import.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from markdown import Markdown

DIAGRAM_SCHEME = "diagram:"
_DIRECTIVE_RE = re.compile(r"^[ \t>]*<!--\s*execdocs\b")
_PREFIX_RE = re.compile(r"^[ \t>]*")
# Python-Markdown's image: balanced brackets in the alt, destination up to the closing paren
# (spaces allowed), optional quoted title.
_IMAGE_RE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*(?P<lt><)?(?P<src>[^\n)>]*?)(?(lt)>)"
    r"(?:\s+(?P<q>[\"']).*?(?P=q))?\s*\)")
_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_MD_IN_HTML_RE = re.compile(r"^\s*<([A-Za-z][\w-]*)\b[^>]*\bmarkdown\b[^>]*>", re.S)
_TAB_RE = re.compile(r'^={3}[+!]{0,2}[ \t]+"[^"\n]*"[ \t]*$')


@dataclass(frozen=True)
class CodeFence:
    """A fenced code block as Python-Markdown + superfences sees it (0-based line indexes)."""

    start: int
    """Index of the opening marker line."""
    end: int
    """One past the closing marker line."""
    prefix: str
    """What stands before the marker on the opening line (indentation, ``>`` of a blockquote)."""
    marker: str
    lang: str
    body: list[str]
    """Content lines with the prefix removed, as the code block shows them."""
    opening: str = ""
    """The opening line after the prefix (marker, language, options)."""
    counted: bool = False
    """superfences' default formatter (pymdownx.highlight) renders it: it takes a number of
    the page's code block counter, which names its line anchors (``__codelineno-N-M``)."""
    options: tuple[tuple[str, str], ...] = ()
    """The highlight options its header sets, as superfences validated them (``hl_lines``,
    ``linenums``, ``title``)."""
    ident: str = ""
    """Its ``{ #id }``, if any (then its line anchors use that instead of the number)."""
    classes: tuple[str, ...] = ()
    """The classes its ``{ .lang .x }`` sets after the language."""
    attrs: tuple[tuple[str, str], ...] = ()
    """The attributes superfences puts on its block (``data-x="1"``: with attr_list only)."""


@dataclass(frozen=True)
class Directive:
    """An ``<!-- execdocs ... -->`` comment: its lines ``start`` .. ``end`` (exclusive)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Image:
    """A ``![alt](diagram:NAME)`` image in prose, on line ``line`` (0-based) of the text."""

    line: int
    name: str
    alt: str


@dataclass
class Scan:
    """What one text holds, in document order, plus what the scanner could not account for."""

    fences: list[CodeFence] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    doubts: list[tuple[int, str]] = field(default_factory=list)
    """(line, why) for shapes Python-Markdown may render differently than the scan assumes."""
    counted: list[CodeFence] = field(default_factory=list)
    """Every fence superfences' highlighter renders, in its order (those inside an indented
    code block too: their number is taken before the block shows them as text)."""


# ------------------------------------------------------------------------------------- fences
_FINDER_CLASS: Any = None
_DEFAULT_MD: Any = None


def _finder_class() -> Any:
    """A SuperFencesBlockPreprocessor that records fences instead of highlighting them."""
    global _FINDER_CLASS
    if _FINDER_CLASS is None:
        from pymdownx.superfences import SuperFencesBlockPreprocessor

        class _Finder(SuperFencesBlockPreprocessor):
            found: list[CodeFence]

            def process_nested_block(self, ws: str, content: str, start: int, end: int) -> None:
                body = [line[self.ws_virtual_len:] for line in self.code]
                opening = self.first[len(self.ws):]
                default = self.extension.superfences[0]
                counted = (self.formatter is not None and default["name"] == "superfences"
                           and self.formatter == default["formatter"])
                options = tuple((k, v) for k, v in sorted((self.options or {}).items())
                                if isinstance(v, str))
                attrs = tuple((k, v) for k, v in (self.attrs or {}).items()
                              if isinstance(k, str) and isinstance(v, str))
                self.found.append(CodeFence(start, end, self.ws, self.fence, self.lang or "",
                                            body, opening, counted, options, self.id or "",
                                            tuple(c for c in self.classes if isinstance(c, str)),
                                            attrs))
                self.clear()

            def reassemble(self, lines: list[str]) -> list[str]:
                return lines

        _FINDER_CLASS = _Finder
    return _FINDER_CLASS


def fenced_code_markdown() -> Markdown:
    """A Python-Markdown instance with fenced_code alone: the fences of a site that does not
    list pymdownx.superfences (MkDocs adds fenced_code to every site)."""
    global _FENCED_CODE_MD
    if _FENCED_CODE_MD is None:
        import markdown

        _FENCED_CODE_MD = markdown.Markdown(extensions=["fenced_code"])
    return _FENCED_CODE_MD


_FENCED_CODE_MD: Markdown | None = None


def default_markdown() -> Markdown:
    """A Python-Markdown instance with superfences, for callers without the site's instance."""
    global _DEFAULT_MD
    if _DEFAULT_MD is None:
        import markdown

        _DEFAULT_MD = markdown.Markdown(extensions=["pymdownx.superfences"])
    return _DEFAULT_MD


def find_fences(lines: list[str], md: Markdown | None = None) -> tuple[list[CodeFence],
                                                                    int | None]:
    """Fences in ``lines`` by superfences' rules; also the start of a fence never closed.

    ``md`` is the Python-Markdown instance that will render the text (its superfences options,
    custom fences and tab length apply); without one, a default superfences instance is used.
    """
    real = _markdown_for(md).preprocessors["fenced_code_block"]
    if _is_fenced_code(real):
        return _fenced_code_fences(lines, real), None
    finder = _run_finder(lines, md)
    unclosed = None
    if finder.fence is not None:  # opened and still open at the end: Python-Markdown shows text
        unclosed = _last_opening(lines, finder)
    return finder.found, unclosed


def _is_fenced_code(real: Any) -> bool:
    """Whether ``real`` is Python-Markdown's own fenced_code preprocessor (MkDocs' default
    when ``pymdownx.superfences`` is not listed), not superfences'."""
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    return isinstance(real, FencedBlockPreprocessor)


def _fenced_code_fences(lines: list[str], real: Any) -> list[CodeFence]:
    """The fences Python-Markdown's fenced_code preprocessor ``real`` renders in ``lines``: its
    own run, without rendering. It searches the whole text with its ``FENCED_BLOCK_RE``, puts a
    placeholder line in place of each match and searches on after it, which finds what a search
    on after the match finds in the text as it was (what follows a closing fence starts a line
    either way); a fence whose ``{attrs}`` do not parse is skipped past its attributes."""
    from markdown.extensions.attr_list import get_attrs_and_remainder

    text = "\n".join(lines)
    found: list[CodeFence] = []
    index = 0
    while (m := real.FENCED_BLOCK_RE.search(text, index)) is not None:
        lang = ""
        if m.group("attrs"):
            attrs, remainder = get_attrs_and_remainder(m.group("attrs"))
            if remainder:  # no fence: its run skips the attributes, as here
                index = m.end("attrs")
                continue
            _id, classes, _config = real.handle_attrs(attrs)
            lang = classes[0] if classes else ""
        elif m.group("lang"):
            lang = m.group("lang")
        start = text.count("\n", 0, m.start())
        end = start + m.group().count("\n") + 1
        body = m.group("code").split("\n")[:-1]  # the code ends with the line break before
        found.append(CodeFence(start, end, "", m.group("fence"), lang, body, lines[start]))
        index = m.end()
    return found


class Remembered(Protocol):
    """A memo of the scan's two costly steps, giving exactly what :func:`find_fences` and
    :func:`code_blocks` give (``execdocs.snippets.memo.VerdictMemo``)."""

    def find_fences(self, lines: list[str], md: Markdown | None
                    ) -> tuple[list[CodeFence], int | None]: ...

    def code_blocks(self, masked: str, blocks: Blocks = ...) -> list[tuple[int, int]]: ...

# Functions the finder may call whose behaviour the installed pymdownx fixes (its files are in
# the code fingerprint): a fence's language test, validator and reset wrappers, and the
# default validators and reset. A custom fence with a validator or reset of its own has no
# stable description.
_KNOWN_FUNCTIONS = {f"pymdownx.superfences:{name}" for name in (
    "_test", "_validator", "_reset", "default_validator", "highlight_validator",
    "default_reset")}
_RENDERING_ONLY = {"format", "formatter"}  # a custom fence's formatter: the finder never calls it


class _Unstable(Exception):
    """A setting the finder reads that has no description stable across processes."""


def _stable(value: Any) -> Any:
    """``value`` as JSON data, the same in every process (functions by name, if known)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise _Unstable("a key that is not a string")
        return {k: _stable(v) for k, v in value.items() if k not in _RENDERING_ONLY}
    if isinstance(value, functools.partial):
        return {"partial": _stable(value.func), "args": _stable(value.args),
                "keywords": _stable(value.keywords)}
    name = f"{getattr(value, '__module__', '')}:{getattr(value, '__qualname__', '')}"
    if callable(value) and name in _KNOWN_FUNCTIONS:
        return name
    raise _Unstable(name)


def finder_settings(md: Markdown | None) -> str | None:
    """Everything of ``md`` that :func:`find_fences` reads, described the same way in every
    process (tab length, attr_list, the registered extensions, superfences' options and custom
    fences, the highlight options), so that a memo may key fences on it; None when something
    in it has no such description (a custom fence with a validator of its own, a replaced
    superfences preprocessor): then the finder must run."""
    from pymdownx.superfences import SuperFencesBlockPreprocessor

    md = _markdown_for(md)
    real = md.preprocessors["fenced_code_block"]
    if type(real) is not SuperFencesBlockPreprocessor:
        return None
    highlight = None
    for ext in md.registeredExtensions:  # exactly as superfences' get_hl_settings picks it
        try:
            highlight = ext.get_pymdownx_highlight_settings()
            ext.get_pymdownx_highlighter()
            break
        except AttributeError:  # superfences keeps what it got and tries the next one
            pass
    parts = (md.tab_length, "attr_list" in md.treeprocessors,
             [f"{type(e).__module__}.{type(e).__qualname__}" for e in md.registeredExtensions],
             real.config, [{k: v for k, v in entry.items() if k not in _RENDERING_ONLY}
                           for entry in real.extension.superfences], highlight)
    # MkDocs makes a Markdown instance per page, all alike: within a process the repr (C code,
    # functions by address; the formatters, bound to each instance, left out) tells equal
    # settings apart ~10x faster than describing them
    try:
        seen = repr(parts)
    except Exception:  # an option object whose repr fails: described by nothing, not remembered
        return None
    if seen not in _SETTINGS:
        if len(_SETTINGS) > 64:
            _SETTINGS.clear()
        try:
            _SETTINGS[seen] = json.dumps([_stable(x) for x in parts], sort_keys=True)
        except _Unstable:
            _SETTINGS[seen] = None
    return _SETTINGS[seen]


_SETTINGS: dict[str, str | None] = {}


def fence_open_after(lines: list[str]) -> bool:
    """Whether superfences' rules (the default instance) leave a fence open after ``lines``."""
    return _run_finder(lines, None).fence is not None


def _run_finder(lines: list[str], md: Markdown | None) -> Any:
    """superfences' fence finder, run over ``lines`` with ``md``'s options (or the defaults)."""
    md = _markdown_for(md)
    real = md.preprocessors["fenced_code_block"]
    finder = _finder_class()(md)
    finder.config, finder.extension = real.config, real.extension
    finder.found = []
    finder.run(list(lines))
    return finder


def _markdown_for(md: Markdown | None) -> Markdown:
    return md if md is not None and "fenced_code_block" in md.preprocessors else default_markdown()


def _last_opening(lines: list[str], finder: Any) -> int | None:
    first = getattr(finder, "first", "")
    for i in range(len(lines) - 1, -1, -1):
        if finder.normalize_ws(lines[i].rstrip("\r")) == first:
            return i
    return None


_OPENER_RE = re.compile(r"^[ \t>]*(`{3,}|~{3,})[ \t]*\{?\s*\.?console\b")


def _stray_openers(lines: list[str], inside: list[bool], unclosed: int | None
                   ) -> list[tuple[int, str]]:
    """Console fence openers superfences abandoned (a line indented less than the opener)."""
    return [(i, "console fence is not a fence to Python-Markdown (a line inside it is indented "
             "less than its opening line, or it is never closed): it shows as text")
            for i, line in enumerate(lines)
            if not inside[i] and i != unclosed and _OPENER_RE.match(line)]


# --------------------------------------------------------------------------------- directives
def _find_directives(lines: list[str], inside: list[bool]) -> list[Directive]:
    out = []
    i = 0
    while i < len(lines):
        if not inside[i] and _DIRECTIVE_RE.match(lines[i]):
            j = i
            while j < len(lines) and "-->" not in lines[j]:
                j += 1
            end = min(j, len(lines) - 1) + 1
            prefix_len = len(_PREFIX_RE.match(lines[i]).group(0))  # type: ignore[union-attr]
            text = "\n".join(ln[prefix_len:] if ln[:prefix_len].strip(" \t>") == "" else ln
                             for ln in lines[i:end])
            out.append(Directive(i, end, text))
            i = end
            continue
        i += 1
    return out


# ------------------------------------------------------------------------------------- images


def _tabs_rule(state: Any, start: int, end: int, silent: bool) -> bool:
    """pymdownx.tabbed ``=== "Title"``: the indented lines below are the tab's content."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos: state.eMarks[start]]
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
    state.parentType = "tab"
    state.blkIndent = indent
    state.lineMax = nxt
    token = state.push("tab_open", "div", 1)
    token.map = [start, nxt]
    state.md.block.tokenize(state, start + 1, nxt)
    state.push("tab_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_max, old_indent
    state.line = nxt
    return True


Blocks = tuple[bool, bool]
"""Which indented containers the site's Markdown has: (admonitions or details, content tabs).
Without the extension, ``=== "Linux"`` is a paragraph and the indented lines below it are an
indented code block, a fence among them code text."""
ALL_BLOCKS: Blocks = (True, True)
_MD_IT: dict[Blocks, Any] = {}


def blocks_of(md: Markdown | None) -> Blocks:
    """The indented containers ``md`` renders (every one when it is not known)."""
    processors = getattr(getattr(md, "parser", None), "blockprocessors", None)
    if processors is None:
        return ALL_BLOCKS
    return ("admonition" in processors or "details" in processors, "tabbed" in processors)


def _structure_parser(blocks: Blocks = ALL_BLOCKS) -> Any:
    """markdown-it-py for block structure only: admonitions/details, tabs, as ``blocks`` says
    the site has them; no inline pass."""
    parser = _MD_IT.get(blocks)
    if parser is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.admon import admon_plugin

        parser = MarkdownIt("commonmark")
        if blocks[0]:
            parser.use(admon_plugin)
        if blocks[1]:
            parser.block.ruler.before("fence", "tabs", _tabs_rule,
                                      {"alt": ["paragraph", "blockquote"]})
        parser.disable("fence")  # fences come from superfences' rules and are masked out
        parser.core.ruler.disable(["inline", "text_join"])
        _MD_IT[blocks] = parser
    return parser


def _strip_emphasis(alt: str) -> str:
    return re.sub(r"(\*{1,3}|_{1,3})(.+?)\1", r"\2", alt).replace("\\", "")


def _images_in(content: str, first_line: int) -> list[Image]:
    # code spans keep their length (masked, not removed) so offsets still give the right line
    masked = _CODE_SPAN_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), content)
    out = []
    for m in _IMAGE_RE.finditer(masked):
        src = m.group("src").strip()
        if src.startswith(DIAGRAM_SCHEME):
            line = first_line + masked.count("\n", 0, m.start())
            out.append(Image(line, src[len(DIAGRAM_SCHEME):], _strip_emphasis(m.group("alt"))))
    return out


def _find_images(text: str, offset: int, doubts: list[tuple[int, str]],
                 blocks: Blocks = ALL_BLOCKS) -> list[Image]:
    images: list[Image] = []
    env: dict[str, Any] = {}
    for token in _structure_parser(blocks).parse(text, env):
        if not token.map:
            continue
        start = token.map[0] + offset
        if token.type == "inline":
            images += _images_in(token.content, start)
        elif token.type == "html_block" and DIAGRAM_SCHEME in token.content:
            m = _MD_IN_HTML_RE.match(token.content)
            if m:  # md_in_html: the element's content is Markdown
                inner = token.content[m.end():]
                skipped = token.content[:m.end()].count("\n")
                images += _find_images(inner, start + skipped, doubts, blocks)
            else:
                doubts.append((start, "a raw HTML block mentions 'diagram:'; raw HTML is not "
                               "scanned, so no diagram is rendered for it: write "
                               "![alt](diagram:NAME) in Markdown (md_in_html works)"))
    for label, ref in (env.get("references") or {}).items():
        if str(ref.get("href", "")).startswith(DIAGRAM_SCHEME):
            line = next((i for i, ln in enumerate(text.split("\n")) if DIAGRAM_SCHEME in ln
                         and "]:" in ln), 0)
            doubts.append((line + offset, f"reference definition [{label}] points at a diagram; "
                           "only inline ![alt](diagram:NAME) images are drawn"))
    return images


# --------------------------------------------------------------------------------------- scan
def scan(text: str, md: Markdown | None = None, *, images: bool = True,
         snippets: Collection[str] | None = None,
         memo: Remembered | None = None, exact_fences: bool = True) -> Scan:
    """Scan ``text`` (Markdown without front matter) for fences, directives and diagram images.

    ``md``: the Python-Markdown instance that renders the text, when the caller has it.
    ``snippets``: the caller only needs the fences that may be snippets (these languages, or
    any fence with a ``$ `` line) to be exact: a fence of another kind inside an indented code
    block may then be returned as a fence. That saves the block-structure parse on pages whose
    deep fences (in lists, admonitions, tabs) are all plain code -- most pages of real sites.
    ``memo``: where the fences and the block parse are remembered across runs, if anywhere.
    ``exact_fences=False``: the caller reads only the images and their doubts (the diagrams), so the
    fences are not made exact either (the masking, which decides what is prose, is the same).
    """
    lines = text.split("\n")
    result = Scan()
    found, unclosed = (memo.find_fences if memo is not None else find_fences)(lines, md)
    result.fences = found
    result.counted = [f for f in found if f.counted]
    inside = [False] * len(lines)
    for f in found:
        for i in range(f.start, min(f.end, len(lines))):
            inside[i] = True
    if unclosed is not None:
        result.doubts.append((unclosed, "fence is never closed"))
    result.doubts += _stray_openers(lines, inside, unclosed)
    if "execdocs" in text:
        result.directives = _find_directives(lines, inside)
    deep = [f for f in found if len(f.prefix.expandtabs(4).replace(">", "")) >= 4
            and (snippets is None or _may_be_snippet(f, snippets))] if exact_fences else []
    if deep or (images and DIAGRAM_SCHEME in text):
        masked = [(_PREFIX_RE.match(ln).group(0) + "x")  # type: ignore[union-attr]
                  if inside[i] else ln for i, ln in enumerate(lines)]
        if deep:
            # up to the last fence in question: Markdown's block structure is built line by
            # line, so the lines after a fence never decide whether it is in a code block
            # (a lookahead such as a setext underline only tells paragraph from heading);
            # and from where the structure last started afresh before the first one
            first = restart_line(masked, min(f.start for f in deep))
            parse = memo.code_blocks if memo is not None else code_blocks
            code = parse("\n".join(masked[first:max(f.end for f in deep)]), blocks_of(md))
            _drop_fences_in_code(result, [(a + first, b + first) for a, b in code])
        if images and DIAGRAM_SCHEME in text:
            upto = images_cut(masked)
            result.images = _find_images("\n".join(masked[:upto]), 0, result.doubts,
                                         blocks_of(md))
    return result


# HTML blocks that a blank line does not end (CommonMark kinds 1 to 5): raw text, comments,
# processing instructions, declarations, CDATA
_HTML_ACROSS_BLANKS = re.compile(
    r"<(?:!--|\?|![A-Za-z]|!\[CDATA\[|(?:script|pre|style|textarea)\b)", re.I)


def restart_line(masked: list[str], line: int) -> int:
    """The last line at or before ``line`` of ``masked`` (fences masked) where the block
    structure starts afresh: a line at column 0 after a blank line, not a quote. No container
    is open there -- a list item, admonition, tab or indented code block goes on only with
    indented lines, a quote only with ``>``, a paragraph only without a blank line between --
    so the lines from it parse to the same blocks alone as in the whole text; unless an HTML
    block that a blank line does not end may be open (any such opener before it: then 0).
    Why: the block parse is pure Python (~2 ms for a 10 KB page); a first build runs it on every
    page with an indented console fence, and such a fence sits in one admonition or list near
    the middle of a page. ``tests/test_scan_agree.py`` checks the fences and doubts it gives
    against the whole-text parse on the corpora, with an indented console fence put after
    every blank line of every page."""
    for start in range(min(line, len(masked) - 1), 0, -1):
        if masked[start][:1] not in ("", " ", "\t", ">", "\r") and \
                not masked[start - 1].strip(" \t\r"):
            break
    else:
        return 0
    if any(_HTML_ACROSS_BLANKS.search(ln) for ln in masked[:start]):
        return 0
    return start


def images_cut(masked: list[str]) -> int:
    """How many lines of ``masked`` (fences masked) the image search must parse: up to the
    first blank line after the last line that mentions a diagram.

    Why it is exact: fences are masked to non-blank lines, so that blank line is outside every
    fence; a blank line ends every paragraph (in lists, quotes, admonitions and tabs too), and
    no line after it changes the inline text of the lines before (what looks ahead -- a setext
    underline, a lazy continuation -- has no blank line in between; an HTML block is reported
    from its first line). ``tests/test_scan_agree.py`` checks it with a mention at every line
    of the corpora. Why: the parse is pure Python, ~40 ms for a 10 KB page on this machine,
    and a cold build scans every page that mentions a diagram.
    """
    last = max((i for i, ln in enumerate(masked) if DIAGRAM_SCHEME in ln), default=-1)
    for i in range(last + 1, len(masked)):
        if not masked[i].strip():
            return i
    return len(masked)


def _may_be_snippet(fence: CodeFence, languages: Collection[str]) -> bool:
    return fence.lang.lower() in languages or any(ln.startswith("$ ") for ln in fence.body)


def code_blocks(masked: str, blocks: Blocks = ALL_BLOCKS) -> list[tuple[int, int]]:
    """0-based, end-exclusive line ranges of the indented code blocks of ``masked`` (the text
    with fence lines masked): the block-structure parse, a pure function of the text and of
    the containers the site has."""
    return [(t.map[0], t.map[1]) for t in _structure_parser(blocks).parse(masked)
            if t.type == "code_block" and t.map]


def _drop_fences_in_code(result: Scan, code: list[tuple[int, int]]) -> None:
    """A fence inside an indented code block is code text to Python-Markdown (superfences
    reverts it): it is no fence, and one that looks like a console snippet is a doubt."""
    kept = []
    for f in result.fences:
        if any(a <= f.start < b for a, b in code):
            if f.lang.lower() == "console" or any(ln.startswith("$ ") for ln in f.body):
                result.doubts.append((f.start, "fence inside an indented code block: "
                                      "Python-Markdown shows it as code, nothing checks it"))
        else:
            kept.append(f)
    result.fences = kept


# -------------------------------------------------------------------------------- front matter
# mkdocs.utils.meta.YAML_RE: the front matter MkDocs removes before on_page_markdown
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def split_front_matter(source: str) -> tuple[str | None, str, int]:
    """``(front matter YAML or None, body as MkDocs hands it over, lines removed before it)``."""
    m = _FRONT_MATTER.match(source)
    if not m:
        return None, source, 0
    rest = source[m.end():]
    body = rest.lstrip("\n")
    return m.group(1), body, source[: len(source) - len(body)].count("\n")
