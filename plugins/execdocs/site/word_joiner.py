"""Keep a Korean word whole where it holds a bracket: 런타임(containerd)과 stays on one line.

``word-break: keep-all`` stops browsers from breaking between Hangul letters, but the Unicode line
breaking rules (UAX #14) still allow a break between a Hangul syllable and an opening bracket
(``런타임|(containerd)``) and between a closing bracket or a dot and the Hangul that follows
(``(containerd)|과``, ``...|가``). In Korean both sides are one word (어절): the particle belongs
to what precedes it, and a line that starts with ``과`` or a heading split before its
parenthesis reads as a broken word. No CSS property forbids those breaks, so :func:`join`
puts U+2060 WORD JOINER (invisible, zero width, no break on either side) between the two
characters in the page's text.

Only text is touched: never a tag or an attribute (so ids, links and copied code stay as they
were), nothing before ``<body``, nothing inside ``pre``, ``code``, ``kbd``, ``script``,
``style``, ``textarea`` or ``svg``. A pair may straddle an inline tag
(``<strong>CRI(...)</strong>라는``); any other tag ends the word. The search index is built
before this runs (MkDocs' ``on_page_context``), so it holds no joiners; the browser's find in
page ignores them; text copied from the prose carries them, invisibly.
"""

from __future__ import annotations

import bisect
import re

WORD_JOINER = "\u2060"

_OPEN = "([{「『“‘"
_CLOSE = ")]}」』”’.…"
# Tags a word may run across (anything else is a block, a line break or an image).
_INLINE_TAG = (r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small"
               r"|span|strong|sub|sup|time|u|var)\b[^>]*>")
# Where a joiner goes: after a syllable that an opening bracket follows (group ``after``), or
# before a syllable that follows a closing bracket or a dot (the match's end); inline tags may
# sit in between. Each match starts with a plain character class: far faster than lookbehinds.
_PLACE = re.compile(
    rf"(?P<after>[\uac00-\ud7a3])(?=(?:{_INLINE_TAG})*[{re.escape(_OPEN)}])"
    rf"|[{re.escape(_CLOSE)}](?:{_INLINE_TAG})*(?=[\uac00-\ud7a3])"
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Elements whose text is left exactly as it is: code is copied, svg text is laid out by dot.
# Block ones end a word and are not even searched; inline ones may touch a word (``<code>x</code>
# 가``), so the search runs across them and only places inside them are dropped.
_BLOCK_VERBATIM = frozenset({"pre", "script", "style", "textarea", "svg"})
_VERBATIM_TAG = re.compile(r"<(/?)(pre|code|kbd|samp|script|style|textarea|svg)\b[^>]*?(/?)>",
                           re.I)


def _verbatim_spans(html: str, start: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Outermost verbatim elements after ``start`` as (start, end): (block ones, inline ones)."""
    block: list[tuple[int, int]] = []
    inline: list[tuple[int, int]] = []
    open_names: list[str] = []
    opened = 0
    for m in _VERBATIM_TAG.finditer(html, start):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if self_closing:
            continue
        if not closing:
            if not open_names:
                opened = m.start()
            open_names.append(name)
        elif name in open_names:
            outermost = open_names[0]
            del open_names[len(open_names) - 1 - open_names[::-1].index(name):]
            if not open_names:
                (block if outermost in _BLOCK_VERBATIM else inline).append((opened, m.end()))
    if open_names:  # unclosed: verbatim to the end
        block.append((opened, len(html)))
    return block, inline


def _gaps(html: str, start: int, skipped: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of ``html`` from ``start`` that no skipped span covers."""
    gaps: list[tuple[int, int]] = []
    for begin, end in sorted(skipped):
        if begin > start:
            gaps.append((start, begin))
        start = max(start, end)
    gaps.append((start, len(html)))
    return gaps


def join(html: str) -> str:
    """``html`` with a word joiner inside each bracketed Korean word of the body's text."""
    body = html.find("<body")
    if body == -1:
        return html
    block, inline = _verbatim_spans(html, body)
    comments = [m.span() for m in _COMMENT.finditer(html, body)]
    inline_starts = [span[0] for span in inline]
    out: list[str] = []
    last = 0
    # Only text outside block verbatim elements and comments is searched: on a page with a
    # diagram and command outputs that is a third of its bytes.
    for gap_start, gap_end in _gaps(html, body, block + comments):
        for m in _PLACE.finditer(html, gap_start, gap_end):
            pos = m.end("after") if m.group("after") else m.end()
            i = bisect.bisect_left(inline_starts, pos) - 1  # the last inline span opened before
            if (i >= 0 and pos < inline[i][1]) or html.rfind("<", 0, pos) > html.rfind(">", 0, pos):
                continue  # inside inline code, or inside a tag (an attribute value)
            out.append(html[last:pos])
            out.append(WORD_JOINER)
            last = pos
    out.append(html[last:])
    return "".join(out)
