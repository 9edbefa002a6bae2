"""``<placeholder>`` words in documented commands, and what may fill them.

One definition shared by the check (``snippets/check.py``: a capture's ``run:`` must be its
documented command with each placeholder filled) and the capture tool (``capture/commands.py``
and the CLI: which words need ``--fill``, and whether a stored ``run:`` may be executed again).
A fill is one word of letters, digits and ``._:@/+=-`` that does not start with ``-``: a pod or
node name, an id, a path; never a flag, a space, a quote or any shell syntax, so filling a
placeholder can never change what the command does beyond naming its object.
"""

from __future__ import annotations

import re

from execdocs.snippets.store import normalise_command

PLACEHOLDER = re.compile(r"<[^\s<>](?:[^<>\n]*[^\s<>])?>")
"""``<pod명>``, ``<node name>``: angle brackets around a name with no blank at either end."""
FILL = re.compile(r"[A-Za-z0-9._:@/+=][A-Za-z0-9._:@/+=-]*")
"""What one placeholder may be filled with."""
_SUDO = re.compile(r"^sudo(?:\s+-[a-zA-Z]+)*\s+")


def names(command: str) -> list[str]:
    """The placeholders of ``command``, in order (``['<pod명>']``)."""
    return PLACEHOLDER.findall(command)


def fill_problem(value: str) -> str | None:
    """Why ``value`` may not fill a placeholder (``'a b' (2 tokens, expected one)``), or None."""
    why = _why(value)
    return None if why is None else f"{value!r} {why}"


def _why(value: str) -> str | None:
    if FILL.fullmatch(value):
        return None
    if not value:
        return "(empty)"
    if len(value.split()) > 1:
        return f"({len(value.split())} tokens, expected one)"
    if value.startswith("-"):
        return "(it starts with '-': a fill names an object, it is never a flag)"
    bad = next((c for c in value if not re.fullmatch(r"[A-Za-z0-9._:@/+=-]", c)), "")
    return f"(it holds {bad!r}; a fill is one word of letters, digits and ._:@/+=-)"


def run_problem(command: str, run: str) -> str | None:
    """Why ``run`` is not ``command`` with each placeholder filled by one safe word, or None.

    A leading ``sudo`` (with flags such as ``-n``) is ignored on both sides: running as root
    without it, or with ``sudo -n`` so it never prompts, runs the same command.
    """
    cmd = _SUDO.sub("", normalise_command(command))
    ran = _SUDO.sub("", normalise_command(run))
    parts = PLACEHOLDER.split(cmd)
    found = PLACEHOLDER.findall(cmd)
    if cmd == ran:  # nothing filled: the <...> is the command's own text (echo '<b>')
        return None
    if not found:
        return f"the command as run is {run!r}"
    one_word = "".join(re.escape(p) + (f"({FILL.pattern})" if i < len(found) else "")
                       for i, p in enumerate(parts))
    if re.fullmatch(one_word, ran):
        return None
    loose = "".join(re.escape(p) + ("(.+?)" if i < len(found) else "")
                    for i, p in enumerate(parts))
    m = re.fullmatch(loose, ran)
    if m:
        for name, value in zip(found, m.groups(), strict=True):
            why = _why(value)
            if why:
                return f"placeholder {name} is filled with {value!r} {why}"
    return f"the command as run, {run!r}, is not {command!r} with its placeholders filled"
