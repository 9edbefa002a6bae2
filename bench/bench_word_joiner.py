"""Benchmark: what the Korean word-joiner pass costs per page, against the build it runs in.

Builds this repository's site once (a real ``mkdocs build --strict`` into a temporary folder),
then times :func:`execdocs.site.word_joiner.join` on every built page with its joiners removed
(the input the plugin sees), median of ``--repeat`` runs per page, in the same process run.

    .venv/bin/python bench/bench_word_joiner.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from execdocs.site.word_joiner import WORD_JOINER, join

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-wj-") as tmp:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", tmp],
                       cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        build_s = time.perf_counter() - started
        pages = sorted(Path(tmp).glob("*.html"))
        rows, total = [], 0.0
        for page in pages:
            html = page.read_text(encoding="utf-8").replace(WORD_JOINER, "")
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                out = join(html)
                times.append(time.perf_counter() - t)
            ms = statistics.median(times) * 1000
            total += ms
            rows.append(f"| {page.name} | {len(html.encode()) / 1024:.0f} KB | "
                        f"{out.count(WORD_JOINER)} | {ms:.2f} ms |")
    print(f"machine: {os.cpu_count()} cores; median of {args.repeat} runs per page\n")
    print("| page | size | joiners | join() |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    print(f"\nall {len(pages)} pages: {total:.1f} ms; the whole build (one process, wall): "
          f"{build_s:.2f} s → {total / 1000 / build_s * 100:.1f} %")


if __name__ == "__main__":
    main()
