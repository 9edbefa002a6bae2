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
    for a, b in ((p, base), (p.resolve(), base.resolve())):
        try:
            return a.relative_to(b).as_posix()
        except ValueError:
            continue
    return p.as_posix()


def resolve_against(root: Path, path: str | Path) -> Path:
    """A configured path: ``~`` expanded, a relative one taken from ``root`` (mkdocs.yml dir)."""
    p = Path(os.path.expanduser(str(path)))
    return p if p.is_absolute() else root / p
