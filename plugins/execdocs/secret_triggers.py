"""Which secret rules can match a text, found in one pass over it.

Every rule family announces itself by literals: execdocs' field rules by their ``triggers``
(``secret_fields``), the keyword rule by the words a secret-naming key must contain
(``secret_keywords.PREFILTER_WORDS``), gitleaks' rules by their ``keywords`` (as gitleaks
itself does: a rule runs only when one of its keywords occurs, case-insensitively). One
Aho-Corasick automaton over all of them finds every one that occurs in a lower-cased text in a
single pass in native code; the few rules whose matches share no literal have a ``shape``
instead, and base64 blobs a byte-class test (``secret_encoded.may_hold_blob``). A text in
which nothing occurs is clean without running a single rule.

Library: ahocorasick-rs (PyPI; Python bindings of the ``aho-corasick`` crate that Rust's regex
engine uses). Measured on bench_secrets.py's kubectl tables (bench/README.md): the trie regex
it replaces cost ~55 us per 1 KB text; the automaton
~6 us. pyahocorasick (C) was ~3x slower here, and both refuse lone surrogates in ``str``,
so the text goes in as UTF-8 bytes (``surrogateescape``: bytes that are not UTF-8 stay bytes).
"""

from __future__ import annotations

from functools import cache

import ahocorasick_rs

from execdocs import secret_fields, secret_gitleaks, secret_keywords


@cache
def triggers() -> frozenset[str]:
    """Every trigger word of every rule family, lower-case: one of them (or a shape, or a
    blob) must occur in a text for any rule to run."""
    return frozenset(set(secret_fields.TRIGGERS) | set(secret_keywords.PREFILTER_WORDS)
                     | set(secret_gitleaks.keywords()))


@cache
def words() -> tuple[str, ...]:
    """Every word looked for, lower-case, each once: the triggers, and the literals the
    gitleaks rules' and the field rules' matches start with (``secret_gitleaks.literals``,
    ``secret_fields.Rule.starts``: found in the same pass, so that a rule that runs looks only
    for those of its literals that occur)."""
    field = {literal.lower() for rule in secret_fields.RULES if rule.starts is not None
             for literal in rule.starts[0] + rule.starts[1]}
    return tuple(sorted(triggers() | set(secret_gitleaks.literals()) | field))


@cache
def _automaton() -> ahocorasick_rs.BytesAhoCorasick:
    # a DFA: ~2.5x fewer instructions than the default on kubectl tables (short keywords
    # such as "ey", "s.", "sk" leave its prefilter little to skip)
    return ahocorasick_rs.BytesAhoCorasick([w.encode("utf-8") for w in words()],
                                           implementation=ahocorasick_rs.Implementation.DFA)


def present(low: str) -> frozenset[str]:
    """The words (:func:`words`) that occur in ``low`` (a lower-cased text), overlapping ones
    too (``ey`` inside ``key``)."""
    return present_in(low.encode("utf-8", "surrogatepass"))


def present_in(raw: bytes) -> frozenset[str]:
    """:func:`present` of a lower-cased text given as UTF-8 bytes (lone surrogates as
    ``surrogatepass`` or ``surrogateescape`` encode them: bytes >= 0x80 either way)."""
    hits = _automaton().find_matches_as_indexes(raw, overlapping=True)
    if not hits:
        return _NONE
    every = words()
    return frozenset(every[i] for i, _start, _end in hits)


_NONE: frozenset[str] = frozenset()
