"""Capture store: every session under ``captures/``, loaded once per build.

Capture store: ``captures/<session>/`` folders of command outputs, loaded and saved byte-exact.

Layout::

    captures/
      <session>/
        session.yml                 one per session (YAML, written by hand or by the capture tool)
        <slug>-<hash6>.capture      one per command (format below; the name is only a convention,
                                    captures are matched by their ``command`` field)

The file formats are in ``capture_file`` (one command) and ``session_file`` (one session);
``safe_read`` reads them without following links or quoting content. This module re-exports
their names so callers have one place to import the store API from.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from execdocs.paths import shown as display_path
from execdocs.problems import Problem
from execdocs.snippets.capture_file import (
    CAPTURE_SUFFIX,
    FORMAT_LINE,
    NO_NEWLINE,
    Capture,
    capture_filename,
    dumps_capture,
    encode_output,
    load_capture,
    loads_capture,
    normalise_command,
    save_capture,
)
from execdocs.snippets.safe_read import MAX_BYTES, StoreError, read_regular
from execdocs.snippets.session_file import (
    PROVENANCE_KINDS,
    SESSION_FILE,
    Session,
    check_session_name,
    dumps_session,
    load_session_file,
    save_session,
)

__all__ = [
    "CAPTURE_SUFFIX",
    "Capture",
    "FORMAT_LINE",
    "MAX_BYTES",
    "NO_NEWLINE",
    "PROVENANCE_KINDS",
    "SESSION_FILE",
    "Session",
    "Store",
    "StoreError",
    "capture_filename",
    "check_session_name",
    "display_path",
    "dumps_capture",
    "dumps_session",
    "encode_output",
    "load_capture",
    "load_session",
    "load_session_file",
    "load_store",
    "loads_capture",
    "normalise_command",
    "read_regular",
    "save_capture",
    "save_session",
]


@dataclass
class Store:
    """Every session under a captures root, plus the problems met while loading it."""

    root: Path
    sessions: dict[str, Session] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_session(folder: Path, max_bytes: int = MAX_BYTES) -> Session:
    """Load one session folder; the first malformed file raises ``StoreError``."""
    store = Store(root=Path(folder).parent)
    session = _load_session_into(Path(folder), store, max_bytes)
    if store.problems:
        raise StoreError(store.problems[0])
    assert session is not None
    return session


def _load_session_into(folder: Path, store: Store, max_bytes: int = MAX_BYTES
                       ) -> Session | None:
    session_file = folder / SESSION_FILE
    if not os.path.lexists(session_file):
        store.problems.append(Problem(display_path(folder), None, f"session '{folder.name}' has no "
                                      f"{SESSION_FILE}", hint="add system, versions, when, "
                                      "provenance"))
        return None
    try:
        session = load_session_file(session_file, folder.name, max_bytes)
    except StoreError as exc:
        store.problems.append(exc.problem)  # type: ignore[arg-type]
        return None
    # names sorted as strings: the order of the paths, at ~1/3 of the cost (900 captures)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(CAPTURE_SUFFIX) or name.startswith("."):
            continue
        try:
            session.captures.append(load_capture(folder / name, max_bytes))
        except StoreError as exc:
            store.problems.append(exc.problem)  # type: ignore[arg-type]
    return session


def load_store(root: Path, max_bytes: int = MAX_BYTES) -> Store:
    """Load every session under ``root``; malformed files become problems, the rest loads.
    A session folder must be a real folder (a symlinked one is a problem, not followed)."""
    root = Path(root)
    store = Store(root=root)
    if not root.is_dir():
        return store
    for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        mode = os.lstat(folder).st_mode
        if stat.S_ISLNK(mode):
            store.problems.append(Problem(display_path(folder), None,
                                          "session folder is a symbolic link; not followed",
                                          hint="keep sessions as real folders in captures/"))
            continue
        if not stat.S_ISDIR(mode):
            continue
        session = _load_session_into(folder, store, max_bytes)
        if session is not None:
            store.sessions[session.name] = session
    return store
