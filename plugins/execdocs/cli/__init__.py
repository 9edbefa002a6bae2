"""Command line adapter: ``execdocs check|table|capture|...``. Exit 0 clean, 1 problems, 2 usage.

Each feature registers its own subcommands from its own ``execdocs/cli/<feature>.py`` module so the
features stay independent; a module exposes ``register(subparsers)`` and sets ``func`` on its
parsers (``func(args) -> int``).
"""

from __future__ import annotations

import argparse
import sys

from execdocs.cli import capture, diagrams, snippets

_FEATURES = (snippets, capture, diagrams)


def build_parser() -> argparse.ArgumentParser:
    """The ``execdocs`` parser with every feature's subcommands."""
    parser = argparse.ArgumentParser(
        prog="execdocs", description="Diagrams and command snippets for the docs site."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _FEATURES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``execdocs ARGS``; the exit status (0 clean, 1 problems, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; keep it a return value
        return int(exc.code or 0)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
