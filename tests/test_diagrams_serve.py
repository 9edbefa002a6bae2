"""A real ``mkdocs serve``: one edited script re-renders alone; a helper, its importers."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from diagrams_project import Project

pytestmark = pytest.mark.slow
TIMING = re.compile(
    r"diagrams: rebuild took [\d.]+ ms in hooks \(.*; (?P<lookups>\d+) cache lookups, "
    r"(?P<jobs>\d+) jobs, worker render [\d.]+ ms, worker processes started so far "
    r"(?P<started>\d+)\)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """``mkdocs serve`` in the background, its log collected line by line."""

    def __init__(self, project: Project, verbose: bool = False):
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{self.port}",
             *(["-v"] if verbose else [])],
            cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def summaries(self) -> list[str]:
        return [ln.split("execdocs: ", 1)[1] for ln in self.lines
                if "execdocs: diagrams:" in ln and "rebuild took" not in ln]

    def timing(self, count: int, timeout: float = 30) -> dict[str, int]:
        """The counts of build ``count``'s DEBUG timing line (``-v`` only; logged right after
        the summary line, so it may still be on its way)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m.groupdict() for m in map(TIMING.search, self.lines) if m]
            if len(found) >= count:
                return {k: int(v) for k, v in found[count - 1].items()}
            time.sleep(0.1)
        raise AssertionError("no timing line:\n" + "\n".join(self.lines))

    def wait_summary(self, count: int, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.summaries()) >= count:
                return self.summaries()[count - 1]
            assert self.proc.poll() is None, "\n".join(self.lines)
            time.sleep(0.2)
        raise AssertionError("no rebuild:\n" + "\n".join(self.lines))

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as r:
            return r.read().decode("utf-8")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def test_serve_rerenders_only_what_changed(tmp_path):
    project = Project(tmp_path / "proj")
    serve = Serve(project, verbose=True)
    try:
        assert serve.wait_summary(1) == "diagrams: 2 rendered, 0 from cache"
        time.sleep(1.5)  # let the watcher settle before editing
        script = project.root / "diagram_src" / "nodes.py"
        script.write_text(script.read_text().replace('"파드 2"', '"바뀐 파드"'))
        assert serve.wait_summary(2) == "diagrams: 1 rendered, 1 from cache"
        # The edited rebuild looks each referenced diagram up once and hands one job to the
        # workers; every pool slot got its process when serving began (the first build may
        # have run both jobs on one), so the edit starts none.
        first, edited = serve.timing(1), serve.timing(2)
        slots = min(2, os.cpu_count() or 1)  # the default pool size
        assert first["lookups"] == 2 and first["jobs"] == 2
        assert 1 <= first["started"] <= slots
        assert edited == {"lookups": 2, "jobs": 1, "started": slots}
        for _ in range(50):
            if "바뀐 파드" in serve.get("index.html"):
                break
            time.sleep(0.2)
        assert "바뀐 파드" in serve.get("index.html")

        helper = project.root / "diagram_src" / "_style.py"
        helper.write_text(helper.read_text().replace('"0.5"', '"0.6"'))
        # both sample diagrams import the helper
        assert serve.wait_summary(3) == "diagrams: 2 rendered, 0 from cache"
        helper_edit = serve.timing(3)
        assert (helper_edit["lookups"], helper_edit["jobs"]) == (2, 2)
        assert helper_edit["started"] == slots  # still one process per slot
    finally:
        serve.stop()
    assert not any("Traceback" in ln for ln in serve.lines), "\n".join(serve.lines)
