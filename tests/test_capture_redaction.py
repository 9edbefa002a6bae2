"""Nothing secret reaches a capture file: real outputs holding a kubeconfig with certificate
data, a JWT, a k3s join token and a PEM private key, all generated here (openssl, ssh-keygen)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets as pysecrets
import subprocess
from pathlib import Path

import pytest
from execdocs import secrets
from execdocs.capture.redact import redact_streams
from execdocs.cli import main
from execdocs.snippets import store


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def material(tmp_path: Path) -> dict[str, str]:
    """Fresh key, certificate, kubeconfig, service-account-style JWT and k3s token files."""
    key, cert = tmp_path / "client.key", tmp_path / "client.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-subj", "/O=system:masters/CN=admin", "-days", "1"],
                   check=True, capture_output=True)
    jwt = ".".join([
        _b64url(json.dumps({"alg": "RS256", "kid": pysecrets.token_hex(8)}).encode()),
        _b64url(json.dumps({"iss": "kubernetes/serviceaccount",
                            "sub": "system:serviceaccount:default:demo"}).encode()),
        _b64url(pysecrets.token_bytes(64)),
    ])
    cert_b64 = base64.b64encode(cert.read_bytes()).decode()
    key_b64 = base64.b64encode(key.read_bytes()).decode()
    kubeconfig = tmp_path / "k3s.yaml"
    kubeconfig.write_text(
        "apiVersion: v1\nclusters:\n- cluster:\n"
        f"    certificate-authority-data: {cert_b64}\n"
        "    server: https://127.0.0.1:6443\n  name: default\n"
        "contexts:\n- context:\n    cluster: default\n    user: default\n  name: default\n"
        "current-context: default\nkind: Config\nusers:\n- name: default\n  user:\n"
        f"    client-certificate-data: {cert_b64}\n    client-key-data: {key_b64}\n"
        f"- name: demo\n  user:\n    token: {jwt}\n")
    ca_hash = hashlib.sha256(cert.read_bytes()).hexdigest()
    token = f"K10{ca_hash}::server:{pysecrets.token_hex(16)}"
    (tmp_path / "node-token").write_text(token + "\n")
    (tmp_path / "jwt").write_text(jwt)
    return {"kubeconfig": str(kubeconfig), "key": str(key), "jwt": jwt, "token": token,
            "cert_b64": cert_b64, "key_b64": key_b64,
            "key_body": "".join(key.read_text().splitlines()[1:-1]),
            "dir": str(tmp_path)}


def _page(tmp_path: Path, m: dict[str, str]) -> Path:
    page = tmp_path / "secrets.md"
    page.write_text(
        "---\nexecdocs: {session: s}\n---\n```console\n"
        f"$ cat {m['kubeconfig']}\n"
        f"$ sudo cat {m['dir']}/node-token\n"
        f"$ cat {m['key']}\n"
        f"$ cat {m['dir']}/jwt; echo; cat {m['dir']}/jwt >&2\n"
        "```\n")
    return page


def test_outputs_are_redacted_before_anything_is_written(
        tmp_path: Path, material: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    rc = main(["capture", str(_page(tmp_path, material)), "--session", "s", "--captures",
               str(root), "--update", "--system", "this test's files"])
    assert rc == 0
    written = b"".join(p.read_bytes() for p in (root / "s").iterdir())
    # (cert_b64 is public: the cluster's CA line keeps it, the client-certificate line not)
    for name in ("jwt", "token", "key_b64", "key_body"):
        assert material[name].encode() not in written, name
    # not even a recognisable chunk of the key or the random token password
    assert material["key_body"][10:40].encode() not in written
    assert material["token"].rsplit(":", 1)[1].encode() not in written

    caps = {c.command.split()[-1 if "jwt" not in c.command else 1]: c
            for c in store.load_session(root / "s").captures}
    kube = caps[material["kubeconfig"]]
    assert kube.redactions == {"kubeconfig-data": 2, "jwt": 1}  # cert (twice, same value), key
    text = kube.stdout_text
    assert f"certificate-authority-data: {material['cert_b64']}\n" in text
    assert "client-certificate-data: <REDACTED:kubeconfig-data#1>" in text  # same value, same #
    assert "client-key-data: <REDACTED:kubeconfig-data#2>" in text
    assert "token: <REDACTED:jwt#1>" in text
    assert "server: https://127.0.0.1:6443" in text  # the rest is kept as it was

    token = caps[f"{material['dir']}/node-token"]
    assert token.stdout == b"<REDACTED:k3s-token#1>\n" and token.redactions == {"k3s-token": 1}

    key = caps[material["key"]]
    assert key.stdout_text.startswith("-----BEGIN PRIVATE KEY-----\n<REDACTED:private-key#1>")
    assert key.stdout_text.endswith("-----END PRIVATE KEY-----\n")

    jwt = next(c for c in caps.values() if "jwt" in c.command)
    assert jwt.stdout == b"<REDACTED:jwt#1>\n" and jwt.stderr == b"<REDACTED:jwt#1>"
    assert jwt.redactions == {"jwt": 1}

    for cap in caps.values():  # the store's own secret check finds nothing
        assert secrets.scan(cap.stdout) == [] and secrets.scan(cap.stderr) == []
    out = capsys.readouterr().out
    assert "new, written, redacted kubeconfig-data×2, jwt×1" in out


def test_second_capture_of_the_same_secret_output_is_identical(
        tmp_path: Path, material: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    page = _page(tmp_path, material)
    args = ["capture", str(page), "--session", "s", "--captures", str(root)]
    assert main([*args, "--update", "--system", "x"]) == 0
    capsys.readouterr()
    assert main([*args, "--run"]) == 0
    assert capsys.readouterr().out.count(", identical") == 4


def test_a_secret_left_after_redaction_blocks_the_write(
        tmp_path: Path, material: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Stand-in: a redactor that misses everything, to prove the scan after it fails closed.
    monkeypatch.setattr(secrets.Redactor, "redact", lambda self, data, shell=False: data)
    monkeypatch.setattr(secrets.Redactor, "redact_whole", lambda self, data, kind="": data)
    assert redact_streams(material["token"].encode(), b"").left == [
        "a k3s-token at stdout line 1, column 1"]
    root = tmp_path / "captures"
    rc = main(["capture", str(_page(tmp_path, material)), "--session", "s", "--captures",
               str(root), "--update", "--system", "x", "--match", "node-token"])
    assert rc == 1
    out = capsys.readouterr().out
    assert "secret-left" in out
    assert "still holds a k3s-token at stdout line 1, column 1" in out and "after redaction" in out
    assert material["token"] not in out
    assert not (root / "s").exists() or not list((root / "s").glob("*.capture"))


def test_numbering_is_per_capture_so_re_recording_is_stable(material: dict[str, str]) -> None:
    jwt, token = material["jwt"].encode(), material["token"].encode()
    first = redact_streams(jwt + b"\n" + token + b"\n", jwt)
    again = redact_streams(jwt + b"\n" + token + b"\n", jwt)
    assert first == again
    assert first.stdout == b"<REDACTED:jwt#1>\n<REDACTED:k3s-token#1>\n"
    assert first.stderr == b"<REDACTED:jwt#1>"
    assert first.counts == {"jwt": 1, "k3s-token": 1} and first.left == []


def test_kubernetes_secret_manifest_redacted_keys_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "secret.yaml"
    password = pysecrets.token_urlsafe(12)
    manifest.write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
                        f"  username: admin\n  password: {password}\n  pgpass: |\n"
                        f"    db:5432:app:admin:{password}\n")
    page = tmp_path / "secret.md"
    page.write_text(f"---\nexecdocs: {{session: s}}\n---\n```console\n$ cat {manifest}\n```\n")
    root = tmp_path / "captures"
    assert main(["capture", str(page), "--session", "s", "--captures", str(root), "--update",
                 "--system", "x"]) == 0
    (cap,) = store.load_session(root / "s").captures
    assert password.encode() not in cap.stdout
    assert cap.redactions == {"secret-data": 3}
    assert cap.stdout_text == (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
        "  username: <REDACTED:secret-data#1>\n  password: <REDACTED:secret-data#2>\n"
        "  pgpass: |\n    <REDACTED:secret-data#3>\n")


def test_a_command_printing_a_secret_value_bare_is_redacted_whole(tmp_path: Path) -> None:
    # Like `kubectl get secret db -o jsonpath='{.data.password}' | base64 -d`: a bare value,
    # nothing around it to recognise. Runs for real: a base64 file piped into base64 -d.
    password = pysecrets.token_urlsafe(12)
    encoded = tmp_path / "db-secret.b64"
    encoded.write_text(base64.b64encode(password.encode()).decode())
    page = tmp_path / "secret.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n"
                    f"$ cat {encoded} | base64 -d; echo\n```\n")
    root = tmp_path / "captures"
    assert main(["capture", str(page), "--session", "s", "--captures", str(root), "--update",
                 "--system", "x"]) == 0
    (cap,) = store.load_session(root / "s").captures
    assert password.encode() not in cap.stdout
    assert cap.stdout == b"<REDACTED:secret-data#1>\n"  # the trailing newline is kept
    assert cap.redactions == {"secret-data": 1}


def test_bare_secret_value_left_in_stdout_is_reported() -> None:
    command = "kubectl get secret db -o jsonpath='{.data.password}'"
    assert redact_streams(b"czNjcjN0\n", b"", command).stdout == b"<REDACTED:secret-data#1>\n"
    assert redact_streams(b"", b"", command).left == []  # nothing printed, nothing to hide
    assert redact_streams(b"czNjcjN0\n", b"", "kubectl get pods -o name").left == []
