"""Where a build's CPU time goes, by execdocs module: a sampling profiler (SIGPROF).

    .venv/bin/python bench/cpu_samples.py SITE_DIR [SITE_DIR ...]

Builds each site once, in this process (a fresh process per run gives a cold interpreter:
run it several times), and counts the CPU-time samples (ITIMER_PROF, one per kernel tick,
~4 ms here) whose stack holds a frame of each ``execdocs`` package or module. Unlike
cProfile it adds nothing per call, and unlike callgrind it counts time, stalls included:
what a warm diagram build spends in ``diagrams`` is its share of the samples.
"""

from __future__ import annotations

import collections
import logging
import os
import signal
import sys
from types import FrameType

from mkdocs.commands.build import build
from mkdocs.config import load_config


def profile(site: str) -> tuple[int, collections.Counter[str]]:
    """(samples, samples per execdocs package or module) of one build of ``site``."""
    counts: collections.Counter[str] = collections.Counter()
    total = 0

    def sample(_sig: int, frame: FrameType | None) -> None:
        nonlocal total
        total += 1
        tags = set()
        while frame is not None:
            name = frame.f_code.co_filename
            if "/execdocs/" in name:
                tags.add(name.split("/execdocs/")[1].split("/")[0].removesuffix(".py"))
            frame = frame.f_back
        counts.update(tags or {"(MkDocs, Material, Markdown: no execdocs frame)"})

    cwd = os.getcwd()
    os.chdir(site)
    logging.disable(logging.WARNING)
    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)
    try:
        cfg = load_config("mkdocs.yml", strict=True)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        os.chdir(cwd)
    return total, counts


def main() -> None:
    for site in sys.argv[1:]:
        total, counts = profile(site)
        print(f"{site}: {total} samples")
        for tag, n in counts.most_common(12):
            print(f"  {n:5d}  {100 * n / total:5.1f} %  {tag}")


if __name__ == "__main__":
    main()
