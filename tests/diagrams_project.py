"""A tiny real MkDocs project in a temporary folder, built with the real ``mkdocs`` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SAMPLE = Path(__file__).parent / "samples" / "diagrams" / "project"


@dataclass
class Build:
    """The result of one ``mkdocs build``."""

    returncode: int
    log: str
    site: Path

    def page(self, name: str = "index.html") -> str:
        """The built page, without the invisible word joiners the site adds to Korean text."""
        return (self.site / name).read_text(encoding="utf-8").replace("\u2060", "")


class Project:
    """A copy of the sample project; write scripts and pages, then build."""

    def __init__(self, root: Path):
        self.root = root
        # not what a run left in the sample (pytest collects its pages: `execdocs check`
        # keeps its memo in .cache there)
        shutil.copytree(SAMPLE, root, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".cache", "site"))

    def script(self, name: str, text: str) -> Path:
        path = self.root / "diagram_src" / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        return path

    def page(self, name: str, text: str) -> Path:
        path = self.root / "docs" / name
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str, env: dict[str, str] | None = None, strict: bool = True) -> Build:
        cmd = [sys.executable, "-m", "mkdocs", "build", "--clean"]
        if strict:
            cmd.append("--strict")
        full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        proc = subprocess.run(
            [*cmd, *args], cwd=self.root, capture_output=True, text=True, env=full_env,
            timeout=300,
        )
        return Build(proc.returncode, proc.stdout + proc.stderr, self.root / "site")

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "execdocs" / "diagrams"
