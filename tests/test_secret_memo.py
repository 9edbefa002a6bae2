"""The guard's clean verdicts kept across builds (``execdocs.secret_memo``): a text found clean
is not scanned again while it and the judging code are the same; a text holding a secret is
found on every build; a memo of other code, a broken or tampered file, or one rewritten by
someone else during a build is not trusted. Two real ``mkdocs build`` runs at the end."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _snippets_project import make_project
from execdocs import secret_guard, secret_memo, secrets
from execdocs.secret_guard import WITHHELD, PageScrubber, guard
from execdocs.secret_memo import CleanMemo
from test_secret_guard import _content, _page, _token

MKDOCS = Path(sys.executable).with_name("mkdocs")


def _memo(tmp_path: Path) -> CleanMemo:
    memo = CleanMemo(tmp_path / secret_memo.PATH)
    memo.load()
    return memo


def _no_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any scan by the guard an error: what follows must come from the memo."""
    def refuse(*_a, **_k):
        raise AssertionError("scanned although the memo knows the text")
    monkeypatch.setattr(secrets, "matches", refuse)
    monkeypatch.setattr(secret_guard.secrets, "matches", refuse)


def _remembered(tmp_path: Path, content: str, page: str) -> None:
    # one build: the content guarded, the page scrubbed, the memo saved
    memo = _memo(tmp_path)
    guarded = guard(content, "docs/p.md", memo=memo)
    assert PageScrubber(memo=memo).scrub(page, guarded) == (page, 0)
    memo.save()


def test_a_clean_page_is_not_scanned_again_in_the_next_build(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    content = _content(1)
    page = _page(1, content)
    _remembered(tmp_path, content, page)
    _no_scan(monkeypatch)
    memo = _memo(tmp_path)
    guarded = guard(content, "docs/p.md", memo=memo)
    assert guarded.html == content and not guarded.problems and not guarded.wide
    assert PageScrubber(memo=memo).scrub(page, guarded) == (page, 0)
    assert (memo.hits, memo.misses) == (2, 0)


def test_a_secret_is_found_in_every_build_and_never_remembered(tmp_path: Path) -> None:
    token = _token()
    content = _content(1) + f"<pre><code>GITHUB={token}</code></pre>"
    for _build in range(3):
        memo = _memo(tmp_path)
        guarded = guard(content, "docs/p.md", memo=memo)
        assert token not in guarded.html and len(guarded.problems) == 1
        framed = _page(2, _content(2), extra=f" {token}")  # in the navigation
        out, found = PageScrubber(memo=memo).scrub(framed, guard(_content(2), "d", memo=memo))
        assert found == 1 and token not in out
        memo.save()
    entries = json.loads((tmp_path / secret_memo.PATH).read_text())["entries"]
    assert len(entries) == 1  # the clean content of page 2 only


def test_one_changed_character_is_scanned(tmp_path: Path) -> None:
    content = _content(1)
    _remembered(tmp_path, content, _page(1, content))
    token = _token()
    memo = _memo(tmp_path)
    later = content.replace("app-1", token)  # same length class, same page otherwise
    assert len(guard(later, "docs/p.md", memo=memo).problems) == 1
    out, found = PageScrubber(memo=memo).scrub(_page(1, content, extra=f" {token}"),
                                               guard(content, "docs/p.md", memo=memo))
    assert found == 1 and token not in out


def test_a_page_clean_with_its_allowed_block_is_scanned_without_it(tmp_path: Path) -> None:
    # the final pass leaves out the content the guard passed (an allowed example included):
    # the same page text scrubbed without that content as guarded is another verdict
    token = _token()
    content = (f"<p>demo</p>\n<!-- execdocs: allow-secret: a revoked demo token -->\n"
               f"<pre><code>{token}</code></pre>\n<p>after</p>")
    memo = _memo(tmp_path)
    guarded = guard(content, "docs/p.md", memo=memo)
    assert token in guarded.html and guarded.allowed
    page = _page(1, guarded.html)
    assert PageScrubber(memo=memo).scrub(page, guarded) == (page, 0)
    memo.save()
    memo = _memo(tmp_path)
    out, found = PageScrubber(memo=memo).scrub(page)  # no guarded content: all of it scanned
    assert found == 1 and token not in out and WITHHELD in out


def test_a_wide_context_is_remembered_with_the_clean_content(tmp_path: Path) -> None:
    content = "<p>kind: Secret</p>"  # opens a rule of unbounded reach, holds no secret
    memo = _memo(tmp_path)
    assert guard(content, "docs/p.md", memo=memo).wide
    memo.save()
    memo = _memo(tmp_path)
    assert guard(content, "docs/p.md", memo=memo).wide and memo.hits == 1


@pytest.mark.parametrize("spoil", ["fingerprint", "payload", "shape", "value", "bytes"])
def test_a_memo_of_other_code_or_a_spoilt_file_is_not_trusted(tmp_path: Path, spoil: str,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    content = _content(1)
    _remembered(tmp_path, content, _page(1, content))
    path = tmp_path / secret_memo.PATH
    data = json.loads(path.read_text())
    if spoil == "fingerprint":  # execdocs changed (or a judging library): the memo is stale
        monkeypatch.setattr(secret_memo, "code_fingerprint", lambda: "other code")
    elif spoil == "payload":  # an entry added without the payload hash
        data["entries"]["0" * 40] = 0
        path.write_text(json.dumps(data))
    elif spoil == "shape":
        path.write_text(json.dumps({"fingerprint": data["fingerprint"], "entries": []}))
    elif spoil == "value":
        data["entries"] = {k: "0" for k in data["entries"]}
        data["sha256"] = secret_memo._sha(data["entries"])  # type: ignore[arg-type]
        path.write_text(json.dumps(data))
    else:
        path.write_bytes(b"\xff\x00 not json")
    memo = _memo(tmp_path)
    guard(content, "docs/p.md", memo=memo)
    assert (memo.hits, memo.misses) == (0, 1)


def test_a_memo_rewritten_during_a_build_is_replaced_by_the_builds_own(tmp_path: Path) -> None:
    content = _content(1)
    _remembered(tmp_path, content, _page(1, content))
    path = tmp_path / secret_memo.PATH
    memo = _memo(tmp_path)
    guard(content, "docs/p.md", memo=memo)  # the build uses what it read ...
    data = json.loads(path.read_text())
    forged = CleanMemo().key("content", f"<pre><code>{_token()}</code></pre>")
    data["entries"][forged] = 0  # ... while someone else (a diagram script) adds an entry
    data["sha256"] = secret_memo._sha(data["entries"])
    path.write_text(json.dumps(data))
    memo.save()  # same verdicts as read, but the file changed: written again
    assert forged not in json.loads(path.read_text())["entries"]


def test_a_memo_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    (tmp_path / ".cache").write_text("a file where the folder would be")
    memo = _memo(tmp_path)
    assert not guard(_content(1), "docs/p.md", memo=memo).problems
    memo.save()  # no error
    assert memo.misses == 1


def test_a_build_that_judged_nothing_writes_nothing(tmp_path: Path) -> None:
    # a build that failed before its first page (Graphviz missing) leaves no .cache behind
    memo = _memo(tmp_path)
    memo.save()
    assert not (tmp_path / ".cache").exists()
    assert not guard(_content(1), "docs/p.md", memo=memo).problems
    memo.save()
    assert memo.path is not None and memo.path.is_file()


# ---------------------------------------------------------------------------- real builds
def _build(root: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(MKDOCS), "build", "-v", "-f", str(root / "mkdocs.yml")],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _known(done: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    m = re.search(r"secret guard: (\d+) of (\d+) pages known clean", done.stderr)
    assert m, done.stderr[-3000:]
    return int(m[1]), int(m[2])


def test_mkdocs_rebuild_uses_the_memo_and_a_new_secret_in_the_frame_is_withheld(
        tmp_path: Path) -> None:
    pages = {f"p{i}.md": f"# 페이지 {i}\n\n본문입니다.\n" for i in range(3)}
    make_project(tmp_path, pages)
    assert _known(_build(tmp_path)) == (0, 5)  # 3 pages, 404.html and sitemap.xml
    before = {p: (tmp_path / "site" / p).read_bytes() for p in ("p0.html", "p1.html")}
    known, pages = _known(_build(tmp_path))
    assert pages == 5 and known >= 4  # sitemap.xml holds the date: new after midnight
    assert before == {p: (tmp_path / "site" / p).read_bytes() for p in before}
    # a secret only the navigation carries: every page's final HTML is new, and scanned
    token = _token()
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text() + f"nav:\n  - p0.md\n  - '설정 {token}':\n    - p1.md\n"
                   "    - p2.md\n")
    third = subprocess.run([str(MKDOCS), "build", "-v", "-f", str(yml)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert third.returncode == 0, third.stderr[-2000:]
    known, pages = _known(third)
    assert pages == 5 and known <= 1  # only sitemap.xml, which has no navigation, is as it was
    leaks = [p.name for p in (tmp_path / "site").rglob("*") if p.is_file()
             and token.encode() in p.read_bytes()]
    assert not leaks
