"""Word joiners that keep bracketed Korean words whole: where they go and where they never go."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from execdocs.mkdocs.config import SiteConfig
from execdocs.mkdocs.site import SiteAdapter
from execdocs.site.word_joiner import WORD_JOINER, join

WJ = WORD_JOINER


def _body(html: str) -> str:
    return f"<html><head><title>런타임(x)</title></head><body>{html}</body></html>"


@pytest.mark.parametrize(("given", "expected"), [
    # a syllable then an opening bracket; a closing bracket then a syllable
    ("<p>런타임(containerd)과</p>", f"<p>런타임{WJ}(containerd){WJ}과</p>"),
    ("<p>일 (노드 관점)</p>", "<p>일 (노드 관점)</p>"),  # a space is a break anyway
    ("<p>k3s server ...가</p>", f"<p>k3s server ...{WJ}가</p>"),
    ("<p>「Pod」를</p>", f"<p>「Pod」{WJ}를</p>"),
    ("<p>containerd(1.6)</p>", "<p>containerd(1.6)</p>"),  # no Hangul: the browser keeps it
    ("<p>생성/시작</p>", "<p>생성/시작</p>"),  # a slash may break, as in English
    # across inline elements, in both directions
    ("<p><strong>CRI(Container Runtime Interface)</strong>라는</p>",
     f"<p><strong>CRI(Container Runtime Interface)</strong>{WJ}라는</p>"),
    ("<p><a href='#x'>런타임</a>(containerd)</p>",
     f"<p><a href='#x'>런타임{WJ}</a>(containerd)</p>"),
    # a block boundary ends the word: nothing joins a paragraph to the next one
    ("<p>(a)</p><p>가</p>", "<p>(a)</p><p>가</p>"),
    ("<li>노드</li><li>(x)</li>", "<li>노드</li><li>(x)</li>"),
])
def test_joins_only_inside_a_word(given: str, expected: str) -> None:
    assert join(_body(given)) == _body(expected)


@pytest.mark.parametrize("verbatim", [
    "<pre><code>런타임(x)과</code></pre>",
    "<code>런타임(x)과</code>",
    "<kbd>키(a)</kbd>",
    "<script>var s = '런타임(x)';</script>",
    "<style>p::after{content:'가(나)'}</style>",
    '<svg><g><text>컨트롤 플레인(관리 영역)</text><svg><text>안(쪽)</text></svg></g>'
    "<text>바깥(쪽)</text></svg>",
])
def test_leaves_code_scripts_and_svg_exactly_as_they_are(verbatim: str) -> None:
    assert join(_body(verbatim)) == _body(verbatim)


def test_code_next_to_a_word_gets_the_joiner_outside_the_code() -> None:
    # the copied command stays clean; the joiner sits in the prose around it
    assert join(_body("<p>코드<code>(x)</code>와 <code>a(b)</code>가</p>")) == _body(
        f"<p>코드{WJ}<code>(x)</code>{WJ}와 <code>a(b)</code>{WJ}가</p>")


def test_never_touches_head_tags_attributes_or_comments() -> None:
    html = ('<html><head><title>런타임(x)과</title><meta content="런타임(x)과"></head>'
            '<body><a title="런타임(x)과" href="k.html#런타임(x)">a</a><!-- 런타임(x)과 -->'
            '<img alt="노드(1)과"></body></html>')
    assert join(html) == html


def test_is_idempotent_and_without_body_a_no_op() -> None:
    once = join(_body("<p>런타임(containerd)과 <em>CRI(x)</em>라는</p>"))
    assert join(once) == once
    assert join("<p>런타임(x)</p>") == "<p>런타임(x)</p>"


def _adapter(language: str = "ko", **options) -> SiteAdapter:
    adapter = SiteAdapter()
    config = SiteConfig()
    config.load_dict(options)
    assert config.validate() == ([], [])
    adapter.options = config
    adapter.on_config(SimpleNamespace(theme={"language": language}, config_file_path=None))
    return adapter


def test_adapter_joins_pages_and_can_be_switched_off() -> None:
    page = _body("<p>런타임(containerd)과</p>")
    kwargs = {"page": SimpleNamespace(), "config": SimpleNamespace()}
    assert WJ in _adapter().on_post_page(page, **kwargs)
    assert _adapter(korean_line_breaks=False).on_post_page(page, **kwargs) is None
    # unset, the feature follows the site's language: an English site gets no joiners
    assert _adapter(language="en").on_post_page(page, **kwargs) is None
    assert WJ in _adapter(language="en", korean_line_breaks=True).on_post_page(page, **kwargs)


def test_built_site_has_joiners_in_pages_but_not_in_the_search_index(built_site) -> None:
    html = (built_site.path / "kubelet.html").read_text(encoding="utf-8")
    assert f"런타임{WJ}(containerd){WJ}과" in html
    index = (built_site.path / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "런타임(containerd)과" in "".join(d["title"] for d in json.loads(index)["docs"])
    assert WJ not in index
