"""Benchmark: what execdocs adds to the build of a site shaped like real docs (issue 13: <= 5 %).

A generated English site of ``--pages`` pages (default 300) in the shapes of public MkDocs
sites of this field (k0s, k3d, ingress-nginx; see tests/samples/realworld/SOURCES.md): prose,
``bash``/``shell``/``yaml`` fences with no prompt (most code on real sites), ``console``
fences with ``$`` commands and written output, admonitions and content tabs holding fences.
Only the console commands need captures (one session, one capture per distinct command); the
rest is what execdocs must leave alone. The same site is built without execdocs twice, as
written ("plain": the console fences without their outputs) and with each command's output
pasted in ("pasted": what a user writes instead, the same visible content as the execdocs
pages), and with ``- execdocs`` added, as real ``mkdocs build --strict`` processes.

    .venv/bin/python bench/bench_realworld.py [--pages 300] [--rounds 20] [--instructions]
                                              [--profile] [--keep DIR]

- rounds are interleaved (the three back to back, each first, second and third in turn);
  per round the ratios execdocs / plain and execdocs / pasted, reported as the median with
  a bootstrap 95 % interval (10,000 resamples, fixed seed); wall time of the whole command,
  MkDocs' own "built in" figure, and CPU time (user + sys of the build process);
- the load average is printed at the start and the end (a run at load > 2 is no verdict);
- ``--instructions``: the instructions executed by one plain, one pasted and one execdocs build
  (warm, and cold with ``.cache/`` removed) under
  Valgrind's callgrind (load-independent; about 50x slower than a build);
- ``--profile``: one execdocs build under cProfile in this process, the top functions by
  cumulative time inside execdocs;
- ``--attribution N``: N rounds of in-process builds (CPU time of this process): plain,
  execdocs, and execdocs with the render-time secret guard replaced by a no-op, so the guard's
  share of what execdocs adds is measured, not guessed (a diagnostic: the guard stays on).
The raw rounds are printed too (keep them with the numbers).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
import _common  # noqa: E402
from _common import median_ci  # noqa: E402
from execdocs.snippets.store import (  # noqa: E402
    Capture,
    Session,
    capture_filename,
    save_capture,
    save_session,
)

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
LIMIT = 1.05

MKDOCS_YML = """\
site_name: Bench docs
docs_dir: docs
use_directory_urls: false
theme:
  name: material
  language: en
  features: [content.code.copy, content.tabs.link]
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - search
{plugin}"""
PLUGIN = "  - execdocs:\n      snippets:\n        session: bench\n"

PROSE = ("The agent joins the cluster with the token printed by the controller. Its kubelet "
         "registers the node, and the scheduler starts placing workloads on it once it is "
         "Ready. Nothing on this node needs a restart when the control plane is upgraded; "
         "check the version skew policy before you upgrade the workers.")

YAML = """\
apiVersion: k0s.k0sproject.io/v1beta1
kind: ClusterConfig
metadata:
  name: k0s-{i}
spec:
  api:
    address: 192.168.68.{ip}
    port: 6443
    sans:
      - 192.168.68.{ip}
  network:
    provider: kuberouter
    podCIDR: 10.244.0.0/16
    serviceCIDR: 10.96.0.0/12
"""


def _outputs(i: int) -> tuple[str, str, str]:
    pods = ("NAME                       READY   STATUS    RESTARTS   AGE\n"
            f"web-{i:03d}-7c5ddbdf54-2xkqz   1/1     Running   0          {i % 50 + 2}m\n"
            f"web-{i:03d}-7c5ddbdf54-9qkzv   1/1     Running   0          {i % 50 + 2}m\n")
    nodes = ("NAME      STATUS   ROLES           AGE   VERSION\n"
             f"node-{i}    Ready    control-plane   5d    v1.33.1+k0s\n"
             f"worker-{i}  Ready    <none>          5d    v1.33.1+k0s\n")
    version = f"Client Version: v1.33.{i % 9}\nKustomize Version: v5.6.0\n"
    return pods, nodes, version


def page(i: int) -> tuple[str, dict[str, str]]:
    """Markdown of page ``i`` and the console commands on it with their outputs."""
    pods, nodes, version = _outputs(i)
    commands = {f"kubectl get pods -n team-{i}": pods,
                f"kubectl get nodes --context site-{i}": nodes,
                f"kubectl version --client --context site-{i}": version}
    first = pods.split("\n")[1]
    text = f"""\
# Page {i}: installing a worker

{PROSE}

## Before you begin {{#before-{i}}}

!!! note "Requirements"
    - a Linux host with systemd
    - ports 6443 and 10250 open between the nodes

    ```bash
    curl -sSLf https://get.k0s.sh | sudo sh
    sudo k0s install worker --token-file /etc/k0s/token-{i}
    ```

{PROSE}

1. Write the configuration:

    ```yaml
{_indent(YAML.format(i=i, ip=i % 250 + 2), 4)}
    ```

2. Start the service and wait for it:

    ```shell
    sudo k0s start
    sudo systemctl status k0sworker --no-pager
    ```

=== "Linux"

    ```bash
    export KUBECONFIG=/var/lib/k0s/pki/admin-{i}.conf
    kubectl get nodes -o wide
    ```

=== "macOS"

    ```bash
    brew install kubectl
    kubectl config use-context site-{i}
    ```

## Check the workloads {{#check-{i}}}

```console
$ kubectl get pods -n team-{i}
NAME                       READY   STATUS    RESTARTS   AGE
{first}
...
```

{PROSE}

??? tip "Both nodes"

    ```console
    $ kubectl get nodes --context site-{i}
    ```

```console
$ kubectl version --client --context site-{i}
```

```text
This block is plain text: the prompt-less output of a tool, left as written.
```

{PROSE} See [the next page](p{(i + 1) % 300:03d}.md#before-{(i + 1) % 300}).
"""
    return text, commands


def _indent(text: str, n: int) -> str:
    return "\n".join((" " * n + ln) if ln else ln for ln in text.rstrip("\n").split("\n"))


def pasted(text: str, commands: dict[str, str]) -> str:
    """``text`` with each console command's whole output pasted under it, at the fence's
    indentation, instead of what the page wrote there: the page a user writes without
    execdocs, showing what the execdocs page shows."""
    for command, out in commands.items():
        m = re.search(r"^(?P<lead>[ \t]*)\$ " + re.escape(command)
                      + r"\n(?P<body>.*?)^(?P=lead)```", text, re.S | re.M)
        assert m is not None, command
        lead = m.group("lead")
        body = "".join(f"{lead}{ln}\n" if ln else "\n" for ln in out.rstrip("\n").split("\n"))
        text = text[:m.start("body")] + body + text[m.end("body"):]
    return text


def make_site(root: Path, pages: int, with_execdocs: bool, paste: bool = False) -> None:
    """Write the site (pages, mkdocs.yml; captures only when ``with_execdocs``; ``paste``:
    the outputs written into the pages instead, see :func:`pasted`)."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(plugin=PLUGIN if with_execdocs else ""),
                                     encoding="utf-8")
    session = root / "captures" / "bench"
    if with_execdocs:
        save_session(Session(name="bench", system="generated bench site",
                             provenance="illustrative", versions={"kubectl": "v1.33.1"}),
                     session)
    for i in range(pages):
        text, commands = page(i)
        text = text.replace(f"p{(i + 1) % 300:03d}.md", f"p{(i + 1) % pages:03d}.md")
        if paste:
            text = pasted(text, commands)
        (docs / f"p{i:03d}.md").write_text(text, encoding="utf-8")
        if with_execdocs:
            for command, out in commands.items():
                save_capture(Capture(command=command, run=command, stdout=out.encode()),
                             session / capture_filename(command))
    (docs / "index.md").write_text("# Bench\n\n" + "\n".join(
        f"- [Page {i}](p{i:03d}.md)" for i in range(pages)) + "\n", encoding="utf-8")


def build(root: Path) -> tuple[float, float, float, str]:
    """(wall seconds of the command, MkDocs' 'built in' seconds, CPU seconds, log)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                          capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{proc.stderr}")
    m = re.search(r"Documentation built in ([\d.]+) seconds", proc.stderr)
    return wall, float(m.group(1)) if m else wall, cpu, proc.stderr


def instructions(root: Path) -> int:
    """Instructions executed by one ``mkdocs build --strict`` (callgrind, all processes)."""
    return _common.instructions([sys.executable, "-m", "mkdocs", "build", "--strict"], root, ENV)


def verdict(low: float, high: float, rounds: int) -> str:
    """Met / not met only when the whole interval is on one side of the limit."""
    if rounds < 10:
        return f"no verdict at {rounds} rounds (use at least 10)"
    if high <= LIMIT:
        return "**met** (the whole 95 % interval is within 1.05)"
    if low > LIMIT:
        return "**not met** (the whole 95 % interval is above 1.05)"
    return f"not distinguishable from the limit at {rounds} rounds (the interval spans 1.05)"


def load() -> str:
    """The 1/5/15-minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def profile(root: Path, top: int = 25) -> None:
    """One execdocs build under cProfile in this process: where execdocs' time goes."""
    import cProfile
    import pstats

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), strict=True)
    prof = cProfile.Profile()
    prof.enable()
    mkdocs_build(config)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\ncProfile: whole build {total:.2f} s of CPU in this process; execdocs functions "
          "by cumulative time:")
    rows = [(v[3], v[2], k) for k, v in stats.stats.items()  # type: ignore[attr-defined]
            if "/execdocs/" in k[0]]
    for cum, own, (path, line, name) in sorted(rows, reverse=True)[:top]:
        short = path.split("/execdocs/", 1)[1]
        print(f"  {cum:7.3f} s cum  {own:7.3f} s own  {short}:{line} {name}")


def attribution(plain: Path, ours: Path, rounds: int) -> None:
    """CPU seconds of in-process builds: plain, execdocs, execdocs without the secret guard."""
    from execdocs import secret_guard
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    real = (secret_guard.guard, secret_guard.PageScrubber.scrub, secret_guard.scrub_toc)

    def one(root: Path, guard: bool) -> float:
        # the adapter calls these three: the content guard, the final pass, the titles
        secret_guard.guard = real[0] if guard else (  # type: ignore[assignment]
            lambda html, *a, **k: secret_guard.Guarded(html, [], False))
        secret_guard.PageScrubber.scrub = real[1] if guard else (  # type: ignore[method-assign]
            lambda self, html, *a, **k: (html, 0))
        secret_guard.scrub_toc = real[2] if guard else (lambda page: None)
        os.chdir(root)
        config = load_config(str(root / "mkdocs.yml"), strict=True)
        started = time.process_time()
        mkdocs_build(config)
        return time.process_time() - started

    import logging
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    got: dict[str, list[float]] = {"plain": [], "execdocs": [], "no guard": []}
    one(ours, True)  # warm-up: imports, caches
    for r in range(rounds):
        runs = [("plain", plain, True), ("execdocs", ours, True), ("no guard", ours, False)]
        for name, root, guard in runs[r % 3:] + runs[:r % 3]:
            got[name].append(one(root, guard))
        print(f"  attribution round {r + 1}: " + ", ".join(
            f"{k} {v[-1]:.2f} s" for k, v in got.items()) + f"; load {load()}", flush=True)
    med = {k: statistics.median(v) for k, v in got.items()}
    added, without = med["execdocs"] - med["plain"], med["no guard"] - med["plain"]
    print(f"\nCPU, median of {rounds} in-process builds: plain {med['plain']:.2f} s, execdocs "
          f"{med['execdocs']:.2f} s (+{added / med['plain']:.0%}), execdocs without the secret "
          f"guard {med['no guard']:.2f} s (+{without / med['plain']:.0%}); the guard is "
          f"{(added - without) / added:.0%} of what execdocs adds")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--instructions", action="store_true")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--attribution", type=int, default=0, metavar="N")
    ap.add_argument("--keep", type=Path, help="build the sites here and keep them")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-realworld-"))
    if base.exists() and args.keep:
        shutil.rmtree(base)
    plain, paste, ours = base / "plain", base / "pasted", base / "execdocs"
    make_site(plain, args.pages, False)
    make_site(paste, args.pages, False, paste=True)
    make_site(ours, args.pages, True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"bench_realworld: {args.pages} pages, {args.rounds} rounds, started {started}, "
          f"load average {load()}")
    if args.rounds:
        _, _, _, log = build(ours)  # warm-up (imports, file cache) and a check of the site
        summary = next((ln for ln in log.split("\n") if "snippets:" in ln), "")
        print(f"execdocs build: {summary.split('execdocs:', 1)[-1].strip()}")
        build(plain)
        build(paste)
    rows: list[tuple[float, ...]] = []
    sites = [plain, paste, ours]
    for r in range(args.rounds):
        order = sites[r % 3:] + sites[:r % 3]  # each first, second and third in turn
        got = {p: build(p)[:3] for p in order}
        rows.append((*got[plain], *got[ours], *got[paste]))
        print(f"  round {r + 1:2d} ({' '.join(p.name for p in order)}): " + "; ".join(
            f"{p.name} {got[p][0]:.2f} s wall / {got[p][1]:.2f} s built / {got[p][2]:.2f} s cpu"
            for p in sites) + f"; load {load()}", flush=True)
    print(f"ended {time.strftime('%H:%M UTC', time.gmtime())}, load average {load()}\n")
    if rows:
        print("execdocs against the pages as written (console fences without their outputs):\n")
        _table([row[:6] for row in rows])
        print("\nexecdocs against the pages with the outputs pasted in (what a user writes "
              "instead; the same visible content):\n")
        _table([row[6:9] + row[3:6] for row in rows])
    if args.instructions:
        if not args.rounds:
            build(ours)  # warm: what a rebuild finds in .cache/ (captures' verdicts, guard memo)
        a, p, b = instructions(plain), instructions(paste), instructions(ours)
        shutil.rmtree(ours / ".cache", ignore_errors=True)  # cold: a fresh clone, as on CI
        c = instructions(ours)
        print("\ninstructions executed (callgrind, one build each; warm = a rebuild with "
              ".cache/ kept, cold = .cache/ removed):\n")
        print("| plain | pasted | execdocs warm | execdocs cold | warm ÷ plain | warm ÷ pasted "
              "| cold ÷ plain |\n|---|---|---|---|---|---|---|")
        print(f"| {a / 1e9:.2f} G | {p / 1e9:.2f} G | {b / 1e9:.2f} G | {c / 1e9:.2f} G "
              f"| **{b / a:.3f}×** (≤ {LIMIT}) | {b / p:.3f}× | {c / a:.3f}× |")
    if args.attribution:
        attribution(plain, ours, args.attribution)
    if args.profile:
        profile(ours)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


def _table(rows: list[tuple[float, ...]]) -> None:
    print("| ratio execdocs ÷ plain per round | median (95 % CI) | limit | verdict |")
    print("|---|---|---|---|")
    for name, k in (("wall, whole command", 0), ("MkDocs 'built in'", 1), ("CPU (user+sys)", 2)):
        ratios = [row[3 + k] / row[k] for row in rows]
        med, low, high = median_ci(ratios)
        print(f"| {name} | {med:.3f} ({low:.3f} … {high:.3f}) | {LIMIT} | "
              f"{verdict(low, high, len(rows))} |")
    plain_med = statistics.median(row[0] for row in rows)
    ours_med = statistics.median(row[3] for row in rows)
    print(f"\nmedian wall: without execdocs {plain_med:.2f} s, execdocs {ours_med:.2f} s")


if __name__ == "__main__":
    main()
