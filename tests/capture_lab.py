"""A real containerd daemon for the capture-tool tests, and an image built here from busybox-static.

Nothing is mocked: the daemon is Debian's ``containerd`` 1.6 with ``runc``, started as root with
its own config, root, state and socket in a short temporary folder (a unix socket path must stay
under 108 bytes, pytest's tmp_path can be longer). No registry is reachable, so the image is an
OCI archive written here from ``/usr/bin/busybox`` (Debian ``busybox-static``) and imported with
``ctr -n k8s.io images import``. The lab stops every task, shim and the daemon itself on close.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BUSYBOX = Path("/usr/bin/busybox")
IMAGE_REF = "docker.io/library/busybox-static:lab"
NAMESPACE = "k8s.io"
# Applets the image needs: the container's main process is `sleep` under `sh`.
APPLETS = ("sh", "sleep", "ls", "cat", "echo", "true")
_OCI_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _layer_tar(busybox: Path) -> bytes:
    """An uncompressed, reproducible layer: /bin/busybox plus applet symlinks, /tmp, /proc."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in ("bin", "tmp", "proc", "dev", "sys", "etc"):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        data = busybox.read_bytes()
        info = tarfile.TarInfo("bin/busybox")
        info.size, info.mode, info.mtime = len(data), 0o755, 0
        tar.addfile(info, io.BytesIO(data))
        for applet in APPLETS:
            info = tarfile.TarInfo(f"bin/{applet}")
            info.type, info.linkname, info.mode, info.mtime = tarfile.SYMTYPE, "busybox", 0o777, 0
            tar.addfile(info)
    return buf.getvalue()


def write_busybox_oci_archive(dest: Path, ref: str = IMAGE_REF, busybox: Path = BUSYBOX) -> str:
    """Write an OCI image-layout tar holding one image built from ``busybox``; return its
    manifest digest. Written by hand because no registry (and no image builder) is available."""
    arch = _OCI_ARCH.get(platform.machine(), platform.machine())
    layer = _layer_tar(busybox)
    config = json.dumps({
        "architecture": arch,
        "os": "linux",
        "config": {"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": [_digest(layer)]},
    }, sort_keys=True).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": _digest(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": _digest(layer), "size": len(layer)}],
    }, sort_keys=True).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": _digest(manifest), "size": len(manifest),
            "platform": {"architecture": arch, "os": "linux"},
            # containerd names the image from this annotation; ref.name is the OCI spelling.
            "annotations": {"io.containerd.image.name": ref,
                            "org.opencontainers.image.ref.name": ref.rsplit(":", 1)[1]},
        }],
    }, sort_keys=True).encode()
    entries = {"oci-layout": b'{"imageLayoutVersion":"1.0.0"}', "index.json": index}
    for blob in (layer, config, manifest):
        entries["blobs/sha256/" + _digest(blob).split(":", 1)[1]] = blob
    with tarfile.open(dest, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirname in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(dirname)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return _digest(manifest)


@dataclass
class ContainerdLab:
    """One containerd daemon in its own folder; ``ctr()`` talks to it through its socket."""

    base: Path
    ref: str = IMAGE_REF
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.base / "containerd.log"

    @property
    def socket(self) -> Path:
        return self.base / "containerd.sock"

    @property
    def env(self) -> dict[str, str]:
        """Environment that points ``ctr`` at this daemon (what the capture runner passes on)."""
        return {"CONTAINERD_ADDRESS": str(self.socket), "CONTAINERD_SNAPSHOTTER": "overlayfs"}

    def write_config(self) -> Path:
        config = self.base / "config.toml"
        # The CRI plugin would want CNI and a sandbox image; nothing here needs it.
        config.write_text(
            "version = 2\n"
            f'root = "{self.base / "root"}"\n'
            f'state = "{self.base / "state"}"\n'
            'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n'
            "[grpc]\n"
            f'  address = "{self.socket}"\n'
            "[ttrpc]\n"
            f'  address = "{self.socket}.ttrpc"\n'
            "[debug]\n"
            '  address = ""\n'
            "[metrics]\n"
            '  address = ""\n'
            '[plugins."io.containerd.internal.v1.opt"]\n'
            f'  path = "{self.base / "opt"}"\n'
        )
        return config

    def start(self, timeout: float = 20.0) -> None:
        """Start the daemon and wait until ``ctr version`` answers through the socket."""
        if os.geteuid() != 0:
            raise RuntimeError("the containerd lab needs root (containerd and runc run as root)")
        config = self.write_config()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["containerd", "--config", str(config)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"containerd exited {code}:\n{self.log_tail()}")
            if self.socket.exists() and self.ctr("version", check=False).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"containerd did not answer within {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def ctr(
        self, *args: str, check: bool = True, timeout: float = 60.0
    ) -> subprocess.CompletedProcess[str]:
        """Run ``ctr -n k8s.io ARGS`` against this daemon."""
        proc = subprocess.run(
            ["ctr", "-n", NAMESPACE, *args], capture_output=True, text=True,
            env={**os.environ, **self.env}, timeout=timeout, check=False,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(f"ctr {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
        return proc

    def import_busybox(self) -> str:
        """Build the busybox OCI archive and import it into namespace k8s.io; return the ref."""
        archive = self.base / "busybox-oci.tar"
        write_busybox_oci_archive(archive, self.ref)
        self.ctr("images", "import", str(archive))
        return self.ref

    def run_sleeper(self, container_id: str) -> None:
        """Create container ``container_id`` and start its task (``sleep`` as PID 1), detached."""
        self.ctr("run", "-d", self.ref, container_id, "/bin/sleep", "3600")

    def task_status(self, container_id: str) -> str | None:
        for line in self.ctr("tasks", "ls").stdout.splitlines()[1:]:
            parts = line.split()
            if parts and parts[0] == container_id:
                return parts[-1]
        return None

    def remove(self, container_id: str) -> None:
        """Kill the task, delete it and the container (used to change the daemon's state)."""
        self.ctr("tasks", "kill", "-s", "SIGKILL", container_id, check=False)
        deadline = time.monotonic() + 10
        while (self.task_status(container_id) not in (None, "STOPPED")
               and time.monotonic() < deadline):
            time.sleep(0.1)
        self.ctr("tasks", "delete", container_id, check=False)
        self.ctr("containers", "delete", container_id)

    def stop(self) -> None:
        """Remove every container (so no shim survives), stop the daemon, delete the folder."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(Exception):
                for line in self.ctr("containers", "ls", "-q").stdout.split():
                    self.remove(line)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        # Overlay mounts of a removed container are gone; unmount anything left before deleting.
        subprocess.run(["sh", "-c", f"grep -o ' {self.base}[^ ]*' /proc/mounts | sort -r | "
                        "xargs -r -n1 umount -l"], check=False, capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


@contextlib.contextmanager
def containerd_lab(with_sleeper: str | None = "web-1", ref: str = IMAGE_REF):
    """A started lab with the busybox image imported and (optionally) one running container."""
    lab = ContainerdLab(Path(tempfile.mkdtemp(prefix="ctrd-", dir="/tmp")), ref=ref)
    try:
        lab.start()
        lab.import_busybox()
        if with_sleeper:
            lab.run_sleeper(with_sleeper)
        yield lab
    finally:
        lab.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def sshd_lab():
    """A real OpenSSH server on 127.0.0.1 (non-default port, own host key and authorized key in
    a temporary folder, root key login only); yields the ``ssh -F`` config file for host
    ``lab``. The server is stopped on exit."""
    base = Path(tempfile.mkdtemp(prefix="sshd-", dir="/tmp"))
    proc: subprocess.Popen[bytes] | None = None
    try:
        for name in ("hostkey", "clientkey"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                            str(base / name)], check=True)
        (base / "authorized_keys").write_text((base / "clientkey.pub").read_text())
        (base / "authorized_keys").chmod(0o600)
        port = _free_port()
        (base / "sshd_config").write_text(
            f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {base / 'hostkey'}\n"
            f"AuthorizedKeysFile {base / 'authorized_keys'}\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
            f"StrictModes no\nUsePAM no\nUseDNS no\nPidFile {base / 'sshd.pid'}\n")
        (base / "known_hosts").write_text(
            f"[127.0.0.1]:{port} {(base / 'hostkey.pub').read_text()}")
        config = base / "ssh_config"
        config.write_text(
            f"Host lab\n  HostName 127.0.0.1\n  Port {port}\n  User root\n"
            f"  IdentityFile {base / 'clientkey'}\n  IdentitiesOnly yes\n"
            f"  UserKnownHostsFile {base / 'known_hosts'}\n  StrictHostKeyChecking yes\n")
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation directory
        with (base / "sshd.log").open("wb") as log:
            proc = subprocess.Popen(
                ["/usr/sbin/sshd", "-D", "-e", "-f", str(base / "sshd_config")],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                raise RuntimeError("sshd exited: " + (base / "sshd.log").read_text())
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("sshd did not listen: " + (base / "sshd.log").read_text())
            time.sleep(0.05)
        yield config
    finally:
        if proc is not None:
            # The session processes sshd forked are in its process group (start_new_session).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)
