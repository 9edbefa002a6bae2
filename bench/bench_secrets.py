"""Benchmark: the secret rules (execdocs' field rules, the keyword rule, gitleaks' list,
decoded base64) over 3,000 capture outputs, as the snippet check runs them, and over rendered
pages, as the render-time guard runs them.

Capture workloads, each scanned as the check scans a capture (command, run, stdout and stderr
with ``secrets.scan_many``): bench_snippets.py's 3,000 kubectl tables (~12 lines each), and this
site's own captures cycled to 3,000. Page workloads (``secrets.matches`` of each page's text as
``secret_html.segments`` reads it): the first ``--texts`` pages of bench_snippets.py's
300-page site (snippets on; built once under bench/out/secrets/, or taken from
bench/out/snippets/site-on if that bench built it), the whole page and its ``<article>`` alone
(what the guard's final pass and its content pass see), and every page of this site.

Prints the load average, the one-off cost of loading the
gitleaks rules and, per round, the time to scan all of them (every round, raw); the machine is
shared, so read the times as a rough size. ``--instructions`` also counts the instructions of
one scan of each workload with Valgrind's callgrind (a run that loads and warms up without
scanning is subtracted), which barely moves with the load: that is the number to compare.

Usage: .venv/bin/python bench/bench_secrets.py [--captures 3000] [--rounds 5] [--instructions]
                                               [--texts 40] [--no-pages]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_snippets
from bench_snippets import _output  # the same kubectl tables as the snippets bench
from execdocs import secret_gitleaks, secret_html, secrets
from execdocs.snippets.store import load_store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "secrets"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
Work = list[tuple[str, bytes, bytes]]
_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)


def _built(name: str) -> Path:
    """The built site ``name`` ("bench": bench_snippets' 300 pages; "project": this site)."""
    if name == "bench":
        ready = bench_snippets.OUT / "site-on"
        if (ready / "page000.html").exists():
            return ready
        site = OUT / "site-bench"
        if not (site / "page000.html").exists():
            bench_snippets.OUT = OUT / "snippets"  # its generator writes there, not over its own
            bench_snippets.generate(300, 10)
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                            str(bench_snippets.OUT / "mkdocs-on.yml"), "-d", str(site)],
                           check=True, env=ENV, cwd=ROOT)
        return site
    site = OUT / "site-project"
    if not (site / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                       check=True, env=ENV, cwd=ROOT)
    return site


def page_texts(texts: int) -> dict[str, list[str]]:
    """name -> the texts of rendered pages, as the render-time guard reads them."""
    bench = sorted(_built("bench").glob("page*.html"))[:texts]
    html = [p.read_text(encoding="utf-8") for p in bench]
    project = [p.read_text(encoding="utf-8") for p in sorted(_built("project").rglob("*.html"))]
    article = [m.group(1) for m in map(_ARTICLE.search, html) if m]
    return {f"bench site, {len(html)} whole pages": [secret_html.segments(h)[0] for h in html],
            f"bench site, {len(article)} pages' content": [secret_html.segments(a)[0]
                                                           for a in article],
            f"this site, {len(project)} whole pages": [secret_html.segments(h)[0]
                                                       for h in project]}


def workloads(captures: int) -> dict[str, Work]:
    """name -> (command, stdout, stderr) of every capture to scan."""
    site = [c for s in load_store(ROOT / "captures").sessions.values() for c in s.captures]
    tables = [(f"kubectl get pods -n ns-{i:05d} -o wide", _output(i), b"")
              for i in range(captures)]
    cycled = [(c.command, c.stdout, c.stderr) for c in
              (site[i % len(site)] for i in range(captures))]
    return {"kubectl tables": tables, "this site's captures": cycled}


def scan_all(work: Work) -> int:
    """Scan every capture of ``work`` as the check does; the number of findings."""
    found = 0
    for command, stdout, stderr in work:
        found += len(secrets.scan_many((("command", command, True), ("run", command, True),
                                        ("stdout", stdout, False), ("stderr", stderr, False))))
    return found


def instructions(name: str, captures: int, texts: int = 40) -> int:
    """Instructions of one scan of workload ``name`` (callgrind; setup subtracted)."""
    counts = []
    for scans in (0, 1):
        with tempfile.TemporaryDirectory(prefix="callgrind-") as tmp:
            subprocess.run(["valgrind", "--tool=callgrind", f"--log-file={tmp}/log",
                            f"--callgrind-out-file={tmp}/out", sys.executable, __file__,
                            "--worker", name, "--scans", str(scans),
                            "--captures", str(captures), "--texts", str(texts)],
                           check=True, cwd=ROOT)
            summary = re.search(r"^summary: (\d+)$", Path(tmp, "out").read_text(), re.M)
            assert summary is not None
            counts.append(int(summary.group(1)))
    return counts[1] - counts[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--texts", type=int, default=40, help="pages of the bench site")
    parser.add_argument("--no-pages", action="store_true", help="capture workloads only")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--scans", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:  # under callgrind: set up, warm up on other texts, then scan N times
        secrets.scan_many([("warm-up", "kubectl get secret -o yaml\nkind: Secret\ndata:\n"
                            "  a: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln token: x", False)])
        if "page" in args.worker:
            texts = page_texts(args.texts)[args.worker]
            secrets.matches(WARM_PAGE)
            for _ in range(args.scans):
                for text in texts:
                    secrets.matches(text)
            return
        work = workloads(args.captures)[args.worker]
        for _ in range(args.scans):
            scan_all(work)
        return
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    t0 = time.perf_counter()
    secret_gitleaks.load()
    print(f"gitleaks rules loaded once: {time.perf_counter() - t0:.3f} s")
    for name, work in workloads(args.captures).items():
        scan_all(work[:50])  # compile what this workload needs before timing
        times, found = [], 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            found = scan_all(work)
            times.append(time.perf_counter() - t0)
        size = sum(len(o) + len(e) for _c, o, e in work)
        print(f"{name}: {len(work)} captures ({size / 1e6:.1f} MB), {found} findings; "
              f"median {statistics.median(times):.3f} s, min {min(times):.3f} s; rounds "
              + ", ".join(f"{t:.3f}" for t in times))
        if args.instructions:
            count = instructions(name, args.captures)
            print(f"  instructions (callgrind, one scan of all {len(work)}): {count / 1e6:.0f} M"
                  f" ({count / len(work) / 1e3:.0f} k per capture)")
    if not args.no_pages:
        pages_bench(args)
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


# every rule family woken once, so that the timed scans compile nothing
WARM_PAGE = ("token: x eyJhbGciOiJIUzI1NiJ9 api_key = abc s.x SK0 ghp_x AKIA pat key\n"
             "name: DB_PASSWORD\nvalue: y\n" + "YWJj" * 10 + "\n")


def pages_bench(args: argparse.Namespace) -> None:
    """Time (and count) ``secrets.matches`` over each page workload."""
    for name, texts in page_texts(args.texts).items():
        secrets.matches(WARM_PAGE)
        for text in texts[:3]:
            secrets.matches(text)
        times, found = [], 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            found = sum(len(secrets.matches(text)) for text in texts)
            times.append(time.perf_counter() - t0)
        size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6
        print(f"{name}: {size:.2f} MB of text, {found} findings; median "
              f"{statistics.median(times):.3f} s ({size / statistics.median(times):.1f} MB/s), "
              f"min {min(times):.3f} s; rounds " + ", ".join(f"{t:.3f}" for t in times))
        if args.instructions:
            count = instructions(name, args.captures, args.texts)
            print(f"  instructions (callgrind, one scan): {count / 1e6:.0f} M "
                  f"({count / size / 1e6:.0f} M per MB)")


if __name__ == "__main__":
    main()
