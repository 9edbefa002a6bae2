"""The diagrams core's settings, apart from the renderer: every build resolves them (in
``on_config``), and most sites never import the renderer (it starts with the first page that
names a diagram)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Where things are and how to render (resolved paths); built from the one config schema
    (``execdocs.mkdocs.config.DiagramsConfig``, where the defaults and docs live)."""

    project_dir: Path  # the folder of mkdocs.yml: paths in messages are relative to it
    src_dir: Path
    cache_dir: Path
    timeout: float
    workers: int
    font: str
    memory_mb: int  # address-space limit of one render job in MiB (0: none)
