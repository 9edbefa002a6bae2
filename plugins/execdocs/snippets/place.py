"""Put rendered snippets into a page: fences become placeholders in Markdown, then HTML.

Python-Markdown never sees a console fence: each one (with its directive comment) is replaced
in the Markdown by a one-word placeholder paragraph at the fence's indentation, so it works the
same inside admonitions, content tabs and lists; after conversion the placeholder paragraph is
swapped for the snippet's HTML. A Pygments prompt (``class="gp"``) left in the HTML means a
console block reached Python-Markdown without being checked -- that is reported, never ignored.
"""

from __future__ import annotations

import re
import secrets as _random

from execdocs.problems import Problem
from execdocs.snippets.parse import Fence

_PROMPT_HTML = re.compile(r'<span class="gp">')
# mkdocs.utils.meta.YAML_RE: the front matter MkDocs removes before on_page_markdown
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def new_nonce() -> str:
    """A per-build random word so a page cannot contain a placeholder by accident."""
    return _random.token_hex(4)


def placeholder(nonce: str, index: int) -> str:
    """The placeholder word for fence ``index`` (letters and digits only: Markdown leaves it)."""
    return f"execdocs{nonce}snippet{index}x"


def front_matter_offset(source: str, markdown: str) -> int:
    """Lines MkDocs removed from the top of ``source`` (front matter and the blanks after it).

    When ``markdown`` is still the tail of ``source`` the answer is exact; otherwise (another
    plugin edited the page first) it is worked out from the front matter as MkDocs strips it.
    """
    if source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    m = _FRONT_MATTER.match(source)
    if not m:
        return 0
    rest = source[m.end():]
    return source[: len(source) - len(rest.lstrip("\n"))].count("\n")


def replace_fences(markdown: str, offset: int, fences: list[Fence], nonce: str,
                   page: str) -> tuple[str, dict[int, Fence], list[Problem]]:
    """Replace each fence (and its directive) with a placeholder paragraph.

    ``offset`` is ``front_matter_offset``; fence lines are the page file's. Returns the new
    Markdown, placeholder index -> fence, and problems for fences that could not be found where
    the parser saw them (another plugin changed the line count).
    """
    lines = markdown.split("\n")
    placed: dict[int, Fence] = {}
    problems: list[Problem] = []
    for index, fence in sorted(enumerate(fences), key=lambda item: -item[1].line):
        first = (fence.directive_line or fence.line) - 1 - offset
        open_at = fence.line - 1 - offset
        last = fence.end_line - 1 - offset
        if not (0 <= first <= open_at <= last < len(lines)) or not (
            lines[open_at].lstrip(" >").startswith(("```", "~~~"))
        ):
            problems.append(Problem(page, fence.line, "console fence not found where it was "
                                    "parsed; its output was not placed",
                                    hint="another plugin changed the page's lines before "
                                    "execdocs"))
            continue
        blank = fence.indent.rstrip()
        lines[first : last + 1] = [blank, fence.indent + placeholder(nonce, index), blank]
        placed[index] = fence
    return "\n".join(lines), placed, problems


def insert_html(html: str, nonce: str, blocks: dict[int, str]) -> tuple[str, list[int]]:
    """Swap placeholders for HTML blocks in one pass; returns the HTML and the indexes not found."""
    found: set[int] = set()

    def swap(m: re.Match[str]) -> str:
        index = int(m.group(1))
        if index not in blocks or index in found:
            return m.group(0)
        found.add(index)
        return blocks[index]

    # the placeholder stands alone between blank lines, so Markdown made it a paragraph
    pattern = re.compile(rf"(?:<p>\s*)?execdocs{nonce}snippet(\d+)x(?:\s*</p>)?")
    return pattern.sub(swap, html), sorted(set(blocks) - found)


def unchecked_prompts(html: str) -> int:
    """How many Pygments console prompts are in ``html`` (should be none before insertion)."""
    return len(_PROMPT_HTML.findall(html))
