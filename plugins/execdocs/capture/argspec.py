"""How one program's arguments are read: flags, subcommands, operands (used by ``programs``).

A :class:`Tool` describes what is known to be read-only about a program or one of its
subcommands. Anything it does not describe is refused: an unknown flag, an unknown
subcommand, an operand where none is expected. Flags are read the way getopt/pflag read them
(``--name=value``, ``--name value``, ``-n value``, ``-nvalue``, bundled ``-abc``), so a flag
hidden in a bundle (``tail -fn 20``) or given before the verb (``kubectl -v 9 delete``) is
seen. A flag whose kind is ``"!reason"`` is named in the refusal (``-f`` never ends).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

BOOL = "b"
VALUE = "v"
NEVER_ENDS = "!never ends (it follows or watches until killed)"
WRITES = "!writes a file"

Check = Callable[[list[str]], "str | None"]


def optional(pattern: str) -> str:
    """A flag with an optional value: the next word is its value only if it matches."""
    return "o:" + pattern


@dataclass(frozen=True)
class Tool:
    """What is known to be read-only about a program or subcommand."""

    flags: Mapping[str, str] = field(default_factory=dict)
    """Flag -> ``BOOL``, ``VALUE``, ``optional(regex)`` or ``"!reason"`` (refused)."""
    subs: Mapping[str, Tool] | None = None
    """Subcommands; ``None``: the positional words are operands."""
    denied: Mapping[str, str] = field(default_factory=dict)
    """Subcommands refused with a named reason (``edit``: never ends)."""
    operands: int | None = None
    """Most operands allowed (``None``: any number)."""
    bare: bool = True
    """Allowed with no subcommand at all (``systemctl`` lists units)."""
    any_args: bool = False
    """Every argument is fine (``ps``, ``cat``, ``grep``): no flag writes or runs anything."""
    exact_flags: bool = False
    """Flags are single-dash long words (``ip -brief``): never split into bundles."""
    numeric_flag: bool = False
    """``-20`` is a count (``tail -20``)."""
    require: tuple[str, ...] = ()
    """At least one of these flags must be given (``nerdctl stats --no-stream``)."""
    require_reason: str = ""
    check: Check | None = None
    """Extra rule on the whole argument list; returns a refusal reason or ``None``."""


@dataclass(frozen=True)
class Refusal:
    """Why a stage is refused, and the ``--allow`` words that would lift it."""

    reason: str
    kind: str
    allow_key: str


_NUMBER = re.compile(r"-\d+")


def judge(label: str, tool: Tool, args: list[str],
          inherited: Mapping[str, str] | None = None) -> Refusal | None:
    """Walk ``args`` of ``label`` (``kubectl get``) against ``tool``; the refusal or ``None``."""
    if tool.any_args:
        reason = tool.check(args) if tool.check else None
        return Refusal(f"'{label}' {reason}", "not-read-only", label) if reason else None
    flags: dict[str, str] = dict(inherited or {})
    flags.update(tool.flags)
    seen: list[str] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            if tool.subs is not None:  # ctr/crictl (urfave/cli) still take the command after it
                return Refusal(f"'{label}' with '--' before its subcommand is not known to be "
                               "read-only", "not-read-only", label)
            operands += args[i:]
            break
        count = tool.numeric_flag and _NUMBER.fullmatch(arg)
        if arg.startswith("-") and arg != "-" and not count:
            names, consumed, bad = _read_flag(arg, args[i] if i < len(args) else None, flags,
                                              tool.exact_flags)
            if bad:
                return Refusal(f"'{label}' with flag '{bad}': {_why(flags.get(bad, ''))}",
                               _kind(flags.get(bad, "")), label)
            seen += names
            i += consumed
            continue
        if tool.subs is not None:
            if arg in tool.denied:
                return Refusal(f"'{label} {arg}' {tool.denied[arg]}",
                               "never-ends" if "never ends" in tool.denied[arg]
                               else "not-read-only", f"{label} {arg}")
            sub = tool.subs.get(arg)
            if sub is None:
                return Refusal(f"'{label} {arg}' is not known to be read-only", "not-read-only",
                               f"{label} {arg}")
            return judge(f"{label} {arg}", sub, args[i:], flags)
        operands.append(arg)
    if tool.subs is not None and not tool.bare:
        return Refusal(f"'{label}' without a subcommand is not known to be read-only",
                       "not-read-only", label)
    if tool.operands is not None and len(operands) > tool.operands:
        extra = operands[tool.operands]
        return Refusal(f"'{label}' with operand '{extra}' is not known to be read-only",
                       "not-read-only", label)
    if tool.require and not any(r in seen for r in tool.require):
        return Refusal(f"'{label}' {tool.require_reason}", "never-ends", label)
    if tool.check:
        reason = tool.check(args)
        if reason:
            return Refusal(f"'{label}' {reason}", "not-read-only", label)
    return None


def _read_flag(arg: str, nxt: str | None, flags: Mapping[str, str],
               exact: bool) -> tuple[list[str], int, str]:
    """The flag names in ``arg``, how many following words they consume, and the first
    refused or unknown flag (``""`` when none)."""
    if arg.startswith("--") or exact:
        name, eq, value = arg.partition("=")
        kind = flags.get(name)
        if kind is None or kind.startswith("!"):
            return [], 0, name
        if kind == VALUE:
            if eq:
                return [name], 0, ""
            return ([name], 1, "") if nxt is not None else ([], 0, name)
        if kind.startswith("o:") and not eq and nxt is not None and re.fullmatch(kind[2:], nxt):
            return [name], 1, ""
        if kind == BOOL and eq and value not in ("true", "false"):
            return [], 0, name
        return [name], 0, ""
    names: list[str] = []
    body = arg[1:]
    for pos, char in enumerate(body):
        name = "-" + char
        kind = flags.get(name)
        if kind is None or kind.startswith("!"):
            return [], 0, name
        names.append(name)
        rest = body[pos + 1:].removeprefix("=")
        if kind == VALUE:
            if rest:
                return names, 0, ""
            return (names, 1, "") if nxt is not None else ([], 0, name)
        if kind.startswith("o:"):
            if rest:
                return (names, 0, "") if re.fullmatch(kind[2:], rest) else ([], 0, name)
            if nxt is not None and re.fullmatch(kind[2:], nxt):
                return names, 1, ""
            return names, 0, ""
    return names, 0, ""


def _why(kind: str) -> str:
    if kind.startswith("!"):
        return kind[1:]
    return "not known to be read-only (or it needs a value)" if kind else \
        "not known to be read-only"


def _kind(kind: str) -> str:
    return "never-ends" if "never ends" in kind else "not-read-only"


def flagset(kind: str, *names: str) -> dict[str, str]:
    """``{name: kind}`` for several names (``flagset(BOOL, "-a", "--all")``)."""
    return dict.fromkeys(names, kind)
