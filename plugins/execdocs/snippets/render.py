"""HTML for a console fence: each command in its own block, its captured output under it.

The command block is a Material code block (``div.highlight > pre > code``) carrying
``data-copy``: Material's copy button copies that attribute, so the reader copies the command
alone, without ``$`` and without output. The output block is marked ``no-copy``, starts with a
provenance line (captured / reference with its source / illustrative, system, versions, date),
folds long outputs (the first lines stay visible), renders ANSI colours and escapes all text.
"""

from __future__ import annotations

import html
from urllib.parse import urlparse

from execdocs.snippets.ansi import ansi_to_html, strip_ansi
from execdocs.snippets.check import SnippetResult
from execdocs.snippets.numbering import (
    Numbering,
    capture_offsets,
    shown_lines,
    terminal_text,
    written_output_highlights,
)
from execdocs.snippets.parse import Command, Fence
from execdocs.snippets.store import Capture, Session
from execdocs.snippets.words import WORDS, words

CSS_PATH = "assets/execdocs/snippets.css"


def command_block(command: str, written: str = "", numbering: Numbering | None = None,
                  hl: list[int] | None = None, at: int | None = None) -> str:
    """A code block showing ``$ command`` (as ``written``, if given: the author's blanks kept)
    whose copy button copies ``command`` alone; ``numbering``: the site's highlighter renders
    it, numbered on (``hl``: its lines to highlight)."""
    copy = html.escape(command, quote=True).replace("\n", "&#10;")
    if numbering is not None:
        got = numbering.block_html(f"$ {written or command}".split("\n"), "console", hl,
                                   ("execdocs-command",), {"data-copy": copy}, at)
        if got is not None:
            return got
    shown = html.escape(written or command, quote=False)
    return (f'<div class="highlight execdocs-command" data-copy="{copy}"><pre><span></span>'
            f'<code><span class="gp">$ </span>{shown}</code></pre></div>')


def _source_link(url: str) -> str:
    host = urlparse(url).netloc or url
    return (f'<a href="{html.escape(url, quote=True)}" rel="noopener">'
            f"{html.escape(host)}</a>")


def provenance(session: Session, capture: Capture, w: dict[str, str] = WORDS["ko"],
               sessions_href: str | None = None) -> str:
    """The provenance of an output: a badge (captured / reference / illustrative) with the
    non-default facts beside it (a failing exit status, the capture date), and the details
    (note, source, system, versions) one click away, so a reader takes the kind in at a glance
    and the block is not buried under the same paragraph on every command."""
    kind = session.provenance
    brief = []
    when = (capture.captured or "")[:10] or (session.when if kind == "captured" else None)
    if when:
        brief.append(html.escape(w["captured-on"].format(when=when)))
    if capture.exit:
        brief.append(html.escape(w["exit"].format(code=capture.exit)))
    detail = []
    if w[f"note-{kind}"]:
        detail.append(html.escape(w[f"note-{kind}"]))
    source = capture.source or session.source
    if source:
        detail.append(html.escape(w["source"]) + _source_link(source))
    detail.append(html.escape(session.system))
    if session.versions:
        detail.append(html.escape(", ".join(f"{k} {v}" for k, v in session.versions.items())))
    if sessions_href is not None:  # the page listing every session, at this one
        href = html.escape(f"{sessions_href}#session-{session.name}", quote=True)
        detail.append(f'<a href="{href}">{html.escape(w["sessions"])}</a>')
    body = " · ".join(detail)
    if session.note:
        body += f'<br><span class="execdocs-note">{html.escape(session.note)}</span>'
    summary = (f'<strong class="execdocs-kind execdocs-badge">{html.escape(w[kind])}</strong>'
               + "".join(f" · {b}" for b in brief)
               + ' <span class="execdocs-more-hint">' + html.escape(w["details"]) + "</span>")
    return f"<summary>{summary}</summary><div class=\"execdocs-detail\">{body}</div>"


def _numbered_pre(lines: list[str], fold_after: int, label: str, w: dict[str, str],
                  numbering: Numbering, hl: list[int]) -> str:
    """:func:`_pre` by the site's highlighter: numbered on, ``hl`` offsets highlighted."""
    fold = fold_after if len(lines) > fold_after + 3 else len(lines)
    head = numbering.block_html(lines[:fold], "text", [k for k in hl if k < fold])
    if head is None:
        return (f'<div class="highlight"><pre><code class="execdocs-empty">{label}</code></pre>'
                "</div>")
    if fold == len(lines):
        return head
    rest = numbering.block_html(lines[fold:], "text", [k - fold for k in hl if k >= fold])
    more = html.escape(w["more"].format(n=len(lines) - fold))
    return (f'{head}<details class="execdocs-more"><summary>{more}</summary>{rest or ""}'
            "</details>")


def _pre(text: str, fold_after: int, label: str, w: dict[str, str] = WORDS["ko"],
         numbering: Numbering | None = None, hl: list[int] | None = None) -> str:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if numbering is not None and lines:
        return _numbered_pre([strip_ansi(ln) for ln in lines], fold_after, label, w,
                             numbering, hl or [])
    if not lines:
        return (f'<div class="highlight"><pre><code class="execdocs-empty">{label}</code></pre>'
                "</div>")
    if len(lines) <= fold_after + 3:  # folding away two or three lines helps nobody
        body = ansi_to_html("\n".join(lines))
        return f'<div class="highlight"><pre><code>{body}</code></pre></div>'
    head = ansi_to_html("\n".join(lines[:fold_after]))
    rest = ansi_to_html("\n".join(lines[fold_after:]))
    more = html.escape(w["more"].format(n=len(lines) - fold_after))
    return (f'<div class="highlight"><pre><code>{head}</code></pre></div>'
            f'<details class="execdocs-more"><summary>{more}'
            f'</summary><div class="highlight"><pre><code>{rest}</code></pre></div></details>')


def output_block(result: SnippetResult, fold_after: int, w: dict[str, str] = WORDS["ko"],
                 sessions_href: str | None = None, numbering: Numbering | None = None,
                 hl: list[int] | None = None) -> str:
    """The output block for a matched command (empty string without a capture)."""
    cap, session = result.capture, result.session
    if cap is None or session is None:
        return ('<div class="execdocs-output execdocs-missing no-copy">'
                f'<p class="execdocs-provenance">{html.escape(w["missing"])}</p>'
                "</div>")
    # the provenance line repeats on every output: kept out of the search index
    body = [f'<details class="execdocs-provenance" data-search-exclude>'
            f"{provenance(session, cap, w, sessions_href)}</details>"]
    stdout = terminal_text(cap.stdout_text)
    stderr = terminal_text(cap.stderr_text)
    if stdout or not stderr:
        body.append(_pre(stdout, fold_after, html.escape(w["empty"]), w, numbering, hl))
    if stderr:
        body.append('<p class="execdocs-stream">stderr</p>')
        body.append(f'<div class="execdocs-stderr">{_pre(stderr, fold_after, "", w, numbering)}'
                    "</div>")
    return (f'<div class="execdocs-output execdocs-{session.provenance} no-copy">'
            + "".join(body) + "</div>")


def written_block(lines: list[str], w: dict[str, str] = WORDS["ko"],
                  numbering: Numbering | None = None, hl: list[int] | None = None,
                  at: int | None = None) -> str:
    """Output the page wrote under a command, shown as written and labelled as not captured
    (``at``: the index of its first line in the fence, for its line numbers)."""
    block = numbering.block_html(list(lines), "text", hl, at=at) if numbering is not None \
        else None
    if block is None:
        body = html.escape("\n".join(lines), quote=False)
        block = f'<div class="highlight"><pre><code>{body}</code></pre></div>'
    return ('<div class="execdocs-output execdocs-written no-copy">'
            '<p class="execdocs-provenance" data-search-exclude>'
            f'<strong class="execdocs-kind">{html.escape(w["written"])}</strong> · '
            f'{html.escape(w["written-note"])}</p>{block}</div>')


def render_fence(fence: Fence, results: list[SnippetResult], fold_after: int = 20,
                 language: str = "ko", sessions_href: str | None = None,
                 numbering: Numbering | None = None) -> str:
    """HTML replacing one console fence: command blocks, each followed by its output.

    Nothing the page wrote is lost: lines before the first command are shown as written, and a
    command's written output is shown when there is no capture to show instead (when there is
    one, the check compares the two and the page shows the capture). ``numbering``: the site's
    highlighter numbers the fence's lines (``execdocs.snippets.numbering``).
    """
    w = words(language)
    wanted = numbering.hl if numbering is not None else set()
    # the fence's id, classes and attributes stand where superfences would put them: on the
    # block that holds the whole snippet
    ident = f' id="{html.escape(fence.ident, quote=True)}"' if fence.ident else ""
    classes = "".join(" " + html.escape(c, quote=True) for c in fence.classes)
    attrs = "".join(f' {html.escape(k, quote=True)}="{html.escape(v, quote=True)}"'
                    for k, v in fence.attrs)
    parts = [f'<div class="execdocs-snippet{classes}"{ident}{attrs}>']
    if fence.title:  # as pymdownx.highlight shows a fence's title
        parts.append(f'<div class="highlight"><span class="filename">{html.escape(fence.title)}'
                     "</span></div>")
    if fence.preamble and any(ln.strip() for ln in fence.preamble):
        block = numbering.block_html(list(fence.preamble), "console",
                                     sorted(k for k in wanted if k < len(fence.preamble)),
                                     at=0) if numbering is not None else None
        if block is None:
            text = html.escape("\n".join(fence.preamble), quote=False)
            block = f'<div class="highlight"><pre><code>{text}</code></pre></div>'
        parts.append(block)
    by_command = {id(r.command): r for r in results}
    for command in fence.commands:
        size = command.shown.count("\n") + 1
        own = [k - command.at for k in sorted(wanted) if command.at <= k < command.at + size]
        parts.append(command_block(command.text, command.shown, numbering, own, command.at))
        written = written_output_highlights(fence, command, wanted) if wanted else []
        if fence.skip:
            if command.output:
                parts.append(written_block(command.output, w, numbering, written,
                                           command.at + size))
            continue
        result = by_command.get(id(command))
        if result is not None and result.capture is not None:
            parts.append(output_block(result, fold_after, w, sessions_href, numbering,
                                      _on_capture(command, result, written)))
        elif command.output:
            parts.append(written_block(command.output, w, numbering, written,
                                       command.at + size))
        elif result is not None:
            parts.append(output_block(result, fold_after, w))
    if fence.skip:
        parts.append('<p class="execdocs-provenance execdocs-skipped">'
                     f"{html.escape(w['skipped'])}{html.escape(fence.skip)}</p>")
    parts.append("</div>")
    return numbering.pad("".join(parts)) if numbering is not None else "".join(parts)


def _on_capture(command: Command, result: SnippetResult, written: list[int]) -> list[int]:
    """The highlighted written output lines where the capture shows them."""
    if not written or result.capture is None:
        return []
    shown = shown_lines(strip_ansi(terminal_text(result.capture.stdout_text)))
    return capture_offsets(command.output, shown, written)[0]


STYLESHEET = """\
/* execdocs snippets: output blocks under console commands (light and dark palettes) */
/* Secondary text (provenance, stderr, fold): Material's --md-default-fg-color--light is 4.47:1
   on the code background, under WCAG AA's 4.5:1 (axe color-contrast); these are 6.4:1 (light)
   and 7.5:1 (dark) on it. */
:root, [data-md-color-scheme="default"] { --execdocs-muted: #595959; }
[data-md-color-scheme="slate"] { --execdocs-muted: #b8bcc8; }
.md-typeset .execdocs-snippet { margin: 1em 0; }
.md-typeset .execdocs-snippet .highlight { margin: 0; }
/* line numbers in table style (pymdownx.highlight linenums): Material spaces each table 1em */
.md-typeset .execdocs-snippet .highlighttable { margin: 0; }
.md-typeset .execdocs-command pre { margin: 0; }
.md-typeset .execdocs-output {
  margin: 0 0 .8em 0;
  border-left: .2rem solid var(--md-default-fg-color--lighter);
}
.md-typeset .execdocs-output pre { margin: 0; }
.md-typeset .execdocs-output pre > code { background-color: var(--md-default-bg-color); }
.md-typeset .execdocs-provenance, .md-typeset .execdocs-stream {
  margin: 0; padding: .3em .8em;
  font-size: .64rem; line-height: 1.4;
  color: var(--execdocs-muted);
  background-color: var(--md-code-bg-color);
  word-break: keep-all;
}
.md-typeset .execdocs-reference { border-left-color: #4a8fd8; }
.md-typeset .execdocs-illustrative { border-left-color: #d8a24a; }
.md-typeset .execdocs-captured { border-left-color: #3fa66b; }
.md-typeset .execdocs-missing { border-left-color: #d84a4a; }
.md-typeset .execdocs-written { border-left-color: #9e9e9e; }
.md-typeset .execdocs-kind { color: var(--md-default-fg-color); }
.md-typeset .execdocs-stderr pre > code { color: var(--execdocs-muted); }
/* links in the provenance (a reference's source): the line's colour, told apart by the
   underline, not by a blue that falls under 4.5:1 on the dark code background */
.md-typeset .execdocs-provenance a { color: inherit; text-decoration: underline; }
.md-typeset .execdocs-provenance a:hover, .md-typeset .execdocs-provenance a:focus {
  color: var(--md-accent-fg-color); }
.md-typeset .execdocs-more { margin: 0; border: none; box-shadow: none; padding: 0;
  background: transparent; font-size: inherit; }
.md-typeset .execdocs-more > summary {
  margin: 0; padding: .2em .8em; font-size: .64rem; cursor: pointer; border-radius: 0;
  color: var(--execdocs-muted); background-color: var(--md-code-bg-color);
  text-decoration: underline dotted;
}
.md-typeset .execdocs-more > summary::before, .md-typeset .execdocs-more > summary::after {
  display: none;
}
.md-typeset .execdocs-note { font-size: .6rem; }
/* the provenance badge: the kind in words (not colour alone), details on click */
.md-typeset details.execdocs-provenance { display: block; border: none; box-shadow: none;
  border-radius: 0; margin: 0; }
.md-typeset details.execdocs-provenance > summary { cursor: pointer; padding: 0;
  margin: 0; border-radius: 0; background: transparent; }
.md-typeset details.execdocs-provenance > summary::before,
.md-typeset details.execdocs-provenance > summary::after { display: none; }
.md-typeset .execdocs-badge { display: inline-block; padding: 0 .4em; border-radius: .2em;
  border: 1px solid currentColor; font-weight: 700; }
.md-typeset .execdocs-more-hint { text-decoration: underline dotted; }
.md-typeset .execdocs-more-hint::after { content: " ▾"; }
.md-typeset details[open] .execdocs-more-hint::after { content: " ▴"; }
.md-typeset .execdocs-detail { padding-top: .2em; }
/* links in the small details text: Material's link blue on the code background is below 4.5:1
   in the slate palette; the text colour, underlined, reads in both */
.md-typeset .execdocs-detail a { color: var(--md-default-fg-color); text-decoration: underline; }
.md-typeset .execdocs-empty { color: var(--execdocs-muted); }
.ansi-bold { font-weight: 700; }
.ansi-black { color: #555; } .ansi-red { color: #c62828; } .ansi-green { color: #2e7d32; }
.ansi-yellow { color: #a26a00; } .ansi-blue { color: #1565c0; }
.ansi-magenta { color: #8e24aa; } .ansi-cyan { color: #00838f; } .ansi-white { color: #888; }
[data-md-color-scheme="slate"] .ansi-black { color: #aaa; }
[data-md-color-scheme="slate"] .ansi-red { color: #ff7b72; }
[data-md-color-scheme="slate"] .ansi-green { color: #7ee787; }
[data-md-color-scheme="slate"] .ansi-yellow { color: #e3b341; }
[data-md-color-scheme="slate"] .ansi-blue { color: #79c0ff; }
[data-md-color-scheme="slate"] .ansi-magenta { color: #d2a8ff; }
[data-md-color-scheme="slate"] .ansi-cyan { color: #56d4dd; }
[data-md-color-scheme="slate"] .ansi-white { color: #ddd; }
"""
