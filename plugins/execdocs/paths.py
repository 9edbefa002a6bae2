"""How paths are shown in messages and test ids: relative to the project, POSIX style.

One helper for every adapter (build warnings, pytest ids, CLI output), so the same file is
named the same way everywhere (``docs/kubelet.md``, ``captures/k3s/x.capture``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path


def shown(path: Path | str, root: Path | str | None = None) -> str:
    """``path`` relative to ``root`` (default: the working directory) when it lies below it,
    else as given; always with ``/`` separators."""
    return _shown(str(path), str(root) if root is not None else os.getcwd())


@functools.lru_cache(maxsize=8192)  # a build names each page and capture many times
def _shown(path: str, root: str) -> str:
    p = Path(path)
    base = Path(root)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.relative_to(base).as_posix()
    except ValueError:
        pass
    try:  # resolved only when the paths as given do not relate (symlinks, ``..``)
        return p.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def resolve_against(root: Path, path: str | Path) -> Path:
    """A configured path: ``~`` expanded, a relative one taken from ``root`` (mkdocs.yml dir)."""
    p = Path(os.path.expanduser(str(path)))
    return p if p.is_absolute() else root / p
