"""The Python-Markdown extension: three processors around one page conversion.

1. a preprocessor (``execdocs.snippets.place``, the very one the MkDocs plugin registers, at
   priority 29): checks the console fences of the text being rendered and puts each owned
   fence's output block in Python-Markdown's raw-HTML stash; finds the page's diagram
   references and starts their renders (cache or warm workers);
2. a treeprocessor after ``toc`` that only marks the tree as done: ``toc`` runs every
   postprocessor on each heading's inner HTML, and those runs must not count as the page;
3. a postprocessor, last, on the page's HTML: the render-time secret guard, then each
   ``<img src="diagram:x">`` becomes its inline SVG (a string substitution after Markdown, not
   raw HTML through it: bench/README.md); then every problem of the page is logged and, unless
   ``snippets: mode: warn``, one :class:`~execdocs.problems.ExecDocsError` names them all.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from execdocs import secret_guard, secrets
from execdocs.diagrams.render import DiagramRenderer
from execdocs.markdown.engine import (
    UNKNOWN_PAGE,
    Engine,
    PageInfo,
    engine_for,
    page_info,
    zensical_root,
)
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets import place, render, sessions_page
from execdocs.snippets.check import PageReport

log = logging.getLogger("execdocs")
SNIPPET_CLASS = 'class="execdocs-snippet'


@dataclasses.dataclass
class _Conversion:
    """One page conversion: what the preprocessor found, for the postprocessor."""

    engine: Engine | None = None
    page: PageInfo = PageInfo(None, None)
    label: str = UNKNOWN_PAGE
    source: str = ""
    report: PageReport | None = None
    renderer: DiagramRenderer | None = None
    problems: list[Problem] = dataclasses.field(default_factory=list)
    tree_done: bool = False
    finished: bool = False


class ExecDocsExtension(Extension):
    """``markdown_extensions: - execdocs.markdown``; options come from mkdocs.yml's plugin block."""

    def __init__(self, **kwargs: Any):
        self.config = {
            "config_file": ["", "mkdocs.yml whose `plugins: - execdocs:` options apply "
                                "(default: mkdocs.yml in Zensical's project root, else in the "
                                "current folder)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Registering only: nothing is read or started until a page is converted (MkDocs loads
        # every listed extension once just to validate mkdocs.yml).
        handler = _Handler(self)
        place.SnippetsExtension(handler.preprocess).extendMarkdown(md)
        md.treeprocessors.register(_TreeDone(md, handler), "execdocs_tree_done", -1000)
        md.postprocessors.register(_Finish(md, handler), "execdocs_finish", -1000)

    def config_path(self, md: Markdown) -> tuple[Path, bool]:
        """The mkdocs.yml to read, and whether Zensical is the engine."""
        root = zensical_root(md)
        named = str(self.getConfig("config_file") or "")
        base = root if root is not None else Path(os.getcwd())
        path = Path(named) if named else Path("mkdocs.yml")
        return (path if path.is_absolute() else base / path), root is not None


class _Handler:
    def __init__(self, extension: ExecDocsExtension):
        self.extension = extension
        self.run = _Conversion()

    def preprocess(self, lines: list[str], md: Markdown) -> list[str]:
        run = self.run = _Conversion()  # a Markdown object may convert more than once
        config_file, under_zensical = self.extension.config_path(md)
        engine = run.engine = engine_for(config_file, under_zensical=under_zensical,
                                         serving=_serving())
        run.page = page_info(md)
        run.label = engine.label(run.page)
        run.source = engine.source(run.page, lines)
        run.problems += engine.config_problems
        engine.config_problems = []
        if engine.snippets_on and not engine.excluded_page(run.page):
            job = engine.job(run.page, run.source)
            sessions_uri, listing = engine.sessions_listing(job.store)
            if sessions_uri is not None and run.page.path == sessions_uri:
                lines = sessions_page.replace_directive("\n".join(lines), listing).split("\n")
            run.problems += engine.store_problems  # a broken capture file: said once
            engine.store_problems = []
            lines = place.place_page(lines, md, job)
            run.report = job.report
            if job.report is not None:
                run.problems += job.report.problems
        run.renderer = engine.diagram_renderer(run.source)
        if run.renderer is not None:
            run.problems += run.renderer.add_page(run.label, run.source)
        return lines

    def finish(self, html: str, md: Markdown) -> str:
        run = self.run
        engine = run.engine
        if engine is None or not run.tree_done or run.finished:
            return html  # a heading's inner HTML (toc), or a conversion already finished
        run.finished = True
        # the render-time guard on every page, as under MkDocs (snippets off or not: whatever
        # is published is scanned)
        guarded = secret_guard.guard(html, run.label, self._locate(), engine.language)
        html = guarded.html
        run.problems += guarded.problems
        _scrub_toc(md, dict(guarded.anchors))
        if engine.snippets_on and not engine.excluded_page(run.page):
            stray = place.unaccounted_prompts(html, run.report)
            if stray is not None:
                run.problems.append(Problem(run.label, None, stray.message, hint=stray.hint))
            if SNIPPET_CLASS in html:
                # MkDocs gets the stylesheet as a generated file in extra_css; an extension
                # cannot add files to a Zensical site, so the page carries it.
                html = f"<style>{render.STYLESHEET}</style>\n{html}"
        if run.renderer is not None:
            html, drawn = run.renderer.embed(run.label, html, engine.page_url(run.page),
                                             engine.urls)
            run.problems += drawn
        self._fail(engine, run)
        return html

    def _locate(self) -> secret_guard.Locate:
        # The sources (the page, its captures' file text) are put together only when a secret
        # was found, as the MkDocs adapter does: rebuilding 10 capture files' text for every
        # clean page was ~1/4 of the Markdown time of bench_zensical's 300-page site.
        run = self.run
        found: list[secret_guard.Locate] = []

        def locate(value: str, line: str, before: str) -> str:
            if not found:
                sources = [(run.label, run.source)]
                for result in run.report.results if run.report else []:
                    if result.capture is not None:
                        sources.append(secret_guard.capture_source(result.capture))
                found.append(secret_guard.locate_in(sources))
            return found[0](value, line, before)
        return locate

    @staticmethod
    def _fail(engine: Engine, run: _Conversion) -> None:
        problems = run.problems
        if run.page.path is None:
            # Without the page's path the lines would count from an unknown offset: the
            # message names the snippet or diagram instead (every problem message does).
            problems = [dataclasses.replace(p, line=None) if p.path == UNKNOWN_PAGE else p
                        for p in problems]
        if not problems:
            return
        for problem in problems:
            if engine.mode == "warn":
                log.info("(warn mode) %s", problem.format())
            else:
                log.warning(problem.format())
        if engine.mode == "warn":
            return
        if _serving():
            # An exception ends `zensical serve`: while serving, the page shows its problems
            # (missing-output blocks, diagram notices) and the log names them; builds fail.
            log.warning("execdocs: %d problem(s) on %s (shown on the page; `zensical build` "
                        "fails on them)", len(problems), run.label)
            return
        count = len(problems)
        raise ExecDocsError(
            f"execdocs: {count} problem{'s' * (count != 1)} on {run.label}:\n"
            + "\n".join(p.format() for p in problems)
            + "\n(Zensical reports only the first failing page: `execdocs check` lists every "
              "snippet problem of the site)")


def _serving() -> bool:
    """The process is ``zensical serve`` (its command line says so; anything else builds)."""
    argv = sys.argv
    return len(argv) > 1 and Path(argv[0]).name == "zensical" and argv[1] == "serve"


class _TreeDone(Treeprocessor):
    def __init__(self, md: Markdown, handler: _Handler):
        super().__init__(md)
        self.handler = handler

    def run(self, root: Any) -> None:
        self.handler.run.tree_done = True


class _Finish(Postprocessor):
    def __init__(self, md: Markdown, handler: _Handler):
        super().__init__(md)
        self.handler = handler

    def run(self, text: str) -> str:
        return self.handler.finish(text, self.md)


def _scrub_toc(md: Markdown, renamed: dict[str, str]) -> None:
    """Secrets out of the table of contents Zensical takes from ``md.toc_tokens`` (MkDocs:
    ``secret_guard.scrub_toc`` on the page); ``renamed``: old -> new id of each heading the
    guard withheld (its entry links to the notice in its place)."""
    stack = list(getattr(md, "toc_tokens", None) or [])
    withheld = len(renamed)
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if item.get("id") in renamed:
            item["id"] = renamed[item["id"]]
        found = False
        for key in ("id", "name", "html", "data-toc-label"):
            value = item.get(key)
            if isinstance(value, str) and secrets.matches(value):
                item[key] = secret_guard.scrub_text(value)
                found = True
        if found and item.get("id") not in renamed.values():
            # the anchor was made from the title: its slug keeps the secret's characters
            withheld += 1
            item["id"] = secret_guard.withheld_anchor(withheld)
        stack.extend(item.get("children") or [])
