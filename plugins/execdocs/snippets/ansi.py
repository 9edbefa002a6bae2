"""ANSI escape sequences in captured output: colours become spans, everything else is dropped.

The text is HTML-escaped here, so the result can go straight into ``<code>``.
"""

from __future__ import annotations

import html
import re

# CSI ... final byte, OSC ... BEL/ST, and two-byte escapes (charset selection and the like).
_ESCAPE_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_SGR_RE = re.compile(r"\x1b\[([0-9;]*)m")
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


def _classes(params: str, state: dict[str, str]) -> None:
    codes = [int(c) for c in params.split(";") if c.isdigit()] or [0]
    for code in codes:
        if code == 0:
            state.clear()
        elif code == 1:
            state["weight"] = "ansi-bold"
        elif code == 22:
            state.pop("weight", None)
        elif 30 <= code <= 37:
            state["fg"] = f"ansi-{_COLOURS[code - 30]}"
        elif 90 <= code <= 97:
            state["fg"] = f"ansi-{_COLOURS[code - 90]}"
        elif code == 39:
            state.pop("fg", None)


def strip_ansi(text: str) -> str:
    """``text`` without escape sequences: what a block the site's highlighter renders shows
    (colours dropped, the text kept)."""
    return _ESCAPE_RE.sub("", text) if "\x1b" in text else text


def ansi_to_html(text: str) -> str:
    """HTML-escaped ``text`` with SGR colours/bold as ``<span class="ansi-...">``."""
    if "\x1b" not in text:
        return html.escape(text, quote=False)
    out: list[str] = []
    state: dict[str, str] = {}
    pos = 0
    for m in _ESCAPE_RE.finditer(text):
        chunk = text[pos : m.start()]
        if chunk:
            escaped = html.escape(chunk, quote=False)
            if state:
                out.append(f'<span class="{" ".join(sorted(state.values()))}">{escaped}</span>')
            else:
                out.append(escaped)
        sgr = _SGR_RE.fullmatch(m.group(0))
        if sgr:
            _classes(sgr.group(1), state)
        pos = m.end()
    tail = text[pos:]
    if tail:
        escaped = html.escape(tail, quote=False)
        cls = " ".join(sorted(state.values()))
        out.append(f'<span class="{cls}">{escaped}</span>' if state else escaped)
    return "".join(out)
