"""CLI adapter for snippets: ``execdocs check`` and ``execdocs table``. Exit 0/1/2.

``execdocs check [PAGE...] [-f mkdocs.yml]`` checks every console snippet (or only those on the
given pages; orphan captures are judged only on a whole-site run), writes each problem to
stderr and one summary line to stdout. ``execdocs table FILE`` prints the tables parsed from a
capture's stdout (or any text file, ``-`` for stdin) as JSON on stdout, and on stderr each table's
preamble lines and every row it could not align (exit 1 when there is one).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from execdocs.problems import ExecDocsError
from execdocs.snippets.check_cache import CheckCache, Replay

# The engine, the config reader (MkDocs' config classes) and the table parser are imported
# when a run needs them: an unchanged project's check is answered from its cache without them.


def register(subparsers) -> None:
    """Add ``check`` and ``table`` to the ``execdocs`` command."""
    check = subparsers.add_parser("check", help="check console snippets against captures",
                                  description="Check every console snippet against captures/.")
    check.add_argument("pages", nargs="*", type=Path, help="pages to check (default: all)")
    check.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                       help="the project's mkdocs.yml (default: ./mkdocs.yml)")
    check.add_argument("-q", "--quiet", action="store_true", help="print the summary only")
    check.set_defaults(func=run_check)

    table = subparsers.add_parser("table", help="print the tables of a command output as JSON",
                                  description="Parse the tables of a capture's stdout (or a "
                                  "text file, '-' for stdin) and print them as JSON.")
    table.add_argument("file", help="a .capture file, a text file, or - for stdin")
    table.add_argument("--stderr", action="store_true", help="parse the capture's stderr")
    table.add_argument("--prompt", action="append", default=[], metavar="REGEX",
                       help="another shell prompt shape (a regular expression matched at the "
                       "start of a line); repeatable")
    table.add_argument("--no-default-prompts", action="store_true",
                       help="do not treat '$ ', '# ', user@host:path$ and [user@host path]$ "
                       "lines as prompts")
    table.set_defaults(func=run_table)


def run_check(args: argparse.Namespace) -> int:
    """``execdocs check``: 0 clean, 1 problems, 2 usage or unreadable project.

    A run whose every input (mkdocs.yml, pages, captures/, the code) is byte for byte what a
    previous complete run read prints that run's output again (``snippets/check_cache.py``)."""
    if not args.config_file.is_file():
        print(f"execdocs check: no {args.config_file} here (use -f PATH)", file=sys.stderr)
        return 2
    pages = list(args.pages) if args.pages else None
    cache = CheckCache(args.config_file, pages,
                       ["check", *map(str, args.pages), "-q" if args.quiet else ""])
    replay = cache.lookup()
    if replay is None:
        replay = _run_check(args, pages, cache)
    sys.stderr.write(replay.stderr)
    sys.stdout.write(replay.stdout)
    return replay.status


def _run_check(args: argparse.Namespace, pages: list[Path] | None, cache: CheckCache) -> Replay:
    from execdocs.mkdocs import config as project_mod

    try:
        # the bytes the config was read from: the run is stored only if they are still these
        config_bytes = args.config_file.read_bytes()
        project = project_mod.load_project(args.config_file)
    except OSError as exc:
        return Replay(2, "", f"execdocs check: cannot read {args.config_file}: {exc.strerror}\n")
    except ExecDocsError as exc:
        return Replay(2, "", f"execdocs check: {exc}\n")
    if project is None:
        return Replay(2, "", f"execdocs check: {args.config_file} does not use the execdocs "
                      "plugin\n")
    if pages:
        missing = [p for p in pages if not p.is_file()]
        if missing:
            return Replay(2, "", f"execdocs check: no such page: {', '.join(map(str, missing))}\n")
    dirs = (project.docs_dir, project.options.captures_dir)
    before = cache.digest(*dirs)
    try:
        report = project_mod.check(project, pages)
    except ExecDocsError as exc:  # pymdownx.snippets options it cannot read as MkDocs does
        return Replay(2, "", f"execdocs check: {exc}\n")
    err: list[str] = []
    if not args.quiet:
        for problem in report.problems:
            err.append(problem.format() + "\n")
        for page in report.pages:
            for fence in page.skipped:
                why = fence.skip or page.parsed.skip  # its own directive, or the page's
                err.append(f"{fence.page}:{fence.line}: opted out: {why}\n")
    replay = Replay(1 if report.problems else 0, report.summary() + "\n", "".join(err))
    try:
        if args.config_file.read_bytes() == config_bytes:
            cache.store(*dirs, before, replay, report.probes)
    except OSError:
        pass
    return replay


def run_table(args: argparse.Namespace) -> int:
    """``execdocs table FILE``: JSON list of tables on stdout, a report on stderr; 1 when a row
    cannot be aligned (or the capture is malformed), 2 when FILE cannot be read."""
    from execdocs.snippets.store import CAPTURE_SUFFIX, StoreError, load_capture
    from execdocs.snippets.tables import (
        compile_prompts,
        parse_tables,
        report_lines,
        trailing_lines,
    )

    try:
        prompts = compile_prompts(args.prompt, defaults=not args.no_default_prompts)
    except re.error as exc:
        print(f"execdocs table: bad --prompt expression: {exc}", file=sys.stderr)
        return 2
    where = args.file
    try:
        if args.file == "-":
            text, where = sys.stdin.read(), "<stdin>"
        elif args.file.endswith(CAPTURE_SUFFIX):
            cap = load_capture(Path(args.file))
            text = cap.stderr_text if args.stderr else cap.stdout_text
            where = f"{args.file} {'stderr' if args.stderr else 'stdout'}"
        else:
            text = Path(args.file).read_bytes().decode("utf-8", "replace")
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"execdocs table: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    parsed = parse_tables(text, prompts)
    rest = trailing_lines(text, prompts)
    tables = [t.as_json() for t in parsed]
    if tables and rest:
        tables[-1]["trailing"] = rest
    print(json.dumps(tables, ensure_ascii=False, indent=2))
    for line in report_lines(parsed, where, rest):
        print(line, file=sys.stderr)
    if not tables:
        print(f"execdocs table: no table found ({len(rest)} line(s) of other text)",
              file=sys.stderr)
    unaligned = sum(len(t.unaligned) for t in parsed)
    if unaligned:
        print(f"execdocs table: {unaligned} row(s) cannot be aligned with their header: fix the "
              "output (a hand-edited or wrapped paste?), or add its prompt shape with --prompt",
              file=sys.stderr)
        return 1
    return 0
