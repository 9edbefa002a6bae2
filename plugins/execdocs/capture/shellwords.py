"""Shell words as the policy reads them: literal values of word nodes, redirections, variable
assignments, and the wrappers (``sudo``, ``env``, ``timeout``) in front of a program.

Helpers of ``capture/policy.py``; each raises :class:`Refused` naming what it cannot accept.
"""

from __future__ import annotations

import re

from tree_sitter import Node

SYSTEM_DIRS = ("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/local/sbin")
SAFE_ENV = frozenset({
    "KUBECONFIG", "CONTAINERD_ADDRESS", "CONTAINERD_NAMESPACE", "CONTAINER_RUNTIME_ENDPOINT",
    "IMAGE_SERVICE_ENDPOINT", "LANG", "LC_ALL", "LANGUAGE", "TZ", "NO_COLOR", "COLUMNS",
    "TERM", "SYSTEMD_COLORS",
})
"""Variables a command may set for itself: they choose a daemon, a locale or a width."""
_PAGER_ENV = frozenset({"PAGER", "SYSTEMD_PAGER", "KUBECTL_PAGER"})

class Refused(Exception):
    """A refusal: its kind, the reason, and the words an --allow would name."""

    def __init__(self, kind: str, reason: str, key: str = ""):
        super().__init__(reason)
        self.kind, self.reason, self.key = kind, reason, key



def assignment(node: Node) -> tuple[str, str]:
    """``(name, value)`` of a ``NAME=value`` node (the value must be a literal)."""
    name_node = node.child_by_field_name("name")
    value_node = node.child_by_field_name("value")
    name = name_node.text.decode() if name_node is not None and name_node.text else ""
    value = literal(value_node) if value_node is not None else ""
    return name, value


def check_env(name: str, value: str) -> None:
    """Refuse setting ``name`` unless it only chooses a daemon, a locale or a width."""
    if name in _PAGER_ENV and value in ("", "cat"):
        return
    if name not in SAFE_ENV:
        raise Refused("assignment", f"setting {name} is not known to be harmless (only "
                       "variables that choose a daemon, a locale or a width are)")
    if name == "KUBECONFIG" and (why := kubeconfig_refusal(value)):
        raise Refused("assignment", f"KUBECONFIG {why}")


def kubeconfig_refusal(path: str) -> str | None:
    """Why a kubeconfig at ``path`` (``:``-separated, as KUBECONFIG) is refused: one from a
    relative path (the repository, a contributor's file) can run any program
    (``users[].user.exec``)."""
    for part in path.split(":"):
        if part and not part.startswith(("/", "~/")):
            return (f"reads the kubeconfig '{part}' from a relative path; a kubeconfig can run a "
                    "program (users[].user.exec), so name one by its absolute path")
    return None


def redirect(node: Node) -> None:
    """Refuse a redirection unless it goes to ``/dev/null`` or between the standard streams."""
    if node.type != "file_redirect":
        raise Refused("redirection", "a here-document or here-string feeds the command input "
                       "this check does not read")
    op = ""
    targets: list[Node] = []
    for child in node.children:
        if child.type == "file_descriptor":
            continue
        if not child.is_named:
            op = child.type
        else:
            targets.append(child)
    if len(targets) > 1:
        raise Refused("redirection", "words after a redirection ('> FILE word ...') are read "
                       "differently by the shell than by the parser")
    target = literal(targets[0]) if targets else ""
    if op in (">&-", "<&-"):
        return
    if op in (">&", "<&") and target in ("0", "1", "2"):
        return
    if op in (">", ">>", "<") and target == "/dev/null":
        return
    if op in ("&>", "&>>"):
        raise Refused("redirection", f"'{op}' is read by sh as '&' (background) then '>'")
    raise Refused("redirection", f"redirection '{op} {target}' writes or reads a file other "
                   "than /dev/null")


_SPECIAL = re.compile(r"[*?\[\]{}$`]")


def literal(node: Node) -> str:
    """The word the shell passes for ``node``, or a refusal when it cannot be known here."""
    kind = node.type
    text = node.text.decode() if node.text else ""
    if kind == "word":
        special = _SPECIAL.search(text.replace("\\\\", "").replace("\\*", "").replace("\\?", ""))
        if special:
            char = special.group()
            if char in "$`":
                raise Refused("expansion", f"'{char}' in '{text}' expands to something this "
                               "check cannot see")
            raise Refused("glob", f"unquoted '{char}' in '{text}' (the shell may expand it to "
                           "file names or several words)")
        return re.sub(r"\\(.)", r"\1", text)
    if kind == "number":
        return text
    if kind == "raw_string":
        return text[1:-1]
    if kind == "string":
        out = []
        for child in node.children:
            if child.type == '"':
                continue
            if child.type != "string_content":
                return literal(child)  # raises: an expansion inside double quotes
            out.append(re.sub(r'\\([\\"$`])', r"\1", child.text.decode() if child.text else ""))
            if re.search(r"(?<!\\)[$`]", child.text.decode() if child.text else ""):
                raise Refused("expansion", f"'$' or '`' inside {text} expands")
        return "".join(out)
    if kind == "concatenation":
        return "".join(literal(child) for child in node.children)
    if kind in ("command_substitution", "process_substitution"):
        raise Refused("substitution", f"{'command' if kind[0] == 'c' else 'process'} "
                       f"substitution {text[:40]!r} runs a command this check does not judge")
    if kind in ("simple_expansion", "expansion", "arithmetic_expansion"):
        raise Refused("expansion", f"{text[:40]!r} expands to a value this check cannot see")
    if kind in ("ansi_c_string", "translated_string"):
        raise Refused("expansion", f"{text[:40]!r}: $'…' and $\"…\" quoting is bash-only "
                       "(sh reads it differently)")
    if kind == "brace_expression":
        raise Refused("glob", f"brace expansion {text!r}")
    raise Refused("structure", f"shell construct '{kind}' ({text[:40]!r}) is not understood")


def program(word: str) -> str:
    """The program name of ``word``; a path is accepted only inside the system bin folders."""
    if "/" not in word:
        return word
    folder, _, name = word.rpartition("/")
    if folder not in SYSTEM_DIRS or not name:
        raise Refused("path", f"program '{word}' is run by a path outside the system bin "
                       "directories", word)
    return name


def unwrap(words: list[str]) -> list[str]:
    """Strip ``sudo [-n -E -H -u U]``, ``env [-i] [-u N] [N=V]``, ``timeout [..] DUR``."""
    while words:
        prog = program(words[0])
        rest = words[1:]
        if prog == "sudo":
            rest = _skip(rest, bools=("-n", "-E", "-H", "-S", "-k", "--non-interactive",
                                      "--preserve-env"), values=("-u", "-g", "--user",
                                                                 "--group"), who="sudo")
        elif prog == "env":
            rest = _skip(rest, bools=("-i", "--ignore-environment", "-0", "--null"),
                         values=("-u", "--unset"), who="env")
            if not rest:
                return ["env"]
        elif prog == "timeout":
            rest = _skip(rest, bools=("--preserve-status", "--foreground", "-v", "--verbose"),
                         values=("-k", "--kill-after", "-s", "--signal"), who="timeout")
            if not rest or not re.fullmatch(r"\d+(\.\d+)?[smhd]?", rest[0]):
                raise Refused("not-read-only", "'timeout' without a plain duration", "timeout")
            rest = rest[1:]
        else:
            return [prog, *rest]
        while rest and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", rest[0], re.DOTALL):
            name, _, value = rest[0].partition("=")
            check_env(name, value)
            rest = rest[1:]
        if not rest:
            raise Refused("not-read-only", f"'{prog}' without a command is not known to be "
                           "read-only", prog)
        words = rest
    return words


def _skip(words: list[str], bools: tuple[str, ...], values: tuple[str, ...], who: str) -> list[str]:
    while words and words[0].startswith("-"):
        flag = words[0]
        if flag == "--":
            return words[1:]
        if flag in bools or flag.startswith("--preserve-env="):
            words = words[1:]
        elif flag in values and len(words) > 1:
            words = words[2:]
        elif any(flag.startswith(v) and len(flag) > len(v) and not v.startswith("--")
                 for v in values):
            words = words[1:]
        else:
            raise Refused("interpreter", f"'{who}' with flag '{flag}' is not known to be "
                           "read-only (it may start a shell or edit a file)", who)
    return words
