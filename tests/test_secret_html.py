"""The cheap text of a page (``secret_html.text``) is exactly the text the exact pass scans
(``secret_html.segments``): a page the cheap look finds clean is clean. Checked on generated
markup made of the pieces that make tokenising hard (split entities, comments in attributes,
stray '<', unbalanced quotes, attributes without a name), and on a real Material page."""

from __future__ import annotations

import re

from execdocs import secret_html
from execdocs.secret_html import segments, text
from hypothesis import given, settings
from hypothesis import strategies as st

PIECES = ["<", ">", "<!--", "-->", "<!doctype html>", "<!x", "&amp", "&am", "p;", "&#112;",
          "&lt;", '<a href="', '"', "'", "<span>", "</span>", "<SPAN class=n>", "</div >",
          '<div class="x" data-copy="&lt;t&gt;">', "<pre><code>", "</code></pre>", "text",
          "\n", " ", "=", "<br/>", "<input disabled>", "<a=1>", "<a title='x>y'>", "ghp_",
          "password: ", "<script>if (a<b) {}</script>", '<img alt="a" src=x.png>', "</",
          "<x:y z:w=\"1\">", "&quot;", "<p", "토큰"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_text_is_the_exact_passes_text(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert text(html) == segments(html)[0]


def test_text_of_a_material_page_is_the_exact_passes_text() -> None:
    nav = "".join(f'<li class="md-nav__item"><a href="p{i}.html" class="md-nav__link">'
                  f'\n  <span class="md-ellipsis">페이지 {i} &amp; 노드</span>\n</a></li>\n\n'
                  for i in range(50))
    page = ('<!doctype html><html lang="ko"><head><meta name="description" content="a &lt; b">'
            f'<title>t</title></head><body><nav>{nav}</nav><article>'
            '<div class="highlight"><pre><span></span><code><span class="gp">$ </span>kubectl'
            ' get pods<span class="w"> </span>-A\n</code></pre></div>'
            '<button class="md-clipboard" data-clipboard-text="kubectl get pods -A"></button>'
            "</article><!-- comment --></body></html>")
    assert text(page) == segments(page)[0]


# the tokeniser as it was written before its attribute loop was made possessive: the reference
PLAIN_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>"
                         r"|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
                         r"|[^<]+|<", re.S)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ['="', "='", '"x>y"', "<a b='", "<a b=\"c\" d='e>"]),
                max_size=40))
def test_possessive_tokeniser_matches_what_the_plain_one_does(pieces: list[str]) -> None:
    html = "".join(pieces)
    ours = [(m.span(), m.groups()) for m in secret_html._TOKEN.finditer(html)]
    assert ours == [(m.span(), m.groups()) for m in PLAIN_TOKEN.finditer(html)]
    assert secret_html._MARKUP.split(html) == re.compile(
        "(" + PLAIN_TOKEN.pattern.removesuffix(r"|[^<]+|<") + ")", re.S).split(html)
