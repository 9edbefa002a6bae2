"""Unit tests of execdocs.site.korean_search (no MkDocs, no browser)."""

from __future__ import annotations

import copy
import re

import pytest
from execdocs.site import korean_search as ks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # particles and endings cut after two syllables or a Latin letter
        ("컨테이너가", ["컨테이너"]),
        ("컨테이너를 실행하는 kubelet이", ["컨테이너", "실행", "kubelet"]),
        ("레지스트리에서 pull해서", ["레지스트리", "pull"]),
        ("배치됩니다", ["배치"]),
        # short words keep their last syllable: 노드 is not 노 + 드, 경로 is not 경 + 로
        ("노드 경로 정의", ["노드", "경로", "정의"]),
        # a particle-like syllable inside a word stays
        ("이미지 오케스트레이션", ["이미지", "오케스트레이션"]),
        # punctuation splits, as it did not in Material's default [\s\-]+
        ("인증/인가/어드미션(admission)을", ["인증", "인가", "어드미션", "admission"]),
        ("unix:///run/k3s/containerd/containerd.sock", ["unix", "run", "k3s", "containerd",
                                                      "containerd", "sock"]),
        ("“주문서(CRI)로”", ["주문서", "cri"]),
        ("Kube-Proxy", ["kube", "proxy"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert ks.tokens(text) == expected


def test_query_and_document_forms_meet() -> None:
    """The browser splits queries with the same separator: differing endings give one stem."""
    assert ks.tokens("소켓이")[0] == ks.tokens("소켓은")[0] == "소켓"
    assert ks.tokens("다중화하는")[0] == ks.tokens("다중화해")[0] == "다중화"


def test_separator_is_javascript_compatible() -> None:
    """No Python-only syntax: the browser compiles it with ``new RegExp(separator)``."""
    for python_only in ("(?P<", "(?i", "(?x", "\\A", "\\Z", "(?#", "\\p{"):
        assert python_only not in ks.separator_for(PAIRS)
    re.compile(ks.SEPARATOR)  # the base part is also valid Python


def test_hidden_terms_are_word_parts() -> None:
    assert ks.hidden_terms("고가용성 환경변수") == ["가용성", "용성", "경변수", "변수"]
    assert ks.hidden_terms("kubelet Pod 노드") == []  # no part starts at a Hangul syllable
    assert ks.hidden_terms("가용성 고가용성") == ["용성"]  # 가용성 is already a token


def test_phrases_are_spaced_hangul_word_pairs() -> None:
    text = "컨트롤 플레인(Control Plane)을 컨테이너를 실행 할 수 노드, 런타임 k3s 노드"
    assert ks.phrases(text) == {("컨트롤", "플레인")}


PAIRS = frozenset({("컨트롤", "플레인"), ("선언형", "운영"), ("선언형", "배포")})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("컨트롤플레인", ["컨트롤", "플레인"]),  # the spaced form's words
        ("컨트롤플레인을", ["컨트롤", "플레인"]),  # ... with a particle
        ("선언형운영하는", ["선언형", "운영"]),
        ("선언형배포", ["선언형", "배포"]),
        ("컨트롤 플레인", ["컨트롤", "플레인"]),
        ("컨트롤플레인은요", ["컨트롤플레인은요"]),  # not phrase + particle: left alone
        ("고컨트롤플레인", ["고컨트롤플레인"]),  # the first word must start the input
        ("컨트롤플레인 고가용성", ["컨트롤플레인", "고가용성"]),  # document text: not split
        ("선언형플레인", ["선언형", "플레인"]),  # first and second words are sets, not pairs
        ("컨트롤배포한", ["컨트롤", "배포"]),  # the particle cut sees the whole word
    ],
)
def test_joined_phrase_query_splits_like_the_spaced_one(query: str, expected: list[str]) -> None:
    assert ks.tokens(query, PAIRS) == expected


def test_separator_for_is_deterministic_and_extends_the_base() -> None:
    separator = ks.separator_for(PAIRS)
    assert separator.startswith(ks.SEPARATOR + "|")
    assert "(?<=^(?:" in separator and "컨트롤" in separator
    assert separator == ks.separator_for(sorted(PAIRS, reverse=True))
    assert ks.separator_for([]) == ks.SEPARATOR


def test_plain_text_keeps_inline_words_together() -> None:
    assert ks.plain_text("<code>kubelet</code>이 <p>A</p><p>B</p> &amp;") == "kubelet이  A  B  &"


def _index() -> dict:
    return {
        "config": {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": [],
                   "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
        "docs": [
            {"location": "eks.html#ha", "title": "컨트롤 플레인 고가용성",
             "text": "<p>API Server/etcd를 다중화해</p>"},
            {"location": "k.html", "title": "kubelet", "text": ""},
        ],
    }


def test_augment_index() -> None:
    index = _index()
    added = ks.augment_index(index)
    pairs = {("컨트롤", "플레인"), ("플레인", "고가용성")}
    assert ks.site_phrases(index) == pairs
    assert index["config"]["separator"] == ks.separator_for(pairs)
    assert added.phrases == 2
    assert index["config"]["fields"]["ko_title"] == {"boost": 500.0}
    assert index["config"]["fields"]["ko_text"] == {"boost": 0.5}
    assert index["config"]["fields"]["title"] == {"boost": 1000.0}
    ha, kubelet = index["docs"]
    assert "가용성" in ha["ko_title"].split()
    assert "화" not in ha.get("ko_text", "").split()  # suffixes are at least two syllables
    assert "ko_title" not in kubelet and "ko_text" not in kubelet
    assert added.terms == len(ha["ko_title"].split()) + len(ha.get("ko_text", "").split())


def test_augment_index_twice_is_the_same() -> None:
    once = _index()
    ks.augment_index(once)
    twice = copy.deepcopy(once)
    ks.augment_index(twice)
    assert twice == once


@pytest.mark.parametrize("bad", [{}, {"config": {}}, {"config": [], "docs": []}])
def test_augment_index_rejects_other_json(bad: dict) -> None:
    with pytest.raises(ValueError, match="not a Material search index"):
        ks.augment_index(bad)
