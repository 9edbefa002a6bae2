"""Where a pattern's matches can start: the literals they start with, read from ``re``'s own
parse tree, and the search that tries the pattern only where one occurs.

Python's ``re`` has no literal prefilter for a pattern that opens with an alternation, a
``\\b`` or a case-insensitive group: ``finditer`` then tries the pattern at every position of
the text (~0.3 s per MB for one rule). Every rule family uses this: gitleaks' rules
(``secret_gitleaks``, their literals kept in ``data/gitleaks.derived.json``) and execdocs' own
field rules (``secret_fields``). The literals are also what ``secret_triggers`` looks for in its
one pass, so that a rule looks only for those of its literals that occur.
"""

from __future__ import annotations

import re
import re._constants as sre  # noqa: PLC2701  (re's own parse tree: see prefixes)
import re._parser as sre_parse  # noqa: PLC2701
from collections.abc import Iterator
from typing import Any

Starts = tuple[tuple[str, ...], tuple[str, ...]]
"""The literals a pattern's matches start with: (case-sensitive ones, case-insensitive ones
lower-cased)."""

_MOST = 32  # prefixes a pattern may name before it is tried everywhere instead
_LONG = 4  # characters of a prefix worth knowing (2 already rule out nearly every position)
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}


def prefixes(pattern: str) -> Starts | None:
    """The literals (up to 4 characters, at least 2) one of which every match of ``pattern``
    starts with, read from the parse tree of Python's own ``re`` (so the analysis sees exactly
    what the compiled pattern matches): (case-sensitive, case-insensitive lower-cased), or
    None when the start is not such a literal (a class of many characters, an optional part).
    Zero-width assertions at the start (``\\b``, lookarounds) are passed over: the literals
    then hold for a superset of the matches, which is all a list of start positions needs."""
    try:
        tree = sre_parse.parse(pattern)
        ci = bool(tree.state.flags & sre.SRE_FLAG_IGNORECASE)
        found = _heads([(op, av, ci) for op, av in tree], _LONG)
    except (re.error, ValueError, TypeError, AttributeError, RecursionError):
        return None  # an unexpected tree (another Python): tried everywhere, as before
    if found is None or not found or min(len(p) for p, _ci in found) < 2:
        return None
    exact = tuple(sorted(p for p, ci in found if not ci))
    folded = tuple(sorted(p for p, ci in found if ci))
    if any(not p.isascii() for p in folded):
        return None
    return exact, folded


def _heads(items: list[tuple[Any, Any, bool]], room: int
           ) -> set[tuple[str, bool]] | None:
    """Prefixes (at most ``room`` characters) one of which every match of the sequence
    ``items`` (op, argument, whether it is matched case-insensitively) starts with, each
    with whether any of its characters is; None: too many to list."""
    if room == 0 or not items:
        return {("", False)}
    (op, av, ci), rest = items[0], items[1:]
    if op in _ZERO_WIDTH:
        return _heads(rest, room)
    if op is sre.SUBPATTERN:
        _group, add, drop, sub = av
        inner = (ci or bool(add & sre.SRE_FLAG_IGNORECASE)) and not (
            drop & sre.SRE_FLAG_IGNORECASE)
        return _heads([(o, a, inner) for o, a in sub] + rest, room)
    if op is sre.BRANCH:
        out: set[tuple[str, bool]] = set()
        for alt in av[1]:
            got = _heads([(o, a, ci) for o, a in alt] + rest, room)
            if got is None or len(out | got) > _MOST:
                return None
            out |= got
        return out
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
        low, high, sub = av
        again = (op, (low - 1, high if high is sre.MAXREPEAT else high - 1, sub), ci)
        return _heads([(o, a, ci) for o, a in sub] + [again] + rest, room)
    chars = _chars(op, av)
    if chars is None:
        return {("", False)}  # the prefix ends here: what came before still holds
    tails = _heads(rest, room - 1)
    if tails is None:
        return None
    # a prefix with any case-insensitive character is looked for in the lower-cased text,
    # so all of it is lower-cased (its exact characters then match a few more places: fine)
    out = {(((c + tail).lower(), True) if ci or tail_ci else (c + tail, False))
           for c in chars for tail, tail_ci in tails}
    return out if len(out) <= _MOST else None


def _chars(op: Any, av: Any) -> list[str] | None:
    """The characters one item matches, when it is a literal or a small class."""
    if op is sre.LITERAL:
        return [chr(av)]
    if op is not sre.IN:
        return None
    out: list[str] = []
    for kind, arg in av:
        if kind is sre.LITERAL:
            out.append(chr(arg))
        elif kind is sre.RANGE and arg[1] - arg[0] < 8:
            out += map(chr, range(arg[0], arg[1] + 1))
        else:
            return None  # a negation, a category, a wide range
    return out if len(out) <= 8 else None


# Characters that re's IGNORECASE matches to an ASCII letter while str.lower() does not lower
# them to it (U+0130 lowers to two characters, which moves offsets: caught by the length test)
_FOLDS_ODDLY = ("\u0131", "\u017f")


def positions(starts: Starts | None, text: str, low: str,
              present: frozenset[str] | set[str]) -> list[int] | None:
    """Every position of ``text`` where one of the literals ``starts`` (case-sensitive ones,
    case-insensitive ones) occurs, sorted; None when there are none to look for or ``low``
    (``text.lower()``) cannot stand for ``text`` in a case-insensitive search. ``present``:
    the words ``secret_triggers`` found in ``low`` (every rule's start literals are among the
    words it looks for): a literal whose lower-cased form is not there occurs nowhere and is
    not looked for."""
    if starts is None:
        return None
    exact, folded = starts
    if folded and not text.isascii() and (
            len(low) != len(text) or any(c in text for c in _FOLDS_ODDLY)):
        return None
    at: set[int] = set()
    for where, literals in ((text, exact), (low, folded)):
        for literal in literals:
            if literal.lower() not in present:
                continue
            pos = where.find(literal)
            while pos != -1:
                at.add(pos)
                pos = where.find(literal, pos + 1)
    return sorted(at)


def finditer(regex: re.Pattern[str], starts: Starts | None, text: str, low: str,
             present: frozenset[str] | set[str]) -> Iterator[re.Match[str]]:
    """Exactly what ``regex.finditer(text)`` yields, with the pattern tried only where one of
    its ``starts`` (:func:`prefixes` of its pattern) occurs; ``low`` and ``present`` as for
    :func:`positions`."""
    at = positions(starts, text, low, present)
    if at is None:
        yield from regex.finditer(text)
        return
    # the leftmost match at or after the previous one's end starts at one of them
    seen = 0
    for pos in at:
        if pos >= seen and (m := regex.match(text, pos)) is not None:
            seen = m.end()
            yield m


def lines_holding(text: str, literals: tuple[str, ...]) -> list[int]:
    """The start of each line of ``text`` holding one of ``literals`` (lower-case, found in
    ``text.lower()``), in order: where a rule that reads whole lines looks (a pattern anchored
    at every line start costs a page's whole length in Python's re)."""
    low = text.lower()
    starts: set[int] = set()
    for literal in literals:
        at = low.find(literal)
        while at != -1:
            starts.add(text.rfind("\n", 0, at) + 1)
            end = text.find("\n", at)
            at = -1 if end == -1 else low.find(literal, end)
    return sorted(starts)
