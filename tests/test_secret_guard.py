"""The render-time guard's last pass over whole pages (``secret_guard.PageScrubber``): it
remembers the clean frame shared by every page, and still finds what the exact whole-page pass
(``scrub_html``) finds: in the frame of a later page, across a blank line, in content that
changed after the guard; and nothing is changed on a clean page. One real ``mkdocs build``
with a secret in a navigation title that only the frame carries."""

from __future__ import annotations

import re
import secrets as rnd
import string
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from _snippets_project import make_project
from execdocs import secret_fields, secret_guard
from execdocs.secret_guard import (
    WIDE,
    WITHHELD,
    PageScrubber,
    guard,
    guard_html,
    locate_in,
    scrub_html,
)
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _guarded(content: str):
    return guard(content, "docs/p.md")


def test_a_clean_page_is_returned_unchanged_and_the_frame_is_scanned_once() -> None:
    scrubber = PageScrubber()
    first = _page(0, _content(0))
    assert scrubber.scrub(first, _guarded(_content(0))) == (first, 0)
    once = scrubber.scanned
    for i in range(1, 20):
        page = _page(i, _content(i))
        assert scrubber.scrub(page, _guarded(_content(i))) == (page, 0)
    # each later page scans only what differs from the pages before (title, active item)
    assert scrubber.scanned - once < 19 * once / 4


def test_a_secret_in_a_later_pages_frame_is_withheld_as_the_exact_pass_does() -> None:
    scrubber = PageScrubber()
    for i in range(10):
        scrubber.scrub(_page(i, _content(i)), _guarded(_content(i)))
    token = _token()
    page = _page(10, _content(10), extra=f" {token}")
    out, found = scrubber.scrub(page, _guarded(_content(10)))
    assert found == 1 and token not in out and WITHHELD in out
    assert (out, found) == scrub_html(page)


def test_a_secret_its_context_makes_one_across_a_blank_line() -> None:
    # 'kind: Secret' and the data block are two pieces of the frame: neither alone is a secret
    head = ("    <meta name=\"description\" content=\"kind: Secret\n\n"
            "data:\n  app.conf: aGVsbG8gd29ybGQ=\">\n")
    scrubber = PageScrubber()
    for i in range(5):
        scrubber.scrub(_page(i, _content(i)), _guarded(_content(i)))
    out, found = scrubber.scrub(_page(5, _content(5), head=head), _guarded(_content(5)))
    assert found == 1 and "aGVsbG8gd29ybGQ=" not in out


def test_content_changed_after_the_guard_is_scanned_here() -> None:
    token = _token()
    scrubber = PageScrubber()
    guarded = _guarded(_content(1))
    changed = guarded.html.replace("<h1>", f"<p>{token}</p><h1>")  # a later plugin added it
    out, found = scrubber.scrub(_page(1, changed), guarded)
    assert found == 1 and token not in out


def test_content_as_guarded_is_not_scanned_again() -> None:
    scrubber = PageScrubber()
    scrubber.scrub(_page(0, _content(0)), _guarded(_content(0)))
    before = scrubber.scanned
    big = _content(1) + "".join(f"\n\n<p>줄 {n}</p>" for n in range(200))
    scrubber.scrub(_page(1, big), _guarded(big))
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
    # and no other file of the site: the theme's own 404 page carries the navigation too
    leaks = [p.name for p in (tmp_path / "site").rglob("*") if p.is_file()
             and token.encode() in p.read_bytes()]
    assert not leaks and WITHHELD in (tmp_path / "site" / "404.html").read_text()
    # one warning at the first page (the theme's 404 page is built first) and one line naming
    # the others, not one per page; besides them only the mkdocs.yml line the value is on
    warned = [ln for ln in done.stderr.splitlines() if ln.startswith("WARNING -  execdocs")]
    assert len(warned) == 3, warned
    assert "mkdocs.yml:" in warned[0] and "404.html: 2 secret(s) in the theme's page" in warned[1]
    assert warned[2].endswith("4 more page(s) had secrets in their final HTML replaced by "
                              "'[secret withheld]': docs/p0.md, docs/p1.md, docs/p2.md, docs/p3.md")


# --------------------------------------------------------------------- reach beyond the window
def _far_frame(opener: str, value_block: str) -> str:
    # the opener, then 20 blank-line-separated pieces, then the block: more than WINDOW apart,
    # and 10 pieces before it, so the page title (new on every page) is not near it either;
    # the pieces go on the opener's YAML document (indented lines), as a long Secret's would
    lead = "".join(f"    <p>앞 {n}</p>\n\n" for n in range(10))
    filler = "".join(f"\n\n    <p>  조각{n}: x</p>" for n in range(20))
    return f"{lead}    <p>{opener}</p>{filler}\n\n    <pre>{value_block}</pre>\n"


def test_a_secret_whose_context_opens_far_away_in_the_frame_is_still_withheld() -> None:
    value = "aGVsbG8td29ybGQtcGFzc3dvcmQ="
    scrubber = PageScrubber()
    for i in range(3):  # the opener is in every page's frame: remembered as clean
        scrubber.scrub(_page(i, _content(i), head=_far_frame("kind: Secret", "")),
                       _guarded(_content(i)))
    head = _far_frame("kind: Secret", f"data:\n  app.conf: {value}")
    page = _page(3, _content(3), head=head)
    out, found = scrubber.scrub(page, _guarded(_content(3)))
    assert value not in out and found >= 1
    assert (out, found) == scrub_html(page)


@pytest.mark.parametrize("between", [
    '<span\n' + '\n'.join(f'  data-n{n}="{n}"\n' for n in range(20)) + '>',  # a tag's lines
    "<!--" + "\n\n" * 20 + "-->",  # a comment's
])
def test_a_secret_cut_by_empty_lines_a_reader_never_sees_is_still_withheld(between: str) -> None:
    # empty lines inside a tag or a comment are no blank lines of the page's text: the token
    # on both sides of them is one token there, however many pieces the cut makes of it
    token = _token()
    scrubber = PageScrubber()
    # the first half before the cut on one page, the second half after it on another: every
    # run of pieces of the third page, which holds both, has been seen on a clean page
    for extra in (f" {token[:20]}{between}zzzz", f" yyyy{between}{token[20:]}"):
        scrubber.scrub(_page(1, _content(1), extra=extra), _guarded(_content(1)))
    page = _page(1, _content(1), extra=f" {token[:20]}{between}{token[20:]}")
    out, found = scrubber.scrub(page, _guarded(_content(1)))
    assert found == 1 and token[:20] not in out and token[20:] not in out
    assert (out, found) == scrub_html(page)


def test_a_secret_kind_in_the_content_does_not_make_a_data_block_elsewhere_one() -> None:
    # a Secret in one code block, a ConfigMap's data: in another part of the page (argo-rollouts
    # and cloudnative-pg docs lost their ConfigMaps so): the data belongs to no Secret. The
    # content opens a wide context, so the page still takes the exact pass over all of it.
    value = "c2VjcmV0LXZhbHVlLWluLWZyYW1l"
    content = "<h1>Secret</h1><pre><code>apiVersion: v1\nkind: Secret\n</code></pre>"
    guarded = _guarded(content)
    assert guarded.wide and not guarded.problems  # alone the content is clean
    head = _far_frame("설정", f"data:\n  app.conf: {value}")
    scrubber = PageScrubber()
    out, found = scrubber.scrub(_page(0, content, head=head), guarded)
    assert value in out and found == 0 and scrubber.exact == 1


def test_wide_covers_what_opens_every_unbounded_rule() -> None:
    openers = ["kind: Secret", '"kind": "Secret"', "kind:      Secret", '\\"kind\\":\\"Secret\\"',
               "'kind': 'Secret'", "-----BEGIN RSA PRIVATE KEY-----",
               "-----BEGIN OPENSSH PRIVATE KEY-----", "password: |", "token: >-",
               "DB_PASSWORD: |  # from vault"]
    for text in openers:
        assert WIDE.search(text), text
    for text in openers[:5]:  # the rule's own opener agrees that these open it
        assert secret_fields._SECRET_KIND.search(text), text
    for text in ["Secrets", "kind: ConfigMap", "public key", "a | b"]:
        assert not WIDE.search(text), text


# ------------------------------------------------------------------------ allow-secret, lines
def test_allow_secret_lets_one_block_through_and_guards_the_next() -> None:
    demo, real = _token(), _token()
    content = ("<!-- execdocs: allow-secret: a revoked demo token -->\n"
               f"<pre><code>export GITHUB_TOKEN={demo}</code></pre>\n"
               f"<pre><code>export GITHUB_TOKEN={real}</code></pre>")
    guarded = guard(content, "docs/p.md")
    assert demo in guarded.html and real not in guarded.html
    assert len(guarded.problems) == 1 and "allow-secret" in (guarded.problems[0].hint or "")
    # the final pass, sent to the exact scrub by a token in the frame, keeps the allowed block
    frame_token = _token()
    out, found = PageScrubber().scrub(_page(0, guarded.html, extra=f" {frame_token}"), guarded)
    assert frame_token not in out and demo in out and found == 1


def test_allow_secret_without_a_reason_allows_nothing() -> None:
    token = _token()
    guarded = guard(f"<!-- execdocs: allow-secret -->\n<pre><code>{token}</code></pre>",
                    "docs/p.md")
    assert token not in guarded.html
    assert any("needs a reason" in p.message for p in guarded.problems)


def test_two_blocks_with_one_secret_are_named_at_their_own_lines() -> None:
    token = _token()
    source = f"# 제목\n\n```text\n{token}\n```\n\n본문\n\n```text\n{token}\n```\n"
    block = f"<pre><code>{token}</code></pre>"
    content = f"<h1>제목</h1>\n{block}\n<p>본문</p>\n{block}"
    guarded = guard(content, "docs/p.md", locate_in([("docs/p.md", source)]))
    assert [p.line for p in guarded.problems] == [4, 10]


def test_allow_secret_is_no_console_directive_and_not_for_a_console_fence() -> None:
    from execdocs.snippets.parse import parse_page
    page = ("# 예\n\n<!-- execdocs: allow-secret: 문서용 예시 토큰 -->\n\n```text\nghp_x\n```\n\n"
            "<!-- execdocs: allow-secret: 캡처에는 안 됨 -->\n"
            "```console\n$ kubectl get pods\n```\n")
    problems = parse_page("docs/p.md", page, "lab").problems
    assert [(p.line, "console fence" in p.message) for p in problems] == [(9, True)]


def test_mkdocs_build_keeps_an_allowed_example_and_withholds_the_rest_in_english(
        tmp_path: Path) -> None:
    demo, real = _token(), _token()
    page = (f"# Tokens\n\n<!-- execdocs: allow-secret: a revoked demo token -->\n"
            f"```text\nGITHUB_TOKEN={demo}\n```\n\nThen:\n\n```text\nGITHUB_TOKEN={real}\n```\n")
    make_project(tmp_path, {"index.md": page})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("language: ko", "language: en")
                   .replace("plugins:\n", "plugins:\n  - search\n"))
    done = subprocess.run([str(MKDOCS), "build", "-f", str(yml)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    html = (tmp_path / "site" / "index.html").read_text()
    index = (tmp_path / "site" / "search" / "search_index.json").read_text()
    assert demo in html and demo in index
    assert real not in html and real not in index
    # in a code block only the line holding it is withheld, and a notice follows the block
    assert "A secret was detected in the block above" in html
    assert "[secret withheld]" in html and "Then:" in html
    assert "docs/index.md:11" in done.stderr


def test_wide_block_scalars_are_those_of_secret_naming_keys() -> None:
    from execdocs.secret_keywords import PREFILTER_WORDS
    assert not WIDE.search("run: |\n  make test") and not WIDE.search("script: >-")
    for word in PREFILTER_WORDS:  # every word a secret-naming key holds opens it
        assert WIDE.search(f"db_{word.upper()}: |"), word


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["kind: Secret", "kind:Secret", "Secret", "PRIVATE KEY", "password",
                                 "TOKEN", "x", ": |", ":|", "= >-", "=", ":", " ", "\n", "# c",
                                 "|", ">", "a: | # db_pass: >", "run: |"]), max_size=12))
def test_the_quick_wide_test_is_wide(parts: list[str]) -> None:
    text = "".join(parts)
    assert secret_guard._opens_wide(text) == (WIDE.search(text) is not None), text


def test_a_secret_in_a_heading_leaves_no_trace_in_anchors_or_the_search_index(
        tmp_path: Path) -> None:
    pat = _token()
    password = rnd.token_hex(16)
    k3s = "K10" + rnd.token_hex(32) + "::server:" + password
    make_project(tmp_path, {"index.md": f"# 홈\n\n## join {k3s}\n\n본문\n\n## pat {pat}\n\n끝\n"})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("plugins:\n", "plugins:\n  - search\n"))
    done = subprocess.run([str(MKDOCS), "build", "-f", str(yml)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    # a heading's anchor is a slug of its title: lower-cased, '::' dropped, the parts kept
    traces = [password, pat[4:].lower(), pat[4:]]
    leaks = [(t[:6], p.name) for p in (tmp_path / "site").rglob("*") if p.is_file()
             for t in traces if t.encode() in p.read_bytes()]
    assert not leaks
    page = (tmp_path / "site" / "index.html").read_text()
    assert "execdocs-withheld-" in page
    # every table-of-contents link to a withheld heading lands on its notice
    links = set(re.findall(r'href="#(execdocs-withheld-\d+)"', page))
    assert links and all(f'id="{link}"' in page for link in links), links


def test_the_guard_runs_with_snippets_off_and_names_the_page_line(tmp_path: Path) -> None:
    # the guard is its own adapter: with the snippets feature off, and MkDocs started from
    # another folder, a secret written in a page is still withheld and named at its line
    token = _token()
    make_project(tmp_path, {"p.md": f"# 페이지\n\n본문.\n\n```text\nGITHUB={token}\n```\n"})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("        session: lab", "        mode: 'off'", 1))
    assert "mode: 'off'" in yml.read_text()
    done = subprocess.run([str(MKDOCS), "build", "-f", str(yml)], cwd=tmp_path.parent,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert token not in (tmp_path / "site" / "p.html").read_text()
    assert "execdocs-withheld" in (tmp_path / "site" / "p.html").read_text()
    assert "execdocs: docs/p.md:6: a github-pat was about to be published" in done.stderr, (
        done.stderr)
    assert token not in done.stderr


def test_a_numbered_block_gets_its_notice_after_the_table_not_in_the_code_cell() -> None:
    # pymdownx.highlight's table style puts the <pre> in the table's code cell; the notice
    # rendered there stood indented under the code column (held-out trial, rook and kubevirt)
    md = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"],
                           extension_configs={"pymdownx.highlight": {"linenums": True}})
    page = md.convert("```yaml\nstringData:\n  password: Zq8vN3kLp2Wx7rT5\nkind: Secret\n```\n")
    guarded = secret_guard.guard(page, "docs/p.md", None, "en")
    assert "Zq8vN3kLp2Wx7rT5" not in guarded.html and len(guarded.problems) == 1
    table_end = guarded.html.index("</table>")
    notice = guarded.html.index('class="admonition failure execdocs-withheld"')
    assert notice > table_end and guarded.html.rindex("</td>") < table_end
