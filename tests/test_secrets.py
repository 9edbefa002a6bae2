"""Secret rules: each kind detected at its line/column, redacted with stable placeholders."""

from __future__ import annotations

import pytest
from execdocs import secrets
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
    # the cluster's CA certificate is public: it stays
    assert counts == {"kubeconfig-data": 2, "jwt": 1}
    assert "certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJk\n" in redacted
    assert "LS0tLS1CRUdJTiBFQyBQUklWQVRF" not in redacted and "eyJ" not in redacted
    assert "    client-key-data: <REDACTED:kubeconfig-data#2>\n" in redacted
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


def test_indented_pem_block_ends_at_its_end_line() -> None:
    # a key inside a YAML block scalar (a ConfigMap, a Helm values file): the END line is
    # indented; the text after it is no part of the secret
    text = ("tls: |\n  -----BEGIN PRIVATE KEY-----\n  MIIEvQIBADANBg\n"
            "  -----END PRIVATE KEY-----\nname: web\n")
    redacted, counts = redact(text)
    assert redacted == ("tls: |\n  -----BEGIN PRIVATE KEY-----\n  <REDACTED:private-key#1>\n"
                        "  -----END PRIVATE KEY-----\nname: web\n")
    assert counts == {"private-key": 1} and scan(redacted) == []


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
    out = r.redact(b"\xff\xfe token: " + JWT.encode() + b"\n\xe9\n")
    assert out == b"\xff\xfe token: <REDACTED:jwt#1>\n\xe9\n"


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


# A Secret's data and stringData, as kubectl and manifests print them.

SECRET_YAML = """\
apiVersion: v1
data:
  .dockerconfigjson: eyJhdXRocyI6e319
  api-key: YWJjZGVm
  password: czNjcjN0LXBhc3M=
  username: YWRtaW4=
kind: Secret
metadata:
  name: db
  namespace: default
type: Opaque
"""

SECRET_LIST = """\
apiVersion: v1
items:
- apiVersion: v1
  data:
    ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    namespace: ZGVmYXVsdA==
  kind: Secret
  metadata:
    creationTimestamp: "2024-05-01T09:00:00Z"
    name: demo-token
  type: kubernetes.io/service-account-token
- apiVersion: v1
  data:
    ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    tls.key: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t
  kind: Secret
  metadata:
    name: web-tls
  type: kubernetes.io/tls
kind: List
metadata:
  resourceVersion: ""
"""

SECRET_JSON = """\
{
    "apiVersion": "v1",
    "data": {
        "tls.crt": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
        "tls.key": "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t"
    },
    "kind": "Secret",
    "metadata": {
        "name": "web-tls",
        "namespace": "default"
    },
    "type": "kubernetes.io/tls"
}
"""

STRING_DATA = """\
apiVersion: v1
kind: Secret
metadata:
  name: app
stringData:
  api-key: "k-7f3a9c"
  config.yaml: |
    user: app
    pass: hunter2

  empty: ""
type: Opaque
"""


def _found(text: str) -> list[tuple[str, int, int]]:
    return [(f.kind, f.line, f.column) for f in scan(text)]


SECRET_CASES = {
    # password: is also a kubeconfig-data match: one finding, of the Secret's kind
    "yaml": (SECRET_YAML, [("secret-data", 3, 22), ("secret-data", 4, 12),
                           ("secret-data", 5, 13), ("secret-data", 6, 13)]),
    "list, data before kind": (SECRET_LIST, [("secret-data", 5, 13), ("secret-data", 6, 16),
                                             ("secret-data", 14, 13), ("secret-data", 15, 14)]),
    "json": (SECRET_JSON, [("secret-data", 4, 21), ("secret-data", 5, 21)]),
    # no other rule's trigger word in it: the fast path must not skip a Secret
    "stringData with a block scalar": (STRING_DATA, [("secret-data", 6, 13),
                                                     ("secret-data", 8, 5)]),
    "flow mapping": ("kind: Secret\nstringData: {user: app, pass: two words}\n",
                     [("secret-data", 2, 20), ("secret-data", 2, 31)]),
}


@pytest.mark.parametrize(("text", "expected"), SECRET_CASES.values(), ids=SECRET_CASES.keys())
def test_secret_data_values_found_and_redacted_clean(
        text: str, expected: list[tuple[str, int, int]]) -> None:
    assert _found(text) == expected
    redacted, _ = redact(text)
    assert scan(redacted) == []


def test_secret_redaction_keeps_keys_and_shape() -> None:
    redacted, counts = redact(SECRET_LIST)
    assert counts == {"secret-data": 3}  # ca.crt twice, same value, same number
    assert redacted == SECRET_LIST.replace(
        "ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", "ca.crt: <REDACTED:secret-data#1>"
    ).replace("ZGVmYXVsdA==", "<REDACTED:secret-data#2>").replace(
        "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t", "<REDACTED:secret-data#3>")


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_block_scalar_redacted_to_one_placeholder(eol: str) -> None:
    redacted, counts = redact(STRING_DATA.replace("\n", eol))
    assert counts == {"secret-data": 2}
    assert ('  api-key: "<REDACTED:secret-data#1>"\n'
            "  config.yaml: |\n    <REDACTED:secret-data#2>\n\n"
            '  empty: ""\ntype: Opaque\n').replace("\n", eol) in redacted
    assert "hunter2" not in redacted


def test_last_applied_configuration_annotation_is_secret_too() -> None:
    # kubectl apply keeps the whole manifest in an annotation: as JSON in -o yaml, and as JSON
    # inside a JSON string in -o json
    annotation = ('metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-'
                  'configuration: |\n      {"apiVersion":"v1","kind":"Secret",'
                  '"stringData":{"password":"s3cr3t pass"}}\n')
    escaped = ('{\n    "kind": "Secret",\n    "metadata": {"annotations": {"last-applied": '
               '"{\\"data\\":{\\"api-key\\":\\"YWJjZGVm\\"},\\"kind\\":\\"Secret\\"}\\n"}}\n}\n')
    assert _found(annotation) == [("secret-data", 4, 68)]
    assert _found(escaped) == [("secret-data", 3, 76)]
    for text in (annotation, escaped):
        redacted, _ = redact(text)
        assert "s3cr3t" not in redacted and "YWJjZGVm" not in redacted
        assert scan(redacted) == []


def test_configmap_data_is_not_secret() -> None:
    text = """\
apiVersion: v1
data:
  game.properties: |
    enemies=aliens
  note: keep the db secret elsewhere
  ui.properties: color=blue
kind: ConfigMap
metadata:
  name: game
"""
    assert scan(text) == []


def test_describe_secret_shows_sizes_not_values() -> None:
    text = f"""\
Name:         demo-token
Namespace:    default
Labels:       <none>
Annotations:  kubernetes.io/service-account.name: demo

Type:  kubernetes.io/service-account-token

Data
====
ca.crt:     570 bytes
namespace:  7 bytes
token:      {JWT}
"""
    assert _found(text) == [("jwt", 12, 13)]


def test_already_redacted_secret_scans_clean() -> None:
    text = ("apiVersion: v1\ndata:\n  password: <REDACTED:secret-data#1>\n  tls.key: |\n"
            "    <REDACTED:secret-data#2>\n  empty: ''\n  gone: null\nkind: Secret\n")
    assert scan(text) == []


@pytest.mark.parametrize("command", [
    "kubectl get secret db -o jsonpath='{.data.password}'",
    "kubectl get secret db -ojsonpath={.data.password}",
    "kubectl -n kube-system get secrets -o go-template='{{.data.token}}'",
    "kubectl get -o custom-columns=DATA:.data secret db",
    "kubectl get pods,secrets -o jsonpath={..data}",
    "kubectl get secret/db --output=jsonpath={.data.token} | base64 -d",
    "kubectl get secret db -o json | jq -r .data.password | base64 --decode",
    "echo $DB_SECRET | base64 -d",
])
def test_commands_that_print_secret_values_bare(command: str) -> None:
    assert secrets.prints_secret_values(command)


@pytest.mark.parametrize("command", [
    "kubectl get secrets",  # names, types, counts: no values
    "kubectl get secret db -o yaml",  # values inside data:, found by the secret-data rule
    "kubectl describe secret db",  # sizes, not values
    "kubectl get cm app -o jsonpath={.data}",
    "kubectl get pods -o jsonpath={.items[*].metadata.name}",
    "cat image.b64 | base64 -d",
])
def test_commands_that_do_not(command: str) -> None:
    assert not secrets.prints_secret_values(command)


def test_unredacted_output_of_such_a_command() -> None:
    command = "kubectl get secret db -o jsonpath='{.data.password}'"
    assert secrets.unredacted_output(command, b"czNjcjN0")
    assert not secrets.unredacted_output(command, b"<REDACTED:secret-data#1>\n")
    assert not secrets.unredacted_output(command, b"")
    assert not secrets.unredacted_output("kubectl get pods", b"czNjcjN0")


def test_redact_whole_keeps_surrounding_whitespace() -> None:
    r = Redactor()
    assert r.redact_whole(b"\n  czNjcjN0 \n") == b"\n  <REDACTED:secret-data#1> \n"
    assert r.redact_whole(b"czNjcjN0") == b"<REDACTED:secret-data#1>"  # same value, same number
    assert r.redact_whole(b"  \n") == b"  \n"
    assert r.counts == {"secret-data": 1}


def test_a_quote_inside_a_value_does_not_end_it_early() -> None:
    # stringData holding a double quote, in the -o json annotation (JSON inside a JSON string,
    # so the inner quote is escaped twice); and YAML's '' inside a single-quoted flow value
    in_json = ('{\n    "kind": "Secret",\n    "metadata": {"annotations": {"last-applied": '
               '"{\\"stringData\\":{\\"pw\\":\\"ab\\\\\\"cd-tail\\"},\\"kind\\":\\"Secret\\"}\\n"}}\n}\n')
    in_yaml = "kind: Secret\nstringData: {pw: 'it''s, tail', user: x}\n"
    for text in (in_json, in_yaml):
        redacted, counts = redact(text)
        assert "tail" not in redacted, redacted
        assert scan(redacted) == []
