"""Secret rules: each kind detected at its line/column, redacted with stable placeholders."""

from __future__ import annotations

import pytest
from execdocs.secrets import PLACEHOLDER_RE, Redactor, redact, scan

JWT = ("eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0"
       ".c2lnbmF0dXJlLWJ5dGVz")
K3S = "K10" + "3f" * 32 + "::server:" + "9c" * 16
PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAxyz\nabcdefghijk==\n"
       "-----END RSA PRIVATE KEY-----")

KUBECONFIG = f"""apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJk
    server: https://127.0.0.1:6443
users:
- name: default
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJr
    client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVF
    token: {JWT}
"""

CASES = {
    "pem private key": (f"key:\n{PEM}\n", "private-key", 3, 1),
    "openssh private key": ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n"
                            "-----END OPENSSH PRIVATE KEY-----\n", "private-key", 2, 1),
    "jwt": (f"token is {JWT}\n", "jwt", 1, 10),
    "bearer": ("curl -H 'Authorization: Bearer s3cr3tT0kenValue'\n", "bearer-token", 1, 32),
    "kubeconfig data": ("    client-key-data: LS0tLS1CRUdJTiBFQy==\n", "kubeconfig-data", 1, 22),
    "kubeconfig password": ("  password: hunter2hunter2\n", "kubeconfig-data", 1, 13),
    "k3s join token": (f"K3S_TOKEN={K3S} sh -\n", "k3s-token", 1, 11),
    "bootstrap token": ("kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef\n",
                        "bootstrap-token", 1, 36),
    "password in url": ("https://admin:pa55w0rd@registry.example.com/v2/\n", "url-password", 1, 15),
    "aws key": ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", "aws-access-key", 1, 21),
}


@pytest.mark.parametrize(("text", "kind", "line", "column"), CASES.values(), ids=CASES.keys())
def test_each_kind_found_then_redacted(text: str, kind: str, line: int, column: int) -> None:
    findings = scan(text)
    assert [(f.kind, f.line, f.column) for f in findings] == [(kind, line, column)]
    redacted, counts = redact(text)
    assert counts == {kind: 1}
    assert f"<REDACTED:{kind}#1>" in redacted
    assert scan(redacted) == []


def test_kubeconfig_every_data_field_redacted_and_shape_kept() -> None:
    redacted, counts = redact(KUBECONFIG)
    assert counts == {"kubeconfig-data": 3, "jwt": 1}
    assert "LS0tLS1" not in redacted and "eyJ" not in redacted
    assert "    client-key-data: <REDACTED:kubeconfig-data#3>\n" in redacted
    assert "    token: <REDACTED:jwt#1>\n" in redacted
    assert "server: https://127.0.0.1:6443" in redacted


def test_kubectl_config_view_placeholders_are_not_secrets() -> None:
    text = ("    certificate-authority-data: DATA+OMITTED\n    client-key-data: REDACTED\n"
            "    token: <none>\nTokens:  <none>\n")
    assert scan(text) == []


def test_pem_block_keeps_begin_and_end_lines() -> None:
    redacted, _ = redact(PEM + "\n")
    assert redacted == ("-----BEGIN RSA PRIVATE KEY-----\n<REDACTED:private-key#1>\n"
                        "-----END RSA PRIVATE KEY-----\n")


def test_unterminated_private_key_fails_closed() -> None:
    text = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n(truncated)"
    redacted, counts = redact(text)
    assert counts == {"private-key": 1} and "MIIEvQ" not in redacted


def test_same_value_same_number_across_texts() -> None:
    r = Redactor()
    out = r.redact(f"a {JWT}\n") + r.redact(f"b {JWT} c eyJzzzzzzzz.eyJyyyyyyyy.sig\n")
    assert out == "a <REDACTED:jwt#1>\nb <REDACTED:jwt#1> c <REDACTED:jwt#2>\n"
    assert r.counts == {"jwt": 2}


def test_bytes_in_bytes_out_non_utf8_kept() -> None:
    r = Redactor()
    out = r.redact(b"\xff\xfe token: " + JWT.encode() + b" \xe9\n")
    assert out == b"\xff\xfe token: <REDACTED:jwt#1> \xe9\n"


def test_ordinary_kubectl_output_is_clean() -> None:
    text = """NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE
nginx-7c5ddbdf54-2xkqz   1/1     Running   0          2d    10.42.0.9    k3s-1
Image: docker.io/library/nginx:1.27-alpine
Image ID: docker.io/library/nginx@sha256:2d194184b067db3598771b4cf326cfe6ad5051937ba
Server Version: v1.31.2+k3s1
https://10.43.0.1:443/api
"""
    assert scan(text) == []


def test_finding_description_never_holds_the_value() -> None:
    (finding,) = scan(f"x {JWT}")
    assert finding.describe("stdout") == "a jwt at stdout line 1, column 3"
    assert PLACEHOLDER_RE.fullmatch("<REDACTED:jwt#12>")
