"""How far a rule's match can reach, measured on every pattern: what lets the final pass
(``secret_guard.PageScrubber``) scan a page in runs of ``WINDOW`` pieces.

The pass cuts a page at empty lines outside markup; each cut is an empty line of the page's
text, two line breaks in a row. A match that no run of ``WINDOW`` consecutive pieces holds
crosses ``WINDOW`` cuts, so it holds at least ``2 * WINDOW`` line breaks. Every pattern is
read here with Python's own parser for the most line breaks a match can hold: each must hold
fewer, or be one whose opener ``WIDE`` finds (the page then takes the exact pass)."""

from __future__ import annotations

import math
import re
import re._constants as C  # noqa: PLC2701  (re's parse tree, as secret_gitleaks reads it)
import re._parser as P  # noqa: PLC2701

import pytest
from execdocs import secret_fields, secret_gitleaks, secret_keywords, secrets
from execdocs.secret_guard import WIDE, WINDOW, _opens_wide

INF = math.inf
_NL = 10
_NL_CATEGORIES = {C.CATEGORY_SPACE, C.CATEGORY_NOT_DIGIT, C.CATEGORY_NOT_WORD,
                  C.CATEGORY_LINEBREAK}


def _takes_newline(op, av, dotall: bool) -> bool | None:
    """Whether one character matched by (op, av) can be a line break; None: not a character."""
    if op is C.LITERAL:
        return av == _NL
    if op is C.NOT_LITERAL:
        return av != _NL
    if op is C.ANY:
        return dotall
    if op is C.IN:
        negate = any(o is C.NEGATE for o, _a in av)
        hit = any((o is C.LITERAL and a == _NL) or (o is C.RANGE and a[0] <= _NL <= a[1])
                  or (o is C.CATEGORY and a in _NL_CATEGORIES) for o, a in av)
        return hit != negate
    return None


def line_breaks(pattern: str | re.Pattern[str]) -> float:
    """The most line breaks a match of ``pattern`` can hold (``inf``: unbounded)."""
    source = pattern if isinstance(pattern, str) else pattern.pattern
    flags = 0 if isinstance(pattern, str) else pattern.flags
    tree = P.parse(source, flags)
    groups: dict[int, float] = {}

    def walk(items, dotall: bool) -> float:
        total = 0.0
        for op, av in items:
            one = _takes_newline(op, av, dotall)
            if one is not None:
                total += 1 if one else 0
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                _lo, hi, sub = av
                inner = walk(sub, dotall)
                total += 0 if inner == 0 else (INF if hi == C.MAXREPEAT else hi * inner)
            elif op is C.SUBPATTERN:
                group, add, drop, sub = av
                inner = walk(sub, bool(add & re.S) or (dotall and not drop & re.S))
                if group is not None:
                    groups[group] = inner
                total += inner
            elif op is C.BRANCH:
                total += max(walk(sub, dotall) for sub in av[1])
            elif op is C.ATOMIC_GROUP:
                total += walk(av, dotall)
            elif op is C.GROUPREF:
                total += groups.get(av, INF)
            elif op is C.GROUPREF_EXISTS:
                total += max(walk(av[1], dotall), walk(av[2], dotall) if av[2] else 0)
            elif op not in (C.AT, C.ASSERT, C.ASSERT_NOT):
                raise AssertionError(f"unexpected {op} in {source!r}")
        return total
    return walk(tree, bool(tree.state.flags & re.S))


LIMIT = 2 * WINDOW - 1
# the patterns whose reach is unbounded, and a text holding what opens each (WIDE finds it)
UNBOUNDED = {
    "private-key": "-----BEGIN RSA PRIVATE KEY-----",
    "jwt-base64": "ZXlKaGJHY2lPaUpJVXpJMU5pSjk",
    "curl-auth-user": 'curl -u "admin',
}
# execdocs' rules that are code, not one pattern: why each reaches no further
CODE = {
    "secret-data": "kind: Secret opens it (WIDE)",
    "jwt": "a wrap is one line break followed by a token character: never an empty line",
    "bootstrap-token": "23 characters, none a line break",
    "cookie": "one line",
    "aws-secret-key": "the secret within three lines of its key id",
    "printed-secret": "the command's line and the next one",
    "secret-value": "vault's Key/Value table: its header and rows, no empty line between",
    "basic-auth": "one line",
    "private-key": "PuTTY's private lines: those after Private-Lines: N, up to an empty line",
}


def test_the_measure_reads_patterns_right() -> None:
    assert line_breaks(r"a\n{3}b") == 3
    assert line_breaks(r"a\s+b") == INF
    assert line_breaks(r"a[^\n]*b|c.*d") == 0
    assert line_breaks(re.compile(r"a.{0,4}", re.S)) == 4
    assert line_breaks(r"(?P<q>['\"]?)x(?P=q)") == 0
    assert line_breaks(r'"[^"]{3,}"') == INF
    assert line_breaks(r"(?:\r?\n[ \t]*)?x") == 1


def test_every_pattern_holds_fewer_line_breaks_than_a_run_of_pieces_can_miss() -> None:
    measured = [(r.kind, line_breaks(r.pattern)) for r in secret_fields.RULES
                if r.pattern is not None]
    measured += [(r.id, line_breaks(r.pattern)) for r in secret_gitleaks.load()[0]]
    measured.append(("secret-value (keywords)", line_breaks(secret_keywords._FORMS)))
    too_far = {name: n for name, n in measured if n > LIMIT and name not in UNBOUNDED}
    assert not too_far
    assert len(measured) > 200
    code = {r.kind for r in secret_fields.RULES if r.pattern is None}
    assert code <= set(CODE), code - set(CODE)


@pytest.mark.parametrize("rule", sorted(UNBOUNDED))
def test_what_opens_an_unbounded_pattern_sends_the_page_to_the_exact_pass(rule: str) -> None:
    opener = UNBOUNDED[rule]
    assert WIDE.search(opener) and _opens_wide(f"<p>text</p>\n{opener}")


def test_a_bearer_token_or_netrc_entry_spans_one_line_break_between_words_not_more() -> None:
    token = "Zq8xN2mL4pR7sT1vW3yB"
    assert secrets.matches(f"Authorization: Bearer\n    {token}")
    assert not secrets.matches(f"a bearer\n\n{token}")
    assert secrets.matches("machine h\nlogin robot\npassword Hunt3r2Hunt3r2")
    assert not secrets.matches("machine h\n\n\n\nlogin robot\n\n\n\npassword Hunt3r2Hunt3r2")


def test_a_wrapped_jwt_does_not_run_across_an_empty_line() -> None:
    head = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ"
    body = "eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0"
    wrapped = f"x {head}.{body[:20]}\n  {body[20:]}.c2lnbmF0dXJlc2lnbmF0dXJl"
    assert any("\n" in wrapped[f[1]:f[2]] for f in secrets.matches(wrapped))  # one, wrapped
    apart = f"x {head}.{body[:20]}\n\n{body[20:]}.c2lnbmF0dXJl"
    assert all("\n\n" not in apart[f[1]:f[2]] for f in secrets.matches(apart))
