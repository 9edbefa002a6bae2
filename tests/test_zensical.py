"""The site built with Zensical through the ``execdocs.markdown`` extension (README "Zensical").

A real ``zensical build --clean`` from ``.venv-zensical`` (scripts/setup.sh makes it), once per
module, of a copy of this repository's site; two more small builds break one input each. No
skip: if Zensical is not installed the tests fail and say how to install it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BuiltSite

REPO = Path(__file__).resolve().parent.parent
ZENSICAL = REPO / ".venv-zensical" / "bin" / "zensical"
SITE_PARTS = ("docs", "diagram_src", "captures", "overrides", "mkdocs.yml")  # what mkdocs.yml names
CACHE = Path(".execdocs-cache") / "diagrams"
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


@dataclass(frozen=True)
class Build:
    root: Path
    returncode: int
    log: str

    @property
    def site(self) -> Path:
        return self.root / "site"


def _copy_site(root: Path, cache_from: Path | None = None) -> Path:
    root.mkdir(parents=True)
    for part in SITE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, root / part)
    if cache_from is not None:
        shutil.copytree(cache_from / CACHE, root / CACHE)
    return root


def _build(root: Path) -> Build:
    if not ZENSICAL.is_file():
        pytest.fail(f"{ZENSICAL.relative_to(REPO)} is missing: run `bash scripts/setup.sh` "
                    "(it installs Zensical into .venv-zensical)", pytrace=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env["NO_COLOR"] = "1"
    proc = subprocess.run([str(ZENSICAL), "build", "--clean"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = _build(_copy_site(tmp_path_factory.mktemp("zensical") / "site-copy"))
    if build.returncode != 0:
        pytest.fail(f"zensical build failed (exit {build.returncode}):\n{build.log}",
                    pytrace=False)
    return build


def _pages(site: Path) -> dict[str, str]:
    pages = {}
    for path in sorted(site.glob("*.html")):
        if path.name != "404.html":
            pages[path.name] = path.read_text(encoding="utf-8")
    return pages


def _content(page: str) -> str:
    """The page's content area, without what differs by engine or theme, not by content."""
    match = ARTICLE.search(page)
    assert match, "no content area in the page"
    html = match.group(1)
    # The snippets stylesheet travels with the page under Zensical (MkDocs: in extra_css).
    html = re.sub(r"<style>/\* execdocs snippets.*?</style>", "", html, flags=re.S)
    html = re.sub(r'<a id="__skip"[^>]*>\s*</a>', "", html)  # Zensical's skip target
    html = html.replace(" data-search-exclude", "")  # Zensical drops it once it has read it
    html = html.replace("\u2060", "")  # word joiners: a MkDocs plugin feature (README)
    return re.sub(r">\s+<", "><", html).strip()


def test_every_page_has_the_content_of_the_mkdocs_build(zensical_site: Build,
                                                       built_site: BuiltSite) -> None:
    zensical = _pages(zensical_site.site)
    mkdocs = _pages(built_site.path)
    assert sorted(zensical) == sorted(mkdocs)
    differ = [name for name in mkdocs if _content(zensical[name]) != _content(mkdocs[name])]
    assert differ == []


def test_diagrams_are_inline_sanitised_svgs(zensical_site: Build) -> None:
    refs = 0
    for name, page in _pages(zensical_site.site).items():
        source = (REPO / "docs" / name.replace(".html", ".md")).read_text(encoding="utf-8")
        wanted = len(re.findall(r"\]\(diagram:[\w-]+\)", source))
        refs += wanted
        assert 'src="diagram:' not in page, name
        body = _content(page)
        assert body.count('class="execdocs-diagram"') == wanted, name
        for svg in re.findall(r"<svg\b.*?</svg>", body, re.S):
            assert not re.search(r"<script|\son[a-z]+=|javascript:|href=\"(?:https?:)?//",
                                 svg, re.I), name
    assert refs >= 9  # the site's diagrams (9 when this was written)


def test_outputs_are_placed_and_directives_absent(zensical_site: Build) -> None:
    pages = _pages(zensical_site.site)
    fences = 0
    for name, page in pages.items():
        source = (REPO / "docs" / name.replace(".html", ".md")).read_text(encoding="utf-8")
        assert "<!-- execdocs" not in page and "&lt;!-- execdocs" not in page, name
        # every console fence of this site is backed by captures: one snippet block each
        wanted = len(re.findall(r"^ *```console$", source, re.M))
        assert page.count('class="execdocs-snippet"') == wanted, name
        fences += wanted
    assert fences >= 19  # the site's console fences (19 when this was written)
    kubelet = pages["kubelet.html"]
    assert 'class="execdocs-output' in kubelet and "execdocs-provenance" in kubelet


def test_the_theme_overrides_leave_zensicals_own_header(zensical_site: Build) -> None:
    # overrides/ is Material's partials with accessibility fixes; under Zensical its own search
    # partial (a button opening its dialog) must be kept, not Material's form (which Zensical's
    # CSS does not style: the header showed a bare input and four stacked icons)
    for name, page in _pages(zensical_site.site).items():
        assert 'class="md-search__button"' in page, name
        assert 'class="md-search__form"' not in page, name


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_a_missing_capture_fails_the_build_at_its_page_line(zensical_site: Build,
                                                            tmp_path: Path) -> None:
    root = _copy_site(tmp_path / "missing", cache_from=zensical_site.root)
    page = root / "docs" / "kubelet.md"
    command = "ps -ef | egrep 'k3s|kubelet' | grep -v egrep"
    line = _line_of(page, f"$ {command}")
    page.write_text(page.read_text(encoding="utf-8").replace(
        f"$ {command}", "$ kubectl get nodes --no-capture-recorded", 1), encoding="utf-8")
    cached = sorted(p.name for p in (root / CACHE).rglob("*") if p.is_file())
    build = _build(root)
    assert build.returncode == 1, build.log
    assert (f"docs/kubelet.md:{line}: snippet 'kubectl get nodes --no-capture-recorded': "
            "no capture in session") in build.log
    assert "execdocs: 1 problem on docs/kubelet.md" in build.log  # the error Zensical shows
    # `--clean` deleted Zensical's .cache/, not the diagram cache
    assert cached and sorted(p.name for p in (root / CACHE).rglob("*") if p.is_file()) == cached


def test_a_broken_diagram_fails_the_build_at_its_script_and_page_line(zensical_site: Build,
                                                                      tmp_path: Path) -> None:
    root = _copy_site(tmp_path / "broken", cache_from=zensical_site.root)
    script = root / "diagram_src" / "cluster.py"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.rstrip("\n") + "\nraise RuntimeError('broken on purpose')\n",
                      encoding="utf-8")
    raised_at = len(text.rstrip("\n").splitlines()) + 1
    referenced = _line_of(root / "docs" / "architecture.md", "(diagram:cluster)")
    build = _build(root)
    assert build.returncode == 1, build.log
    assert f"diagram_src/cluster.py:{raised_at}: diagram 'cluster' failed" in build.log
    assert f"referenced at docs/architecture.md:{referenced}" in build.log
    assert not (root / "site" / "architecture.html").exists()  # nothing partial published
