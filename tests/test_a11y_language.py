"""The words execdocs adds to a page follow the site's ``theme.language`` (issue 13 item 4):
the diagram figure ("전체 크기로 보기", "닫기", the notice of a diagram that could not be drawn)
and the render-time secret guard's notice, as the snippets' words already do. Korean and
English; any other language gets English.
"""

from __future__ import annotations

import random
import string

import pytest
from diagrams_project import Project
from execdocs import secret_guard
from execdocs.diagrams import embed

# A token in GitHub's documented classic-PAT shape (ghp_ + 36 alphanumerics), made here from a
# fixed seed: no real credential is in the repository, and every run sees the same one.
TOKEN = "ghp_" + "".join(random.Random(18).choices(string.ascii_letters + string.digits, k=36))


@pytest.mark.parametrize(("language", "opened", "closed", "failed"), [
    ("ko", "전체 크기로 보기", "닫기", '다이어그램 "x"을(를) 그리지 못했습니다'),
    ("ko-KR", "전체 크기로 보기", "닫기", '다이어그램 "x"을(를) 그리지 못했습니다'),
    ("en", "View full size", "Close", 'Diagram "x" could not be drawn'),
    ("de", "View full size", "Close", 'Diagram "x" could not be drawn'),
], ids=["ko", "ko-KR", "en", "de"])
def test_diagram_words_follow_the_language(language, opened, closed, failed) -> None:
    w = embed.words(language)
    fig = embed.figure("dg-x-", "<svg></svg>", "그림", True, w)
    assert f">{opened}</a>" in fig and f">{closed}</a>" in fig
    assert failed in embed.notice("x", True, w)


@pytest.mark.parametrize(("language", "title"), [
    ("ko", "비밀 값이 감지되어 이 블록을 게시하지 않았습니다"),
    ("en", "A secret was detected: this block was not published"),
    ("fr", "A secret was detected: this block was not published"),
], ids=["ko", "en", "fr"])
def test_secret_guard_notice_follows_the_language(language, title) -> None:
    page = f"<p>intro</p><p>token {TOKEN}</p>"
    out, problems = secret_guard.guard_html(page, "docs/p.md", language=language)
    assert TOKEN not in out and len(problems) == 1
    assert f'<p class="admonition-title">{title}</p>' in out
    assert "docs/p.md" in out  # the notice says where the secret came from
    assert "<p>intro</p>" in out  # the other block is untouched


def test_english_site_gets_english_words(tmp_path) -> None:
    """One real ``mkdocs build`` of an English site: caption links, a diagram that could not
    be drawn and a withheld block are in English, and no Korean word of execdocs is left."""
    project = Project(tmp_path / "proj")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("language: ko", "language: en"),
                   encoding="utf-8")
    project.script("broken", "raise RuntimeError('no picture today')\n")
    project.page("more.md", f"# More\n\n![Broken](diagram:broken)\n\nA token: {TOKEN}\n")
    build = project.build(strict=False)
    assert build.returncode == 0, build.log
    index, more = build.page("index.html"), build.page("more.html")
    assert 'href="#dg-cluster-figure">View full size</a>' in index
    assert 'href="#dg-cluster-at">Close</a>' in index
    assert 'Diagram "broken" could not be drawn' in more
    assert "A secret was detected: this block was not published" in more
    assert TOKEN not in more
    for korean in ("전체 크기로 보기", "닫기", "그리지 못했습니다", "비밀 값이"):
        assert korean not in index + more, korean
