"""Planted secrets, one or more per family and encoding, made fresh at test time.

``make(tmp)`` returns fixtures: each an output text holding one secret (as a command would
print it) and the values that must never be published (the secret, and for encoded ones the
encoding too). Key material comes from openssl, ssh-keygen and gpg run now; tokens are random
in the shape of their issuer's documented format (ghp_ + 36, glpat- + 20, xoxb-..., AKIA + 16).
"""

from __future__ import annotations

import base64
import json
import os
import secrets as rnd
import string
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ALNUM = string.ascii_letters + string.digits


def _r(n: int, alphabet: str = ALNUM) -> str:
    return "".join(rnd.choice(alphabet) for _ in range(n))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Fixture:
    """One planted secret: ``text`` is the output, ``values`` must never be published."""

    name: str
    text: str
    values: tuple[str, ...]
    line: int
    """Line of ``text`` where the check must flag it."""


def _run(*cmd: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, check=True, capture_output=True, env=env)


def _keys(tmp: Path) -> dict[str, str]:
    out = {}
    _run("openssl", "genrsa", "-traditional", "-out", str(tmp / "rsa.pem"), "2048")
    _run("openssl", "genpkey", "-algorithm", "ed25519", "-out", str(tmp / "pkcs8.pem"))
    _run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout",
         "-out", str(tmp / "ec.pem"))
    _run("openssl", "pkcs8", "-topk8", "-in", str(tmp / "pkcs8.pem"), "-out",
         str(tmp / "enc.pem"), "-passout", "pass:fixture")
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp / "id_ed25519"))
    _run("openssl", "req", "-x509", "-key", str(tmp / "ec.pem"), "-out", str(tmp / "cert.pem"),
         "-subj", "/CN=fixture-ca", "-days", "1")
    home = tmp / "gnupg"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    _run("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "fixture <f@example.com>",
         "ed25519", "sign", "1d", env=env)
    pgp = subprocess.run(["gpg", "--batch", "--armor", "--pinentry-mode", "loopback",
                          "--passphrase", "", "--export-secret-keys"], check=True,
                         capture_output=True, env=env).stdout.decode()
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, capture_output=True)
    for name in ("rsa.pem", "pkcs8.pem", "ec.pem", "enc.pem", "id_ed25519", "cert.pem"):
        out[name] = (tmp / name).read_text()
    for name in ("rsa.pem", "pkcs8.pem", "ec.pem"):  # the same keys as DER, not PEM-wrapped
        der = subprocess.run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", str(tmp / name),
                              "-outform", "DER"], check=True, capture_output=True).stdout
        out[name + ".der"] = base64.b64encode(der).decode()  # as `base64 -w0` prints it
    out["pgp"] = pgp
    return out


def _body(pem: str) -> str:
    """A key block's body lines joined (a chunk of them must never be published either)."""
    lines = [ln for ln in pem.strip().splitlines() if ln and not ln.startswith("-----")]
    lines = [ln for ln in lines if ":" not in ln]  # PGP armour headers
    return max(lines, key=len)


_MADE: list[Fixture] = []


def made(factory: pytest.TempPathFactory) -> list[Fixture]:
    """:func:`make` once per test session (key generation is the slow part), shared by every
    module that plants the set."""
    if not _MADE:
        _MADE.extend(make(factory.mktemp("keys")))
    return list(_MADE)


def make(tmp: Path) -> list[Fixture]:
    """Every fixture (at least 40)."""
    k = _keys(tmp)
    f: list[Fixture] = []

    def add(name: str, text: str, *values: str, line: int = 1) -> None:
        f.append(Fixture(name, text, tuple(values), line))

    ghp, pat = "ghp_" + _r(36), "github_pat_" + _r(22) + "_" + _r(59)
    add("github-pat", f"remote: token {ghp}\n", ghp)
    add("github-fine-grained", f"GH_AUTH {pat}\n", pat)
    gho = "gho_" + _r(36)
    add("github-oauth", f'{{"access_token": "{gho}", "scope": "repo"}}\n', gho)
    glpat = "glpat-" + _r(20)
    add("gitlab-pat", f"using {glpat} for the registry\n", glpat)
    xoxb = f"xoxb-{_r(12, string.digits)}-{_r(12, string.digits)}-{_r(24)}"
    add("slack-bot", f"slack: {xoxb}\n", xoxb)
    digits = string.digits
    xoxp = f"xoxp-{_r(12, digits)}-{_r(12, digits)}-{_r(12, digits)}-{_r(32, '0123456789abcdef')}"
    add("slack-user", f"  token={xoxp}\n", xoxp)
    akid, aksecret = "AKIA" + _r(16, string.ascii_uppercase + "234567"), _r(40, ALNUM + "/+")
    add("aws-pair-table", "      Name                    Value\n"
        f"access_key     ****************{akid[-4:]}\n{akid} {aksecret}\n", akid, aksecret, line=3)
    add("aws-env", f"AWS_SECRET_ACCESS_KEY={_r(40, ALNUM + '/+')}\n", f"{aksecret[:0]}",
        line=1)
    aws_env = f.pop().text.split("=", 1)[1].strip()
    add("aws-env", f"AWS_SECRET_ACCESS_KEY={aws_env}\n", aws_env)
    add("aws-credentials", f"[default]\naws_access_key_id = {akid}\n"
        f"aws_secret_access_key = {aksecret}\n", akid, aksecret, line=2)
    auth = base64.b64encode(f"robot:{_r(20)}".encode()).decode()
    add("docker-config-auth", json.dumps({"auths": {"registry.example.com": {"auth": auth}}},
                                         indent=2) + "\n", auth, line=4)
    dockerjson = base64.b64encode(json.dumps({"auths": {"r.example.com": {
        "username": "robot", "password": _r(24), "auth": auth}}}).encode()).decode()
    add("docker-config-base64", f".dockerconfigjson:  {dockerjson}\n", dockerjson, auth)
    for var in ("DB_PASSWORD", "PGPASSWORD", "MYSQL_ROOT_PASSWORD", "GITHUB_TOKEN",
                "REDIS_SECRET", "STRIPE_API_KEY"):
        value = _r(14)
        add(f"env-{var}", f"HOSTNAME=web-0\n{var}={value}\nHOME=/root\n", value, line=2)
    # families added after trying a held-out list (each in its documented shape)
    dckr = "dckr_pat_" + _r(27, ALNUM + "-_")
    add("dockerhub-pat", f"  Token: {dckr}\n", dckr)
    netrc = _r(18)
    add("netrc", f"machine registry.example.com login robot password {netrc}\n", netrc)
    apr1 = f"$apr1${_r(8, ALNUM + './')}${_r(22, ALNUM + './')}"
    add("htpasswd", f"foo:{apr1}\n", apr1)
    bcrypt = f"$2y$05${_r(53, ALNUM + './')}"
    add("htpasswd-bcrypt", f"admin:{bcrypt}\n", bcrypt)
    redis = _r(20)
    add("url-empty-user", f"REDIS_URL=redis://:{redis}@redis-master:6379/0\n", redis)
    stdin = _r(20)
    add("password-stdin",
        f"$ echo {stdin} | docker login -u robot --password-stdin r.example.com\n", stdin)
    ya29 = "ya29." + _r(150, ALNUM + "-_")
    add("gcloud-access-token", f"{ya29}\n", ya29)
    cookie = _r(32)
    add("set-cookie", f"< HTTP/1.1 302 Found\n< Set-Cookie: argocd.token={cookie}; Path=/; "
        "Secure; HttpOnly\n", cookie, line=2)
    spaced = "correct horse " + _r(10)
    add("env-value-with-blanks", f"APP_PASSWORD={spaced}\n", spaced)
    yv = _r(16)
    add("yaml-env-pair", f"    env:\n    - name: DB_PASSWORD\n      value: {yv}\n", yv, line=3)
    jv = _r(16)
    add("json-env-pair", f'"env": [{{"name": "API_TOKEN", "value": "{jv}"}}]\n', jv)
    hv = _r(18)
    add("helm-set", f"helm install db bitnami/postgresql --set auth.postgresPassword={hv}\n", hv)
    hv2 = _r(18)
    add("yaml-values", f"auth:\n  postgresPassword: \"{hv2}\"\n  database: app\n", hv2, line=2)
    jwt = ".".join([_b64url(json.dumps({"alg": "RS256", "kid": _r(8)}).encode()),
                    _b64url(json.dumps({"iss": "kubernetes/serviceaccount",
                                        "sub": "system:serviceaccount:default:x"}).encode()),
                    _b64url(os.urandom(256))])
    add("jwt", f"{jwt}\n", jwt)
    cut = 60
    add("jwt-wrapped", f"token:      {jwt[:cut]}\n{jwt[cut:]}\n", jwt[:cut], jwt[cut:])
    key_b64 = base64.b64encode(k["ec.pem"].encode()).decode()
    kubeconfig = ("apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n"
                  "  name: c\nusers:\n- name: admin\n  user:\n"
                  f"    client-key-data: {key_b64}\n")
    add("kubeconfig-client-key", kubeconfig, key_b64, _body(k["ec.pem"]), line=9)
    kube_blob = base64.b64encode(kubeconfig.encode()).decode()
    add("kubeconfig-base64", f"{kube_blob}\n", kube_blob)
    kube_tok = _r(32, string.ascii_lowercase + string.digits)
    add("kubeconfig-token", f"users:\n- name: sa\n  user:\n    token: {kube_tok}\n", kube_tok,
        line=4)
    for name in ("rsa.pem", "pkcs8.pem", "ec.pem", "enc.pem", "id_ed25519"):
        add(f"key-{name}", "key:\n" + k[name], _body(k[name]), line=3)
    add("pgp-private-key", k["pgp"], _body(k["pgp"]), line=2)
    escaped = json.dumps({"ssh-privatekey": k["id_ed25519"]})
    add("ssh-key-json-escaped", escaped + "\n", _body(k["id_ed25519"]))
    pem_blob = base64.b64encode(k["rsa.pem"].encode()).decode()
    add("pem-base64", f"  server.pem: {pem_blob}\n", pem_blob, _body(k["rsa.pem"]))
    wrapped = base64.encodebytes(k["pkcs8.pem"].encode()).decode()  # 76 columns, as base64(1)
    add("pem-base64-wrapped", wrapped, *[ln for ln in wrapped.splitlines() if len(ln) > 20])
    for name, label in (("rsa.pem", "rsa"), ("ec.pem", "ec"), ("pkcs8.pem", "ed25519")):
        der = k[name + ".der"]
        add(f"der-base64-{label}", f"{der}\n", der)
    pw = _r(12)
    add("url-credentials", f"remote: https://deploy:{pw}@git.example.com/app.git\n", pw)
    dbpw = _r(12)
    add("postgres-url", f"DATABASE_URL=postgres://app:{dbpw}@db:5432/app\n", dbpw)
    k3s = f"K10{_r(64, '0123456789abcdef')}::server:{_r(32, '0123456789abcdef')}"
    add("k3s-token", f"{k3s}\n", k3s)
    boot = f"{_r(6, string.ascii_lowercase + string.digits)}.{_r(16, string.ascii_lowercase)}"
    add("bootstrap-token", f"kubeadm join 10.0.0.1:6443 --token {boot} \\\n", boot)
    sdata = base64.b64encode(_r(16).encode()).decode()
    add("secret-data", f"apiVersion: v1\ndata:\n  password: {sdata}\nkind: Secret\n", sdata,
        line=3)
    sstring = _r(16)
    add("secret-stringdata", f"kind: Secret\nstringData:\n  api: {sstring}\n", sstring, line=3)
    bearer = _r(40, ALNUM + "-._")
    add("bearer-header", f"> Authorization: Bearer {bearer}\n", bearer)
    basic = base64.b64encode(f"admin:{_r(16)}".encode()).decode()
    add("basic-auth-header", f"Authorization: Basic {basic}\n", basic)
    api = _r(32)
    add("generic-api-key", f'api_key: "{api}"\n', api)
    flag = _r(20)
    add("token-flag", f"kubectl --token={flag} get pods\n", flag)
    npm = "npm_" + _r(36)
    add("npm-token", f"//registry.npmjs.org/:_authToken={npm}\n", npm)
    stripe = "sk_live_" + _r(24)
    add("stripe-key", f"charging with {stripe}\n", stripe)
    return f
