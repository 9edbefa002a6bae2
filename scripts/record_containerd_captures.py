"""Re-record the site's `ctr` captures (session containerd-standalone) from a real daemon.

What runs: Debian's containerd 1.6 + runc as a standalone daemon in a temporary folder (own
config, root, state, socket; CRI plugin off), an image built here from Debian's busybox-static
as an OCI archive and imported into namespace k8s.io, one container `demo` with a running task.
Then `execdocs capture --session containerd-standalone --update --accept` refreshes every capture
of that session through CONTAINERD_ADDRESS, and the daemon is stopped. It is not a k3s node, and
the session says so. Run as root: bash scripts/record-containerd-captures.sh
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the same lab the capture tests use

from capture_lab import containerd_lab  # noqa: E402
from execdocs.cli import main  # noqa: E402

SESSION = "containerd-standalone"
CONTAINER = "demo"


def busybox_version() -> str:
    """Upstream part of Debian's busybox-static version (1:1.35.0-4+b1 -> 1.35.0)."""
    full = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "busybox-static"],
                          capture_output=True, text=True, check=True).stdout
    return full.split(":", 1)[-1].split("-", 1)[0]


def run(argv: list[str]) -> int:
    # `localhost/`: an image built on this machine, not one pulled from a registry.
    ref = f"localhost/busybox-static:{busybox_version()}"
    system = "단독 containerd 데몬(Debian 12, runc) — k3s 노드가 아님"
    note = (f"임시 폴더에 띄운 단독 containerd(CRI 플러그인 끔)에 busybox-static으로 "
            f"만든 로컬 이미지({ref})와 컨테이너 '{CONTAINER}' 하나. "
            "k3s 노드라면 kube-system Pod의 컨테이너도 보입니다.")
    with containerd_lab(CONTAINER, ref=ref) as lab:
        return main(["capture", "--session", SESSION, "--captures", str(ROOT / "captures"),
                     "--update", "--accept", "--system", system, "--note", note,
                     "--env", f"CONTAINERD_ADDRESS={lab.socket}", *argv])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
