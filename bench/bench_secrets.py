"""Benchmark: the secret rules (execdocs' field rules, the keyword rule, gitleaks' list,
decoded base64) over 3,000 capture outputs, as the snippet check runs them.

Two workloads, each scanned as the check scans a capture (command, run, stdout and stderr with
``secrets.scan_many``): bench_snippets.py's 3,000 kubectl tables (~12 lines each), and this
site's own captures cycled to 3,000. Prints the load average, the one-off cost of loading the
gitleaks rules and, per round, the time to scan all of them (every round, raw); the machine is
shared, so read the times as a rough size. ``--instructions`` also counts the instructions of
one scan of each workload with Valgrind's callgrind (a run that loads and warms up without
scanning is subtracted), which barely moves with the load: that is the number to compare.

Usage: .venv/bin/python bench/bench_secrets.py [--captures 3000] [--rounds 5] [--instructions]
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

from bench_snippets import _output  # the same kubectl tables as the snippets bench
from execdocs import secret_gitleaks, secrets
from execdocs.snippets.store import load_store

ROOT = Path(__file__).resolve().parents[1]
Work = list[tuple[str, bytes, bytes]]


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


def instructions(name: str, captures: int) -> int:
    """Instructions of one scan of workload ``name`` (callgrind; setup subtracted)."""
    counts = []
    for scans in (0, 1):
        with tempfile.TemporaryDirectory(prefix="callgrind-") as tmp:
            subprocess.run(["valgrind", "--tool=callgrind", f"--log-file={tmp}/log",
                            f"--callgrind-out-file={tmp}/out", sys.executable, __file__,
                            "--worker", name, "--scans", str(scans),
                            "--captures", str(captures)], check=True, cwd=ROOT)
            summary = re.search(r"^summary: (\d+)$", Path(tmp, "out").read_text(), re.M)
            assert summary is not None
            counts.append(int(summary.group(1)))
    return counts[1] - counts[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--scans", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:  # under callgrind: set up, warm up on other texts, then scan N times
        work = workloads(args.captures)[args.worker]
        secrets.scan_many([("warm-up", "kubectl get secret -o yaml\nkind: Secret\ndata:\n"
                            "  a: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln token: x", False)])
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
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
