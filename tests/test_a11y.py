"""Accessibility: axe-core over every built page, light and dark palettes, desktop and phone.

axe-core (Deque's rule engine, the one browsers' own audits are built on) is installed from the
npm registry by scripts/setup.sh into tests/a11y/node_modules (version pinned by
tests/a11y/package-lock.json; never fetched at test time) and injected into each page of the
real ``mkdocs build --strict`` in headless Debian Chromium. The site is served over http on
127.0.0.1 (404.html links its assets from the site root, as a web server publishes it). Every
rule axe enables by default runs (WCAG 2.0-2.2 A/AA and best practices); a test fails on any
violation of impact serious or critical and prints rule, page and selector.

The keyboard tests tab through a page with a diagram and one with outputs (key presses only)
and leave screenshots in ``screenshots/`` (git-ignored) for a human to look at.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, BuiltSite
from playwright.sync_api import Browser, Page
from test_browser import PAGES, serve

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # a current phone's CSS width
BLOCKING = ("serious", "critical")
# Moderate rules held too, because the site broke them once and fixed them (issue 18).
ALSO_BLOCKING = ("landmark-unique",)

# Run axe, keep only violations, each node as its selector (targets joined across frames).
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" >>> ")),
  }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core as scripts/setup.sh installed it; a missing copy fails (never skips)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(REPO)} is missing: run scripts/setup.sh (it installs "
                    "axe-core from tests/a11y/package-lock.json with npm ci)", pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def served(built_site: BuiltSite) -> Iterator[str]:
    """The built site over http on 127.0.0.1 (a free port), as a web server publishes it."""
    with serve(built_site.path) as url:
        yield url


def _violations(page: Page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(RUN_AXE)


def _pages(site: Path) -> list[str]:
    names = sorted(p.name for p in site.glob("*.html"))
    # every page of the navigation and the 404 page: a build that lost one fails here
    assert set(PAGES) | {"404.html"} <= set(names), names
    return names


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    # Colours are checked in both palettes at desktop width; the phone layout (drawer, header,
    # narrow tables, tap targets) once, in the light palette (the keyboard tests below take
    # the phone width in the dark one).
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
    ids=["light", "dark", "light-phone"],
)
def test_no_serious_axe_violation_on_any_page(
    browser: Browser, built_site: BuiltSite, served: str, axe_source: str,
    scheme: str, viewport: dict[str, int],
) -> None:
    """Every built page: no serious or critical axe-core violation (one context, pages reused)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    found: list[str] = []
    try:
        page = context.new_page()
        for name in _pages(built_site.path):
            page.goto(served + name, wait_until="load")
            # the palette really is the one asked for (Material follows prefers-color-scheme)
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.dataset.mdColorScheme") == expected, name
            for v in _violations(page, axe_source):
                if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING:
                    found += [f"{v['id']} ({v['impact']}) {name}: {node}  -- {v['help']}"
                              for node in v["nodes"]]
    finally:
        context.close()
    assert not found, f"{len(found)} axe-core violation(s), {scheme} {viewport['width']}px:\n" \
        + "\n".join(found)


def test_axe_reports_what_it_should(browser: Browser, axe_source: str) -> None:
    """Control: the injected axe-core does find the faults the site had (so a pass means
    something): grey text at 4.47:1, links inside role="img", a link told by colour alone."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main>'
            '<p style="color:#717171;background:#f5f5f5">provenance line</p>'
            '<svg role="img" aria-label="d"><a href="#x"><text y="10">node</text></a></svg>'
            '<p style="color:#212121">text <a href="#y" style="color:#4051b5;'
            'text-decoration:none">link</a> text</p></main></body></html>')
        ids = {v["id"] for v in _violations(page, axe_source) if v["impact"] in BLOCKING}
    finally:
        context.close()
    assert {"color-contrast", "nested-interactive", "link-in-text-block"} <= ids, ids


def test_search_override_is_each_engines_partial_materials_with_a_dialog_name() -> None:
    """overrides/partials/search.html is Material's own partial plus one aria-label, and under
    Zensical (which reads the same custom_dir) Zensical's own partial unchanged: when an
    upgrade changes either, this fails instead of keeping a stale copy."""
    material = Path(__import__("material").__file__).parent / "templates" / "partials"
    theirs = (material / "search.html").read_text(encoding="utf-8")
    zensical = next((REPO / ".venv-zensical" / "lib").glob(
        "python3*/site-packages/zensical/templates/partials/search.html"))
    ours = (REPO / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    strip_comment = functools.partial(re.sub, r"\A\{#-.*?-#\}\n", "", flags=re.S)
    branches = re.fullmatch(r"\{% if generator is defined %\}\n(.*)\{% else %\}\n(.*)"
                            r"\{% endif %\}\n", strip_comment(ours), re.S)
    assert branches, "the override is one if/else on the engine"
    under_zensical, under_material = branches.groups()
    assert under_zensical == strip_comment(zensical.read_text(encoding="utf-8"))
    added = ' aria-label="{{ lang.t(\'search\') }}"'
    assert added in under_material
    assert under_material.replace(added, "", 1) == strip_comment(theirs)


# --- keyboard only -------------------------------------------------------------------------------


def _tab_until(page: Page, test: str, limit: int = 250) -> dict:
    """Press Tab until the focused element satisfies ``test`` (a JS expression on ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "(() => { const el = document.activeElement;"
            f" return {{hit: !!({test}), tag: el.tagName, text: (el.textContent || '').trim(),"
            " label: el.getAttribute('aria-label'), href: el.getAttribute('href'),"
            " outline: getComputedStyle(el).outlineStyle,"
            " outlineWidth: getComputedStyle(el).outlineWidth}; })()")
        if info["hit"]:
            return info
    raise AssertionError(f"{limit} Tab presses never reached an element where {test}")


def _shot(page: Page, name: str, locator: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(locator).first.screenshot(path=str(SCREENSHOTS / name))


@pytest.mark.parametrize(("scheme", "viewport"), [("light", DESKTOP), ("dark", PHONE)],
                         ids=["light", "dark-phone"])
def test_keyboard_reaches_diagram_node_links_with_visible_focus(
    browser: Browser, served: str, scheme: str, viewport: dict[str, int],
) -> None:
    """architecture.html by keyboard: Tab reaches a node link inside the SVG, named by its
    label and outlined; Enter follows it; the full-size link opens the overlay."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(served + "architecture.html", wait_until="load")
        node = _tab_until(page, "el.closest('figure.execdocs-diagram svg') && el.tagName === 'a'")
        assert node["label"], node  # a screen reader says the node's name
        assert node["outline"] == "solid" and node["outlineWidth"] == "2px", node
        _shot(page, f"a11y-diagram-focus-{scheme}-{viewport['width']}.png",
              "figure.execdocs-diagram")
        # the caption's full-size link comes after the figure's node links
        opened = _tab_until(page, "el.classList.contains('execdocs-open')")
        assert opened["text"] == "전체 크기로 보기"
        page.keyboard.press("Enter")
        figure = page.locator("figure.execdocs-diagram:target")
        assert figure.evaluate("f => getComputedStyle(f).position") == "fixed"
        closing = _tab_until(page, "el.classList.contains('execdocs-close')")
        assert closing["text"] == "닫기"
        page.keyboard.press("Enter")
        assert page.locator("figure.execdocs-diagram:target").count() == 0
        # back in the page: follow a node link with Enter
        page.goto(served + "architecture.html", wait_until="load")
        node = _tab_until(page, "el.closest('figure.execdocs-diagram svg') && el.tagName === 'a'")
        page.keyboard.press("Enter")
        page.wait_for_url("**/" + node["href"])
    finally:
        context.close()


@pytest.mark.parametrize(("scheme", "viewport"), [("light", DESKTOP), ("dark", PHONE)],
                         ids=["light", "dark-phone"])
def test_keyboard_opens_provenance_and_folded_output(
    browser: Browser, served: str, scheme: str, viewport: dict[str, int],
) -> None:
    """kubelet.html by keyboard: Tab reaches an output's provenance badge and Enter shows its
    details; Tab reaches a folded output's "more" and Enter unfolds it."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(served + "kubelet.html", wait_until="load")
        badge = _tab_until(page, "el.matches('details.execdocs-provenance > summary')")
        assert badge["outline"] != "none", badge  # Material's focus ring on summaries
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.parentElement.open") is True
        _shot(page, f"a11y-provenance-{scheme}-{viewport['width']}.png",
              "details.execdocs-provenance[open]")
        _tab_until(page, "el.matches('details.execdocs-more > summary')")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.parentElement.open") is True
        _shot(page, f"a11y-fold-{scheme}-{viewport['width']}.png",
              "details.execdocs-more[open]")
    finally:
        context.close()
