"""The built sample page in headless Debian Chromium, light and dark palettes.

``browser`` is the session-wide Chromium from conftest.py.
"""

from __future__ import annotations

import pytest
from diagrams_project import Project

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("browser") / "proj")
    build = project.build()
    assert build.returncode == 0, build.log
    return build.site


def _look(browser, site, palette, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=palette)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    assert page.evaluate("document.body.dataset.mdColorScheme") == (
        "slate" if palette == "dark" else "default")
    page.screenshot(path=str(tmp_path / f"index-{palette}.png"), full_page=True)
    svg = page.locator("#dg-cluster-figure svg")
    box = svg.bounding_box()
    content = page.locator("article.md-content__inner").bounding_box()
    icons = [u.bounding_box() for u in page.locator("#dg-cluster-figure use").all()]
    text = page.locator("#dg-cluster-figure text", has_text="컨트롤 플레인")
    fill = text.evaluate("t => getComputedStyle(t).fill")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    title = svg.evaluate(
        "s => document.getElementById(s.getAttribute('aria-labelledby')).textContent")
    return context, page, box, content, icons, fill, background, title


def _luminance(css: str) -> float:
    r, g, b = (float(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_diagram_is_visible_and_readable_in_both_palettes(browser, site, tmp_path):
    seen = {}
    for palette in ("light", "dark"):
        context, page, box, content, icons, fill, background, title = _look(
            browser, site, palette, tmp_path)
        try:
            assert title == "클러스터 그림"
            assert 200 < box["width"] <= content["width"] + 1  # fits the content column
            assert len(icons) == 2 and all(i and i["width"] > 20 for i in icons)  # icons drawn
            # text contrasts with the page: dark on light, light on dark
            assert abs(_luminance(fill) - _luminance(background)) > 100, (fill, background)
            seen[palette] = fill
        finally:
            context.close()
    assert seen["light"] != seen["dark"]


def test_node_link_opens_the_section(browser, site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((site / "index.html").as_uri())
        page.locator("#dg-cluster-figure a", has_text="API 서버").click()
        page.wait_for_url("**/kubelet.html#role")
        assert page.locator("#role").is_visible()
    finally:
        context.close()


def test_full_size_overlay_opens_and_closes(browser, site):
    context = browser.new_context(viewport={"width": 380, "height": 600})
    try:
        page = context.new_page()
        page.goto((site / "index.html").as_uri())
        figure = page.locator("#dg-cluster-figure")
        fitted = figure.locator("svg").bounding_box()["width"]
        figure.get_by_text("전체 크기로 보기").click()
        assert figure.evaluate("f => getComputedStyle(f).position") == "fixed"
        natural = figure.locator("svg").bounding_box()["width"]
        assert natural > fitted  # no longer squeezed into the column
        figure.get_by_text("닫기").click()
        assert figure.evaluate("f => getComputedStyle(f).position") == "static"
    finally:
        context.close()


def test_full_size_overlay_keeps_the_keyboard_inside_and_escape_closes_it(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((site / "index.html").as_uri())
        figure = page.locator("#dg-cluster-figure")
        opener = figure.locator(".execdocs-open")
        opener.focus()
        page.keyboard.press("Enter")
        assert figure.evaluate("f => getComputedStyle(f).position") == "fixed"
        inside = "f => f.contains(document.activeElement)"
        assert figure.evaluate("f => document.activeElement.classList.contains('execdocs-close')")
        for _ in range(30):  # every node link and "close", round and round: never behind it
            page.keyboard.press("Tab")
            assert figure.evaluate(inside)
        page.keyboard.press("Shift+Tab")
        assert figure.evaluate(inside)
        page.keyboard.press("Escape")
        assert figure.evaluate("f => getComputedStyle(f).position") == "static"
        assert opener.evaluate("o => o === document.activeElement")
    finally:
        context.close()
