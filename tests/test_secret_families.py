"""Every planted family is found at its line and redacted away; real clean outputs stay
untouched (false positives are tested as carefully as the hits)."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
import secret_fixtures
from execdocs import secret_gitleaks, secret_triggers, secrets
from execdocs.snippets.store import load_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> list[secret_fixtures.Fixture]:
    return secret_fixtures.made(tmp_path_factory)


def test_at_least_forty_fixtures(fixtures: list[secret_fixtures.Fixture]) -> None:
    assert len(fixtures) >= 40
    assert len({f.name for f in fixtures}) == len(fixtures)


def test_each_fixture_flagged_at_its_line_and_redacted(
        fixtures: list[secret_fixtures.Fixture]) -> None:
    failures = []
    for f in fixtures:
        lines = [x.line for x in secrets.scan(f.text)]
        redacted, _counts = secrets.redact(f.text)
        leaked = [v for v in f.values if v in redacted]
        if f.line not in lines or leaked or secrets.scan(redacted):
            failures.append((f.name, lines, len(leaked)))
    assert failures == []


def test_families_named_by_their_rule(fixtures: list[secret_fixtures.Fixture]) -> None:
    kinds = {f.name: {x.kind for x in secrets.scan(f.text)} for f in fixtures}
    assert "github-pat" in kinds["github-pat"]
    assert "github-fine-grained-pat" in kinds["github-fine-grained"]
    assert "gitlab-pat" in kinds["gitlab-pat"]
    assert "slack-bot-token" in kinds["slack-bot"]
    assert {"aws-access-key", "aws-secret-key"} <= kinds["aws-pair-table"]
    assert kinds["pgp-private-key"] == {"private-key"}
    assert kinds["kubeconfig-base64"] == {"base64-kubeconfig-data"}
    assert kinds["pem-base64"] == {"base64-private-key"}
    assert "secret-value" in kinds["env-PGPASSWORD"]


def test_env_value_with_blanks_is_redacted_whole() -> None:
    redacted, _ = secrets.redact("APP_PASSWORD=correct horse battery\nHOME=/root\n")
    assert redacted == "APP_PASSWORD=<REDACTED:secret-value#1>\nHOME=/root\n"


def test_on_a_command_line_a_value_ends_at_the_blank() -> None:
    r = secrets.Redactor()
    assert (r.redact("PGPASSWORD=s3cr3tpw psql -h db", shell=True)
            == "PGPASSWORD=<REDACTED:secret-value#1> psql -h db")


def test_gitleaks_rules_all_compile_and_cover_the_families() -> None:
    rules, _allow = secret_gitleaks.load()
    ids = {r.id for r in rules}
    assert len(rules) >= 200
    assert {"github-pat", "github-fine-grained-pat", "gitlab-pat", "slack-bot-token",
            "slack-user-token", "private-key", "jwt", "generic-api-key"} <= ids


@pytest.mark.parametrize(("go", "py"), [
    ("(?i)abc", "(?i)abc"),
    ("x(?i)abc", "x(?i:abc)"),
    ("(a(?i)b|c)d", "(a(?i:b)|(?i:c))d"),
    (r"[[:alnum:]]\z", r"[a-zA-Z0-9]\Z"),
    ("[a[b]", r"[a\[b]"),
])
def test_go_regex_translation(go: str, py: str) -> None:
    assert secret_gitleaks.translate(go) == py


# ---------------------------------------------------------------- clean outputs

def _public_cert(tmp: Path) -> str:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(tmp / "k"),
                    "-out", str(tmp / "c"), "-subj", "/CN=kubernetes-ca", "-days", "1"],
                   check=True, capture_output=True)
    return (tmp / "c").read_text()


# Outputs copied from public pages (cited), kept as printed.
PUBLIC = {
    # https://kubernetes.io/docs/tasks/configmap-secret/managing-secret-using-kubectl/
    "describe secret (kubernetes.io)": (
        "Name:            db-user-pass\nNamespace:       default\nLabels:          <none>\n"
        "Annotations:     <none>\n\nType:            Opaque\n\nData\n====\n"
        "password:    12 bytes\nusername:    5 bytes\n"),
    # https://gist.github.com/duythien/e4447611968f843f6e444f061745f8bb
    "kubectl config view (gist duythien)": (
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: REDACTED\n"
        "    server: https://192.168.10.64:6443\n  name: kubernetes\ncontexts:\n- context:\n"
        "    cluster: kubernetes\n    user: kubernetes-admin\n  name: gsviec-traning\n"
        "current-context: gsviec-traning\nkind: Config\npreferences: {}\nusers:\n"
        "- name: kubernetes-admin\n  user:\n    client-certificate-data: REDACTED\n"
        "    client-key-data: REDACTED\n"),
    # https://gist.github.com/danehans/57362949eaedf8529e85
    "kubeconfig with variables (gist danehans)": (
        "apiVersion: v1\nkind: Config\ncurrent-context: kubectl-to-coreos.com\n"
        "clusters:\n- cluster:\n    certificate-authority-data: ${CA_CERT}\n"
        "    server: https://master.lab.com:443\n  name: coreos.com\nusers:\n"
        "- name: kubectl\n  user:\n    token: ${TOKEN}\n"),
    # https://pastebin.com/WpyAgpMA
    "kubectl get events (pastebin WpyAgpMA)": (
        "LAST SEEN   TYPE     REASON      KIND   MESSAGE\n"
        "5m          Normal   Scheduled   Pod    Successfully assigned master/jobworker-c5dc75db8-"
        "7m5ln to ip-XXX-XXX-XXX-XXX.us-west-2.compute.internal\n"
        "5m          Normal   Pulling     Pod    pulling image \"...\"\n"),
}


def _clean_outputs(tmp: Path) -> dict[str, str]:
    out = dict(PUBLIC)
    # every capture of this site: real or copied-from-docs outputs (each session.yml says
    # where from: k8s docs crictl pages, a containerd host, k3s notes)
    for session in load_store(ROOT / "captures").sessions.values():
        for cap in session.captures:
            out[f"{session.name}/{cap.path.name if cap.path else cap.command}"] = (
                cap.stdout_text + cap.stderr_text)
    cert = _public_cert(tmp)
    b64 = base64.b64encode(cert.encode()).decode()
    out["base64 of a public certificate"] = f"ca.crt: {b64}\n"
    out["base64(1) of a public certificate, wrapped"] = base64.encodebytes(cert.encode()).decode()
    out["kubeconfig with only a CA"] = (
        "apiVersion: v1\nclusters:\n- cluster:\n"
        f"    certificate-authority-data: {b64}\n    server: https://127.0.0.1:6443\n"
        "  name: default\nusers:\n- name: default\n  user:\n    exec:\n"
        "      command: aws-iam-authenticator\n")
    out["a public certificate"] = cert
    out["describe sa (token names)"] = (
        "Name:                default\nNamespace:           default\nLabels:              <none>\n"
        "Image pull secrets:  <none>\nMountable secrets:   default-token-7m5ln\n"
        "Tokens:              default-token-7m5ln\nEvents:              <none>\n")
    out["describe pod volumes and env refs"] = (
        "    Environment:\n      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  "
        "Optional: false\n    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount "
        "from kube-api-access-5x7kq (ro)\nVolumes:\n  kube-api-access-5x7kq:\n"
        "    Type:                    Projected\n    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n")
    out["event names and digests"] = (
        "event/nginx-7c5ddbdf54-2xkqz.17f6a2b3c4d5e6f7\nevent/web-0.17f6a2b3c4d5e6f8\n"
        "docker.io/library/nginx@sha256:" + "2d194184b067db3598771b4cf326cfe6ad5051937ba1f8e0"
        "a1b2c3d4e5f60718\ncontainerd://" + "9f3c1e2d" * 8 + "\n")
    out["pod spec using secretKeyRef"] = (
        "    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n"
        "          key: password\n          name: db\n    automountServiceAccountToken: false\n")
    out["kubectl get secrets list"] = (
        "NAME                  TYPE                                  DATA   AGE\n"
        "default-token-7m5ln   kubernetes.io/service-account-token   3      5d\n"
        "db                    Opaque                                2      1h\n")
    out["env without secrets"] = "PATH=/usr/bin\nPWD=/home/app\nHOSTNAME=web-0\nLANG=C.UTF-8\n"
    return out


def test_at_least_twenty_clean_outputs_stay_untouched(tmp_path: Path) -> None:
    outputs = _clean_outputs(tmp_path)
    assert len(outputs) >= 20
    flagged = {name: [(f.kind, f.line) for f in secrets.scan(text)]
               for name, text in outputs.items()}
    assert {n: f for n, f in flagged.items() if f} == {}
    for text in outputs.values():
        assert secrets.redact(text)[0] == text


def test_keyword_pass_finds_what_substring_tests_find(
        fixtures: list[secret_fixtures.Fixture]) -> None:
    words = secret_triggers.words()
    assert set(secret_gitleaks.keywords()) <= set(words)
    texts = [f.text.lower() for f in fixtures] + ["key", "xkeyj eyj", "apikey", "ghp_ and glpat-",
                                                  "caf\udcff token"]  # a byte that is not UTF-8
    for low in texts:
        assert secret_triggers.present(low) == {k for k in words if k in low}


@pytest.mark.parametrize("command", [
    "docker login -u robot -p Zq83kfPq registry.example.com",
    "nerdctl login --username robot -p=Zq83kfPq r.example.com",
    "sshpass -p Zq83kfPq ssh node-1",
    "mysql -u root -pZq83kfPq app",
])
def test_short_password_flags(command: str) -> None:
    redacted = secrets.Redactor().redact(command, shell=True)
    assert "Zq83kfPq" not in redacted and "<REDACTED:secret-value#1>" in redacted


def test_short_flags_that_are_no_password_stay() -> None:
    for command in ("docker run -p 8080:80 nginx", "podman run -p 8080:80 web",
                    "mysql -u root -p app", "ssh -p 2222 node-1", "mkdir -p /tmp/x"):
        assert secrets.scan(command, shell=True) == [], command


@pytest.mark.parametrize("lead", ["", "İİİ "], ids=["ascii", "lower() changes offsets"])
def test_generic_api_key_windows_miss_no_earlier_match(lead: str) -> None:
    # windows are tried left to right over every keyword (once, the 'key' windows ran before
    # the 'token' ones, and a token before a key was skipped); İ.lower() is two characters
    first, second = "Qx7Lm2Vb9Rt4Wz8K", "Hd3Jf6Np1Sg5Yc0T"
    text = f"{lead}token = {first}\n" + "x " * 150 + f"\napi_key = {second}\n"
    low = text.lower()
    present = secret_triggers.present(low)
    found = [text[s:e] for rule, s, e in secret_gitleaks.find(text, low, present)
             if rule == "generic-api-key"]
    assert found == [first, second]
