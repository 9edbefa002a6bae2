"""Hostile and broken scripts against real warm workers, real forked jobs and real Graphviz.

Each job runs in a child forked from a warm worker: what one script changes can't reach another
diagram; what it starts is killed when the job ends; its scratch folder goes in every outcome;
a crash is reported with its exit code or signal and the line reached.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from execdocs.diagrams.env import ICON_PX
from execdocs.diagrams.pool import WorkerPool
from execdocs.diagrams.render import DiagramRenderer, Settings

pytestmark = pytest.mark.slow

HEAD = "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n"
PLAIN_A = HEAD + "from diagrams.k8s.controlplane import APIServer\n" \
    "with Diagram('a'):\n    APIServer('api') >> Pod('파드 a')\n"
PLAIN_B = (
    "from _helper import LABEL\n" + HEAD + "from diagrams import Cluster, Edge\n"
    "with Diagram('b'):\n    with Cluster('묶음'):\n"
    "        Pod(LABEL) >> Edge(label='e') >> Pod('q')\n"
)
# Changes every kind of global state a later diagram could read: library class defaults,
# a helper module's value, the library's own functions, the cwd, an environment variable.
MUTATOR = (
    "import os\nimport diagrams\nimport _helper\n" + HEAD
    + "from diagrams import Cluster, Edge, Node\n"
    "Node._height = 9.0\n"
    "Diagram._default_graph_attrs['bgcolor'] = 'red'\n"
    "Diagram._default_node_attrs['fontsize'] = '40'\n"
    "Cluster._default_graph_attrs['bgcolor'] = 'blue'\n"
    "Edge._default_edge_attrs['color'] = 'green'\n"
    "_helper.LABEL = 'poisoned'\n"
    "Pod._icon = 'pod.png'\n"
    "orig = Node.__init__\n"
    "def evil(self, label='', **kw):\n    orig(self, 'EVIL ' + str(label), **kw)\n"
    "Node.__init__ = evil\n"
    "os.environ['DIAGRAMS_EVIL'] = '1'\n"
    "os.chdir('/')\n"
    "with Diagram('m'):\n    Pod('m')\n"
)


def _src(tmp_path: Path) -> Path:
    src = tmp_path / "diagram_src"
    src.mkdir(exist_ok=True)
    (src / "_helper.py").write_text("LABEL = '도움'\n")
    (src / "a.py").write_text(PLAIN_A)
    (src / "b.py").write_text(PLAIN_B)
    (src / "mutator.py").write_text(MUTATOR)
    return src


def _settings(tmp_path: Path, src: Path, cache: Path) -> Settings:
    return Settings(tmp_path, src, cache, timeout=20, workers=1, font="NanumGothic",
                    memory_mb=2048)


def _render(tmp_path: Path, src: Path, names: list[str], cache: str) -> dict[str, dict]:
    renderer = DiagramRenderer(_settings(tmp_path, src, tmp_path / cache))
    try:
        for name in names:
            renderer.request(name)
        out = {}
        for name in names:
            outcome = renderer.outcome(name)
            assert outcome.error is None, outcome.error
            out[name] = outcome.payload
        return out
    finally:
        renderer.close()


def test_a_script_mutating_globals_changes_no_other_diagram(tmp_path):
    src = _src(tmp_path)
    # One warm worker renders all three in this order, in one process tree.
    after = _render(tmp_path, src, ["mutator", "a", "b"], "cache-after")
    alone = _render(tmp_path, src, ["a", "b"], "cache-alone")
    assert after["a"] == alone["a"]
    assert after["b"] == alone["b"]
    # the mutation did happen in its own diagram (so the test can tell)
    assert "EVIL" in after["mutator"]["body"]
    assert "poisoned" not in after["b"]["body"] and "도움" in after["b"]["body"]


@pytest.fixture
def tmpdir_env(tmp_path, monkeypatch):
    """A TMPDIR of its own for the workers, to see what jobs leave in it."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    yield tmp


@pytest.fixture
def pool(tmpdir_env):
    p = WorkerPool(1)
    yield p
    p.close()
    # every job's scratch folder is gone, whatever the job did
    assert not list(tmpdir_env.glob("execdocs-job-*"))


def _job(src: Path, name: str, timeout: float = 20.0, memory_mb: int = 2048) -> dict:
    return {"name": name, "src_dir": str(src), "font": "NanumGothic", "dot": shutil.which("dot"),
            "timeout": timeout, "icon_px": ICON_PX, "memory_mb": memory_mb,
            "source_b64": base64.b64encode((src / f"{name}.py").read_bytes()).decode()}


def _run(pool: WorkerPool, src: Path, name: str, text: str, **kw) -> dict:
    (src / f"{name}.py").write_text(text)
    return pool.submit(_job(src, name, **kw)).result(timeout=120)


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                if marker.encode() in fh.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def test_children_started_through_ctypes_do_not_outlive_the_job(tmp_path, pool):
    src = _src(tmp_path)
    marker = tmp_path / f"leftover-{uuid.uuid4().hex}.sh"
    started = tmp_path / "started.log"
    marker.write_text(f"#!/bin/sh\necho $$ >> {started}\nsleep 300\n")
    marker.chmod(0o755)
    script = (
        "import ctypes\n" + HEAD
        + "libc = ctypes.CDLL(None)\n"
        f"libc.system(b'{marker} &')\n"  # a background child of a shell that exits
        f"libc.system(b'setsid {marker} &')\n"  # a new session
        f"libc.system(b'(setsid sh -c \"{marker} &\" &) ; sleep 0.2')\n"  # double fork
        "with Diagram('x'):\n    Pod('p')\n"
    )
    answer = _run(pool, src, "spawner", script)
    assert answer["ok"], answer
    assert len(started.read_text().split()) == 3  # all three were running
    assert _processes_with(marker.name) == []
    # and when the job fails or times out, the same
    failing = script.replace("with Diagram('x'):\n    Pod('p')\n", "1 / 0\n")
    assert not _run(pool, src, "spawner", failing)["ok"]
    looping = script.replace("with Diagram('x'):\n    Pod('p')\n", "while True:\n    pass\n")
    answer = _run(pool, src, "spawner", looping, timeout=1.5)
    assert answer["message"].startswith("timed out"), answer
    assert _processes_with(marker.name) == []


def test_memory_hog_stops_at_the_limit_with_its_line(tmp_path, pool):
    src = _src(tmp_path)
    hog = HEAD + "blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))\n"
    answer = _run(pool, src, "hog", hog, memory_mb=400)
    assert not answer["ok"]
    assert answer["message"].startswith("MemoryError: the script needed more than the memory "
                                        "limit (400 MB)"), answer
    assert (answer["file"], answer["line"]) == ("hog.py", 5)
    assert "memory_mb" in answer["hint"]
    # the default limit (2 GB) refuses a 3 GB allocation too
    big = HEAD + "x = bytearray(3 * 1024 ** 3)\n"
    answer = _run(pool, src, "big", big)
    assert "memory limit (2048 MB)" in answer["message"] and answer["line"] == 3
    # the warm worker itself is untouched
    assert _run(pool, src, "a", PLAIN_A)["ok"]
    assert pool.started == 1


def test_segfault_reports_the_signal_and_the_line(tmp_path, pool):
    src = _src(tmp_path)
    script = HEAD + "import ctypes\n\nwith Diagram('x'):\n    Pod('p')\n    ctypes.string_at(0)\n"
    answer = _run(pool, src, "segv", script)
    assert not answer["ok"]
    assert "killed by signal SIGSEGV" in answer["message"], answer
    assert (answer["file"], answer["line"]) == ("segv.py", 7)
    assert _run(pool, src, "a", PLAIN_A)["ok"]
    assert pool.started == 1


def test_os_exit_reports_the_exit_code_and_the_line(tmp_path, pool):
    src = _src(tmp_path)
    script = HEAD + "import os\nwith Diagram('x'):\n    Pod('p')\n    os._exit(3)\n"
    answer = _run(pool, src, "quits", script)
    assert not answer["ok"]
    assert "exited with code 3" in answer["message"], answer
    assert (answer["file"], answer["line"]) == ("quits.py", 6)
    # even exit code 0 without a reply is a failure, not an empty success
    answer = _run(pool, src, "quits", script.replace("os._exit(3)", "os._exit(0)"))
    assert not answer["ok"] and "exited with code 0" in answer["message"], answer


def test_a_forged_reply_is_refused_and_plants_nothing(tmp_path, tmpdir_env):
    src = _src(tmp_path)
    # The script finds the reply channel (every open descriptor) and writes a reply that
    # claims to be another diagram, with active content, then leaves before the real one.
    forged = {
        "ok": True, "width": "10pt", "height": "10pt", "viewbox": "0 0 10 10",
        "font": "NanumGothic", "script": "a.py", "line": 1, "deps": {}, "warnings": [],
        "links": [], "icon_paths": [],
        "body": '<foreignObject><script>alert(1)</script></foreignObject>'
                '<g onload="alert(2)"><text>forged</text></g>',
    }
    (src / "forger.py").write_text(
        "import json, os\n"
        f"forged = json.dumps({forged!r}).encode()\n"
        "for fd in range(3, 1024):\n"
        "    try:\n        os.write(fd, forged)\n    except OSError:\n        pass\n"
        "os._exit(0)\n"
    )
    cache = tmp_path / "cache"
    renderer = DiagramRenderer(_settings(tmp_path, src, cache))
    try:
        renderer.request("forger")
        renderer.request("a")
        bad = renderer.outcome("forger")
        assert bad.error is not None
        assert "reply was refused" in bad.error["message"], bad.error
        assert "foreignObject" in bad.error["message"]
        good = renderer.outcome("a")
        assert good.error is None and "forged" not in good.payload["body"]
    finally:
        renderer.close()
    # only a's entry is cached, and a fresh build serves a's real picture
    entries = [p.read_text() for p in (cache / "entries").glob("*.json")]
    assert len(entries) == 1 and "forged" not in entries[0] and "alert" not in entries[0]
    alone = _render(tmp_path, src, ["a"], "cache-alone")
    assert alone["a"] == good.payload
    assert not list(tmpdir_env.glob("execdocs-job-*"))


def test_a_forged_reply_of_the_right_shape_counts_for_its_own_diagram_only(tmp_path):
    src = _src(tmp_path)
    before = _render(tmp_path, src, ["a"], "cache")
    # A well-formed, allowed reply naming a.py: accepted as *forger's* picture, under
    # forger's key; a's entry is untouched.
    (src / "forger.py").write_text(
        "import json, os\n"
        "reply = {'ok': True, 'width': '10pt', 'height': '10pt', 'viewbox': '0 0 10 10',\n"
        "         'font': 'NanumGothic', 'script': 'a.py', 'line': 1, 'deps': {},\n"
        "         'warnings': [], 'links': [], 'icon_paths': [], 'body': '<text>planted</text>'}\n"
        "for fd in range(3, 1024):\n"
        "    try:\n        os.write(fd, json.dumps(reply).encode())\n    except OSError:\n"
        "        pass\nos._exit(0)\n"
    )
    renderer = DiagramRenderer(_settings(tmp_path, src, tmp_path / "cache"))
    try:
        renderer.request("forger")
        renderer.request("a")
        forger = renderer.outcome("forger")
        assert forger.error is not None and "names another script ('a.py')" in \
            forger.error["message"], forger
        assert renderer.outcome("a").from_cache
        assert renderer.outcome("a").payload == before["a"]
        assert "planted" not in renderer.outcome("a").payload["body"]
    finally:
        renderer.close()
    assert len(list((tmp_path / "cache" / "entries").glob("*.json"))) == 1


def test_a_script_that_kills_its_warm_worker_leaves_nothing(tmp_path, pool):
    src = _src(tmp_path)
    marker = tmp_path / f"orphan-{uuid.uuid4().hex}.sh"
    started = tmp_path / "started.log"
    marker.write_text(f"#!/bin/sh\necho $$ >> {started}\nsleep 300\n")
    marker.chmod(0o755)
    script = ("import ctypes, os, signal, time\n" + HEAD
              + f"ctypes.CDLL(None).system(b'{marker} &')\n"
              "time.sleep(0.3)\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)\n")
    answer = _run(pool, src, "parricide", script)
    assert not answer["ok"] and answer["message"] == "the render worker exited", answer
    assert len(started.read_text().split()) == 1
    for _ in range(50):  # the job's child dies with its worker (PDEATHSIG), at once or nearly
        if not _processes_with(marker.name):
            break
        time.sleep(0.1)
    assert _processes_with(marker.name) == []
    assert _run(pool, src, "a", PLAIN_A)["ok"]
    assert pool.started == 2  # a new warm worker for the next job


def test_lines_written_into_the_workers_protocol_answer_no_other_job(tmp_path):
    # The script reaches its warm worker's descriptors through /proc and writes, into every
    # pipe it can open, well-formed answers (and job announcements) for whatever job comes next.
    src = _src(tmp_path)
    forged = {"ok": True, "width": "10pt", "height": "10pt", "viewbox": "0 0 10 10",
              "font": "NanumGothic", "script": "a.py", "line": 1, "deps": {}, "warnings": [],
              "links": [], "icons": {}, "body": "<text>planted</text>", "seconds": 0.0}
    (src / "injector.py").write_text(
        "import json, os\n" + HEAD
        + f"line = (json.dumps({forged!r}) + '\\n') * 20\n"
        "fd_dir = f'/proc/{os.getppid()}/fd'\n"
        "for name in os.listdir(fd_dir):\n"
        "    try:\n        fd = os.open(os.path.join(fd_dir, name), os.O_WRONLY | os.O_NONBLOCK)\n"
        "    except OSError:\n        continue\n"
        "    try:\n        os.write(fd, line.encode())\n    except OSError:\n        pass\n"
        "    os.close(fd)\n"
        "with Diagram('x'):\n    Pod('injector')\n"
    )
    cache = tmp_path / "cache"
    renderer = DiagramRenderer(_settings(tmp_path, src, cache))
    try:
        for name in ("injector", "a", "b"):
            renderer.request(name)
        results = {name: renderer.outcome(name) for name in ("injector", "a", "b")}
    finally:
        renderer.close()
    assert results["injector"].error is None and "injector" in results["injector"].payload["body"]
    alone = _render(tmp_path, src, ["a", "b"], "cache-alone")
    assert results["a"].payload == alone["a"] and results["b"].payload == alone["b"]
    for entry in (cache / "entries").glob("*.json"):
        assert "planted" not in entry.read_text()


# Rewrites every entry of the cache folder it is given in place with a picture that passes
# the allowlist and the entry's own checksum (recomputed): what a script that knows the cache
# format can do, since it runs as the same user while the build does. It writes through libc
# (ctypes), past the accident guard that stops a plain open(..., "w").
CACHE_FORGER = (
    "import ctypes, hashlib, json, os, pathlib\n" + HEAD +
    "libc = ctypes.CDLL(None)\n"
    "def write(path, data):\n"
    "    fd = libc.open(str(path).encode(), os.O_WRONLY | os.O_TRUNC)\n"
    "    libc.write(fd, data, len(data))\n"
    "    libc.close(fd)\n" +
    "for path in pathlib.Path({cache!r}).glob('entries/*.json'):\n"
    "    record = json.loads(path.read_text())\n"
    "    record['payload']['body'] += '<text>forged</text>'\n"
    "    record['sha256'] = hashlib.sha256(json.dumps(record['payload'], sort_keys=True,\n"
    "        ensure_ascii=False).encode()).hexdigest()\n"
    "    write(path, json.dumps(record, sort_keys=True, ensure_ascii=False).encode())\n"
    "with Diagram('f'):\n    Pod('f')\n"
)


def test_cache_entries_forged_on_disk_by_a_script_are_never_trusted(tmp_path):
    src = _src(tmp_path)
    cache = tmp_path / "cache"
    first = _render(tmp_path, src, ["a", "b"], "cache")
    (src / "forger.py").write_text(CACHE_FORGER.format(cache=str(cache)))
    renderer = DiagramRenderer(_settings(tmp_path, src, cache))
    try:
        # the forger runs first; a is looked up after it rewrote a's and b's entries
        renderer.request("forger")
        assert renderer.outcome("forger").error is None, renderer.outcome("forger").error
        forged = [p for p in (cache / "entries").glob("*.json") if "forged" in p.read_text()]
        assert len(forged) == 2, "the script did not manage to forge the entries"
        renderer.request("a")
        outcome = renderer.outcome("a")
        assert outcome.error is None and not outcome.from_cache  # rendered again, not trusted
        assert outcome.payload == first["a"]
        # b is not on this build's pages: its forged entry is removed at the end
        renderer.finish({})
        assert "1 cache files changed by another process during the build were removed" in \
            renderer.summary(), renderer.summary()
    finally:
        renderer.close()
    # nothing forged is left for the next build, which equals a cold render
    assert not [p for p in (cache / "entries").glob("*.json") if "forged" in p.read_text()]
    (src / "forger.py").unlink()
    again = _render(tmp_path, src, ["a", "b"], "cache")
    assert again == _render(tmp_path, src, ["a", "b"], "cache-cold") == first


def test_forged_entries_of_a_build_that_stopped_early_are_removed_on_close(tmp_path):
    src = _src(tmp_path)
    cache = tmp_path / "cache"
    first = _render(tmp_path, src, ["a"], "cache")
    (src / "forger.py").write_text(CACHE_FORGER.format(cache=str(cache)))
    renderer = DiagramRenderer(_settings(tmp_path, src, cache))
    try:
        renderer.request("forger")
        renderer.outcome("forger")
    finally:
        renderer.close()  # no finish(): the build failed elsewhere; on_shutdown still closes
    fresh = _render(tmp_path, src, ["a"], "cache")
    assert fresh == first and "forged" not in fresh["a"]["body"]


def test_the_worker_preloads_library_modules_only():
    """The warm worker imports the ``diagrams.*`` modules a script names (so every child finds
    them loaded), never the script, a helper or a module from outside the library.
    test_a_script_mutating_globals_changes_no_other_diagram mutates such a preloaded class
    (``Pod`` of ``diagrams.k8s.compute``): each child still starts from the fresh import."""
    source = (b"import os\nfrom diagrams.k8s.compute import Pod\nimport diagrams.aws.network\n"
              b"from diagrams.nope import X\nfrom _helper import LABEL\nimport diagramsx.y\n"
              b"  from diagrams.k8s.compute import Pod  # again\n")
    code = ("import sys\nfrom execdocs.diagrams import job\n"
            f"print(job.preload({source!r}))\n"
            "print(sorted(m for m in ('diagrams.nope', '_helper', 'diagramsx') "
            "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parent)
    assert out.stdout.splitlines() == ["['diagrams.k8s.compute', 'diagrams.aws.network']", "[]"]


def test_without_pidfd_open_jobs_end_and_report_as_with_it(tmp_path):
    """Where ``pidfd_open`` is missing (Linux < 5.3; Valgrind, under which the benchmark counts
    a cold build, answers ENOSYS) the worker polls for the child's end: a diagram renders to
    the same answer as with a pidfd, a loop still times out at its line, ``os._exit`` still
    reports its code. Real forked jobs and real Graphviz; only the syscall is taken away."""
    src = _src(tmp_path)
    (src / "loop.py").write_text("import time\nwhile True:\n    time.sleep(0.01)\n")
    (src / "leave.py").write_text("import os\nos._exit(3)\n")
    jobs = {name: _job(src, name, timeout=1.0) for name in ("a", "loop", "leave")}
    code = (
        "import errno, json, os, sys\n"
        "from execdocs.diagrams import job, procs, worker\n"
        "job.install_patches(); job.install_audit_hook(); procs.become_subreaper()\n"
        "jobs = json.loads(sys.stdin.read())\n"
        "with_pidfd = worker.run_job(jobs['a'])\n"
        "def nosys(pid):\n    raise OSError(errno.ENOSYS, 'Function not implemented')\n"
        "os.pidfd_open = nosys\n"
        "out = {name: worker.run_job(j) for name, j in jobs.items()}\n"
        "out['with_pidfd'] = with_pidfd\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(jobs),
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["a"]["ok"] is True and out["a"] == out["with_pidfd"]
    assert out["loop"]["ok"] is False and "timed out" in out["loop"]["message"]
    assert (out["loop"]["file"], out["loop"]["line"]) == ("loop.py", 3)
    assert out["leave"]["ok"] is False and "code 3" in out["leave"]["message"]
    assert (out["leave"]["file"], out["leave"]["line"]) == ("leave.py", 2)


def _processes_in(tmpdir: Path) -> list[int]:
    """Processes whose environment names ``tmpdir`` (the build's workers, jobs and their
    children all inherit it)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/environ", "rb") as fh:
                    if f"TMPDIR={tmpdir}".encode() in fh.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_build_killed_mid_render_leaves_nothing_running_and_no_folder(tmp_path, how):
    # A CI timeout or a kill -9 gives the build no chance to stop its workers: each worker
    # is told by the kernel that its build died, and ends its job (the script, a daemon the
    # script started, the job's folder) on the way out.
    from diagrams_project import Project

    project = Project(tmp_path / "proj")
    yml = project.root / "mkdocs.yml"  # the job must still run when the build is killed
    yml.write_text(yml.read_text("utf-8").replace("timeout: 3", "timeout: 120"), "utf-8")
    marker = tmp_path / f"daemon-{uuid.uuid4().hex}.sh"
    marker.write_text("#!/bin/sh\nsleep 300\n")
    marker.chmod(0o755)
    project.script("slow", "import ctypes, time\n" + HEAD
                   + f"ctypes.CDLL(None).system(b'{marker} &')\ntime.sleep(60)\n"
                   "with Diagram('x'):\n    Pod('p')\n")
    project.page("index.md", "# 홈\n\n![느린 그림](diagram:slow)\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project.root,
        env={**os.environ, "TMPDIR": str(tmp), "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # the job has started its daemon
            if _processes_with(marker.name):
                break
            time.sleep(0.05)
        assert _processes_with(marker.name), "the job never started"
        assert list(tmp.glob("execdocs-job-*"))
        build.send_signal(how)
        build.wait(timeout=30)
        for _ in range(100):
            if not _processes_in(tmp) and not list(tmp.iterdir()):
                break
            time.sleep(0.05)
        assert _processes_in(tmp) == []
        assert _processes_with(marker.name) == []
        assert list(tmp.iterdir()) == []  # no job folder, no worker files
    finally:
        build.kill()
        for pid in _processes_in(tmp):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
