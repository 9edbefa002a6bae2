"""Secret detection and redaction: one rule set for the snippet check, the capture tool and the
render-time guard.

``scan(text)`` lists findings (kind, line, column -- never the value); ``Redactor().redact(text)``
replaces each secret with a stable placeholder ``<REDACTED:kind#n>``: the same value gets the
same number everywhere one ``Redactor`` sees it (stdout and stderr of a capture, or a whole
session), numbers count up in order of first appearance, and ``counts`` tells how many distinct
values of each kind were replaced. A redacted text scans clean. Detection is deliberately eager
(fail closed): a false positive costs a redaction, a miss publishes a credential.

The rules come from four places, run in this order on every text:

* ``secret_fields``: execdocs' own rules for what is specific to this field (a Secret's
  ``data``, kubeconfig fields, k3s and bootstrap tokens, PEM blocks, JWTs, AWS key pairs);
* ``secret_keywords``: a value given to a key that names a secret (``DB_PASSWORD=…``);
* ``secret_gitleaks``: gitleaks' maintained rule list, kept as data (``data/gitleaks.toml``);
* ``secret_encoded``: base64 blobs, decoded and scanned again (a kubeconfig, a docker config, a
  PEM file) or recognised as a private key in DER form.

``secret_triggers`` decides first, in one pass, which of them can match at all: most outputs
hold no trigger word, and then no rule runs.

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import overload

from execdocs import secret_encoded, secret_gitleaks, secret_keywords, secret_triggers
from execdocs.secret_fields import RULES, Rule
from execdocs.secret_printed import prints_secret_values

__all__ = ["PLACEHOLDER_RE", "RULES", "Finding", "Redactor", "Rule", "matches",
           "prints_secret_values", "redact", "scan", "scan_many", "unredacted_output"]

PLACEHOLDER_RE = re.compile(r"<REDACTED:[a-z0-9-]+#\d+>")

# Values that tools print in place of a secret: not secrets themselves.
_SAFE_VALUES = re.compile(
    r"^(?:DATA\+OMITTED|REDACTED|null|~|\"\"|''|<none>|<REDACTED:[a-z0-9-]+#\d+>"
    r"|(?:(?i:basic|bearer|token|digest)[ \t]+)?<[^<>\n]{1,80}>|\*{3,}"  # a placeholder
    # (<aws-access-key-id>, Basic <Base 64 TOKEN>: argo-rollouts' docs), a mask
    r"|\$[\w-]+|\$\{[^}\s]+\}|\{\{[^}]*\}\})$"  # a variable or a template is filled elsewhere
)
# A reference naming where a secret is kept, read at run time: Traefik's urn:k8s:secret:NAME:KEY,
# an AWS Secrets Manager/SSM/KMS ARN, a GCP Secret Manager name, bank-vaults' vault:PATH#KEY,
# vals' ref+BACKEND://PATH#KEY, an Azure App Service Key Vault reference. Names only -- unless
# a part of it looks like a token (_TOKENISH): a token written into one is still a finding.
_REFERENCE = re.compile(
    r"(?:urn:k8s:secret:[\w.-]+:[\w.-]+"
    r"|arn:aws[\w-]*:(?:secretsmanager|ssm|kms):[\w-]*:\d{12}:[\w/+=.,@!:-]+"
    r"|projects/[\w.-]+/secrets/[\w.-]+(?:/versions/[\w.-]+)?"
    r"|(?:ref\+)?vault:(?://)?[\w./-]+#/?[\w./-]+"
    r"|ref\+(?:awssecrets|awsssm|gcpsecrets|azurekeyvault|sops|file|k8s)://[\w./+-]+"
    r"(?:#/?[\w./-]+)?"
    r"|@Microsoft\.KeyVault\((?:SecretUri=https://[\w-]+\.vault\.azure\.net/secrets/[\w/-]*"
    r"|VaultName=[\w-]+;SecretName=[\w-]+(?:;SecretVersion=\w+)?)\))$")
_TOKENISH = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])"
                       r"(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{16,}|[\w+=-]{33,}")


# each run of letters and digits of a reference reads as a name: a word (CamelCase too), an
# upper-case word, a number, up to four characters, a short hex id; the six random characters
# AWS appends to a secret's name in its ARN left out
_NAME_RUN = re.compile(r"(?:[A-Z]?[a-z]+)+\d*|[A-Z]+\d*|\d+|\w{1,4}|[0-9a-f]{5,12}")
_ARN_SUFFIX = re.compile(r"(?<=:secret:)([\w/+=.@!-]+?)-[A-Za-z0-9]{6}(?=$|:)")
_DIGEST = re.compile(r"[0-9a-f]{64}")
# the rules whose value is whatever a key is given (not a token of a known shape)
_FREE_FORM = {"secret-value", "kubeconfig-data", "bearer-token", "url-password"}
_CUT_SHORT = re.compile(r"\.{3}|…|\[redacted\]|\(truncated\)|\.\.\.Removed", re.I)
_VALUE_COMMENT = re.compile(r"[ \t]+#.*")
_TOKEN_PREFIX = re.compile(r"^(?:pypi-|ghp_|gho_|github_pat_|glpat-|xox[bpas]-|sk_(?:live|test)_"
                           r"|hvs\.|AKIA|npm_)")
# a variable, a path, a reference where a value goes (case-sensitive: a password is any text)
_FREE_SAFE = re.compile(r"""(?x)
    [A-Z]+(?:_[A-Z]+)+                                 # a variable's name: DOCKER_PASSWORD
  | \$[\w-]+|\$\{[^}\s]+\}                           # a variable ($X, ${x.y}) before a ; or `
  | (?:var|local|data|module)\.[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*  # Terraform's var.x
  | %[sdvq]                                          # a format verb (printf, Go)
  | \{[a-z_][\w-]*(?:\.[\w-]+)+\}?                   # a template's field: {x.inputs.password}
  | [a-z][a-z0-9_]*\([A-Z][A-Z_:<>\ ]{3,}\)          # base64(USERNAME:PASSWORD)
  | \.{1,2}/(?:[\w.-]+/)*[\w-]+\.[A-Za-z]{1,5}        # a relative path: ./password.txt
  | /(?:[\w.-]+/)+[\w-]+\.(?:key|pem|crt|cert|txt|json|ya?ml|conf|p12|pfx|jks)  # /x/etcd.key
  | your[_-](?:[a-z]+[_-])*(?:password|passwd|pass|secret|token|key|api[_-]key|pat)
    (?:[_-][a-z]+)*                                  # a fill-me-in name: your_password
  | my[_-](?:password|passwd|pass|secret|token|key|api[_-]key)|dummy   # my-token (trivy's docs)
  | \[\]|\{\}                                         # an empty list or map: password: []
  | read|write|none                                  # a permission: id-token: write
  | [A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\([^()]*\)(?:\.[A-Za-z_]\w*\([^()]*\))*
  | [A-Za-z_]\w*\(\)(?:\.[A-Za-z_]\w*\([^()]*\))*      # code: token = f.read().strip()
""")
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")


def _cut_short(value: str) -> bool:
    """Whether ``value`` is shown cut short: the first characters of a JWT or of a PEM block in
    base64, or at most 10 before the cut (a known token prefix and X/* padding not counted) and
    at most a last-four after it -- a whole password stands before an ellipsis in prose, or
    after one ("Kq8#vN2...Lp9xWz4TmR7s")."""
    value = _VALUE_COMMENT.sub("", value)
    cut = _CUT_SHORT.search(value)
    if cut is None:
        return False
    tail = _CUT_SHORT.sub("", value[cut.end():]).strip(" .…()")
    if len(tail) > 4 and not tail.lower().startswith("removed"):
        return False
    head = _TOKEN_PREFIX.sub("", value[:cut.start()]).rstrip("Xx*")
    return value.startswith(("eyJ", "LS0tLS1CRUdJTi")) or len(head) <= 10


_STAND_INS = re.compile(r"<REDACTED:[a-z0-9-]+#\d+>|\[secret withheld\]")


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


# every rule's shape in one pattern: a text none of them occurs in needs none of those rules
_SHAPE = re.compile("|".join(f"(?:{rule.shape.pattern})" for rule in RULES
                             if rule.shape is not None) or "(?!)")
_DEPTH = 3  # a kubeconfig in a Secret in a docker config: deep enough, and bounded

Gate = tuple[frozenset[str], bool]
"""What may match in a text: the trigger words present, and whether it may hold a blob."""


def _gate(low: str, raw: bytes | None = None) -> Gate | None:
    """What may match in a text whose lower-cased form is ``low`` (``raw``: it as UTF-8, if
    known), or None when no rule can (lower-casing keeps every base64 run and every trigger,
    so one form serves all tests)."""
    raw = low.encode("utf-8", "surrogatepass") if raw is None else raw
    present = secret_triggers.present_in(raw)
    blob = secret_encoded.may_hold_blob(raw)
    if (not present.isdisjoint(secret_triggers.triggers()) or blob
            or _SHAPE.search(low) is not None):
        return present, blob
    return None


# the only characters whose lower-case form holds an ASCII letter: KELVIN SIGN -> k, LATIN
# CAPITAL LETTER I WITH DOT ABOVE -> i + COMBINING DOT ABOVE (every trigger, literal and shape
# is ASCII, so what str.lower() does to any other character changes nothing the rules see)
_LOWERS_TO_ASCII = ("\u212a", "\u0130")


def _lower(text: str) -> tuple[str, bytes]:
    """``text`` lower-cased as the rules need it, and that as UTF-8: ``str.lower()`` where a
    character lowers to ASCII, else only its ASCII letters lowered (in the UTF-8 bytes, in C,
    ~6x fewer instructions than ``str.lower()`` on Korean text; offsets stay the same)."""
    if text.isascii():
        low = text.lower()
        return low, low.encode("ascii")
    if any(c in text for c in _LOWERS_TO_ASCII):
        low = text.lower()
        return low, low.encode("utf-8", "surrogatepass")
    raw = text.encode("utf-8", "surrogatepass").lower()
    return raw.decode("utf-8", "surrogatepass"), raw


def _spans(text: str, low: str, gate: Gate, depth: int, shell: bool
           ) -> list[tuple[int, int, str]]:
    present, blob = gate
    spans: list[tuple[int, int, str]] = []
    for rule in RULES:
        if rule.may_match(present, low):
            spans += ((start, end, rule.kind) for start, end in rule.spans(text, low, present))
    spans += ((start, end, "secret-value")
              for start, end in secret_keywords.find(text, shell, present, low))
    for kind, start, end in secret_gitleaks.find(text, low, present):
        spans.append((*secret_encoded.armour_body(text, start, end), kind))
    if blob and depth < _DEPTH:
        for m in secret_encoded.blobs(text):
            end = secret_encoded.tail_end(text, m)  # with a wrapped blob's short last line
            inner = (end != m.end() and _blob_kind(text[m.start():end], depth, shell)) or (
                _blob_kind(m.group(), depth, shell))
            if inner:
                spans.append((m.start(), end, inner))
    return spans


def _blob_kind(blob: str, depth: int, shell: bool) -> str | None:
    """``base64-<kind>`` when a base64 blob is a private key or decodes to text holding a
    secret (a secret inside makes the whole blob one), else None."""
    raw = secret_encoded.decode(blob)
    if raw is None:
        return None
    if secret_encoded.private_key_der(raw):
        return "base64-private-key"
    inner = secret_encoded.as_text(raw)
    found = next(_matches(inner, depth + 1, shell), None) if inner else None
    return None if found is None else "base64-" + found[0].removeprefix("base64-")


# a key on the value's line (key: value, key = value, "key": "value"), the one a generic rule
# matched on: gitleaks' generic-api-key reads any key holding "key" or "token"
_LINE_KEY = re.compile(r"""(?:^|[\s{,"'])([A-Za-z_][\w.-]*(?:[ ][A-Za-z_][\w.-]*)?)["']?[ \t]*"""
                       r"""(?::|=|:=)[ \t]*["']?\Z""")
# "Bearer token/SSO": the scheme's word, not a token
_BEARER_WORD = re.compile(r"(?i)(?:token|jwt|auth|access|credentials?)(?:/[A-Za-z]+)?")
_SEALED = re.compile(r"Ag[A-Za-z0-9+/]+={0,2}")
_REPEATED_UNIT = re.compile(r"(.{1,3})\1{3,}")  # NONONONO, abcabcabc: a made-up stand-in


def _jose_header(value: str) -> bool:
    """Whether ``value`` is only a JWT's header (eyJhbGciOi...: no payload, no signature)."""
    if not value.startswith("eyJ") or "." in value.rstrip(".…"):
        return False
    body = value.rstrip(".…")
    try:
        head = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, binascii.Error):
        return False
    return head.startswith(b'{"') and (b'"alg"' in head or b'"typ"' in head or b'"kid"' in head)


def _url_stand_in(value: str) -> bool:
    """A URL whose path holds only format placeholders (hooks.slack.com/services/XXXXXXXXX/
    XXXXXXXXX/XXXX...: Alertmanager's docs): its words left out, every run repeats one letter."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        return False
    runs = [r for r in _ALNUM_RUN.findall(rest.partition("/")[2]) if not (
        r.islower() and r.isalpha() and len(r) <= 12)]
    return bool(runs) and sum(map(len, runs)) >= 6 and all(
        len(r) >= 3 and len(set(r)) == 1 for r in runs)


def _stands_in(text: str, start: int, kind: str, value: str) -> bool:
    """Whether the ``value`` a rule of ``kind`` found at ``start`` in ``text`` stands in for
    a secret instead of being one: a tool's mask, a placeholder, a variable, a reference to
    where the secret is kept, a value shown cut short, a digest, a public key."""
    if _SAFE_VALUES.match(value) or PLACEHOLDER_RE.fullmatch(value):
        return True
    if _REFERENCE.match(value) and not _TOKENISH.search(value) and all(
            _NAME_RUN.fullmatch(r) for r in _ALNUM_RUN.findall(_ARN_SUFFIX.sub(r"\1", value))):
        return True
    if kind in _FREE_FORM and "\n" not in value:
        line_end = text.find("\n", start)
        rest = text[start:len(text) if line_end == -1 else line_end].strip()
        if rest != value and secret_keywords.describes(rest):
            return True  # the first word of a sentence: "token: Pre-shared token used to
            # authenticate the plugin" (Argo CD's docs)
    if kind in _FREE_FORM and (_cut_short(value) or _FREE_SAFE.fullmatch(value.rstrip(";`"))):
        return True  # a value shown cut short (eyJhbGciOi..., pypi-AgEIc[redacted]), or a
        # variable, a path, a reference in its place: the token rules still see a whole
        # token in it
    if value.isascii() and (runs := _ALNUM_RUN.findall(value)) and sum(map(len, runs)) >= 6 \
            and all(len(r) >= 3 and len(set(r)) == 1 for r in runs):
        return True  # XXXXXXXX, aaaaaa.bbbbbbbbbbbbbbbb: a format's placeholder
    if kind == "generic-api-key" and _AGE_RECIPIENT.fullmatch(value):
        return True  # an age public key (SOPS' .sops.yaml recipients): public
    if value.isascii() and (runs := _ALNUM_RUN.findall(value)) and all(
            len(r) >= 12 and _REPEATED_UNIT.fullmatch(r) for r in runs):
        return True  # a key block of NONONONO... (trivy's docs): made up
    if _url_stand_in(value):
        return True
    if value.startswith("Ag") and len(value) >= 100 and _SEALED.fullmatch(value) and (
            "encryptedData" in text):
        return True  # a SealedSecret's value: encrypted to the cluster's key, published on
        # purpose (bitnami sealed-secrets)
    if kind == "generic-api-key":
        if _jose_header(value):
            return True  # a token's header shown cut short: no claim, no signature
        line = text[text.rfind("\n", 0, start) + 1:start]
        named = _LINE_KEY.search(line)
        if named and not secret_keywords.secret_key(named.group(1)):
            return True  # public key: (wg show), keyFormat: prefix/in/bucket, a key's id
    if kind == "bearer-token" and _BEARER_WORD.fullmatch(value):
        return True  # "Bearer token/SSO" (a table cell of Argo Workflows' docs)
    if ("<REDACTED:" in value or "[secret withheld]" in value) and not _STAND_INS.sub(
            "", value).strip():
        return True  # only stand-ins (a block scalar's lines each withheld): nothing left
    # a digest (an image's, kubeadm's CA pin, Helm's checksum/secret annotation of a rendered
    # Secret) names content, it opens nothing
    return bool(kind == "generic-api-key" and _DIGEST.fullmatch(value.removeprefix("sha256:"))
                and (value.startswith("sha256:")
                     or text[max(start - 7, 0):start].lower() == "sha256:"
                     or "checksum/" in text[text.rfind("\n", 0, start) + 1:start]))


def _matches(text: str, depth: int = 0, shell: bool = False) -> Iterator[tuple[str, int, int]]:
    """Yield (kind, start, end) of every secret value, earliest first. Overlapping finds merge
    into the first one (so no part of either is left out), and the first rule wins a tie.
    ``shell``: the text is a command line, where ``KEY=value`` ends at a blank."""
    if not text or text.isspace():
        return
    low, raw = _lower(text)
    gate = _gate(low, raw)
    if gate is None:
        return
    found = []
    for order, (start, end, kind) in enumerate(_spans(text, low, gate, depth, shell)):
        value = text[start:end].strip()
        if value and not _stands_in(text, start, kind, value):
            found.append((start, order, kind, end))
    if depth == 0 and found:
        found += _repeats(text, found)
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


# A found value that reads as a password or token (eight or more characters, one line, with
# a digit and a letter, both cases or a sign: not a name such as my-postgresql-server-ca,
# which a false finding would otherwise spread over the page) found again where nothing
# announces it: "log in with Zq8vN3kLp2Wx" after the page printed it as a Secret's value.
# Each such place is a finding of the same kind; a part of a longer token too (a password in
# a URL's path). Not a URL or a DNS-style name (a Secret's url: or project: my-project1 in
# Argo CD's repository Secrets: the start of every link to that repository on the page).
_TOKEN_LIKE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])|[a-z].*[A-Z]|[A-Z].*[a-z]|[^\w.\-]")
_NAME_LIKE = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)+|[a-z][a-z0-9+.-]*://\S*")
# a certificate is public: a kubeconfig's client certificate may be its CA's too
_CERTIFICATE = ("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS", "-----BEGIN CERTIFICATE")


def _repeats(text: str, found: list[tuple[int, int, str, int]]
             ) -> list[tuple[int, int, str, int]]:
    values: dict[str, str] = {}
    for start, _order, kind, end in found:
        value = text[start:end].strip()
        if len(value) >= 8 and "\n" not in value and " " not in value and (
                _TOKEN_LIKE.search(value)) and not value.startswith(_CERTIFICATE) and not (
                _NAME_LIKE.fullmatch(value)):
            values.setdefault(value, kind)
    if not values:
        return []
    spans = {(start, end) for start, _o, _k, end in found}
    out: list[tuple[int, int, str, int]] = []
    for value, kind in values.items():
        at = text.find(value)
        while at != -1:
            end = at + len(value)
            if not any(s <= at < e or s < end <= e for s, e in spans):
                out.append((at, len(found) + len(out), kind, end))
            at = text.find(value, end)
    return out


def scan_many(parts: Iterable[tuple[str, str | bytes, bool]]
              ) -> list[tuple[str, Finding]]:
    """``scan`` of several texts of one capture (name, text, shell): the triggers are looked
    for once in all of them together (a clean capture costs one pass), a text given twice
    (``command:`` and ``run:`` alike) is scanned once."""
    texts = [(name, _as_text(data), shell) for name, data, shell in parts]
    joined = "\n".join(text for _name, text, _shell in texts)
    if _gate(*_lower(joined)) is None:
        return []
    out = []
    seen: dict[tuple[str, bool], list[tuple[str, int]]] = {}
    for name, text, shell in texts:
        if (text, shell) not in seen:
            seen[text, shell] = [(kind, start) for kind, start, _end in _matches(text, 0, shell)]
        out += [(name, _finding(text, kind, start)) for kind, start in seen[text, shell]]
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
