"""``execdocs render NAME...``: render diagrams outside MkDocs (same workers, same cache).

Writes a standalone, self-contained SVG per diagram (``-o DIR``, default the current folder)
and reports problems as ``diagram_src/x.py:LINE: ...`` on stderr. Exit 0 clean, 1 problems.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from execdocs.diagrams import svg as svgmod
from execdocs.diagrams.render import DiagramRenderer, Settings
from execdocs.problems import ExecDocsError, Problem


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``render`` subcommand."""
    parser = subparsers.add_parser("render", help="render diagrams from diagram_src/ to SVG files")
    parser.add_argument("names", nargs="*", metavar="NAME", help="diagram names (default: all)")
    parser.add_argument("--src-dir", default="diagram_src", help="folder of the scripts")
    parser.add_argument("--cache-dir", default=".cache/execdocs/diagrams")
    parser.add_argument("-o", "--out", default=".", help="folder for the SVG files")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--font", default="NanumGothic")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="address-space limit of one render job in MiB (0: none)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Render the named diagrams; 0 when all rendered, 1 when any failed."""
    project = Path.cwd().resolve()
    settings = Settings(project, (project / args.src_dir).resolve(),
                        (project / args.cache_dir).resolve(), args.timeout, font=args.font,
                        memory_mb=args.memory_mb)
    try:
        renderer = DiagramRenderer(settings)
    except ExecDocsError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        names = args.names or [n for n in renderer.available() if not n.startswith("_")]
        for name in names:
            if name not in renderer.available():
                print(Problem(renderer.script_display(f"{name}.py"), None,
                              f"unknown diagram '{name}'").format(), file=sys.stderr)
                return 1
            renderer.request(name)
        failed = 0
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for name in names:
            outcome = renderer.outcome(name)
            if outcome.error:
                failed += 1
                err = outcome.error
                print(Problem(renderer.script_display(err.get("file") or f"{name}.py"),
                              err.get("line"), f"diagram '{name}' failed: {err['message']}",
                              err.get("detail", ""), err.get("hint", "")).format(),
                      file=sys.stderr)
                continue
            payload = outcome.payload
            assert payload is not None
            urls = [link["url"] for link in payload["links"]]
            text = svgmod.svg_element(payload, prefix=svgmod.id_prefix(name, 0),
                                      title=html.escape(name), urls=urls, standalone=True)
            (out / f"{name}.svg").write_text(text + "\n", encoding="utf-8")
            print(f"{out / (name + '.svg')}: {'cache' if outcome.from_cache else 'rendered'}")
        if renderer.cache.write_error:
            print(f"warning: {renderer.cache.write_error}; rendered without caching",
                  file=sys.stderr)
        return 1 if failed else 0
    finally:
        renderer.close()
