"""Keyword assignments: a value given to a key that names a secret, whatever its shape.

gitleaks' ``generic-api-key`` wants a long high-entropy value; ``DB_PASSWORD=hunter2`` is
neither, and is exactly what ``env`` or a pod spec prints. So execdocs keeps its own rule:
the key decides. A key names a secret when one of its words (split at ``-_.``, blanks and
camelCase) contains ``password``/``passwd``/``passphrase``/``secret``/``token``/``credential``,
is ``auth``/``authorization``/``apikey``/``pat``, or is ``key`` after another word
(``*_KEY``, ``secretKey``, ``client-key``) -- unless the key names the secret instead of holding
it (last word ``name``, ``ref``, ``file``, ``path``, ``type``, ``id``, a duration or a size: a
``secretName``, ``TokenExpirationSeconds``), or is a plural (``Tokens:`` in ``describe sa``
lists Secret names). A ``*_KEY`` whose other words say nothing secret and whose word before
``key`` names a kind of key that is no secret -- a cache, database, sort, routing, label,
topology or public key (``CACHE_KEY``, ``primaryKey``, ``topologyKey: kubernetes.io/hostname``,
``PublicKey = …``) -- holds none either (real samples in ``tests/test_secrets_keywords.py``).

Forms: ``KEY=value`` (env, ``--set a.b=…``, ``--flag=…``), ``key = value`` (INI, TOML, HCL,
WireGuard), ``--flag value``, ``key: value``
(YAML, describe, HTTP headers; a ``|``/``>`` block scalar with its lines), ``"key": value``
(JSON, also escaped inside a JSON string), and the env-list pair ``name: DB_PASSWORD`` /
``value: …`` (YAML or JSON). A value that is a placeholder for a secret is not one: empty,
``<none>``, ``null``, booleans, ``16 bytes`` (``describe secret``), ``$VAR``, ``${VAR}``,
``{{ … }}``, masks (``****``, ``(hidden)``, Terraform's ``(sensitive value)``), ``<set to the
key 'k' in secret 's'>``, ``DATA+OMITTED``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
_HOLDS = ("password", "passwd", "passphrase", "passcode", "secret", "token", "credential")
_EXACT = {"auth", "authorization", "apikey", "pat",  # not pwd: env's PWD is the cwd
          "encrypt"}  # Consul's gossip key (encrypt = "base64 of 32 bytes")
_NAMES_IT = {"name", "names", "ref", "file", "path", "dir", "type", "kind", "id", "ids",
             "seconds", "ttl", "expiration", "expiry", "expires", "length", "size", "count",
             "bytes", "enabled", "mode", "namespace", "url", "uri", "endpoint", "provider",
             "secrets", "tokens", "env", "command",
             # a key naming how or where a secret is kept, not the secret (secretPushFormat:
             # string, --vault-token-cache-size, tokenTemplate, passwordPolicy)
             "format", "cache", "template", "encoding", "version", "policy", "prefix", "suffix",
             "scope", "store", "backend", "engine", "strategy", "rotation", "lifetime",
             "duration", "timeout", "interval",
             # how many, what was decided, where it comes from (--password-stdin, tokenSyncs,
             # credential_process = /bin/helper, --auth-plugin)
             "syncs", "decision", "stdin", "process", "plugin", "plugins",
             # a checksum of one (--discovery-token-ca-cert-hash: a public CA's pin)
             "checksum", "digest", "fingerprint", "accessor",
             # how it is used (Vault's VAULT_AUTH_METHOD/ROLE, postgres' password_encryption)
             "method", "role", "encryption", "algorithm", "mount",
             # where it is sent or how (traefik's forwardauth.address, auth-service's ...port,
             # headerAuthScheme: Bearer)
             "port", "address", "host", "hostname", "server", "scheme", "realm", "header",
             # when or how long (Argo CD's refreshTokenThreshold: 2m, accessTokenSkewMillis)
             "threshold", "millis", "ms", "minutes", "hours", "days", "skew", "limit",
             "retries", "live",  # accessTokenTimeToLive: 1200000
             # who, not how they prove it (auth_username: Redis username, DB_USER=postgres)
             "username", "user", "login", "email"}
# The word before a final "key" when it names a kind of key that is no secret (a database's,
# a cache's, a scheduler's, a message router's, a public one). Not here, as they may hold one:
# app, api, access, signing, encryption, master, private, client, service, hash, host, license.
_HARMLESS_KEYS = {"cache", "primary", "foreign", "sort", "partition", "routing", "topology",
                  "label", "range", "lookup", "idempotency", "public", "pub", "index", "shard",
                  "object", "restore", "matched", "composite", "unique", "group", "row",
                  "dedup", "dedupe", "match", "selector", "tag", "taint", "annotation", "date",
                  "role", "pgp", "gpg",  # -root-token-pgp-key="keybase:hashicorp": a public key
                  "remote",  # remoteKey: the name of the secret in an external store
                  "missing"}  # Go templates' missingkey=error (Argo CD's goTemplateOptions)
_JOINED_TAILS = ("name", "key", "file", "path", "ref")
_NOT_KEYS = {"key", "monkey", "turkey", "hotkey", "hockey", "whiskey"}
_NOT_PASS = {"pass", "bypass", "compass", "overpass", "surpass", "trespass", "underpass",
             "encompass", "multipass", "onepass", "firstpass", "secondpass"}

PREFILTER_WORDS = ("pass", "secret", "token", "key", "auth", "credential", "pat", "creds",
                   "encrypt", "cookie")
"""One of these occurs (lower-cased) in every key :func:`secret_key` accepts."""

_QUOTED = r"""(?:"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
_FORMS = re.compile(rf"""
    # the env-list pair: name: DB_PASSWORD / value: ...  (YAML or JSON; HCL's name = / value =
    # of Terraform's helm_release set blocks)
    (?:\\?")?name(?:\\?")?[ \t]*[:=][ \t]*(?:\\?")?(?P<pkey>[\w.\-]+)(?:\\?")?[ \t]*,?[ \t]*
      (?:\r?\n[ \t]*(?:-[ \t]+)?)?(?:\\?")?value(?:\\?")?[ \t]*[:=][ \t]*
      (?P<pvalue>\\?"(?:[^"\\\n]|\\.)*?\\?"|'[^'\n]*+'|[^\s,}}\]]++)
  | (?<![\w.\-/\\])(?:\\?")(?P<jkey>[^"\\\n]{{1,80}})(?:\\?")[ \t]*:[ \t]*          # JSON
      (?P<jvalue>\\"(?:[^"\\\n]|\\\\.)*?\\"|"(?:[^"\\\n]|\\.)*+"|[^\s,}}\]"]++)
  | (?<![\w.\-/])(?P<ekey>-{{0,2}}[A-Za-z_][\w.\-]*)=(?!=)                        # KEY=value
      (?P<evalue>{_QUOTED}|[^\s'"]*+)
  | (?<![\w.\-/])(?P<ykey>[A-Za-z_][\w.\-]*)[ \t]*:(?:[ \t]+|(?=["']))           # key: value
      (?P<yvalue>{_QUOTED}(?=[ \t]*(?:\#|,|$))|[^\n]*)
  | (?<![\w.\-/])(?P<skey>[A-Za-z_][\w.\-]*)[ \t]+=[ \t]+(?!=)                  # key = value
      (?P<svalue>{_QUOTED}|[^\n]*)
  | (?<![\w\-])(?P<fkey>--?[A-Za-z][\w\-]*)[ \t]+(?P<fvalue>{_QUOTED}|[^\s\-'"][^\s]*+)
""", re.X | re.M)

_SAFE = re.compile(r"""(?ix)^(?:
    |<none>|<unset>|null|nil|none|~|true|false|yes|no|\d+[ \t]*bytes|\*+|x{3,}|y{3,}|\.+|…
    |<<?[^<>\n]{1,80}>>?                     # a page's placeholder: <token>, <<sa's secret>>
    |\$\{\{[^}]*\}\}                          # a GitHub Actions expression: ${{ secrets.X }}
    |\w{0,8}(?:\.{3,}|…)                      # a value shown cut short: c25....
    |redacted=*;?
    |ENC\[AES256_GCM,data:[^\]\n]*\]          # a value SOPS encrypted (committed on purpose)
    |x{3,}=*                                 # XXX=: a fill-me-in placeholder
    |\((?:hidden|sensitive(?:[ ]value)?|known[ ]after[ ]apply)\)  # wg, Terraform
    |DATA\+OMITTED|REDACTED|\[REDACTED\]|<REDACTED:[a-z0-9-]+\#\d+>
    |\$[\w-]+(?:[.:][\w.-]+)*|\$\{[^}\s]+\}|"?\$\(.*|`.*`|\{\{[^}]*\}\}  # a variable, Argo CD's
                                             # $secret:key and $dex.oidc.clientSecret references,
                                             # a command's output (its line may go on)
    |\#.*                                     # key: #comment (YAML: no value)
    |(?:bearer|basic|token)[ \t]+(?:\*{3,}|\$\(.*|\$[\w-]+|\$\{[^}\s]+\}|<[^<>\n]{1,80}>)
                                             # a scheme and a mask or a variable: Bearer ******
    |!vault[ \t]*\|.*                          # Ansible Vault's ciphertext follows (encrypted)
    |(?:rsa|dsa|ec|ed25519|ed448):[\w./-]+     # openssl -newkey rsa:2048: a key's algorithm
    |&[A-Za-z_][\w.]*\{.*|func[ \t]*\(.*       # Go code: &syscall.Credential{...}, func() string
    |[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\((?:[^()]*)\)(?:\.[A-Za-z_]\w*\([^()]*\))+
    |[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\([^()]*\)|[A-Za-z_]\w*\(\)  # a call: f.read().strip()
    |dummy|placeholder|(?:my|your)[-_](?:api[-_]?)?(?:token|password|secret|key|pass)
    |(?-i:(?:[A-Z]*(?:TOKEN|PASSWORD|SECRET|KEY|PASS)[A-Z]*\d?)(?:,(?:[A-Z]*(?:TOKEN|PASSWORD
      |SECRET|KEY|PASS)[A-Z]*\d?))*)           # an upper-case stand-in: TOKEN, PASSWORD1,PASSWORD2
    |(?:change|replace)[-_]?me(?:[-_][a-z]+){2,}  # change-me-to-a-random-string
    |read|write|read-all|write-all            # a permission (GitHub Actions' id-token: write)
    |[\w.-]+(?:/[\w.-]+)+\.[A-Za-z]{1,5}       # a relative file's path: path/to/file.ext
    |kubectl[ \t]+get[ \t]+secrets?[ \t].*      # the command that reads it, not its value
    |(?-i:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)    # a variable's name: --passwordenv BW_PASSWORD
    |<set[ ]to[ ]the[ ]key[ ][^<>]*>(?:[ \t]+Optional:[ \t]*\w+)?
    |[\[{].*                                 # a nested object or list: its own keys decide
    |(?:/|~/)(?!.*[A-Za-z0-9+]{20})[\w.\-]+(?:/[\w.\-]+)+   # a file's path (client-key: /x/y.key)
    |\d+(?:\.\d+)+                           # a ratio, a version (rgw_..._auth_res: "100.0")
    |[\w.\-/]+\.(?:key|pem|crt|cert|p12|pfx|jks|conf)  # a file's name (tls.key=server.key)
    |arn:aws[\w-]*:[\w-]+:[\w-]*:\d*:\S+       # an AWS resource's name (a KMS key's ARN)
    |system:(?:serviceaccounts?|nodes?|masters|authenticated|unauthenticated|anonymous
      |kube-[\w-]+)(?::[\w.\-]+)*              # a Kubernetes identity's name
    |(?-i:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}/[\w.\-/]+  # a label's key, a host
      |(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.){2,}(?:com|io|org|net|dev|aws|cloud|local|internal|svc)
      |[a-z0-9][\w\-]*\.(?:md|ya?ml))         # (kubevirt.io/drain, public.ecr.aws, a page.md)
    |(?-i:string|strings|stringArray|stringSlice|stringToString|u?int(?:8|16|32|64)?|value,
      |float(?:32|64)|bool|duration|ip|ipNet|count)   # a --help line's type (--token string)
    |(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d{3}|sk-ssh-ed25519@openssh\.com)
      [ \t]+\S+(?:[ \t]+\S+)?                   # an SSH public key (authorized_keys)
)$""")
# A sentence after a colon (a definition list in prose: "- aws_secret_access_key: Secret Access
# Key, which is used to ..."): four or more words ending in . ! or ?, which no YAML value or
# header of this field looks like
_PROSE = re.compile(r"(?:[A-Za-z][A-Za-z'’()-]*[,;:]?[ ]+){3,}[A-Za-z][A-Za-z'’()-]*[.!?]")
# Three or more words of which one is a word of grammar that no password needs: a description
# ("S3_SECRET_ACCESS_KEY: your secret key", a changelog's "auth-plugin: need to clear any
# existing password / key", a --help line's "--include-secret  When used with ..."). "the"
# and "a" are not among them: "the quick brown fox" is a passphrase as much as a sentence.
_SENTENCE = re.compile(r"(?i)(?=.*(?<![\w'])(?:of|to|your|you|for|with|and|or|in|on|is|are|be"
                       r"|any|this|that|which|from|by|as|if|it|its|when|used|use|will|can"
                       r"|must|should|not|need|via|using|into|than|between|through|whether)"
                       r"(?![\w'-]))\S+(?:[ \t]+\S+){2,}")
# An instruction where a value would be: "ceph-secret: Set the client.admin keyring" (rook's
# external cluster page, a held-out trial), "password: Enter your password here"
_INSTRUCTION = re.compile(r"(?i:set|use|specify|enter|provide|put|add|replace|choose|select|"
                          r"change|create|generate|paste|insert|fill|type)[ ]+"
                          r"(?i:the|a|an|to|your|this|it|in|with)[ ]+[a-z][^\s\d]*"
                          r"(?:[ ]+[^\sA-Z\d][^\s\d]*)*")  # then lower-case words, no digit
# the word after a flag's value that makes it prose: "the --mon-auth-emergency-allowed-ciphers
# CLI flag present" (rook's cephx key rotation page)
_THEN_FLAG_WORD = re.compile(r"[ \t]+(?:flags?|arguments?|options?|parameters?|switch)\b")
_FLAG_KINDS = {"cli", "command-line", "commandline", "boolean", "optional", "required",
               "deprecated", "new", "global"}
# Eight or more words of letters: a description ("cephConfigFromSecret: Set Ceph config options
# using the Ceph Mon config store via Kubernetes secret reference", rook's CRD page, a held-out
# trial); a passphrase of that many words is not what a page or a tool prints
_LONG_PROSE = re.compile(r"[A-Za-z][A-Za-z'’()-]*(?:[,;:]?[ ]+[A-Za-z][A-Za-z'’()-]*){7,}[.!?]?")


def safe_value(value: str) -> bool:
    """Whether ``value`` is one the keyword rule never reports (a placeholder, a variable, a
    boolean, a nested object: :data:`_SAFE`)."""
    return bool(_SAFE.match(value.strip()))


# a word no description needs and a credential-like value has: letters with digits (not
# base64, sha256, s3 and the like), or a sign inside ("Tr0ub4dor&3x via env")
_CREDENTIALISH = re.compile(
    r"(?<!\S)(?!(?i:base64|base32|sha1|sha256|sha512|md5|s3|ec2|k8s|utf-?8|x509|ipv[46]|oauth2"
    r"|http2|tls1\.[23])\b)(?=\S*[A-Za-z])(?=\S*\d)\S+|\S*[&#$%^*@!][A-Za-z0-9]\S*")
# eight words are a description only with a word of grammar among them (twelve BIP39 words, a
# diceware passphrase have none)
_FUNCTION_WORDS = re.compile(r"(?i)(?<![\w'])(?:the|of|to|for|with|and|or|in|on|is|by|as|from"
                             r"|via|using|into)(?![\w'])")


# three to seven words naming the field itself: "auth: Redis password (mandatory)" (Argo CD's
# FAQ, a definition list in prose); two are a passphrase as much ("top secret")
_NAMES_FIELD = re.compile(r"(?i)(?=.*(?<![\w'])(?:password|passwords|token|tokens|secret|secrets"
                          r"|key|keys|username|credentials?)(?![\w'-]))"
                          r"[A-Za-z][\w'()/-]*(?:[ ]+[A-Za-z(][\w'()/-]*){2,6}[.]?")


def _reads_as_prose(value: str) -> bool:
    """Whether ``value`` is a sentence, an instruction or a description of eight or more words
    -- holding no word shaped like a credential."""
    if _CREDENTIALISH.search(value):
        return False
    return bool(_SENTENCE.fullmatch(value) or _INSTRUCTION.fullmatch(value)
                or _NAMES_FIELD.fullmatch(value)
                or (_FUNCTION_WORDS.search(value) and _LONG_PROSE.fullmatch(value)))


def describes(value: str) -> bool:
    """Whether ``value`` reads as a description (a sentence, eight or more words), not as a
    credential: "base64 of your plain text clientId" under a Secret's data in a docs page."""
    value = _COMMENT.sub("", value.strip())
    return bool((_PROSE.fullmatch(value) and not _CREDENTIALISH.search(value))
                or _reads_as_prose(value))
# a Go struct printed as {Key:value Key2:value2}: an empty value shows the next field's name
# a Go struct printed as {A:x B:y}: an empty value shows the next fields (two or more)
_NEXT_FIELD = re.compile(r"(?:[A-Z][A-Za-z0-9]+:\S*[ \t]+)+[A-Z][A-Za-z0-9]+:\S*")
# a word after a flag in a sentence (a heading's permalink sign ends it too): "the --ssh-key
# flag", "specify the --include-secret argument."
_FLAG_PROSE = re.compile(r"(?:flags?|arguments?|options?|parameters?|switch)[.,;:!?)\u00b6]*")
# a setting's value in a sentence: "disableBasicAuth: false before running kOps export kubecfg"
_WORD_THEN_WORDS = re.compile(r"(?i:true|false|yes|no|null|none)(?:[ \t]+[A-Za-z][\w.,'()-]*){2,}")
_NEXT_PAIR = re.compile(r";(?=[A-Za-z][\w ]*=)")
_COMMENT = re.compile(r"[ \t]+(?:#|//).*")  # a comment after a placeholder: <token>  # where ...
_HANGUL_PROSE = re.compile(r"\S+(?:[ \t]+\S+){2,}")  # three or more words, one of them Korean
# Kubernetes' authorization modes (kube-apiserver --authorization-mode, kops' authorization:)
# (and what an access log does with the Authorization header: traefik's keep, drop, redact)
_AUTHORIZATION_MODES = {"rbac", "abac", "node", "webhook", "alwaysallow", "alwaysdeny",
                        "keep", "drop", "redact"}
_HELP_GAP = re.compile(r"[ \t]{2,}")
_ADVERB = re.compile(r"(?:together|instead|too|also|only|first|here|there|now|later|again"
                     r"|below|above|etc|respectively|accordingly|separately)")
# the rest of a sentence after a word: more words, one of grammar among them, up to its end
_PROSE_AFTER = re.compile(r"(?=[^\n]*(?<![\w'])(?i:the|of|to|for|with|and|or|in|on|is|by|as|from"
                          r"|its|their|this|that|it)(?![\w']))(?:[ ]+[A-Za-z][\w'-]*,?){1,12}"
                          r"[.!?:]?[ \t]*$", re.M)
# what a --help line says after the gap: a capitalised word and more words, none with a digit
# ("--disable-auth   Disable client authentication", "--pass-credentials  Unset passCredentials")
_HELP_TEXT = re.compile(r"[A-Z][a-z]+(?:[ \t]+[A-Za-z][A-Za-z'-]*){1,}[.]?")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
# a camelCase key naming which key of a Secret holds the value (Helm charts' passwordKey,
# userKey, adminPasswordKey), and a value that is such a key's name (admin-password, user1)
_KEY_OF_KEY = re.compile(r"[a-z]+(?:[A-Z][a-z]+)*(?:Password|Passwd|Token|User|Username|Name"
                         r"|List|Status|Claim|Field|Group|Email)Key"
                         r"|(?:password|passwd|token|user|username)[Kk]ey")
_KEY_NAME = re.compile(r"[a-z]+\d*(?:[-_.][a-z]+\d*)*")
# a Kubernetes object's name, as a Secret's is (lower-case words joined by - and ., each
# starting with a letter: no UUID)
_SECRET_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-.][a-z][a-z0-9]*)+")
# ... and what says it names an object: its last word, or a word of the key before Secret
_OBJECT_SUFFIX = re.compile(r"[-.](?:ca|tls|secret|secrets|creds|credentials|cert|certs|auth"
                            r"|keys|keypair|token|config)$")
_OBJECT_KEY_WORDS = {"ca", "tls", "cert", "certs", "superuser", "replication", "backup", "pull",
                     "registry", "ssh", "existing", "ref", "name"}
_JSON_KEY_BEFORE = re.compile(r"(?:^|[{\[,(])[ \t]*\\?\Z", re.M)  # what a JSON key follows
_SCHEME = re.compile(r"[\"']?(?i:bearer|basic|token|digest|negotiate)[ \t]+(?=\S)")
_ENV_LINE_START = re.compile(r"[ \t]*(?:(?:export|declare -x|set)[ \t]+)?")
_BLANK = re.compile(r"\s")
_BLOCK = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?")


# a Kubernetes kind named at a key's end (Argo CD's resource.customizations.health.<group>_<Kind>)
_KIND_NAME = re.compile(r"[._/](?:Sealed|External|ClusterExternal|Push)Secret$|SecretStore$")


def secret_key(key: str) -> bool:
    """Whether ``key`` names a value that is a secret (see the module doc). Of a key with a
    domain (an annotation's or label's: ``authorization.k8s.io/decision``), the name after the
    last ``/`` decides."""
    if _KIND_NAME.search(key):
        return False  # resource.customizations...bitnami.com_SealedSecret: a kind's name
    words = key_words(key)
    if "".join(words) == "secretid":
        return True  # Consul's ACL token (SecretID), Vault's AppRole secret_id: a credential
    if not words or words[-1] in _NAMES_IT or (words[0] == "existing" and words[-1] in (
            "secret", "secrets")) or words[:2] == ["existing", "secret"]:
        return False  # existingSecret, existingSecretAdminPassword: the name of a Secret
        # (or of its key) that holds it (Harbor's chart)
    if words[-2:] == ["proxy", "pass"]:
        return False  # nginx's proxy_pass (buildProxyPass): where a request is passed
    if words[-1] == "hash" and not any(w.startswith(("pass", "pwd")) for w in words):
        return False  # --discovery-token-ca-cert-hash: a public CA's pin (a password's hash is)
    if any(w in _EXACT or any(h in w for h in _HOLDS) for w in words):
        return True
    if (len(words) > 1 and words[-1] == "pass") or any(
            w == "creds" or (w.endswith("pass") and w not in _NOT_PASS) for w in words):
        return True  # RABBITMQ_DEFAULT_PASS, skopeo's --dest-creds, redis' requirepass,
        # keytool's -storepass, openssl's -passin/-passout (below); not a bare pass (Windows
        # unattend's <settings pass="oobeSystem">) nor a cred (virtctl's --access-cred=src:x)
    if words[-1] in ("passin", "passout", "masterauth"):
        return True
    if words[-2:] == ["erlang", "cookie"]:
        return True  # RabbitMQ's RABBITMQ_ERLANG_COOKIE, erlangCookie: the cluster's secret
    if words[-1] == "key":
        return len(words) > 1 and words[-2] not in _HARMLESS_KEYS
    return words[-1].endswith("key") and words[-1] not in _NOT_KEYS


def key_words(key: str) -> list[str]:
    """The lower-case words of a key, as :func:`secret_key` reads them (``github_access_tokens``,
    ``apiKeys``: split at ``_.-``, blanks and case changes)."""
    domain, _slash, name = key.rpartition("/")
    if "." not in domain:  # a domain's annotation or label key (authorization.k8s.io/decision)
        name = key         # decides by its name; credentials/aws is one key
    words = [w.lower() for w in _WORD.findall(name.replace("_", " "))]
    if len(words) == 1 and words[0] not in _NOT_KEYS:  # secretname, passwordkey: run together
        for tail in _JOINED_TAILS:
            if words[0].endswith(tail) and len(words[0]) > len(tail) + 2:
                return [words[0][:-len(tail)], tail]
    return words


def _unquote(text: str, start: int, end: int) -> tuple[int, int]:
    value = text[start:end]
    for q in ('\\"', '"', "'"):
        if len(value) >= 2 * len(q) and value.startswith(q) and value.endswith(q):
            return start + len(q), end - len(q)
    return start, end


def _block_end(text: str, line_start: int, after: int) -> int:
    """End of a block scalar's lines: those indented deeper than the key's line."""
    indent = len(text[line_start:after]) - len(text[line_start:after].lstrip(" "))
    pos = end = text.find("\n", after)
    while pos != -1:
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1: nxt if nxt != -1 else len(text)]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        if line.strip():
            end = pos + 1 + len(line.rstrip())
        pos = nxt
    return end


# What follows a word inside a key, up to the key's end and what every form needs there: KEY=,
# key:, key =, (e, y, s: the key is the whole run of [\w.-] around the word); "key": (j: the
# key runs to the next quote, at most 80 characters); --flag value (f: the run of [\w-]
# starts with --); name: KEY (p: the run of [\w.-] follows ``name:``).
_TO_ASSIGN = re.compile(r"[\w.\-]*[ \t]*[:=]")
_TO_JSON_COLON = re.compile(r"""[^"\\\n]{0,80}\\?"[ \t]*:""")
_TO_FLAG_BLANK = re.compile(r"[\w\-]*[ \t]")
# matched on the reversed characters before a word: a search for the run ending there
# (``[\w.-]*\Z``) tries every start position and costs the square of its look-back
_RUN_BEFORE = re.compile(r"[\w.\-]*")
_FLAG_RUN_BEFORE = re.compile(r"[\w\-]*")
_LOOK_BACK = 200  # characters a run is looked for before a word (longer: taken as a key)


def _run_start(text: str, line: int, at: int, run: re.Pattern[str]) -> int | None:
    """Where the run of ``run``'s class that ends at ``at`` starts (not before ``line``), or
    None when it is longer than :data:`_LOOK_BACK` (the caller then cannot rule a key out)."""
    lo = max(line, at - _LOOK_BACK)
    m = run.match(text[lo:at][::-1])
    start = at - (0 if m is None else m.end())
    return None if start == lo and lo > line else start


def _after_name(text: str, line: int, start: int) -> bool:
    """Whether ``text[line:start]`` ends with ``name:`` (or ``name =``) as the env-list pair's
    regex reads it (``name(\\?")?[ \t]*[:=][ \t]*(\\?")?``), read backwards: each part is
    there or not, never both, so no choice is left to try."""
    i = start
    for part in ("quote", "blanks", ":", "blanks", "quote"):
        if part == "quote" and i > line and text[i - 1] == '"':
            i -= 1 + (i - 1 > line and text[i - 2] == "\\")
        elif part == "blanks":
            while i > line and text[i - 1] in " \t":
                i -= 1
        elif part == ":":
            if i <= line or text[i - 1] not in ":=":
                return False
            i -= 1
    return i - 4 >= line and text.startswith("name", i - 4)


def _in_key(text: str, at: int, end: int) -> bool:
    """Whether the word at ``text[at:end]`` can lie in the key of an assignment (any form):
    false where what follows or precedes it rules every form out (prose, code)."""
    if _TO_ASSIGN.match(text, end) or _TO_JSON_COLON.match(text, end):
        return True
    line = text.rfind("\n", 0, at) + 1
    flag = _run_start(text, line, at, _FLAG_RUN_BEFORE)
    if (flag is None or text.startswith("-", flag)) and _TO_FLAG_BLANK.match(text, end):
        return True
    start = _run_start(text, line, at, _RUN_BEFORE)
    return start is None or _after_name(text, line, start)


def stretches(text: str, low: str | None, words: Iterable[str] = PREFILTER_WORDS
              ) -> list[tuple[int, int, int]]:
    """Where an assignment to a secret-naming key can start in ``text``, as (start, stop, end):
    every run of consecutive lines holding one of ``words`` (case-insensitively; ``low`` is
    ``text.lower()``) where a key can hold it (:func:`_in_key`) starts at ``start`` and ends
    before ``stop``, and nothing a match that starts in it reads lies past ``end`` (the end of
    the next line).

    Why this finds exactly what a search of the whole text finds: a key that
    :func:`secret_key` accepts holds one of :data:`PREFILTER_WORDS`, and lies on the line its
    match starts on; a match reads at most one line further (the env-list pair's ``value:``
    line). A match on any other line is one whose key is refused, and all it changes is where
    the next search starts, never past its line's end: the search after a run of such lines
    finds the first match of the next line, as a search from that line's start does. So only
    the runs need a search, each from its start, stopping at the first match that starts after
    it; and ``end`` (a line end, where ``$`` holds either way) cuts nothing its matches read."""
    size = len(text)
    if low is None or len(low) != size:  # lower() moved offsets: the whole text, one stretch
        return [(0, size, size)]
    lines: list[tuple[int, int]] = []
    for word in words:
        at = low.find(word)
        while at != -1:
            if not _in_key(text, at, at + len(word)):
                at = low.find(word, at + 1)
                continue
            start = text.rfind("\n", 0, at) + 1
            stop = text.find("\n", at)
            stop = size if stop == -1 else stop
            lines.append((start, stop))
            at = low.find(word, stop)  # the rest of this line is in already
    out: list[tuple[int, int, int]] = []
    for start, stop in sorted(lines):
        if out and start <= out[-1][1] + 1:  # the same line, or the next one
            out[-1] = (out[-1][0], max(out[-1][1], stop), 0)
        else:
            out.append((start, stop, 0))
    for i, (start, stop, _end) in enumerate(out):
        end = text.find("\n", stop + 1) if stop < size else size
        out[i] = (start, stop, size if end == -1 else end)
    return out


def find(text: str, shell: bool = False, present: frozenset[str] | None = None,
         low: str | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of every value assigned to a secret-naming key in ``text``. In output (not
    ``shell``) a ``KEY=value`` line's value is the rest of the line (``env`` prints it bare,
    blanks included); on a command line it ends at a blank, as the shell reads it.
    ``present``: the trigger words found in the text, if known (``secret_triggers``);
    ``low``: ``text.lower()``, if known. Only the lines holding a trigger word are searched
    (:func:`stretches`: the same finds as a search of the whole text, ~20x faster on a page
    of prose and tables)."""
    if low is None:
        low = text.lower()
    if present is None:
        present = frozenset(w for w in PREFILTER_WORDS if w in low)
    words = present.intersection(PREFILTER_WORDS)
    if not words:
        return
    pos = 0
    for lo, stop, endpos in stretches(text, low, sorted(words)):
        pos = max(pos, lo)
        while (m := _FORMS.search(text, pos, endpos)) and m.start() < stop:
            form = next(f for f in "pjeysf" if m.group(f + "key") is not None)
            key = m.group(form + "key").strip("-")
            if not secret_key(key):
                pos = m.end(form + "key")  # its value may hold an assignment of its own
                continue
            pos = m.end()
            if form == "e" and not m.group("evalue").startswith(("'", '"')) and (
                    pair := _NEXT_PAIR.search(text, m.start("evalue"), m.end())):
                pos = pair.start() + 1  # the pairs after the cut are assignments of their own
            yield from _value(text, m, form, shell)


def _value(text: str, m: re.Match[str], form: str, shell: bool) -> Iterator[tuple[int, int]]:
    """The (start, end) of the value of ``m`` (an assignment of form ``form`` to a
    secret-naming key), unless it is a placeholder."""
    start, end = m.span(form + "value")
    if form == "j" and " " in text[m.end("jkey"):start] and (
            _JSON_KEY_BEFORE.search(text, 0, m.start()) is None):
        return  # "secret-volume" : secret "mysecret" not found: a kubelet event's prose (a
        # JSON key spaced from its colon stands after {, [ , or a line start)
    if form == "e" and not shell and not m.group("ekey").startswith("-"):
        before = text[text.rfind("\n", 0, m.start()) + 1: m.start()]
        if _ENV_LINE_START.fullmatch(before):
            end = text.find("\n", start)  # env output: the value is the rest of the line
            end = len(text) if end == -1 else end
            if text.endswith(" \\", start, end):  # a shell line continued: not env output
                end = _BLANK.search(text, start, end).start()  # type: ignore[union-attr]
    first_pair = end
    if form == "e" and not text.startswith(("'", '"'), start) and (
            pair := _NEXT_PAIR.search(text, start, end)):
        first_pair = pair.start()  # a connection string: AccountKey=<key>;EndpointSuffix=...
    if form == "s" and shell:  # on a command line the value ends at a blank
        blank = _BLANK.search(text, start, end)
        end = end if blank is None or text[start] in "'\"" else blank.start()
    if form == "y" and m.start() and text[m.start() - 1] in "'\"":
        # 'Authorization: Bearer x' quoted whole on a command line: ends at the quote
        close = text.find(text[m.start() - 1], start, end)
        end = end if close == -1 else close
    value = text[start:end].rstrip(" \t\r")
    end = start + len(value)
    scheme = _SCHEME.match(value)
    if scheme and form in "yj":  # the header's scheme word is no secret
        start += scheme.end()
    if form == "y" and _BLOCK.fullmatch(value):
        line_start = text.rfind("\n", 0, m.start()) + 1
        start, end = end, _block_end(text, line_start, end)
        if end <= start:
            return
        yield start + len(text[start:end]) - len(text[start:end].lstrip()), end
        return
    if text.startswith("<", start):  # <access key of the user>: a placeholder with blanks
        line_end = text.find("\n", start)
        close = text.find(">", start, min(start + 82, len(text) if line_end == -1 else line_end))
        if close != -1 and "<" not in text[start + 1:close]:
            end = max(end, close + 1)
    start, end = _unquote(text, start, end)
    inner = text[start:end].strip()
    bare = _COMMENT.sub("", inner)
    if len(bare) >= 2 and bare[0] == bare[-1] and bare[0] in "'\"":
        bare = bare[1:-1]
    if _SAFE.match(inner) or _SAFE.match(bare) or (
            first_pair < end and _SAFE.match(text[start:first_pair].strip())):
        return
    # prose, judged on the value without a trailing comment ("s3cr3t # used for the root
    # user" is a password and a comment, not a sentence)
    prose = _COMMENT.sub("", inner) if ";" not in inner else ""
    if form in "ys" and prose and (
            _PROSE.fullmatch(prose) or _reads_as_prose(prose)
            or _WORD_THEN_WORDS.fullmatch(prose)
            or (form == "y" and _NEXT_FIELD.fullmatch(prose))
            or (_HANGUL_PROSE.fullmatch(prose)
                and any("\uac00" <= c <= "\ud7a3" for c in prose))):
        return
    if form == "y" and _KEY_OF_KEY.fullmatch(m.group("ykey")) and _KEY_NAME.fullmatch(bare):
        return  # passwordKey: admin-password -- which key of a Secret holds it (Helm values)
    if form == "f" and inner == "value":
        return  # a --help line's metavariable: --token value
    word = inner.rstrip(".,;:!?")
    if form == "f" and (_FUNCTION_WORDS.fullmatch(word) or _ADVERB.fullmatch(word) or (
            inner.isalpha() and inner.islower() and _PROSE_AFTER.match(text, end))):
        return  # a flag named in a sentence, its code marks gone: "--client-key and so on.",
        # "the flag --maxmind-license-key downloads the databases." (ingress-nginx's docs)
    if form == "f" and inner.isupper() and inner.lower() in m.group("fkey").lower():
        return  # a --help line's metavariable named for the flag: --token TOKEN, --token TOK
    if form == "f" and (_FLAG_PROSE.fullmatch(inner) or (
            inner.lower() in _FLAG_KINDS and _THEN_FLAG_WORD.match(text, end))):
        return  # prose about the flag: "the `--ssh-key` flag", "the --include-secret argument.",
        # "the --mon-auth-emergency-allowed-ciphers CLI flag"
    named = key_words(m.group(form + "key").strip("-"))
    if inner.lower() in ("key", "cert") and named[-1:] == [inner.lower()]:
        return  # which key of a Secret holds it: "VAULT_CLIENT_KEY: key" (rook's KMS page)
    if len(named) > 1 and named[-1] == "secret" and _SECRET_NAME.fullmatch(bare) and (
            _OBJECT_SUFFIX.search(bare) or _OBJECT_KEY_WORDS.intersection(named[:-1])):
        return  # which Secret: cloudnative-pg's serverCASecret: my-postgresql-server-ca (not
        # clientSecret, cookieSecret, jwtSecret: those hold the secret itself)
    if form == "f" and _HELP_GAP.match(text, m.end("fkey")) and (
            _CAPITALISED.fullmatch(inner) or (inner.isalpha() and inner.islower())):
        # a --help line: the flag, two or more blanks, then what it does ("When used with")
        line_end = text.find("\n", end)
        said = text[start:len(text) if line_end == -1 else line_end].strip()
        if "#" not in said and (_SENTENCE.fullmatch(said) or _HELP_TEXT.fullmatch(said)):
            return
    if not scheme and key_words(m.group(form + "key").strip("-")) == ["authorization"] and \
            inner.lower() in _AUTHORIZATION_MODES:
        return  # --authorization=rbac, authorization: AlwaysAllow: a mode, not a credential
    yield start, end
