"""Secret detection and redaction: one rule set for the snippet check and the capture tool.

``scan(text)`` lists findings (kind, line, column -- never the value); ``Redactor().redact(text)``
replaces each secret with a stable placeholder ``<REDACTED:kind#n>``: the same value gets the
same number everywhere one ``Redactor`` sees it (stdout and stderr of a capture, or a whole
session), numbers count up in order of first appearance, and ``counts`` tells how many distinct
values of each kind were replaced. A redacted text scans clean.

Kinds: ``private-key`` (PEM private key blocks; the BEGIN/END lines stay), ``jwt`` (three
base64url parts starting ``eyJ`` -- Kubernetes service-account tokens), ``bearer-token``
(``Authorization: Bearer ...``), ``kubeconfig-data`` (``client-key-data``,
``client-certificate-data``, ``certificate-authority-data``, ``token``, ``password`` values in a
kubeconfig; ``kubectl config view``'s own ``DATA+OMITTED``/``REDACTED`` are not secrets),
``k3s-token`` (``K10<hash>::<user>:<password>`` join tokens), ``bootstrap-token``
(``abcdef.0123456789abcdef``), ``url-password`` (``scheme://user:password@host``),
``aws-access-key`` (``AKIA...``), and ``secret-data`` (once a text says ``kind: Secret``
anywhere, every value directly under a ``data:``/``stringData:`` key: a YAML block mapping,
block scalars included, or a JSON or flow object, such as ``kubectl get secret -o yaml|json``,
a manifest, or the ``last-applied-configuration`` annotation). Detection is deliberately eager
(fail closed): a false positive costs a redaction, a miss publishes a credential.

A value printed bare has nothing to recognise it by, so commands are judged too:
:func:`prints_secret_values` names those whose whole output is a Secret's values (kubectl
``-o jsonpath``/go-template/custom-columns on a secret, ``... | base64 -d``); the capture tool
replaces such an output whole (:meth:`Redactor.redact_whole`) and the check rejects one that
holds anything but placeholders (:func:`unredacted_output`).

Text may be ``str`` or ``bytes`` (bytes are handled through ``surrogateescape`` so bytes that are
not UTF-8 survive redaction unchanged).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import overload

PLACEHOLDER_RE = re.compile(r"<REDACTED:[a-z0-9-]+#\d+>")

# Values that tools print in place of a secret: not secrets themselves.
_SAFE_VALUES = re.compile(
    r"^(?:DATA\+OMITTED|REDACTED|null|~|\"\"|''|<none>|<REDACTED:[a-z0-9-]+#\d+>)$"
)


@dataclass(frozen=True)
class Rule:
    """A secret kind and how to find its values: a pattern whose group ``secret`` is the value,
    or, where a pattern cannot say it, a function yielding each value's (start, end)."""

    kind: str
    pattern: re.Pattern[str] | None = None
    find: Callable[[str], Iterable[tuple[int, int]]] | None = None

    def spans(self, text: str) -> Iterable[tuple[int, int]]:
        """(start, end) of every value this rule finds in ``text``, safe ones included."""
        if self.find is not None:
            return self.find(text)
        assert self.pattern is not None
        return (m.span("secret") for m in self.pattern.finditer(text))


# A Secret's data and stringData: what makes a text hold one, and where their values are.
_SECRET_KIND = re.compile(r"""\bkind\\?["']?[ \t]*:[ \t]*\\?["']?Secret\b""")
# ``data:`` alone on its line opens a block mapping; ``lead`` is its indentation (list dashes
# included), and the mapping is every following line indented deeper.
_YAML_DATA_KEY = re.compile(r"(?P<lead>[ ]*(?:-[ ]+)*)(?:data|stringData):[ \t]*(?:#.*)?")
_YAML_KEY = re.compile(r"""[ ]*(?:"[^"]*"|'[^']*'|[^\s"'][^\n]*?):(?:[ \t]+|$)""")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t\r]*(?:#.*)?")
# JSON, a flow mapping, or JSON held in a JSON string (``\"data\":{...}``, as the
# last-applied-configuration annotation is printed by ``-o json``).
_OBJECT_DATA = re.compile(r"""(?<![\w.-])(?:data|stringData)\\?["']?[ \t]*:\s*\{""")
_OBJECT_ENTRY = re.compile(r"""
    \s*(?P<q>\\?["']?)[-._a-zA-Z0-9]+(?P=q)\s*:\s*        # key (Secret keys are [-._a-zA-Z0-9]+)
    (?:(?P<vq>\\?["'])(?P<quoted>(?:\\.|[^\\\n])*?)(?P=vq)(?=\s*[,}])  # quoted value;
                                  # its end quote is the one a , or } follows
      |(?P<bare>[^,{}\n"']*[^\s,{}"']))                     # number, null, plain scalar
    \s*,?""", re.X)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _yaml_entry_value(text: str, start: int, end: int) -> tuple[int, int]:
    """The value in ``text[start:end]``: past a block scalar's ``|`` and leading space, inside
    a one-line value's quotes."""
    line_end = text.find("\n", start, end)
    if _BLOCK_SCALAR.fullmatch(text, start, end if line_end == -1 else line_end):
        start = end if line_end == -1 else line_end
    value = text[start:end]
    start += len(value) - len(value.lstrip())
    value = text[start:end]
    if "\n" not in value and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return start + 1, end - 1
    return start, end


def _yaml_data_values(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the values of every ``data:``/``stringData:`` block mapping, by indentation."""
    lines = text.splitlines(keepends=True)
    at = list(accumulate(map(len, lines), initial=0))
    n = 0
    while n < len(lines):
        opener = _YAML_DATA_KEY.fullmatch(lines[n].rstrip())
        n += 1
        if not opener:
            continue
        outer, entry_indent = len(opener.group("lead")), None
        value: list[int] | None = None  # [start, end] of the entry being read
        while n < len(lines):
            line = lines[n].rstrip()
            n += 1
            if not line:
                continue
            indent = _indent(line)
            if indent <= outer:
                n -= 1  # the mapping ended; this line may open the next one
                break
            if entry_indent is None:
                entry_indent = indent
            if indent > entry_indent:  # a block scalar's or a multi-line scalar's lines
                if value is not None:
                    value[1] = at[n - 1] + len(line)
                continue
            if value is not None:
                yield _yaml_entry_value(text, *value)
            key = _YAML_KEY.match(line)
            # a comment is no value; a line without a key is one, all of it (fail closed)
            value = (None if line.lstrip().startswith("#") else
                     [at[n - 1] + (key.end() if key else indent), at[n - 1] + len(line)])
        if value is not None:
            yield _yaml_entry_value(text, *value)


def _object_data_values(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the values in every ``"data": {...}`` / ``stringData: {...}`` object."""
    for opener in _OBJECT_DATA.finditer(text):
        pos = opener.end()
        while entry := _OBJECT_ENTRY.match(text, pos):
            yield entry.span("quoted") if entry.group("vq") else entry.span("bare")
            pos = entry.end()


def _secret_data(text: str) -> Iterator[tuple[int, int]]:
    """Values of a Secret's data and stringData; none unless the text says ``kind: Secret``
    (a ConfigMap's data is no secret)."""
    if _SECRET_KIND.search(text):
        yield from _yaml_data_values(text)
        yield from _object_data_values(text)


RULES: tuple[Rule, ...] = (
    # First, so that where another rule finds the same value (a Secret's ``password:``) the
    # Secret's own kind wins the tie: one kind and one numbering for all its values.
    Rule("secret-data", find=_secret_data),
    Rule("private-key", re.compile(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[ \t]*\r?\n"
        r"(?P<secret>.*?)"
        r"(?:\r?\n[ \t]*-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\Z)",
        re.S,
    )),
    Rule("jwt", re.compile(
        r"(?P<secret>\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)"
    )),
    Rule("kubeconfig-data", re.compile(
        r"(?P<key>\b(?:client-key-data|client-certificate-data|certificate-authority-data"
        r"|token|password|id-token|refresh-token)[\"']?\s*[:=]\s*)"
        r"[\"']?(?P<secret>[^\s\"',}]+)"
    )),
    Rule("bearer-token", re.compile(
        r"(?i:\bbearer)\s+(?P<secret>[A-Za-z0-9\-._~+/]{8,}=*)"
    )),
    Rule("k3s-token", re.compile(
        r"(?P<secret>\bK10[0-9a-fA-F]{8,}::[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+)"
    )),
    Rule("bootstrap-token", re.compile(r"(?P<secret>\b[a-z0-9]{6}\.[a-z0-9]{16}\b)")),
    Rule("url-password", re.compile(
        r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]+:(?P<secret>[^\s/@]+)@"
    )),
    Rule("aws-access-key", re.compile(r"(?P<secret>\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)")),
)


@dataclass(frozen=True)
class Finding:
    """A secret found in a text: its kind and 1-based line and column (no value)."""

    kind: str
    line: int
    column: int

    def describe(self, where: str = "") -> str:
        """``a jwt at stdout line 3, column 9`` -- safe to print."""
        at = f"{where} line" if where else "line"
        return f"a {self.kind} at {at} {self.line}, column {self.column}"


# Cheap triggers decide whether any rule can match at all (most outputs hold no secret): every
# rule's match contains one of these lower-case literals, or the bootstrap-token shape, and
# secret-data needs "kind: Secret" in the text.
_TRIGGERS = ("private key", "eyj", "bearer", "-data", "token", "password", "k10", "akia", "asia",
             "@", "secret")
_BOOTSTRAP_HINT = re.compile(r"\.[a-z0-9]{16}\b")


def _may_hold_secret(text: str) -> bool:
    low = text.lower()
    return any(t in low for t in _TRIGGERS) or _BOOTSTRAP_HINT.search(text) is not None


def _matches(text: str):
    """Yield (rule, start, end) of every secret value, earliest first, overlaps dropped."""
    if not _may_hold_secret(text):
        return
    spans: list[tuple[int, int, Rule]] = []
    for rule in RULES:
        for start, end in rule.spans(text):
            value = text[start:end]
            if not value.strip() or _SAFE_VALUES.match(value) or PLACEHOLDER_RE.fullmatch(value):
                continue
            if rule.kind == "private-key":
                value = value.strip()
                if not value or PLACEHOLDER_RE.fullmatch(value):
                    continue
            spans.append((start, end, rule))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    last_end = -1
    for start, end, rule in spans:
        if start < last_end:  # inside an earlier match (a JWT as a kubeconfig token, say)
            continue
        last_end = end
        yield rule, start, end


def _as_text(data: str | bytes) -> str:
    return data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data


def scan(data: str | bytes) -> list[Finding]:
    """Every secret in ``data`` as findings with line and column; empty when clean."""
    text = _as_text(data)
    findings = []
    for rule, start, _end in _matches(text):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        findings.append(Finding(rule.kind, line, column))
    return findings


# Commands whose output is a Secret's values with nothing around them to recognise: kubectl
# printing selected fields of a Secret (``get secret db -o jsonpath='{.data.password}'``,
# go-template, custom-columns), or anything about a secret piped into ``base64 -d``. Their
# whole standard output is one ``secret-data`` value.
_GET_SECRET = re.compile(r"\bkubectl\b.*\bget\s+(?:\S+\s+)*?(?:\S*,)?secrets?(?:\b|/)")
_FIELD_OUTPUT = re.compile(
    r"(?:-o|--output)(?:\s+|=)?['\"]?(?:jsonpath|go-template|template|custom-columns)")
_DECODE = re.compile(r"\|\s*base64\s+(?:\S+\s+)*?(?:-d|--decode|-D)\b")


def prints_secret_values(command: str) -> bool:
    """Whether ``command``'s standard output is a Secret's values themselves."""
    first = command.split("|", 1)[0]
    if _GET_SECRET.search(first) and _FIELD_OUTPUT.search(first):
        return True
    return bool(re.search(r"secret", command, re.I) and _DECODE.search(command))


def unredacted_output(command: str, stdout: str | bytes) -> bool:
    """Whether ``stdout`` of a command that prints Secret values holds anything but
    placeholders (a capture of such a command must be redacted whole)."""
    if not prints_secret_values(command):
        return False
    return bool(PLACEHOLDER_RE.sub("", _as_text(stdout)).strip())


@dataclass
class Redactor:
    """Replace secrets with numbered placeholders, stable across every text it is given."""

    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def redact_whole(self, data: bytes, kind: str = "secret-data") -> bytes:
        """``data`` as one placeholder, its leading and trailing whitespace kept (a command
        whose whole output is a secret value); empty output stays empty."""
        text = _as_text(data)
        value = text.strip()
        if not value or PLACEHOLDER_RE.fullmatch(value):
            return data
        start = text.index(value)
        out = text[:start] + self.placeholder(kind, value) + text[start + len(value):]
        return out.encode("utf-8", "surrogateescape")

    def placeholder(self, kind: str, value: str) -> str:
        """The placeholder for ``value``, allocating the next number of its kind if new."""
        key = (kind, value)
        if key not in self.numbers:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.numbers[key] = self.counts[kind]
        return f"<REDACTED:{kind}#{self.numbers[key]}>"

    @overload
    def redact(self, data: str) -> str: ...
    @overload
    def redact(self, data: bytes) -> bytes: ...

    def redact(self, data: str | bytes) -> str | bytes:
        """``data`` with every secret replaced; same type as given."""
        text = _as_text(data)
        out: list[str] = []
        pos = 0
        for rule, start, end in _matches(text):
            value = text[start:end]
            if rule.kind == "private-key":
                # keep the block's shape readable: BEGIN line, placeholder, END line
                stripped = value.strip()
                lead = value[: len(value) - len(value.lstrip())]
                trail = value[len(value.rstrip()):]
                out.append(text[pos:start] + lead + self.placeholder(rule.kind, stripped) + trail)
            else:
                out.append(text[pos:start] + self.placeholder(rule.kind, value))
            pos = end
        out.append(text[pos:])
        result = "".join(out)
        return result.encode("utf-8", "surrogateescape") if isinstance(data, bytes) else result


def redact(data: str | bytes) -> tuple[str | bytes, dict[str, int]]:
    """Redact one text with a fresh ``Redactor``; returns the text and counts by kind."""
    redactor = Redactor()
    return redactor.redact(data), dict(redactor.counts)
