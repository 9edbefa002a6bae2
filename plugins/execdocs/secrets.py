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

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import overload

from execdocs import secret_gitleaks, secret_keywords

PLACEHOLDER_RE = re.compile(r"<REDACTED:[a-z0-9-]+#\d+>")

# Values that tools print in place of a secret: not secrets themselves.
_SAFE_VALUES = re.compile(
    r"^(?:DATA\+OMITTED|REDACTED|null|~|\"\"|''|<none>|<REDACTED:[a-z0-9-]+#\d+>"
    r"|\$\w+|\$\{[^}\s]+\}|\{\{[^}]*\}\})$"  # a variable or a template is filled elsewhere
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
        return (m.span("secret" if m.group("secret") is not None else "bare")
                for m in self.pattern.finditer(text))


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


_JWT_START = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}")
_JWT_PIECE = re.compile(r"[A-Za-z0-9_.-]*")
_JWT_WRAP = re.compile(r"\r?\n[ \t]*(?=[A-Za-z0-9_.-])")


def _jwts(text: str) -> Iterator[tuple[int, int]]:
    """JWTs (``eyJ<header>.eyJ<payload>.<signature>``), also wrapped over lines: a line that
    ends inside one after 40 or more token characters continues on the next line, when that
    line (past its indent) holds only token characters up to a blank or its end."""
    pos = 0
    while m := _JWT_START.search(text, pos):
        start = end = m.start()
        piece = _JWT_PIECE.match(text, start)
        assert piece is not None
        end, run = piece.end(), piece.end() - start
        while run >= 40 and (wrap := _JWT_WRAP.match(text, end)):
            piece = _JWT_PIECE.match(text, wrap.end())
            assert piece is not None
            if piece.end() < len(text) and not text[piece.end()].isspace():
                break  # a next line that goes on with other text (K10...::server:) is not it
            end, run = piece.end(), piece.end() - wrap.end()
        token = re.sub(r"\s+", "", text[start:end])
        parts = token.split(".")
        if len(parts) >= 3 and parts[1].startswith("eyJ") and len(parts[1]) >= 8:
            yield start, end
        pos = max(end, m.end())


# An AWS secret access key: 40 base64 characters near its key id (same or next two lines).
_AWS_ID = re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def _aws_secrets(text: str) -> Iterator[tuple[int, int]]:
    for m in _AWS_ID.finditer(text):
        lo = text.rfind("\n", 0, text.rfind("\n", 0, m.start()))
        hi = m.end()
        for _ in range(3):
            nxt = text.find("\n", hi + 1)
            hi = len(text) if nxt == -1 else nxt
        for s in _AWS_SECRET.finditer(text, lo + 1, hi):
            if not re.fullmatch(r"[0-9a-f]{40}|[A-Za-z]+", s.group()):  # a sha1, a word
                yield s.span()


_PEM_KINDS = r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
_PEM_END = r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"

RULES: tuple[Rule, ...] = (
    # First, so that where another rule finds the same value (a Secret's ``password:``) the
    # Secret's own kind wins the tie: one kind and one numbering for all its values.
    Rule("secret-data", find=_secret_data),
    Rule("private-key", re.compile(  # PEM, OpenSSH, PGP armour: every kind of private key
        _PEM_KINDS + r"[ \t]*\r?\n(?P<secret>.*?)(?:\r?\n[ \t]*" + _PEM_END + r"|\Z)", re.S)),
    Rule("private-key", re.compile(  # the same block in a JSON string, lines as \n escapes
        _PEM_KINDS + r"(?:\\r)?\\n(?P<secret>(?:[^\n\"\\]|\\.)*?)"
        r"(?:(?:\\r)?\\n" + _PEM_END + r"|(?=\"|\n|\Z))")),
    Rule("jwt", find=_jwts),
    Rule("kubeconfig-data", re.compile(
        # not certificate-authority-data: a cluster's CA certificate is public
        r"(?P<key>\b(?:client-key-data|client-certificate-data"
        r"|token|password|id-token|refresh-token)[\"']?\s*[:=]\s*)"
        r"[\"']?(?!\$\{|\$\w)(?P<secret>[^\s\"',}]++)(?![ \t]+bytes\b)"  # describe secret: 16 bytes
    )),
    Rule("bearer-token", re.compile(
        r"(?i:\bbearer)\s+(?P<secret>[A-Za-z0-9\-._~+/]{8,}=*)"
    )),
    Rule("k3s-token", re.compile(
        r"(?P<secret>\bK10[0-9a-fA-F]{8,}::[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+)"
    )),
    # <6>.<16>, not inside a longer name; an all-hex second half is an Event's name suffix
    # (pod.17f6a2b3c4d5e6f7: a timestamp) unless the text says it is a token
    Rule("bootstrap-token", re.compile(
        r"(?:(?i:token)[\w-]*[\"']?[ \t]*[:= ][ \t]*[\"']?)(?P<secret>[a-z0-9]{6}\.[a-z0-9]{16})\b"
        r"|(?P<bare>(?<![\w.\-])[a-z0-9]{6}\.(?![0-9a-f]{16}\b)[a-z0-9]{16})(?![\w\-]|\.\w)")),
    Rule("url-password", re.compile(
        r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]+:(?P<secret>[^\s/@]+)@"
    )),
    Rule("aws-access-key", re.compile(r"(?P<secret>\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)")),
    Rule("aws-secret-key", find=_aws_secrets),
    # short password flags no key name announces: docker/podman/nerdctl/helm registry login -p,
    # sshpass -p, mysql -pSECRET (attached, as mysql wants it)
    Rule("secret-value", re.compile(
        r"\b(?:(?:(?:docker|podman|nerdctl|buildah|oras|skopeo|helm[ \t]+registry)\b"
        r"[^\n|;&]*?\blogin|sshpass)\b[^\n|;&]*?[ \t]-p(?:[ \t]+|=)"
        r"|\bmysql(?:dump|admin)?\b[^\n|;&]*?[ \t]-p)(?P<secret>[^\s'\"-][^\s'\"]*)")),
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


# Cheap triggers decide whether a field rule can match at all (most outputs hold no secret):
# each field rule's match contains one of these lower-case literals or the bootstrap-token
# shape; the keyword and gitleaks rules have their own keyword checks.
_TRIGGERS = ("private key", "eyj", "bearer", "-data", "token", "password", "k10", "akia", "asia",
             "@", "secret", "key", " -p")
_BOOTSTRAP_HINT = re.compile(r"\.[a-z0-9]{16}\b")

# A base64 blob (possibly wrapped at a fixed width, as base64(1) prints it) that may be a
# kubeconfig, a docker config, a PEM file or an env file: decoded and scanned, and a secret
# inside makes the whole blob one (kind base64-<inner kind>).
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{60,}={0,2}\r?\n[ \t]*)*"
                     r"[A-Za-z0-9+/]{32,}={0,2}(?![A-Za-z0-9+/=_-])")
_DEPTH = 3  # a kubeconfig in a Secret in a docker config: deep enough, and bounded


def _decoded(blob: str) -> str | None:
    compact = re.sub(r"\s+", "", blob)
    if re.fullmatch(r"[0-9a-fA-F]+", compact):  # a digest or a container id, not base64
        return None
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    return text if text and printable >= 0.95 * len(text) else None


def _armour_body(text: str, start: int, end: int) -> tuple[int, int]:
    """A ``-----BEGIN ...-----`` block found whole narrowed to its body, so that its BEGIN and
    END lines stay readable (as the private-key rule keeps them)."""
    if not text.startswith("-----BEGIN", start):
        return start, end
    head = text.find("-----", start + 10, end)
    tail = text.rfind("-----END", head, end)
    if head == -1 or tail == -1:
        return start, end
    start, end = head + 5, tail
    while start < end and (text[start].isspace() or text.startswith(("\\n", "\\r"), start)):
        start += 1 if text[start].isspace() else 2
    return start, end


def _spans(text: str, depth: int, shell: bool, words: tuple[str, ...] | None = None
           ) -> list[tuple[int, int, str]]:
    low = text.lower()
    spans: list[tuple[int, int, str]] = []
    if any(t in low for t in _TRIGGERS) or _BOOTSTRAP_HINT.search(text) is not None:
        for rule in RULES:
            spans += ((start, end, rule.kind) for start, end in rule.spans(text))
    spans += ((start, end, "secret-value") for start, end in secret_keywords.find(text, shell))
    for kind, start, end in secret_gitleaks.find(text, low, words):
        spans.append((*_armour_body(text, start, end), kind))
    # a blob is one whitespace-free run of 32 or more: split() in C finds out cheaply
    if depth < _DEPTH and max(map(len, text.split()), default=0) >= 32:
        for m in _BASE64.finditer(text):
            inner = _decoded(m.group())
            found = next(_matches(inner, depth + 1, shell), None) if inner else None
            if found is not None:
                spans.append((m.start(), m.end(), "base64-" + found[0].removeprefix("base64-")))
    return spans


def _matches(text: str, depth: int = 0, shell: bool = False,
             words: tuple[str, ...] | None = None) -> Iterator[tuple[str, int, int]]:
    """Yield (kind, start, end) of every secret value, earliest first. Overlapping finds merge
    into the first one (so no part of either is left out), and the first rule wins a tie.
    ``shell``: the text is a command line, where ``KEY=value`` ends at a blank."""
    if not text or text.isspace():
        return
    found = []
    for order, (start, end, kind) in enumerate(_spans(text, depth, shell, words)):
        value = text[start:end].strip()
        if not value or _SAFE_VALUES.match(value) or PLACEHOLDER_RE.fullmatch(value):
            continue
        found.append((start, order, kind, end))
    found.sort()
    current: tuple[str, int, int] | None = None
    for start, _order, kind, end in found:
        if current is not None and start < current[2]:
            current = (current[0], current[1], max(current[2], end))
            continue
        if current is not None:
            yield current
        current = (kind, start, end)
    if current is not None:
        yield current


def scan_many(parts: Iterable[tuple[str, str | bytes, bool]]
              ) -> list[tuple[str, Finding]]:
    """``scan`` of several texts of one capture (name, text, shell): the gitleaks keywords
    are tested once on all of them together, then each text only for the ones present."""
    texts = [(name, _as_text(data), shell) for name, data, shell in parts]
    words = secret_gitleaks.present("\n".join(t.lower() for _n, t, _s in texts))
    out = []
    for name, text, shell in texts:
        for kind, start, _end in _matches(text, shell=shell, words=words):
            out.append((name, _finding(text, kind, start)))
    return out


def _finding(text: str, kind: str, start: int) -> Finding:
    line = text.count("\n", 0, start) + 1
    return Finding(kind, line, start - (text.rfind("\n", 0, start) + 1) + 1)


def matches(data: str | bytes) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every secret in ``data`` (as text), earliest first."""
    return list(_matches(_as_text(data)))


def _as_text(data: str | bytes) -> str:
    return data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data


def scan(data: str | bytes, *, shell: bool = False) -> list[Finding]:
    """Every secret in ``data`` as findings with line and column; empty when clean."""
    text = _as_text(data)
    return [_finding(text, kind, start) for kind, start, _end in _matches(text, shell=shell)]


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
    def redact(self, data: str, *, shell: bool = False) -> str: ...
    @overload
    def redact(self, data: bytes, *, shell: bool = False) -> bytes: ...

    def redact(self, data: str | bytes, *, shell: bool = False) -> str | bytes:
        """``data`` with every secret replaced; same type as given."""
        text = _as_text(data)
        out: list[str] = []
        pos = 0
        for kind, start, end in _matches(text, shell=shell):
            value = text[start:end]
            if kind == "private-key":
                # keep the block's shape readable: BEGIN line, placeholder, END line
                stripped = value.strip()
                lead = value[: len(value) - len(value.lstrip())]
                trail = value[len(value.rstrip()):]
                out.append(text[pos:start] + lead + self.placeholder(kind, stripped) + trail)
            else:
                out.append(text[pos:start] + self.placeholder(kind, value))
            pos = end
        out.append(text[pos:])
        result = "".join(out)
        return result.encode("utf-8", "surrogateescape") if isinstance(data, bytes) else result


def redact(data: str | bytes) -> tuple[str | bytes, dict[str, int]]:
    """Redact one text with a fresh ``Redactor``; returns the text and counts by kind."""
    redactor = Redactor()
    return redactor.redact(data), dict(redactor.counts)
