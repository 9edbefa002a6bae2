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
