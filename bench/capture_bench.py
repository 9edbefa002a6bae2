"""What the capture tool costs per command: runner overhead (local and over ssh to a real sshd on
127.0.0.1), the version probe, and drift classification of a 50-row table.

Run as root: .venv/bin/python bench/capture_bench.py   (numbers go to bench/README.md by hand)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from capture_lab import sshd_lab  # noqa: E402
from execdocs.capture.drift import Output, classify  # noqa: E402
from execdocs.capture.runner import Runner  # noqa: E402
from execdocs.capture.versions import probe_versions  # noqa: E402


def timed(fn, n: int) -> float:
    """Median seconds of ``n`` calls."""
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def table(rows: int, node: str, salt: int) -> bytes:
    head = "NAME                     READY   STATUS    RESTARTS   AGE   IP            NODE\n"
    body = "".join(f"web-{i:03d}-7c5ddbdf54-x{salt}f9z   1/1     Running   0          {salt}m"
                   f"    10.42.{i % 250}.{salt}    {node}\n" for i in range(rows))
    return (head + body).encode()


def main() -> None:
    results: list[tuple[str, float]] = []
    results.append(("bare subprocess.run(['true'])",
                    timed(lambda: subprocess.run(["true"], check=True), 50)))
    local = Runner()
    results.append(("Runner().run('true') (local, sh + sudo shim)",
                    timed(lambda: local.run("true"), 50)))
    results.append(("Runner().run('sudo ctr --version') (local)",
                    timed(lambda: local.run("sudo ctr --version"), 20)))
    results.append(("probe_versions(local) (9 probes, one script)",
                    timed(lambda: probe_versions(local), 3)))
    with sshd_lab() as config:
        fresh = Runner(ssh_host="lab", ssh_config=str(config), share_connection=False)
        results.append(("Runner(ssh).run('true'), a new connection each",
                        timed(lambda: fresh.run("true"), 20)))
        with Runner(ssh_host="lab", ssh_config=str(config)) as shared:
            shared.run("true")  # open the master connection outside the timing
            results.append(("Runner(ssh).run('true'), shared connection (ControlMaster)",
                            timed(lambda: shared.run("true"), 20)))
            results.append(("probe_versions(ssh)", timed(lambda: probe_versions(shared), 3)))
    a, b = Output(0, table(50, "k3s-m1", 5), b""), Output(0, table(50, "k3s-m1", 7), b"")
    c = Output(0, table(50, "k3s-a2", 7), b"")
    results.append(("classify 50-row table, volatile-only", timed(lambda: classify(a, b), 200)))
    results.append(("classify 50-row table, structural", timed(lambda: classify(a, c), 200)))
    for name, sec in results:
        print(f"| {name} | {sec * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
