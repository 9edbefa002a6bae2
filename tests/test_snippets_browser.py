"""Snippets in real headless Chromium (Debian /usr/bin/chromium via Playwright).

The copy button copies the command alone, the output shows under it with a readable provenance
line in both palettes, and a long output is folded until opened. The site is served by a
http.server on 127.0.0.1 that the test starts and stops (the clipboard needs an http origin).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(__file__).resolve().parent.parent / "screenshots"

PAGE = """\
# 노드 확인

```console
$ kubectl get nodes -o wide
$ sudo journalctl -u k3s -n 40 --no-pager
```
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    make_project(root, {"index.md": PAGE,
                        "sessions.md": "# 세션\n\n<!-- execdocs: sessions -->\n"})
    add_session(root, provenance="reference", source="https://kubernetes.io/docs/",
                system="kubernetes.io 문서의 예시 노드")
    add_capture(root, "kubectl get nodes -o wide",
                "NAME    STATUS     CONTAINER-RUNTIME\nk3s-1   NotReady   containerd://1.7.22\n")
    add_capture(root, "sudo journalctl -u k3s -n 40 --no-pager",
                "".join(f"log line {i}\n" for i in range(1, 41)))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, check=True,
                   capture_output=True, env=env, timeout=300)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(root / "site"))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def _luminance(css: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", css)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_copy_button_copies_the_command_alone(site, browser) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site)
    block = page.locator(".execdocs-command").first
    block.hover()
    block.locator('button[data-md-type="copy"]').click()
    assert page.evaluate("navigator.clipboard.readText()") == "kubectl get nodes -o wide"
    # the output blocks carry no copy button of their own
    assert page.locator('.execdocs-command button[data-md-type="copy"]').count() == 2
    assert page.locator('.execdocs-output button[data-md-type="copy"]').count() == 0
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_output_readable_in_both_palettes(site, browser, scheme) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(site)
    want = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == want
    out = page.locator(".execdocs-output").first
    assert "k3s-1   NotReady" in out.inner_text()
    prov = out.locator(".execdocs-provenance")
    assert "참고 출력(reference)" in prov.inner_text().replace("\u2060", "")  # word joiners
    fg = prov.evaluate("e => getComputedStyle(e).color")
    bg = prov.evaluate("e => getComputedStyle(e).backgroundColor")
    assert _contrast(fg, bg) >= 4.5, (fg, bg)
    code = out.locator("pre > code").first
    assert _contrast(code.evaluate("e => getComputedStyle(e).color"),
                     code.evaluate("e => getComputedStyle(e).backgroundColor")) >= 4.5
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"snippets-sample-{scheme}.png"), full_page=True)
    context.close()


def test_long_output_is_folded_until_opened(site, browser) -> None:
    page = browser.new_page()
    page.goto(site)
    log = page.locator(".execdocs-output").nth(1)
    assert log.locator("pre > code").first.inner_text().splitlines()[-1] == "log line 20"
    rest = log.locator("details.execdocs-more")
    assert not rest.locator("pre").is_visible()
    rest.locator("summary").click()
    assert rest.locator("pre").is_visible()
    assert rest.locator("pre").inner_text().splitlines()[-1] == "log line 40"
    page.close()


@pytest.mark.parametrize(("scheme", "width"), [("light", 1200), ("dark", 1200), ("dark", 390)])
def test_provenance_badge_opens_to_its_details(site, browser, scheme, width) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site)
    prov = page.locator(".execdocs-output .execdocs-provenance").first
    badge = prov.locator(".execdocs-badge")
    assert "참고 출력(reference)" in badge.inner_text().replace("\u2060", "")
    detail = prov.locator(".execdocs-detail")
    assert not detail.is_visible()  # one line per output until the reader asks
    assert prov.locator("summary").bounding_box()["height"] < 40
    prov.locator("summary").focus()
    page.keyboard.press("Enter")  # reachable by keyboard, not only by mouse
    assert detail.is_visible()
    fg = badge.evaluate("e => getComputedStyle(e).color")
    bg = prov.evaluate("e => getComputedStyle(e).backgroundColor")
    assert _contrast(fg, bg) >= 4.5, (fg, bg)
    # the details lead to the page listing every session, at this output's session
    link = detail.locator('a[href="sessions.html#session-lab"]')
    assert link.is_visible() and link.inner_text() == "모든 세션과 출처"
    assert _contrast(link.evaluate("e => getComputedStyle(e).color"), bg) >= 4.5
    link.click()
    page.wait_for_url("**/sessions.html#session-lab")
    heading = page.locator("#session-lab + h2")
    assert heading.inner_text().strip().startswith("lab")
    box, view = heading.bounding_box(), page.viewport_size
    assert box is not None and view is not None and 0 <= box["y"] < view["height"]
    entry = page.locator("#session-lab ~ ul").first.inner_text()
    assert "참고 출력(reference)" in entry.replace("\u2060", "") and "노드 확인" in entry
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    context.close()
