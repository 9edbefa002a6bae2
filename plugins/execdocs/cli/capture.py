"""``execdocs capture``: record or refresh captures from a live system (thin CLI adapter).

    execdocs capture [PAGES...] --session NAME [--ssh HOST] [--update] [--accept]
                     [--allow-mutating]

With PAGES, the commands documented on those pages are run; without, every capture already in
the session is refreshed with its recorded as-run command. Nothing is written without
``--update``; structural and exit-status changes need ``--accept`` as well. Exit 0 clean,
1 problems (refused, timed out, unwritten drift, unfilled placeholder), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from execdocs.capture import drift
from execdocs.capture.commands import commands_for_session
from execdocs.capture.record import (
    NEW,
    Options,
    Outcome,
    Planned,
    Report,
    load_or_new_session,
    record,
)
from execdocs.capture.runner import DEFAULT_TIMEOUT, Runner
from execdocs.mkdocs.config import load_project
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets import store


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``capture`` subcommand."""
    p = subparsers.add_parser(
        "capture", help="record or refresh captures from a live system",
        description=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawTextHelpFormatter,
    )
    p.add_argument("pages", nargs="*", type=Path, metavar="PAGES",
                   help="Markdown pages whose console commands to run (default: refresh the "
                        "session's captures)")
    p.add_argument("--session", required=True, help="capture session (folder under --captures)")
    p.add_argument("--captures", type=Path, default=None,
                   help="captures root (default: mkdocs.yml's snippets captures_dir, else "
                        "./captures)")
    p.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"),
                   help="mkdocs.yml giving the site's default session (default: ./mkdocs.yml "
                        "when present)")
    p.add_argument("--ssh", metavar="HOST", help="run the commands on HOST over ssh")
    p.add_argument("--ssh-config", metavar="FILE", help="ssh -F config (port, key, known hosts)")
    p.add_argument("--update", action="store_true", help="write new and volatile-only captures")
    p.add_argument("--accept", action="store_true",
                   help="with --update, also write structural and exit-status changes")
    p.add_argument("--allow-mutating", action="store_true",
                   help="run commands that change the system (create, apply, delete, ...)")
    p.add_argument("--system", help="session 'system' text (required for a new session)")
    p.add_argument("--note", help="session 'note' shown on the page with the provenance")
    p.add_argument("--match", action="append", default=[], metavar="TEXT",
                   help="only commands containing TEXT (repeatable: any of them)")
    p.add_argument("--fill", action="append", default=[], metavar="'<name>=VALUE'",
                   help="value for a placeholder such as <pod명> (one token)")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for the commands (e.g. CONTAINERD_ADDRESS=...)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"seconds per command (default {DEFAULT_TIMEOUT:g})")
    p.set_defaults(func=run)


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"{what} '{item}' is not KEY=VALUE")
        out[key] = value
    return out


def plan(args: argparse.Namespace, session: store.Session | None, fills: dict[str, str],
         default_session: str | None = None) -> tuple[list[Planned], list[Problem]]:
    """The commands to run, and the problems that keep some from running (unfilled ``<..>``)."""
    planned: list[Planned] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    if args.pages:
        selection = commands_for_session(args.pages, args.session, default_session)
        if selection.other_sessions or selection.skipped:
            print(f"capture: {selection.other_sessions} commands of these pages belong to other "
                  f"sessions, {selection.skipped} are opted out (skip); not run", flush=True)
        for doc in selection.commands:
            key = store.normalise_command(doc.command)
            if key in seen or (args.match and not any(m in doc.command for m in args.match)):
                continue
            seen.add(key)
            stored = session.find(doc.command) if session else []
            run = doc.command
            for name in doc.placeholders:
                if name in fills:
                    run = run.replace(name, fills[name])
            if doc.placeholders and not any(n in fills for n in doc.placeholders) and stored:
                run = stored[0].run  # refresh with the value recorded last time
            left = [n for n in doc.placeholders if n in run]
            if left:
                problems.append(Problem(
                    doc.path, doc.line, f"'{doc.command}': placeholder {left[0]} has no value",
                    hint=f"pass --fill '{left[0]}=VALUE' (one token, e.g. a pod name)"))
                continue
            planned.append(Planned(doc.command, run, f"{doc.path}:{doc.line}"))
    elif session is not None:
        for cap in session.captures:
            if args.match and not any(m in cap.command for m in args.match):
                continue
            planned.append(Planned(cap.command, cap.run, f"{cap.path}:{cap.line}"))
    return planned, problems


def _progress(index: int, total: int, outcome: Outcome) -> None:
    width = len(str(total))
    res = outcome.result
    status = f"exit {res.exit_status}" if res and res.exit_status is not None else "-"
    verdict = outcome.status
    if outcome.written:
        verdict += ", written"
    elif outcome.pending is not None:
        verdict += ", held back until the whole session is re-recorded"
    elif outcome.status not in (drift.IDENTICAL,) and outcome.reason == "":
        verdict += ", not written"
    if outcome.redactions:
        verdict += ", redacted " + ", ".join(f"{k}×{n}" for k, n in outcome.redactions.items())
    print(f"[{index:>{width}}/{total}] $ {outcome.planned.run}  → {status}, {verdict}", flush=True)
    if outcome.reason:
        print(f"    {outcome.reason}", flush=True)
    for line in outcome.changes[:40]:
        print(f"    {line}", flush=True)
    if len(outcome.changes) > 40:
        print(f"    … {len(outcome.changes) - 40} more", flush=True)


def _summary(report: Report, problems: list[Problem], update: bool) -> str:
    counts = report.counts()
    order = [NEW, drift.IDENTICAL, drift.VOLATILE_ONLY, drift.STRUCTURAL,
             drift.EXIT_STATUS_CHANGED, "refused", "timed-out", "secret-left"]
    parts = [f"{counts[k]} {k}" for k in order if counts.get(k)]
    if problems:
        parts.append(f"{len(problems)} not run")
    written = sum(o.written for o in report.outcomes)
    where = f"{written} written to {report.session_dir}" if update else "dry run: nothing written"
    return f"capture: {len(report.outcomes)} commands — {', '.join(parts) or 'none'}; {where}"


def run(args: argparse.Namespace) -> int:
    """Entry point of ``execdocs capture``."""
    if args.accept and not args.update:
        print("execdocs capture: --accept only makes sense with --update", file=sys.stderr)
        return 2
    try:
        fills = _pairs(args.fill, "--fill")
        env = _pairs(args.env, "--env")
    except ValueError as exc:
        print(f"execdocs capture: {exc}", file=sys.stderr)
        return 2
    for page in args.pages:
        if not page.is_file():
            print(f"execdocs capture: no such page '{page}'", file=sys.stderr)
            return 2
    try:
        default_session = None
        project = load_project(args.config_file) if args.config_file.is_file() else None
        if project is not None:
            default_session = project.options.session
            if args.captures is None:
                args.captures = project.options.captures_dir
        if args.captures is None:
            args.captures = Path("captures")
        session = load_or_new_session(args.captures, args.session)
        if session is None and not args.pages:
            print(f"execdocs capture: session '{args.session}' does not exist under "
                  f"{args.captures}; name PAGES to record into a new one", file=sys.stderr)
            return 2
        planned, problems = plan(args, session, fills, default_session)
        options = Options(update=args.update, accept=args.accept,
                          allow_mutating=args.allow_mutating, system=args.system, note=args.note,
                          timeout=args.timeout)
        with Runner(ssh_host=args.ssh, ssh_config=args.ssh_config, env=env,
                    timeout=args.timeout) as runner:
            print(f"capture: {len(planned)} commands on {runner.target} → session "
                  f"'{args.session}'" + ("" if args.update else " (dry run)"), flush=True)
            report = record(planned, runner, args.captures, args.session, options, _progress)
    except ExecDocsError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    if report.blocked:
        print(f"execdocs capture: {report.blocked}", file=sys.stderr)
    if report.session_written:
        versions = ", ".join(f"{k} {v}" for k, v in report.versions.items())
        print(f"session '{args.session}': versions {versions or 'none found'}")
    print(_summary(report, problems, args.update))
    failed = problems or report.blocked or any(o.problem for o in report.outcomes)
    return 1 if failed else 0
