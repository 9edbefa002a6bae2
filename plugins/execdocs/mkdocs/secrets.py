"""MkDocs adapter for the secret guard: event handlers, no logic (see execdocs.secret_guard).

The guard runs whatever features are on or off: a secret in mkdocs.yml is a problem at its line
(``on_config``: the theme shows the config on every page, so this names where it comes from);
each page's content is guarded after the snippets are placed and before the search index reads
it (``on_page_content``); each page's and each theme page's final HTML is scrubbed last
(``on_post_page``, ``on_post_template``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from execdocs import config_secrets, secret_guard, secret_memo
from execdocs.mkdocs.config import site_language
from execdocs.mkdocs.log import plugin_logger
from execdocs.paths import shown
from execdocs.problems import Problem

log = plugin_logger("execdocs")

Sources = Callable[[str], list[tuple[str, str]]]
"""Given a page's label, (label, text) of the files its content shows besides its Markdown
(the capture files of its snippets): where a secret found on the page is named."""


class SecretsAdapter:
    """Event handlers for the secret guard."""

    def __init__(self) -> None:
        self.root = Path(".")
        self.language = "en"
        self.sources: Sources = lambda label: []
        # the last pass over each page's HTML; kept across serve rebuilds (a clean text stays
        # clean), with the content each page's guard returned, so it is not scanned twice
        self.scrubber = secret_guard.PageScrubber()
        # clean verdicts of earlier builds (execdocs.secret_memo): an unchanged page is not
        # scanned again; read at the start of each build, written at its end
        self.memo = secret_memo.CleanMemo()
        self.guarded: dict[str, secret_guard.Guarded] = {}
        self.framed: list[str] = []  # pages whose final HTML held a secret outside the content
        self.pages = 0  # final HTML pages scrubbed this build

    def label(self, page) -> str:
        """How messages name ``page``: its source file, from the config file's folder."""
        return shown(page.file.abs_src_path or page.file.src_uri, self.root)

    def on_config(self, config) -> None:
        self.root = Path(os.path.dirname(config.config_file_path or ".")).resolve()
        self.language = site_language(config)
        self.memo = secret_memo.CleanMemo(self.root / secret_memo.PATH)
        self.memo.load()
        self.scrubber.memo = self.memo
        for problem in _config_secrets(config.config_file_path):
            log.warning(problem.format())

    def on_files(self) -> None:
        self.guarded.clear()
        self.framed.clear()
        self.pages = self.scrubber.known = 0

    def on_page_content(self, html: str, *, page) -> str:
        # after every block is placed, before the search index reads the page (it indexes
        # page.content and the toc titles)
        label = self.label(page)
        guarded = secret_guard.guard(html, label, self._locate(label, page), self.language,
                                     self.memo)
        for problem in guarded.problems:
            log.warning(problem.format())
        secret_guard.scrub_toc(page, guarded.anchors)
        self.guarded[label] = guarded
        return guarded.html

    def _locate(self, label: str, page) -> secret_guard.Locate:
        # the sources (the page, its captures' file text) are only put together when a secret
        # was found: rebuilding 10 capture files' text for every clean page cost 1/4 of a build
        found: list[secret_guard.Locate] = []

        def locate(value: str, line: str, before: str) -> str:
            if not found:
                sources = [(label, page.file.content_string), *self.sources(label)]
                found.append(secret_guard.locate_in(sources))
            return found[0](value, line, before)
        return locate

    def on_post_page(self, output: str, *, page) -> str:
        label = self.label(page)
        self.pages += 1
        output, found = self.scrubber.scrub(output, self.guarded.pop(label, None))
        if found:
            self._framed(label, f"{found} secret(s) left in the page's final HTML (title, "
                         "navigation or theme) were replaced by '[secret withheld]'")
        return output

    def on_post_template(self, output: str, *, template_name: str) -> str:
        self.pages += 1
        output, found = self.scrubber.scrub(output)
        if found:
            self._framed(template_name, f"{found} secret(s) in the theme's page (navigation, "
                         "site name or footer) were replaced by '[secret withheld]'")
        return output

    def _framed(self, name: str, what: str) -> None:
        # a secret in the navigation or the theme is on every page: one warning for the first
        # page, one line naming the others at the end of the build (not one per page)
        self.framed.append(name)
        if len(self.framed) == 1:
            log.warning(f"{name}: {what}; look in mkdocs.yml (nav, site_name, extra), the "
                        "theme's overrides and other plugins' output (any other page is named "
                        "at the end of the build)")

    def on_build_error(self) -> None:
        self.memo.save()  # this build's own verdicts replace whatever was written meanwhile

    def on_post_build(self) -> None:
        self.memo.save()
        log.debug(f"secret guard: {self.scrubber.known} of {self.pages} pages known clean "
                  f"from an earlier build ({secret_memo.PATH}), the others scanned")
        if len(self.framed) > 1:
            more = self.framed[1:]
            log.warning(f"{len(more)} more page(s) had secrets in their final HTML replaced by "
                        f"'[secret withheld]': {', '.join(more[:10])}"
                        + (f" and {len(more) - 10} more" if len(more) > 10 else ""))


def _config_secrets(config_file: str | None) -> list[Problem]:
    """The secrets in the config file and the files it INHERITs, each at its line
    (``execdocs.config_secrets``); a file MkDocs could not read is its to report."""
    if not config_file:
        return []  # a config given on stdin: MkDocs has no file to name
    root = os.path.dirname(config_file)
    return config_secrets.chain_problems(Path(config_file), lambda path: shown(path, root))
