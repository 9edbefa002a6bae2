"""Benchmark: the Zensical build with the execdocs extension vs the same pages pasted statically.

Generates under bench/out/zensical/ (git-ignored) one site of 300 pages x 10 console commands
(3,000 commands, each with a capture of a 12-line kubectl-style table and two table
assertions; fences at top level, in an admonition and in content tabs: bench_snippets.py's
generator) in two forms:

  * ``on``: the pages as written for execdocs, ``markdown_extensions: - execdocs.markdown``;
  * ``pasted``: what an author does without execdocs: each command in a plain console fence,
    the provenance line as text and the captured output pasted in a ``text`` fence below it
    (same visible content), no extension.

Then ``zensical build --clean`` of each (``--clean``: every page is rendered, not taken from
Zensical's page cache), interleaved for ``--rounds`` rounds (the order alternates), wall and
CPU time of the child, per-round paired ratio on/pasted, load average printed; optionally the
same two sites with ``mkdocs build`` (the plugin) for the MkDocs column; and a callgrind
instruction count of one build of each on a ``--callgrind-pages`` site (the count barely moves
with the machine's load; wall time here does).

Usage: .venv/bin/python bench/bench_zensical.py [--pages 300] [--rounds 5] [--mkdocs]
       [--callgrind-pages 30]   (0 turns the count off)
Target (issue 16): on / pasted <= 1.10 under Zensical.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _common
from bench_snippets import PARAGRAPH, _fence, _output
from execdocs.snippets.store import Capture, Session, capture_filename, save_capture, save_session

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out" / "zensical"
ZENSICAL = REPO / ".venv-zensical" / "bin" / "zensical"
ZPYTHON = REPO / ".venv-zensical" / "bin" / "python"
MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean"]
LIMIT = 1.10

YML = """\
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
{extension}plugins:
  - search
{plugin}"""
PLUGIN = "  - execdocs:\n      snippets:\n        session: bench\n"
PROVENANCE = "예시(illustrative) · generated · 캡처 2026-01-01"


def _pasted(cmds: list[str], outputs: dict[str, bytes], indent: str = "") -> str:
    """The same commands written by hand: command, provenance line, output pasted below."""
    out = []
    for c in cmds:
        out += [f"{indent}```console", f"{indent}$ {c}", f"{indent}```", "",
                f"{indent}{PROVENANCE}", "", f"{indent}```text"]
        out += [f"{indent}{line}" for line in outputs[c].decode().rstrip("\n").split("\n")]
        out += [f"{indent}```", ""]
    return "\n".join(out) + "\n"


def generate(root: Path, pages: int, per_page: int = 10) -> None:
    """Write ``root/on`` and ``root/pasted`` (pages, captures, mkdocs.yml)."""
    if root.exists():
        shutil.rmtree(root)
    on, pasted = root / "on", root / "pasted"
    for site in (on, pasted):
        (site / "docs").mkdir(parents=True)
    save_session(Session(name="bench", system="generated", provenance="illustrative"),
                 on / "captures" / "bench")
    n = 0
    for p in range(pages):
        cmds, outputs = [], {}
        for _ in range(per_page):
            cmds.append(f"kubectl get pods -n ns-{n:05d} -o wide")
            outputs[cmds[-1]] = _output(n)
            save_capture(Capture(command=cmds[-1], run=cmds[-1], stdout=outputs[cmds[-1]]),
                         on / "captures" / "bench" / capture_filename(cmds[-1]))
            n += 1
        for site, fence in ((on, _fence), (pasted, lambda c, i="", o=outputs: _pasted(c, o, i))):
            parts = [f"# 페이지 {p}\n", PARAGRAPH]
            parts += [fence(cmds[0:2]), PARAGRAPH, fence(cmds[2:4]), PARAGRAPH]
            parts += ['!!! note "메모"\n', fence(cmds[4:7], "    "), PARAGRAPH]
            parts += ['=== "탭 A"\n\n', fence(cmds[7:9], "    "), '\n=== "탭 B"\n\n',
                      fence(cmds[9:], "    "), PARAGRAPH]
            (site / "docs" / f"page{p:03d}.md").write_text("\n".join(parts), encoding="utf-8")
    (on / "mkdocs.yml").write_text(YML.format(extension="  - execdocs.markdown\n",
                                              plugin=PLUGIN), encoding="utf-8")
    (pasted / "mkdocs.yml").write_text(YML.format(extension="", plugin=""), encoding="utf-8")


def _run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU time (user + system of the child and its children) of one build."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed in {cwd}: {' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def instructions(cmd: list[str], cwd: Path) -> int:
    """Instructions executed by one build and every process under it (callgrind)."""
    return _common.instructions(cmd, cwd, dict(os.environ, NO_COLOR="1"))


def _rounds(label: str, cmd: list[str], root: Path, rounds: int) -> None:
    if rounds < 1:
        return
    runs: dict[str, list[tuple[float, float]]] = {"on": [], "pasted": []}
    for r in range(rounds):
        order = ("on", "pasted") if r % 2 == 0 else ("pasted", "on")
        for variant in order:
            runs[variant].append(_run(cmd, root / variant))
        print(f"  {label} round {r + 1}: on {runs['on'][-1][0]:.2f} s wall "
              f"{runs['on'][-1][1]:.2f} s CPU, pasted {runs['pasted'][-1][0]:.2f} s wall "
              f"{runs['pasted'][-1][1]:.2f} s CPU, load {os.getloadavg()[0]:.1f}", flush=True)
    for k, what in ((0, "wall"), (1, "CPU")):
        ratios = [a[k] / b[k] for a, b in zip(runs["on"], runs["pasted"], strict=True)]
        print(f"{label} {what}: on median {statistics.median(x[k] for x in runs['on']):.2f} s, "
              f"pasted {statistics.median(x[k] for x in runs['pasted']):.2f} s, paired ratio "
              f"median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max "
              f"{max(ratios):.3f}); raw ratios {', '.join(f'{x:.3f}' for x in ratios)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mkdocs", action="store_true", help="also time the MkDocs builds")
    parser.add_argument("--callgrind-pages", type=int, default=30)
    args = parser.parse_args()
    if not ZENSICAL.is_file():
        sys.exit(f"{ZENSICAL} is missing: run `bash scripts/setup.sh`")
    cores = os.cpu_count() or 1
    print(f"load average at start: {os.getloadavg()}, {cores} cores")
    generate(OUT / "site", args.pages)
    _rounds("zensical", [str(ZENSICAL), "build", "--clean"], OUT / "site", args.rounds)
    if args.mkdocs:
        _rounds("mkdocs", MKDOCS, OUT / "site", args.rounds)
    if args.callgrind_pages:
        generate(OUT / "small", args.callgrind_pages)
        cmd = [str(ZPYTHON), str(ZENSICAL), "build", "--clean"]
        print(f"callgrind at load {os.getloadavg()[0]:.1f} (the count does not depend on it; "
              "both builds run at once, one per core)", flush=True)
        with ThreadPoolExecutor(2) as pool:
            counts = [pool.submit(instructions, cmd, OUT / "small" / v) for v in ("on", "pasted")]
            on, pasted = (c.result() for c in counts)
        print(f"zensical instructions ({args.callgrind_pages} pages): on {on / 1e9:.2f} G, "
              f"pasted {pasted / 1e9:.2f} G, on / pasted {on / pasted:.3f}")
    load = os.getloadavg()[0]
    print(f"load average at end: {os.getloadavg()}"
          + ("  (above the core count: not a verdict)" if load > cores else ""))


if __name__ == "__main__":
    main()
