"""Benchmark: the secret rules (execdocs' field rules, the keyword rule, gitleaks' list,
decoded base64) over 3,000 capture outputs, as the snippet check runs them.

Two workloads, each scanned as the check scans a capture (command, run, stdout and stderr with
``secrets.scan_many``): bench_snippets.py's 3,000 kubectl tables (~12 lines each), and this
site's own captures cycled to 3,000. Prints the one-off cost of loading the gitleaks rules and,
per round, the time to scan all of them; the machine is shared, so read the numbers as a rough
size, not a verdict.

Usage: .venv/bin/python bench/bench_secrets.py [--captures 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench_snippets import _output  # the same kubectl tables as the snippets bench
from execdocs import secret_gitleaks, secrets
from execdocs.snippets.store import load_store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    site = [c for s in load_store(ROOT / "captures").sessions.values() for c in s.captures]
    tables = [(f"kubectl get pods -n ns-{i:05d} -o wide", _output(i), b"")
              for i in range(args.captures)]
    cycled = [(c.command, c.stdout, c.stderr) for c in
              (site[i % len(site)] for i in range(args.captures))]
    t0 = time.perf_counter()
    secret_gitleaks.load()
    print(f"gitleaks rules loaded once: {time.perf_counter() - t0:.3f} s")
    for name, work in (("kubectl tables", tables), ("this site's captures", cycled)):
        times, found = [], 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            found = 0
            for command, stdout, stderr in work:
                found += len(secrets.scan_many((("command", command, True),
                                                ("run", command, True),
                                                ("stdout", stdout, False),
                                                ("stderr", stderr, False))))
            times.append(time.perf_counter() - t0)
        size = sum(len(o) + len(e) for _c, o, e in work)
        print(f"{name}: {len(work)} captures ({size / 1e6:.1f} MB), {found} findings; "
              f"median {statistics.median(times):.3f} s, min {min(times):.3f} s "
              f"over {args.rounds} rounds")

if __name__ == "__main__":
    main()
