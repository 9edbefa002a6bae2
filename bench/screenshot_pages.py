"""Screenshot every built page that carries diagrams, in Material's light and dark palettes.

Usage: python bench/screenshot_pages.py SITE_DIR OUT_DIR
Writes OUT_DIR/<page>-<light|dark>.png (the whole page) and OUT_DIR/<page>-<n>-<palette>.png
(each diagram figure), for looking at them. Headless Debian Chromium, nothing downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    site, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    pages = sorted(p for p in site.glob("*.html") if "execdocs-diagram" in p.read_text("utf-8"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for palette in ("light", "dark"):
            # The palette toggle follows prefers-color-scheme until the reader clicks it.
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          color_scheme=palette)
            page = context.new_page()
            for html in pages:
                page.goto(html.as_uri())
                scheme = page.evaluate("document.body.dataset.mdColorScheme")
                page.screenshot(path=str(out / f"{html.stem}-{palette}.png"), full_page=True)
                page.add_style_tag(content=".md-header{visibility:hidden}")
                for index, fig in enumerate(page.locator("figure.execdocs-diagram").all()):
                    fig.screenshot(path=str(out / f"{html.stem}-{index + 1}-{palette}.png"))
                print(f"{html.name} {palette}: scheme={scheme}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
