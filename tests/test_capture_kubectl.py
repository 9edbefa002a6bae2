"""The capture tool with the real kubectl client (/usr/bin/kubectl). No cluster exists on
these machines, so only commands that need no server succeed; a server-side command is
captured against a closed port on 127.0.0.1 to show a real failure and its volatile log lines."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from execdocs.cli import main
from execdocs.snippets import store

VERSION = "kubectl version --client"
DRY_RUN = "kubectl create deployment nginx --image=nginx:1.27-alpine --dry-run=client -o yaml"
CREATE = "kubectl create deployment nginx --image=nginx:1.27-alpine"
GET = "kubectl get nodes"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "kubectl.md"
    path.write_text("---\nexecdocs: {session: kc}\n---\n```console\n"
                    + "".join(f"$ {c}\n" for c in (VERSION, DRY_RUN, CREATE))
                    + "```\n\n```console\n$ " + GET + "\n```\n", encoding="utf-8")
    return path


@pytest.fixture
def kubeconfig(tmp_path: Path) -> Path:
    """A kubeconfig whose server is a closed port: every server call fails, fast, for real."""
    path = tmp_path / "kubeconfig"
    path.write_text("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
                    "    server: https://127.0.0.1:1\n  name: none\ncontexts:\n- context:\n"
                    "    cluster: none\n    user: none\n  name: none\ncurrent-context: none\n"
                    # a token, or kubectl would prompt for a username (it reads EOF)
                    "users:\n- name: none\n  user: {token: placeholder-not-a-secret}\n")
    return path


def test_client_commands_are_captured_and_create_is_refused(
        page: Path, kubeconfig: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    rc = main(["capture", str(page), "--session", "kc", "--captures", str(root), "--update",
               "--system", "kubectl client only (no cluster)", "--env",
               f"KUBECONFIG={kubeconfig}"])
    assert rc == 1  # the refused create is a problem to report
    out = capsys.readouterr().out
    assert f"$ {CREATE}  → -, refused" in out
    assert "refused: 'kubectl create' changes the cluster; if it only reads, pass --allow " \
        "'kubectl create' (this run only); if it changes the system, --allow-mutating" in out

    session = store.load_session(root / "kc")
    caps = {c.command: c for c in session.captures}
    assert set(caps) == {VERSION, DRY_RUN, GET}

    # Ground truth from kubectl itself, run here independently of the tool.
    real = json.loads(subprocess.run(["kubectl", "version", "--client", "-o", "json"],
                                     capture_output=True, text=True, check=True).stdout)
    version = real["clientVersion"]["gitVersion"]
    assert caps[VERSION].exit == 0
    assert caps[VERSION].stdout_text.splitlines()[0] == f"Client Version: {version}"
    assert session.versions["kubectl"] == version

    manifest = yaml.safe_load(caps[DRY_RUN].stdout)
    assert caps[DRY_RUN].exit == 0 and caps[DRY_RUN].stderr == b""
    assert manifest["kind"] == "Deployment" and manifest["metadata"]["name"] == "nginx"
    container = manifest["spec"]["template"]["spec"]["containers"][0]
    assert container == {"image": "nginx:1.27-alpine", "name": "nginx", "resources": {}}

    failed = caps[GET]
    assert failed.exit == 1 and failed.stdout == b""
    assert "127.0.0.1:1" in failed.stderr_text and "refused" in failed.stderr_text


def test_repeated_failure_differs_only_in_volatile_log_fields(
        page: Path, kubeconfig: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    args = ["capture", str(page), "--session", "kc", "--captures", str(root), "--match", "get",
            "--env", f"KUBECONFIG={kubeconfig}"]
    assert main([*args, "--update", "--system", "x"]) == 0
    first = store.load_session(root / "kc").captures[0].stderr
    capsys.readouterr()
    assert main([*args, "--run"]) == 0
    out = capsys.readouterr().out
    # kubectl's klog lines carry a time and a PID: they differ on every run, nothing else does
    assert f"$ {GET}  → exit 1, volatile-only" in out
    assert b"memcache.go" in first or b"refused" in first
