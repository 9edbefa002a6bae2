"""The page listing every capture session and its provenance (``snippets/sessions_page.py``).

Unit tests of the core on page shapes of this site, then one real ``mkdocs build`` of a small
project: the directive's page lists every session with its facts and the pages that use it
(links resolved by MkDocs), and every provenance badge links to its session's entry, from
pages at any depth; the CLI check accepts the directive.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project
from execdocs.cli import main
from execdocs.snippets import sessions_page
from execdocs.snippets.parse import parse_page
from execdocs.snippets.store import load_store

USING = """\
# kubelet 살펴보기

```console
$ kubectl get nodes
```

<!-- execdocs
session: down
-->
```console
$ kubectl get nodes
```
"""
SKIPPED = """\
---
execdocs: {skip: 설치 안내라 출력이 환경마다 다름}
---
# 설치

```console
$ curl -sfL https://get.k3s.io | sh -
```
"""
LIST = "# 세션\n\n머리말.\n\n<!-- execdocs: sessions -->\n\n맺음말.\n"


def test_usage_follows_directive_page_and_default_sessions() -> None:
    used = sessions_page.usage([("kubelet.md", USING), ("install.md", SKIPPED),
                                ("other.md", "---\nexecdocs: {session: down}\n---\n```console\n"
                                 "$ ls\n```\n"), ("prose.md", "# 글\n")], "lab")
    assert used == {"lab": ["kubelet.md"], "down": ["kubelet.md", "other.md"]}


def test_the_directive_is_not_a_fence_directive() -> None:
    assert parse_page("docs/sessions.md", LIST).problems == []
    assert sessions_page.has_directive(LIST)
    # only alone on its line; a misspelt one is still reported
    wrong = parse_page("docs/x.md", "<!-- execdocs: sesions -->\n")
    assert [p.message for p in wrong.problems] == [
        "execdocs directive is not followed by a console fence"]
    assert not sessions_page.has_directive("see `<!-- execdocs: sessions -->` here\n")


def test_page_titles_as_mkdocs_shows_them() -> None:
    assert sessions_page.page_title(USING, "kubelet.md") == "kubelet 살펴보기"
    assert sessions_page.page_title("---\ntitle: 'Front'\n---\n# Body\n", "x.md") == "Front"
    assert sessions_page.page_title("no heading\n", "x.md") == "x.md"


def _project(root: Path) -> Path:
    make_project(root, {"index.md": "# 홈\n", "sessions.md": LIST}, extra="")
    (root / "docs" / "guide").mkdir()
    (root / "docs" / "guide" / "kubelet.md").write_text(USING, encoding="utf-8")
    (root / "docs" / "install.md").write_text(SKIPPED, encoding="utf-8")
    add_session(root, "lab", provenance="captured", when="2026-11-26",
                system="k3s v1.36 <one> node", versions={"k3s": "v1.36.1+k3s1"})
    add_capture(root, "kubectl get nodes", "NAME   STATUS\nk3s-1  Ready\n", session="lab",
                captured="2026-11-26T15:30:12Z")
    add_session(root, "down", provenance="illustrative", system="the same node, kubelet stopped",
                note="hand-written | *not* captured")
    add_capture(root, "kubectl get nodes", "NAME   STATUS\nk3s-1  NotReady\n", session="down")
    add_session(root, "issue-128", provenance="reference", when="2021-03-21",
                source="https://github.com/containerd/nerdctl/issues/128", system="a k3s node")
    return root


def test_markdown_lists_each_session_with_its_facts(tmp_path: Path) -> None:
    root = _project(tmp_path)
    store = load_store(root / "captures")
    sources = {p.relative_to(root / "docs").as_posix(): p.read_text(encoding="utf-8")
               for p in (root / "docs").rglob("*.md")}
    page, md = sessions_page.listing(store, sources, "lab", ("console",), "ko")
    assert page == "sessions.md"
    sections = md.split('<div class="execdocs-session" ')[1:]
    assert [s.split('"')[1] for s in sections] == ["session-down", "session-issue-128",
                                                   "session-lab"]
    down, ref, lab = sections
    assert "**예시 출력(illustrative)** · 출력 1개" in down
    assert "- **캡처 날짜**: 없음 (손으로 쓴 예시 출력" in down
    assert r"hand-written \| \*not\* captured" in down  # the note cannot break the Markdown
    assert "[kubelet 살펴보기](guide/kubelet.md)" in down
    assert "- **출처의 날짜**: 2021-03-21" in ref
    assert "<https://github.com/containerd/nerdctl/issues/128>" in ref
    assert "이 세션을 쓰는 페이지 없음" in ref
    assert r"k3s v1.36 \<one\> node" in lab and "k3s v1.36.1+k3s1" in lab
    assert "- **캡처 날짜**: 2026-11-26" in lab
    assert "install.md" not in md  # the skipped page uses no session
    _, english = sessions_page.listing(store, sources, "lab", ("console",), "en-US")
    assert "- **Captured on**: 2026-11-26" in english
    assert "- **Captured on**: none (written by hand" in english
    assert "**Illustrative output** · 1 outputs" in english


@pytest.mark.slow
def test_a_build_lists_the_sessions_and_badges_link_there(tmp_path: Path) -> None:
    root = _project(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                           str(root / "mkdocs.yml")], cwd=root, capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    listing = (root / "site" / "sessions.html").read_text(encoding="utf-8")
    for name in ("down", "issue-128", "lab"):
        assert f'id="session-{name}"' in listing
    assert listing.count('<a href="guide/kubelet.html">kubelet 살펴보기</a>') == 2
    assert "<!-- execdocs" not in listing and "맺음말" in listing
    assert "캡처 날짜" in listing
    page = (root / "site" / "guide" / "kubelet.html").read_text(encoding="utf-8")
    assert page.count('href="../sessions.html#session-lab"') == 1
    assert page.count('href="../sessions.html#session-down"') == 1
    assert page.count(">모든 세션과 출처</a>") == 2
    # the CLI check reads the same pages from disk and accepts the directive
    os.chdir(root)
    assert main(["check", "-f", str(root / "mkdocs.yml")]) == 0
