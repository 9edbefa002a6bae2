"""A capture session's own file, ``captures/<session>/session.yml``.

``session.yml`` (YAML mapping)::

    system: "k3s v1.31 single node on Debian 12"    # what the commands ran on (required)
    versions: {kubectl: "v1.31.2", containerd: "1.7.22"}   # tool -> version (may be empty)
    when: "2026-11-26"        # capture date, or null when unknown (never invented)
    provenance: captured      # captured | reference | illustrative
    source: "https://..."     # required for reference: where the outputs were copied from
    note: "free text shown on the page"                     # optional
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from execdocs import secrets
from execdocs.problems import ExecDocsError, Problem
from execdocs.snippets.capture_file import Capture, _atomic_write, normalise_command
from execdocs.snippets.safe_read import MAX_BYTES, _check_link, _fail, read_regular

# libyaml's loader is ~15x faster; only session files are YAML, but keep it fast anyway
_YamlLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader)

SESSION_FILE = "session.yml"

PROVENANCE_KINDS = ("captured", "reference", "illustrative")

_SESSION_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")



@dataclass
class Session:
    """A capture session: one system at one time, and the captures recorded from it."""

    name: str
    system: str
    provenance: str
    versions: dict[str, str] = field(default_factory=dict)
    when: str | None = None
    source: str | None = None
    note: str = ""
    path: Path | None = None
    captures: list[Capture] = field(default_factory=list)

    def find(self, command: str) -> list[Capture]:
        """Every capture whose documented command is ``command`` (whitespace-normalised)."""
        key = normalise_command(command)
        return [c for c in self.captures if normalise_command(c.command) == key]

    def index(self) -> dict[str, list[Capture]]:
        """Normalised command -> its captures, for callers that look up many commands."""
        out: dict[str, list[Capture]] = {}
        for cap in self.captures:
            out.setdefault(normalise_command(cap.command), []).append(cap)
        return out


def _yaml_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def load_session_file(path: Path, name: str | None = None,
                      max_bytes: int = MAX_BYTES) -> Session:
    """Read a ``session.yml``; the session's name is its folder's name."""
    path = Path(path)
    name = name or path.parent.name
    try:
        data = yaml.load(read_regular(path, max_bytes).decode("utf-8"), Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        # the problem only (PyYAML's full message quotes the offending text)
        problem = getattr(exc, "problem", None) or "syntax error"
        raise _fail(path, _yaml_line(exc), f"session file is not valid YAML: {problem}"
                    ) from None
    except UnicodeDecodeError as exc:
        raise _fail(path, None, f"session file is not valid UTF-8 (byte offset {exc.start})"
                    ) from None
    if not isinstance(data, dict):
        raise _fail(path, 1, "session file must be a YAML mapping")
    known = {"system", "versions", "when", "provenance", "source", "note"}
    unknown = sorted(set(map(str, data)) - known)
    if unknown:
        shown = ", ".join(secrets.Redactor().redact(k) for k in unknown)
        raise _fail(path, 1, f"unknown session key(s): {shown}",
                    "keys: " + ", ".join(sorted(known)))
    system = data.get("system")
    if not isinstance(system, str) or not system.strip():
        raise _fail(path, 1, "session needs 'system': a string naming what the commands ran on")
    provenance = data.get("provenance")
    if provenance not in PROVENANCE_KINDS:
        got = "nothing" if provenance is None else f"another {type(provenance).__name__}"
        raise _fail(path, 1, f"session 'provenance' must be one of {', '.join(PROVENANCE_KINDS)}"
                    f", got {got}")
    versions = data.get("versions") or {}
    if not isinstance(versions, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in versions.items()
    ):
        raise _fail(path, 1, "session 'versions' must map tool names to version strings",
                    "quote versions: containerd: \"1.7.22\"")
    when = data.get("when")
    if when is not None:
        when = str(when)  # YAML turns 2026-11-26 into a date; keep it as written
    source = data.get("source")
    if provenance == "reference" and not (isinstance(source, str) and source.strip()):
        raise _fail(path, 1, "a reference session needs 'source': the URL it was copied from")
    if source is not None and not isinstance(source, str):
        raise _fail(path, 1, "session 'source' must be a string (a URL)")
    _check_link(path, 1, source, "session")
    note = data.get("note") or ""
    if not isinstance(note, str):
        raise _fail(path, 1, "session 'note' must be a string")
    return Session(name=name, system=system, provenance=provenance, versions=dict(versions),
                   when=when, source=source, note=note, path=path)


def dumps_session(session: Session) -> str:
    """Serialise a session's own fields (not its captures) as ``session.yml`` text."""
    data: dict[str, object] = {
        "system": session.system,
        "versions": dict(session.versions),
        "when": session.when,
        "provenance": session.provenance,
    }
    if session.source is not None:
        data["source"] = session.source
    if session.note:
        data["note"] = session.note
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def save_session(session: Session, folder: Path) -> None:
    """Write ``folder/session.yml`` atomically (captures are saved one by one)."""
    _atomic_write(Path(folder) / SESSION_FILE, dumps_session(session))


def check_session_name(name: str) -> None:
    """Raise ``ExecDocsError`` unless ``name`` is a plain folder name (no ``/``, ``..`` or
    leading dot): a session name becomes a folder under ``captures/``."""
    if not _SESSION_NAME.fullmatch(name) or ".." in name:
        raise ExecDocsError(Problem(
            "captures", None, f"session name {name!r} is not a plain name",
            hint="use letters, digits, '-', '_' and '.', not starting with a dot "
            "(e.g. k3s-lab)"))

