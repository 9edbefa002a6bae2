"""The one check engine behind ``mkdocs build``, ``pytest`` and ``execdocs check``.

A page is parsed (``parse``), each command is matched to exactly one capture of its session
(``store``) and checked: well-formed, honest provenance, expected exit status, the command as
run is the documented one with each ``<placeholder>`` filled by one safe word, UTF-8 output, no
secret (``execdocs.secrets``, fail closed), and the fence's assertions hold (``assertions``).
Each check returns problems; nothing raises on bad content, so one run reports everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from execdocs import secrets
from execdocs.problems import Problem
from execdocs.scan import fenced_code_markdown
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.numbering import unshown_highlights
from execdocs.snippets.parse import CONSOLE_LANGUAGES, Command, Fence, ParsedPage, parse_page
from execdocs.snippets.store import (
    Capture,
    Session,
    Store,
    capture_filename,
    display_path,
    normalise_command,
)


@dataclass
class Options:
    """Snippet options shared by every adapter; built from the one config schema
    (``execdocs.mkdocs.config.SnippetsConfig``, where the defaults and docs live)."""

    captures_dir: Path
    session: str | None
    """Site-wide default session; a page's front matter and a fence's directive override it."""
    target_versions: dict[str, str]
    """Tool -> version prefix the site documents; sessions that differ are warned."""
    fold_after: int
    """Outputs longer than this many lines show this many and fold the rest."""
    mode: str = "strict"
    """strict (problems fail --strict), warn (reported, never failing) or off."""
    exclude: list[str] = field(default_factory=list)
    """gitignore-style globs of docs paths execdocs leaves as written."""
    languages: tuple[str, ...] = CONSOLE_LANGUAGES
    """Fence languages that are snippets (lower case)."""
    superfences: bool = True
    """The site lists ``pymdownx.superfences``; else its fences are Python-Markdown's
    ``fenced_code`` (MkDocs' default), which finds other ones (none inside a list item)."""


@dataclass
class SnippetResult:
    """One command: where it is, the capture it was matched to, and its problems."""

    page: str
    fence: Fence
    command: Command
    session_name: str | None
    session: Session | None = None
    capture: Capture | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        """``docs/kubelet.md:42::kubectl get nodes -o wide`` (pytest item id)."""
        return f"{self.page}:{self.command.line}::{normalise_command(self.command.text)}"


@dataclass
class PageReport:
    """A page's parse and the result of every command on it."""

    parsed: ParsedPage
    results: list[SnippetResult] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """Page-level problems first, then each command's, in page order."""
        out = list(self.parsed.problems)
        for r in self.results:
            out += r.problems
        return out

    @property
    def skipped(self) -> list[Fence]:
        """Fences opted out with a reason (all of them when the page opted out)."""
        return [f for f in self.parsed.fences if f.skip or self.parsed.skip]


@dataclass
class Report:
    """Everything one check run found."""

    pages: list[PageReport] = field(default_factory=list)
    store_problems: list[Problem] = field(default_factory=list)
    """Malformed capture or session files."""
    warnings: list[Problem] = field(default_factory=list)
    """Orphan captures and version mismatches."""
    config_problems: list[Problem] = field(default_factory=list)
    """Secrets in the site's config file (``execdocs.config_secrets``)."""
    probes: dict[str, str] = field(default_factory=dict)
    """Paths the pages' ``--8<--`` includes read or looked for, with what was there
    (``snippets/includes.py``; the check cache keys a stored run on them)."""

    @property
    def problems(self) -> list[Problem]:
        """Every problem: the config file, store files, pages, then warnings."""
        out = self.config_problems + self.store_problems
        for p in self.pages:
            out += p.problems
        return out + self.warnings

    @property
    def commands(self) -> int:
        """Commands checked (opted-out fences excluded)."""
        return sum(len(p.results) for p in self.pages)

    def summary(self) -> str:
        """One line: ``snippets: 26 commands on 8 pages, 2 fences opted out, 0 problems``."""
        skipped = sum(len(p.skipped) for p in self.pages)
        n = len(self.problems)
        # a command with no capture session was not held against anything: say so, not
        # "checked" (kubevirt's docs: 54 commands, none of them with a session)
        unchecked = sum(r.session_name is None for p in self.pages for r in p.results)
        checked = (f"{self.commands} commands on {len(self.pages)} pages checked"
                   if not unchecked else
                   f"{self.commands} commands on {len(self.pages)} pages, {unchecked} of them "
                   "not checked (no capture session)")
        return (f"snippets: {checked}, {skipped} fence(s) opted out, "
                f"{n} problem{'s' if n != 1 else ''}")


@lru_cache(maxsize=4096)  # each command is labelled by several checks
def _label(command: str) -> str:
    """``snippet 'cmd'`` for messages, a secret in the command shown as its placeholder."""
    return f"snippet '{secrets.Redactor().redact(normalise_command(command), shell=True)}'"


def _capture_problems(r: SnippetResult, cap: Capture, session: Session) -> list[Problem]:
    page, line = r.page, r.command.line
    label = _label(r.command.text)
    # imported here, on a memo miss: a rebuild whose verdicts are all remembered never needs
    # them (their regexes are ~6 ms of every build's start)
    from execdocs.snippets.assertions import AssertionSyntaxError, evaluate, parse_assertion
    from execdocs.snippets.claims import contradiction
    from execdocs.snippets.placeholders import run_problem
    from execdocs.snippets.tables import parse_tables

    out: list[Problem] = []

    def add(message: str, hint: str = "", at: int | None = None, cite: bool = True) -> None:
        # the capture's file:line is worked out only when there is a problem to show it in
        detail = (f"{display_path(cap.path)}:{cap.line}" if cap.path else "capture") if cite else ""
        out.append(Problem(page, at or line, f"{label}: {message}", detail=detail, hint=hint))

    if session.provenance == "captured" and not cap.captured:
        add("capture has no capture time but its session says 'captured'",
            hint="only the capture tool writes captured outputs")
    if session.provenance != "captured" and cap.captured:
        add(f"capture has a capture time but its session is '{session.provenance}'",
            hint="a written or copied output has no capture time: captured: null")
    if cap.captured:
        try:
            datetime.fromisoformat(cap.captured.replace("Z", "+00:00"))
        except ValueError:
            add(f"capture time {cap.captured!r} is not ISO 8601")
    if cap.exit != r.command.exit:
        add(f"exit status {cap.exit}, the page expects {r.command.exit}",
            hint=f"if the failure is the point, write 'exit: {cap.exit}' in the fence's directive")
    why = run_problem(r.command.text, cap.run)
    if why:
        add(why, hint="'run' must be the documented command with each <...> "
            "replaced by one word of letters, digits and ._:@/+=-")
    for stream, data in (("stdout", cap.stdout), ("stderr", cap.stderr)):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            at_line = data[: exc.start].count(b"\n") + 1
            add(f"{stream} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at {stream} line "
                f"{at_line})",
                hint="capture with LANG=C.UTF-8; the page cannot show these bytes faithfully")
    for stream, finding in secrets.scan_many((
            ("command", cap.command, True), ("run", cap.run, True),
            ("stdout", cap.stdout, False), ("stderr", cap.stderr, False))):
        add(f"capture holds a secret: {finding.describe(stream)}",
            hint="redact it (the capture tool does, with <REDACTED:kind#n>) and rotate the "
            "credential if it was real")
    if secrets.unredacted_output(cap.run or r.command.text, cap.stdout):
        add("capture holds a secret: the stdout of a command that prints Secret values "
            "(kubectl -o jsonpath/go-template/custom-columns on a secret, or base64 -d)",
            hint="record it with 'execdocs capture', which replaces the whole output with "
            "<REDACTED:secret-data#1>, and rotate the credential if it was real")
    if r.command.output:
        why = contradiction(r.command.output, cap.stdout_text, cap.stderr_text)
        if why:
            add("the output written in the page is not what the capture holds",
                hint="the page shows the capture; correct or remove the written lines",
                at=r.command.output_line)
            out[-1] = Problem(out[-1].path, out[-1].line, out[-1].message,
                              detail=out[-1].detail + "\n" + why, hint=out[-1].hint)
    if r.command.assertions:
        stdout, stderr = cap.stdout_text, cap.stderr_text
        tables = None  # parsed once, and only when a table assertion needs it
        for at, text in r.command.assertions:
            try:
                assertion = parse_assertion(text)
            except AssertionSyntaxError as exc:
                add(f"bad assertion: {exc}", at=at, cite=False)
                continue
            if tables is None and assertion.kind != "text":
                tables = parse_tables(stdout)
            failure = evaluate(assertion, stdout, stderr, tables or [])
            if failure:
                add(f"assertion '{text}' failed: {failure}", at=at)
    return out


def check_command(page: str, fence: Fence, command: Command, session_name: str | None,
                  store: Store, index: dict[str, dict[str, list[Capture]]] | None = None,
                  memo: VerdictMemo | None = None) -> SnippetResult:
    """Match one command to its capture and check it.

    ``index`` (session name -> ``Session.index()``) is filled on demand and may be shared
    between calls so that thousands of commands are matched in linear time. ``memo`` remembers
    the capture checks' verdicts across runs, keyed on every input they read.
    """
    r = SnippetResult(page=page, fence=fence, command=command, session_name=session_name)
    label = _label(command.text)
    if session_name is None:
        r.problems.append(Problem(page, command.line, f"{label}: no capture session chosen",
                                  hint="set execdocs: snippets: session in mkdocs.yml, "
                                  "'execdocs: {session: NAME}' in front matter, or "
                                  "'session: NAME' in the fence's directive"))
        return r
    session = store.sessions.get(session_name)
    if session is None:
        broken = [p for p in store.problems
                  if Path(p.path).parent.name == session_name or Path(p.path).name == session_name]
        known = ", ".join(sorted(store.sessions)) or "none"
        root = display_path(store.root)
        r.problems.append(Problem(
            page, command.line,
            f"{label}: session '{session_name}' "
            + ("could not be loaded" if broken else "does not exist"),
            detail=(broken[0].format() if broken else f"sessions in {root}: {known}"),
            hint=f"create {root}/{session_name}/session.yml" if not broken else ""))
        return r
    r.session = session
    if index is None:
        matches = session.find(command.text)
    else:
        if session_name not in index:
            index[session_name] = session.index()
        matches = index[session_name].get(normalise_command(command.text), [])
    if not matches:
        folder = display_path(session.path.parent) if session.path else ""
        unreadable = [p for p in store.problems if Path(p.path).parent.as_posix() == folder]
        detail = (f"{len(unreadable)} capture file(s) of this session could not be read"
                  if unreadable else "")
        r.problems.append(Problem(
            page, command.line, f"{label}: no capture in session '{session_name}'",
            detail=detail,
            hint=f"record it with 'execdocs capture {page} --session {session_name}' or write "
            f"{display_path(store.root)}/{session_name}/{capture_filename(command.text)}"))
        return r
    if len(matches) > 1:
        r.problems.append(Problem(
            page, command.line,
            f"{label}: {len(matches)} captures match in session '{session_name}'",
            detail="\n".join(display_path(c.path) for c in matches if c.path),
            hint="keep one capture per command and session"))
        return r
    r.capture = matches[0]
    if memo is None:
        r.problems += _capture_problems(r, r.capture, session)
        return r
    key = memo.key("capture-check", page, command, r.capture, session.provenance)
    verdict = memo.get(key)
    if verdict is None:
        verdict = _capture_problems(r, r.capture, session)
        memo.put(key, verdict)
    r.problems += verdict
    return r


def check_page(page: str, source: str, store: Store, options: Options,
               index: dict[str, dict[str, list[Capture]]] | None = None,
               memo: VerdictMemo | None = None) -> PageReport:
    """Parse one page's full source and check every command not opted out.

    Pass the same ``index`` dict for every page of a run (see ``check_command``); it must be
    dropped when the store is reloaded.
    """
    md = None if options.superfences else fenced_code_markdown()
    parsed = parse_page(page, source, options.session, md=md, languages=options.languages,
                        memo=memo)
    return check_parsed(parsed, store, index, memo)


def check_parsed(parsed: ParsedPage, store: Store,
                 index: dict[str, dict[str, list[Capture]]] | None = None,
                 memo: VerdictMemo | None = None) -> PageReport:
    """Check the commands of an already parsed page (see ``check_page``).

    Commands with no session at all are one problem for the page, not one per command.
    """
    report = PageReport(parsed=parsed)
    if parsed.skip:
        return report
    index = {} if index is None else index
    orphans: list[Command] = []
    for fence in parsed.fences:
        if fence.skip:
            continue
        session_name = fence.session or parsed.session
        for command in fence.commands:
            if session_name is None:
                orphans.append(command)
                report.results.append(SnippetResult(page=fence.page, fence=fence,
                                                    command=command, session_name=None))
                continue
            report.results.append(check_command(fence.page, fence, command, session_name,
                                                store, index, memo))
            shown = report.results[-1].capture
            if "hl_lines" in fence.options and shown is not None:
                parsed.problems += unshown_highlights(fence, command, shown.stdout_text)
    if orphans:
        mine = {id(c) for c in orphans}
        fences = [r.fence for r in report.results if id(r.command) in mine]
        parsed.problems.append(Problem(
            fences[0].page, orphans[0].line,
            f"{len(orphans)} command(s) in {len({id(f) for f in fences})} console fence(s) "
            "have no capture "
            "session, so none is checked",
            hint="set execdocs: snippets: session in mkdocs.yml, 'execdocs: {session: NAME}' "
            "in front matter, 'session: NAME' in a fence's directive, or opt the page out "
            "with 'execdocs: {skip: REASON}'"))
    return report


def session_secrets(session: Session) -> list[Problem]:
    """A secret in a session's own fields (system, note, source, versions): they are shown
    on every page that uses the session."""
    fields = {"system": session.system, "note": session.note, "source": session.source or "",
              **{f"versions.{k}": f"{k}: {v}" for k, v in session.versions.items()}}
    where = display_path(session.path or session.name)
    return [Problem(where, None, f"session '{session.name}' holds a secret: "
                    f"{finding.describe(key)}", hint="remove it from session.yml, and rotate "
                    "the credential if it was real")
            for key, text in fields.items() for finding in secrets.scan(text)]


def project_warnings(store: Store, pages: list[PageReport], options: Options) -> list[Problem]:
    """Orphan captures (no page shows them) and sessions off the site's target versions."""
    used: set[tuple[str, str]] = set()
    for page in pages:
        for r in page.results:
            if r.session_name:
                used.add((r.session_name, normalise_command(r.command.text)))
    out: list[Problem] = []
    for name, session in store.sessions.items():
        out += session_secrets(session)
        for cap in session.captures:
            if (name, normalise_command(cap.command)) not in used:
                shown = secrets.Redactor().redact(cap.command, shell=True)
                out.append(Problem(display_path(cap.path or name), cap.line,
                                   f"orphan capture: no page shows '{shown}' with "
                                   f"session '{name}'",
                                   hint="delete it, or fix the page's command or session"))
        for tool, want in options.target_versions.items():
            have = session.versions.get(tool)
            if have is not None and not have.lstrip("v").startswith(str(want).lstrip("v")):
                out.append(Problem(display_path(session.path or name), 1,
                                   f"session '{name}' recorded {tool} {have}, the site "
                                   f"targets {want}",
                                   hint="re-capture, or update execdocs: snippets: "
                                   "target_versions"))
    return out


Expand = Callable[[str, str, dict[str, dict[str, list[Capture]]]], "PageReport | None"]
"""``(label, source, index) -> report``: a page checked as the build renders it (``--8<--``
includes expanded: ``snippets/includes.py``), or None when the plain check of its source is
the same."""


def check_project(pages: dict[str, str], store: Store, options: Options,
                  whole_site: bool = True, memo: VerdictMemo | None = None,
                  expand: Expand | None = None) -> Report:
    """Check ``pages`` (label -> full source); orphans are only judged on the whole site."""
    report = Report(store_problems=list(store.problems))
    index: dict[str, dict[str, list[Capture]]] = {}
    for label, source in pages.items():
        page = expand(label, source, index) if expand is not None else None
        if page is None:
            page = check_page(label, source, store, options, index, memo)
        report.pages.append(page)
    if whole_site:
        report.warnings = project_warnings(store, report.pages, options)
    return report
