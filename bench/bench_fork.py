"""Benchmark: what a fresh forked child per diagram costs (issue 12), measured, not judged.

Three medians over ``--runs`` jobs each, in one warm worker (``WorkerPool(1)``), icons already
downscaled by the worker (its memo is warm after the first job):

- ``noop``: a script that draws nothing (fails at once): fork, descriptor set-up, rlimit,
  watchdog, reply, process-tree sweep, scratch removal, no Graphviz;
- ``job``: one diagram of 8 k8s icons as the worker reports it (fork + script + dot + SVG);
- ``in-process``: the same script run by ``job.render_job`` in this process, reused between
  runs (what a reused worker did before the fork server; no fork, no cleanup).

``job - in-process`` is the fork cost per diagram. The machine is shared: compare numbers
from one run, and read them as measurements, not verdicts.

    .venv/bin/python bench/bench_fork.py [--runs 30]
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_diagrams import script  # noqa: E402 - the same 8-icon diagram as the build bench
from execdocs.diagrams.env import ICON_PX  # noqa: E402
from execdocs.diagrams.pool import WorkerPool  # noqa: E402


def _job(src: Path, name: str) -> dict:
    return {"name": name, "src_dir": str(src), "font": "NanumGothic", "dot": shutil.which("dot"),
            "timeout": 30, "icon_px": ICON_PX, "memory_mb": 2048,
            "source_b64": base64.b64encode((src / f"{name}.py").read_bytes()).decode()}


def _in_process(job: dict, runs: int) -> list[float]:
    from execdocs.diagrams import job as jobmod
    from execdocs.diagrams import svg as svgmod

    jobmod.install_patches()
    times = []
    cwd, path = os.getcwd(), list(sys.path)
    for _ in range(runs):
        work = tempfile.mkdtemp(prefix="bench-fork-")
        started = time.perf_counter()
        answer = jobmod.render_job(job, work)
        svgmod.resolve_icons(answer, ICON_PX)
        times.append(time.perf_counter() - started)
        os.chdir(cwd)
        sys.path[:] = path
        shutil.rmtree(work)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    src = Path(tempfile.mkdtemp(prefix="bench-fork-src-"))
    try:
        (src / "noop.py").write_text("x = 1\n")
        (src / "eight.py").write_text(script(0))
        pool = WorkerPool(1)
        try:
            assert pool.submit(_job(src, "eight")).result()["ok"]  # warm the icon memo
            noop = [pool.submit(_job(src, "noop")).result()["seconds"] for _ in range(args.runs)]
            jobs = []
            for _ in range(args.runs):
                answer = pool.submit(_job(src, "eight")).result()
                assert answer["ok"], answer
                jobs.append(answer["seconds"])
        finally:
            pool.close()
        inproc = _in_process(_job(src, "eight"), args.runs)
    finally:
        shutil.rmtree(src, ignore_errors=True)
    med = {k: statistics.median(v) * 1000 for k, v in
           (("noop", noop), ("job", jobs), ("in-process", inproc))}
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"{args.runs} runs each, medians\n")
    print("| noop job (fork + cleanup) | 8-icon diagram, forked job | same, in-process | "
          "fork cost per diagram |")
    print("|---|---|---|---|")
    print(f"| {med['noop']:.1f} ms | {med['job']:.1f} ms | {med['in-process']:.1f} ms | "
          f"{med['job'] - med['in-process']:.1f} ms |")


if __name__ == "__main__":
    main()
