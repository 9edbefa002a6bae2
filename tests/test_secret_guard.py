"""The render-time guard's last pass over whole pages (``secret_guard.PageScrubber``): it
remembers the clean frame shared by every page, and still finds what the exact whole-page pass
(``scrub_html``) finds: in the frame of a later page, across a blank line, in content that
changed after the guard; and nothing is changed on a clean page. One real ``mkdocs build``
with a secret in a navigation title that only the frame carries."""

from __future__ import annotations

import secrets as rnd
import string
import subprocess
import sys
from pathlib import Path

from _snippets_project import make_project
from execdocs.secret_guard import WITHHELD, PageScrubber, guard_html, scrub_html

ALNUM = string.ascii_letters + string.digits
MKDOCS = Path(sys.executable).with_name("mkdocs")


def _token() -> str:
    """A GitHub personal access token in its documented shape (ghp_ + 36), random now."""
    return "ghp_" + "".join(rnd.choice(ALNUM) for _ in range(36))


def _nav(pages: int, active: int, extra: str = "") -> str:
    # indented and blank-line-separated as Material's templates render it
    items = []
    for i in range(pages):
        cls = "md-nav__item md-nav__item--active" if i == active else "md-nav__item"
        title = f"페이지 {i}" + (extra if i == pages - 1 else "")
        items.append(f'    <li class="{cls}">\n      <a href="p{i}.html" class="md-nav__link">'
                     f'\n\n  <span class="md-ellipsis">\n\n    {title}\n\n  </span>\n\n'
                     "      </a>\n    </li>\n")
    return '<nav class="md-nav">\n  <ul>\n\n' + "\n\n".join(items) + "  </ul>\n</nav>\n"


def _page(i: int, content: str, pages: int = 40, extra: str = "", head: str = "") -> str:
    return (f"<!doctype html>\n<html>\n  <head>\n\n    <title>페이지 {i} - bench</title>\n\n"
            f"{head}  </head>\n  <body>\n\n{_nav(pages, i, extra)}\n\n"
            f'    <article class="md-content__inner">{content}</article>\n\n'
            "  <footer>\n\n    Made with Material for MkDocs\n\n  </footer>\n  </body>\n</html>\n")


def _content(i: int) -> str:
    return (f"<h1>페이지 {i}</h1><p>kubelet은 노드에서 Pod를 유지합니다.</p>"
            f'<div class="highlight"><pre><code>NAME   READY\napp-{i}   1/1</code></pre></div>')


def test_a_clean_page_is_returned_unchanged_and_the_frame_is_scanned_once() -> None:
    scrubber = PageScrubber()
    first = _page(0, _content(0))
    assert scrubber.scrub(first, _content(0)) == (first, 0)
    once = scrubber.scanned
    for i in range(1, 20):
        page = _page(i, _content(i))
        assert scrubber.scrub(page, _content(i)) == (page, 0)
    # each later page scans only what differs from the pages before (title, active item)
    assert scrubber.scanned - once < 19 * once / 4


def test_a_secret_in_a_later_pages_frame_is_withheld_as_the_exact_pass_does() -> None:
    scrubber = PageScrubber()
    for i in range(10):
        scrubber.scrub(_page(i, _content(i)), _content(i))
    token = _token()
    page = _page(10, _content(10), extra=f" {token}")
    out, found = scrubber.scrub(page, _content(10))
    assert found == 1 and token not in out and WITHHELD in out
    assert (out, found) == scrub_html(page)


def test_a_secret_its_context_makes_one_across_a_blank_line() -> None:
    # 'kind: Secret' and the data block are two pieces of the frame: neither alone is a secret
    head = ("    <meta name=\"description\" content=\"kind: Secret\n\n"
            "data:\n  app.conf: aGVsbG8gd29ybGQ=\">\n")
    scrubber = PageScrubber()
    for i in range(5):
        scrubber.scrub(_page(i, _content(i)), _content(i))
    out, found = scrubber.scrub(_page(5, _content(5), head=head), _content(5))
    assert found == 1 and "aGVsbG8gd29ybGQ=" not in out


def test_content_changed_after_the_guard_is_scanned_here() -> None:
    token = _token()
    scrubber = PageScrubber()
    guarded = _content(1)
    changed = guarded.replace("<h1>", f"<p>{token}</p><h1>")  # a later plugin added it
    out, found = scrubber.scrub(_page(1, changed), guarded)
    assert found == 1 and token not in out


def test_content_as_guarded_is_not_scanned_again() -> None:
    scrubber = PageScrubber()
    scrubber.scrub(_page(0, _content(0)), _content(0))
    before = scrubber.scanned
    big = _content(1) + "".join(f"\n\n<p>줄 {n}</p>" for n in range(200))
    scrubber.scrub(_page(1, big), big)
    assert scrubber.scanned - before < 50  # the 200 pieces of content are not among them


def test_guard_html_still_withholds_the_block() -> None:
    token = _token()
    html, problems = guard_html(f"<p>ok</p><pre><code>{token}</code></pre>", "docs/p.md")
    assert token not in html and "execdocs-withheld" in html and len(problems) == 1


def test_mkdocs_build_withholds_a_secret_only_the_navigation_frame_carries(tmp_path: Path) -> None:
    token = _token()
    pages = {f"p{i}.md": f"# 페이지 {i}\n\n본문입니다.\n" for i in range(4)}
    make_project(tmp_path, pages)
    yml = tmp_path / "mkdocs.yml"
    # a section title: no page's title, so only the final pass over each page can see it
    nav = f"nav:\n  - p0.md\n  - p1.md\n  - '설정 {token}':\n    - p2.md\n    - p3.md\n"
    yml.write_text(yml.read_text() + nav)
    done = subprocess.run([str(MKDOCS), "build", "-f", str(yml)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    for i in range(4):
        html = (tmp_path / "site" / f"p{i}.html").read_text()
        assert token not in html and WITHHELD in html, f"p{i}.html"
    assert "secret(s) left in the page's final HTML" in done.stderr
