"""Read a capture or session file safely: a regular file inside ``captures/``, size-limited,
errors that name structure (file, line, what it is) and never quote content.

A capture symlinked to a node-token file, a FIFO or ``/dev/zero`` named ``x.capture`` must not
put a secret into the build log or hang the build: lstat before open, ``O_NOFOLLOW``, fstat
again on the descriptor.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import urlparse

from execdocs.paths import shown as display_path
from execdocs.problems import ExecDocsError, Problem

MAX_BYTES = 1_000_000
"""Default size limit of one capture or session file (``snippets: max_capture_bytes``)."""


class StoreError(ExecDocsError):
    """A capture or session file that cannot be read; carries a ``Problem`` with file:line."""


def _fail(path: Path | str, line: int | None, message: str, hint: str = "") -> StoreError:
    return StoreError(Problem(display_path(path), line, message, hint=hint))


def _what(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a symlink, FIFO, device or
    directory: checked with lstat before opening, and again on the open descriptor) of at
    most ``max_bytes``; else ``StoreError`` naming what it is -- never its content."""
    if not isinstance(path, Path):
        path = Path(path)
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise _fail(path, None, f"cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise _fail(path, None, f"is {_what(st.st_mode)}, not a regular file inside the "
                    "captures folder; nothing was read from it",
                    "captures and session files must be plain files (copy the file in "
                    "instead of linking it)")
    if st.st_size > max_bytes:
        raise _fail(path, None, f"is {st.st_size} bytes, over the limit of {max_bytes}",
                    "shorten the output (head, --tail) or raise execdocs: snippets: "
                    "max_capture_bytes")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _fail(path, None, f"cannot be opened ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        now = os.fstat(fh.fileno())
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise _fail(path, None, "was replaced while being read; nothing was read from it")
        # read what fstat says is there (a read of max_bytes + 1 allocates that much each
        # time: 900 small captures 18 -> 8 ms), and on to the limit if the file grew since
        size = min(now.st_size, max_bytes) + 1
        data = fh.read(size)
        if len(data) == size and size <= max_bytes:
            data += fh.read(max_bytes + 1 - size)
    if len(data) > max_bytes:
        raise _fail(path, None, f"grew over the limit of {max_bytes} bytes while being read")
    return data


def _check_link(path: Path | str, line: int | None, url: str | None, what: str) -> None:
    """A ``source`` link renders on the page: only http(s) or a relative link."""
    if url is None:
        return
    parts = urlparse(url.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return
    if not parts.scheme and not parts.netloc and not url.strip().startswith("//"):
        return
    raise _fail(path, line, f"{what} 'source' must be an http(s) URL or a relative link",
                "e.g. source: \"https://kubernetes.io/docs/...\"")
