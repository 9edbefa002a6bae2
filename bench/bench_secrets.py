"""Benchmark: the secret rules (execdocs' field rules, the keyword rule, gitleaks' list,
decoded base64) over 3,000 capture outputs, as the snippet check runs them.

The outputs cycle through this site's own captures (stdout, stderr, command and run, as the
check scans them). Prints the one-off cost of compiling the gitleaks rules and, per round, the
time to scan all 3,000; the machine is shared, so read the numbers as a rough size, not a
verdict.

Usage: .venv/bin/python bench/bench_secrets.py [--captures 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from execdocs import secret_gitleaks, secrets
from execdocs.snippets.store import load_store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    caps = [c for s in load_store(ROOT / "captures").sessions.values() for c in s.captures]
    work = [caps[i % len(caps)] for i in range(args.captures)]
    t0 = time.perf_counter()
    secret_gitleaks.load()
    print(f"gitleaks rules compiled once: {time.perf_counter() - t0:.3f} s")
    times = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        found = 0
        for cap in work:
            found += len(secrets.scan(cap.command, shell=True)) + len(
                secrets.scan(cap.run, shell=True))
            found += len(secrets.scan(cap.stdout)) + len(secrets.scan(cap.stderr))
        times.append(time.perf_counter() - t0)
    size = sum(len(c.stdout) + len(c.stderr) for c in work)
    print(f"{args.captures} captures ({size / 1e6:.1f} MB), {found} findings per round; "
          f"scan per round: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s over {args.rounds} rounds")


if __name__ == "__main__":
    main()
