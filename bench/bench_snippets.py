"""Benchmark: what execdocs snippets cost a build against pasting the outputs by hand (issue 14).

Generates (under bench/out/snippets/, git-ignored) a site of 300 pages with 10 console commands
each -- 3,000 commands, every one with a capture of a ~12-line kubectl-style table and two
table assertions, fences at top level, in admonitions and in content tabs -- in four variants
built from the same generator:

  * ``on``: execdocs snippets on (parse, match, check, render, place, guard);
  * ``pasted``: what an author does without execdocs (as the Kubernetes website does): each
    command in a console fence, the same provenance line as Markdown text (excluded from search,
    as execdocs excludes its own) and the captured output pasted in a plain ``text`` fence below
    it; same visible content, same search index size (both printed); built by MkDocs and
    Material alone, without the execdocs plugin: the plugin's whole price is measured;
  * ``off``: the ``pasted`` pages with the execdocs plugin listed and snippets off: what its
    other features cost (Korean search, word joiners, the render-time secret guard), so that
    ``on`` vs ``off`` is the snippets' own share;
  * ``cmds``: the same pages as ``on`` with snippets off (commands, no outputs): the old
    baseline, kept for reference only.

Rounds are interleaved (the order rotates every round); per round the paired ratio on/pasted is
taken for wall and CPU time (user + system of the build process), and the median ratio gets a
bootstrap 95 % interval. The load average is printed at the start and the end; a run whose load
average exceeds the number of cores is marked "not a verdict". ``--instructions`` also counts the
instructions of one build of each variant under Valgrind's callgrind (repeatable whatever the
load). ``execdocs check`` on the same project: median of ``--checks`` runs, and the share of the
secret scan in it (measured in-process).

Usage: .venv/bin/python bench/bench_snippets.py [--pages 300] [--commands 10] [--rounds 10]
                                                [--checks 5] [--instructions]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import _common
from _common import median_ci
from execdocs.snippets.store import (
    Capture,
    Session,
    capture_filename,
    load_store,
    save_capture,
    save_session,
)
from execdocs.snippets.words import words

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "snippets"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
LIMIT = 1.05  # snippets on / pasted outputs (issue 14)

MKDOCS_YML = """\
site_name: bench
docs_dir: {docs}
use_directory_urls: false
theme:
  name: material
  language: ko
  features: [content.code.copy]
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - search
{execdocs}"""
EXECDOCS = """\
  - execdocs:
      snippets:
        enabled: {enabled}
        session: bench
"""
# name -> (pages, snippets on, execdocs plugin listed)
VARIANTS = {"on": ("docs", True, True), "pasted": ("docs-pasted", False, False),
            "off": ("docs-pasted", False, True), "cmds": ("docs", False, True)}

PARAGRAPH = ("kubelet은 노드에서 Pod를 원하는 상태로 유지하는 에이전트입니다. 컨테이너 런타임"
             "(containerd)에 CRI로 요청해 이미지를 받고 컨테이너를 만들고 시작합니다.\n")
SYSTEM = "generated"


def _output(i: int) -> bytes:
    """A kubectl-style table, padded like Go's tabwriter (3 blanks between columns)."""
    rows = [["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]]
    for j in range(11):
        rows.append([f"app-{i:05d}-{j:02d}-7c5ddbdf54", "1/1", "Running", "0", f"{j + 1}d",
                     f"10.42.{j}.{i % 250}", f"k3s-agent-{j % 3}"])
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = ["   ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip()
             for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _fence(cmds: list[str], indent: str = "") -> str:
    """An execdocs fence: the directive with two table assertions per command, the commands."""
    directive = [f"{indent}<!-- execdocs"]
    for c in cmds:
        directive += [f"{indent}$ {c}", f"{indent}  STATUS=Running", f"{indent}  rows=11"]
    directive.append(f"{indent}-->")
    body = [f"{indent}```console"] + [f"{indent}$ {c}" for c in cmds] + [f"{indent}```"]
    return "\n".join(directive + body) + "\n"


def _pasted(cmds: list[str], outputs: dict[str, bytes], indent: str = "") -> str:
    """The same commands written by hand: command, provenance line as text, output pasted."""
    w = words("ko")
    # the words execdocs shows (badge, hint, note, system), kept out of search like execdocs'
    line = f"**{w['illustrative']}** {w['details']} · {w['note-illustrative']} · {SYSTEM}"
    out: list[str] = []
    for c in cmds:
        out += ["```console", f"$ {c}", "```", "", line, "{ data-search-exclude }", "",
                "```text"]
        out += outputs[c].decode().rstrip("\n").split("\n") + ["```", ""]
    return "".join(f"{indent}{ln}\n" if ln else "\n" for ln in out)


def generate(pages: int, per_page: int) -> None:
    """Write the configs, both page sets and one capture per command under bench/out/snippets."""
    if OUT.exists():
        shutil.rmtree(OUT)
    for docs in ("docs", "docs-pasted"):
        (OUT / docs).mkdir(parents=True)
    save_session(Session(name="bench", system=SYSTEM, provenance="illustrative"),
                 OUT / "captures" / "bench")
    n = 0
    for p in range(pages):
        cmds: list[str] = []
        outputs: dict[str, bytes] = {}
        for _ in range(per_page):
            cmds.append(f"kubectl get pods -n ns-{n:05d} -o wide")
            outputs[cmds[-1]] = _output(n)
            cap = Capture(command=cmds[-1], run=cmds[-1], stdout=outputs[cmds[-1]])
            save_capture(cap, OUT / "captures" / "bench" / capture_filename(cmds[-1]))
            n += 1
        for docs, fence in (("docs", _fence),
                            ("docs-pasted", lambda c, i="", o=outputs: _pasted(c, o, i))):
            parts = [f"# 페이지 {p}\n", PARAGRAPH]
            # four commands at top level (two fences), three in an admonition, three in tabs
            parts += [fence(cmds[0:2]), PARAGRAPH, fence(cmds[2:4]), PARAGRAPH]
            parts += ['!!! note "메모"\n', fence(cmds[4:7], "    "), PARAGRAPH]
            parts += ['=== "탭 A"\n\n', fence(cmds[7:9], "    "), '\n=== "탭 B"\n\n',
                      fence(cmds[9:], "    "), PARAGRAPH]
            (OUT / docs / f"page{p:03d}.md").write_text("\n".join(parts), encoding="utf-8")
    for name, (docs, enabled, listed) in VARIANTS.items():
        plugin = EXECDOCS.format(enabled=str(enabled).lower()) if listed else ""
        (OUT / f"mkdocs-{name}.yml").write_text(
            MKDOCS_YML.format(docs=docs, execdocs=plugin), encoding="utf-8")


def _build_cmd(name: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
            "-f", str(OUT / f"mkdocs-{name}.yml"), "-d", str(OUT / f"site-{name}")]


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the child and its children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=OUT, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def instructions(cmd: list[str]) -> int:
    """Instructions executed by ``cmd`` and every process under it (callgrind's summary)."""
    return _common.instructions(cmd, OUT, ENV)


def _pct(x: float) -> str:
    return f"{100 * (x - 1):+.1f} %"


def site_sizes(name: str) -> tuple[int, int, int]:
    """(HTML bytes of the pages, search index entries, characters of indexed text)."""
    site = OUT / f"site-{name}"
    html = sum(p.stat().st_size for p in site.glob("page*.html"))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return html, len(index["docs"]), sum(len(d["text"]) + len(d["title"]) for d in index["docs"])


def check_share(config: Path) -> tuple[float, float]:
    """In-process ``execdocs check``: (seconds in all, seconds in the secret scan)."""
    from execdocs import secrets
    from execdocs.cli import main as cli_main
    from execdocs.snippets import check

    spent = [0.0]

    def timed(fn):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[0] += time.perf_counter() - t
        return wrapper

    saved = (check.secrets.scan_many, check.secrets.unredacted_output, check.secrets.scan)
    check.secrets = type(secrets)("secrets_timed")  # a module stand-in with timed functions
    check.secrets.__dict__.update(secrets.__dict__)
    check.secrets.scan_many, check.secrets.unredacted_output, check.secrets.scan = map(timed, saved)
    try:
        cwd = os.getcwd()
        os.chdir(OUT)
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            cli_main(["check", "-q", "-f", str(config)])
        total = time.perf_counter() - start
    finally:
        os.chdir(cwd)
        check.secrets = secrets
    return total, spent[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--commands", type=int, default=10, help="commands per page")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--checks", type=int, default=5)
    parser.add_argument("--cold-checks", action="store_true",
                        help="empty execdocs' snippet cache before each check (the first check "
                        "of an edited project); by default a check after the first replays it")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions (callgrind, one build of each variant)")
    parser.add_argument("--only", default=",".join(VARIANTS),
                        help="variants to build (on and pasted always): e.g. on,pasted")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    loads = [os.getloadavg()[0]]
    print(f"start {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cores} cores, "
          f"load average {loads[0]:.1f}")
    generate(args.pages, args.commands)
    wanted = set(args.only.split(",")) | {"on", "pasted"}
    names = [n for n in VARIANTS if n in wanted]
    runs: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
    for r in range(args.rounds):
        k = r % len(names)
        order = names[k:] + names[:k]  # rotate: no variant is always first
        for name in order:
            runs[name].append(_timed(_build_cmd(name)))
        loads.append(os.getloadavg()[0])
    check = [str(Path(sys.executable).with_name("execdocs")), "check", "-q",
             "-f", str(OUT / "mkdocs-on.yml")]
    checks = []
    for _ in range(args.checks):
        if args.cold_checks:
            shutil.rmtree(OUT / ".cache" / "execdocs" / "snippets", ignore_errors=True)
        checks.append(_timed(check))
    in_process = []
    for _ in range(args.checks):
        if args.cold_checks:
            shutil.rmtree(OUT / ".cache" / "execdocs" / "snippets", ignore_errors=True)
        in_process.append(check_share(OUT / "mkdocs-on.yml"))
    start = time.perf_counter()
    store = load_store(OUT / "captures")
    load_s = time.perf_counter() - start
    loads.append(os.getloadavg()[0])
    total = sum(len(s.captures) for s in store.sessions.values())

    print(f"site: {args.pages} pages, {args.pages * args.commands} commands, {total} captures")
    for name in names:
        html, entries, chars = site_sizes(name)
        print(f"  {name:6s}: pages {html / 1e6:.1f} MB of HTML, search index {entries} entries, "
              f"{chars / 1e6:.2f} M characters")
    for name in names:
        w, c = [x[0] for x in runs[name]], [x[1] for x in runs[name]]
        print(f"build {name:6s}: wall median {statistics.median(w):.2f} s, CPU median "
              f"{statistics.median(c):.2f} s  raw wall {[round(x, 2) for x in w]} "
              f"CPU {[round(x, 2) for x in c]}")
    verdict = max(loads) <= cores and args.rounds >= 10
    why = "" if verdict else (f"  [not a verdict: load average up to {max(loads):.1f} > "
                              f"{cores} cores]" if max(loads) > cores else
                              f"  [not a verdict: {args.rounds} rounds < 10]")
    for k in (0, 1):  # wall, CPU
        ratios = [a[k] / b[k] for a, b in zip(runs["on"], runs["pasted"], strict=True)]
        m, lo, hi = median_ci(ratios)
        head = "snippets vs pasted outputs" + ("" if k == 0 else " (CPU)")
        print(f"{head}: {_pct(m)} (95 % CI {_pct(lo)} … {_pct(hi)}){why}")
    for other, label in (("off", "execdocs with snippets off (its other features: Korean search,"
                                 " word joiners, the secret guard)"),
                         ("cmds", "the commands alone, no outputs (the old baseline)")):
        if other not in runs:
            continue
        ratios = [a[1] / b[1] for a, b in zip(runs["on"], runs[other], strict=True)]
        m, lo, hi = median_ci(ratios)
        print(f"for reference, snippets on vs {label}, CPU: {_pct(m)} "
              f"(95 % CI {_pct(lo)} … {_pct(hi)})")
    cw = [x[0] for x in checks]
    print(f"execdocs check: wall median {statistics.median(cw):.2f} s {[round(x, 2) for x in cw]}"
          f", CPU median {statistics.median(x[1] for x in checks):.2f} s (target <= 0.3 s)")
    inner = statistics.median(t for t, _s in in_process)
    scan = statistics.median(s for _t, s in in_process)
    print(f"  in-process check: median {inner:.3f} s, of which the secret scan {scan:.3f} s "
          f"({100 * scan / inner:.0f} %)")
    print(f"load {total} captures: {load_s * 1000:.0f} ms")
    print(f"load average: {' '.join(f'{x:.1f}' for x in loads)} (start, after each round, end)")
    if args.instructions:
        counts = {name: instructions(_build_cmd(name)) for name in names}
        print("instructions (callgrind, one build each, all processes): "
              + ", ".join(f"{n} {counts[n] / 1e9:.2f} G" for n in names))
        off = (f"; vs execdocs with snippets off: {_pct(counts['on'] / counts['off'])}"
               if "off" in counts else "")
        print(f"snippets vs pasted outputs, instructions: "
              f"{_pct(counts['on'] / counts['pasted'])}{off}")


if __name__ == "__main__":
    main()
