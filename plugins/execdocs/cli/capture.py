"""``execdocs capture``: plan, run or record captures from a live system (thin CLI adapter).

    execdocs capture [PAGES...] --session NAME [--run | --update [--accept]]
                     [--allow 'PROGRAM[ SUBCOMMAND]']... [--allow-mutating] [--ssh HOST]

Three modes. Without --run or --update it prints the plan and runs nothing: one line per
command, 'will run' or 'refused: why; what to do'. --run executes the allowed commands and
shows the drift against the stored captures, writing nothing. --update executes them and
writes new and volatile-only captures; --accept (with --update) writes structural and
exit-status changes too. A command runs only if the policy knows it to be read-only; --allow
lifts a "not known to be read-only" refusal for one program or subcommand, this run only, and
--allow-mutating runs whatever the parser can read. With PAGES, the commands documented on
those pages; without, every capture already in the session, with its recorded 'run:' line
(which must be the documented command with each placeholder filled by one safe word).
Exit 0 clean, 1 problems (refused, unreachable, timed out, unwritten drift, unfilled
placeholder), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from execdocs.capture import drift
from execdocs.capture.plan import judge_all, select
from execdocs.capture.policy import Allowance
from execdocs.capture.record import (
    NEW,
    CaptureOptions,
    CaptureOutcome,
    CaptureReport,
    Planned,
    load_or_new_session,
    record,
)
from execdocs.capture.redact import shown_command
from execdocs.capture.runner import DEFAULT_TIMEOUT, Runner
from execdocs.mkdocs.config import load_project
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets import placeholders
from execdocs.snippets.parse import CONSOLE_LANGUAGES


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
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--run", action="store_true",
                      help="execute the allowed commands and show drift; write nothing")
    mode.add_argument("--update", action="store_true",
                      help="execute the allowed commands; write new and volatile-only captures")
    p.add_argument("--accept", action="store_true",
                   help="with --update, also write structural and exit-status changes")
    p.add_argument("--allow", action="append", default=[], metavar="'PROGRAM[ SUBCOMMAND]'",
                   help="run this program (or subcommand) although it is not known to be "
                        "read-only; this run only (repeatable)")
    p.add_argument("--allow-mutating", action="store_true",
                   help="run every command the parser can read, even ones that change the "
                        "system (create, apply, delete, ...)")
    p.add_argument("--system", help="session 'system' text (required for a new session)")
    p.add_argument("--note", help="session 'note' shown on the page with the provenance")
    p.add_argument("--match", action="append", default=[], metavar="TEXT",
                   help="only commands containing TEXT (repeatable: any of them)")
    p.add_argument("--fill", action="append", default=[], metavar="'<name>=VALUE'",
                   help="value for a placeholder such as <pod명> (one word of letters, "
                        "digits and ._:@/+=-)")
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


def print_plan(planned: list[Planned], problems: list[Problem], options: CaptureOptions,
               target: str, session: str) -> int:
    """Plan mode: judge every command, print the verdicts, execute nothing; 0 or 1."""
    print(f"capture plan: {len(planned)} commands for session '{session}' on {target} — "
          "plan only, nothing is executed", flush=True)
    for allowance in options.allow:
        print(f"  !! --allow '{allowance}': runs although not known to be read-only "
              "(this run only)", flush=True)
    if options.allow_mutating:
        print("  !! --allow-mutating: every command the parser can read will run, even ones "
              "that change the system", flush=True)
    width = len(str(len(planned)))
    lines = judge_all(planned, options)
    refused = sum(not line.runs for line in lines)
    for index, line in enumerate(lines, start=1):
        shown = shown_command(line.planned.command, line.planned.run)
        print(f"[{index:>{width}}/{len(planned)}] $ {shown}  → {line.said()}", flush=True)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    runs = len(planned) - refused
    print(f"capture plan: {runs} will run, {refused} refused, {len(problems)} not run "
          "(see above); nothing was executed. Execute with --run (writes nothing) or "
          "--update (writes captures).")
    return 1 if refused or problems else 0


def _progress(index: int, total: int, outcome: CaptureOutcome) -> None:
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
    shown = shown_command(outcome.planned.command, outcome.planned.run)
    print(f"[{index:>{width}}/{total}] $ {shown}  → {status}, {verdict}", flush=True)
    if outcome.reason:
        print(f"    {outcome.reason}", flush=True)
    for line in outcome.changes[:40]:
        print(f"    {line}", flush=True)
    if len(outcome.changes) > 40:
        print(f"    … {len(outcome.changes) - 40} more", flush=True)


def _summary(report: CaptureReport, problems: list[Problem], update: bool) -> str:
    counts = report.counts()
    order = [NEW, drift.IDENTICAL, drift.VOLATILE_ONLY, drift.STRUCTURAL,
             drift.EXIT_STATUS_CHANGED, "refused", "unreachable", "timed-out", "secret-left"]
    parts = [f"{counts[k]} {k}" for k in order if counts.get(k)]
    if problems:
        parts.append(f"{len(problems)} not run")
    written = sum(o.written for o in report.outcomes)
    where = f"{written} written to {report.session_dir}" if update else "--run: nothing written"
    return f"capture: {len(report.outcomes)} commands — {', '.join(parts) or 'none'}; {where}"


def run(args: argparse.Namespace) -> int:
    """Entry point of ``execdocs capture``."""
    if args.accept and not args.update:
        print("execdocs capture: --accept only makes sense with --update", file=sys.stderr)
        return 2
    try:
        fills = _pairs(args.fill, "--fill")
        env = _pairs(args.env, "--env")
        allow = tuple(Allowance.parse(text) for text in args.allow)
        for name, value in fills.items():
            why = placeholders.fill_problem(value)
            if why:
                raise ValueError(f"--fill '{name}=…': {why}")
    except ValueError as exc:
        print(f"execdocs capture: {exc}", file=sys.stderr)
        return 2
    for page in args.pages:
        if not page.is_file():
            print(f"execdocs capture: no such page '{page}'", file=sys.stderr)
            return 2
    try:
        default_session = None
        languages = CONSOLE_LANGUAGES
        superfences = True
        project = load_project(args.config_file) if args.config_file.is_file() else None
        if project is not None:
            default_session = project.options.session
            languages = project.options.languages
            superfences = project.options.superfences
            if args.captures is None:
                args.captures = project.options.captures_dir
        if args.captures is None:
            args.captures = Path("captures")
        session = load_or_new_session(args.captures, args.session)
        if session is None and not args.pages:
            print(f"execdocs capture: session '{args.session}' does not exist under "
                  f"{args.captures}; name PAGES to record into a new one", file=sys.stderr)
            return 2
        selection = select(args.pages, args.session, session, fills, args.match,
                           default_session, languages, superfences)
        if args.pages and not args.match and not selection.planned and not selection.problems:
            # Nothing of these pages is in the session: a mistyped or missing --session, not
            # a successful empty run.
            used = ", ".join(f"'{k}' ({n})" for k, n in sorted(selection.others.items()))
            print(f"execdocs capture: no command of these pages is in session "
                  f"'{args.session}'" + (f"; their sessions: {used}" if used else "")
                  + (f", {selection.skipped} opted out" if selection.skipped else ""),
                  file=sys.stderr)
            print("  hint: pass --session with one of those names, or name the session in "
                  "the page (front matter execdocs: {session: NAME}) or in mkdocs.yml",
                  file=sys.stderr)
            return 2
        if selection.other_sessions or selection.skipped:
            print(f"capture: {selection.other_sessions} commands of these pages belong to other "
                  f"sessions, {selection.skipped} are opted out (skip); not run", flush=True)
        planned, problems = selection.planned, selection.problems
        options = CaptureOptions(update=args.update, accept=args.accept,
                          allow_mutating=args.allow_mutating, allow=allow, system=args.system,
                          note=args.note, timeout=args.timeout)
        target = f"ssh:{args.ssh}" if args.ssh else "local"
        if not (args.run or args.update):
            return print_plan(planned, problems, options, target, args.session)
        with Runner(ssh_host=args.ssh, ssh_config=args.ssh_config, env=env,
                    timeout=args.timeout) as runner:
            print(f"capture: {len(planned)} commands on {runner.target} → session "
                  f"'{args.session}'" + ("" if args.update else
                                         " (--run: executes, writes nothing)"), flush=True)
            for allowance in allow:
                print(f"  !! --allow '{allowance}': runs although not known to be read-only",
                      flush=True)
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
