"""The runner: pinned environment, streams kept apart byte-exact, sudo that never prompts,
timeouts that kill the whole pipeline, and the ssh path against a real sshd on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from capture_lab import sshd_lab
from execdocs.capture.runner import COLUMNS, Runner


def test_pinned_environment_reaches_the_command() -> None:
    result = Runner().run("env")
    env = dict(line.split("=", 1) for line in result.stdout.decode().splitlines() if "=" in line)
    assert env["LANG"] == "C.UTF-8" and env["LC_ALL"] == "C.UTF-8"
    assert env["TZ"] == "UTC" and env["NO_COLOR"] == "1"
    assert env["COLUMNS"] == str(COLUMNS) == "200"
    # The caller's own variables do not leak into a capture.
    assert "PYTEST_CURRENT_TEST" not in env


def test_time_zone_is_utc_for_date() -> None:
    os.environ["TZ"] = "Asia/Seoul"
    try:
        out = Runner().run("date +%Z").stdout
    finally:
        del os.environ["TZ"]
    assert out == b"UTC\n"


def test_stdout_stderr_and_exit_are_kept_apart_byte_exact() -> None:
    result = Runner().run(r"printf 'a\tb  \n\377tail'; printf 'warn\r\n' >&2; exit 7")
    assert result.stdout == b"a\tb  \n\xfftail"
    assert result.stderr == b"warn\r\n"
    assert result.exit_status == 7 and not result.timed_out


def test_sudo_as_root_runs_directly_with_the_pinned_env() -> None:
    # This machine has no sudo binary; as root the runner's sudo runs the command itself.
    assert os.geteuid() == 0, "the capture tests run as root (CI does)"
    result = Runner(env={"CONTAINERD_ADDRESS": "/tmp/x.sock"}).run(
        "sudo -n sh -c 'echo $TZ $CONTAINERD_ADDRESS' | sudo cat")
    assert result.stdout == b"UTC /tmp/x.sock\n", result.stderr


def test_sudo_for_a_normal_user_is_non_interactive() -> None:
    # The shim's non-root branch: `sudo -n env ...`; with no sudo installed this fails fast
    # (127) instead of prompting, and with sudo installed -n would make it fail, not wait.
    nobody = shutil.which("setpriv")
    assert nobody, "util-linux setpriv is part of Debian's base system"
    runner = Runner(timeout=10)
    script = runner.script("sudo id -u")
    assert "command sudo -n env LANG=C.UTF-8" in script
    result = runner.run(f"setpriv --reuid=65534 --regid=65534 --clear-groups sh -c {script!r}")
    assert result.exit_status != 0 and not result.timed_out
    assert result.duration < 5


def test_timeout_kills_the_whole_pipeline(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    t0 = time.monotonic()
    result = Runner(timeout=1).run(f"sleep 30 & echo $! > {pidfile}; echo started; wait")
    assert result.timed_out and result.exit_status is None
    assert result.stdout == b"started\n"
    assert time.monotonic() - t0 < 10
    pid = int(pidfile.read_text())
    for _ in range(50):  # the background sleep is in the killed group: it must be gone
        if not Path(f"/proc/{pid}").exists():
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


def test_ssh_command_line() -> None:
    with Runner(ssh_host="node1", ssh_config="/tmp/cfg", env={"KUBECONFIG": "/k"}) as runner:
        argv = runner.argv("sudo ctr -n k8s.io tasks ls")
    assert argv[:7] == ["ssh", "-F", "/tmp/cfg", "-o", "BatchMode=yes", "-o",
                        "ConnectTimeout=10"]
    assert argv[7:9] == ["-o", "ControlMaster=auto"]
    assert argv[-3:-1] == ["-T", "node1"]
    assert argv[-1].startswith("timeout -k 5 65 env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC "
                               "NO_COLOR=1 TERM=dumb COLUMNS=200 KUBECONFIG=/k sh -c '")
    assert argv[-1].endswith("\nsudo ctr -n k8s.io tasks ls'")


@pytest.fixture
def ssh_config():
    with sshd_lab() as config:
        yield config


@pytest.mark.slow
def test_ssh_runs_on_the_remote_with_the_pinned_env(ssh_config: Path) -> None:
    with Runner(ssh_host="lab", ssh_config=str(ssh_config), timeout=30) as runner:
        result = runner.run(r"echo $TZ $LANG $COLUMNS; printf 'x\ty \n' >&2; sudo id -u; exit 3")
        assert result.exit_status == 3, result.stderr
        assert result.stdout == b"UTC C.UTF-8 200\n0\n"
        assert result.stderr == b"x\ty \n"
        assert result.target == "ssh:lab"
        # the shared connection carries the next command too
        assert runner.run("echo again").stdout == b"again\n"
        control = Path(runner._control_dir or "")
        assert (control / "cm").is_socket()
    assert not control.exists()  # closed: master stopped, socket folder gone


@pytest.mark.slow
def test_ssh_timeout_stops_the_remote_command(ssh_config: Path, tmp_path: Path) -> None:
    pidfile = tmp_path / "remote.pid"
    with Runner(ssh_host="lab", ssh_config=str(ssh_config), timeout=2) as runner:
        result = runner.run(f"echo $$ > {pidfile}; exec sleep 60")
    assert result.timed_out and result.exit_status is None
    pid = int(pidfile.read_text())
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists() or b"sleep" not in Path(
                f"/proc/{pid}/cmdline").read_bytes():
            break
        time.sleep(0.1)
    cmd = Path(f"/proc/{pid}/cmdline")
    assert not cmd.exists() or b"sleep" not in cmd.read_bytes()


@pytest.mark.slow
def test_ssh_failure_is_reported_not_hung(ssh_config: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cfg"
    # Same server, but a key the server does not know: BatchMode fails instead of prompting.
    text = ssh_config.read_text()
    other = tmp_path / "otherkey"
    os.system(f"ssh-keygen -q -t ed25519 -N '' -f {other}")
    bad.write_text("\n".join(
        f"  IdentityFile {other}" if ln.strip().startswith("IdentityFile") else ln
        for ln in text.splitlines()) + "\n")
    with Runner(ssh_host="lab", ssh_config=str(bad), timeout=20) as runner:
        result = runner.run("echo hi")
    assert result.exit_status == 255 and not result.timed_out
    assert b"Permission denied" in result.stderr


def test_sudo_with_a_user_option_is_not_run_as_root_instead() -> None:
    # No sudo binary here: `sudo -u nobody` cannot be honoured by running as root instead.
    result = Runner(timeout=10).run("sudo -u nobody id -u")
    assert result.exit_status == 127 and result.stdout == b""
    assert b"sudo" in result.stderr


def test_an_endless_output_is_stopped_at_the_limit() -> None:
    # `cat /dev/zero` is read-only and allowed: kept whole in memory it filled 2.9 GB (a red
    # team, 2026-12-04); the command's group is killed past MAX_OUTPUT bytes
    from execdocs.capture.runner import MAX_OUTPUT

    t0 = time.monotonic()
    result = Runner(timeout=30).run("cat /dev/zero")
    assert result.overflowed and not result.timed_out and result.exit_status is None
    assert MAX_OUTPUT < len(result.stdout) <= MAX_OUTPUT + 65536
    assert time.monotonic() - t0 < 10
    small = Runner().run("head -c 1000 /dev/zero; echo done >&2")
    assert not small.overflowed and small.exit_status == 0
    assert len(small.stdout) == 1000 and small.stderr == b"done\n"
