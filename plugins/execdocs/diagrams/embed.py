"""Put rendered diagrams into a page's final HTML: the figure markup, node links, notices.

:func:`embed_page` is what :meth:`DiagramRenderer.embed` does; it is kept apart from the
renderer (finding, caching and rendering diagrams) so the page markup can change on its own.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from execdocs.diagrams import svg as svgmod
from execdocs.problems import Problem

# The words a diagram puts on the page, in the site's language (``theme.language``): Korean or
# English, any other language English (as ``execdocs.snippets.words``; the two cores do not
# import each other). Build messages stay English.
WORDS: dict[str, dict[str, str]] = {
    "ko": {
        "open": "전체 크기로 보기",
        "close": "닫기",
        "failed": '다이어그램 "{name}"을(를) 그리지 못했습니다',
        "see-log": "(빌드 경고 참조)",
    },
    "en": {
        "open": "View full size",
        "close": "Close",
        "failed": 'Diagram "{name}" could not be drawn',
        "see-log": "(see the build warnings)",
    },
}


def words(language: str) -> dict[str, str]:
    """The words for ``language`` (``ko``, ``ko-KR``, ``en_US``...), English when unknown."""
    base = (language or "en").replace("_", "-").split("-")[0].lower()
    return WORDS.get(base, WORDS["en"])

if TYPE_CHECKING:
    from execdocs.diagrams.render import DiagramRenderer


class Joiner(Protocol):
    """The site's word joiner (``execdocs.site.word_joiner``), which the page went through
    before its diagrams are put in: reading their SVG would be wasted, it leaves ``<svg>`` alone."""

    def join(self, html: str) -> str:
        """A whole page with its joiners."""

    def join_fragment(self, html: str) -> str:
        """Markup put into a joined page's body, with the joiners it gets there."""


def _same(html: str) -> str:
    return html


def embed_page(
    r: DiagramRenderer, page_path: str, page_html: str, page_url: str, urls: dict[str, str],
    language: str = "ko", joiner: Joiner | None = None,
) -> tuple[str, list[Problem]]:
    """Replace each diagram placeholder in ``page_html``; see :meth:`DiagramRenderer.embed`.

    ``language`` (the site's ``theme.language``) chooses the words of captions and notices.
    ``joiner``: the page has been through it; the captions and notices put in get its joiners
    too, so the page ends as if it had been joined with its diagrams in."""
    w = words(language)
    join = joiner.join_fragment if joiner is not None else _same
    matches = svgmod.find_placeholders(page_html)
    if not matches:
        return page_html, []
    lines_of: dict[str, list[int]] = {}
    for ref in r.state.pages.get(page_path, []):
        lines_of.setdefault(ref.name, []).append(ref.line)
    seen: Counter[str] = Counter()
    problems: list[Problem] = []
    icons: dict[str, dict[str, Any]] = {}
    pieces: list[str] = []
    last = 0
    for match in matches:
        name = html.unescape(match.group(2))
        occurrence = seen[name]
        seen[name] += 1
        candidates = lines_of.get(name, [])
        line = candidates[min(occurrence, len(candidates) - 1)] if candidates else None
        replacement = _one(r, page_path, line, name, match, occurrence, page_url, urls,
                           icons, problems, w, join)
        pieces += [page_html[last : match.start()], replacement]
        last = match.end()
    pieces.append(page_html[last:])
    if icons or any('class="execdocs-diagram"' in p for p in pieces[1::2]):
        # The CSS and every icon once per page, just before the first diagram.
        pieces[1] = svgmod.sprite(icons) + pieces[1]
    result = "".join(pieces)
    if joiner is not None and any(p.startswith(_INLINE_NOTICE) for p in pieces[1::2]):
        # An inline notice ends with its own words, which may join the page's next word
        # (``...)</span>를``): the whole page once more (joining twice changes nothing).
        result = joiner.join(result)
    return result, problems


def _one(r: DiagramRenderer, page_path: str, line: int | None, name: str, match: re.Match[str],
         occurrence: int, page_url: str, urls: dict[str, str], icons: dict[str, dict[str, Any]],
         problems: list[Problem], w: dict[str, str], join: Callable[[str], str] = _same) -> str:
    block = bool(match.group(1) and match.group(3))
    alt = svgmod.alt_of(match)
    ref_at = f"{page_path}:{line}" if line else page_path
    if not (r.settings.src_dir / f"{name}.py").is_file() or name not in r.state.pending:
        # Already reported by add_page (unknown name).
        return join(notice(name, block, w))
    result = r.outcome(name)
    r.cache_warning(problems)
    if result.error is not None:
        err = result.error
        r.report(problems, Problem(
            r.script_display(err.get("file") or f"{name}.py"), err.get("line") or 1,
            f"diagram '{name}' failed: {err['message']}",
            detail="\n".join(x for x in (err.get("detail", ""), f"referenced at {ref_at}") if x),
            hint=err.get("hint", ""),
        ))
        return join(notice(name, block, w))
    payload = result.payload
    assert payload is not None
    for warning in payload.get("warnings", []):
        r.report(problems, Problem(
            r.script_display(warning["file"]), warning["line"],
            f"diagram '{name}': Graphviz: {warning['text']}", detail=f"referenced at {ref_at}",
        ))
    link_urls = [_link(r, link, name, page_url, urls, ref_at, problems)
                 for link in payload["links"]]
    icons.update(payload["icons"])
    prefix = svgmod.id_prefix(name, occurrence)
    svg_html = svgmod.svg_element(payload, prefix=prefix, title=alt, urls=link_urls)
    return figure(prefix, svg_html, alt, block, w, join)


def figure(prefix: str, svg_html: str, alt: str, block: bool,
           w: dict[str, str] = WORDS["ko"], join: Callable[[str], str] = _same) -> str:
    """The markup around one diagram's SVG: a figure with a caption, or inline.

    The figure is named by the alt text alone (``aria-labelledby``), not by the whole caption
    with its two link words; the links are underlined by the stylesheet (``svg.CSS``): colour
    alone does not tell a link from the caption's text. ``join``: the word joiner for the
    caption (the SVG is left alone).
    """
    if block:
        caption = join(
            f'<figcaption><span id="{prefix}caption">{alt}</span> · '
            f'<a class="execdocs-open" href="#{prefix}figure">{html.escape(w["open"])}</a>'
            f'<a class="execdocs-close" href="#{prefix}at">{html.escape(w["close"])}</a>'
            "</figcaption>"
        )
        return (
            f'<span id="{prefix}at"></span>'
            f'<figure class="execdocs-diagram" id="{prefix}figure" '
            f'aria-labelledby="{prefix}caption">{svg_html}{caption}</figure>'
        )
    return f'<span class="execdocs-diagram">{svg_html}</span>'


_INLINE_NOTICE = '<span class="execdocs-diagram-error">'


def notice(name: str, block: bool, w: dict[str, str] = WORDS["ko"]) -> str:
    """What the page shows in place of a diagram that could not be drawn."""
    failed = html.escape(w["failed"].format(name=name), quote=False)
    text = f"<strong>{failed}</strong> {html.escape(w['see-log'])}"
    if block:
        return f'<p class="execdocs-diagram-error">{text}</p>'
    return f"{_INLINE_NOTICE}{text}</span>"


def _link(r: DiagramRenderer, link: dict[str, Any], name: str, page_url: str,
          urls: dict[str, str], ref_at: str, problems: list[Problem]) -> str:
    url = link["url"]
    where = r.script_display(link.get("file") or f"{name}.py")
    line = link.get("line") or 1
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return str(url)
    target = posixpath.normpath(parts.path) if parts.path else ""
    if target not in urls:
        r.report(problems, Problem(
            where, line, f"diagram '{name}': node link '{url}' points to a page that "
            "does not exist", detail=f"referenced at {ref_at}",
            hint="node URLs are paths relative to docs/, e.g. URL=\"kubelet.md#kubelet\"",
        ))
        return "#"
    if parts.fragment:
        r.state.anchor_checks.append((target, parts.fragment, Problem(
            where, line, f"diagram '{name}': node link '{url}': there is no anchor "
            f"'#{parts.fragment}' in {target}", detail=f"referenced at {ref_at}",
        )))
    resolved = relative(urls[target], page_url)
    return resolved + (f"#{parts.fragment}" if parts.fragment else "")


def relative(target: str, page_url: str) -> str:
    """``target`` (site-relative URL) as seen from the page at ``page_url``."""
    base = posixpath.dirname(page_url) or "."
    rel = posixpath.relpath(target, base)
    return rel if target and not target.endswith("/") else rel + "/"
