"""The gitleaks rule list, kept as data: ``data/gitleaks.toml`` read and compiled for Python.

Why gitleaks' list and not detect-secrets (PyPI 1.5.0, last release 2024-05): gitleaks' default
config is ~220 maintained rules (GitHub, GitLab, Slack, cloud and SaaS tokens, every private key
armour) written as *data* -- a regex with its secret group, keywords, an entropy floor and
allowlists -- so it ports without its Go code and is refreshed by copying one file. The
detect-secrets plugins are code, line by line (a PEM key or a wrapped JWT spans lines), report
no span to redact, and its high-entropy plugins flag exactly what must stay clean here (sha256
digests, container ids).

What is ported: ``regex`` (Go RE2 syntax translated: a ``(?i)`` in mid-pattern applies to the
rest of its group, ``\\z``, POSIX classes, a literal ``[`` in a class), ``secretGroup`` (else
the first non-empty group, as gitleaks does), ``entropy`` (Shannon, on the secret), ``keywords``
(a rule runs only when one occurs in the lower-cased text, as in gitleaks), global and per-rule
allowlists by ``regexes`` (target secret, match or line) and ``stopwords``. Rules tied to a file
``path`` are left out (a command's output has no path); so are allowlists that need one.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

DATA = Path(__file__).with_name("data") / "gitleaks.toml"


@dataclass(frozen=True)
class Allow:
    """One allowlist of a rule: any of its regexes (on ``target``) or stopwords allows."""

    regexes: tuple[re.Pattern[str], ...]
    stopwords: tuple[str, ...]
    target: str  # "secret", "match" or "line"


@dataclass(eq=False)
class GitleaksRule:
    """One gitleaks rule; its pattern is compiled the first time a text holds its keyword
    (most rules never run in a build: compiling all ~220 up front costs more than scanning)."""

    id: str
    source: str
    keywords: tuple[str, ...]
    entropy: float
    secret_group: int
    allow_specs: tuple[dict, ...]

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The rule's pattern, translated from Go and compiled once."""
        return re.compile(translate(self.source))

    @cached_property
    def allows(self) -> tuple[Allow, ...]:
        """The rule's allowlists that apply without a file path, compiled once."""
        return tuple(a for a in map(_allow, self.allow_specs) if a is not None)


def translate(go: str) -> str:
    """A Go RE2 pattern as a Python ``re`` pattern (the constructs gitleaks' rules use)."""
    out: list[str] = []
    # per open group (index 0: the whole pattern): the scoped flag groups opened in it
    scopes: list[list[str]] = [[]]
    i, in_class = 0, False
    while i < len(go):
        ch = go[i]
        if ch == "\\":
            esc = go[i:i + 2]
            out.append("\\Z" if esc == "\\z" else esc)
            i += 2
            continue
        if in_class:
            if go.startswith("[:", i):
                end = go.index(":]", i)
                out.append(_POSIX[go[i + 2:end]])
                i = end + 2
                continue
            out.append("\\[" if ch == "[" else ch)
            in_class = ch != "]"
            i += 1
            continue
        if ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if go.startswith("^", i):
                out.append("^")
                i += 1
            if go.startswith("]", i):  # a leading ] is literal
                out.append("\\]")
                i += 1
            continue
        flag = re.match(r"\(\?([a-z]+)\)", go[i:])
        if flag and i > 0:  # Go: the flags hold to the end of the enclosing group
            out.append(f"(?{flag.group(1)}:")
            scopes[-1].append(flag.group(1))
            i += len(flag.group(0))
            continue
        if ch == "(":
            scopes.append([])
        elif ch == ")" and len(scopes) > 1:
            out.append(")" * len(scopes.pop()))
        elif ch == "|" and scopes[-1]:  # the flags carry on into the next alternative
            out.append(")" * len(scopes[-1]) + "|" + "".join(f"(?{f}:" for f in scopes[-1]))
            i += 1
            continue
        out.append(ch)
        i += 1
    out.append(")" * len(scopes[0]))
    return "".join(out)


_POSIX = {"alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "digit": "0-9", "upper": "A-Z",
          "lower": "a-z", "xdigit": "0-9a-fA-F", "space": r"\s", "word": r"\w"}


def entropy(text: str) -> float:
    """Shannon entropy in bits per character (gitleaks' ``entropy`` floor)."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def _allow(spec: dict) -> Allow | None:
    if "paths" in spec and (spec.get("condition") == "AND" or not spec.get("regexes")):
        return None  # needs a file path to decide
    regexes = tuple(re.compile(translate(r)) for r in spec.get("regexes", ()))
    stopwords = tuple(s.lower() for s in spec.get("stopwords", ()))
    if not regexes and not stopwords:
        return None
    return Allow(regexes, stopwords, spec.get("regexTarget", "secret"))


@cache
def load() -> tuple[tuple[GitleaksRule, ...], Allow]:
    """The rules and the global allowlist, compiled once per process."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    glob = _allow(data.get("allowlist", {})) or Allow((), (), "secret")
    rules = []
    for spec in data["rules"]:
        if "regex" not in spec or "path" in spec:
            continue
        rules.append(GitleaksRule(
            id=spec["id"], source=spec["regex"],
            keywords=tuple(k.lower() for k in spec.get("keywords", ())),
            entropy=float(spec.get("entropy", 0)), secret_group=int(spec.get("secretGroup", 0)),
            allow_specs=tuple(spec.get("allowlists", ()))))
    return tuple(rules), glob


def _allowed(allow: Allow, secret: str, match: str, line: str) -> bool:
    target = {"secret": secret, "match": match, "line": line}[allow.target]
    if any(r.search(target) for r in allow.regexes):
        return True
    low = secret.lower()
    return any(s in low for s in allow.stopwords)


def _line_at(text: str, start: int, end: int) -> str:
    return text[text.rfind("\n", 0, start) + 1: (text.find("\n", end) + 1 or len(text) + 1) - 1]


@cache
def _keyword_index() -> tuple[tuple[str, ...], dict[str, tuple[GitleaksRule, ...]],
                              tuple[GitleaksRule, ...]]:
    """Every distinct keyword once, keyword -> its rules, and the rules without keywords."""
    rules, _glob = load()
    by_kw: dict[str, list[GitleaksRule]] = {}
    for rule in rules:
        for k in rule.keywords:
            by_kw.setdefault(k, []).append(rule)
    return tuple(by_kw), {k: tuple(v) for k, v in by_kw.items()}, tuple(
        r for r in rules if not r.keywords)


# Rules whose pattern starts with an unanchored lazy run are tried only near their keywords:
# (chars before, chars after), and a cheap test every match passes at its keyword. For
# generic-api-key each alternative of its keyword group is one of its keywords, and an
# assignment operator (= > : | ? ,) follows within 20 + 3 characters ([ \t\w.-]{0,20}[\s'"]{0,3}).
_WINDOWED = {"generic-api-key": (60, 260, re.compile(r"[=>:|?,]"), 24)}


def _candidates(rule: GitleaksRule, text: str, low: str) -> Iterator[re.Match[str]]:
    window = _WINDOWED.get(rule.id)
    if window is None or len(low) != len(text):  # lower() moved offsets: no windows
        yield from rule.regex.finditer(text)
        return
    before, after, follows, reach = window
    at = []
    for k in rule.keywords:  # every occurrence of every keyword, then left to right
        pos = low.find(k)
        while pos != -1:
            at.append((pos, pos + len(k)))
            pos = low.find(k, pos + 1)
    seen = -1
    for pos, end in sorted(at):
        if follows.search(low, end, end + reach) is None:
            continue  # no match can be anchored on this occurrence
        lo, hi = max(0, pos - before, seen), min(len(text), end + after)
        if lo < hi:
            m = rule.regex.search(text, lo, hi)
            if m is not None and m.start() >= seen:
                seen = m.end()
                yield m


def keywords() -> tuple[str, ...]:
    """Every rule's keywords (lower-case), each once: what ``secret_triggers`` looks for."""
    return _keyword_index()[0]


def find(text: str, low: str, present: frozenset[str] | set[str]
         ) -> Iterator[tuple[str, int, int]]:
    """(rule id, start, end) of every secret the gitleaks rules find in ``text``; ``low`` is
    ``text.lower()`` and ``present`` the keywords occurring in it (``secret_triggers.present``;
    other words in it are ignored): only their rules run, as in gitleaks."""
    _rules, glob = load()
    _all, by_kw, always = _keyword_index()
    todo = dict.fromkeys(always)
    for k in present:
        todo.update(dict.fromkeys(by_kw.get(k, ())))
    for rule in todo:
        for m in _candidates(rule, text, low):
            group = rule.secret_group
            if not group and m.re.groups:
                group = next((g for g in range(1, m.re.groups + 1) if m.group(g)), 0)
            secret = m.group(group)
            if not secret or (rule.entropy and entropy(secret) < rule.entropy):
                continue
            line = _line_at(text, *m.span())
            if _allowed(glob, secret, m.group(0), line) or any(
                    _allowed(a, secret, m.group(0), line) for a in rule.allows):
                continue
            yield rule.id, m.start(group), m.end(group)
