"""Real ``mkdocs build`` runs of a sample project: diagrams inline, self-contained, stable."""

from __future__ import annotations

import re
import shutil

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
