"""Benchmark: what diagrams cost a build (issue 3's performance targets), measured in one run.

A generated site of 50 pages, each with one diagram of 8 icons (50 distinct scripts), against
the same pages with the references removed. Builds are real ``mkdocs build`` processes; plain and
diagram builds alternate and the median of ``--repeat`` runs is reported, so a busy machine
slows both sides alike. Prints a Markdown table for bench/README.md.

    .venv/bin/python bench/bench_diagrams.py [--pages 50] [--repeat 5] [--keep DIR]

Targets checked:
- warm build (everything cached) <= 1.10 x plain build;
- cold build <= 1.5 x (plain build + total ``dot -Tsvg`` time / cores);
- ``mkdocs serve``: rebuild after editing one diagram <= rebuild with no change + that
  diagram's own render (warm worker);
- a page with 5 diagrams sharing icons carries each icon once.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ICONS = [
    ("diagrams.k8s.controlplane", "API"), ("diagrams.k8s.controlplane", "Scheduler"),
    ("diagrams.k8s.controlplane", "CM"), ("diagrams.k8s.infra", "ETCD"),
    ("diagrams.k8s.controlplane", "Kubelet"), ("diagrams.k8s.controlplane", "KubeProxy"),
    ("diagrams.onprem.container", "Containerd"), ("diagrams.k8s.compute", "Pod"),
]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def script(index: int) -> str:
    """A diagram of 8 icons in two clusters; the index makes every script (and key) distinct."""
    imports = "".join(f"from {mod} import {cls}\n" for mod, cls in ICONS)
    names = [cls for _, cls in ICONS]
    return (
        "from diagrams import Cluster, Diagram\n" + imports +
        f"with Diagram('', direction='TB', graph_attr={{'pad': '0.2', 'splines': 'spline'}}):\n"
        f"    with Cluster('컨트롤 플레인 {index}'):\n"
        + "".join(f"        n{i} = {names[i]}('{names[i]} {index}')\n" for i in range(4))
        + f"    with Cluster('노드 {index}'):\n"
        + "".join(f"        n{i} = {names[i]}('{names[i]} 노드')\n" for i in range(4, 8))
        + "    n1 >> n0 >> n3\n    n2 >> n0\n    n4 >> n6 >> n7\n    n4 >> n0\n    n5 >> n0\n"
    )


def make_site(root: Path, pages: int, with_diagrams: bool) -> None:
    """Write mkdocs.yml, docs/ and diagram_src/ for one variant."""
    (root / "docs").mkdir(parents=True)
    (root / "diagram_src").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: bench\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  language: ko\n"
        "plugins:\n  - search\n  - execdocs:\n      snippets:\n        enabled: false\n"
        "markdown_extensions:\n  - admonition\n  - attr_list\n  - toc\n  - pymdownx.superfences\n"
        "  - pymdownx.tabbed:\n      alternate_style: true\n",
        encoding="utf-8",
    )
    # The site's own pages as filler (~10 KB, like the seed), without links or diagrams.
    body = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))
    body = re.sub(r"!\[[^\]]*\]\(diagram:[^)]*\)\n?", "", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"^(#+ .*?)\s*\{#[^}]*\}$", r"\1", body, flags=re.M)
    for i in range(pages):
        ref = f"![다이어그램 {i}](diagram:d{i:03})\n\n" if with_diagrams else ""
        (root / "docs" / f"p{i:03}.md").write_text(
            f"# 페이지 {i}\n\n{ref}{body}\n", encoding="utf-8")
        (root / "diagram_src" / f"d{i:03}.py").write_text(script(i), encoding="utf-8")
    if with_diagrams:  # one page with 5 diagrams sharing icons
        refs = "".join(f"![공유 {i}](diagram:d{i:03})\n\n" for i in range(5))
        (root / "docs" / "five.md").write_text(f"# 다섯 개\n\n{refs}", encoding="utf-8")
    else:
        (root / "docs" / "five.md").write_text("# 다섯 개\n\n", encoding="utf-8")


def build(root: Path) -> tuple[float, float, float, str]:
    """(wall seconds of the whole command, MkDocs' 'built in' seconds, CPU seconds, log).

    CPU = user + system time of the build and every process under it (workers, dot): on a
    machine shared with other work it moves far less than wall time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                          capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{proc.stderr}")
    built = float(re.search(r"Documentation built in ([\d.]+) seconds", proc.stderr).group(1))
    return wall, built, cpu, proc.stderr


def dot_total(src: Path) -> float:
    """Seconds of ``dot -Tsvg`` over every diagram's Graphviz source, one after another."""
    import diagrams

    sources: list[str] = []

    def keep(self, *exc):
        sources.append(self.dot.source)
        diagrams.setdiagram(None)

    diagrams.Diagram.__exit__ = keep
    for path in sorted(src.glob("d*.py")):
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), {})
    started = time.perf_counter()
    for source in sources:
        subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True)
    return time.perf_counter() - started


def own_render(root: Path, name: str) -> float:
    """Seconds a warm worker takes to render ``name`` (what a serve rebuild must add)."""
    from execdocs.diagrams.render import DiagramRenderer, Settings

    with tempfile.TemporaryDirectory() as cache:
        renderer = DiagramRenderer(Settings(root, root / "diagram_src", Path(cache), workers=1))
        try:
            renderer.request("d001")  # start and warm the worker on another diagram
            renderer.outcome("d001")
            times = []
            for _ in range(3):
                renderer.begin_build()
                shutil.rmtree(cache)
                renderer.cache._memo.clear()
                started = time.perf_counter()
                renderer.request(name)
                assert renderer.outcome(name).payload is not None
                times.append(time.perf_counter() - started)
            return statistics.median(times)
        finally:
            renderer.close()


def serve_rebuilds(root: Path, repeat: int) -> tuple[float, float]:
    """Median rebuild seconds under ``mkdocs serve``: (no change, one diagram edited)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    builds: list[float] = []
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        # Timed here, from "Building documentation..." to "Reloading browsers": MkDocs drops a
        # repeated "Documentation built in X seconds" line (its DuplicateFilter), so that line
        # can't be counted on.
        started = 0.0
        for line in proc.stdout:
            lines.append(line)
            if "Serving on" in line:
                ready.set()
            if "Building documentation..." in line:
                started = time.perf_counter()
            elif "Reloading browsers" in line and started:
                builds.append(time.perf_counter() - started)
                started = 0.0

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def wait(count: int) -> float:
        deadline = time.monotonic() + 120
        while len(builds) < count:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("mkdocs serve did not rebuild:\n" + "".join(lines[-30:]))
            time.sleep(0.1)
        return builds[count - 1]

    try:
        if not ready.wait(300):
            raise SystemExit("mkdocs serve did not start:\n" + "".join(lines[-30:]))
        nochange, edited = [], []
        page = root / "docs" / "p000.md"
        diagram = root / "diagram_src" / "d002.py"
        def touch_page() -> None:
            page.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")  # same bytes

        for i in range(repeat):
            def edit(i: int = i) -> None:
                diagram.write_text(script(2).replace("노드 2'", f"노드 2 v{i}'"),
                                   encoding="utf-8")

            # Alternate which kind of rebuild comes first in a round.
            order = [(touch_page, nochange), (edit, edited)]
            for change, into in order if i % 2 == 0 else order[::-1]:
                time.sleep(1.5)
                count = len(builds) + 1
                change()
                into.append(wait(count))
        return statistics.median(nochange), statistics.median(edited)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        reader.join(timeout=10)
        proc.stdout.close()


def icons_once(site: Path) -> tuple[int, int, int]:
    """(diagrams, distinct icons, icon data URIs) on the 5-diagram page."""
    html = (site / "five.html").read_text(encoding="utf-8")
    uses = set(re.findall(r'<use href="#(ic-[0-9a-f]+)"', html))
    return html.count('class="execdocs-svg"'), len(uses), html.count("data:image/png;base64,")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args()
    base = Path(args.keep or tempfile.mkdtemp(prefix="bench-diagrams-"))
    plain_root, diag_root = base / "plain", base / "diagrams"
    for path in (plain_root, diag_root):
        shutil.rmtree(path, ignore_errors=True)
    make_site(plain_root, args.pages, with_diagrams=False)
    make_site(diag_root, args.pages, with_diagrams=True)
    cache = diag_root / ".cache"
    cores = os.cpu_count() or 1

    plain, cold, warm = [], [], []
    build(plain_root)  # warm the OS file cache once; not counted
    for i in range(args.repeat):
        # Alternate the order: the first build of a round runs measurably slower here.
        if i % 2 == 0:
            plain.append(build(plain_root))
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(build(diag_root))
        warm.append(build(diag_root))
        assert "0 rendered" in warm[-1][3], warm[-1][3]
        if i % 2 == 1:
            plain.append(build(plain_root))
    dot_s = dot_total(diag_root / "diagram_src")
    own = own_render(diag_root, "d002")
    nochange, edited = serve_rebuilds(diag_root, max(3, args.repeat))
    n_diagrams, n_icons, n_uris = icons_once(diag_root / "site")

    def med(runs, i):
        return statistics.median(r[i] for r in runs)

    rows = []
    for label, i in (("whole command, wall", 0), ("MkDocs 'built in', wall", 1),
                     ("whole command, CPU (user+sys, all processes)", 2)):
        p, c, w = med(plain, i), med(cold, i), med(warm, i)
        limit = 1.5 * (p + dot_s / cores)
        cold_cell = (f"{c:.2f} s | {limit:.2f} s → **{c / limit:.2f}** of the limit" if i < 2
                     else f"{c:.2f} s | (CPU: not a wall-clock limit)")
        rows.append(f"| {label} | {p:.2f} s | {w:.2f} s | **{w / p:.2f}×** (≤ 1.10) "
                    f"| {cold_cell} |")
    print(f"machine: {cores} cores, load average at the end {os.getloadavg()[0]:.1f}; "
          f"{args.pages} pages + 1, {args.pages} diagrams of 8 icons, median of {args.repeat}\n")
    print("| measure | plain | warm | warm ÷ plain | cold | cold limit 1.5×(plain + dot÷cores) |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\ntotal `dot -Tsvg` time for {args.pages} diagrams: {dot_s:.2f} s "
          f"({dot_s / args.pages * 1000:.0f} ms each)\n")
    print("| `mkdocs serve` rebuild | seconds (config load + build) |")
    print("|---|---|")
    print(f"| no change (page saved with the same bytes) | {nochange:.2f} s |")
    print(f"| one diagram edited | {edited:.2f} s |")
    print(f"| that diagram's own render (warm worker) | {own:.2f} s |")
    print(f"| edited ≤ no change + own render? | **{edited <= nochange + own}** "
          f"({edited:.2f} ≤ {nochange + own:.2f}) |\n")
    print(f"page with {n_diagrams} diagrams: {n_icons} distinct icons, {n_uris} icon data URIs "
          f"(each icon once: **{n_icons == n_uris}**)")
    print(f"\nsite kept in {base}" if args.keep else "")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
