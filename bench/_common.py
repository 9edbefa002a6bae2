"""What the benches share: the callgrind count of a command and the bootstrap interval of a
median (bench_diagrams.py keeps its own count, split by kind of process)."""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def instructions(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Instructions executed by ``cmd`` and every process under it, counted by Valgrind's
    callgrind (the sum of each process's ``summary:`` line). Unlike time, the count barely
    moves with the load of a shared machine. Exits naming the command when it fails."""
    with tempfile.TemporaryDirectory(prefix="callgrind-") as tmp:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--trace-children=yes",
             f"--log-file={tmp}/log.%p", f"--callgrind-out-file={tmp}/out.%p", *cmd],
            cwd=cwd, capture_output=True, text=True, env=env or dict(os.environ))
        if proc.returncode != 0:
            sys.exit(f"under valgrind, failed in {cwd}: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
        total = 0
        for out in Path(tmp).glob("out.*"):
            found = re.search(r"^summary: (\d+)$", out.read_text(errors="replace"), re.M)
            total += int(found.group(1)) if found else 0
        return total


def median_ci(values: list[float], resamples: int = 10000) -> tuple[float, float, float]:
    """(median, low, high): the median and its bootstrap 95 % interval (fixed seed)."""
    rng = random.Random(3)
    meds = sorted(statistics.median(rng.choices(values, k=len(values)))
                  for _ in range(resamples))
    return statistics.median(values), meds[int(0.025 * resamples)], meds[int(0.975 * resamples)]
