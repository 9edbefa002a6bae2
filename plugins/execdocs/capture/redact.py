"""Redaction before anything is written, with the snippet check's own secret rules.

One ``Redactor`` per capture: the same value gets the same placeholder in stdout, stderr and
the command as run (``<REDACTED:jwt#1>`` three times), and numbering restarts for every
capture, so a re-recorded output holding the same secrets redacts to the same bytes (drift
stays ``identical``). Then the redacted text is scanned again: anything still found blocks the
write (fail closed).

The command line is redacted too: a secret the shared rules find in it (``--token=…``,
``PGPASSWORD=… psql``), and a value filled in for a placeholder whose name says it is a secret
(``--fill '<token>=…'``: no rule needs to recognise the value, its name is enough). A secret
written in the *documented* command is the page's, not the capture tool's to hide: it blocks
the write with a pointer to the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from execdocs import secret_keywords, secrets

_PLACEHOLDER = re.compile(r"<([^<>\s]+)>")


@dataclass(frozen=True)
class Redacted:
    """Both streams after redaction, counts by kind (never values), and what survived it."""

    stdout: bytes
    stderr: bytes
    counts: dict[str, int]
    left: list[str]
    """Findings still present after redaction, described without their value."""
    run: str = ""
    """The command as run, redacted (what the capture's ``run:`` may hold)."""


def secret_fills(command: str, run: str) -> list[str]:
    """Values ``run`` has where ``command`` has a placeholder naming a secret (``<token>``,
    ``<db-password>``): matched by aligning the two command lines word by word."""
    return [value for name, value in _aligned(command, run)
            if secret_keywords.secret_key(name.replace("명", "")) and value]


def redacted_fills(command: str, run: str) -> list[str]:
    """The placeholders of ``command`` that a stored ``run`` fills with a redaction
    placeholder (``<token>`` -> ``<REDACTED:secret-fill#1>``): secrets given with ``--fill``
    when it was recorded, never stored, so they must be given again to run it."""
    return list(dict.fromkeys(f"<{name}>" for name, value in _aligned(command, run)
                              if secrets.PLACEHOLDER_RE.fullmatch(value)))


def _aligned(command: str, run: str) -> list[tuple[str, str]]:
    """(placeholder name, the text ``run`` has in its place), or [] when they don't align."""
    names = _PLACEHOLDER.findall(command)
    if not names:
        return []
    parts = _PLACEHOLDER.split(command)
    pattern = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts))
    m = re.fullmatch(pattern, run, re.S)
    return list(zip(names, m.groups(), strict=True)) if m else []


def _replace_values(text: str, values: list[str], redactor: secrets.Redactor) -> str:
    for value in sorted(set(values), key=len, reverse=True):
        if value in text:
            text = text.replace(value, redactor.placeholder("secret-fill", value))
    return text


def shown_command(documented: str, run: str) -> str:
    """``run`` as it may be printed on a terminal or in a log: secret fills and anything the
    rules find replaced by placeholders (the same redaction ``run:`` gets in the capture)."""
    redactor = secrets.Redactor()
    return redactor.redact(_replace_values(run, secret_fills(documented, run), redactor),
                           shell=True)


def redact_streams(stdout: bytes, stderr: bytes, command: str = "",
                   documented: str = "") -> Redacted:
    """Redact one command's output and the command as run (``command``), and re-scan them.
    ``command`` also matters for commands that print a Secret's values bare
    (``-o jsonpath='{.data.password}'``): their whole stdout becomes one placeholder.
    ``documented`` is the command as the page writes it (placeholders unfilled)."""
    redactor = secrets.Redactor()
    left: list[str] = []
    if documented and secrets.scan(documented, shell=True):
        left += [f.describe("the page's command") for f in secrets.scan(documented, shell=True)]
    fills = secret_fills(documented, command) if documented else []
    run = _replace_values(command, fills, redactor)
    run = redactor.redact(run, shell=True)
    out, err = redactor.redact(stdout), redactor.redact(stderr)
    if secrets.prints_secret_values(command) and secrets.unredacted_output(command, out):
        # a Secret's values printed bare: what no rule recognised goes whole (a k3s token
        # file keeps its own kind: the rules found it)
        out = redactor.redact_whole(out)
    if fills:
        out = _replace_values(out.decode("utf-8", "surrogateescape"), fills,
                              redactor).encode("utf-8", "surrogateescape")
        err = _replace_values(err.decode("utf-8", "surrogateescape"), fills,
                              redactor).encode("utf-8", "surrogateescape")
    left += [f.describe(name) for name, text in (("stdout", out), ("stderr", err))
             for f in secrets.scan(text)]
    left += [f.describe("the command as run") for f in secrets.scan(run, shell=True)]
    if secrets.unredacted_output(command, out):
        left.append("the output of a command that prints Secret values")
    return Redacted(out, err, dict(redactor.counts), left, run)
