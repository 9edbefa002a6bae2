"""Redaction before anything is written, with the snippet check's own secret rules.

One ``Redactor`` per capture: the same value gets the same placeholder in stdout and stderr
(``<REDACTED:jwt#1>`` twice), and numbering restarts for every capture, so a re-recorded output
holding the same secrets redacts to the same bytes (drift stays ``identical``). Then the redacted
text is scanned again: anything still found blocks the write (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass

from execdocs import secrets


@dataclass(frozen=True)
class Redacted:
    """Both streams after redaction, counts by kind (never values), and what survived it."""

    stdout: bytes
    stderr: bytes
    counts: dict[str, int]
    left: list[str]
    """Findings still present after redaction, described without their value."""


def redact_streams(stdout: bytes, stderr: bytes, command: str = "") -> Redacted:
    """Redact one command's output and re-scan it. ``command`` (as run) matters for commands
    that print a Secret's values bare (``-o jsonpath='{.data.password}'``): their whole stdout
    becomes one placeholder."""
    redactor = secrets.Redactor()
    if secrets.prints_secret_values(command):
        stdout = redactor.redact_whole(stdout)
    out, err = redactor.redact(stdout), redactor.redact(stderr)
    left = [f.describe(name) for name, text in (("stdout", out), ("stderr", err))
            for f in secrets.scan(text)]
    if secrets.unredacted_output(command, out):
        left.append("the output of a command that prints Secret values")
    return Redacted(out, err, dict(redactor.counts), left)
