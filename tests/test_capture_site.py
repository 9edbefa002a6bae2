"""The site's `ctr` captures (session containerd-standalone) are reproducible from a real daemon:
re-recording them with scripts/record_containerd_captures.py into a copy shows only volatile
drift (PIDs). A structural change here means the committed captures no longer describe what a
standalone containerd on this Debian prints: re-record them with
scripts/record-containerd-captures.sh."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from execdocs.snippets import store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import record_containerd_captures  # noqa: E402
from capture_lab import containerd_lab  # noqa: E402
from execdocs.cli import main  # noqa: E402

pytestmark = pytest.mark.slow


def test_committed_ctr_captures_match_a_live_daemon(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    committed = store.load_session(ROOT / "captures" / "containerd-standalone")
    assert committed.provenance == "captured"
    assert "k3s 노드가 아님" in committed.system  # honest: not a k3s node
    assert committed.versions["containerd-server"] and committed.versions["runc"]
    assert all(c.captured for c in committed.captures)

    copy = tmp_path / "captures"
    shutil.copytree(ROOT / "captures" / "containerd-standalone", copy / "containerd-standalone")
    assert record_containerd_captures.run(["--captures", str(copy)]) == 0
    out = capsys.readouterr().out
    verdicts = [line for line in out.splitlines() if line.startswith("[")]
    assert len(verdicts) == len(committed.captures) == 3
    for line in verdicts:
        assert ", identical" in line or ", volatile-only" in line, out


def test_site_pages_select_only_their_ctr_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """From the real pages, `--session containerd-standalone` runs the three ctr commands of the
    fences that name that session (the same fence text on two pages counts once), nothing of
    the default k3s session, and (--run) writes nothing."""
    ref = f"localhost/busybox-static:{record_containerd_captures.busybox_version()}"
    before = {p: p.read_bytes() for p in (ROOT / "captures").rglob("*") if p.is_file()}
    with containerd_lab(record_containerd_captures.CONTAINER, ref=ref) as lab:
        rc = main(["capture", str(ROOT / "docs" / "k3s-containerd.md"),
                   str(ROOT / "docs" / "kubelet.md"), "--session", "containerd-standalone",
                   "--config-file", str(ROOT / "mkdocs.yml"),
                   "--env", f"CONTAINERD_ADDRESS={lab.socket}", "--run"])
    assert rc == 0
    out = capsys.readouterr().out
    runs = [line.split("  → ")[0] for line in out.splitlines() if line.startswith("[")]
    assert runs == ["[1/3] $ sudo ctr -n k8s.io containers ls",
                    "[2/3] $ sudo ctr -n k8s.io tasks ls",
                    "[3/3] $ sudo ctr -n k8s.io images ls"]
    assert "belong to other sessions" in out
    after = {p: p.read_bytes() for p in (ROOT / "captures").rglob("*") if p.is_file()}
    assert after == before
