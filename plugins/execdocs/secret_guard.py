"""Render-time secret guard: nothing the shared rules detect reaches a published page.

The snippet check reports a secret in a capture as a problem, but a non-strict build goes on
and a failing one has already written pages; so whatever is about to be published is scanned
too, with the same rules (``execdocs.secrets``), as text a reader would see
(``execdocs.secret_html``).

* :func:`guard` / :func:`guard_html` (page content, before the search index reads it): each
  top-level block holding a secret is replaced by a visible error naming ``file:line``, except
  one an ``allow-secret`` directive stands before;
* :class:`PageScrubber` (the whole output page, last): each text run or attribute value
  holding a secret is replaced by ``[secret withheld]`` (``secret_html.scrub_html``), without
  scanning the theme's frame again on every page;
* :func:`scrub_toc` (titles, table-of-contents entries).
"""

from __future__ import annotations

import bisect
import html as htmllib
import re
from collections.abc import Callable
from dataclasses import dataclass

from execdocs import secret_html, secret_keywords, secrets
from execdocs.problems import Problem
from execdocs.secret_html import WITHHELD, found, scrub_html, scrub_text, segments
from execdocs.secret_memo import CleanMemo
from execdocs.snippets.store import Capture, display_path, dumps_capture
from execdocs.snippets.words import words

__all__ = ["ALLOW", "WIDE", "WINDOW", "WITHHELD", "Guarded", "Locate", "PageScrubber",
           "capture_source", "guard", "guard_html", "locate_in", "scrub_html", "scrub_text",
           "scrub_toc", "withheld_anchor"]

Locate = Callable[[str, str, str], str]
"""Given a secret's value, the line of the page's text that holds it (as a reader sees it:
markup dropped) and the non-empty line before that one, the ``file:line`` it came from (for
the error), or ``""``; called once per finding in the page's order, so the n-th call for a
value may name its n-th place."""

ALLOW = re.compile(r"<!--\s*execdocs:\s*allow-secret\b:?(?P<reason>.*?)-->", re.S)
"""The directive an author writes before a block that shows an example credential on purpose
(a documentation placeholder, a revoked demo token): the guard lets that one block through."""

# Rules whose match can reach any distance from where their context opens: a Secret's data
# (``kind: Secret`` anywhere in the text), a private key block left open (it runs to the end),
# a block scalar under a secret-naming key (every deeper-indented line after it, blank lines
# included; such a key holds one of secret_keywords.PREFILTER_WORDS), gitleaks' base64 of a
# JWT (``ZXlK``, its line breaks unbounded) and curl's quoted ``-u``/``--user`` value (any
# characters up to the closing quote). Supersets of what opens them: a text holding one is
# never scanned in pieces. Every other rule's match holds a bounded number of line breaks
# (tests/test_secret_reach.py measures each pattern).
_CURL_USER = r"(?:-u|--user)(?:=|[ \t]{0,5})[\"']"
WIDE = re.compile(r"kind[\\\"' \t:]+Secret\b|PRIVATE KEY|ZXlK|" + _CURL_USER
                  + r"|(?i:" + "|".join(map(re.escape, secret_keywords.PREFILTER_WORDS)) + r")"
                  r"[^\n:=]*[:=][ \t]*[|>][-+0-9]*"
                  r"[ \t]*(?:#.*)?$", re.M)


_CURL_USER_RE = re.compile(_CURL_USER)
# every place a block scalar opens (zero-width: openers inside another's comment count too)
_BLOCK_OPENS = re.compile(r"(?=[:=][ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$)", re.M)


def _opens_wide(text: str) -> bool:
    """Whether :data:`WIDE` finds something in ``text``, without running it over texts that
    lack what each of its patterns needs (its case-blind word alternation is slow)."""
    if "Secret" in text and WIDE.search(text):
        return True
    if "PRIVATE KEY" in text or "ZXlK" in text:
        return True
    if ("-u" in text or "--user" in text) and _CURL_USER_RE.search(text):
        return True
    if "|" not in text and ">" not in text:
        return False
    for m in _BLOCK_OPENS.finditer(text):  # a secret-naming word since the last \n, : or =
        at = m.start()
        key = text[max(text.rfind("\n", 0, at), text.rfind(":", 0, at),
                       text.rfind("=", 0, at)) + 1:at].lower()
        if any(word in key for word in secret_keywords.PREFILTER_WORDS):
            return True
    return False


@dataclass(frozen=True)
class Guarded:
    """What :func:`guard` made of a page's content."""

    html: str
    problems: list[Problem]
    wide: bool
    """Its text opens a context of unbounded reach (:data:`WIDE`): the page's final pass
    must see the whole page at once."""
    allowed: tuple[tuple[int, int], ...] = ()
    """(start, end) in ``html`` of each block an ``allow-secret`` directive let through."""
    anchors: tuple[tuple[str, str], ...] = ()
    """(old, new) id of each heading withheld: its notice carries the new one, for the table
    of contents' link (:func:`scrub_toc`); the old one, a slug of its title, may hold the
    secret's characters."""


def guard_html(page: str, where: str, locate: Locate | None = None, language: str = "ko"
               ) -> tuple[str, list[Problem]]:
    """``page`` (a page's content HTML) with every top-level block that holds a secret
    replaced by a visible error; one problem per block, at ``where`` (the page). See
    :func:`guard`."""
    guarded = guard(page, where, locate, language)
    return guarded.html, guarded.problems


def guard(page: str, where: str, locate: Locate | None = None, language: str = "ko",
          memo: CleanMemo | None = None) -> Guarded:
    """Withhold every top-level block of ``page`` (content HTML) that holds a secret, except
    one an ``<!-- execdocs: allow-secret: REASON -->`` comment stands right before.

    The error's words follow ``language`` (the site's ``theme.language``: Korean or English,
    other languages English), as the snippets' words do (``execdocs.snippets.words``).
    ``memo``: clean verdicts of earlier builds (``execdocs.secret_memo``); a page content
    found clean before is not scanned again, one holding a secret always is."""
    if not page:
        return Guarded(page, [], False)
    key = memo.key("content", page) if memo is not None else ""
    if memo is not None and (wide := memo.get(key)) is not None:
        return Guarded(page, [], bool(wide))
    seen = secret_html.text(page)  # a cheap look first: most pages hold no secret
    if "allow-secret" not in page and not secrets.matches(seen):
        opens = _opens_wide(seen)
        if memo is not None:
            memo.put(key, int(opens))
        return Guarded(page, [], opens)
    parsed = segments(page)  # the text to scan and, on a hit, where it came from
    text, segs, blocks = parsed
    problems: list[Problem] = []
    allowed = _allowed_blocks(page, blocks, where, problems)
    # where each finding is withheld: in a code block (<pre>), the lines of text it is on --
    # a manifest keeps its other 70 lines; else the smallest paragraph, heading, list item or
    # table cell around each piece of text it touches (secret_html.Segment.unit), else that
    # piece's top-level block
    hits: dict[tuple[int, int], tuple[str, str]] = {}  # (start, end) -> (kind, origin)
    coded: dict[tuple[int, int], tuple[str, str]] = {}  # a <pre>'s span -> (kind, origin)
    blank: set[int] = set()  # segments (indexes) of the lines withheld in code blocks
    # a top-level block's index -> (kind, origin) of a secret in an attribute outside any unit
    # (a snippet's data-copy, the command its <pre> shows too): that value alone is withheld
    valued: dict[int, tuple[str, str]] = {}
    withheld: set[int] = set()  # those lines of the text
    lines = text.split("\n")
    line_starts = [0]
    for ln in lines:
        line_starts.append(line_starts[-1] + len(ln) + 1)
    by_start = [s.text_start for s in segs]
    for finding, value, touched in found(page, parsed):
        # for every finding (the n-th call, the n-th place), with the line that holds it: a
        # short value ("5", "allow") is found in many places, its line in one
        before = next((ln for ln in reversed(lines[:finding.line - 1]) if ln.strip()), "")
        origin = locate(value, lines[finding.line - 1], before) if locate else ""
        first, last = finding.line - 1, finding.line - 1 + value.count("\n")
        lo, hi = line_starts[first], line_starts[min(last + 1, len(lines))]
        for seg in touched:
            if seg.block in allowed:
                continue
            if seg.attr and seg.unit[0] == -1:
                valued.setdefault(seg.block, (finding.kind, origin))
                blank.add(bisect.bisect_left(by_start, seg.text_start))
                continue
            if seg.code:
                coded.setdefault(seg.unit, (finding.kind, origin))
                withheld.update(range(first, last + 1))
                i = max(bisect.bisect_right(by_start, lo) - 1, 0)
                while i < len(segs) and segs[i].text_start < hi:
                    if segs[i].text_end > lo and segs[i].unit == seg.unit:
                        blank.add(i)
                    i += 1
                continue
            if seg.unit[0] != -1:
                span = seg.unit
            elif seg.block >= len(blocks):  # the joined text's last segment had no closed block
                span = blocks[-1] if blocks else (0, len(page))
            else:
                span = blocks[seg.block]
            hits.setdefault(span, (finding.kind, origin))
    # the edits, (start, end, text) in page order: a withheld span, or a line's piece of text
    # in a code block and the notice after that block; nothing inside a span withheld whole
    edits: list[tuple[int, int, str]] = []
    notes: list[tuple[int, str, str, bool]] = []  # (where, kind, origin, in code)
    renamed: dict[int, tuple[str, str]] = {}  # a withheld heading's start -> (old, new) id
    for start, end in sorted(hits):
        kind, origin = hits[start, end]
        heading = _HEADING_ID.match(page, start)
        anchor = ""
        if heading is not None and heading.end() <= end:
            anchor = withheld_anchor(len(renamed) + 1)
            renamed[start] = (htmllib.unescape(heading.group(1)), anchor)
        edits.append((start, end, _error_block(kind, origin or where, language, anchor=anchor)))
        notes.append((start, kind, origin, False))
    said: set[int] = set()  # text lines whose first piece says [secret withheld] already
    for i in sorted(blank):
        seg = segs[i]
        piece = page[seg.html_start:seg.html_end]
        attr = secret_html.ATTR.match(piece) if seg.attr else None
        if seg.attr:  # name="value": the name stays (an attribute's name holds no secret)
            edits.append((seg.html_start, seg.html_end,
                          f'{attr.group(1)}="{WITHHELD}"' if attr else WITHHELD))
            continue
        # a run of text may hold several lines (a block without highlighting is one run):
        # its HTML has the same line breaks as its text (no entity holds one)
        first = bisect.bisect_right(line_starts, seg.text_start) - 1
        parts = piece.split("\n")
        for j, part in enumerate(parts):
            if first + j in withheld and part.strip():  # blanks (the indent) hold nothing
                parts[j] = part[:len(part) - len(part.lstrip())] + (
                    "" if first + j in said else WITHHELD)
                said.add(first + j)
        new = "\n".join(parts)
        if new != piece:
            edits.append((seg.html_start, seg.html_end, new))
    for block, (kind, origin) in valued.items():
        # the notice after the block, unless a code block inside it has one (the command it
        # shows held the same value) or the block is withheld whole
        start, end = blocks[block] if block < len(blocks) else (0, len(page))
        if any(start <= s < end for s, _e in coded) or any(
                s <= start and end <= e for s, e in hits):
            continue
        edits.append((end, end, _error_block(kind, origin or where, language, lines=True)))
        notes.append((start, kind, origin, True))
    for (start, end), (kind, origin) in coded.items():
        # a numbered block (pymdownx.highlight's table style) has its <pre> in the table's
        # code cell: the notice goes after the table, not under the code column
        after = _TABLE_TAIL.match(page, end)
        at = after.end() if after else end
        edits.append((at, at, _error_block(kind, origin or where, language, lines=True)))
        notes.append((start, kind, origin, True))
    edits.sort(key=lambda e: (e[0], -e[1]))
    out, pos = [], 0
    replaced: list[tuple[int, int, int]] = []  # (start, end) in page -> length in the result
    anchors = []
    for start, end, new in edits:
        if start < pos:  # inside a span withheld already (a cell of a withheld list item)
            continue
        if start in renamed and new.startswith("<div id="):
            anchors.append(renamed[start])
        out.append(page[pos:start] + new)
        replaced.append((start, end, len(new)))
        pos = end
    out.append(page[pos:])
    covered = [(s, e) for s, e, _n in edits if (s, e) in hits]
    for start, kind, origin, in_code in sorted(notes):
        if in_code and any(s < start < e for s, e in covered):
            continue  # the code block is inside a block withheld whole
        source = origin or where
        label, _sep, line = origin.rpartition(":")
        own = label == where and line.isdigit()  # the page's own Markdown holds it
        what = "lines holding it were" if in_code else "block was"
        problems.append(Problem(where, int(line) if own else None,
                                f"{_article(kind)} {kind} was about to be published; the "
                                f"{what} withheld from the page and the search index",
                                detail=f"from {source}" if origin and not own else "",
                                hint="redact it at its source (execdocs capture does), and "
                                "rotate the credential if it was real; for an example value "
                                "shown on purpose, put <!-- execdocs: allow-secret: REASON --> "
                                "on the line before its block"))
    spans = []
    for index in sorted(allowed):  # where the allowed blocks are in the result
        start, end = blocks[index]
        delta = sum(size - (e - s) for s, e, size in replaced if e <= start)
        spans.append((start + delta, end + delta))
    return Guarded("".join(out), problems, _opens_wide(text), tuple(spans), tuple(anchors))


def _article(kind: str) -> str:
    """"a" or "an" before a kind's name (an aws-secret-key, a github-pat)."""
    return "an" if kind[:1] in "aeio" else "a"


def _allowed_blocks(page: str, blocks: list[tuple[int, int]], where: str,
                    problems: list[Problem]) -> set[int]:
    """Indexes of the blocks an ``allow-secret`` comment right before lets through."""
    allowed: set[int] = set()
    if "allow-secret" not in page:
        return allowed
    for index, (start, end) in enumerate(blocks):
        m = ALLOW.fullmatch(page, start, end)
        if m is None:
            continue
        if not m.group("reason").strip(" \t\n:"):
            problems.append(Problem(where, None, "'allow-secret' needs a reason; the block "
                                    "after it is guarded as any other",
                                    hint="<!-- execdocs: allow-secret: a revoked demo token -->"))
            continue
        nxt = index + 1
        while nxt < len(blocks) and not page[blocks[nxt][0]:blocks[nxt][1]].strip():
            nxt += 1
        if nxt < len(blocks):
            allowed.add(nxt)
    return allowed


_TABLE_TAIL = re.compile(r"\s*</div>\s*</td>\s*</tr>\s*(?:</tbody>\s*)?</table>")
_HEADING_ID = re.compile(r"""<h[1-6]\b[^>]*?\bid=["']([^"']*)["']""", re.I)


def _error_block(kind: str, source: str, language: str, lines: bool = False,
                 anchor: str = "") -> str:
    """The visible notice in place of a withheld block, or (``lines``) after a code block
    whose lines holding a secret show ``[secret withheld]``; ``anchor``: its id (a withheld
    heading's, which the table of contents links to)."""
    w = words(language)
    name = "withheld-lines" if lines else "withheld"
    body = w[name].format(source=htmllib.escape(source), kind=htmllib.escape(kind),
                          withheld=WITHHELD)
    ident = f'id="{anchor}" ' if anchor else ""
    return (f'<div {ident}class="admonition failure execdocs-withheld">'
            f'<p class="admonition-title">{htmllib.escape(w[name + "-title"])}</p>'
            f"<p>{body}</p></div>")


SEPARATOR = "\n\n"
"""Where :class:`PageScrubber` cuts a page into pieces: at every empty line (one C-level split;
a line of spaces does not cut, so a piece may span several blank lines: a coarser cut only
makes each run of pieces longer)."""
WINDOW = 8
"""Consecutive pieces of a page :class:`PageScrubber` scans together."""
_TAG_END = re.compile(r"""<[^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*>""")


def _cut_inside_markup(piece: str) -> bool:
    """Whether the page is cut inside markup after ``piece``: an empty line within a tag (its
    attributes spread over lines) or a comment is no blank line a reader sees, and what stands
    on both sides joins in the page's text. Fail closed: an opened ``<`` or ``<!--`` the piece
    does not plainly close counts as cut inside."""
    if piece.rfind("<!--") > piece.rfind("-->"):
        return True
    lt = piece.rfind("<")
    if lt == -1:
        return False
    tail = piece[lt:]
    if ">" not in tail:
        return True
    if '"' not in tail and "'" not in tail:
        return False  # the tag ends at its first '>'
    m = _TAG_END.match(tail)
    return m is None  # a quote the piece does not close: the cut may be inside its value


class PageScrubber:
    """The last pass over every page's whole HTML (:func:`scrub_html`), at a cost that does not
    grow with the square of the number of pages.

    Every page repeats the theme's frame (header, a navigation listing every page, footer): on
    a site of 300 pages, scanning each page's whole text again cost more than the rest of the
    build. So the page is cut into pieces at empty lines (the frame's template is full of them)
    and every run of :data:`WINDOW` consecutive pieces is scanned with the whole rule set once
    per distinct run, remembered across pages and rebuilds (a clean text stays clean). The runs
    not seen before are scanned together with their neighbours, as one text per stretch of the
    page they cover. The page's content, already scanned whole by :func:`guard`, is left out
    when it is found in the page exactly as the guard returned it (if a plugin changed it
    afterwards, it is scanned here). Any finding sends the page through :func:`scrub_html`,
    the exact pass over the whole page, which replaces what it finds.

    A rule match is seen in pieces when it lies within :data:`WINDOW` consecutive pieces: every
    rule whose match reaches further (a Secret's data, an open private key block, a secret's
    block scalar: :data:`WIDE`) makes the page go through the exact pass whenever what opens
    it occurs anywhere in the page, content included. A cut inside a tag or a comment (an
    empty line there is no blank line of the text: the two sides join) sends the page to the
    exact pass too. What stays unseen is only a bounded match spread over more than seven
    empty lines of the text, which no rule's few characters of blank space between a key
    and its value allow.
    """

    def __init__(self, limit: int = 500_000, memo: CleanMemo | None = None) -> None:
        self.memo = memo
        """Clean verdicts on whole pages across builds (``execdocs.secret_memo``): a page
        found clean before, with its content as guarded then, is not cut or scanned again."""
        # runs are kept as the hashes of their pieces (str hashes are keyed per process: no
        # page can be made to collide on purpose); set operations keep the per-page work in C
        self.clean: set[int] = set()
        self.wide: set[int] = set()
        """Clean runs whose text opens a wide context (:data:`WIDE`)."""
        self.pieces: set[str] = set()
        """Pieces of clean pages that end outside markup (:func:`_cut_inside_markup`)."""
        self.texts: dict[str, str] = {}
        """Each piece's text (``secret_html.text``), worked out once."""
        self.plain: set[int] = set()
        """Stretch texts scanned clean that open no wide context."""
        self.limit = limit
        """Runs remembered at most (the memo is emptied beyond, e.g. after long serving)."""
        self.scanned = 0
        """Pieces scanned so far: what the memo saves shows in tests."""
        self.exact = 0
        """Pages that went through the exact pass."""
        self.known = 0
        """Pages the memo knew clean (not cut or scanned)."""

    def scrub(self, page: str, guarded: Guarded | None = None) -> tuple[str, int]:
        """``page`` with every secret replaced, and how many were found (see
        :func:`scrub_html`); ``guarded``: what :func:`guard` made of the page's content."""
        at = page.find(guarded.html) if guarded and guarded.html else -1
        if self.memo is None:
            return self._scrub(page, guarded, at)
        # the verdict reads the page, and where the guarded content stands in it and what the
        # guard said of it (left out of the scan, its allowed blocks kept, its wide context)
        read = (at, len(guarded.html), guarded.allowed, guarded.wide) \
            if at != -1 and guarded is not None else (-1,)
        key = self.memo.key("page", page, *read)
        if self.memo.get(key) is not None:
            self.known += 1
            return page, 0
        output, found = self._scrub(page, guarded, at)
        if not found and output == page:
            self.memo.put(key)
        return output, found

    def _scrub(self, page: str, guarded: Guarded | None, at: int) -> tuple[str, int]:
        rest = page
        keep: tuple[tuple[int, int], ...] = ()
        if at != -1 and guarded is not None:  # the content as guarded: a block stands in
            rest = page[:at] + "\n\n<div></div>\n\n" + page[at + len(guarded.html):]
            keep = tuple((at + s, at + e) for s, e in guarded.allowed)
            if guarded.wide:
                return self._exact(page, keep)
        pieces = rest.split(SEPARATOR)
        # every run of WINDOW consecutive pieces (shorter tails are dropped: strict=False)
        runs = list(zip(*(pieces[i:] for i in range(min(WINDOW, len(pieces)))), strict=False))
        keys = list(map(hash, runs))
        present = set(keys)
        if not self.wide.isdisjoint(present):
            return self._exact(page, keep)
        new = present - self.clean
        if not new:
            return page, 0
        # pieces not seen before (the frame's are checked once): one cut inside a tag, and the
        # runs around it may not hold what the tag's two sides say together
        fresh = set(pieces).difference(self.pieces)
        if any(map(_cut_inside_markup, fresh)):
            return self._exact(page, keep)
        # where each new run starts (a run twice on the page is the same text: scanned once)
        at_key = dict(zip(keys, range(len(keys)), strict=True))
        starts = sorted(at_key[key] for key in new)
        stretches: list[list[int]] = []  # the pieces the new runs cover, each one text
        for i in starts:
            end = i + len(runs[i])
            if stretches and i <= stretches[-1][1]:
                stretches[-1][1] = end
            else:
                stretches.append([i, end])
        self.scanned += sum(end - start for start, end in stretches)
        # a stretch's text is its pieces' texts (no piece ends inside markup, so each is whole
        # tags and text runs; each piece's attribute values follow its own text), and a text
        # scanned clean before (the navigation's, whatever item is active) is not scanned again
        texts = ["\n\n".join(map(self._text, pieces[start:end])) for start, end in stretches]
        novel = [(n, text) for n, text in enumerate(texts) if hash(text) not in self.plain]
        if novel and secrets.matches("\n\n\n".join(text for _n, text in novel)):
            return self._exact(page, keep)
        if len(self.clean) + len(new) > self.limit:
            self.clean.clear()
            self.wide.clear()
            self.pieces.clear()
            self.plain.clear()
            self.texts.clear()
        self.clean |= new
        self.pieces |= fresh
        opened = {n for n, text in novel if _opens_wide(text)}  # stretches opening a wide rule
        self.plain.update(hash(text) for n, text in novel if n not in opened)
        if not opened:
            return page, 0
        spans = [stretches[n] for n in opened]
        self.wide.update(keys[i] for i in starts if any(s <= i < e for s, e in spans))
        return self._exact(page, keep)

    def _text(self, piece: str) -> str:
        text = self.texts.get(piece)
        if text is None:
            text = self.texts[piece] = secret_html.text(piece)
        return text

    def _exact(self, page: str, keep: tuple[tuple[int, int], ...]) -> tuple[str, int]:
        self.exact += 1
        return scrub_html(page, keep)


def scrub_toc(page: object, renamed: tuple[tuple[str, str], ...] = ()) -> None:
    """Replace secrets in a page's title and its table-of-contents titles (what the search
    index and the navigation show besides the content); ``page`` is a MkDocs page.
    ``renamed``: :attr:`Guarded.anchors`, the ids of the headings the guard withheld: their
    entries link to the notice that stands in their place."""
    title = getattr(page, "title", None)
    if isinstance(title, str) and secrets.matches(title):
        page.title = scrub_text(title)  # type: ignore[attr-defined]
    new_ids = dict(renamed)
    stack = list(getattr(page, "toc", None) or [])
    withheld = len(new_ids)
    while stack:
        item = stack.pop()
        ident = getattr(item, "id", None)
        if isinstance(ident, str) and ident in new_ids:
            item.id = new_ids[ident]
        if isinstance(getattr(item, "title", None), str) and secrets.matches(item.title):
            item.title = scrub_text(item.title)
            if not (isinstance(ident, str) and ident in new_ids):
                # its anchor was made from the title: a slug keeps the secret's characters
                # (lower-cased, punctuation dropped), in the sidebar's links and the index
                withheld += 1
                item.id = withheld_anchor(withheld)
        stack.extend(getattr(item, "children", None) or [])


def withheld_anchor(n: int) -> str:
    """The anchor given to the n-th table-of-contents entry whose title held a secret."""
    return f"execdocs-withheld-{n}"


def capture_source(capture: Capture) -> tuple[str, str]:
    """(label, text) of a loaded capture for :func:`locate_in` (its file's lines, from what
    the store loaded: the file is not read again)."""
    return display_path(capture.path or "capture"), dumps_capture(capture)


_TOKENS = re.compile(r"[^\W_]+")


def locate_in(sources: list[tuple[str, str]]) -> Locate:
    """A :data:`Locate` that looks in ``sources`` (label, text: the page's Markdown, the
    capture files it shows) for the line of text that holds the value, as written; else for
    that line's words in order on one line (inline markup, a link, between them); else for the
    value's first line. The same needle asked again is looked for after the place found last
    (the guard asks once per finding, in the page's order), so two blocks showing one secret
    are named at their own lines."""
    after: dict[str, tuple[int, int]] = {}  # needle -> (source, position) of its last place
    # where the last finding was placed: findings come in the page's order, so the next one is
    # looked for after it first (the same line of text may stand earlier, not withheld: a
    # ConfigMap's before the Secret's)
    cursor: list[tuple[int, int]] = [(0, 0)]

    def find(needle: str, pattern: re.Pattern[str] | None = None) -> str:
        here = after.get(needle, (0, 0))
        got = search(needle, pattern, max(here, cursor[0]))
        return got or search(needle, pattern, here) or last(needle)

    def search(needle: str, pattern: re.Pattern[str] | None, start_at: tuple[int, int]) -> str:
        first, pos = start_at
        for n in range(first, len(sources)):
            label, text = sources[n]
            start = pos if n == first else 0
            if pattern is None:
                at, size = text.find(needle, start), len(needle)
            else:
                m = pattern.search(text, start)
                begin = (m.start("at") if "at" in pattern.groupindex else m.start()) if m else -1
                at, size = (begin, m.end() - begin) if m else (-1, 0)
            if at != -1:
                after[needle] = cursor[0] = (n, at + max(size, 1))
                return f"{label}:{text.count(chr(10), 0, at) + 1}"
        return ""

    def last(needle: str) -> str:
        if needle in after:  # more findings than places: name the last place again
            n, at = after[needle]
            label, text = sources[n]
            return f"{label}:{text.count(chr(10), 0, max(at - 1, 0)) + 1}"
        return ""

    def locate(value: str, line: str = "", before: str = "") -> str:
        value_line = next((ln.strip() for ln in value.splitlines() if ln.strip()), "")
        if not value_line:
            return ""
        held = line.strip()
        if value_line in held:
            # a source line that is that line, after the line of text before it (the same
            # line may stand in a ConfigMap before the Secret), then that line alone (a code
            # block's line is written as it reads; prose with it in backticks is not the place)
            pair = re.compile(r"(?m)^[ \t>]*" + re.escape(before.strip()) + r"[ \t]*\r?\n"
                              r"(?P<at>[ \t>]*" + re.escape(held) + r")[ \t]*\r?$")
            whole = re.compile(r"(?m)^[ \t>]*" + re.escape(held) + r"[ \t]*\r?$")
            if ((before.strip() and (got := find("\2" + before + "\n" + held, pair)))
                    or (got := find("\1" + held, whole)) or (got := find(held))):
                return got
        words = _TOKENS.findall(held)[:12]
        if len(words) > 1 and value_line in held:
            gap = r"[^\n]*?"
            fuzzy = re.compile(gap.join(map(re.escape, words)))
            if got := find("\0" + held, fuzzy):
                return got
        return find(value_line)
    return locate
