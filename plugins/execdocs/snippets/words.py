"""The words execdocs puts on a page, in the site's language (``theme.language``).

Korean and English; any other language gets English, which more readers of a foreign site
share than Korean. Messages in the build log stay English (they are for contributors).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "ko": {
        "captured": "캡처한 출력",
        "reference": "참고 출력(reference)",
        "illustrative": "예시 출력(illustrative)",
        "note-captured": "",
        "note-reference": "실제로 캡처한 것이 아니라 공개 문서에서 옮긴 출력입니다",
        "note-illustrative": "직접 작성한 예시이며 실제 시스템에서 캡처한 출력이 아닙니다",
        "captured-on": "{when} 캡처",
        "exit": "종료 코드 {code}",
        "source": "출처: ",
        "details": "출처와 환경",
        "more": "나머지 {n}줄 더 보기",
        "missing": "출력 없음: 이 명령의 캡처를 찾지 못했습니다",
        "empty": "(출력 없음)",
        "written": "페이지에 적힌 출력",
        "written-note": "캡처한 출력이 아닙니다",
        "skipped": "출력 검증 제외: ",
        "sessions": "모든 세션과 출처",
        # the render-time secret guard's notice (execdocs.secret_guard)
        "withheld-title": "비밀 값이 감지되어 이 블록을 게시하지 않았습니다",
        "withheld": "{source}: 이 블록에서 {kind}이(가) 발견되어 게시하는 사이트에서 뺐습니다.",
        "withheld-lines-title": "위 블록에서 비밀 값이 감지되었습니다",
        "withheld-lines": "{source}: 위 블록에서 {kind}이(가) 발견되어, 그 값이 있는 줄은 "
                          "{withheld}(으)로 바꿔 게시했습니다.",
    },
    "en": {
        "captured": "Captured output",
        "reference": "Reference output",
        "illustrative": "Illustrative output",
        "note-captured": "",
        "note-reference": "copied from public documentation, not captured here",
        "note-illustrative": "written by hand, not captured from a live system",
        "captured-on": "captured {when}",
        "exit": "exit status {code}",
        "source": "source: ",
        "details": "source and environment",
        "more": "show {n} more lines",
        "missing": "no output: no capture was found for this command",
        "empty": "(no output)",
        "written": "Output as written on the page",
        "written-note": "not a captured output",
        "skipped": "output not checked: ",
        "sessions": "all sessions and their provenance",
        "withheld-title": "A secret was detected: this block was not published",
        "withheld": "{source}: a {kind} was found in this block; it was withheld from the "
                    "published site.",
        "withheld-lines-title": "A secret was detected in the block above",
        "withheld-lines": "{source}: a {kind} was found in the block above; each line holding "
                          "it shows {withheld} instead.",
    },
}


def words(language: str) -> dict[str, str]:
    """The words for ``language`` (``ko``, ``ko-KR``, ``en_US``...), English when unknown."""
    base = (language or "en").replace("_", "-").split("-")[0].lower()
    return WORDS.get(base, WORDS["en"])
