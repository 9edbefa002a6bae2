"""Benchmark: what diagrams cost a build (issue 3's performance targets), measured in one run.

A generated site of 50 pages, each with one diagram of 8 icons (50 distinct scripts), against
the same pages with the references removed. Builds are real ``mkdocs build`` processes; plain and
diagram builds alternate and the median of ``--repeat`` runs is reported, so a busy machine
slows both sides alike. Prints a Markdown table for bench/README.md.

    .venv/bin/python bench/bench_diagrams.py [--pages 50] [--repeat 5] [--pairs 20]
                                             [--serve-only] [--instructions] [--keep DIR]

``--pairs 0`` skips the serve part; ``--instructions`` also counts the instructions of one plain
and one warm build under Valgrind (``apt-get install valgrind``; not part of the set-up).

Targets checked:
- warm build (everything cached) <= 1.02 x plain build (issue 12; issue 3: 1.10): medians,
  the per-round ratio with a
  bootstrap interval, and (``--instructions``) the ratio of instructions executed;
- cold build <= 1.1 x (plain build + total ``dot -Tsvg`` time / cores) (issue 12; was 1.5);
- ``mkdocs serve``: rebuild after editing one diagram <= rebuild with no change + that
  diagram's own render. Measured under one ``mkdocs serve -v`` over ``--pairs`` paired rounds
  (order alternating): the diagrams adapter's own time per rebuild (its DEBUG timing line) and
  the whole rebuild's wall time; each reported as the median paired difference with a
  bootstrap 95 % interval, and a verdict only where the interval settles it;
- a page with 5 diagrams sharing icons carries each icon once.
"""

from __future__ import annotations

import argparse
import os
import random
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
from dataclasses import dataclass
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
WARM_LIMIT = 1.02  # warm build / plain build (issue 12)
COLD_FACTOR = 1.1  # cold build / (plain + dot / cores) (issue 12)


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


def make_site(root: Path, pages: int, with_diagrams: bool, execdocs: bool = True) -> None:
    """Write mkdocs.yml, docs/ and diagram_src/ for one variant.

    ``execdocs=False``: the plugin is not listed at all ("bare": MkDocs + Material alone).
    Otherwise it is on with snippets off, so "plain" (no diagram references) still pays for
    execdocs' site features (Korean search index, word joiners, the render-time secret guard):
    warm / plain is what the diagrams add, warm / bare what execdocs adds to this site.
    """
    (root / "docs").mkdir(parents=True)
    (root / "diagram_src").mkdir()
    plugin = "  - execdocs:\n      snippets:\n        enabled: false\n" if execdocs else ""
    (root / "mkdocs.yml").write_text(
        "site_name: bench\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  language: ko\n"
        "plugins:\n  - search\n" + plugin +
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


def instructions(root: Path, split: dict[str, int] | None = None) -> int:
    """Instructions executed by one ``mkdocs build --strict`` and every process under it.

    Counted by Valgrind's callgrind (about 50× slower than a normal build). Unlike time, the
    count barely moves with the load of a shared machine, so a small ratio can be shown.
    Valgrind's own messages go to a log file: on stderr they would change ``dot -V``'s output,
    which is part of the cache key, and turn the warm build cold. ``split``, when given, gets
    the count per kind of process (build, warm workers, their forked jobs, ``dot -Tsvg``, ...).

    A forked child's callgrind count starts from its parent's count at the fork (tested:
    a child that only calls ``_exit`` reports what its parent had run before): summed as they
    are, the jobs would count the warm worker once per job. ``--zero-before`` zeroes a
    process's count where Python's ``os.fork()`` starts the child (``PyOS_AfterFork_Child``,
    called in forked children only), so each job counts its own work. What callgrind cannot
    count is the kernel's share of a fork (page tables, copy-on-write): ``bench_fork.py``
    times that.
    """
    with tempfile.TemporaryDirectory(prefix="callgrind-") as tmp:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--trace-children=yes",
             "--zero-before=PyOS_AfterFork_Child",
             f"--log-file={tmp}/log.%p", f"--callgrind-out-file={tmp}/out.%p",
             sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=root, capture_output=True, text=True,
            # a worker stopped at the end of the build needs more than the default 5 s to
            # write its count under Valgrind; killed, its count would be lost
            env={**ENV, "EXECDOCS_DIAGRAMS_WORKER_EXIT_S": "900"})
        if proc.returncode != 0:
            raise SystemExit(f"build under valgrind failed in {root}:\n{proc.stderr}")
        lost = sorted({p.name.split(".", 1)[1] for p in Path(tmp).glob("log.*")}
                      - {p.name.split(".", 1)[1] for p in Path(tmp).glob("out.*")
                         if "\nsummary: " in p.read_text(errors="replace")})
        if lost:
            raise SystemExit(f"callgrind wrote no count for processes {lost} in {root}")
        parents: dict[str, str] = {}  # pid -> parent pid, from Valgrind's log of each process
        for log in Path(tmp).glob("log.*"):
            found = re.search(r"Parent PID: (\d+)", log.read_text(errors="replace"))
            parents[log.name.split(".", 1)[1]] = found.group(1) if found else ""
        counts: dict[str, tuple[int, str]] = {}
        for out in Path(tmp).glob("out.*"):
            text = out.read_text(errors="replace")
            counts[out.name.split(".", 1)[1]] = (
                int(re.search(r"^summary: (\d+)$", text, re.M).group(1)),
                re.search(r"^cmd: (.*)$", text, re.M).group(1))
        total = 0
        for pid, (count, cmd) in counts.items():
            total += count
            if split is not None:
                parent_cmd = counts.get(parents.get(pid, ""), (0, ""))[1]
                kind = process_kind(cmd, parent_cmd)
                split[kind] = split.get(kind, 0) + count
        return total


def process_kind(cmd: str, parent_cmd: str = "") -> str:
    """What a callgrind output file's command line was, for the per-process split (a forked
    job has its warm worker's command line, and that worker as its parent)."""
    if "execdocs.diagrams.worker" in cmd:
        if "execdocs.diagrams.worker" in parent_cmd:
            return "forked jobs (script, SVG post-processing)"
        return "warm workers (imports, fork, sweep, icons)"
    if "-Tsvg" in cmd:
        return "dot -Tsvg"
    if " -V" in cmd or "fc-list" in cmd:
        return "environment check (dot -V, fc-list)"
    if "mkdocs" in cmd:
        return "the build process (MkDocs + execdocs)"
    return cmd.strip()[:60]


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


TIMING = re.compile(
    r"rebuild took (?P<hooks>[\d.]+) ms in hooks \((?P<rendered>\d+) rendered, "
    r"(?P<cached>\d+) from cache[^;]*; (?P<lookups>\d+) cache lookups, (?P<jobs>\d+) jobs, "
    r"worker render (?P<render>[\d.]+) ms, worker processes started so far (?P<started>\d+)\)"
)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + sys) of ``pid`` and its live descendants, with their reaped children.

    For ``mkdocs serve``: the server process and its render workers (and the ``dot`` runs the
    workers waited for). Linux /proc only.
    """
    total = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Rebuild:
    """One ``mkdocs serve`` rebuild: whole wall time and the diagrams adapter's debug line."""

    wall: float  # seconds from "Building documentation..." to "Reloading browsers"
    cpu: float  # CPU seconds of the server and its workers over the same span
    hooks_ms: float = float("nan")  # time spent in the diagrams adapter's hooks
    render_ms: float = 0.0  # the workers' own render time in this rebuild
    rendered: int = -1
    cached: int = -1
    lookups: int = -1
    jobs: int = -1
    started: int = -1  # worker processes started since `mkdocs serve` began


def serve_rebuilds(root: Path, pairs: int) -> list[tuple[Rebuild, Rebuild]]:
    """``pairs`` rounds of (no-change rebuild, one-diagram-edited rebuild) under one
    ``mkdocs serve -v``; the order inside a round alternates. One uncounted round first."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-v", "-a", f"127.0.0.1:{port}"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    builds: list[Rebuild] = []
    lines: list[str] = []
    ready = threading.Event()
    building = threading.Event()

    def read() -> None:
        # Timed here, from "Building documentation..." to "Reloading browsers": MkDocs drops a
        # repeated "Documentation built in X seconds" line (its DuplicateFilter), so that line
        # can't be counted on. The adapter's timing line comes before "Reloading browsers".
        started = cpu = 0.0
        timing = None
        for line in proc.stdout:
            lines.append(line)
            if "Serving on" in line:  # the first build ends without "Reloading browsers"
                started = 0.0
                building.clear()
                ready.set()
            if "Building documentation..." in line:
                started, cpu, timing = time.perf_counter(), tree_cpu(proc.pid), None
                building.set()
            elif (m := TIMING.search(line)) is not None:
                timing = m
            elif "Reloading browsers" in line and started:
                build = Rebuild(time.perf_counter() - started, tree_cpu(proc.pid) - cpu)
                if timing is not None:
                    build.hooks_ms = float(timing["hooks"])
                    build.render_ms = float(timing["render"])
                    for key in ("rendered", "cached", "lookups", "jobs", "started"):
                        setattr(build, key, int(timing[key]))
                builds.append(build)
                building.clear()
                started = 0.0

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def wait(count: int) -> Rebuild:
        deadline = time.monotonic() + 120
        while len(builds) < count:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("mkdocs serve did not rebuild:\n" + "".join(lines[-30:]))
            time.sleep(0.05)
        return builds[count - 1]

    def settle() -> None:
        # Change nothing until no rebuild has come for 1.5 s: a change seen twice by the
        # watcher makes a second rebuild, which must not be counted for the next change.
        while True:
            seen = len(builds)
            time.sleep(1.5)
            if len(builds) == seen and not building.is_set():
                return

    try:
        if not ready.wait(300):
            raise SystemExit("mkdocs serve did not start:\n" + "".join(lines[-30:]))
        page = root / "docs" / "p000.md"
        diagram = root / "diagram_src" / "d002.py"
        result: list[tuple[Rebuild, Rebuild]] = []
        for i in range(-1, pairs):  # round -1 is a warm-up, not counted
            def touch_page() -> None:
                replace(page, page.read_text(encoding="utf-8"))  # same bytes

            def edit(i: int = i) -> None:  # a new label every round: always a cache miss
                replace(diagram, script(2).replace("노드 2'", f"노드 2 v{i}'"))

            got: dict[str, Rebuild] = {}
            order = [("nochange", touch_page), ("edited", edit)]
            for kind, change in order if i % 2 == 0 else order[::-1]:
                settle()
                count = len(builds) + 1
                change()
                got[kind] = wait(count)
            if i >= 0:
                result.append((got["nochange"], got["edited"]))
        settle()
        print(f"\nrebuilds not counted (a change the watcher saw twice): "
              f"{len(builds) - 2 * (pairs + 1)}")
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        reader.join(timeout=10)
        proc.stdout.close()


def replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` at once (temp file + rename), so the watcher sees one change.

    The temp file lives outside the watched folders (``.bench-tmp/`` next to mkdocs.yml).
    """
    tmp_dir = path.parent.parent / ".bench-tmp"
    tmp_dir.mkdir(exist_ok=True)
    tmp = tmp_dir / path.name
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def median_ci(values: list[float], resamples: int = 10000) -> tuple[float, float, float]:
    """(median, low, high): the median and its bootstrap 95 % interval (fixed seed)."""
    rng = random.Random(3)
    meds = sorted(statistics.median(rng.choices(values, k=len(values)))
                  for _ in range(resamples))
    return statistics.median(values), meds[int(0.025 * resamples)], meds[int(0.975 * resamples)]


def iqr(values: list[float]) -> tuple[float, float]:
    """The interquartile range (25th and 75th percentile)."""
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def verdict(low: float, high: float, limit: float, pairs: int) -> str:
    """Whether the paired difference stays within ``limit``, said only when the interval does."""
    if pairs < 10:  # a bootstrap of a handful of pairs is no interval at all
        return f"**no verdict at {pairs} pairs** (use at least 10)"
    if high <= limit:
        return "**met** (the whole 95 % interval is within the limit)"
    if low > limit:
        return "**not met** (the whole 95 % interval is above the limit)"
    return f"**not distinguishable from noise at {pairs} pairs** (the interval spans the limit)"


def report_serve(rounds: list[tuple[Rebuild, Rebuild]]) -> None:
    """Print the serve tables for bench/README.md and check what each rebuild did."""
    n = len(rounds)
    # What the plugin did, per rebuild (the behaviour behind the numbers).
    for nochange, edited in rounds:
        assert nochange.rendered == 0 and nochange.jobs == 0, nochange
        assert edited.rendered == 1 and edited.jobs == 1, edited
        assert nochange.lookups == edited.lookups, (nochange, edited)
    started = {b.started for pair in rounds for b in pair}
    assert len(started) == 1, f"worker processes were started during the rounds: {started}"
    render = [e.render_ms for _, e in rounds]
    hook_diff = [e.hooks_ms - c.hooks_ms for c, e in rounds]
    wall_diff = [(e.wall - c.wall) * 1000 for c, e in rounds]
    cpu_diff = [(e.cpu - c.cpu) * 1000 for c, e in rounds]
    render_med = statistics.median(render)

    print(f"\n`mkdocs serve -v`, {n} paired rounds (order alternating), per rebuild: "
          f"{rounds[0][0].lookups} cache lookups in both kinds; no-change rebuilds rendered "
          f"{rounds[0][0].rendered}, edited rebuilds rendered {rounds[0][1].rendered} "
          f"({rounds[0][1].jobs} worker job); worker processes started: {sorted(started)} "
          "(cumulative, i.e. none restarted)\n")
    print("| per rebuild (ms) | no change: median [IQR] | edited: median [IQR] "
          "| paired edited − no change: median (bootstrap 95 % CI) |")
    print("|---|---|---|---|")
    for label, kind, diff in (("diagrams plugin, time in its hooks", "hooks_ms", hook_diff),
                              ("whole rebuild (config load + build), wall", "wall", wall_diff),
                              ("whole rebuild, CPU of server + workers", "cpu", cpu_diff)):
        scale = 1 if kind == "hooks_ms" else 1000
        cols = []
        for side in (0, 1):
            vals = [getattr(pair[side], kind) * scale for pair in rounds]
            lo, hi = iqr(vals)
            cols.append(f"{statistics.median(vals):.1f} [{lo:.1f}–{hi:.1f}]")
        med, lo, hi = median_ci(diff)
        print(f"| {label} | {cols[0]} | {cols[1]} | {med:+.1f} ({lo:+.1f} … {hi:+.1f}) |")
    lo, hi = iqr(render)
    print(f"| that diagram's own render (worker's time, edited rebuilds) | – | "
          f"{render_med:.1f} [{lo:.1f}–{hi:.1f}] | |\n")
    # Target: edited ≤ no change + own render, i.e. per pair (edited − no change) − render ≤ 0.
    excess = [d - r for d, r in zip(hook_diff, render, strict=True)]
    med, lo, hi = median_ci(excess)
    print(f"- plugin: (edited − no change) − own render, per pair: median {med:+.1f} ms "
          f"(95 % CI {lo:+.1f} … {hi:+.1f}) → {verdict(lo, hi, 0.0, n)}")
    med, lo, hi = median_ci(wall_diff)
    print(f"- whole rebuild: edited − no change = {med:+.1f} ms (95 % CI {lo:+.1f} … "
          f"{hi:+.1f}) vs own render {render_med:.1f} ms → "
          f"{verdict(lo, hi, render_med, n)}")
    med, lo, hi = median_ci(cpu_diff)
    print(f"- whole rebuild, CPU: edited − no change = {med:+.1f} ms (95 % CI {lo:+.1f} … "
          f"{hi:+.1f}) vs own render {render_med:.1f} ms → "
          f"{verdict(lo, hi, render_med, n)}")


def icons_once(site: Path) -> tuple[int, int, int]:
    """(diagrams, distinct icons, icon data URIs) on the 5-diagram page."""
    html = (site / "five.html").read_text(encoding="utf-8")
    uses = set(re.findall(r'<use href="#(ic-[0-9a-f]+)"', html))
    return html.count('class="execdocs-svg"'), len(uses), html.count("data:image/png;base64,")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5, help="builds of each kind")
    parser.add_argument("--pairs", type=int, default=20,
                        help="paired serve rebuild rounds (0: no serve part)")
    parser.add_argument("--serve-only", action="store_true", help="skip the build table")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions of a plain and a warm build (valgrind)")
    parser.add_argument("--warm-pairs", type=int, default=0,
                        help="only plain and warm builds, N pairs (no cold build between them)")
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args()
    base = Path(args.keep or tempfile.mkdtemp(prefix="bench-diagrams-"))
    plain_root, diag_root = base / "plain", base / "diagrams"
    for path in (plain_root, diag_root):
        shutil.rmtree(path, ignore_errors=True)
    make_site(plain_root, args.pages, with_diagrams=False)
    make_site(diag_root, args.pages, with_diagrams=True)
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, load average at the start {os.getloadavg()[0]:.1f}; "
          f"{args.pages} pages + 1, {args.pages} diagrams of 8 icons\n")
    if args.warm_pairs:
        warm_pairs(plain_root, diag_root, args.warm_pairs)
    elif not args.serve_only:
        build_table(plain_root, diag_root, args.repeat, args.pages, cores)
    else:
        build(diag_root)  # fill the cache, so the serve run starts warm like the full run
    if args.instructions:
        bare_root = base / "bare"
        shutil.rmtree(bare_root, ignore_errors=True)
        make_site(bare_root, args.pages, with_diagrams=False, execdocs=False)
        instruction_table(bare_root, plain_root, diag_root)
    if args.pairs:
        report_serve(serve_rebuilds(diag_root, args.pairs))
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    print(f"\nsite kept in {base}" if args.keep else "")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


def warm_pairs(plain_root: Path, diag_root: Path, pairs: int) -> None:
    """Plain and warm builds only, in pairs whose order flips each time: in the build table a
    warm build always follows a cold one (which fills its cache), so a machine slower right
    after a heavy build would count against the warm build; here nothing else runs between."""
    build(plain_root)
    build(diag_root)  # fill the cache; not counted
    plain, warm = [], []
    for i in range(pairs):
        first, second = (plain_root, diag_root) if i % 2 == 0 else (diag_root, plain_root)
        a, b = build(first), build(second)
        p, w = (a, b) if i % 2 == 0 else (b, a)
        assert "0 rendered" in w[3], w[3]
        plain.append(p)
        warm.append(w)
        print(f"pair {i + 1}: plain {p[2]:.2f} s CPU, warm {w[2]:.2f} s CPU, "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"\nwarm ÷ plain per pair, median (95 % CI) over {pairs} pairs:\n")
    print("| ratio per pair | median (95 % CI) | limit | verdict |")
    print("|---|---|---|---|")
    for label, i in (("wall", 0), ("MkDocs 'built in'", 1), ("CPU", 2)):
        m, lo, hi = median_ci([w[i] / p[i] for w, p in zip(warm, plain, strict=True)])
        print(f"| {label} | {m:.3f} ({lo:.3f} … {hi:.3f}) | {WARM_LIMIT} | "
              f"{verdict(lo, hi, WARM_LIMIT, pairs)} |")


def build_table(plain_root: Path, diag_root: Path, repeat: int, pages: int, cores: int) -> None:
    """Plain, cold and warm builds, alternating; print the build table and the icons check."""
    cache = diag_root / ".cache"
    plain, cold, warm = [], [], []
    build(plain_root)  # warm the OS file cache once; not counted
    for i in range(repeat):
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
    n_diagrams, n_icons, n_uris = icons_once(diag_root / "site")

    def med(runs, i):
        return statistics.median(r[i] for r in runs)

    rows = []
    for label, i in (("whole command, wall", 0), ("MkDocs 'built in', wall", 1),
                     ("whole command, CPU (user+sys, all processes)", 2)):
        p, c, w = med(plain, i), med(cold, i), med(warm, i)
        limit = COLD_FACTOR * (p + dot_s / cores)
        cold_cell = (f"{c:.2f} s | {limit:.2f} s → **{c / limit:.2f}** of the limit" if i < 2
                     else f"{c:.2f} s | (CPU: not a wall-clock limit)")
        rows.append(f"| {label} | {p:.2f} s | {w:.2f} s | **{w / p:.2f}×** (≤ {WARM_LIMIT}) "
                    f"| {cold_cell} |")
    print(f"builds: median of {repeat}\n")
    print(f"| measure | plain | warm | warm ÷ plain | cold | cold limit {COLD_FACTOR}×(plain + "
          "dot÷cores) |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    # Per round, the plain and diagram builds ran next to each other: their ratio cancels most
    # of the machine's drift between rounds, and the bootstrap interval of its median says
    # whether the target is shown.
    print(f"\nper round (the builds of one round ran back to back), median ratio and bootstrap "
          f"95 % interval over {repeat} rounds:\n")
    print("| ratio per round | median (95 % CI) | limit | verdict |")
    print("|---|---|---|---|")
    for label, i in (("warm ÷ plain, wall", 0), ("warm ÷ plain, MkDocs 'built in'", 1),
                     ("warm ÷ plain, CPU", 2)):
        ratios = [w[i] / p[i] for w, p in zip(warm, plain, strict=True)]
        m, lo, hi = median_ci(ratios)
        print(f"| {label} | {m:.3f} ({lo:.3f} … {hi:.3f}) | {WARM_LIMIT} | "
              f"{verdict(lo, hi, WARM_LIMIT, repeat)} |")
    for label, i in (("cold ÷ its limit, wall", 0), ("cold ÷ its limit, MkDocs 'built in'", 1)):
        ratios = [c[i] / (COLD_FACTOR * (p[i] + dot_s / cores))
                  for c, p in zip(cold, plain, strict=True)]
        m, lo, hi = median_ci(ratios)
        print(f"| {label} | {m:.3f} ({lo:.3f} … {hi:.3f}) | 1.00 | "
              f"{verdict(lo, hi, 1.0, repeat)} |")
    print("\nraw rounds (seconds; wall / MkDocs 'built in' / CPU):\n")
    print("| round | plain | cold | warm |")
    print("|---|---|---|---|")
    for i, (p, c, w) in enumerate(zip(plain, cold, warm, strict=True)):
        cells = " | ".join(f"{r[0]:.2f} / {r[1]:.2f} / {r[2]:.2f}" for r in (p, c, w))
        print(f"| {i + 1} | {cells} |")
    print(f"\ntotal `dot -Tsvg` time for {pages} diagrams: {dot_s:.2f} s "
          f"({dot_s / pages * 1000:.0f} ms each)\n")
    print(f"page with {n_diagrams} diagrams: {n_icons} distinct icons, {n_uris} icon data URIs "
          f"(each icon once: **{n_icons == n_uris}**)")


def instruction_table(bare_root: Path, plain_root: Path, diag_root: Path) -> None:
    """Instructions of a bare, a plain, a warm and a cold build: the work the diagrams add
    (warm ÷ plain, the target), what execdocs as a whole adds to this site (÷ bare), and
    where a cold build's work goes, without the noise of a shared machine."""
    build(diag_root)  # make sure everything is cached
    print(f"\ncallgrind at load {os.getloadavg()[0]:.1f} (the count does not depend on it)")
    bare, plain, warm = (instructions(bare_root), instructions(plain_root),
                         instructions(diag_root))
    shutil.rmtree(diag_root / ".cache", ignore_errors=True)
    split: dict[str, int] = {}
    # Under callgrind a job runs ~50x slower: with the default timeout the pool's backstop
    # killed every worker of a cold count at load ~8 (2026-12-02). The count does not depend on
    # the timeout (not part of the cache key); the site's mkdocs.yml is put back afterwards.
    yml = diag_root / "mkdocs.yml"
    original = yml.read_text(encoding="utf-8")
    yml.write_text(original.replace("        enabled: false\n", "        enabled: false\n"
                                    "      diagrams:\n        timeout: 1200\n"), encoding="utf-8")
    try:
        cold = instructions(diag_root, split)
    finally:
        yml.write_text(original, encoding="utf-8")
    print("\ninstructions executed (callgrind, build + all processes under it, one build each;"
          " bare = no execdocs, plain = execdocs without diagrams):\n")
    print("| bare | plain | warm | cold | warm ÷ plain | plain ÷ bare | warm ÷ bare |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {bare / 1e9:.3f} G | {plain / 1e9:.3f} G | {warm / 1e9:.3f} G | {cold / 1e9:.3f} G "
          f"| **{warm / plain:.4f}×** (≤ {WARM_LIMIT}) | {plain / bare:.3f}× "
          f"| {warm / bare:.3f}× |")
    print("\ncold build by process (instructions):\n")
    print("| process | instructions | − plain build |")
    print("|---|---|---|")
    for kind, count in sorted(split.items(), key=lambda kv: -kv[1]):
        extra = f"{(count - plain) / 1e9:+.3f} G" if kind.startswith("the build") else ""
        print(f"| {kind} | {count / 1e9:.3f} G | {extra} |")


if __name__ == "__main__":
    main()
