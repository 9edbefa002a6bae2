"""One capture file: a recorded command and its output, byte-exact.

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
``json.loads`` (its C scanner) -- fast: 900 captures load in ~20 ms. Each output line is
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
import json.scanner
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from execdocs.atomic import write_atomic
from execdocs.snippets.safe_read import MAX_BYTES, _check_link, _fail, read_regular

FORMAT_LINE = "# execdocs capture v1"

CAPTURE_SUFFIX = ".capture"

NO_NEWLINE = "\\ No newline at end of output"

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


def normalise_command(command: str) -> str:
    """Collapse runs of blanks so re-wrapped spacing does not break the match."""
    return " ".join(command.split())


def capture_filename(command: str) -> str:
    """Conventional file name for a command: a readable slug plus a short hash (no collisions)."""
    slug = re.sub(r"[^a-z0-9]+", "-", command.lower()).strip("-")[:60].rstrip("-") or "command"
    digest = hashlib.sha256(normalise_command(command).encode()).hexdigest()[:6]
    return f"{slug}-{digest}{CAPTURE_SUFFIX}"


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


_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # stub: a class
_WS = " \t\n\r"  # JSON's whitespace


def _json_value(raw: str) -> object:
    """``json.loads(raw)``, with the common case (one value, JSON whitespace around it) read by
    the decoder's C scanner directly (the header lines of 900 captures: 5,400 calls); anything
    else goes to ``json.loads``, for its result or its error."""
    try:
        value, end = _SCAN(raw, len(raw) - len(raw.lstrip(_WS)))
    except (StopIteration, ValueError):
        return json.loads(raw)
    if raw[end:].strip(_WS):
        return json.loads(raw)
    return value


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
                value = _json_value(raw)
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


def load_capture(path: Path, max_bytes: int = MAX_BYTES) -> Capture:
    """Read one ``.capture`` file (a regular file of at most ``max_bytes``)."""
    data = read_regular(path, max_bytes)
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

