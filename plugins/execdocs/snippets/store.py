"""Capture store: ``captures/<session>/`` folders of command outputs, loaded and saved byte-exact.

Layout::

    captures/
      <session>/
        session.yml                 one per session (YAML, written by hand or by the capture tool)
        <slug>-<hash6>.capture      one per command (format below; the name is only a convention,
                                    captures are matched by their ``command`` field)

``session.yml`` (YAML mapping)::

    system: "k3s v1.31 single node on Debian 12"    # what the commands ran on (required)
    versions: {kubectl: "v1.31.2", containerd: "1.7.22"}   # tool -> version (may be empty)
    when: "2026-11-26"        # capture date, or null when unknown (never invented)
    provenance: captured      # captured | reference | illustrative
    source: "https://..."     # required for reference: where the outputs were copied from
    note: "free text shown on the page"                     # optional

Capture file format (UTF-8 text, LF line ends, version 1)::

    # execdocs capture v1
    command: "kubectl describe pod <pod명>"           # as documented on the page
    run: "kubectl describe pod nginx-7c5ddbdf54-2xkqz"  # as actually run (placeholders filled)
    exit: 0                                             # exit status
    captured: "2026-11-26T15:30:12Z"                   # capture time, null if not captured
    normalise: ["age", "ip"]                            # normalisation rules for drift checks
    redactions: {"token": 1}                            # counts of redacted secrets, no values
    source: "https://..."                               # optional per-capture source URL
    --- stdout
    |NAME    READY   STATUS
    !line with a CR at the end\\x0d
    \\ No newline at end of output
    --- stderr

Header lines are ``key: <JSON value>`` (so the header is also valid YAML), read with
``json.loads`` -- fast: thousands of captures load in tens of milliseconds. Each output line is
one file line:

* ``|text`` -- the line's bytes verbatim (valid UTF-8, no control character except TAB, no
  trailing blank);
* ``!text`` -- an escaped line: ``\\\\`` is a backslash and ``\\xHH`` a byte; used for CR,
  ANSI escapes, other control characters, bytes that are not UTF-8, and a trailing space or tab
  (the last blank is written ``\\x20``/``\\x09`` so an editor that strips trailing whitespace
  cannot change a capture);
* ``\\ No newline at end of output`` after the last line when the output does not end in LF
  (as in ``diff``).

An empty output has no lines. So stdout/stderr survive a save/load round trip byte for byte, and
a changed output shows in ``git diff`` as the changed lines only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

from execdocs import secrets
from execdocs.atomic import write_atomic
from execdocs.problems import ExecDocsError, Problem

# libyaml's loader is ~15x faster; only session files are YAML, but keep it fast anyway
_YamlLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader)

FORMAT_LINE = "# execdocs capture v1"
CAPTURE_SUFFIX = ".capture"
SESSION_FILE = "session.yml"
PROVENANCE_KINDS = ("captured", "reference", "illustrative")
NO_NEWLINE = "\\ No newline at end of output"
MAX_BYTES = 1_000_000
"""Default size limit of one capture or session file (``snippets: max_capture_bytes``)."""
FILE_MODE = 0o644
"""Mode of written files: a web server or CI running as another user must read them."""
_SESSION_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")

# Header keys in file order, with the JSON type each value must have.
_HEADER_TYPES: dict[str, tuple[type, ...]] = {
    "command": (str,),
    "run": (str,),
    "exit": (int,),
    "captured": (str, type(None)),
    "normalise": (list,),
    "redactions": (dict,),
    "source": (str, type(None)),
}
_REQUIRED = ("command", "run", "exit")
_ESCAPE_RE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


class StoreError(ExecDocsError):
    """A capture or session file that cannot be read; carries a ``Problem`` with file:line."""


@dataclass
class Capture:
    """One recorded command: its output exactly as produced, and how it was obtained."""

    command: str
    """The command as documented on the page (placeholders such as ``<pod명>`` kept)."""
    run: str
    """The command as actually run (placeholders filled)."""
    exit: int = 0
    stdout: bytes = b""
    stderr: bytes = b""
    captured: str | None = None
    """ISO 8601 capture time; None when not captured from a live system."""
    normalise: list[str] = field(default_factory=list)
    """Normalisation rule names the capture tool applies before comparing (``age``, ``ip``...)."""
    redactions: dict[str, int] = field(default_factory=dict)
    """Secrets redacted at capture time, counted by kind (never the values)."""
    source: str | None = None
    """URL the output was copied from (reference captures), overriding the session's."""
    path: Path | None = None
    """File it was loaded from (None for a capture built in memory)."""
    line: int = 1
    """Line of the ``command:`` header in ``path`` (for messages)."""

    @property
    def stdout_text(self) -> str:
        """stdout decoded as UTF-8, undecodable bytes replaced."""
        return self.stdout.decode("utf-8", "replace")

    @property
    def stderr_text(self) -> str:
        """stderr decoded as UTF-8, undecodable bytes replaced."""
        return self.stderr.decode("utf-8", "replace")


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


@dataclass
class Store:
    """Every session under a captures root, plus the problems met while loading it."""

    root: Path
    sessions: dict[str, Session] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def normalise_command(command: str) -> str:
    """Collapse runs of blanks so re-wrapped spacing does not break the match."""
    return " ".join(command.split())


def display_path(path: Path | str) -> str:
    """``path`` relative to the working directory when it lies below it (for messages)."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix()


def capture_filename(command: str) -> str:
    """Conventional file name for a command: a readable slug plus a short hash (no collisions)."""
    slug = re.sub(r"[^a-z0-9]+", "-", command.lower()).strip("-")[:60].rstrip("-") or "command"
    digest = hashlib.sha256(normalise_command(command).encode()).hexdigest()[:6]
    return f"{slug}-{digest}{CAPTURE_SUFFIX}"


# ---------------------------------------------------------------- output lines


def _needs_escape(ch: str) -> bool:
    if ch == "\t":
        return False
    if ch == "\\":
        return True
    cat = unicodedata.category(ch)
    # Cc: C0/C1 controls (CR, ESC...); Cs: undecodable bytes under surrogateescape;
    # Zl/Zp: line/paragraph separators that editors and str.splitlines treat as line breaks.
    return cat in ("Cc", "Cs", "Zl", "Zp")


def _escape_char(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape'd byte that was not valid UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return "".join(f"\\x{b:02x}" for b in ch.encode("utf-8"))


def _encode_line(raw: bytes) -> str:
    text = raw.decode("utf-8", "surrogateescape")
    plain = not any(_needs_escape(ch) for ch in text) and not text.endswith((" ", "\t"))
    if plain:
        return "|" + text
    body = "".join(_escape_char(ch) if _needs_escape(ch) else ch for ch in text)
    if body.endswith((" ", "\t")):  # keep the line's end visible and editor-proof
        body = body[:-1] + f"\\x{ord(body[-1]):02x}"
    return "!" + body


def _decode_escaped(body: str) -> bytes:
    out = bytearray()
    pos = 0
    for m in _ESCAPE_RE.finditer(body):
        out += body[pos : m.start()].encode("utf-8")
        esc = m.group(1)
        out += b"\\" if esc == "\\" else bytes([int(esc[1:], 16)])
        pos = m.end()
    rest = body[pos:]
    if "\\" in rest:
        raise ValueError("a backslash must be written \\\\ or start \\xHH in an escaped line")
    out += rest.encode("utf-8")
    return bytes(out)


def encode_output(data: bytes) -> list[str]:
    """File lines (without LF) representing ``data`` exactly."""
    if not data:
        return []
    parts = data.split(b"\n")
    final_newline = parts[-1] == b""
    if final_newline:
        parts.pop()
    lines = [_encode_line(p) for p in parts]
    if not final_newline:
        lines.append(NO_NEWLINE)
    return lines


# ---------------------------------------------------------------- capture files


def dumps_capture(capture: Capture) -> str:
    """Serialise a capture to the text of a ``.capture`` file."""
    header = {
        "command": capture.command,
        "run": capture.run,
        "exit": capture.exit,
        "captured": capture.captured,
        "normalise": list(capture.normalise),
        "redactions": dict(capture.redactions),
    }
    if capture.source is not None:
        header["source"] = capture.source
    lines = [FORMAT_LINE]
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in header.items()]
    lines.append("--- stdout")
    lines += encode_output(capture.stdout)
    lines.append("--- stderr")
    lines += encode_output(capture.stderr)
    return "\n".join(lines) + "\n"


def _fail(path: Path | str, line: int | None, message: str, hint: str = "") -> StoreError:
    return StoreError(Problem(display_path(path), line, message, hint=hint))


def loads_capture(text: str, path: Path | str = "<capture>") -> Capture:
    """Parse the text of a ``.capture`` file; raise ``StoreError`` with file:line if malformed."""
    lines = text.split("\n")
    if lines[-1] != "":
        raise _fail(path, len(lines), "capture file does not end with a newline")
    if text.endswith("\r\n"):
        raise _fail(path, 1, "capture file has CRLF line ends (converted by an editor or git?)",
                    "a CR inside an output is written \\x0d; .gitattributes keeps captures LF")
    lines.pop()
    header: dict[str, object] = {}
    header_line: dict[str, int] = {}
    sections: dict[str, bytearray] = {}
    section_line: dict[str, int] = {}
    current: str | None = None
    pending_newline = False  # the current section's last line still owes its LF
    no_newline_seen = False
    for lineno, line in enumerate(lines, start=1):
        if current is None and (line.startswith("#") or not line.strip()):
            continue
        if line in ("--- stdout", "--- stderr"):
            name = line[4:]
            expected = "stdout" if not sections else "stderr"
            if name != expected or name in sections:
                raise _fail(path, lineno, f"unexpected section '{line}'",
                            "a capture has '--- stdout' then '--- stderr', once each")
            if current is not None and pending_newline:
                sections[current] += b"\n"
            current, pending_newline, no_newline_seen = name, False, False
            sections[name] = bytearray()
            section_line[name] = lineno
            continue
        if current is None:
            key, sep, raw = line.partition(":")
            key = key.strip()
            if not sep or key not in _HEADER_TYPES:
                # the line itself is not quoted: a file that is no capture (a token file
                # linked in by mistake) must not reach the build log
                raise _fail(path, lineno, "not a header line (key: JSON value) and no "
                            "'--- stdout' before it",
                            "header keys: " + ", ".join(_HEADER_TYPES))
            if key in header:
                raise _fail(path, lineno, f"header '{key}' given twice")
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise _fail(path, lineno, f"header '{key}': value is not valid JSON ({exc.msg})",
                            'quote strings with double quotes: command: "kubectl get nodes"'
                            ) from None
            types = _HEADER_TYPES[key]
            if not isinstance(value, types) or (key == "exit" and isinstance(value, bool)):
                want = " or ".join("null" if t is type(None) else t.__name__ for t in types)
                raise _fail(path, lineno,
                            f"header '{key}' must be {want}, got {type(value).__name__}")
            header[key] = value
            header_line[key] = lineno
            continue
        # output line of the current section
        if no_newline_seen:
            raise _fail(path, lineno, f"line after '{NO_NEWLINE}' in {current}")
        buf = sections[current]
        if line == NO_NEWLINE:
            if not pending_newline:
                raise _fail(path, lineno, f"'{NO_NEWLINE}' with no output line before it")
            pending_newline, no_newline_seen = False, True
            continue
        if pending_newline:
            buf += b"\n"
        if line.startswith("|"):
            buf += line[1:].encode("utf-8")
        elif line.startswith("!"):
            try:
                buf += _decode_escaped(line[1:])
            except ValueError as exc:
                raise _fail(path, lineno, f"bad escaped output line: {exc}") from None
        else:
            raise _fail(path, lineno, "output line must start with '|' or '!'",
                        "'|' keeps the text verbatim, '!' allows \\xHH escapes")
        pending_newline = True
    if current is not None and pending_newline:
        sections[current] += b"\n"
    missing = [k for k in _REQUIRED if k not in header]
    if missing:
        raise _fail(path, 1, "capture is missing " + ", ".join(f"'{k}'" for k in missing))
    for name in ("stdout", "stderr"):
        if name not in sections:
            raise _fail(path, len(lines) or 1, f"capture has no '--- {name}' section")
    normalise = header.get("normalise", [])
    redactions = header.get("redactions", {})
    assert isinstance(normalise, list) and isinstance(redactions, dict)  # checked above
    for item in normalise:
        if not isinstance(item, str):
            raise _fail(path, header_line["normalise"], "'normalise' must be a list of strings")
    for kind, count in redactions.items():
        if not isinstance(count, int) or isinstance(count, bool):
            raise _fail(path, header_line["redactions"],
                        f"'redactions' counts must be integers ({kind!r})")
    return Capture(
        command=header["command"],  # type: ignore[arg-type]
        run=header["run"],  # type: ignore[arg-type]
        exit=header["exit"],  # type: ignore[arg-type]
        stdout=bytes(sections["stdout"]),
        stderr=bytes(sections["stderr"]),
        captured=header.get("captured"),  # type: ignore[arg-type]
        normalise=list(header.get("normalise", [])),  # type: ignore[call-overload]
        redactions=dict(header.get("redactions", {})),  # type: ignore[call-overload]
        source=header.get("source"),  # type: ignore[arg-type]
        path=Path(path) if not isinstance(path, Path) else path,
        line=header_line["command"],
    )


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
        data = fh.read(max_bytes + 1)
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


def load_capture(path: Path, max_bytes: int = MAX_BYTES) -> Capture:
    """Read one ``.capture`` file (a regular file of at most ``max_bytes``)."""
    data = read_regular(Path(path), max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(path, line, "capture file is not valid UTF-8",
                    "bytes that are not UTF-8 are written as \\xHH on a '!' line") from None
    capture = loads_capture(text, path)
    _check_link(path, capture.line, capture.source, "capture")
    return capture


def _atomic_write(path: Path, text: str) -> None:
    # the one atomic-write helper (temp file + os.replace, mode 0666 minus the umask)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


def save_capture(capture: Capture, path: Path) -> None:
    """Write a capture atomically (temp file + ``os.replace``)."""
    _atomic_write(Path(path), dumps_capture(capture))


# ---------------------------------------------------------------- sessions


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
    for path in sorted(folder.iterdir()):
        if path.suffix != CAPTURE_SUFFIX or path.name.startswith("."):
            continue
        try:
            session.captures.append(load_capture(path, max_bytes))
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
