"""The page listing every capture session and its provenance, generated at build time.

A page in ``docs/`` holding the directive ``<!-- execdocs: sessions -->`` (alone on its line)
gets, in its place, one section per session under ``captures/``: its kind (captured /
reference / illustrative, in words), the system, the versions, the capture date (or that the
output is illustrative, or the reference's date and source), the note, and the pages that use
it (Markdown links, so MkDocs resolves and validates them). Each section starts with an element
``id="session-NAME"``: the provenance badge's details link there. Everything is generated from
``captures/*/session.yml`` and the pages; nothing is written by hand, so it cannot go stale.

Markdown, not HTML, so the page's own extensions render it, the search indexes it and the links
are checked. No MkDocs import: the adapter gives the pages' sources and shows the result.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable

from execdocs.snippets.parse import CONSOLE_LANGUAGES, SESSIONS_DIRECTIVE, parse_page
from execdocs.snippets.store import Store
from execdocs.snippets.words import words

_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_FRONT_TITLE = re.compile(r"^title:[ \t]*['\"]?(.+?)['\"]?[ \t]*$", re.M)
# Markdown's special characters in link text and list items
_ESCAPE = re.compile(r"([\\`*_\[\]<>|#])")

LABELS = {
    "ko": {"kind": "종류", "system": "시스템", "versions": "버전", "when": "캡처 날짜",
           "when-reference": "출처의 날짜", "when-none": "날짜 없음",
           "when-illustrative": "없음 (손으로 쓴 예시 출력, 실제 시스템에서 캡처하지 않음)",
           "source": "출처",
           "note": "메모", "pages": "쓰는 페이지", "no-pages": "이 세션을 쓰는 페이지 없음",
           "no-versions": "적힌 버전 없음", "none": "캡처 세션이 없습니다.",
           "count": "출력 {n}개"},
    "en": {"kind": "Kind", "system": "System", "versions": "Versions", "when": "Captured on",
           "when-reference": "Date of the source", "when-none": "no date",
           "when-illustrative": "none (written by hand, not captured from a live system)",
           "source": "Source", "note": "Note", "pages": "Used by",
           "no-pages": "no page uses this session", "no-versions": "no versions recorded",
           "none": "There are no capture sessions.", "count": "{n} outputs"},
}


def labels(language: str) -> dict[str, str]:
    """The sessions page's words for ``language`` (Korean or English, else English)."""
    base = (language or "en").replace("_", "-").split("-")[0].lower()
    return LABELS.get(base, LABELS["en"])


def has_directive(markdown: str) -> bool:
    """True when ``markdown`` holds the sessions directive on a line of its own."""
    return "execdocs" in markdown and SESSIONS_DIRECTIVE.search(markdown) is not None


def page_title(source: str, fallback: str) -> str:
    """A page's title as MkDocs would show it: front matter ``title:``, else its first ``#``."""
    if source.startswith("---"):
        end = source.find("\n---", 3)
        m = _FRONT_TITLE.search(source[:end if end > 0 else 0])
        if m:
            return m.group(1)
    m = _TITLE.search(source)
    return m.group(1) if m else fallback


def usage(pages: Iterable[tuple[str, str]], default_session: str | None,
          languages: Collection[str] = CONSOLE_LANGUAGES) -> dict[str, list[str]]:
    """Session name -> the pages (as given, in order) with a command checked against it.

    ``pages``: ``(docs path, source)``. A fence opted out (``skip``) or a page opted out uses
    no session; the session is the fence's directive's, else the page's, else the default.
    """
    out: dict[str, list[str]] = {}
    for path, source in pages:
        if "$" not in source:
            continue
        parsed = parse_page(path, source, default_session, languages=languages)
        for fence in parsed.owned():
            name = fence.session or parsed.session
            if name is not None and path not in out.setdefault(name, []):
                out[name].append(path)
    return out


def _text(value: str) -> str:
    return _ESCAPE.sub(r"\\\1", " ".join(str(value).split()))


def sessions_markdown(store: Store, used: dict[str, list[str]], titles: dict[str, str],
                      link: dict[str, str], language: str) -> str:
    """Markdown listing every session of ``store`` with its provenance and its pages.

    ``used``: session -> pages (see :func:`usage`); ``titles``: page -> title; ``link``:
    page -> the link target from the sessions page (a relative ``.md`` path).
    """
    w, kind_words = labels(language), words(language)
    if not store.sessions:
        return w["none"] + "\n"
    parts: list[str] = []
    for name in sorted(store.sessions):
        s = store.sessions[name]
        parts.append(f'<div class="execdocs-session" id="session-{name}"></div>\n')
        parts.append(f"## `{name}`\n")
        rows = [(w["kind"], f"**{_text(kind_words[s.provenance])}** · "
                 + w["count"].format(n=len(s.captures)))]
        rows.append((w["system"], _text(s.system)))
        versions = ", ".join(f"{k} {v}" for k, v in s.versions.items())
        rows.append((w["versions"], _text(versions) if versions else w["no-versions"]))
        if s.provenance == "captured":
            rows.append((w["when"], _text(s.when) if s.when else w["when-none"]))
        elif s.provenance == "reference":
            rows.append((w["when-reference"], _text(s.when) if s.when else w["when-none"]))
        else:  # illustrative: written by hand, so no capture date exists
            rows.append((w["when"], w["when-illustrative"]))
        if s.source:
            rows.append((w["source"], f"<{s.source}>"))
        if s.note:
            rows.append((w["note"], _text(s.note)))
        pages = used.get(name, [])
        rows.append((w["pages"], ", ".join(
            f"[{_text(titles.get(p, p))}]({link.get(p, p)})" for p in pages)
            if pages else w["no-pages"]))
        parts.append("\n".join(f"- **{label}**: {value}" for label, value in rows) + "\n")
    return "\n".join(parts)


def listing(store: Store, sources: dict[str, str], default_session: str | None,
            languages: Collection[str], language: str) -> tuple[str | None, str]:
    """``(the page holding the directive or None, its generated Markdown)``.

    ``sources``: docs path -> Markdown source of every page execdocs looks at.
    """
    page = next((uri for uri, src in sources.items() if has_directive(src)), None)
    if page is None:
        return None, ""
    here = posixpath.dirname(page) or "."
    used = usage(sources.items(), default_session, languages)
    titles = {uri: page_title(src, uri) for uri, src in sources.items()}
    links = {uri: posixpath.relpath(uri, here) for uri in sources}
    return page, sessions_markdown(store, used, titles, links, language)


def replace_directive(markdown: str, generated: str) -> str:
    """``markdown`` with each sessions directive line replaced by ``generated``."""
    return SESSIONS_DIRECTIVE.sub(lambda m: "\n" + generated + "\n", markdown)
