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

_HANGUL = "\uac00-\ud7a3"
_OPEN = "([{「『“‘"
_CLOSE = ")]}」』”’.…"
# Tags a word may run across (anything else is a block, a line break or an image).
_INLINE_TAG = (r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small"
               r"|span|strong|sub|sup|time|u|var)\b[^>]*>")
# Where a joiner goes: after a syllable that an opening bracket follows (_AFTER, the place is
# the match's end), or before a syllable that follows a closing bracket or a dot (_BEFORE, the
# match's end); inline tags may sit in between. Both together are the one rule
# ``[syllable](?=tags*[open])|[close]tags*(?=[syllable])`` scanned left to right; the two are
# matched separately only at the places that :func:`_candidates` finds cheaply.
_AFTER = re.compile(rf"[{_HANGUL}](?=(?:{_INLINE_TAG})*[{re.escape(_OPEN)}])")
_BEFORE = re.compile(rf"[{re.escape(_CLOSE)}](?:{_INLINE_TAG})*(?=[{_HANGUL}])")
# A dot is the one common closing character (file names, sentences): its candidates are found
# by one scan with a literal first character, which runs at memory speed, unlike a class.
_DOT = re.compile(rf"\.(?=[<{_HANGUL}])")
_RARE_CLOSE = _CLOSE.replace(".", "")
_IS_HANGUL = re.compile(f"[{_HANGUL}]").match
# Elements whose text is left exactly as it is: code is copied, svg text is laid out by dot.
# Block ones end a word and are not even searched; inline ones may touch a word (``<code>x</code>
# 가``), so the search runs across them and only places inside them are dropped.
_BLOCK_VERBATIM = frozenset({"pre", "script", "style", "textarea", "svg"})
# ``<pre>``, ``</code ...>``: the names factored by first letter and a lookahead on it, so the
# many other tags fail on their first letter; a tag is self-closing when ``/`` precedes its ``>``.
_VERBATIM_TAG = re.compile(
    r"<(?=/?[ckpst])(/?)(pre|code|kbd|s(?:amp|cript|tyle|vg)|textarea)\b[^>]*>", re.I)


def _verbatim_spans(html: str, start: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Outermost verbatim elements after ``start`` as (start, end): (block ones, inline ones)."""
    block: list[tuple[int, int]] = []
    inline: list[tuple[int, int]] = []
    open_names: list[str] = []
    opened = 0
    for m in _VERBATIM_TAG.finditer(html, start):
        if html[m.end() - 2] == "/":  # self-closing
            continue
        closing, name = m.group(1), m.group(2).lower()
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


def _comments(html: str, start: int) -> list[tuple[int, int]]:
    """``<!-- ... -->`` after ``start`` as (start, end); an unterminated one is not a comment."""
    spans = []
    bang = html.find("!", start + 1)  # one character: memchr, where "<!--" is a slower search
    while bang != -1:
        if html.startswith("<!--", bang - 1):
            end = html.find("-->", bang + 3)
            if end == -1:
                break
            spans.append((bang - 1, end + 3))
            bang = html.find("!", end + 4)
        else:
            bang = html.find("!", bang + 1)
    return spans


def _gaps(html: str, start: int, skipped: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of ``html`` from ``start`` that no skipped span covers."""
    gaps: list[tuple[int, int]] = []
    for begin, end in sorted(skipped):
        if begin > start:
            gaps.append((start, begin))
        start = max(start, end)
    gaps.append((start, len(html)))
    return gaps


def _occurrences(html: str, chars: str, start: int) -> list[int]:
    """Positions of any of ``chars`` from ``start`` (``str.find`` per character: memchr)."""
    found = []
    for char in chars:
        at = html.find(char, start)
        while at != -1:
            found.append(at)
            at = html.find(char, at + 1)
    return found


def _candidates(html: str, body: int) -> tuple[list[int], list[int]]:
    """Where :data:`_AFTER` and :data:`_BEFORE` may match: a superset, cheap to find.

    Every match involves a bracket: an opening one ends an ``_AFTER`` lookahead, a closing one
    starts a ``_BEFORE`` match. So: each opening bracket with a syllable right before it, or
    inline tags between it and a syllable (walked back tag by tag: a tag holds no ``>``, so it
    starts at a ``<`` after the previous ``>``); each closing bracket with a syllable or ``<``
    right after it.
    """
    after = []
    for k in _occurrences(html, _OPEN, body + 1):
        p = k
        while True:
            if _IS_HANGUL(html, p - 1):
                after.append(p - 1)
                break
            if html[p - 1] != ">":
                break
            gt = html.rfind(">", body, p - 1)
            lt = html.find("<", gt + 1, p - 1)
            while lt != -1:  # each '<' after the previous '>' may start the last tag
                if _IS_HANGUL(html, lt - 1):
                    after.append(lt - 1)
                lt = html.find("<", lt + 1, p - 1)
            if gt == -1 or html[gt + 1] != "<":
                break
            p = gt + 1  # the previous tag ends right before this one: walk on
    before = [m.start() for m in _DOT.finditer(html, body)]
    for c in _occurrences(html, _RARE_CLOSE, body):
        if c + 1 < len(html) and (html[c + 1] == "<" or _IS_HANGUL(html, c + 1)):
            before.append(c)
    return after, before


def join_fragment(html: str) -> str:
    """``html``, markup put into a joined page's body afterwards (a diagram's caption), with
    the joiners :func:`join` would put into it there; a word is not followed across its edges
    (the caller puts in fragments that start and end with a tag that ends a word)."""
    return join("<body>" + html)[len("<body>"):]


def join(html: str) -> str:
    """``html`` with a word joiner inside each bracketed Korean word of the body's text."""
    body = html.find("<body")
    if body == -1:
        return html
    after, before = _candidates(html, body)
    # Most brackets join nothing; checked against the whole page first (a superset of the
    # matches inside the page's searched stretches), the spans are only worked out if needed.
    after = [i for i in after if _AFTER.match(html, i)]
    before = [c for c in before if _BEFORE.match(html, c)]
    if not after and not before:
        return html
    block, inline = _verbatim_spans(html, body)
    # Only text outside block verbatim elements and comments is searched, each stretch on its
    # own (a match ends at the stretch's end).
    gaps = _gaps(html, body, block + _comments(html, body))
    gap_starts = [start for start, _ in gaps]

    def gap_end(pos: int) -> int:
        """End of the searched stretch holding ``pos``, or -1 when none holds it."""
        start, end = gaps[bisect.bisect_right(gap_starts, pos) - 1]
        return end if start <= pos < end else -1

    places = []
    taken: list[tuple[int, int]] = []  # _BEFORE matches, left to right: none overlaps another
    last = -1
    for c in sorted(set(before)):
        end = gap_end(c)
        m = _BEFORE.match(html, c, end) if c >= last and end != -1 else None
        if m:
            taken.append(m.span())
            places.append(m.end())
            last = m.end()
    taken_starts = [start for start, _ in taken]
    for i in set(after):
        end = gap_end(i)
        if end == -1 or not _AFTER.match(html, i, end):
            continue
        k = bisect.bisect_left(taken_starts, i) - 1  # a scan resumes after a match it found
        if k >= 0 and i < taken[k][1]:
            continue
        places.append(i + 1)

    inline_starts = [span[0] for span in inline]
    out: list[str] = []
    last = 0
    for pos in sorted(places):
        i = bisect.bisect_left(inline_starts, pos) - 1  # the last inline span opened before
        if (i >= 0 and pos < inline[i][1]) or html.rfind("<", 0, pos) > html.rfind(">", 0, pos):
            continue  # inside inline code, or inside a tag (an attribute value)
        out.append(html[last:pos])
        out.append(WORD_JOINER)
        last = pos
    out.append(html[last:])
    return "".join(out)
