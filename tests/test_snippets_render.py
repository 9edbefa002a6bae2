"""HTML of a snippet: command copied alone, output escaped, provenance plain, long output folded."""

from __future__ import annotations

import re

from execdocs.snippets.ansi import ansi_to_html
from execdocs.snippets.check import SnippetResult
from execdocs.snippets.parse import Command, Fence
from execdocs.snippets.render import command_block, output_block, render_fence
from execdocs.snippets.store import Capture, Session


def _result(stdout: bytes, provenance: str = "captured", **kw) -> SnippetResult:
    session = Session(name="lab", system="k3s 단일 노드", provenance=provenance,
                      versions=kw.pop("versions", {"k3s": "v1.31.2+k3s1"}),
                      when=kw.pop("when", None), source=kw.pop("source", None))
    cap = Capture(command="kubectl get nodes", run="kubectl get nodes", stdout=stdout, **kw)
    fence = Fence(page="docs/p.md", line=1, indent="")
    return SnippetResult(page="docs/p.md", fence=fence, command=Command("kubectl get nodes", 2),
                         session_name="lab", session=session, capture=cap)


def test_command_block_copies_the_command_alone() -> None:
    block = command_block("kubectl get pods -o jsonpath='{.items[*].metadata.name}' | grep \"x\"")
    assert ('data-copy="kubectl get pods -o jsonpath=&#x27;{.items[*].metadata.name}&#x27; | '
            'grep &quot;x&quot;"') in block
    assert '<span class="gp">$ </span>' in block  # the prompt is shown, not copied


def test_output_is_html_escaped() -> None:
    html = output_block(_result(b"<script>alert('x')</script> & <none>\n",
                                captured="2026-11-26T15:30:12Z"), 20)
    assert "<script>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;none&gt;" in html


def test_provenance_captured_reference_illustrative() -> None:
    captured = output_block(_result(b"x\n", captured="2026-11-26T15:30:12Z"), 20)
    assert "캡처한 출력" in captured and "2026-11-26 캡처" in captured
    assert "k3s v1.31.2+k3s1" in captured and "k3s 단일 노드" in captured
    ref = output_block(_result(b"x\n", "reference", versions={},
                               source="https://kubernetes.io/docs/tasks/debug/"), 20)
    assert "참고 출력(reference)" in ref and "공개 문서에서 옮긴 출력" in ref
    assert '<a href="https://kubernetes.io/docs/tasks/debug/" rel="noopener">kubernetes.io</a>' \
        in ref
    assert "캡처)" not in ref and " 캡처<" not in ref
    ill = output_block(_result(b"x\n", "illustrative", versions={}, when="2026-01-01"), 20)
    assert "예시 출력(illustrative)" in ill and "실제 시스템에서 캡처한 출력이 아닙니다" in ill
    assert "2026-01-01" not in ill  # no capture date on something that was not captured


def test_long_output_folds_with_first_lines_visible() -> None:
    out = b"".join(b"line %d\n" % i for i in range(1, 41))
    html = output_block(_result(out, captured="2026-11-26T15:30:12Z"), 10)
    visible, folded = html.split('<details class="execdocs-more"', 1)
    assert "line 10\n" not in visible and "line 10</code>" in visible and "line 11" not in visible
    assert "나머지 30줄 더 보기" in folded and "line 40" in folded
    short = output_block(_result(b"a\nb\nc\n", captured="2026-11-26T15:30:12Z"), 2)
    assert "details class=\"execdocs-more\"" not in short  # folding away one line helps nobody


def test_ansi_colours_rendered_never_raw() -> None:
    html = output_block(_result(b"\x1b[1;32mRunning\x1b[0m \x1b[31mError\x1b[39m\x1b[K\n",
                                captured="2026-11-26T15:30:12Z"), 20)
    assert "\x1b" not in html
    assert '<span class="ansi-bold ansi-green">Running</span> <span class="ansi-red">Error' \
        in html
    assert ansi_to_html("\x1b]0;title\x07a\x1b[2Jb") == "ab"  # OSC and CSI dropped
    assert ansi_to_html("\x1b[31m<b>") == '<span class="ansi-red">&lt;b&gt;</span>'


def test_crlf_and_carriage_return_progress() -> None:
    html = output_block(_result(b"a\r\nb\r\n10%\r50%\r100%\n", captured="2026-11-26T15:30:12Z"),
                        20)
    code = re.search(r"<code>(.*?)</code>", html, re.S).group(1)
    assert code == "a\nb\n100%"


def test_stderr_shown_apart_and_exit_status_marked() -> None:
    html = output_block(_result(b"", exit=1, stderr=b"error: the server doesn't have a resource\n",
                                captured="2026-11-26T15:30:12Z"), 20)
    assert "종료 코드 1" in html
    assert '<p class="execdocs-stream">stderr</p><div class="execdocs-stderr">' in html
    assert "the server doesn&#x27;t" in html or "the server doesn't" in html


def test_fence_renders_each_command_then_its_output_and_skip_reason() -> None:
    r = _result(b"NAME\n", captured="2026-11-26T15:30:12Z")
    fence = r.fence
    fence.commands = [r.command, Command("kubectl get pods", 3)]
    html = render_fence(fence, [r], 20)
    assert html.index('data-copy="kubectl get nodes"') < html.index("NAME") < html.index(
        'data-copy="kubectl get pods"')
    assert "출력 없음: 이 명령의 캡처를 찾지 못했습니다" not in html  # no result: no block at all
    fence.skip = "설치 스크립트"
    skipped = render_fence(fence, [], 20)
    assert "출력 검증 제외: 설치 스크립트" in skipped and "execdocs-output" not in skipped


def test_provenance_is_a_badge_with_the_details_one_click_away() -> None:
    html = output_block(_result(b"x\n", "reference", source="https://kubernetes.io/docs/",
                                versions={"k3s": "v1.36.1+k3s1"}), 20)
    summary, detail = html.split("</summary>", 1)
    # the kind is in the always-visible summary, in words; the long facts are behind it
    assert '<details class="execdocs-provenance" data-search-exclude><summary>' in html
    assert "참고 출력(reference)" in summary and "k3s v1.36.1+k3s1" not in summary
    assert "k3s v1.36.1+k3s1" in detail and "kubernetes.io" in detail


def test_a_command_shows_the_blanks_its_author_wrote() -> None:
    # kubevirt user-guide: "$  virt-host-validate" was shown (and copied) as "$ virt-host-validate"
    from execdocs.snippets.parse import parse_page
    from execdocs.snippets.render import command_block
    parsed = parse_page("docs/p.md", "```console\n$  virt-host-validate qemu\n```\n", "lab")
    command = parsed.fences[0].commands[0]
    assert command.text == "virt-host-validate qemu"  # what the capture is matched by
    block = command_block(command.text, command.shown)
    assert '<span class="gp">$ </span> virt-host-validate qemu</code>' in block
    assert 'data-copy="virt-host-validate qemu"' in block
