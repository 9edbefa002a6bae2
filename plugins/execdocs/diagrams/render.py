"""Diagrams for one site: find references, render (cache or workers), embed into pages.

The MkDocs adapter calls, per build: :meth:`DiagramRenderer.begin_build`,
:meth:`~DiagramRenderer.add_page` for every page source, :meth:`~DiagramRenderer.embed` for
every page's final HTML, :meth:`~DiagramRenderer.finish` after the last page. Every content
problem comes back as a :class:`~execdocs.problems.Problem`; nothing here logs or imports MkDocs.
The renderer object lives across ``mkdocs serve`` rebuilds (workers and memoised cache entries).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from execdocs import secret_html, secrets
from execdocs.diagrams import reply as replymod
from execdocs.diagrams import sanitize
from execdocs.diagrams.cache import DiagramCache
from execdocs.diagrams.embed import Joiner, embed_page
from execdocs.diagrams.env import ICON_PX, RenderEnv, check_env
from execdocs.diagrams.refs import SCHEME, DiagramRef, find_all
from execdocs.diagrams.settings import Settings
from execdocs.problems import Problem

if TYPE_CHECKING:
    from concurrent.futures import Future

    from execdocs.diagrams.pool import WorkerPool


@dataclass
class Outcome:
    """A diagram's render result: ``payload`` on success, else ``error`` (a worker answer)."""

    name: str
    payload: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    from_cache: bool = False


@dataclass
class _BuildState:
    pages: dict[str, list[DiagramRef]] = field(default_factory=dict)
    pending: dict[str, Future[dict[str, Any]] | Outcome] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # name -> sha256 of the bytes sent
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    anchor_checks: list[tuple[str, str, Problem]] = field(default_factory=list)
    reported: set[tuple[str, int, str]] = field(default_factory=set)
    lookups: int = 0  # cache lookups this build (one per distinct referenced diagram)
    submitted: int = 0  # jobs handed to the workers this build
    render_s: float = 0.0  # the workers' own time for this build's renders
    foreign: list[str] = field(default_factory=list)  # cache files others changed, removed


class DiagramRenderer:
    """Render and embed the diagrams of one site; reusable across builds."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.env: RenderEnv = check_env(settings.font)  # raises ExecDocsError when broken
        self.cache = DiagramCache(settings.cache_dir, settings.src_dir, self.env.fingerprint())
        self._pool: WorkerPool | None = None
        self.state = _BuildState()
        self._opened = True  # the cache has just noted its files (DiagramCache.begin)

    @property
    def pool(self) -> WorkerPool:
        """The workers, made when first needed: a build that renders nothing (everything
        cached) does not even import them."""
        if self._pool is None:
            from execdocs.diagrams.pool import WorkerPool

            self._pool = WorkerPool(self.settings.workers)
        return self._pool

    # ------------------------------------------------------------------ helpers
    def _display(self, path: Path) -> str:
        try:
            return path.relative_to(self.settings.project_dir).as_posix()
        except ValueError:
            return path.as_posix()

    def script_display(self, rel: str) -> str:
        """``diagram_src/x.py`` for a file relative to the source folder."""
        return self._display(self.settings.src_dir / rel)

    def available(self) -> list[str]:
        """Names of the scripts in the source folder."""
        if not self.settings.src_dir.is_dir():
            return []
        return sorted(p.stem for p in self.settings.src_dir.glob("*.py"))

    # ------------------------------------------------------------------ build steps
    def begin_build(self) -> None:
        """Forget the previous build's pages and outcomes (cache and workers stay)."""
        self.state = _BuildState()
        self.cache.corrupt.clear()
        if self._opened:
            # The renderer was made for this build a moment ago and has used no cache file
            # since: the listing the cache took when it opened is this build's beginning.
            self._opened = False
        else:
            self.cache.begin()

    def add_page(self, page_path: str, source: str) -> list[Problem]:
        """Find the references in one page source and start rendering what they name.

        ``page_path`` is the page as shown in messages (``docs/kubelet.md``).
        """
        refs, doubts = self._find_refs(source)
        self.state.pages[page_path] = refs
        # diagram mentions the shared scanner cannot take for images (raw HTML, reference
        # definitions): a problem at their line, never a silent notice in the page
        problems = [Problem(page_path, line, why) for line, why in doubts]
        for ref in refs:
            script = self.settings.src_dir / f"{ref.name}.py"
            if not ref.valid_name or not script.is_file():
                known = ", ".join(self.available()) or "(none)"
                problems.append(Problem(
                    page_path, ref.line, f"unknown diagram '{ref.name}'",
                    detail=f"no file {self._display(script)}",
                    hint=f"diagrams in {self._display(self.settings.src_dir)}: {known}",
                ))
                continue
            self.request(ref.name)
        return problems

    def _find_refs(self, source: str) -> tuple[list[DiagramRef], list[tuple[int, str]]]:
        """References and doubts in a page source, remembered by content hash across builds.

        Why: scanning every page costs more than the rest of a warm build.
        """
        if SCHEME not in source:
            return [], []
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        known = self.cache.page_refs(digest)
        if isinstance(known, dict):
            try:
                return ([DiagramRef(str(n), str(a), int(ln)) for n, a, ln in known["refs"]],
                        [(int(ln), str(why)) for ln, why in known["doubts"]])
            except (KeyError, TypeError, ValueError):
                pass  # a damaged or older index entry: scan again
        refs, doubts = find_all(source)
        self.cache.store_page_refs(digest, {"refs": [[r.name, r.alt, r.line] for r in refs],
                                            "doubts": [[ln, why] for ln, why in doubts]})
        return refs, doubts

    def request(self, name: str) -> None:
        """Start rendering ``name`` unless this build already did (cache hit: no user code).

        The build process reads the script and sends those bytes: the key it caches under is
        the digest of exactly what ran, computed here, never taken from the job.
        """
        if name in self.state.pending:
            return
        self._opened = False
        self.state.lookups += 1
        payload = self.cache.lookup(name, self._validate)
        if payload is not None:
            self.state.pending[name] = Outcome(name, payload=payload, from_cache=True)
            return
        try:
            raw = (self.settings.src_dir / f"{name}.py").read_bytes()
        except OSError as exc:
            self.state.pending[name] = Outcome(name, error={
                "message": f"Couldn't read the script: {exc.strerror}", "file": f"{name}.py",
                "line": 1, "detail": "", "hint": ""})
            return
        self.state.digests[name] = hashlib.sha256(raw).hexdigest()
        self.state.submitted += 1
        self.state.pending[name] = self.pool.submit({
            "name": name,
            "src_dir": str(self.settings.src_dir),
            "source_b64": base64.b64encode(raw).decode("ascii"),
            "font": self.settings.font,
            "dot": self.env.dot,
            "timeout": self.settings.timeout,
            "memory_mb": self.settings.memory_mb,
            "icon_px": ICON_PX,
        })

    def _validate(self, payload: Any, *, cached: bool) -> str:
        """Why a payload (reply or cache entry) can't be used, or "" (shape, then allowlist)."""
        problem = replymod.payload_problem(payload, font=self.settings.font, cached=cached)
        if problem:
            return f"unexpected shape: {problem}"
        try:
            sanitize.check(payload)
        except sanitize.UnsafeSVG as exc:
            return f"the SVG is not allowed: {exc}"
        return ""

    def _accept(self, name: str, answer: Any) -> Outcome:
        """Turn a job's untrusted answer into an outcome; a good render is cached."""
        if not isinstance(answer, dict) or not isinstance(answer.get("ok"), bool):
            return Outcome(name, error=replymod.error_of({}, name))
        if not answer.pop("ok"):
            return Outcome(name, error=replymod.error_of(answer, name))
        problem = self._validate(answer, cached=False)
        if not problem and answer["script"] != f"{name}.py":
            problem = f"it names another script ({answer['script']!r})"
        if not problem and (secret := _secret_in(answer)):
            kind, line = secret
            return Outcome(name, error=replymod.error_of({
                "message": f"a {kind} is in the diagram's text (a label, tooltip or link)",
                "line": line, "hint": "the diagram is not published or cached: take the "
                "credential out of the script, and rotate it if it was real"}, name))
        if problem:
            return Outcome(name, error=replymod.error_of({
                "message": f"the render job's reply was refused: {problem}",
                "line": answer.get("line"), "hint": "the diagram is not published or cached; "
                "links must be http(s), relative or #anchor, and the SVG only what Graphviz "
                "draws"}, name))
        deps = answer.pop("deps")
        payload = {**answer, "inputs": {f"{name}.py": self.state.digests[name], **deps}}
        # Cache only when the helpers on disk are still the bytes the job reported (an edit
        # during the render, or a reply that lies about them, is simply not cached).
        if all(self.cache.file_digest(dep) == digest for dep, digest in deps.items()):
            self.cache.store(payload)
        return Outcome(name, payload=payload)

    def outcome(self, name: str) -> Outcome:
        """Wait for ``name``'s render; successful renders are stored in the cache."""
        if name in self.state.outcomes:
            return self.state.outcomes[name]
        pending = self.state.pending.get(name)
        if pending is None:
            self.request(name)
            pending = self.state.pending[name]
        if isinstance(pending, Outcome):
            result = pending
        else:
            if not pending.running() and not pending.done():
                self.pool.grow()  # this page waits for a job no worker has taken yet
            answer = pending.result()
            seconds = answer.pop("seconds", 0.0) if isinstance(answer, dict) else 0.0
            self.state.render_s += float(seconds) if isinstance(seconds, (int, float)) else 0.0
            result = self._accept(name, answer)
        self.state.outcomes[name] = result
        return result

    def embed(
        self, page_path: str, page_html: str, page_url: str, urls: dict[str, str],
        language: str = "ko", joiner: Joiner | None = None,
    ) -> tuple[str, list[Problem]]:
        """Replace each diagram placeholder in a page's final HTML with its inline SVG.

        ``urls`` maps docs-relative source paths (``kubelet.md``) to site URLs
        (``kubelet.html``); node links are resolved against it, relative to ``page_url``.
        A diagram that failed leaves a short notice, never a partial picture. ``language`` (the
        site's ``theme.language``) chooses the words of captions and notices; ``joiner``, the
        word joiner the page has been through (see :func:`embed.embed_page`).
        """
        return embed_page(self, page_path, page_html, page_url, urls, language, joiner)

    def cache_warning(self, problems: list[Problem]) -> None:
        """An unwritable cache: said once per build (rendering goes on without caching)."""
        if self.cache.write_error:
            self.report(problems, Problem(
                self._display(self.settings.cache_dir), None,
                f"{self.cache.write_error}; diagrams are rendered without caching",
                hint="make the folder writable, or point execdocs: diagrams: cache_dir "
                     "somewhere writable",
            ))

    def report(self, problems: list[Problem], problem: Problem) -> None:
        """Report each problem once per build, even when a diagram is on several pages."""
        key = (problem.path, problem.line or 0, problem.message + problem.detail)
        if key not in self.state.reported:
            self.state.reported.add(key)
            problems.append(problem)

    def finish(self, anchors: dict[str, set[str]]) -> list[Problem]:
        """After the last page: check link anchors (``anchors``: docs path -> ids on page)."""
        problems: list[Problem] = []
        self._opened = False
        self.cache.flush_page_refs()
        self.state.foreign = self.cache.end()
        self.cache_warning(problems)
        for target, fragment, problem in self.state.anchor_checks:
            if fragment not in anchors.get(target, set()):
                self.report(problems, problem)
        return problems

    def summary(self) -> str:
        """One line for the build log."""
        outcomes = list(self.state.outcomes.values())
        cached = sum(o.from_cache for o in outcomes)
        failed = sum(o.error is not None for o in outcomes)
        rendered = len(outcomes) - cached - failed
        text = f"diagrams: {rendered} rendered, {cached} from cache"
        if failed:
            text += f", {failed} failed"
        if self.cache.corrupt:
            text += f" (corrupt cache entries re-rendered: {', '.join(self.cache.corrupt)})"
        if self.state.foreign:
            text += (f" ({len(self.state.foreign)} cache files changed by another process "
                     "during the build were removed, not trusted)")
        return text

    def timing(self, hooks_s: float) -> str:
        """One debug line per build: the plugin's own time and what it did (benchmark input).

        ``hooks_s`` is the time the build spent in the plugin's MkDocs hooks; the render time is
        the workers' own (in other processes, overlapping MkDocs' work).
        """
        s = self.state
        return (f"diagrams: rebuild took {hooks_s * 1000:.1f} ms in hooks "
                f"({self.summary().split(': ', 1)[1]}; {s.lookups} cache lookups, "
                f"{s.submitted} jobs, worker render {s.render_s * 1000:.1f} ms, "
                f"worker processes started so far {self._pool.started if self._pool else 0})")

    def close(self) -> None:
        """Stop the workers; drop cache files others changed (also after a failed build)."""
        self._opened = False
        if self._pool is not None:
            self._pool.close()
        self.cache.end()


def _secret_in(payload: dict[str, Any]) -> tuple[str, Any] | None:
    """(kind, script line) of a secret the shared rules find in a render's text -- what the
    SVG shows or links to -- or None. Checked once per render, before it is cached: the page
    guard runs before the SVG is inlined, so this is the diagrams' side of "no detected secret
    reaches site/"."""
    for link in payload["links"]:
        found = secrets.matches(link["url"])
        if found:
            return found[0][0], link["line"]
    found = secrets.matches(secret_html.segments(payload["body"])[0])
    return (found[0][0], payload.get("line")) if found else None
