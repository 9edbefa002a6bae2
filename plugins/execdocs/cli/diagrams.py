"""``execdocs render NAME...``: render diagrams outside MkDocs (same workers, same cache).

Writes a standalone, self-contained SVG per diagram (``-o DIR``, default the current folder)
and reports problems as ``diagram_src/x.py:LINE: ...`` on stderr. Exit 0 clean, 1 problems,
2 usage or a bad mkdocs.yml. Settings come from mkdocs.yml's ``execdocs: diagrams:`` (the one
config schema, defaults when there is no mkdocs.yml); a flag given on the command line wins.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from execdocs.diagrams import svg as svgmod
from execdocs.diagrams.render import DiagramRenderer, Settings
from execdocs.mkdocs.config import diagram_settings, load_project, validate
from execdocs.problems import ExecDocsError, Problem


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``render`` subcommand."""
    parser = subparsers.add_parser("render", help="render diagrams from diagram_src/ to SVG files")
    parser.add_argument("names", nargs="*", metavar="NAME", help="diagram names (default: all)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the project's mkdocs.yml (default: ./mkdocs.yml when present)")
    parser.add_argument("--src-dir", help="folder of the scripts (default: from mkdocs.yml)")
    parser.add_argument("--cache-dir", help="render cache (default: from mkdocs.yml)")
    parser.add_argument("-o", "--out", default=".", help="folder for the SVG files")
    parser.add_argument("--timeout", type=float, help="seconds per diagram")
    parser.add_argument("--font", help="the Hangul font for layout and in the SVG")
    parser.add_argument("--memory-mb", type=int,
                        help="address-space limit of one render job in MiB, 0: none "
                             "(default: from mkdocs.yml)")
    parser.set_defaults(func=run)


def _settings(args: argparse.Namespace) -> Settings:
    """mkdocs.yml's diagram settings (schema defaults without one), overridden by flags."""
    project = load_project(args.config_file) if args.config_file.is_file() else None
    if project is not None:
        config, root = project.config.diagrams, project.root
    else:
        root = Path.cwd().resolve()
        config = validate({}, root / "mkdocs.yml").diagrams
    flags = {"src_dir": args.src_dir, "cache_dir": args.cache_dir, "timeout": args.timeout,
             "font": args.font, "memory_mb": args.memory_mb}
    for key, value in flags.items():
        if value is not None:
            config[key] = value
    return diagram_settings(config, root)


def run(args: argparse.Namespace) -> int:
    """Render the named diagrams; 0 when all rendered, 1 when any failed, 2 bad mkdocs.yml."""
    try:
        settings = _settings(args)
    except ExecDocsError as exc:
        print(f"execdocs render: {exc}", file=sys.stderr)
        return 2
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
