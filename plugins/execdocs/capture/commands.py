"""Which commands a page documents, for the capture tool (a minimal reading of console fences).

The snippets feature owns the full page parser (opt-outs, per-fence sessions, assertions). Until
the capture tool can use it, this reads what the capture tool needs and nothing more: every
```` ```console ```` fence (also indented inside an admonition or a content tab) and each ``$ ``
line in it, with a trailing ``\\`` joining the next line, at its 1-based line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<marks>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
PLACEHOLDER = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class Documented:
    """One ``$ command`` on a page."""

    path: str
    line: int
    command: str

    @property
    def placeholders(self) -> list[str]:
        """``<pod명>``-style words the command needs filled before it can run."""
        return PLACEHOLDER.findall(self.command)


def commands_in_text(text: str, path: str) -> list[Documented]:
    """Every ``$ `` command in the console fences of ``text``."""
    found: list[Documented] = []
    fence: tuple[str, str] | None = None  # (indent, marks) of the open fence
    is_console = False
    pending: tuple[int, str] | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = (m["indent"], m["marks"])
                lang = m["info"].strip().split(" ", 1)[0].lstrip(".{").rstrip("}")
                is_console = lang == "console"
            continue
        if m and m["marks"].startswith(fence[1]) and not m["info"].strip():
            fence, pending = None, None
            continue
        if not is_console:
            continue
        body = line[len(fence[0]):] if line.startswith(fence[0]) else line.lstrip()
        if pending is not None:
            start, cmd = pending
            cmd = cmd[:-1].rstrip() + " " + body.strip()
            pending = (start, cmd) if cmd.endswith("\\") else None
            if pending is None:
                found.append(Documented(path, start, cmd))
            continue
        if body.startswith("$ "):
            cmd = body[2:].strip()
            if cmd.endswith("\\"):
                pending = (lineno, cmd)
            else:
                found.append(Documented(path, lineno, cmd))
    return found


def commands_in_pages(paths: list[Path]) -> list[Documented]:
    """Commands of every page, in page order then line order."""
    out: list[Documented] = []
    for path in paths:
        out += commands_in_text(Path(path).read_text(encoding="utf-8"), str(path))
    return out
