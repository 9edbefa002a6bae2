"""Commands that print a Secret's values bare, and those values where a page shows them.

``kubectl get secret db -o jsonpath='{.data.password}'`` (go-template, custom-columns), anything
about a secret piped into ``base64 -d``, ``argocd admin initial-password``: their standard
output is the secret itself, with nothing around it that a rule could recognise. The capture
tool redacts such an output whole (``execdocs.capture.redact``); a page that shows one, the
command on a line and what it printed on the next (``$ argocd admin initial-password -n
argocd`` then ``Lnt8EGno2CRi8TqM``: argo-cd's PR 11155, the Grafana chart's NOTES, the
Kubernetes docs' "Decoding a Secret"), holds a ``printed-secret`` (:func:`printed_values`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from execdocs import secret_keywords
from execdocs.secret_starts import lines_holding

_GET_SECRET = re.compile(r"\bkubectl\b.*\bget\s+(?:\S+\s+)*?(?:\S*,)?secrets?(?:\b|/)")
_FIELD_OUTPUT = re.compile(
    r"(?:-o|--output)(?:\s+|=)?['\"]?(?:jsonpath|go-template|template|custom-columns)")
_DECODE = re.compile(r"\|\s*base64\s+(?:\S+\s+)*?(?:-d|--decode|-D)\b")
_INITIAL_PASSWORD = re.compile(r"\bargocd\b[^\n|;&]*\badmin[ \t]+initial-password\b")
_SECRET_WORD = re.compile(r"secret", re.I)
# tools that print a token or a key bare: gcloud's print-*-token, aws ecr get-login-password,
# heroku auth:token, wg genkey/genpsk (WireGuard's private key)
_PRINTS_TOKEN = re.compile(
    r"\bgcloud\b[^\n|;&]*\bprint-(?:access|refresh|identity)-token\b"
    r"|\baws\b[^\n|;&]*\becr(?:-public)?[ \t]+get-login-password\b"
    r"|\bheroku[ \t]+auth:token\b|\bwg[ \t]+gen(?:key|psk)\b")
# a file whose name names a secret, printed whole (Jenkins' secrets/initialAdminPassword,
# WireGuard's privatekey), or a Terraform output so named (terraform output -raw db_password)
_CATS = re.compile(r"\bcat(?:[ \t]+-\S+)*[ \t]+['\"]?"
                   r"(?P<path>[^\s'\"|;&<>]+)")
_TF_OUTPUT = re.compile(r"\bterraform[ \t]+output(?:[ \t]+-\S+)*[ \t]+['\"]?(?P<path>[\w-]+)")
_KEY_FILES = {"privatekey", "private.key", "private_key", "presharedkey", "psk"}

TRIGGERS = ("initial-password", "base64", "jsonpath", "template", "custom-columns",
            "print-", "get-login-password", "auth:token", "genkey", "genpsk", "cat ",
            "terraform output")
"""Lower-case literals, one of which every command :func:`prints_secret_values` holds (the
rule runs only where one occurs)."""


def prints_secret_values(command: str) -> bool:
    """Whether ``command``'s standard output is a Secret's values themselves (or a password
    printed bare: ``argocd admin initial-password``)."""
    first = command.split("|", 1)[0]
    if _INITIAL_PASSWORD.search(first) or _PRINTS_TOKEN.search(first):
        return True
    for m in (*_CATS.finditer(first), *_TF_OUTPUT.finditer(first)):
        name = m.group("path").rstrip("/").rsplit("/", 1)[-1]
        if name.lower() in _KEY_FILES or (
                "." not in name.strip(".") and secret_keywords.secret_key(name)):
            return True
    if _GET_SECRET.search(first) and _FIELD_OUTPUT.search(first):
        return True
    return bool(_SECRET_WORD.search(command) and _DECODE.search(command))


# a command line as a page shows it: a prompt ($, #, ❯, PS C:\>), then the command
_PROMPTED = re.compile(r"[ \t]*(?:[$#❯>%][ \t]+|PS [^>\n]*>[ \t]*)?(?P<command>\S[^\n]*)")
# what such a command printed: one token alone on the next line, not a prompt, a flag, a path,
# a variable or a shell word or command (`done`, `echo`: the next line of a script); a lower-case
# password printed bare is one (Rancher's bootstrapPassword)
_PRINTED = re.compile(r"[ \t]*(?P<value>(?![$#❯>%/-]|\{\{|\$\{)"
                      r"(?!(?:done|fi|esac|exit|echo|then|else|wait|true|false|clear|cd|ls|pwd"
                      r"|return|break|continue|set|unset|export|sudo|kubectl|cat|exec|logout)"
                      r"[ \t]*$)"
                      r"[^\s]{4,512})[ \t]*")


def printed_values(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each value printed on the line after a command that
    :func:`prints_secret_values` (the command on the line before, with or without a prompt)."""
    for start in lines_holding(text, TRIGGERS):  # the lines that may hold such a command
        end = text.find("\n", start)
        if end == -1:
            continue  # the text's last line: nothing printed after it
        line = _PROMPTED.fullmatch(text, start, end)
        if line is None or not prints_secret_values(line.group("command")):
            continue
        after = text.find("\n", end + 1)
        after = len(text) if after == -1 else after
        printed = _PRINTED.fullmatch(text, end + 1, after)
        if printed is not None:
            yield printed.span("value")
