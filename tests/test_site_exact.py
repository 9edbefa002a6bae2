"""The fast Korean search index and word joiners give exactly what their definitions give.

``korean_search.augment_index`` and ``word_joiner.join`` were rewritten for speed (bench/README.md,
"Korean site features"); what they publish must not change by a byte. The definitions:
``korean_search``'s ``site_phrases`` / ``hidden_terms`` (whose ``split`` the browser test pins
to Chromium), applied field by field as ``augment_index`` did before; and the word joiner as it
was before (main 450039a), kept below: one rule scanned left to right over each stretch of the
body outside block verbatim elements and comments. Inputs: Korean pages nobody here wrote
(tests/samples/korean, from kubernetes/website, rendered by Python-Markdown), this site's built
pages and index, and generated text and HTML made of the pieces that could tell them apart.
"""

from __future__ import annotations

import bisect
import copy
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import markdown
import pytest
from execdocs.site import korean_search as ks
from execdocs.site import word_joiner as wj

SAMPLES = Path(__file__).parent / "samples" / "korean"
PAGES = sorted(p for p in SAMPLES.glob("*.md") if p.name != "SOURCES.md")


# -- the definitions -------------------------------------------------------------------------

def reference_augment(index: dict[str, Any]) -> None:
    """``augment_index`` before the speed-up: the definition applied to every field."""
    pairs = ks.site_phrases(index)
    index["config"]["separator"] = ks.separator_for(pairs)
    fields = index["config"].setdefault("fields", {})
    for name, boost in ks.FIELDS.items():
        fields[name] = {"boost": boost}
    for doc in index["docs"]:
        for name, key in zip(ks.FIELDS, ("title", "text"), strict=True):
            terms = ks.hidden_terms(ks.plain_text(str(doc.get(key, ""))), pairs)
            if terms:
                doc[name] = " ".join(terms)
            else:
                doc.pop(name, None)


_H = "\uac00-\ud7a3"
_OPEN = re.escape("([{「『“‘")
_CLOSE = re.escape(")]}」』”’.…")
_INLINE = (r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small"
           r"|span|strong|sub|sup|time|u|var)\b[^>]*>")
_PLACE = re.compile(
    rf"(?P<after>[{_H}])(?=(?:{_INLINE})*[{_OPEN}])|[{_CLOSE}](?:{_INLINE})*(?=[{_H}])")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_VERBATIM = re.compile(r"<(/?)(pre|code|kbd|samp|script|style|textarea|svg)\b[^>]*?(/?)>", re.I)
_BLOCK = {"pre", "script", "style", "textarea", "svg"}


def reference_join(html: str) -> str:
    """``word_joiner.join`` before the speed-up (main 450039a), unchanged in substance."""
    body = html.find("<body")
    if body == -1:
        return html
    block: list[tuple[int, int]] = []
    inline: list[tuple[int, int]] = []
    names: list[str] = []
    opened = 0
    for m in _VERBATIM.finditer(html, body):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if self_closing:
            continue
        if not closing:
            if not names:
                opened = m.start()
            names.append(name)
        elif name in names:
            outermost = names[0]
            del names[len(names) - 1 - names[::-1].index(name):]
            if not names:
                (block if outermost in _BLOCK else inline).append((opened, m.end()))
    if names:
        block.append((opened, len(html)))
    skipped = sorted(block + [m.span() for m in _COMMENT.finditer(html, body)])
    gaps, start = [], body
    for begin, end in skipped:
        if begin > start:
            gaps.append((start, begin))
        start = max(start, end)
    gaps.append((start, len(html)))
    inline_starts = [span[0] for span in inline]
    out, last = [], 0
    for gap_start, gap_end in gaps:
        for m in _PLACE.finditer(html, gap_start, gap_end):
            pos = m.end("after") if m.group("after") else m.end()
            i = bisect.bisect_left(inline_starts, pos) - 1
            if (i >= 0 and pos < inline[i][1]) or html.rfind("<", 0, pos) > html.rfind(">", 0, pos):
                continue
            out += [html[last:pos], wj.WORD_JOINER]
            last = pos
    out.append(html[last:])
    return "".join(out)


def assert_same_index(index: dict[str, Any]) -> None:
    fast, reference = copy.deepcopy(index), copy.deepcopy(index)
    ks.augment_index(fast)
    reference_augment(reference)
    dump = lambda i: json.dumps(i, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    assert dump(fast) == dump(reference)


# -- real pages --------------------------------------------------------------------------------

def _rendered(page: Path) -> str:
    """A page of the Kubernetes Korean docs as HTML, with the site's Markdown extensions."""
    text = page.read_text(encoding="utf-8").split("---\n", 2)[-1]
    return markdown.markdown(text, extensions=["admonition", "attr_list", "md_in_html",
                                               "pymdownx.superfences", "pymdownx.highlight"])


def _page(body: str, title: str = "런타임(x)") -> str:
    return (f"<html><head><title>{title}</title><style>p::after{{content:'가(나)'}}</style>"
            f"</head><body><nav><a href='page.html'>페이지 (1)</a></nav>{body}"
            "<script>var s = '런타임(x)과';</script></body></html>")


def test_real_korean_pages_index_and_joiners_are_exact() -> None:
    assert len(PAGES) == 4
    bodies = [_rendered(page) for page in PAGES]
    docs = [{"location": f"{page.stem}.html", "title": page.stem, "text": body}
            for page, body in zip(PAGES, bodies, strict=True)]
    # sections as Material cuts them: one entry per heading, title = the heading
    for body in bodies:
        for title, text in re.findall(r"<h2[^>]*>(.*?)</h2>(.*?)(?=<h2|\Z)", body, re.S):
            docs.append({"location": "x.html#s", "title": title, "text": text})
    index = {"config": {"separator": "[\\s\\-]+", "fields": {}}, "docs": docs}
    assert_same_index(index)
    reference_augment(index)
    assert len(ks.site_phrases(index)) > 100 and sum(len(d.get("ko_text", "")) for d in docs) > 1000
    joined = 0
    for body in bodies:
        page = _page(body)
        assert wj.join(page) == reference_join(page)
        joined += reference_join(page).count(wj.WORD_JOINER)
    assert joined > 50  # 운영체제(OS)를, 키잡이(helmsman)이나, ...


def test_built_site_pages_and_index_are_exact(built_site) -> None:
    index = json.loads((built_site.path / "search" / "search_index.json").read_text("utf-8"))
    assert_same_index(index)
    pages = sorted(built_site.path.glob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8").replace(wj.WORD_JOINER, "")
        assert wj.join(html) == reference_join(html), page.name


# -- generated input ---------------------------------------------------------------------------

_TEXT = ["컨트롤", "플레인", "컨트롤플레인", "고가용성", "노드", "을", "를", "이", "가",
         "하는", "된다", "에서는", " ", "  ", "\n", "\t", "\u3000", "\xa0", "\x1c", "\u2028",
         "(", ")", "“", "’", ".", "/", "-", "·", "kubelet", "Pod", "K", "k", "1", "\u212a",
         "\u0130", "\u0131", "\u017f", "<code>", "</code>", "<p>", "</p>", "<b>", "&amp;",
         "&lt;"]
_HTML = ["가", "런타임", "과", "를", "x", "CRI", " ", "\n", "(", ")", "[", "]", "{", "}", "「",
         "」", "『", "』", "“", "”", "‘", "’", ".", "…", "<", ">", "/", "<strong>", "</strong>",
         "<em>", "</em>", "<code>", "</code>", "<kbd>", "</kbd>", "<samp>", "</samp>", "<b>",
         "<s>", "<i>", "<span title=\"<b x=\">", "<a href='k.html#x(가'>", "</a>", "<p>", "</p>",
         "<br>", "<pre>", "</pre>", "<PRE>", "</Pre>", "<svg>", "</svg>", "<script>",
         "</script>", "<style>", "<textarea>", "</textarea>", "<code/>", "<pre />", "<!--",
         "-->", "<!-->", "!", "<\u017fcript>", "</\u017fcript>", "<\u212abd>", "<codex>",
         "&amp;", "<body>"]


def _generated(pieces: list[str], count: int, longest: int) -> list[str]:
    """``count`` strings of up to ``longest`` pieces (seeded: the same strings every run)."""
    rng = random.Random(14)
    return ["".join(rng.choices(pieces, k=rng.randint(0, longest))) for _ in range(count)]


def test_generated_index_is_exact() -> None:
    fields = _generated(_TEXT, 1200, 20)
    for i in range(0, len(fields), 6):  # documents of one to three fields each
        docs = [{"location": "a.html", "title": title, "text": text}
                for title, text in zip(fields[i:i + 6:2], fields[i + 1:i + 6:2], strict=True)]
        assert_same_index({"config": {"separator": "", "fields": {}}, "docs": docs[: 1 + i % 3]})


def test_generated_pages_are_exact() -> None:
    heads = ["<html><body>", "<html><head><title>(가</title></head><body ", "<p>가(나)</p>"]
    for i, body in enumerate(_generated(_HTML, 2000, 40)):
        html = heads[i % 3] + body + "</body></html>"
        assert wj.join(html) == reference_join(html), html


def test_phrases_across_every_kind_of_white_space() -> None:
    """The fast index cuts with str.split: every character ``\\s`` matches, and only those."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    spaces = "".join(re.findall(r"\s", every))
    assert spaces == "".join(filter(str.isspace, every))
    for space in spaces:  # and each of them separates a phrase as the definition says
        index = {"config": {"fields": {}}, "docs": [
            {"title": f"컨트롤{space}플레인", "text": f"노드{space}(컨테이너){space}런타임을"}]}
        assert_same_index(index)


@pytest.mark.parametrize("title", ["컨트롤플레인", "컨트롤플레인을", "선언형운영하는", "고가용성"])
def test_a_title_of_one_word_is_cut_by_the_phrases(title: str) -> None:
    index = {"config": {"fields": {}}, "docs": [
        {"title": title, "text": ""},
        {"title": "x", "text": "컨트롤 플레인 선언형 운영 고가 용성"}]}
    assert_same_index(index)
