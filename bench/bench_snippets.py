"""Benchmark: what the snippet checks and rendering add to a MkDocs build, and `execdocs check`.

Generates (under bench/out/snippets/, git-ignored) a site of 300 pages with 10 console commands
each -- 3,000 commands, every one with a capture of a ~12-line kubectl-style table and a
table assertion, fences spread over plain text, admonitions and content tabs -- then times, in
one run and alternating so both see the same machine state:

  * ``mkdocs build`` with the execdocs snippets feature off (same pages, plain fences)
  * ``mkdocs build`` with it on (parse, match, check, render, place)
  * ``execdocs check`` on the same project
  * loading the 3,000 captures alone

Usage: .venv/bin/python bench/bench_snippets.py [--pages 300] [--commands 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from execdocs.snippets.store import (
    Capture,
    Session,
    capture_filename,
    load_store,
    save_capture,
    save_session,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "snippets"

MKDOCS_YML = """\
site_name: bench
docs_dir: docs
use_directory_urls: false
theme:
  name: material
  language: ko
  features: [content.code.copy]
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - search
  - execdocs:
      snippets:
        enabled: {enabled}
        session: bench
"""

PARAGRAPH = ("kubelet은 노드에서 Pod를 원하는 상태로 유지하는 에이전트입니다. 컨테이너 런타임"
             "(containerd)에 CRI로 요청해 이미지를 받고 컨테이너를 만들고 시작합니다.\n")


def _output(i: int) -> bytes:
    """A kubectl-style table, padded like Go's tabwriter (3 blanks between columns)."""
    rows = [["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]]
    for j in range(11):
        rows.append([f"app-{i:05d}-{j:02d}-7c5ddbdf54", "1/1", "Running", "0", f"{j + 1}d",
                     f"10.42.{j}.{i % 250}", f"k3s-agent-{j % 3}"])
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = ["   ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip()
             for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _fence(cmds: list[str], indent: str = "") -> str:
    directive = [f"{indent}<!-- execdocs"]
    for c in cmds:
        directive += [f"{indent}$ {c}", f"{indent}  STATUS=Running", f"{indent}  rows=11"]
    directive.append(f"{indent}-->")
    body = [f"{indent}```console"] + [f"{indent}$ {c}" for c in cmds] + [f"{indent}```"]
    return "\n".join(directive + body) + "\n"


def generate(pages: int, per_page: int) -> None:
    """Write mkdocs.yml, the pages and one capture per command under bench/out/snippets."""
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "docs").mkdir(parents=True)
    save_session(Session(name="bench", system="generated", provenance="illustrative"),
                 OUT / "captures" / "bench")
    n = 0
    for p in range(pages):
        cmds = []
        for _ in range(per_page):
            cmds.append(f"kubectl get pods -n ns-{n:05d} -o wide")
            cap = Capture(command=cmds[-1], run=cmds[-1], stdout=_output(n))
            save_capture(cap, OUT / "captures" / "bench" / capture_filename(cmds[-1]))
            n += 1
        parts = [f"# 페이지 {p}\n", PARAGRAPH]
        # four commands at top level (two fences), three in an admonition, three in tabs
        parts += [_fence(cmds[0:2]), PARAGRAPH, _fence(cmds[2:4]), PARAGRAPH]
        parts += ['!!! note "메모"\n', _fence(cmds[4:7], "    "), PARAGRAPH]
        parts += ['=== "탭 A"\n\n', _fence(cmds[7:9], "    "), '\n=== "탭 B"\n\n',
                  _fence(cmds[9:], "    "), PARAGRAPH]
        (OUT / "docs" / f"page{p:03d}.md").write_text("\n".join(parts), encoding="utf-8")


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the child) of one run."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=OUT, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _config(enabled: bool) -> Path:
    path = OUT / ("mkdocs-on.yml" if enabled else "mkdocs-off.yml")
    path.write_text(MKDOCS_YML.format(enabled=str(enabled).lower()), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--commands", type=int, default=10, help="commands per page")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    generate(args.pages, args.commands)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    off_cfg, on_cfg = _config(False), _config(True)
    check = [str(Path(sys.executable).with_name("execdocs")), "check", "-q", "-f", str(on_cfg)]
    off, on, checks, loads = [], [], [], []
    for _ in range(args.runs):  # alternate so both builds see the same machine state
        off.append(_timed([*mkdocs, "-f", str(off_cfg), "-d", "site-off"]))
        on.append(_timed([*mkdocs, "-f", str(on_cfg), "-d", "site-on"]))
        checks.append(_timed(check))
        start = time.perf_counter()
        store = load_store(OUT / "captures")
        loads.append(time.perf_counter() - start)
    total = sum(len(s.captures) for s in store.sessions.values())

    def med(runs: list[tuple[float, float]], k: int) -> float:
        return statistics.median(r[k] for r in runs)

    def show(runs: list[tuple[float, float]]) -> str:
        return (f"wall median {med(runs, 0):.2f} s {[round(r[0], 2) for r in runs]}, "
                f"CPU median {med(runs, 1):.2f} s {[round(r[1], 2) for r in runs]}")

    print(f"site: {args.pages} pages, {args.pages * args.commands} commands, {total} captures")
    print(f"mkdocs build, snippets off : {show(off)}")
    print(f"mkdocs build, snippets on  : {show(on)}")
    print(f"added by snippets          : wall {100 * (med(on, 0) / med(off, 0) - 1):+.1f} %, "
          f"CPU {100 * (med(on, 1) / med(off, 1) - 1):+.1f} %  (target <= +15 %)")
    print(f"execdocs check             : {show(checks)}  (target <= 2 s)")
    print(f"load {total} captures        : median {statistics.median(loads) * 1000:.0f} ms")
    print(f"load average at the end    : {os.getloadavg()[0]:.1f} (2 cores, shared)")


if __name__ == "__main__":
    main()
