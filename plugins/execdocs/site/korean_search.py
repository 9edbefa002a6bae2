"""Korean-aware search for Material for MkDocs' lunr index, without touching its JavaScript.

Material's browser search splits both the indexed text and the typed query with one regular
expression, ``config.separator`` in ``search/search_index.json``, then matches every query term
as a prefix (it appends ``*``). Korean glues particles and endings to words (``컨테이너가``,
``실행하는``), builds compounds without spaces (``고가용성``) and is spaced inconsistently
(``컨트롤 플레인`` / ``컨트롤플레인``), so the default ``[\\s\\-]+`` misses those forms.

Three changes, all data in the index:

1. :data:`SEPARATOR` also cuts punctuation and a trailing particle/ending off a word. Because the
   browser applies the same expression to documents and queries, ``컨테이너가`` and ``컨테이너를``
   both become ``컨테이너``; the expression only has to be consistent, not linguistically exact.
2. :func:`separator_for` adds a zero-width split for the two-word Hangul phrases the site
   writes with a space (``컨트롤 플레인``), so the query ``컨트롤플레인`` is cut into the same two
   words and ranks exactly like ``컨트롤 플레인``. The split applies only when the whole input is
   one short Hangul word (a query term), so document text is left as written.
3. :func:`hidden_terms` adds fields (:data:`FIELDS`, not displayed) with the suffixes of each
   Hangul word (``가용성`` from ``고가용성``), so a prefix query also finds a word's parts.

The base :data:`SEPARATOR` is written in the common subset of JavaScript and Python regular
expressions (fixed-width lookbehinds, ``\\uXXXX`` escapes, no flags). The phrase part needs a
variable-length lookbehind, which Python's ``re`` lacks, so :func:`split` reproduces it step by
step; a browser test runs the real expression in Chromium and compares the tokens of every text
of the site.

:func:`split`, :func:`phrases` and :func:`hidden_terms` are the definition, written for
reading. :func:`augment_index` gets the same result at a fraction of the cost (a 300-page site's
index has 300,000 words and 3,000 distinct Hangul ones): it cuts each text into whitespace
words with ``str.split`` and analyses each distinct word once (:class:`_Words`), which is exact
because no separator match and no lookbehind of :data:`SEPARATOR` crosses white space (see
:class:`_Words`). Tests compare it with the definition on real and adversarial texts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, compress, count, islice
from operator import not_, sub
from typing import Any

FIELDS = {"ko_title": 500.0, "ko_text": 0.5}
"""Hidden index fields and their weights: the extra terms of a section's title and of its text.

Each weighs half its visible counterpart (Material: title 1000, text 1), so a literal match still
ranks first while a word part found in a title outranks the same part found in running text.
"""

_HANGUL = "\\uac00-\\ud7a3"
# Characters that end a word: whitespace and the punctuation seen in the notes (paths, flags,
# parentheses, quotes, arrows). Material's default splits only on whitespace and "-", so
# "(containerd)" or "환경변수/시크릿" stayed one token and "containerd*" or "시크릿*" missed it.
_PUNCT = (
    "\\s\\-.,:;!?()\\[\\]{}<>/\\\\|\"'`=+*&%#@~^"
    "\\u00b7\\u2026\\u2018\\u2019\\u201c\\u201d\\u2190-\\u2193\\u3001\\u3002\\u300c-\\u300f"
)

# Particles (조사) and the endings of 하다/되다/이다 predicates that the notes use. Cut only at a
# word's end, after two Hangul syllables, a Latin letter/digit or a closing bracket/quote
# (`(admission)을`), so short words survive. Not 인 (이다): too many loanwords end in it
# (플레인, 플러그인, 파이프라인).
PARTICLES: tuple[str, ...] = (
    # 조사
    "이", "가", "을", "를", "은", "는", "의", "에", "에서", "에게", "께서", "으로", "로", "와",
    "과", "도", "만", "까지", "부터", "보다", "처럼", "마다", "이나", "나", "이랑", "랑", "에는",
    "에서는", "으로는", "로는", "와는", "과는", "에도", "에서도", "으로도", "로도", "이라는",
    "라는", "이란", "란", "이라고", "라고", "이며", "이고", "이다", "입니다", "이에요",
    "예요", "이죠",
    # 하다/되다 endings
    "하는", "하고", "하며", "하면", "하면서", "하여", "해", "해서", "해도", "해야", "했다", "했고",
    "했음", "했던", "했습니다", "합니다", "한다", "한", "할", "함", "하지", "하게", "하기",
    "하려면", "할지", "하는지", "해요", "되는", "되고", "되며", "되면", "된", "될", "됨", "됩니다",
    "된다", "돼", "돼서", "돼도", "됐다", "시키는", "시킨다",
)

_PARTICLES_BY_LENGTH = sorted(set(PARTICLES), key=lambda p: (-len(p), p))
_PARTICLE_SPLIT = (
    f"(?:(?<=[{_HANGUL}]{{2}})|(?<=[A-Za-z0-9)\\]\"'\u2019\u201d]))"
    f"(?:{'|'.join(_PARTICLES_BY_LENGTH)})"
    f"(?=[{_PUNCT}]|$)"
)

SEPARATOR = f"[{_PUNCT}]+|{_PARTICLE_SPLIT}"
"""The site-independent part of the ``separator`` (JavaScript and Python compatible)."""

_SEPARATOR_RE = re.compile(SEPARATOR)
_HANGUL_RE = re.compile(f"[{_HANGUL}]")
_HANGUL_WORD_RE = re.compile(f"[{_HANGUL}]{{2,}}")
# Inline tags sit inside words (`<code>kubelet</code>이`); any other tag separates text.
_INLINE_TAG_RE = re.compile(
    r"</?(?:a|abbr|b|code|em|i|kbd|mark|small|span|strong|sub|sup|u)(?:\s[^>]*)?>", re.I
)
_TAG_RE = re.compile(r"<[^>]*>")

Pairs = frozenset[tuple[str, str]]
"""Spaced two-word phrases of a site, as found by :func:`phrases`."""


@dataclass(frozen=True)
class Augmented:
    """What :func:`augment_index` added."""

    terms: int
    """Hidden terms over all documents."""
    phrases: int
    """Spaced two-word phrases that a query now splits when they are written together."""


def _phrase_cuts(text: str, pairs: Pairs) -> tuple[list[int], int] | None:
    """Where the browser cuts a whole-Hangul ``text`` with :func:`separator_for`.

    Returns the phrase split positions and where the text ends once a trailing particle is cut,
    or None when no phrase split applies (the base separator then says it all). Mirrors the
    expression position by position: the leftmost match wins, a particle running to the end
    (tried first) ends the scan, a phrase split is an empty match.
    """
    if not pairs or not _HANGUL_WORD_RE.fullmatch(text):
        return None
    first_max, second_max = _guard_lengths(pairs)
    firsts = {a for a, _ in pairs}
    seconds = {b for _, b in pairs}
    cuts: list[int] = []
    end = len(text)
    for k in range(2, len(text)):
        if text[k:] in PARTICLES:
            end = k
            break
        if (
            k <= first_max
            and 2 <= len(text) - k <= second_max
            and text[:k] in firsts
            and any(
                text[k : len(text) - len(p)] in seconds
                for p in ("", *PARTICLES)
                if text.endswith(p)
            )
        ):
            cuts.append(k)
    return (cuts, end) if cuts else None


def _guard_lengths(pairs: Pairs) -> tuple[int, int]:
    """Longest first word; longest second word with a particle after it."""
    return (
        max(len(a) for a, _ in pairs),
        max(len(b) for _, b in pairs) + max(map(len, PARTICLES)),
    )


def split(text: str, pairs: Pairs = frozenset()) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each token, as Material's ``split()`` does in the browser.

    ``pairs`` are the site's phrases: the browser's separator is then :func:`separator_for`.
    """
    found = _phrase_cuts(text, pairs)
    if found is None:
        index = 0
        for match in _SEPARATOR_RE.finditer(text):
            if index < match.start():
                yield index, match.start()
            index = match.end()
        if index < len(text):
            yield index, len(text)
        return
    cuts, end = found
    yield from zip([0, *cuts], [*cuts, end], strict=True)


def tokens(text: str, pairs: Pairs = frozenset()) -> list[str]:
    """Lower-cased tokens of ``text`` (plain text, no markup) as the browser indexes them."""
    return [text[a:b].lower() for a, b in split(text, pairs)]


def plain_text(markup: str) -> str:
    """Text of an index field: inline tags dropped, other tags turned into spaces, unescaped."""
    return html.unescape(_TAG_RE.sub(" ", _INLINE_TAG_RE.sub("", markup)))


def phrases(text: str) -> Pairs:
    """Neighbouring Hangul words of ``text`` separated by white space only (``컨트롤 플레인``).

    Both words must be two or more Hangul syllables after particles are cut, which keeps out
    ``할 수`` and phrases across a particle (``컨테이너를 실행``) or punctuation.
    """
    spans = list(split(text))
    found = set()
    for (a, b), (c, d) in zip(spans, spans[1:], strict=False):
        first, second = text[a:b], text[c:d]
        if (
            text[b:c].isspace()
            and _HANGUL_WORD_RE.fullmatch(first)
            and _HANGUL_WORD_RE.fullmatch(second)
        ):
            found.add((first, second))
    return frozenset(found)


def separator_for(pairs: Iterable[tuple[str, str]]) -> str:
    """The browser's separator: :data:`SEPARATOR` plus a split inside joined phrases.

    A whole input made of a first word and a second word of the site's spaced phrases (and an
    optional particle) is cut between them: ``컨트롤플레인을`` → ``컨트롤``, ``플레인``. First and
    second words are two sets rather than pairs, which keeps the expression small (V8 compiles
    2,000 phrases in ~25 ms) at the price of also cutting ``컨트롤운영`` into two site words.
    The guard "the whole input is one Hangul word of bounded length" fails within a few steps
    on document text. Sorted, so the same phrases give the same expression. Uses
    variable-length lookbehind (JavaScript only); Python reproduces it in :func:`split`.
    """
    pairs = frozenset(pairs)
    if not pairs:
        return SEPARATOR

    def alternation(words: Iterable[str]) -> str:
        return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))

    first_max, second_max = _guard_lengths(pairs)
    return (
        f"{SEPARATOR}"
        f"|(?<=^[{_HANGUL}]{{2,{first_max}}})(?=[{_HANGUL}]{{2,{second_max}}}$)"
        f"(?<=^(?:{alternation(a for a, _ in pairs)}))"
        f"(?=(?:{alternation(b for _, b in pairs)})(?:{'|'.join(_PARTICLES_BY_LENGTH)})?$)"
    )


def site_phrases(index: dict[str, Any]) -> Pairs:
    """Every spaced phrase in the titles and texts of a Material search index."""
    found: set[tuple[str, str]] = set()
    for doc in index["docs"]:
        for key in ("title", "text"):
            found |= phrases(plain_text(str(doc.get(key, ""))))
    return frozenset(found)


def hidden_terms(text: str, pairs: Pairs = frozenset(), *, min_length: int = 2) -> list[str]:
    """Suffixes of the words of ``text`` that start at a Hangul syllable inside the word.

    ``고가용성`` → ``가용성``, ``용성``: at least ``min_length`` long, not already a token of
    ``text``, in a stable order.
    """
    words = tokens(text, pairs)
    present = set(words)
    out: dict[str, None] = {}
    for word in words:
        for i in range(1, len(word) - min_length + 1):
            if _HANGUL_RE.match(word[i]):
                out.setdefault(word[i:])
    return [term for term in out if term not in present]


class _Word:
    """What one whitespace-free word contributes to the index (see :class:`_Words`)."""

    __slots__ = ("lead", "suffixes", "tokens", "trail")

    def __init__(self, word: str = "") -> None:
        self.tokens: tuple[str, ...] = ()
        """Lower-cased tokens starting with a Hangul syllable: only those can equal a hidden
        term, which starts with one."""
        self.suffixes: tuple[str, ...] = ()
        """Hidden-term candidates of the tokens, in :func:`hidden_terms`' order."""
        self.lead: str | None = None
        """The first token, if it starts the word and is a Hangul word (a phrase's second)."""
        self.trail: str | None = None
        """The last token, if it ends the word and is a Hangul word (a phrase's first)."""
        if not _HANGUL_RE.search(word):
            return
        spans = list(split(word))
        raw = [word[a:b] for a, b in spans]
        lowered = [token.lower() for token in raw]
        self.tokens = tuple(t for t in lowered if _HANGUL_RE.match(t))
        self.suffixes = tuple(t[i:] for t in lowered for i in range(1, len(t) - 1)
                              if _HANGUL_RE.match(t[i]))
        if spans and spans[0][0] == 0 and _HANGUL_WORD_RE.fullmatch(raw[0]):
            self.lead = raw[0]
        if spans and spans[-1][1] == len(word) and _HANGUL_WORD_RE.fullmatch(raw[-1]):
            self.trail = raw[-1]


class _Words(dict[str, _Word]):
    """Each distinct word's :class:`_Word`, computed on first sight.

    Exact, because :func:`split` of a text is the concatenation of :func:`split` of its
    whitespace words: white space is itself a separator (``\\s`` in :data:`_PUNCT`, the same
    characters as ``str.split``'s), a particle cut needs a non-space character or two
    syllables right before it and punctuation or the end right after it, so no match and no
    lookbehind reaches across white space. Words without a Hangul syllable (commands, outputs:
    most of a technical site's words) contribute nothing and are never looked up.
    """

    def __missing__(self, word: str) -> _Word:
        found = self[word] = _Word(word)
        return found


_ONE = 1


def _cut(text: str, known: _Words) -> tuple[list[_Word], list[int]]:
    """The words of ``text`` that are not pure ASCII, and their positions among all words."""
    words = text.split()
    at = list(compress(count(), map(not_, map(str.isascii, words))))
    return list(map(known.__getitem__, map(words.__getitem__, at))), at


def _text_phrases(words: list[_Word], at: list[int]) -> set[tuple[str, str]]:
    """:func:`phrases` of a text cut by :func:`_cut`: neighbours (positions one apart) only."""
    neighbours = map(_ONE.__eq__, map(sub, islice(at, 1, None), at))
    return {
        (a.trail, b.lead)
        for a, b in set(compress(zip(words, islice(words, 1, None), strict=False), neighbours))
        if a.trail is not None and b.lead is not None
    }


def _text_hidden_terms(text: str, words: list[_Word], pairs: Pairs) -> list[str]:
    """:func:`hidden_terms` of ``text``, cut by :func:`_cut` into ``words``."""
    if pairs and _HANGUL_WORD_RE.fullmatch(text):
        return hidden_terms(text, pairs)  # one word that a phrase split may cut: the definition
    # A word seen again adds no term in a new place: its first sight decides the order.
    distinct = dict.fromkeys(words)
    present = set(chain.from_iterable(word.tokens for word in distinct))
    return [t for t in dict.fromkeys(chain.from_iterable(word.suffixes for word in distinct))
            if t not in present]


def augment_index(index: dict[str, Any]) -> Augmented:
    """Rewrite a Material search index in place for Korean.

    Sets the separator (:func:`separator_for` the phrases of all documents), registers
    :data:`FIELDS`, and gives every document the hidden terms of its title and of its text
    (recomputed, so running twice gives the same index). Raises ``ValueError`` when ``index``
    is not a Material search index. Same result as :func:`site_phrases` and
    :func:`hidden_terms` on every field; each text is cut once, each distinct word analysed
    once.
    """
    config = index.get("config")
    docs = index.get("docs")
    if not isinstance(config, dict) or not isinstance(docs, list):
        raise ValueError("not a Material search index: expected 'config' and 'docs'")

    known = _Words()
    cut = []  # per document: its title and its text, each as (text, words)
    found: set[tuple[str, str]] = set()
    for doc in docs:
        texts = []
        for key in ("title", "text"):
            text = plain_text(str(doc.get(key, "")))
            words, at = _cut(text, known)
            found |= _text_phrases(words, at)
            texts.append((text, words))
        cut.append(texts)
    pairs = frozenset(found)
    config["separator"] = separator_for(pairs)
    fields = config.setdefault("fields", {})
    for name, boost in FIELDS.items():
        fields[name] = {"boost": boost}

    added = 0
    for doc, texts in zip(docs, cut, strict=True):
        for name, (text, words) in zip(FIELDS, texts, strict=True):
            terms = _text_hidden_terms(text, words, pairs)
            if terms:
                doc[name] = " ".join(terms)
                added += len(terms)
            else:
                doc.pop(name, None)
    return Augmented(terms=added, phrases=len(pairs))
