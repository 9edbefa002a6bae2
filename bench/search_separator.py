"""Benchmark: cost of the Korean search separator in the browser (headless Debian Chromium).

Material's search worker splits every text of the index with ``new RegExp(separator, "g")``
when a page opens its search. This script times that work on the real site's index, tiled to
a larger site, for Material's default separator, the execdocs base separator, and the site
separator with the site's own phrases and with 2,000 extra (random) phrases.

    .venv/bin/python bench/search_separator.py [--copies 10]

Numbers are medians of 5 runs in one browser; compare ratios from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from execdocs.site import korean_search as ks
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

_TIME_SPLIT = r"""
([separator, texts]) => {
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const source = separator + "|(?!)".repeat(r);  // a new source each run: no regexp cache
    const start = performance.now();
    let tokens = 0;
    for (const text of texts) {
      const re = new RegExp(source, "g");
      let match, index = 0;
      do {
        match = re.exec(text);
        const until = match ? match.index : text.length;
        if (index < until) tokens++;
        if (match) {
          index = match.index + match[0].length;
          if (match[0].length === 0) re.lastIndex = match.index + 1;
        }
      } while (match);
    }
    runs.push([performance.now() - start, tokens]);
  }
  runs.sort((a, b) => a[0] - b[0]);
  return runs[2];
}
"""


def _site_index() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", tmp],
            cwd=REPO, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        return json.loads((Path(tmp) / "search" / "search_index.json").read_text("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="tile the site's texts N times")
    args = parser.parse_args()

    index = _site_index()
    texts = [ks.plain_text(d["title"] + "\n" + d["text"]) for d in index["docs"]] * args.copies
    pairs = ks.site_phrases(index)
    rng = random.Random(1)

    def word() -> str:
        return "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(2, 4)))

    extra = pairs | {(word(), word()) for _ in range(2000)}
    cases = [
        ("Material default [\\s\\-]+", "[\\s\\-]+"),
        ("execdocs base (punctuation, particles)", ks.SEPARATOR),
        (f"execdocs site ({len(pairs)} phrases)", ks.separator_for(pairs)),
        (f"execdocs site + 2000 phrases ({len(extra)})", ks.separator_for(extra)),
    ]
    size = sum(map(len, texts))
    print(f"{len(texts)} texts, {size:,} characters ({args.copies} copies of the site)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        for label, separator in cases:
            ms, tokens = page.evaluate(_TIME_SPLIT, [separator, texts])
            print(f"{label:45} {ms:8.1f} ms  {tokens:7,} tokens")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
