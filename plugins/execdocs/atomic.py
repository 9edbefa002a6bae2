"""Atomic file writes with ordinary permissions, for everything execdocs writes.

A temp file in the target's folder, then ``os.replace``: readers see the old file or the new
one, never half of one. ``tempfile.mkstemp`` creates files 0600, which a web server running as
another user cannot read (``site/``) and which git records as-is (``captures/``); the file gets
the mode ``open()`` would have given it (0666 minus the umask, 0644 under umask 022).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    try:  # Linux: read it without changing it (os.umask() is process-wide, threads race on it)
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def write_atomic(path: Path | str, data: str | bytes) -> os.stat_result:
    """Replace ``path`` with ``data`` (str is written as UTF-8) in one step; returns the new
    file's status as written (its inode tells it from a file someone else put there since)."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            written = os.fstat(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written
