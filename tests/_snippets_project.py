"""Build small execdocs projects (mkdocs.yml, pages, captures) in a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

from execdocs.cli import main
from execdocs.snippets.store import Capture, Session, capture_filename, save_capture, save_session

MKDOCS_YML = """\
site_name: sample
docs_dir: docs
use_directory_urls: false
theme:
  name: material
  language: ko
  features: [content.code.copy]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/weather-night
        name: 다크 모드로 전환
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/weather-sunny
        name: 라이트 모드로 전환
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - execdocs:
      snippets:
        session: lab
{extra}"""


def make_project(root: Path, pages: dict[str, str], extra: str = "") -> Path:
    """Write mkdocs.yml and pages (dedented) under ``root``; return root."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(extra=extra), encoding="utf-8")
    for name, text in pages.items():
        (root / "docs" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def add_session(root: Path, name: str = "lab", provenance: str = "illustrative",
                **kw) -> Path:
    """Write captures/<name>/session.yml."""
    session = Session(name=name, system=kw.pop("system", "test lab"), provenance=provenance,
                      **kw)
    save_session(session, root / "captures" / name)
    return root / "captures" / name


def add_capture(root: Path, command: str, stdout: bytes | str = b"", session: str = "lab",
                filename: str | None = None, **kw) -> Path:
    """Write one capture file; ``run`` defaults to the command."""
    data = stdout.encode() if isinstance(stdout, str) else stdout
    cap = Capture(command=command, run=kw.pop("run", command), stdout=data, **kw)
    path = root / "captures" / session / (filename or capture_filename(command))
    save_capture(cap, path)
    return path


def run_check(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    """``execdocs check -f ROOT/mkdocs.yml ARGS`` in this process: (exit code, stdout, stderr)."""
    code = main(["check", "-f", str(root / "mkdocs.yml"), *args])
    out = capsys.readouterr()
    return code, out.out, out.err
