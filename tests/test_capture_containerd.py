"""The capture tool against a real containerd daemon (Debian containerd 1.6 + runc).

The daemon runs from a temporary folder with its own config, root, state and socket; the image
is built here from busybox-static (no registry is reachable) and a container with a running task
is created. The tool records `ctr -n k8s.io {containers,tasks,images} ls` through
CONTAINERD_ADDRESS, and every expectation below comes from the daemon or from dpkg, not from the
code under test. Needs root; without it these tests fail (they are never skipped).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from capture_lab import IMAGE_REF, ContainerdLab, containerd_lab, sshd_lab
from execdocs.cli import main
from execdocs.snippets import store

pytestmark = pytest.mark.slow

COMMANDS = (
    "sudo ctr -n k8s.io containers ls",
    "sudo ctr -n k8s.io tasks ls",
    "sudo ctr -n k8s.io images ls",
)
PAGE = ("---\nexecdocs: {session: lab}\n---\n# ctr\n\n```console\n"
        + "".join(f"$ {c}\n" for c in COMMANDS) + "```\n")


@pytest.fixture
def lab():
    """A started daemon with the busybox image and a running container `web-1`; stopped after."""
    with containerd_lab("web-1") as running:
        yield running


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "ctr.md"
    path.write_text(PAGE, encoding="utf-8")
    return path


def _capture(lab: ContainerdLab, page: Path, root: Path, *flags: str) -> int:
    return main(["capture", str(page), "--session", "lab", "--captures", str(root),
                 "--env", f"CONTAINERD_ADDRESS={lab.socket}", *flags])


def _load(root: Path) -> dict[str, store.Capture]:
    session = store.load_session(root / "lab")
    return {c.command: c for c in session.captures}


def _table(text: str) -> dict[str, list[str]]:
    """First column -> whitespace-split row (fine for these single-word cells)."""
    return {line.split()[0]: line.split() for line in text.splitlines()[1:] if line.strip()}


def test_captures_match_what_the_daemon_holds(lab: ContainerdLab, page: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    assert _capture(lab, page, root, "--update", "--system",
                    "standalone containerd on Debian") == 0
    caps = _load(root)
    assert set(caps) == set(COMMANDS)
    for cap in caps.values():
        assert cap.exit == 0 and cap.stderr == b""
        assert cap.run == cap.command
        assert cap.captured and cap.captured.endswith("Z")

    # Ground truth straight from the daemon (ctr -q / the task's own /proc entry).
    ids = lab.ctr("containers", "ls", "-q").stdout.split()
    assert ids == ["web-1"]
    containers = _table(caps[COMMANDS[0]].stdout_text)
    assert containers["web-1"][1] == IMAGE_REF
    assert containers["web-1"][2] == "io.containerd.runc.v2"

    tasks = _table(caps[COMMANDS[1]].stdout_text)
    pid = int(tasks["web-1"][1])
    assert tasks["web-1"][2] == "RUNNING"
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert cmdline[:2] == [b"/bin/sleep", b"3600"]  # that PID really is the container's process

    images = caps[COMMANDS[2]].stdout_text
    assert IMAGE_REF in images
    digest = lab.ctr("images", "ls", "-q").stdout.split()
    assert digest == [IMAGE_REF]

    # Session provenance: what ran, when, and the real versions (from dpkg, not from the tool).
    session = store.load_session(root / "lab")
    assert session.provenance == "captured"
    assert session.system == "standalone containerd on Debian"
    dpkg = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "containerd"],
                          capture_output=True, text=True, check=True).stdout
    assert dpkg.startswith(session.versions["containerd-server"])
    assert dpkg.startswith(session.versions["containerd"])
    runc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "runc"],
                          capture_output=True, text=True, check=True).stdout
    assert runc.startswith(session.versions["runc"])
    assert session.versions["kernel"] == Path("/proc/sys/kernel/osrelease").read_text().strip()

    out = capsys.readouterr().out
    assert "[1/3] $ sudo ctr -n k8s.io containers ls  → exit 0, new, written" in out
    assert "capture: 3 commands — 3 new; 3 written to" in out


def test_drift_after_the_daemon_changes(lab: ContainerdLab, page: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    assert _capture(lab, page, root, "--update", "--system", "lab") == 0
    before = {c: p.read_bytes() for c, p in
              ((c.command, c.path) for c in store.load_session(root / "lab").captures)}
    capsys.readouterr()

    # Same state again: identical, nothing rewritten.
    assert _capture(lab, page, root, "--update") == 0
    out = capsys.readouterr().out
    assert out.count(", identical") == 3

    # Restart web-1's task: only its PID changes -> volatile-only, written with --update.
    lab.ctr("tasks", "kill", "-s", "SIGKILL", "web-1")
    lab.ctr("tasks", "delete", "web-1", check=False)  # may race with the exit; retried below
    for _ in range(50):
        if lab.task_status("web-1") is None:
            break
        time.sleep(0.1)
        lab.ctr("tasks", "delete", "web-1", check=False)
    lab.ctr("tasks", "start", "-d", "web-1")
    assert lab.task_status("web-1") == "RUNNING"
    assert _capture(lab, page, root, "--update") == 0
    out = capsys.readouterr().out
    assert "$ sudo ctr -n k8s.io tasks ls  → exit 0, volatile-only, written" in out
    assert "    row web-1: PID " in out and "(volatile)" in out

    # A second container and web-1's task stopped: structural; not written without --accept.
    lab.run_sleeper("web-2")
    lab.ctr("tasks", "kill", "-s", "SIGKILL", "web-1")
    for _ in range(50):
        if lab.task_status("web-1") == "STOPPED":
            break
        time.sleep(0.1)
    assert _capture(lab, page, root, "--update") == 1
    out = capsys.readouterr().out
    assert "$ sudo ctr -n k8s.io containers ls  → exit 0, structural, not written" in out
    assert "    row web-2: added" in out
    assert "    row web-1: STATUS RUNNING → STOPPED" in out
    caps = _load(root)
    assert "web-2" not in caps[COMMANDS[0]].stdout_text
    assert caps[COMMANDS[0]].path.read_bytes() == before[COMMANDS[0]]

    assert _capture(lab, page, root, "--update", "--accept") == 0
    caps = _load(root)
    assert "web-2" in _table(caps[COMMANDS[0]].stdout_text)
    assert _table(caps[COMMANDS[1]].stdout_text)["web-1"][2] == "STOPPED"
    # the image did not change: its capture file is byte-for-byte the first one
    assert caps[COMMANDS[2]].path.read_bytes() == before[COMMANDS[2]]


def test_refresh_without_pages_uses_the_session(lab: ContainerdLab, page: Path,
                                                tmp_path: Path) -> None:
    root = tmp_path / "captures"
    assert _capture(lab, page, root, "--update", "--system", "lab") == 0
    lab.remove("web-1")
    rc = main(["capture", "--session", "lab", "--captures", str(root), "--update", "--accept",
               "--env", f"CONTAINERD_ADDRESS={lab.socket}"])
    assert rc == 0
    caps = _load(root)
    assert "web-1" not in caps[COMMANDS[0]].stdout_text
    assert caps[COMMANDS[0]].stdout_text.startswith("CONTAINER ")


def test_daemon_unreachable_is_exit_status_change(lab: ContainerdLab, page: Path,
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "captures"
    assert _capture(lab, page, root, "--update", "--system", "lab") == 0
    capsys.readouterr()
    rc = main(["capture", str(page), "--session", "lab", "--captures", str(root),
               "--env", f"CONTAINERD_ADDRESS={tmp_path / 'nothing.sock'}", "--match", "tasks",
               "--run"])
    assert rc == 1
    out = capsys.readouterr().out
    assert "$ sudo ctr -n k8s.io tasks ls  → exit 1, exit-status-changed, not written" in out
    assert "    exit status 0 → 1" in out


def test_capture_over_ssh(lab: ContainerdLab, page: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    # A real sshd on 127.0.0.1 (own host key, authorized key and port); the daemon is the same
    # machine's, reached through the remote shell, so the capture is checked against it.
    with sshd_lab() as ssh_config:
        root = tmp_path / "captures"
        rc = main(["capture", str(page), "--session", "lab", "--captures", str(root),
                   "--ssh", "lab", "--ssh-config", str(ssh_config), "--update", "--system",
                   "lab over ssh", "--env", f"CONTAINERD_ADDRESS={lab.socket}"])
        assert rc == 0
    out = capsys.readouterr().out
    assert "3 commands on ssh:lab" in out
    caps = _load(root)
    tasks = _table(caps[COMMANDS[1]].stdout_text)
    assert tasks["web-1"][2] == "RUNNING"
    assert tasks["web-1"][1] == lab.ctr("tasks", "ls").stdout.split()[4]  # same PID as local
    assert store.load_session(root / "lab").versions["containerd-server"]
