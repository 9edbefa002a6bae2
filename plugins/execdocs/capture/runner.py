"""Run one documented command on a live system, locally or over ssh, in a pinned environment.

The command runs as written (``sh -c``), pipes and all. What makes captures comparable across
machines and contributors is fixed here: the locale, the time zone, colour off, a terminal
width, and ``sudo`` that never prompts (``sudo -n``). stdout, stderr and the exit status are kept
apart and byte-exact; a command that outlives its timeout is killed with its whole process group
and reported as timed out, never as a result.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

COLUMNS = 200
"""Terminal width every command sees; wide enough that kubectl/ctr tables never wrap."""

PINNED_ENV: dict[str, str] = {
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "COLUMNS": str(COLUMNS),
}
"""The environment every captured command runs with, locally and over ssh."""

PASSTHROUGH_ENV = ("KUBECONFIG", "CONTAINERD_ADDRESS", "CONTAINERD_NAMESPACE",
                   "CONTAINER_RUNTIME_ENDPOINT", "IMAGE_SERVICE_ENDPOINT")
"""Variables a local run keeps from the caller: they say which cluster/daemon to talk to."""

DEFAULT_TIMEOUT = 60.0
MAX_OUTPUT = 1_000_000
"""Bytes of stdout and stderr together a command may print: the store reads no bigger capture
(``snippets/safe_read.MAX_BYTES``), and ``cat /dev/zero`` must not fill the memory."""

# `sudo` inside the command resolves to this shell function, wherever it sits in a pipeline:
# as root it runs the command directly (root needs no sudo, and sudo may not be installed);
# otherwise `sudo -n` (fail instead of prompting) through `env`, because sudo's env_reset would
# drop the pinned variables and the daemon address.
# -n/-E/-H are dropped (the env is passed explicitly); other options (`sudo -u www-data ...`)
# need a real sudo even as root, still with -n.
_SUDO_SHIM = (
    'sudo() {{ while [ "$1" = -n ] || [ "$1" = -E ] || [ "$1" = -H ]; do shift; done; '
    'if [ "${{1#-}}" != "$1" ]; then command sudo -n "$@"; '
    'elif [ "$(id -u)" = 0 ]; then "$@"; '
    "else command sudo -n env {env} \"$@\"; fi; }}"
)


@dataclass(frozen=True)
class RunResult:
    """What one command did: exit status (``None`` when it timed out), stdout and stderr bytes."""

    command: str
    exit_status: int | None
    stdout: bytes
    stderr: bytes
    started: datetime
    duration: float
    timed_out: bool = False
    target: str = "local"
    overflowed: bool = False
    """It printed more than :data:`MAX_OUTPUT` bytes and was stopped (the output is cut)."""

    @property
    def started_iso(self) -> str:
        """Start time as ``2026-11-26T15:30:12Z`` (the capture's ``captured`` field)."""
        return self.started.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Runner:
    """Runs commands on one target: this machine (``ssh_host=None``) or ``ssh_host`` over ssh.

    ``env`` adds variables (``CONTAINERD_ADDRESS=...``) on top of the pinned ones;
    ``ssh_config`` is an ``ssh -F`` file (port, key, known hosts) for hosts not in ~/.ssh/config.
    """

    ssh_host: str | None = None
    ssh_config: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    share_connection: bool = True
    """Over ssh, reuse one connection for every command (OpenSSH ControlMaster)."""
    _control_dir: str | None = field(default=None, init=False, repr=False)

    @property
    def target(self) -> str:
        """``local`` or ``ssh:HOST``, for progress lines."""
        return f"ssh:{self.ssh_host}" if self.ssh_host else "local"

    def command_env(self) -> dict[str, str]:
        """The variables the command sees on top of the target's own environment."""
        extra = dict(PINNED_ENV)
        if not self.ssh_host:
            extra.update({k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ})
        extra.update(self.env)
        return extra

    def script(self, command: str) -> str:
        """The ``sh -c`` script: the sudo shim, then the command exactly as documented."""
        env_words = " ".join(shlex.quote(f"{k}={v}") for k, v in self.command_env().items())
        return _SUDO_SHIM.format(env=env_words) + "\n" + command

    def argv(self, command: str, timeout: float | None = None) -> list[str]:
        """The argv that runs ``command``: ``sh -c`` locally, or ``ssh ... HOST <line>``."""
        if not self.ssh_host:
            return ["sh", "-c", self.script(command)]
        env_words = " ".join(shlex.quote(f"{k}={v}") for k, v in self.command_env().items())
        limit = self.timeout if timeout is None else timeout
        # Killing the local ssh client does not stop a remote command (no pty, no SIGHUP), so
        # the remote side enforces the limit too with coreutils' timeout -- a little later, so
        # that the local timeout decides and a timeout is never recorded as exit status 124.
        remote = (f"timeout -k 5 {limit + 5:g} env {env_words} sh -c "
                  f"{shlex.quote(self.script(command))}")
        argv = ["ssh"]
        if self.ssh_config:
            argv += ["-F", self.ssh_config]
        # BatchMode: never ask for a password or a host-key confirmation; fail instead.
        argv += ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10"]
        if self.share_connection:
            argv += self._control_options()
        argv += ["-T", self.ssh_host, remote]
        return argv

    def _control_options(self) -> list[str]:
        """One ssh connection shared by every command (most of an ssh command's cost, see
        bench/README.md); closed by
        ``close()``, and by ssh itself ``ControlPersist`` seconds after the last use."""
        if self._control_dir is None:
            self._control_dir = tempfile.mkdtemp(prefix="execdocs-ssh-")
        return ["-o", "ControlMaster=auto", "-o", f"ControlPath={self._control_dir}/cm",
                "-o", "ControlPersist=30"]

    def close(self) -> None:
        """Stop the shared ssh connection, if one was opened."""
        if self._control_dir is None:
            return
        argv = ["ssh"] + (["-F", self.ssh_config] if self.ssh_config else [])
        argv += ["-o", f"ControlPath={self._control_dir}/cm", "-O", "exit", str(self.ssh_host)]
        subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, check=False,
                       timeout=15)
        shutil.rmtree(self._control_dir, ignore_errors=True)
        self._control_dir = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def local_env(self) -> dict[str, str]:
        """Environment of the local process (sh or ssh): a clean one, not the caller's."""
        base = {k: os.environ[k] for k in ("HOME", "USER", "SSH_AUTH_SOCK") if k in os.environ}
        path = os.environ.get("PATH", "/usr/bin:/bin")
        # runc, sshd and friends live in sbin, which a non-login PATH may lack.
        for extra in ("/usr/local/sbin", "/usr/sbin", "/sbin"):
            if extra not in path.split(":"):
                path += ":" + extra
        base["PATH"] = path
        if self.ssh_host:
            base.update(PINNED_ENV)
            return base
        base.update(self.command_env())
        return base

    def run(self, command: str, timeout: float | None = None) -> RunResult:
        """Run ``command``; never raises for the command's own failure or timeout."""
        limit = self.timeout if timeout is None else timeout
        started = datetime.now(UTC)
        t0 = time.monotonic()
        # A new session so a timeout can kill the whole pipeline, not only `sh`.
        proc = subprocess.Popen(
            self.argv(command, limit), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=self.local_env(), start_new_session=True,
        )
        out, err, timed_out, overflowed = _collect(proc, limit, MAX_OUTPUT)
        status = None if timed_out or overflowed else proc.returncode
        return RunResult(command, status, out, err, started, time.monotonic() - t0,
                         timed_out, self.target, overflowed)


def _collect(proc: subprocess.Popen[bytes], limit: float, most: int
             ) -> tuple[bytes, bytes, bool, bool]:
    """stdout and stderr of ``proc`` until it ends, ``limit`` seconds pass or ``most`` bytes
    came (then its process group is killed); and whether it timed out or overflowed."""
    assert proc.stdout is not None and proc.stderr is not None
    buffers = {proc.stdout: bytearray(), proc.stderr: bytearray()}
    deadline = time.monotonic() + limit
    timed_out = overflowed = False
    with selectors.DefaultSelector() as selector:
        for pipe in buffers:
            selector.register(pipe, selectors.EVENT_READ)
        while selector.get_map() and not (timed_out or overflowed):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _events in selector.select(remaining):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                buffers[key.fileobj].extend(chunk)  # type: ignore[index]
                if sum(map(len, buffers.values())) > most:
                    overflowed = True
                    break
    if timed_out or overflowed:
        _kill_group(proc)
    else:
        proc.wait()
    for pipe in buffers:
        pipe.close()
    return bytes(buffers[proc.stdout]), bytes(buffers[proc.stderr]), timed_out, overflowed


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group the command runs in (its pipes' children included)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
