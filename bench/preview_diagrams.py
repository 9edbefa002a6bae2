"""Render standalone diagram SVGs to PNGs on a light and a dark page, for looking at them.

Usage: python bench/preview_diagrams.py OUT_DIR SVG... (headless Debian Chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = {"light": ("#ffffff", "#000000de"), "dark": ("#1e2129", "#e2e4e9")}  # Material colours


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        for svg_path in map(Path, sys.argv[2:]):
            svg = svg_path.read_text(encoding="utf-8")
            for mode, (bg, fg) in PAGES.items():
                page.set_content(
                    f'<body style="margin:8px;background:{bg};color:{fg}">'
                    f'<div data-md-color-scheme="{"slate" if mode == "dark" else "default"}">'
                    f'<div class="execdocs-diagram">{svg}</div></div></body>'
                )
                page.locator("svg").first.screenshot(path=str(out / f"{svg_path.stem}-{mode}.png"))
        browser.close()


if __name__ == "__main__":
    main()
