"""Command line adapter: ``execdocs check|table|capture|...``. Exit 0 clean, 1 problems, 2 usage.

Each feature registers its own subcommands from its own ``execdocs/cli/<feature>.py`` module so the
features stay independent; a module exposes ``register(subparsers)`` and sets ``func`` on its
parsers (``func(args) -> int``).
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType


def _features(argv: list[str] | None) -> tuple[ModuleType, ...]:
    """The feature modules to register: ``check`` alone when it is the command, since
    ``execdocs check`` on an unchanged project answers from its cache in well under a second
    and importing the capture and diagram code would cost more than the answer."""
    from execdocs.cli import snippets

    if argv is not None and argv[:1] == ["check"]:
        return (snippets,)
    from execdocs.cli import capture, diagrams

    return (snippets, capture, diagrams)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The ``execdocs`` parser with every feature's subcommands (only those ``argv`` needs)."""
    parser = argparse.ArgumentParser(
        prog="execdocs", description="Diagrams and command snippets for the docs site."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _features(argv):
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``execdocs ARGS``; the exit status (0 clean, 1 problems, 2 usage)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; keep it a return value
        return int(exc.code or 0)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
