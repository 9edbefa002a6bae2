"""Real ``mkdocs build`` of real-world page shapes, with and without execdocs: nothing is lost.

The corpus (``samples/realworld``, sources in its SOURCES.md) is built with the macros plugin
(mkdocs-macros-plugin) and ``pymdownx.snippets`` includes enabled: once plain, once with
``- execdocs`` added. Every code line of the plain build must be in the execdocs build as often
as it was; pages without a fence execdocs owns must come out identical; problems name the file
and line they come from, included files included.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _code_lines import code_lines

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parent / "samples" / "realworld"


def _site(tmp_path: Path, plugin: str | None) -> Path:
    root = tmp_path / "site-src"
    if not root.exists():
        shutil.copytree(CORPUS, root)
    config = (root / "mkdocs.plain.yml").read_text(encoding="utf-8")
    if plugin is not None:
        config = config.replace("  - macros\n", "  - macros\n" + plugin)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def _build(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f",
                           str(root / "mkdocs.yml"), "-d", str(out), *extra], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)




def _article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


def _pages(site: Path) -> list[Path]:
    return sorted(p.relative_to(site) for p in site.rglob("*.html")
                  if p.name != "404.html" and "search" not in p.parts)


WARN = '  - execdocs:\n      snippets:\n        mode: warn\n        exclude: ["legacy/**"]\n'


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    tmp = tmp_path_factory.mktemp("realworld")
    plain = _build(_site(tmp, None), tmp / "plain")
    assert plain.returncode == 0, plain.stderr
    execdocs = _build(_site(tmp, WARN), tmp / "execdocs", "--strict")
    assert execdocs.returncode == 0, execdocs.stderr  # warn mode never fails --strict
    return tmp / "plain", tmp / "execdocs", execdocs.stderr


def test_every_code_line_of_the_plain_build_is_in_the_execdocs_build(builds) -> None:
    plain, execdocs, _log = builds
    pages = _pages(plain)
    assert len(pages) == 9 and _pages(execdocs) == pages
    total = 0
    for rel in pages:
        before, after = code_lines(plain / rel), code_lines(execdocs / rel)
        missing = before - after
        assert not missing, f"{rel}: lines lost: {sorted(missing)}"
        total += sum(before.values())
    assert total >= 80  # the corpus is not trivially small


def test_execdocs_really_took_the_console_fences_it_owns(builds) -> None:
    plain, execdocs, _log = builds
    console = (execdocs / "guides" / "console.html").read_text(encoding="utf-8")
    assert console.count('class="highlight execdocs-command"') == 6
    heredoc = 'data-copy="cat &lt;&lt;EOF | sudo tee /etc/modules-load.d/k8s.conf&#10;overlay'
    assert heredoc in console  # the heredoc is one command, copied whole
    # the written outputs are shown and labelled, not presented as captured
    assert console.count("execdocs-written") >= 3 and "캡처한 출력</strong>" not in console
    includes = (execdocs / "guides" / "includes.html").read_text(encoding="utf-8")
    assert includes.count('data-copy="kubectl get nodes"') == 2  # both includes, admonition too
    macros = (execdocs / "guides" / "macros.html").read_text(encoding="utf-8")
    assert 'data-copy="kubectl describe node node-1"' in macros  # the macro's value
    # the heading after the fence is still a heading, not swallowed by a code block
    assert re.search(r'<h2 id="after-the-fence">After the fence', macros)
    assert "{{" not in macros and "{%" not in macros


def test_pages_without_an_owned_fence_are_identical(builds) -> None:
    plain, execdocs, _log = builds
    # no console fence (index, configfile), only shell fences (airgap has one console fence),
    # an excluded page (legacy/**) and a page opted out in front matter
    for rel in ("index.html", "guides/configfile.html", "legacy/old.html", "optout.html"):
        assert _article(plain / rel) == _article(execdocs / rel), rel


def test_warn_mode_reports_with_files_and_lines_once_per_page(builds) -> None:
    _plain, _execdocs, log = builds
    assert "WARNING" not in log
    assert ("(warn mode) docs/guides/console.md:7: 6 command(s) in 5 console fence(s) have no "
            "capture session") in log
    # the first fence without a session on the includes page comes from the included file
    assert "(warn mode) includes/check-nodes.md:4: 2 command(s) in 2 console fence(s)" in log
    assert "docs/install.md:22: fence 'shell' holds '$ ' commands" in log
    assert "legacy/old.md" not in log and "optout.md" not in log
    assert log.count("have no capture session") == 5  # one per page, not one per command


def test_strict_mode_fails_the_build_and_names_each_problem(tmp_path: Path) -> None:
    root = _site(tmp_path, "  - execdocs:\n      snippets:\n        session: lab\n")
    (root / "captures" / "lab").mkdir(parents=True)
    (root / "captures" / "lab" / "session.yml").write_text(
        "system: test\nprovenance: illustrative\n", encoding="utf-8")
    proc = _build(root, tmp_path / "out", "--strict")
    assert proc.returncode != 0
    log = proc.stderr
    # lines are the source file's although the macros plugin removed two lines above
    assert "docs/guides/macros.md:9: snippet 'k0s version': no capture in session 'lab'" in log
    # a command a macro rewrote matches no source line: the page without a line
    assert "docs/guides/macros.md: snippet 'kubectl describe node node-1': no capture" in log
    assert log.count("includes/check-nodes.md:4: snippet 'kubectl get nodes': no capture") == 2
    assert "docs/legacy/old.md:4: snippet 'docker ps'" in log  # not excluded here


def test_mode_off_changes_nothing(tmp_path: Path) -> None:
    plain = _build(_site(tmp_path, None), tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr
    off = _build(_site(tmp_path, "  - execdocs:\n      snippets:\n        mode: 'off'\n"),
                 tmp_path / "off", "--strict")
    assert off.returncode == 0, off.stderr
    for rel in _pages(tmp_path / "plain"):
        assert _article(tmp_path / "plain" / rel) == _article(tmp_path / "off" / rel), rel
