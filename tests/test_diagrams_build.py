"""Real ``mkdocs build`` runs of a sample project: diagrams inline, self-contained, stable."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from diagrams_project import Project

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path):
    return Project(tmp_path / "proj")


def _figure(html: str, name: str) -> str:
    match = re.search(rf'<figure class="execdocs-diagram" id="dg-{name}-figure"[ >].*?</figure>',
                      html, re.S)
    assert match, f"no figure for {name}"
    return match.group(0)


def test_diagrams_are_inline_self_contained_svgs(project):
    build = project.build()
    assert build.returncode == 0, build.log
    html = build.page()
    fig = _figure(html, "cluster")
    # a diagram with node links is a document of links (an image would hide them), named by
    # its title; the figure is named by the alt text in its caption
    assert 'role="graphics-document" aria-labelledby="dg-cluster-title"' in fig
    assert 'aria-labelledby="dg-cluster-caption"' in fig
    assert '<span id="dg-cluster-caption">클러스터 그림</span>' in fig
    # a diagram without links stays one image
    assert 'role="img" aria-labelledby="dg-nodes-title"' in _figure(html, "nodes")
    assert '<title id="dg-cluster-title">클러스터 그림</title>' in fig
    assert 'font-family="NanumGothic, sans-serif"' in fig
    assert "클러스터" in fig and "컨트롤 플레인" in fig
    # No file path, no external reference: icons are data URIs in the page.
    assert "site-packages" not in html and "/resources/" not in html
    assert "xlink:href" not in fig
    for href in re.findall(r'href="([^"]*)"', fig):
        assert href.startswith(("#ic-", "kubelet.html#", "#dg-cluster-")), href
    assert 'href="kubelet.html#role"' in fig
    # The reference's <img> placeholder is gone.
    assert 'src="diagram:' not in html
    assert "diagrams: 2 rendered, 0 from cache" in build.log


def test_shared_icons_are_stored_once_per_page(project):
    build = project.build()
    html = build.page()
    assert html.count('class="execdocs-icons"') == 1
    # The two diagrams on the page both use the Pod and API server icons.
    uses = re.findall(r'<use href="#(ic-[0-9a-f]+)"', html)
    assert len(uses) == 5 and len(set(uses)) == 2
    for icon in set(uses):
        assert html.count(f'<symbol id="{icon}"') == 1
    assert html.count("data:image/png;base64,") == 2


def test_two_fresh_builds_are_byte_identical(project, tmp_path):
    first = project.build()
    assert first.returncode == 0, first.log
    html1 = first.page()
    shutil.rmtree(project.cache)
    second = project.build()
    assert "diagrams: 2 rendered, 0 from cache" in second.log
    assert second.page() == html1
    # and the cached build gives the same bytes again
    third = project.build()
    assert "diagrams: 0 rendered, 2 from cache" in third.log
    assert third.page() == html1


def test_ids_are_prefixed_per_diagram(project):
    html = project.build().page()
    ids = re.findall(r'\bid="([^"]+)"', html)
    diagram_ids = [i for i in ids if i.startswith("dg-")]
    assert any(i.startswith("dg-cluster-node") for i in diagram_ids)
    assert any(i.startswith("dg-nodes-node") for i in diagram_ids)
    assert len(diagram_ids) == len(set(diagram_ids))


def test_full_size_view_needs_no_extra_file(project):
    build = project.build()
    fig = _figure(build.page(), "cluster")
    assert 'href="#dg-cluster-figure">전체 크기로 보기</a>' in fig
    assert 'href="#dg-cluster-at">닫기</a>' in fig
    assert '<span id="dg-cluster-at"></span><figure' in build.page()
    assert not (build.site / "assets" / "diagrams").exists()


def test_nothing_is_written_into_docs_or_the_source_folder(project):
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    build = project.build()
    assert build.returncode == 0, build.log
    after = sorted(
        p.relative_to(project.root) for p in project.root.rglob("*")
        if p.relative_to(project.root).parts[0] not in ("site", ".cache")
    )
    assert after == before


# Builds the project in-process twice: as the plugin does it (the word joiner before the SVG is
# put in, captions joined as they go in) and in the order before that change (diagrams first,
# then the whole page joined, SVG and all): the pages must come out byte for byte the same.
_BOTH_ORDERS = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from execdocs.mkdocs.plugin import ExecDocsPlugin
from execdocs.site import word_joiner

def joined_last(self, output, *, page, config):
    output = self.secrets.on_post_page(output, page=page)
    output = self.diagrams.on_post_page(output, page=page, config=config) or output
    return word_joiner.join(output)

for site_dir in sys.argv[1:]:
    if site_dir.endswith("joined-last"):
        ExecDocsPlugin.on_post_page = joined_last
    cfg = load_config("mkdocs.yml", site_dir=site_dir)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
"""


def test_joining_words_before_the_svg_goes_in_changes_no_page(project, tmp_path):
    # no inline notice on this page: each caption and notice is joined as it goes in
    project.page("index.md", (
        "# 홈\n\n![런타임(containerd)과 노드.가 그림](diagram:cluster)\n\n"
        "문장 ![인라인(그림)](diagram:nodes)를 보면 (설명)과 끝.다\n\n"
        "![깨진(그림)](diagram:broken)\n\n"
        "`코드(x)`과 <code>y(z)</code>가 <!-- 주석(x)과 -->\n"))
    # an inline notice, whose last word may join the page's next one
    project.page("kubelet.md", "# 큐블릿\n\n없는 그림 ![없는(그림)](diagram:missing)를 보면\n")
    project.script("broken", "raise RuntimeError('부서짐')\n")
    sites = [tmp_path / "joined-first", tmp_path / "joined-last"]
    proc = subprocess.run([sys.executable, "-c", _BOTH_ORDERS, *map(str, sites)],
                          cwd=project.root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    first, last = (sorted(p.relative_to(s) for s in [site] for p in s.rglob("*.html"))
                   for site in sites)
    assert first == last and first
    for rel in first:
        assert (sites[0] / rel).read_bytes() == (sites[1] / rel).read_bytes(), rel
    html = (sites[0] / "index.html").read_text(encoding="utf-8")
    # the words that went in with the diagrams were joined: captions, notices, the word after
    caption = '<span id="dg-cluster-caption">런타임\u2060(containerd)\u2060과 노드.\u2060가 그림'
    assert caption in html
    assert '<p class="execdocs-diagram-error"><strong>다이어그램 "broken"을\u2060(를)' in html
    assert "참조)</span>\u2060를 보면" in (sites[0] / "kubelet.html").read_text(encoding="utf-8")


def test_a_build_with_everything_cached_loads_no_worker_code(project):
    # The workers (threads, process control through ctypes) cost ~8 ms to import: a build
    # that renders nothing does not pay it. The cold build first: it does load them.
    script = ("import sys\nfrom mkdocs.commands.build import build\n"
              "from mkdocs.config import load_config\n"
              "cfg = load_config('mkdocs.yml')\ncfg.plugins.on_startup(command='build', "
              "dirty=False)\ntry:\n    build(cfg)\nfinally:\n    cfg.plugins.on_shutdown()\n"
              "print('execdocs.diagrams.pool' in sys.modules)\n")
    loaded = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", script], cwd=project.root, text=True,
                              capture_output=True, timeout=300,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert proc.returncode == 0, proc.stderr
        loaded.append(proc.stdout.split()[-1])
    assert loaded == ["True", "False"]
    assert 'class="execdocs-svg"' in (project.root / "site" / "index.html").read_text("utf-8")
