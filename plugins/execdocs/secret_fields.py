"""execdocs' own field rules: secrets whose shape or place is specific to this field.

Each :class:`Rule` names a kind, how its values are found (a pattern whose group ``secret``
or ``bare`` is the value, or a function yielding spans where a pattern cannot say it), and its
*triggers*: lower-case literals of which every match of the rule contains at least one, or a
``shape`` pattern that every match contains; a rule runs on a text only when a trigger occurs
in it (``tests/test_secrets_speed.py`` proves each trigger against the rule's own matches).

Kinds: ``secret-data`` (once a text says ``kind: Secret`` anywhere, every value directly under
a ``data:``/``stringData:`` key: a YAML block mapping, block scalars included, or a JSON or flow
object, such as ``kubectl get secret -o yaml|json``, a manifest, or the
``last-applied-configuration`` annotation), ``private-key`` (PEM, OpenSSH and PGP private key
blocks, also inside a JSON string; the BEGIN/END lines stay), ``jwt`` (three base64url parts
starting ``eyJ``, also wrapped over lines -- Kubernetes service-account tokens),
``kubeconfig-data`` (``client-key-data``, ``client-certificate-data``, ``token``, ``password``
values; not ``certificate-authority-data``, which is public), ``bearer-token``, ``k3s-token``
(``K10<hash>::<user>:<password>``), ``bootstrap-token`` (``abcdef.0123456789abcdef``),
``url-password`` (``scheme://user:password@host``), ``aws-access-key`` and ``aws-secret-key``
(40 base64 characters near a key id), ``secret-value`` for short password flags
(``docker login -p``, ``sshpass -p``, ``mysql -pSECRET``) and a password echoed into
``login --password-stdin``, ``dockerhub-token`` (``dckr_pat_``/``dckr_oat_``),
``netrc-password`` (``machine H login U password P``), ``password-hash`` (crypt(3) hashes:
htpasswd's ``$apr1$``, bcrypt, ``$5$``/``$6$``/yescrypt) and ``cookie`` (a Cookie or
Set-Cookie value of 16 characters or more), ``gcp-access-token`` (``ya29.``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from execdocs import secret_keywords, secret_printed, secret_starts


@dataclass(frozen=True)
class Rule:
    """A secret kind and how to find its values: a pattern whose group ``secret`` (or ``bare``)
    is the value, or, where a pattern cannot say it, a function yielding each (start, end).
    ``triggers``: lower-case literals, one of which every match contains; ``shape``: a pattern
    (on the lower-cased text) every match contains, for a rule no literal can announce."""

    kind: str
    triggers: tuple[str, ...]
    pattern: re.Pattern[str] | None = None
    find: Callable[[str], Iterable[tuple[int, int]]] | None = None
    shape: re.Pattern[str] | None = None

    @cached_property
    def starts(self) -> secret_starts.Starts | None:
        """The literals every match of :attr:`pattern` starts with (None: no pattern, or it
        names none): the pattern is tried only where one occurs."""
        return None if self.pattern is None else secret_starts.prefixes(self.pattern.pattern)

    def spans(self, text: str, low: str | None = None,
              present: frozenset[str] | set[str] | None = None) -> Iterable[tuple[int, int]]:
        """(start, end) of every value this rule finds in ``text``, safe ones included.
        ``low`` (``text.lower()``) and ``present`` (what ``secret_triggers`` found in it), when
        given, let the pattern be tried only where a match can start (the same finds)."""
        if self.find is not None:
            return self.find(text)
        assert self.pattern is not None
        found = (self.pattern.finditer(text) if low is None or present is None else
                 secret_starts.finditer(self.pattern, self.starts, text, low, present))
        return (m.span("secret" if m.group("secret") is not None else "bare") for m in found)

    def may_match(self, present: frozenset[str] | set[str], low: str) -> bool:
        """Whether this rule can match a text whose lower-cased form is ``low`` and in which
        the words ``present`` (a superset of its triggers that occur) were found."""
        return (not present.isdisjoint(self.triggers)
                or (self.shape is not None and self.shape.search(low) is not None))


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


# A line that goes on a YAML document (or a Helm template of one): blank, indented, a comment,
# a list item, a key, a template line, or a document's own end marker; a line at column 0 that
# is none of these (the prose between two code blocks of a page) ends it, as "---" does.
_YAML_LINE = re.compile(r"""[ \t]|$|#|-[ \t]|-$|\{[{%]"""
                        r"""|(?:"[^"\n]*"|'[^'\n]*'|[^\s:#][^\s:]*):(?:[ \t]|$)""")
_DOCUMENT_END = re.compile(r"(?:---|\.\.\.)(?:[ \t].*)?")


_TOP_KEY = re.compile(r"""(?:"([^"\n]*)"|'([^'\n]*)'|([^\s:#][^\s:]*)):(?:[ \t]|$)""")


def _secret_documents(lines: list[str]) -> set[int]:
    """Indexes of the lines in a YAML document that says ``kind: Secret``: a ConfigMap's data
    in another code block of the page (a ``kind: Secret`` elsewhere on it) is no secret. A
    key at column 0 that the document has already (two code blocks with only blank lines
    between: ``kind: ConfigMap`` then ``kind: Secret``) starts the next document, as YAML
    allows no key twice in one mapping."""
    documents: list[list[int]] = [[]]
    keys: set[str] = set()  # the current document's keys at column 0
    for n, line in enumerate(lines):
        line = line.rstrip("\r\n")
        if _DOCUMENT_END.fullmatch(line) or not _YAML_LINE.match(line):
            documents.append([])
            keys = set()
            continue
        top = _TOP_KEY.match(line)
        if top is not None:
            key = next(k for k in top.groups() if k is not None)
            if key in keys:
                documents.append([])
                keys = set()
            keys.add(key)
        documents[-1].append(n)
    return {n for doc in documents if any(_SECRET_KIND.search(lines[i]) for i in doc)
            for n in doc}


def _yaml_data_values(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the values of every ``data:``/``stringData:`` block mapping in a YAML document
    that says ``kind: Secret``, by indentation."""
    lines = text.splitlines(keepends=True)
    within = _secret_documents(lines)
    at = list(accumulate(map(len, lines), initial=0))
    n = 0
    while n < len(lines):
        opener = _YAML_DATA_KEY.fullmatch(lines[n].rstrip())
        n += 1
        if not opener or n - 1 not in within:
            continue
        outer, entry_indent = len(opener.group("lead")), None
        # data: holds base64, which has no blank: a sentence there says what goes there
        # ("clientID: base64 of your plain text clientId", aws-load-balancer-controller's docs);
        # stringData: holds the value itself, which may be a sentence
        described = "stringdata" not in opener.group(0).lower()
        value: list[int] | None = None  # [start, end] of the entry being read
        name = ""  # its key
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
                yield from _unless_plain(text, _yaml_entry_value(text, *value), described, name)
            key = _YAML_KEY.match(line)
            name = key.group().strip().rstrip(":").strip("\"'") if key else ""
            # a comment is no value; a line without a key is one, all of it (fail closed)
            value = (None if line.lstrip().startswith("#") else
                     [at[n - 1] + (key.end() if key else indent), at[n - 1] + len(line)])
        if value is not None:
            yield from _unless_plain(text, _yaml_entry_value(text, *value), described, name)


# Fields of a Secret's stringData that configure, not authenticate: Argo CD's repository and
# cluster Secrets (type: git, url:, project:, name:, shard: 1), when the value is a plain name,
# number, flag or URL without credentials in it (a url's user:password is url-password's).
_PLAIN_FIELDS = frozenset({"type", "url", "name", "project", "server", "shard", "depth",
                           "namespace", "namespaces", "enableOCI", "enableLfs", "insecure",
                           "proxy", "noProxy", "forceHttpBasicAuth", "clusterResources"})
_PLAIN_VALUE = re.compile(r"""(["']?)(?:[\w.-]{1,253}|https?://[\w.-]+(?::\d+)?(?:/[\w.~/-]*)?"""
                          r"""|ssh://git@[\w.-]+(?::\d+)?(?:/[\w.~/-]*)?|git@[\w.-]+:[\w.~/-]*)\1""")


def _unless_plain(text: str, span: tuple[int, int], data: bool, key: str
                  ) -> Iterator[tuple[int, int]]:
    value = text[span[0]:span[1]]
    if data and secret_keywords.describes(value):
        return  # data: holds base64: words say what goes there
    if not data and key in _PLAIN_FIELDS and _PLAIN_VALUE.fullmatch(value.strip()):
        return
    yield span


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


_BLANKS = re.compile(r"\s+")  # hot paths use compiled patterns: re's own cache can evict
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
        token = _BLANKS.sub("", text[start:end])
        parts = token.split(".")
        if len(parts) >= 3 and parts[1].startswith("eyJ") and len(parts[1]) >= 8:
            yield start, end
        pos = max(end, m.end())


# An AWS secret access key: 40 base64 characters near its key id (same or next two lines).
_AWS_ID = re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")
_SHA1_OR_WORD = re.compile(r"[0-9a-f]{40}|[A-Za-z]+")  # no secret key: a sha1, a word
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def _aws_secrets(text: str) -> Iterator[tuple[int, int]]:
    for m in _AWS_ID.finditer(text):
        lo = text.rfind("\n", 0, text.rfind("\n", 0, m.start()))
        hi = m.end()
        for _ in range(3):
            nxt = text.find("\n", hi + 1)
            hi = len(text) if nxt == -1 else nxt
        for s in _AWS_SECRET.finditer(text, lo + 1, hi):
            if not _SHA1_OR_WORD.fullmatch(s.group()):
                yield s.span()


_COOKIE = re.compile(r"(?i:\b(?:set-)?cookie)[ \t]*:[ \t]*(?P<pairs>[^\n'\"]*)")
_COOKIE_PAIR = re.compile(r"([^=;\s]+)=([^;\s]*)")


_GAP = r"(?:[ \t\f\v]+|[ \t\f\v]*\r?\n[ \t\f\v]*)"  # blanks, at most one line break in them


_BOOTSTRAP_BARE = re.compile(
    r"(?P<secret>(?<![\w.\-])[a-z0-9]{6}\.(?![0-9a-f]{16}\b)[a-z0-9]{16})(?![\w\-]|\.\w)")
_BOOTSTRAP_HALF = re.compile(r"\.[a-z0-9]{16}")  # in every match, 6 characters in


def _bare_bootstrap_tokens(text: str) -> Iterator[tuple[int, int]]:
    """What ``_BOOTSTRAP_BARE.finditer`` finds, tried only where its dot and second half are
    (its look-behind and class start leave the regex engine nothing to skip by: it was tried
    at every character of every page). Every match is 23 characters long and starts 6 before
    a ``_BOOTSTRAP_HALF`` match; those cannot overlap (16 characters without a dot follow
    each dot), so all of them are found."""
    seen = 0
    for half in _BOOTSTRAP_HALF.finditer(text):
        start = half.start() - 6
        if start >= max(seen, 0) and (m := _BOOTSTRAP_BARE.match(text, start)) is not None:
            seen = m.end()
            yield m.span("secret")


def _cookies(text: str) -> Iterator[tuple[int, int]]:
    """Values of a Cookie or Set-Cookie header 16 characters or longer (a session, a token;
    not ``Path=/`` or ``Max-Age=3600``)."""
    for m in _COOKIE.finditer(text):
        for pair in _COOKIE_PAIR.finditer(text, m.start("pairs"), m.end("pairs")):
            if len(pair.group(2)) >= 16:
                yield pair.span(2)


# (starting with its literal: re finds a pattern's literal start fast, a ^[ \t]* start at
# every line)
_KV_HEADER = re.compile(r"Key[ \t]{2,}Value[ \t]*\r?\n[ \t]*-{3,}[ \t]{2,}-{3,}[ \t]*$", re.M)
_KV_ROW = re.compile(r"[ \t]*(?P<key>[\w.\-/]+)[ \t]{2,}(?P<value>\S[^\n]*?)[ \t]*(?:\r?\n|\Z)")


def _key_value_rows(text: str) -> Iterator[tuple[int, int]]:
    """Values of the rows under each ``Key  Value`` / ``---  -----`` header (vault token
    create, vault login, vault kv get) whose key names a secret."""
    for head in _KV_HEADER.finditer(text):
        if text[text.rfind("\n", 0, head.start()) + 1:head.start()].strip(" \t"):
            continue  # not the first word of its line
        pos = head.end() + 1
        while (row := _KV_ROW.match(text, pos)) is not None:
            if secret_keywords.secret_key(row.group("key")) and not (
                    secret_keywords.safe_value(row.group("value"))):
                yield row.span("value")
            pos = row.end()


_LIST_KEY = re.compile(r"(?P<indent>[ \t]*)(?P<key>[A-Za-z_][\w.\-]*)[ \t]*:[ \t]*(?:#.*)?")
_LIST_ITEM = re.compile(r"[ \t]*-[ \t]+(?P<q>['\"]?)(?P<value>[^\s'\"#]*)(?P=q)[ \t]*(?:#.*)?")
# an item that reads as a token: 32+ hex digits, or 16+ letters and digits mixed
_TOKEN_ITEM = re.compile(r"[0-9a-fA-F]{32,}|(?=[A-Za-z0-9_\-+/=.]*\d)"
                         r"(?=[A-Za-z0-9_\-+/=.]*[A-Za-z])[A-Za-z0-9_\-+/=.]{16,}")
_PLURAL_SECRETS = {"tokens", "secrets", "passwords", "keys", "credentials", "apikeys"}
_DASHED_NAME = re.compile(r"[a-z0-9]{1,12}(?:[-.][a-z0-9]{1,12})+")  # a Secret's name: my-app-v2


_LIST_TRIGGERS = tuple(f"{w}:" for w in sorted(_PLURAL_SECRETS))


def _secret_list_items(text: str) -> Iterator[tuple[int, int]]:
    """Token-like items of a YAML block list whose key names secrets in the plural
    (``github_access_tokens:`` then ``- '4d83…'``, shhgit's config in the public corpus); a
    list of names (``secrets: [db-creds]``) is no token. Only the lines holding one of
    :data:`_LIST_TRIGGERS` are read."""
    for start in secret_starts.lines_holding(text, _LIST_TRIGGERS):
        end = text.find("\n", start)
        m = _LIST_KEY.fullmatch(text, start, len(text) if end == -1 else end)
        if m is None:
            continue
        words = secret_keywords.key_words(m.group("key"))
        if not words or words[-1] not in _PLURAL_SECRETS or words[-1] == "keys" and (
                len(words) < 2 or words[-2] not in ("api", "access", "secret", "private")):
            continue
        pos = m.end() + 1
        while pos < len(text) and (item := _LIST_ITEM.match(text, pos)) is not None and (
                item.end() == len(text) or text[item.end()] == "\n"):
            value = item.group("value")
            if _TOKEN_ITEM.fullmatch(value) and not secret_keywords.safe_value(value) and not (
                    _DASHED_NAME.fullmatch(value)):
                yield item.span("value")
            pos = item.end() + 1


_JAAS_USER = re.compile(r"\buser_[\w.\-]+[ \t]*=[ \t]*\"(?P<value>[^\"\n]+)\"")
_LOGIN_MODULE = re.compile(r"LoginModule[ \t]+(?:required|requisite|sufficient|optional)\b")


def _jaas_users(text: str) -> Iterator[tuple[int, int]]:
    """The passwords of ``user_NAME="..."`` options after a JAAS login module's line, up to the
    end of its entry (``;``)."""
    for module in _LOGIN_MODULE.finditer(text):
        end = text.find(";", module.end())
        for m in _JAAS_USER.finditer(text, module.end(), len(text) if end == -1 else end + 1):
            yield m.span("value")


_PPK_LINES = re.compile(r"Private-Lines:[ \t]*(\d{1,4})[ \t]*\r?\n")


def _ppk_private(text: str) -> Iterator[tuple[int, int]]:
    """The private lines of a PuTTY key file: the N lines after ``Private-Lines: N``, up to
    an empty line (a key file has none)."""
    for m in _PPK_LINES.finditer(text):
        end = m.end()
        for _ in range(int(m.group(1))):
            nxt = text.find("\n", end)
            if not text[end:len(text) if nxt == -1 else nxt].strip():
                break
            end = len(text) if nxt == -1 else nxt + 1
        if end > m.end():
            yield m.end(), end - (1 if text[end - 1:end] == "\n" else 0)


_BASIC = re.compile(r"asic[ \t]+(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![\w+/=])")


def _basic_credentials(text: str) -> Iterator[tuple[int, int]]:
    """``Basic <base64>`` whose base64 decodes to printable ``user:password``."""
    import base64
    import binascii

    for m in _BASIC.finditer(text):  # "asic": a literal start (the B either case, then)
        at = m.start() - 1
        if at < 0 or text[at] not in "Bb" or (at and (text[at - 1].isalnum() or
                                                      text[at - 1] in "_-")):
            continue
        value = m.group("value")
        try:
            raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
            plain = raw.decode("ascii")
        except (binascii.Error, ValueError):
            continue
        user, colon, password = plain.partition(":")
        if colon and user and password and plain.isprintable():
            yield m.span("value")


_PEM_KINDS = r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
_PEM_END = r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"

RULES: tuple[Rule, ...] = (
    # First, so that where another rule finds the same value (a Secret's ``password:``) the
    # Secret's own kind wins the tie: one kind and one numbering for all its values.
    Rule("secret-data", ("secret",), find=_secret_data),
    Rule("private-key", ("private key",), re.compile(  # PEM, OpenSSH, PGP armour: every kind
        _PEM_KINDS + r"[ \t]*\r?\n(?P<secret>.*?)(?:\r?\n[ \t]*" + _PEM_END + r"|\Z)", re.S)),
    Rule("private-key", ("private key",), re.compile(  # the same in a JSON string, \n escapes
        # (not its redacted form: the placeholder, the escape before END taken with the body)
        # (escaped once more in a JSON string inside another one: \\n, a GCR _json_key in
        # a .dockerconfigjson)
        _PEM_KINDS + r"(?:\\+r)?\\+n(?!<REDACTED:[a-z0-9-]+#\d+>(?:(?:\\+r)?\\+n)?-----END)"
        r"(?P<secret>(?:[^\n\"\\]|\\.)*?)"
        r"(?:(?:\\+r)?\\+n" + _PEM_END + r"|(?=\"|\n|\Z))")),
    Rule("jwt", ("eyj",), find=_jwts),
    Rule("printed-secret", secret_printed.TRIGGERS, find=secret_printed.printed_values),
    Rule("kubeconfig-data", ("-data", "token", "password"), re.compile(
        # not certificate-authority-data: a cluster's CA certificate is public
        r"(?P<key>\b(?:client-key-data|client-certificate-data"
        r"|token|password|id-token|refresh-token)[\"']?[ \t]*[:=][ \t]*)"  # on its own line:
        # prose's "a worker token:" and the command block below it are two lines of one text
        r"[\"']?(?!\$\{|\$\w|\$\(|\{\{|\{%|<<?[^<>\n]{1,80}>|ENC\[AES256_GCM,"  # a variable,
        # $(command), a template, <placeholder>, a value SOPS encrypted
        r"|\((?:hidden|sensitive|known after)\b"  # a mask: wg, Terraform
        # a sentence: "aws-token: Exposes the injected token path" (a definition list's item)
        r"|[A-Z][a-z]+[ \t]+[a-z]+[ \t]+[a-z]+)"
        r"(?P<secret>[^\s\"',}]++)(?![ \t]+bytes\b)"  # describe secret: 16 bytes
    )),
    # blanks between the words may include one line break, not more: a match must stay
    # within what the final pass scans together (secret_guard.WINDOW; tests/test_secret_reach)
    Rule("bearer-token", ("bearer",), re.compile(
        # not prose's "Bearer authentication", "bearer credentials", nor the next key after
        # Prometheus' "type: Bearer" ("credentials_file:", taken whole and refused by its colon)
        r"(?i:\bbearer)" + _GAP + r"(?!(?i:authentication|authorization|auth|tokens?|scheme"
        r"|credentials?|header|string|value|type)(?![\w\-.~+/]))"
        r"(?P<secret>[\w\-.~+/]{8,}+=*+)(?!:)"
    )),
    Rule("k3s-token", ("k10",), re.compile(
        r"(?P<secret>\bK10[0-9a-fA-F]{8,}::[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+)"
    )),
    # <6>.<16> after a token key; or bare, not inside a longer name, where an all-hex second
    # half is an Event's name suffix (pod.17f6a2b3c4d5e6f7: a timestamp), not a token
    Rule("bootstrap-token", ("token",), re.compile(
        r"(?i:token)[\w-]*[\"']?[ \t]*[:= ][ \t]*[\"']?(?P<secret>[a-z0-9]{6}\.[a-z0-9]{16})\b")),
    Rule("bootstrap-token", (), find=_bare_bootstrap_tokens, shape=_BOOTSTRAP_HALF),
    Rule("url-password", ("@",), re.compile(  # the user may be empty: redis://:pass@host
        r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://(?!<REDACTED:)[^\s:/@]*:"
        r"(?!<[^<>\s/@]{1,80}>@)(?P<secret>[^\s/@]+)@"
    )),
    Rule("dockerhub-token", ("dckr_",), re.compile(  # Docker Hub personal / org access tokens
        r"(?P<secret>\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{20,})")),
    Rule("netrc-password", ("machine",), re.compile(  # .netrc: machine H login U password P
        r"\bmachine[ \t]+\S+(?:" + _GAP + r"(?:login|account)[ \t]+\S+){0,2}" + _GAP
        + r"password[ \t]+(?P<secret>\S+)")),
    # crypt(3) hashes (htpasswd for an ingress' basic auth, /etc/shadow): crackable offline
    Rule("password-hash", ("$apr1$", "$2a$", "$2b$", "$2x$", "$2y$", "$5$", "$6$", "$y$"),
         re.compile(r"(?P<secret>\$(?:apr1|[56]|y)\$[./A-Za-z0-9$]{1,30}\$[./A-Za-z0-9]{20,}"
                    r"|\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53})")),
    # htdigest's user:realm:MD5 lines (Traefik's digestAuth users, an .htdigest file): the MD5
    # of user:realm:password, crackable offline like the crypt hashes above
    Rule("password-hash", ("digestauth", "htdigest"), re.compile(
        r"(?<![\w:])[\w.@-]{1,64}:[\w.@ -]{1,64}:(?P<secret>[0-9a-f]{32})(?![\w:])")),
    Rule("secret-value", ("password-stdin",), re.compile(  # echo PASS | docker login ...
        r"\b(?:echo|printf)[ \t]+(?:-n[ \t]+)?(?P<q>['\"]?)(?P<secret>[^\s'\"|$-][^\s'\"|]*)"
        r"(?P=q)[ \t]*\|[ \t]*(?:sudo[ \t]+)?[^\n|;&]*\blogin\b[^\n|;&]*--password-stdin")),
    Rule("cookie", ("cookie",), find=lambda text: _cookies(text)),
    Rule("gcp-access-token", ("ya29.",), re.compile(  # gcloud auth print-access-token
        r"(?P<secret>\bya29\.[0-9A-Za-z_-]{20,})")),
    Rule("aws-access-key", ("akia", "asia"), re.compile(
        r"(?P<secret>\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)")),
    Rule("aws-secret-key", ("akia", "asia"), find=_aws_secrets),
    # short password flags no key name announces: docker/podman/nerdctl/helm registry login -p,
    # sshpass -p, mysql -pSECRET (attached, as mysql wants it)
    Rule("secret-value", (" -p", "\t-p"), re.compile(
        r"\b(?:(?:(?:docker|podman|nerdctl|buildah|oras|skopeo|helm[ \t]+registry)\b"
        r"[^\n|;&]*?\blogin|sshpass)\b[^\n|;&]*?[ \t]-p(?:[ \t]+|=)"
        r"|\bmysql(?:dump|admin)?\b[^\n|;&]*?[ \t]-p)(?P<q>['\"]?)(?P<secret>[^\s'\"-][^\s'\"]*)"
        r"(?P=q)")),
    # passwords some tools take as plain arguments: grafana-cli admin reset-admin-password P,
    # htpasswd -b[n] [FILE] USER P, redis-cli -a P, mc alias set NAME URL ACCESS SECRET,
    # etcdctl --user USER:P
    # redis.conf's and CONFIG SET's requirepass/masterauth PASSWORD (no ':' or '=')
    Rule("secret-value", ("requirepass", "masterauth"), re.compile(
        r"\b(?:requirepass|masterauth)[ \t]+(?P<q>['\"]?)(?P<secret>[^\s'\"<$][^\s'\"]*)(?P=q)")),
    Rule("secret-value", ("reset-admin-password",), re.compile(
        r"\breset-admin-password[ \t]+['\"]?(?P<secret>[^\s'\"<$-][^\s'\"]*)")),
    Rule("secret-value", ("htpasswd",), re.compile(
        r"\bhtpasswd((?:[ \t]+-[a-zA-Z]+)*?[ \t]+-[a-zA-Z]*b[a-zA-Z]*(?:[ \t]+-[a-zA-Z]+)*)"
        r"(?:[ \t]+[^\s|;&<>-]\S*)?[ \t]+[^\s|;&<>-]\S*[ \t]+['\"]?"
        r"(?P<secret>[^\s'\"|;&<>$-][^\s'\"|;&]*)")),
    Rule("secret-value", ("redis-cli",), re.compile(
        r"\bredis-cli\b[^\n|;&]*?[ \t](?:-a|--pass)[ \t]+['\"]?(?P<secret>[^\s'\"<$-][^\s'\"]*)")),
    Rule("secret-value", ("alias set", "host add"), re.compile(
        r"\bmc[ \t]+(?:alias[ \t]+set|config[ \t]+host[ \t]+add)(?:[ \t]+\S+){3}[ \t]+['\"]?"
        r"(?P<secret>[^\s'\"<$-][^\s'\"]*)")),
    Rule("secret-value", ("etcdctl",), re.compile(
        r"\betcdctl\b[^\n|;&]*?--user(?:=|[ \t]+)['\"]?[^\s:'\"]+:"
        r"(?P<secret>[^\s'\"<$][^\s'\"]*)")),
    # Vault's tokens (hvs./hvb./hvr.; a dev server's root token is 28 characters, under
    # gitleaks' 90), Stripe's keys up to a ':' (curl -u sk_test_...: in Stripe's docs), the
    # secret key aws configure echoes at its prompt
    Rule("vault-token", ("hvs.", "hvb.", "hvr."), re.compile(
        r"(?P<secret>(?<![\w.])hv[sbr]\.[\w-]{24,})")),
    Rule("stripe-key", ("sk_test_", "sk_live_", "rk_test_", "rk_live_"), re.compile(
        r"(?P<secret>(?<![\w-])[rs]k_(?:test|live)_[0-9A-Za-z]{10,99})(?![0-9A-Za-z])")),
    Rule("aws-secret-key", ("aws secret access key",), re.compile(
        r"AWS Secret Access Key[ \t]*\[[^\]\n]*\]:[ \t]*(?P<secret>[^\s<$][^\s]*)")),
    # a table of keys and values as vault prints them (Key  Value, ---  -----): a row whose
    # key names a secret (token, password, secret_id; not token_accessor, token_ttl)
    Rule("secret-value", ("key",), find=lambda text: _key_value_rows(text)),
    # an Azure storage account key (64 bytes in base64) where az prints or a connection string
    # names one: `az storage account keys list -o table` shows it bare in its Value column
    Rule("azure-storage-key", ("keyname", "az storage", "accountkey"), re.compile(
        r"(?<![A-Za-z0-9+/])(?P<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])")),
    # token-like items of a YAML list under a key naming secrets (github_access_tokens:)
    Rule("secret-value", _LIST_TRIGGERS, find=lambda text: _secret_list_items(text)),
    # a JAAS login module's users: user_NAME="PASSWORD" (Kafka's PlainLoginModule)
    Rule("secret-value", ("loginmodule",), find=lambda text: _jaas_users(text)),
    # HTTP Basic credentials under any header name (a misspelt Authorizaton: too): base64 of
    # user:password
    Rule("basic-auth", ("basic",), find=lambda text: _basic_credentials(text)),
    # vault login TOKEN (positional; -method=... KEY=value pairs are the keyword rule's)
    Rule("secret-value", ("vault login",), re.compile(
        r"\bvault[ \t]+login(?:[ \t]+-\S+)*[ \t]+(?P<secret>[^\s<$=-][^\s=]*)(?=[ \t]*$|[ \t]+-)",
        re.M)),
    # microk8s' join token in its join command (microk8s add-node prints it: HOST:PORT/TOKEN)
    Rule("join-token", ("microk8s",), re.compile(
        r"\bmicrok8s[ \t]+join[ \t]+[\w.\[\]:-]+:\d+/(?P<secret>[0-9A-Za-z]{16,})")),
    # a session in a Netscape cookie jar (curl -c, a browser export): domain, flag, path,
    # secure, expiry, name, value -- tab-separated
    Rule("cookie", ("\ttrue\t", "\tfalse\t"), re.compile(
        r"^(?:#HttpOnly_)?[\w.-]+\t(?:TRUE|FALSE)\t[^\t\n]*\t(?:TRUE|FALSE)\t-?\d+\t[^\t\n]+\t"
        r"(?P<secret>[^\t\n]{16,})$", re.M)),
    # a PuTTY key file's private lines (Private-Lines: N, then N lines of base64)
    Rule("private-key", ("private-lines:",), find=lambda text: _ppk_private(text)),
    # PagerDuty's integration key as Alertmanager names it (routing_key: 32 hex); a message
    # router's routing key (logs.error) has other shapes
    Rule("pagerduty-key", ("routing_key", "routingkey", "routing-key"), re.compile(
        r"(?i:routing[_-]?key)[\"']?[ \t]*[:=][ \t]*[\"']?(?P<secret>[0-9a-f]{32})(?![0-9a-f])")),
    # Docker Swarm join tokens, printed bare by `docker swarm join-token -q`
    Rule("swarm-token", ("swmtkn-1-",), re.compile(
        r"(?P<secret>\bSWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}\b)")),
    # a token in a URL: as its user (git clone https://TOKEN@host/...), in a Discord webhook's
    # path, in a Telegram bot's
    Rule("url-token", ("@",), re.compile(  # tried only where "://" stands (its start literal)
        r"(?<=[a-zA-Z0-9+.\-])://(?P<secret>(?=[A-Za-z_\-]*[0-9])(?=[0-9_\-]*[A-Za-z])"
        r"[A-Za-z0-9_\-]{20,})@")),
    Rule("webhook-token", ("/api/webhooks/",), re.compile(
        r"\bdiscord(?:app)?\.com/api/webhooks/\d+/(?P<secret>[\w-]{40,})")),
    Rule("telegram-bot-token", ("api.telegram.org/bot",), re.compile(
        r"\bapi\.telegram\.org/bot\d+:(?P<secret>[\w-]{30,})")),
    # passwords services print once in their log or banner (kubectl logs of a first start):
    # Jenkins' initial admin password, Elasticsearch's elastic user and its enrollment token
    Rule("secret-value", ("proceed to installation",), re.compile(
        r"following password to proceed to installation:[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*"
        r"(?P<secret>[0-9a-f]{32})\b")),
    Rule("secret-value", ("password for the",), re.compile(
        r"\bPassword for the \[?\w+\]? user\b[^\n]*?(?::[ \t]*\r?\n[ \t]*|successfully reset\."
        r"[ \t]*\r?\n[ \t]*New value:[ \t]*)(?P<secret>[^\s`'\"]+)")),
    Rule("secret-value", ("enrollment token",), re.compile(
        r"\benrollment token\b[^\n]*\r?\n[ \t]*(?P<secret>eyJ[A-Za-z0-9+/=_-]{20,})")),
    # an Azure shared access signature in a URL (a bearer credential until it expires)
    Rule("azure-sas", ("sig=",), re.compile(
        r"[?&]sig=(?P<secret>[A-Za-z0-9%+/]{20,}(?:%3[Dd]|=){0,2})")),
)

TRIGGERS: frozenset[str] = frozenset(t for rule in RULES for t in rule.triggers)
"""Every literal trigger of the field rules."""
