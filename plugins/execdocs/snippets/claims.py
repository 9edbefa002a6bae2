"""Output lines written under a command in the page: the page's claim, held against the capture.

The comparison forgives what changes on every run -- the capture tool's drift normalisation
(``execdocs.capture.drift.normalise``: ages, IPs, ids, pod-name hashes, timestamps), trailing
spaces, a terminal's CR rewrites, blanks of another width (a tab expanded) -- and a line that
is only ``...`` (or ``…``) stands for any number of lines, as authors abbreviate long outputs.
What remains is a real contradiction.
"""

from __future__ import annotations

import difflib
import functools
import re

from execdocs.capture.drift import IDENTICAL, VOLATILE_ONLY, Output, classify, normalise

_ELLIPSIS = frozenset({"...", "…", "[...]", "(...)"})


def _norm(line: str) -> str:
    return re.sub(r"[ \t]+", " ", normalise(line.rstrip())).strip()


def _matches(claim: list[str], actual: list[str]) -> bool:
    """True when ``claim`` (``...`` lines as wildcards) covers ``actual``."""
    want = [None if ln.strip() in _ELLIPSIS else _norm(ln) for ln in claim]
    have = [_norm(ln) for ln in actual]

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(have)
        if want[i] is None:
            return any(match(i + 1, k) for k in range(j, len(have) + 1))
        return j < len(have) and want[i] == have[j] and match(i + 1, j + 1)

    return match(0, 0)


def terminal_lines(text: str) -> list[str]:
    """What a terminal shows, as lines (CRLF as LF, a CR-rewritten line shows its last form)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.rsplit("\r", 1)[-1] for ln in lines]


def contradiction(claim: list[str], stdout: str, stderr: str) -> str | None:
    """Why the written ``claim`` is not the captured output (a short diff), or None if it is.

    Blank lines are ignored on both sides; the claim may show stdout alone, or stderr and
    stdout in either order (a terminal interleaves them; the capture keeps them apart).
    """
    claim = [ln for ln in claim if ln.strip()]
    out = [ln for ln in terminal_lines(stdout) if ln.strip()]
    err = [ln for ln in terminal_lines(stderr) if ln.strip()]
    abbreviated = any(ln.strip() in _ELLIPSIS for ln in claim)
    for actual in (out, err + out, out + err, err):
        # line by line, blanks of any width alike: a tab shows as blanks (Python-Markdown
        # expands the page's tabs before the build reads them, a terminal the output's, and
        # `execdocs check` reads the page as written: all three must give one verdict)
        if _matches(claim, actual):
            return None
        if abbreviated:
            continue
        # the capture tool's own judgement: tables cell by cell, volatile columns forgiven
        drift = classify(Output(0, "\n".join(actual).encode(), b""),
                         Output(0, "\n".join(claim).encode(), b""))
        if drift.kind in (IDENTICAL, VOLATILE_ONLY):
            return None
    diff = difflib.unified_diff(out, claim, "capture", "page", n=0, lineterm="")
    shown = [ln for ln in diff if not ln.startswith(("---", "+++", "@@"))]
    more = f"\n... {len(shown) - 8} more" if len(shown) > 8 else ""
    return "\n".join(shown[:8]) + more
