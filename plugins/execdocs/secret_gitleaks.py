"""The gitleaks rule list, kept as data: ``data/gitleaks.toml`` read and compiled for Python.

Why gitleaks' list and not detect-secrets (PyPI 1.5.0, last release 2024-05): gitleaks' default
config is ~220 maintained rules (GitHub, GitLab, Slack, cloud and SaaS tokens, every private key
armour) written as *data* -- a regex with its secret group, keywords, an entropy floor and
allowlists -- so it ports without its Go code and is refreshed by copying one file (then
``python -m execdocs.secret_gitleaks`` regenerates the derived analysis, :data:`DERIVED`). The
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

import hashlib
import json
import math
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from execdocs import secret_starts
from execdocs.secret_starts import Starts

DATA = Path(__file__).with_name("data") / "gitleaks.toml"
DERIVED = DATA.with_name("gitleaks.derived.json")
"""What :func:`derive` reads from each rule's pattern (the translation, the literals its
matches start with), and the ported rules as ``tomllib`` parses them (with the rule file's
SHA-256), kept next to the rules: working it out takes ~0.3 s and parsing the TOML ~12 ms,
every process.
Regenerate with ``python -m execdocs.secret_gitleaks`` (a test fails while it is stale)."""
ANALYSIS = 1
"""Bump when :func:`translate`, :func:`secret_starts.prefixes` or :func:`_lazy_split` change
their results: a derived file of another version is not used."""


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

    derived: dict[str, Any] | None = None
    """This rule's entry of :data:`DERIVED` when it was made from the same pattern."""

    @cached_property
    def pattern(self) -> str:
        """The rule's pattern in Python's syntax (:func:`translate`)."""
        return self.derived["pattern"] if self.derived else translate(self.source)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The rule's pattern, compiled once."""
        return re.compile(self.pattern)

    @cached_property
    def starts(self) -> Starts | None:
        """Literals one of which every match of the rule starts with: (case-sensitive ones,
        case-insensitive ones lower-cased), or None when the pattern names none (see
        :func:`secret_starts.prefixes`)."""
        if self.derived:
            return _pair(self.derived["starts"])
        return secret_starts.prefixes(self.pattern)

    @cached_property
    def lazy_parts(self) -> tuple[int, str, Starts] | None:
        """For a pattern that opens with gitleaks' lazy run ``[\\w.-]{0,N}?`` (the generic
        rules: ``[\\w.-]{0,50}?(?:keyword)...``): N, the rest of the pattern, and the
        literals the rest starts with; else None."""
        if self.derived:
            got = self.derived["lazy"]
            if got is None:
                return None
            starts = _pair(got[2])
            return None if starts is None else (got[0], got[1], starts)
        split = _lazy_split(self.pattern)
        if split is None:
            return None
        reach, tail = split
        starts = secret_starts.prefixes(tail)
        return None if starts is None else (reach, tail, starts)

    @cached_property
    def lazy(self) -> tuple[int, re.Pattern[str], Starts
                            ] | None:
        """:attr:`lazy_parts` with the rest of the pattern compiled (when the rule runs)."""
        parts = self.lazy_parts
        return None if parts is None else (parts[0], re.compile(parts[1]), parts[2])

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


# An allowlist regex is only asked whether it occurs (``_allowed``). The generic-api-key
# allowlist's ``[a-z0-9-]*?api[a-z0-9-]*?:jar:`` then occurs exactly where ``api[a-z0-9-]*?:jar:``
# does (whatever the lazy run before "api" matched, the match from "api" on is one too), but
# Python's backtracking tries that run from every position of a long base64 value: 0.3 s for
# one 4 KB key in a kubeconfig, 3.7 s for 17 KB (RE2, gitleaks' engine, is linear).
_LEADING_RUNS = ("|[a-z0-9-]*?api[a-z0-9-]*?:jar:|", "|api[a-z0-9-]*?:jar:|")


def _linear(pattern: str) -> str:
    """``pattern`` with each known alternative that backtracks over long runs written as the
    one it occurs with exactly (see ``_LEADING_RUNS``); for a search that only asks whether."""
    slow, fast = _LEADING_RUNS
    return pattern.replace(slow, fast)


def _allow(spec: dict) -> Allow | None:
    if "paths" in spec and (spec.get("condition") == "AND" or not spec.get("regexes")):
        return None  # needs a file path to decide
    regexes = tuple(re.compile(_linear(translate(r))) for r in spec.get("regexes", ()))
    stopwords = tuple(s.lower() for s in spec.get("stopwords", ()))
    if not regexes and not stopwords:
        return None
    return Allow(regexes, stopwords, spec.get("regexTarget", "secret"))


@cache
def load() -> tuple[tuple[GitleaksRule, ...], Allow]:
    """The rules and the global allowlist, compiled once per process."""
    raw = DATA.read_bytes()
    derived_file = _read_derived()
    derived = derived_file.get("rules")
    derived = derived if isinstance(derived, dict) else {}
    data = _kept_rules(derived_file, raw)
    if data is None:  # the derived file is of other rules: parse them (~12 ms)
        data = tomllib.loads(raw.decode("utf-8"))
    glob = _allow(data.get("allowlist", {})) or Allow((), (), "secret")
    rules = []
    for spec in _ported(data):
        known = derived.get(spec["id"])
        rules.append(GitleaksRule(
            id=spec["id"], source=spec["regex"],
            keywords=tuple(k.lower() for k in spec.get("keywords", ())),
            entropy=float(spec.get("entropy", 0)), secret_group=int(spec.get("secretGroup", 0)),
            allow_specs=tuple(spec.get("allowlists", ())),
            derived=known if _fits(known, spec["regex"]) else None))
    return tuple(rules), glob


def _ported(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rules of the file that are ported: a regex, and no tie to a file path."""
    return (spec for spec in data["rules"] if "regex" in spec and "path" not in spec)


def derive() -> dict[str, Any]:
    """What :data:`DERIVED` holds: per rule its source, translation and start literals, worked
    out from the rules alone (the derived file is not read)."""
    raw = DATA.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    out: dict[str, Any] = {}
    for spec in _ported(data):
        rule = GitleaksRule(id=spec["id"], source=spec["regex"], keywords=(), entropy=0.0,
                            secret_group=0, allow_specs=())
        lazy = rule.lazy_parts
        out[rule.id] = {"source": rule.source, "pattern": rule.pattern,
                        "starts": None if rule.starts is None else list(map(list, rule.starts)),
                        "lazy": None if lazy is None else [lazy[0], lazy[1],
                                                           list(map(list, lazy[2]))]}
    kept = {"allowlist": data.get("allowlist", {}), "rules": list(_ported(data))}
    return {"analysis": ANALYSIS, "python": _PYTHON, "rules": out,
            "toml_sha256": hashlib.sha256(raw).hexdigest(), "toml": kept}


_PYTHON = "{}.{}".format(*sys.version_info[:2])


def _read_derived() -> dict[str, Any]:
    # a missing, unreadable or other-version file: every rule is worked out again (slower,
    # the same result); an entry is used only for the very pattern it was made from
    try:
        data = json.loads(DERIVED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("analysis") != ANALYSIS or (
            data.get("python") != _PYTHON):  # the analysis reads this Python's re parse tree
        return {}
    return data


def _kept_rules(derived: dict[str, Any], raw: bytes) -> dict[str, Any] | None:
    """The parsed rules the derived file keeps (what ``tomllib`` gives for the ported rules
    and the global allowlist), when it was made from exactly these bytes of the rule file;
    else None."""
    kept = derived.get("toml")
    if derived.get("toml_sha256") != hashlib.sha256(raw).hexdigest() or not (
            isinstance(kept, dict) and isinstance(kept.get("allowlist"), dict)
            and isinstance(kept.get("rules"), list)
            and all(isinstance(r, dict) and isinstance(r.get("id"), str)
                    and isinstance(r.get("regex"), str) for r in kept["rules"])):
        return None
    return kept


def _fits(entry: Any, source: str) -> bool:
    """Whether ``entry`` is a well-formed derived entry made from the pattern ``source``."""
    def pair(v: Any) -> bool:
        return v is None or (isinstance(v, list) and len(v) == 2 and all(
            isinstance(x, list) and all(isinstance(y, str) for y in x) for x in v))
    if not isinstance(entry, dict) or entry.get("source") != source:
        return False
    lazy = entry.get("lazy")
    return (isinstance(entry.get("pattern"), str) and pair(entry.get("starts"))
            and (lazy is None or (isinstance(lazy, list) and len(lazy) == 3
                                  and isinstance(lazy[0], int) and isinstance(lazy[1], str)
                                  and lazy[2] is not None and pair(lazy[2]))))


def _pair(value: Any) -> Starts | None:
    return None if value is None else (tuple(value[0]), tuple(value[1]))


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


# gitleaks' lazy run, one or more (some rules repeat it, once outside and once inside a
# (?i: group): its class is the same under either case flag
_LAZY_PART = re.compile(r"\[\\w\.-\]\{0,(?P<n>\d+)\}\?|(?P<flags>\(\?i\)|\(\?i:)")


def _lazy_split(pattern: str) -> tuple[int, str] | None:
    """A pattern opening with lazy runs ``[\\w.-]{0,N}?`` (and case flags): the most
    characters they take together, and the rest with the flags and groups they opened."""
    reach, opened, pos = 0, "", 0
    while m := _LAZY_PART.match(pattern, pos):
        if m.group("n") is not None:
            reach += int(m.group("n"))
        else:
            opened += m.group("flags")
        pos = m.end()
    return (reach, opened + pattern[pos:]) if reach else None


# the lazy run's class, matched on the reversed characters before where the rest matches (a
# search for ``[\w.-]*\Z`` would try every start and cost the square of the run's reach)
_RUN_BACK = re.compile(r"[\w.-]*")
def _candidates(rule: GitleaksRule, text: str, low: str, present: frozenset[str] | set[str]
                ) -> Iterator[re.Match[str]]:
    """The matches of ``rule`` in ``text``: exactly what ``rule.regex.finditer`` yields, but
    tried only where a match can start (a rule is otherwise tried at every position: ~0.3 s
    per MB of page text for one rule with a two-letter keyword such as ``ey``)."""
    if rule.starts is not None:
        yield from secret_starts.finditer(rule.regex, rule.starts, text, low, present)
        return
    lazy = rule.lazy
    at = None if lazy is None else secret_starts.positions(lazy[2], text, low, present)
    if lazy is None or at is None:
        yield from rule.regex.finditer(text)
        return
    # ``[\w.-]{0,N}?TAIL``: a match starting at s reaches the first k >= s where TAIL matches
    # with text[s:k] all in the run's class and k - s <= N; so the leftmost match at or after
    # ``seen`` starts at the leftmost s that reaches the first such k >= seen: the start of
    # the class run before k, cut at k - N and at ``seen``. Where TAIL matches does not depend
    # on s: it is tried once at each occurrence of its literals.
    reach, tail, _literals = lazy
    seen = 0
    for k in at:
        if k < seen or tail.match(text, k) is None:
            continue
        run = _RUN_BACK.match(text[max(seen, k - reach):k][::-1])
        start = k - (0 if run is None else run.end())
        m = rule.regex.match(text, start)
        if m is None:  # cannot happen (see above); the whole search decides, fail closed
            yield from (m for m in rule.regex.finditer(text, seen))
            return
        seen = m.end()
        yield m


@cache
def literals() -> tuple[str, ...]:
    """Every literal a rule's matches start with (:attr:`GitleaksRule.starts`, the rest of a
    lazy run's pattern), lower-cased, each once: ``secret_triggers`` finds which occur."""
    out: set[str] = set()
    for rule in load()[0]:
        for starts in (rule.starts, rule.lazy_parts[2] if rule.lazy_parts else None):
            if starts is not None:
                out.update(literal.lower() for literal in starts[0] + starts[1])
    return tuple(sorted(out))


def keywords() -> tuple[str, ...]:
    """Every rule's keywords (lower-case), each once: what ``secret_triggers`` looks for."""
    return _keyword_index()[0]


def find(text: str, low: str, present: frozenset[str] | set[str]
         ) -> Iterator[tuple[str, int, int]]:
    """(rule id, start, end) of every secret the gitleaks rules find in ``text``; ``low`` is
    ``text.lower()`` and ``present`` the keywords occurring in it (``secret_triggers.present``;
    other words in it are ignored): only their rules run, as in gitleaks. ``present`` must
    hold every one of :func:`literals` that occurs too (``secret_triggers.present`` does)."""
    _rules, glob = load()
    _all, by_kw, always = _keyword_index()
    todo = dict.fromkeys(always)
    for k in present:
        todo.update(dict.fromkeys(by_kw.get(k, ())))
    for rule in todo:
        for m in _candidates(rule, text, low, present):
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
            if not rule.secret_group and m.end(group) - m.start(group) < 8:
                group = 0  # gitleaks' first group is a piece of the shape (a webhook URL's
                # ([a-z0-9]{4}-){3}): the whole match is what must not be published
            yield rule.id, m.start(group), m.end(group)


if __name__ == "__main__":  # regenerate the derived file after updating the rules
    DERIVED.write_text(json.dumps(derive(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
