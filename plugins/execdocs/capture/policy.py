"""The capture tool's command policy: run only what is known to be read-only (fail closed).

A command is judged as the shell will read it. ``\\``-newline continuations are joined first
(the joined text is what runs), then tree-sitter-bash parses it into a typed syntax tree and
every node must be of a kind this module understands: plain commands, pipelines, ``&&``/``||``/
``;`` lists, quoted and unquoted literal words, and redirections to ``/dev/null`` or between
the standard streams. Everything else is refused by name: command and process substitution,
variable expansion, subshells and groups, background ``&``, here-documents, redirection to a
file, ``eval``/``exec``/``source``/``.``, interpreters (``sh -c``, ``| sh``), unparsable input,
non-ASCII characters (look-alike dashes and quotes). Each stage of a pipeline or list is then
unwrapped (``sudo``, ``env``, ``timeout``, harmless ``VAR=value`` prefixes) and its program,
subcommands and flags are looked up in the allowlist (``programs``, ``programs_host``);
anything not there is "not known to be read-only". A maintainer may lift that last kind of
refusal for one run with ``--allow PROGRAM[ SUBCOMMAND]``; ``--allow-mutating`` lifts all but
"cannot parse".

Why tree-sitter-bash and not bashlex: bashlex (last release 2023) raises NotImplementedError on
common shell (``time``, ``$((..))``, ``case``) and gives untyped parts, so a refusal could only
say "cannot parse"; tree-sitter-bash is maintained, parses all of bash into typed nodes, so the
policy allowlists node types (an unknown type is refused) and names each refusal; its error
tolerance is turned into a refusal (``has_error``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

from execdocs.capture.argspec import Refusal, judge
from execdocs.capture.programs import value_refusal
from execdocs.capture.programs_host import PROGRAMS
from execdocs.capture.shellwords import (
    Refused,
    assignment,
    check_env,
    literal,
    redirect,
    unwrap,
)

_PARSER = Parser(Language(tree_sitter_bash.language()))

INTERPRETERS = frozenset({
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh", "busybox", "python",
    "python2", "python3", "perl", "ruby", "node", "nodejs", "php", "lua", "tclsh", "expect",
    "awk", "gawk", "mawk", "nawk", "pwsh", "osascript",
})
RUNS_OTHER_CODE = {
    "eval": "runs its arguments as shell code",
    "exec": "replaces the shell with another program",
    "source": "runs a file as shell code",
    ".": "runs a file as shell code",
    "xargs": "builds a command from its input, which this check cannot see",
    "command": "runs another command this check does not follow",
    "builtin": "runs another command this check does not follow",
    "nohup": "keeps a command running after the capture ends",
    "setsid": "keeps a command running after the capture ends",
    "watch": "never ends (it repeats the command until killed)",
    "tee": "writes files",
}

HINTS = {
    "unparsable": "fix the command's quoting so a shell parser can read it",
    "unicode": "retype the command in ASCII (a copied '‐' or '“' is not '-' or '\"'); if the "
               "character is meant, check the command yourself and pass --allow-mutating",
    "substitution": "write the value out, or use a <placeholder> and pass --fill",
    "expansion": "write the value out, or use a <placeholder> and pass --fill",
    "glob": "quote the word ('...') so the shell passes it as written",
    "redirection": "drop the redirection: the capture records stdout and stderr itself",
    "background": "drop the '&': a capture waits for the command to end",
    "interpreter": "document the commands themselves rather than a script; to run it anyway, "
                   "read it and pass --allow-mutating",
    "structure": "document plain commands (pipelines and && lists are fine); to run it anyway, "
                 "read it and pass --allow-mutating",
    "assignment": "drop the assignment, or pass the variable with --env",
    "path": "call the program by name (looked up on PATH) or from a system bin directory",
    "never-ends": "use a bounded form (--tail/-n instead of -f, --no-stream, no --watch); or "
                  "--allow '{key}' to run it until --timeout",
    "not-read-only": "if it only reads, pass --allow '{key}' (this run only); if it changes the "
                     "system, --allow-mutating",
    "repeats": "document the command itself (a capture records one run of it); to run it "
               "anyway, pass --allow-mutating",
    "writes": "drop 'tee': the capture records the output itself; to run it anyway, pass "
              "--allow-mutating",
}


@dataclass(frozen=True)
class Verdict:
    """What the policy says about one command line."""

    command: str
    """The text judged, continuations joined: the text that runs."""
    reason: str = ""
    """Why it is refused (``""``: allowed)."""
    kind: str = ""
    """The class of refusal (``substitution``, ``not-read-only``, ...)."""
    hint: str = ""
    allowed_by: str = ""
    """``--allow 'kubectl create'`` when a maintainer's --allow decided."""

    @property
    def allowed(self) -> bool:
        """True when the command may run."""
        return not self.reason

    def message(self) -> str:
        """``reason; hint`` for a plan or progress line."""
        return f"{self.reason}; {self.hint}" if self.hint else self.reason


@dataclass(frozen=True)
class Allowance:
    """One ``--allow PROGRAM[ SUBCOMMAND]`` given on the command line."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Allowance:
        """``'kubectl create'`` -> Allowance; ValueError for anything but one or two names."""
        words = tuple(text.split())
        if not 1 <= len(words) <= 2 or not all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", w)
                                               for w in words):
            raise ValueError(f"--allow '{text}' is not PROGRAM or 'PROGRAM SUBCOMMAND' "
                             "(plain names)")
        return cls(words)

    def __str__(self) -> str:
        return " ".join(self.words)


_CONTINUATION = re.compile(r"(?<!\\)((?:\\\\)*)\\\n")


def join_continuations(command: str) -> str:
    """The command with every backslash-newline removed, as the shell reads it."""
    return _CONTINUATION.sub(r"\1", command).strip()


def check(command: str, allow: tuple[Allowance, ...] = ()) -> Verdict:
    """Judge ``command`` (see the module doc); never raises for bad input."""
    text = join_continuations(command)
    try:
        allowed_by = _judge(text, allow)
    except RecursionError:  # nested deeper than any documented command
        return Verdict(text, "the command nests too deeply to be judged", "structure",
                       HINTS["structure"])
    except Refused as exc:
        hint = HINTS.get(exc.kind, "").replace("{key}", exc.key)
        return Verdict(text, exc.reason, exc.kind, hint)
    return Verdict(text, allowed_by=allowed_by)


def _judge(text: str, allow: tuple[Allowance, ...]) -> str:
    if not text:
        raise Refused("unparsable", "empty command")
    for col, char in enumerate(text, start=1):
        if not (" " <= char <= "~" or char in "\t\n"):
            raise Refused("unicode", f"character U+{ord(char):04X} "
                           f"{unicodedata.name(char, 'unnamed')} at column {col}{_looks(char)}")
    tree = _PARSER.parse(text.encode())
    if tree.root_node.has_error:
        at = _first_error(tree.root_node)
        raise Refused("unparsable", f"the shell parser cannot read it (near column {at + 1}: "
                       f"{text[at:at + 20]!r})")
    _comments(tree.root_node, text)
    _background(tree.root_node)
    used: list[str] = []
    _statements(tree.root_node, allow, used)
    return ", ".join(f"--allow '{u}'" for u in dict.fromkeys(used))


def _background(node: Node) -> None:
    """Refuse a background ``&`` or a substitution anywhere, before any stage is judged: they
    run something whatever the rest of the line is, so they are the worse news."""
    for child in node.children:
        if child.type == "&":
            raise Refused("background", "'&' runs a command in the background, where it "
                           "outlives the capture")
        if child.type in ("command_substitution", "process_substitution"):
            literal(child)  # raises, naming the substitution
        _background(child)


def _comments(node: Node, text: str) -> None:
    """Refuse a comment the shell may not read as one: sh starts a comment only at a word's
    start, and the parser ends a word at an escaped blank (``\\ #``) where sh does not -- what
    the parser drops as a comment would run (``kubectl get pods \\ #; touch x``)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "comment":
            at = current.start_byte
            before = text[:at]
            if before and not _COMMENT_START.search(before):
                raise Refused("unparsable", f"the '#' at column {at + 1} may not start a "
                               "comment for the shell (it follows an escaped character), so "
                               "what follows it may run")
        stack.extend(current.children)


# what stands before a '#' that starts a comment: the line's start, or a blank or an operator
# that no backslash escapes
_COMMENT_START = re.compile(r"(?:^|(?<!\\)(?:\\\\)*[ \t\n;&|()])[ \t]*\Z")


def _looks(char: str) -> str:
    plain = unicodedata.normalize("NFKC", char)
    for ascii_char, family in (("-", "‐‑‒–—―−﹣－"), ('"', "“”„‟＂"), ("'", "‘’‚‛＇"),
                               (" ", "\u00a0\u2000\u2001\u2002\u2003\u2009\u200a\u202f\u3000")):
        if char in family:
            return f", which looks like {ascii_char!r}"
    if plain != char and plain.isascii():
        return f", which looks like {plain!r}"
    if unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp"):
        return " (invisible)"
    return ""


def _first_error(node: Node) -> int:
    if node.type == "ERROR" or node.is_missing:
        return node.start_byte
    for child in node.children:
        if child.has_error:
            return _first_error(child)
    return node.start_byte


_STRUCTURES = {
    "subshell": "a subshell '( … )'", "compound_statement": "a command group '{ … }'",
    "function_definition": "a function definition", "if_statement": "an 'if' statement",
    "while_statement": "a loop", "for_statement": "a loop", "c_style_for_statement": "a loop",
    "case_statement": "a 'case' statement", "test_command": "a test '[ … ]'",
    "variable_assignment": "a shell variable assignment (it changes what later commands see)",
    "declaration_command": "an export/declare (it changes what later commands see)",
    "unset_command": "an unset", "heredoc_body": "a here-document",
}


def _statements(node: Node, allow: tuple[Allowance, ...], used: list[str]) -> None:
    """Judge every statement under ``node`` (program, list, pipeline...)."""
    for index, child in enumerate(node.children):
        kind = child.type
        if kind in ("comment", ";", "&&", "||", "|", "\n", "!"):
            continue
        if kind == "&":
            raise Refused("background", "'&' runs a command in the background, where it "
                           "outlives the capture")
        if kind == "|&":
            raise Refused("redirection", "'|&' is bash-only (sh reads it differently)")
        if kind in ("list", "negated_command", "pipeline"):
            _statements(child, allow, used)
        elif kind == "redirected_statement":
            body = None
            for at, part in enumerate(child.children):
                if child.field_name_for_child(at) == "body":
                    body = part
                else:
                    redirect(part)
            if body is None:
                raise Refused("structure", "a redirection without a command")
            _statement(body, allow, used, node.type == "pipeline" and index > 0)
        elif kind == "command":
            _statement(child, allow, used, node.type == "pipeline" and index > 0)
        elif kind in _STRUCTURES:
            raise Refused("structure", f"{_STRUCTURES[kind]} is not a plain command")
        else:
            raise Refused("structure", f"shell construct '{kind}' is not understood")


def _statement(node: Node, allow: tuple[Allowance, ...], used: list[str], piped: bool) -> None:
    if node.type in ("list", "pipeline", "negated_command"):
        _statements(node, allow, used)
        return
    if node.type != "command":
        if node.type in _STRUCTURES:
            raise Refused("structure", f"{_STRUCTURES[node.type]} is not a plain command")
        raise Refused("structure", f"shell construct '{node.type}' is not understood")
    assigns: list[tuple[str, str]] = []
    words: list[str] = []
    for child in node.children:
        if child.type == "variable_assignment":
            assigns.append(assignment(child))
        elif child.type in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
            redirect(child)
        elif child.type == "command_name":
            words.append(literal(child.children[0]))
        else:
            words.append(literal(child))
    if not words:
        raise Refused("structure", "a variable assignment without a command")
    for name, value in assigns:
        check_env(name, value)
    key = _stage(words, allow, piped)
    if key:
        used.append(key)


def _stage(raw: list[str], allow: tuple[Allowance, ...], piped: bool) -> str:
    """Judge one simple command; the --allow that decided it (``""`` when none did)."""
    words = unwrap(raw)
    prog, args = words[0], words[1:]
    if prog in INTERPRETERS:
        if piped and not any(a == "-c" for a in args):
            raise Refused("interpreter", f"pipes data into '{prog}', which runs it as code")
        raise Refused("interpreter", f"'{prog}' runs a script or code this check cannot judge")
    if prog in RUNS_OTHER_CODE:  # no --allow lifts these (it names a program, not this)
        kind = {"watch": "repeats", "tee": "writes"}.get(prog, "interpreter")
        raise Refused(kind, f"'{prog}' {RUNS_OTHER_CODE[prog]}", prog)
    tool = PROGRAMS.get(prog)
    refusal = judge(prog, tool, args) if tool is not None else Refusal(
        f"'{prog}' is not known to be read-only", "not-read-only", prog)
    if refusal is None and (why := value_refusal(prog, args)):
        refusal = Refusal(f"'{prog}' {why}", "not-read-only", prog)
    if refusal is None:
        return ""
    first = next((a for a in args if not a.startswith("-")), "")
    label = refusal.allow_key.split()
    if label[:1] == ["k3s"] and label[1:2] in (["kubectl"], ["crictl"], ["ctr"]):
        label = label[1:]
    for entry in allow:
        if tuple(label[: len(entry.words)]) == entry.words or (
                tool is None and entry.words == (prog, first)):
            return str(entry)
    raise Refused(refusal.kind, refusal.reason, " ".join(label[:2]))
