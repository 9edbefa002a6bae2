"""Real warm workers: one per slot, reused across jobs, each job in a fresh forked child; a
looping script is stopped at its line and the warm worker survives it."""

from __future__ import annotations

import base64
import re
import shutil
import time

import pytest
from execdocs.diagrams.env import ICON_PX
from execdocs.diagrams.pool import WorkerPool

pytestmark = pytest.mark.slow


def _job(src, name, timeout=5.0, memory_mb=2048):
    raw = (src / f"{name}.py").read_bytes()
    return {"name": name, "src_dir": str(src), "font": "NanumGothic", "dot": shutil.which("dot"),
            "timeout": timeout, "icon_px": ICON_PX, "memory_mb": memory_mb,
            "source_b64": base64.b64encode(raw).decode()}


@pytest.fixture
def pool():
    p = WorkerPool(1)
    yield p
    p.close()


def test_one_worker_serves_many_jobs(tmp_path, pool):
    (tmp_path / "a.py").write_text(
        "import os\nfrom diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"
        "with Diagram('a'):\n    Pod(f'{os.getppid()}/{os.getpid()}')\n")
    first = pool.submit(_job(tmp_path, "a")).result(timeout=60)
    second = pool.submit(_job(tmp_path, "a")).result(timeout=60)
    assert first["ok"] and second["ok"]
    assert pool.started == 1
    # the label is "warm worker pid/job pid": one warm worker, a new child for every job
    labels = [re.search(r">(\d+)/(\d+)<", a["body"]).groups() for a in (first, second)]
    assert labels[0][0] == labels[1][0]
    assert labels[0][1] != labels[1][1]
    assert labels[0][0] != labels[0][1]


def test_warm_starts_the_slot_the_first_build_left_idle(tmp_path):
    # mkdocs serve: the first build ran its only job on one worker; warming (on_serve) must
    # start the other slot's process too, so that no later edit pays a process start.
    (tmp_path / "a.py").write_text(
        "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"
        "with Diagram('a'):\n    Pod('p')\n")
    pool = WorkerPool(2)
    try:
        assert pool.submit(_job(tmp_path, "a")).result(timeout=60)["ok"]
        assert pool.started == 1
        assert sum(w.running() for w in pool._workers) == 1
        pool.warm()
        assert pool.started == 2
        assert sum(w.running() for w in pool._workers) == 2
        pool.warm()  # idempotent
        jobs = [pool.submit(_job(tmp_path, "a")) for _ in range(4)]
        assert all(job.result(timeout=60)["ok"] for job in jobs)
        assert pool.started == 2  # no process started after warming
    finally:
        pool.close()


def test_timeout_names_the_looping_line_and_the_pool_recovers(tmp_path, pool):
    (tmp_path / "loop.py").write_text(
        "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"
        "with Diagram('x'):\n    Pod('p')\n    n = 0\n    while True:\n        n += 1\n")
    (tmp_path / "ok.py").write_text(
        "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"
        "with Diagram('x'):\n    Pod('p')\n")
    started = time.monotonic()
    answer = pool.submit(_job(tmp_path, "loop", timeout=1.0)).result(timeout=60)
    assert time.monotonic() - started < 30  # stopped, not left running
    assert not answer["ok"]
    assert answer["message"].startswith("timed out after 1.0 s")
    assert answer["file"] == "loop.py" and answer["line"] in (6, 7)
    after = pool.submit(_job(tmp_path, "ok")).result(timeout=60)
    assert after["ok"]
    assert pool.started == 1  # only the job's child was stopped; the warm worker lives on


def test_prints_do_not_corrupt_the_protocol(tmp_path, pool):
    (tmp_path / "noisy.py").write_text(
        "import os, sys\nprint('{not json')\nos.write(1, b'raw fd write\\n')\n"
        "sys.stderr.write('err\\n')\n"
        "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"
        "with Diagram('x'):\n    Pod('p')\n")
    answer = pool.submit(_job(tmp_path, "noisy")).result(timeout=60)
    assert answer["ok"], answer


def test_a_second_slot_opens_only_when_the_build_waits_for_a_queued_job(tmp_path):
    """A build starts one worker; the renderer opens the other slots when a page waits for a
    job no worker has taken (pool.grow): pages that keep behind the renders never pay for a
    second worker's start, a build that outruns them renders in parallel."""
    from execdocs.diagrams.render import DiagramRenderer, Settings

    src = tmp_path / "diagram_src"
    src.mkdir()
    for name in ("a", "b", "c"):
        (src / f"{name}.py").write_text(
            "import time\nfrom diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"
            f"time.sleep(0.3)\nwith Diagram('{name}'):\n    Pod('{name}')\n")
    settings = Settings(tmp_path, src, tmp_path / "cache", timeout=20, workers=2,
                        font="NanumGothic", memory_mb=2048)
    renderer = DiagramRenderer(settings)
    try:
        for name in ("a", "b", "c"):
            renderer.request(name)
        # one slot: it takes a; c is still queued behind b when it is waited for
        assert renderer.outcome("c").error is None
        assert all(renderer.outcome(n).error is None for n in ("a", "b"))
        assert renderer.pool.started == 2
    finally:
        renderer.close()
    renderer = DiagramRenderer(Settings(tmp_path, src, tmp_path / "cache2", timeout=20,
                                        workers=2, font="NanumGothic", memory_mb=2048))
    try:
        for name in ("a", "b"):
            renderer.request(name)
            future = renderer.state.pending[name]
            deadline = time.monotonic() + 30
            while not (future.running() or future.done()) and time.monotonic() < deadline:
                time.sleep(0.01)  # the one slot takes it: the page waits for a running job
            assert renderer.outcome(name).error is None
        assert renderer.pool.started == 1
    finally:
        renderer.close()


@pytest.mark.parametrize(("value", "seconds"), [
    (None, 5.0), ("", 5.0), ("abc", 5.0), ("0", 5.0), ("-3", 5.0), ("inf", 5.0), ("nan", 5.0),
    ("900", 900.0), ("0.5", 0.5),
])
def test_the_wait_for_a_stopped_worker_is_5_s_unless_set(monkeypatch, value, seconds):
    """bench_diagrams --instructions sets EXECDOCS_DIAGRAMS_WORKER_EXIT_S (under Valgrind a
    worker's exit takes longer than 5 s); anything but a positive number is the default."""
    from execdocs.diagrams import pool as poolmod

    if value is None:
        monkeypatch.delenv("EXECDOCS_DIAGRAMS_WORKER_EXIT_S", raising=False)
    else:
        monkeypatch.setenv("EXECDOCS_DIAGRAMS_WORKER_EXIT_S", value)
    assert poolmod._exit_wait_s() == seconds


def test_answers_are_one_line_of_the_same_json_with_text_unescaped():
    """worker._json_line: Korean as itself (cheaper to write and read), the same value as
    json.dumps gives, line breaks escaped; a lone surrogate (not UTF-8) falls back to the
    escaped form instead of failing the answer."""
    import json

    from execdocs.diagrams.worker import _json_line

    answer = {"body": '<text>컨트롤 플레인\n"q"\\\u2028</text>', "line": 3,
              "links": [{"url": "https://예.example/\r", "file": "a.py", "line": 1}]}
    line = _json_line(answer)
    assert "컨트롤" in line and "\n" not in line and "\r" not in line
    assert json.loads(line) == answer == json.loads(json.dumps(answer))
    line.encode("utf-8")
    odd = {"links": [{"url": "x\udc80", "file": "a.py", "line": 1}]}
    assert _json_line(odd) == json.dumps(odd)
