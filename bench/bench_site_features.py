"""Benchmark: what the Korean site features (search index, word joiners) cost in a build.

The 300-page site of ``bench_snippets.py`` (generated again, here under bench/out/site_features:
pages with each output pasted under its command) built three ways: ``plain`` (MkDocs and
Material alone), ``execdocs`` (the plugin listed with snippets off; the site is Korean, so the
Korean search index and the word joiners run) and ``nofeatures`` (the same with
``site: {korean_search: false, korean_line_breaks: false}``). The features' price is
``execdocs`` - ``nofeatures``, read against ``plain``.

- rounds: interleaved (the order rotates), wall and CPU (user + system) per build, the load
  average printed at the start and the end; a run at a load above the core count is no verdict;
- ``--instructions``: one build of each variant under callgrind (instructions do not depend on
  the load), and the features alone: ``augment_index`` (with the index's JSON read and written,
  as the adapter does) and ``join`` of every page, on the ``nofeatures`` build's output;
- ``--check REV``: the ``execdocs`` variant built once with this tree's plugin and once with the
  plugin of git revision REV (``git archive``, on PYTHONPATH); every file of the two sites must
  be byte-identical (the search index and each page's HTML above all).

Usage: .venv/bin/python bench/bench_site_features.py [--pages 300] [--rounds 5]
                                                     [--instructions] [--check REV]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _common  # noqa: E402
import bench_snippets  # noqa: E402  (the generator of the 300-page site)

OUT = HERE / "out" / "site_features"
ROOT = HERE.parent
NOFEATURES = "      site:\n        korean_search: false\n        korean_line_breaks: false\n"
VARIANTS = ("plain", "execdocs", "nofeatures")
# One run of the features alone, on a built site without them (argv: site dir, what).
FEATURES_ALONE = """
import glob, json, os, sys
from execdocs.site import korean_search, word_joiner
site, what = sys.argv[1], sys.argv[2]
pages = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(site, "*.html")))]
index_path = os.path.join(site, "search", "search_index.json")
if what == "augment":
    with open(index_path, encoding="utf-8") as f:
        index = json.load(f)
    korean_search.augment_index(index)
    json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
elif what == "join":
    [word_joiner.join(p) for p in pages]
"""


def generate(pages: int, commands: int) -> None:
    """bench_snippets' site under OUT, and the config of the ``nofeatures`` variant."""
    bench_snippets.OUT = OUT
    bench_snippets.generate(pages, commands)
    off = (OUT / "mkdocs-off.yml").read_text(encoding="utf-8")
    (OUT / "mkdocs-nofeatures.yml").write_text(off + NOFEATURES, encoding="utf-8")


def config(name: str) -> Path:
    return OUT / {"plain": "mkdocs-pasted.yml", "execdocs": "mkdocs-off.yml",
                  "nofeatures": "mkdocs-nofeatures.yml"}[name]


def build_cmd(name: str, site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config(name)),
            "-d", str(site)]


def env(pythonpath: str | None = None) -> dict[str, str]:
    extra = {"PYTHONPATH": pythonpath} if pythonpath else {}
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def instructions(cmd: list[str], pythonpath: str | None = None) -> int:
    """Instructions executed by ``cmd`` and every process under it (callgrind's summary)."""
    return _common.instructions(cmd, OUT, env(pythonpath))


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=OUT, capture_output=True, text=True, env=env())
    wall = time.perf_counter() - start
    after = os.times()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return wall, (after.children_user - before.children_user
                  + after.children_system - before.children_system)


def same_sites(a: Path, b: Path) -> list[str]:
    """Relative paths whose bytes differ (or that only one site has)."""
    files = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(str(f) for f in files
                  if not (a / f).is_file() or not (b / f).is_file()
                  or (a / f).read_bytes() != (b / f).read_bytes())


def check(rev: str) -> None:
    """The ``execdocs`` site built by this tree and by revision ``rev``: every byte equal."""
    with tempfile.TemporaryDirectory(prefix="site-features-") as tmp:
        archive = subprocess.run(["git", "archive", rev, "plugins"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        sites = {"this tree": OUT / "site-check-new", rev: OUT / "site-check-old"}
        for (label, site), path in zip(sites.items(), (None, f"{tmp}/plugins"), strict=True):
            proc = subprocess.run(build_cmd("execdocs", site), cwd=OUT, capture_output=True,
                                  text=True, env=env(path))
            if proc.returncode != 0:
                sys.exit(f"build with {label} failed:\n{proc.stderr[-2000:]}")
        new, old = sites.values()
        differ = same_sites(new, old)
        pages = len(list(new.glob("*.html")))
        print(f"check against {rev}: {pages} pages + search index; "
              + ("every file byte-identical" if not differ else f"DIFFERENT: {differ[:20]}"))
        if differ:
            sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--commands", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--check", metavar="REV")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    loads = [os.getloadavg()[0]]
    print(f"start {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cores} cores, "
          f"load average {loads[0]:.1f}")
    generate(args.pages, args.commands)
    if args.check:
        check(args.check)
    runs: dict[str, list[tuple[float, float]]] = {n: [] for n in VARIANTS}
    for r in range(args.rounds):
        order = VARIANTS[r % 3:] + VARIANTS[:r % 3]
        for name in order:
            runs[name].append(timed(build_cmd(name, OUT / f"site-{name}")))
        loads.append(os.getloadavg()[0])
        print(f"round {r + 1} (load {loads[-1]:.1f}): " + ", ".join(
            f"{n} {runs[n][-1][0]:.2f} s wall / {runs[n][-1][1]:.2f} s CPU" for n in VARIANTS))
    if args.rounds:
        med = {n: sorted(c for _, c in runs[n])[len(runs[n]) // 2] for n in VARIANTS}
        share = (med["execdocs"] - med["nofeatures"]) / med["plain"]
        print("median CPU: " + ", ".join(f"{n} {med[n]:.2f} s" for n in VARIANTS)
              + f"; features (execdocs - nofeatures) = {100 * share:+.1f} % of plain")
    if args.instructions:
        counts = {n: instructions(build_cmd(n, OUT / f"site-cg-{n}")) for n in VARIANTS}
        site = str(OUT / "site-cg-nofeatures")
        base = instructions([sys.executable, "-c", FEATURES_ALONE, site, "none"])
        alone = {w: instructions([sys.executable, "-c", FEATURES_ALONE, site, w]) - base
                 for w in ("augment", "join")}
        plain = counts["plain"]
        print("instructions (callgrind, one build each): " + ", ".join(
            f"{n} {counts[n] / 1e9:.2f} G" for n in VARIANTS)
            + f"; execdocs / plain {counts['execdocs'] / plain:.3f}, features (execdocs - "
              f"nofeatures) {100 * (counts['execdocs'] - counts['nofeatures']) / plain:+.1f} %")
        print("features alone: " + ", ".join(
            f"{w} {alone[w] / 1e9:.3f} G = {100 * alone[w] / plain:.2f} % of plain"
            for w in alone))
    loads.append(os.getloadavg()[0])
    verdict = "" if max(loads) <= cores else "  (load above the core count: not a verdict)"
    print(f"end {time.strftime('%H:%M UTC', time.gmtime())}, load average "
          f"{min(loads):.1f}-{max(loads):.1f}{verdict}")


if __name__ == "__main__":
    main()
