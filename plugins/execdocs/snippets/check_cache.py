"""A content-keyed cache of whole ``execdocs check`` runs, so a re-run on unchanged inputs is
instant (``.cache/execdocs/snippets/`` under the project; git-ignored).

What a run reports depends only on: the bytes of mkdocs.yml (``load_project`` reads that file
alone, ``!ENV`` and other tags as plain text), the bytes of every page checked, every entry
under the captures folder (files by their bytes, symbolic links by their target: the loader
never follows one), the working folder and ``$HOME`` (how paths are shown and ``~`` expanded),
the command line, the code that judges (execdocs' own files, the libraries the scanner
and the config reader use, the Python running them), and the files ``--8<--`` includes pasted
in. The key is a hash of all of these. Which files an include reads is known only once the
pages are expanded (``snippets/includes.py``), so a stored run keeps every path pymdownx.snippets
looked at (found or not: a file created in an earlier base path would win) and what was there;
a lookup looks at them again.

So the cache can never give a wrong answer by being stale: any change to any input is a
different key, and the run is done again. The inputs are hashed before and after a full run;
when they moved meanwhile, nothing is stored. An entry that is unreadable, of the wrong shape or
whose payload hash does not match is ignored (the run is done again and the entry replaced);
a cache that can't be written is not an error. Only a complete check (exit 0 or 1) is stored.

Pages are found by a walk that sees at least what ``Project.pages`` sees (every ``*.md`` under
the docs folder, symbolic links to folders followed, loops cut): a page the check reads is
always in the key. The code fingerprint uses each file's size and modification time (not its
bytes: reading every module would cost the time this cache saves); an edit that keeps both,
within one clock tick, is the one change it can miss.

This module imports only the standard library: it runs before anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from execdocs.atomic import write_atomic

CACHE_DIR = Path(".cache") / "execdocs" / "snippets"
"""Where entries live, relative to the project root (mkdocs.yml's folder)."""

_FORMAT = 2  # 2: --8<-- include probes in the entry
# Libraries whose behaviour the verdict depends on (scanner, config reader, secret rules).
_LIBRARIES = ("markdown", "markdown_it", "mdit_py_plugins", "pymdownx", "mkdocs", "pathspec",
              "yaml", "ahocorasick_rs")  # the last: the secret guard's verdicts (secret_memo)


@dataclass
class Replay:
    """A stored run: what it printed and its exit status."""

    status: int
    stdout: str
    stderr: str


def _stat_tree(h: hashlib._Hash, top: Path) -> None:
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # bytecode is written lazily
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            h.update(f"{folder}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def code_fingerprint() -> str:
    """execdocs' files, the judging libraries' locations and versions, the Python."""
    h = hashlib.sha256(f"{_FORMAT}\0{sys.version}\0{sys.executable}\n".encode())
    _stat_tree(h, Path(__file__).resolve().parent.parent)
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            h.update(f"{name}: none\n".encode())
            continue
        st = os.stat(origin)
        folder = os.stat(os.path.dirname(origin))  # a file added or removed: a new mtime
        h.update(f"{name}: {origin}\0{st.st_size}\0{st.st_mtime_ns}\0{folder.st_mtime_ns}\n"
                 .encode())
    return h.hexdigest()


def _file_digest(path: str) -> bytes:
    # os.open/os.read: half the system calls of open() (no fstat, no isatty), 3,300 files a run
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:  # the check reports (or trips over) it the same way each time
        return f"unreadable: {exc.errno}".encode()
    h = hashlib.blake2b(digest_size=20)
    try:
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
    except OSError as exc:
        return f"unreadable: {exc.errno}".encode()
    finally:
        os.close(fd)
    return h.digest()


CHANGED = "changed while the run read it"
"""A probe's state when two looks during one run disagreed: never equal to a state now."""


def path_state(path: str) -> str:
    """What ``path`` holds now, for the key: absent, a folder, a file's digest, or another
    kind (links followed, as pymdownx.snippets follows them)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "absent"
    except OSError as exc:
        return f"unstatable {exc.errno}"
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if stat.S_ISREG(st.st_mode):
        return "file " + _file_digest(path).hex()
    return f"other {stat.S_IFMT(st.st_mode)}"


def current_states(paths: Iterable[str]) -> dict[str, str]:
    """``path -> path_state(path)`` for every path, now."""
    return {path: path_state(path) for path in paths}


def probes_digest(probes: dict[str, str]) -> str:
    """Hash of probed paths and their states (files an expansion of --8<-- includes read or
    looked for)."""
    h = hashlib.sha256()
    for path in sorted(probes):
        h.update(f"{path}\0{probes[path]}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _pages(h: hashlib._Hash, docs_dir: Path) -> None:
    """Every ``*.md`` under ``docs_dir`` (a superset of what ``rglob('*.md')`` yields)."""
    seen: set[str] = set()
    stack = [str(docs_dir)]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            h.update(f"loop {folder}\n".encode())
            continue
        seen.add(real)
        entries = _listing(h, folder)
        if entries is None:
            continue
        for e in reversed(entries):
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(e.path)
            elif e.name.endswith(".md"):
                h.update(e.path.encode("utf-8", "surrogateescape") + b"\0")
                h.update(_file_digest(e.path))


def _listing(h: hashlib._Hash, folder: str) -> list[os.DirEntry[str]] | None:
    """A folder's entries by name, or None (and the failure in the key) when it can't be read."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        h.update(f"unlistable {folder} {exc.errno}\n".encode())
        return None


def _captures(h: hashlib._Hash, root: Path) -> None:
    """Every entry under the captures folder, links by their target (never followed)."""
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        entries = _listing(h, folder)
        if entries is None:
            continue
        for e in reversed(entries):
            name = e.path.encode("utf-8", "surrogateescape")
            try:  # the entry's type from the directory listing: no stat call per file
                if e.is_symlink():
                    h.update(name + b"\0link\0" + os.readlink(e.path).encode(
                        "utf-8", "surrogateescape"))
                elif e.is_dir(follow_symlinks=False):
                    h.update(name + b"\0dir\n")
                    stack.append(e.path)
                elif e.is_file(follow_symlinks=False):
                    h.update(name + b"\0file\0")
                    h.update(_file_digest(e.path))
                else:
                    mode = e.stat(follow_symlinks=False).st_mode
                    h.update(name + f"\0other {stat.S_IFMT(mode)}\n".encode())
            except OSError:
                h.update(name + b"\0gone\n")


def inputs_digest(config_file: Path, docs_dir: Path, captures_dir: Path,
                  pages: list[Path] | None) -> str:
    """Hash of every input a check of ``pages`` (None: the whole site) reads."""
    h = hashlib.sha256()
    h.update(_file_digest(str(config_file)))
    h.update(f"\0docs {docs_dir}\0captures {captures_dir}\n".encode("utf-8", "surrogateescape"))
    if pages is None:
        _pages(h, docs_dir)
    else:
        for page in pages:
            h.update(str(page).encode("utf-8", "surrogateescape") + b"\0")
            h.update(_file_digest(str(page)))
    h.update(b"\0captures\n")
    _captures(h, captures_dir)
    return h.hexdigest()


class CheckCache:
    """Stored runs of one command line in one project (see the module docstring)."""

    def __init__(self, config_file: Path, pages: list[Path] | None, argv: list[str]):
        self.config_file = Path(config_file).resolve()
        self.pages = pages
        context = json.dumps([code_fingerprint(), str(self.config_file), os.getcwd(),
                              os.environ.get("HOME", ""), argv])
        name = hashlib.sha256(context.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        self.path = self.config_file.parent / CACHE_DIR / f"check-{name}.json"

    def digest(self, docs_dir: Path, captures_dir: Path) -> str:
        """The inputs' hash as they are now."""
        return inputs_digest(self.config_file, docs_dir, captures_dir, self.pages)

    def lookup(self) -> Replay | None:
        """The stored run, if every input is what it was then; else None."""
        try:
            with open(self.path, encoding="utf-8") as fh:
                entry = json.load(fh)
            body = entry["body"]
            if (entry["sha256"] != _sha(body) or not isinstance(body, dict)
                    or body["format"] != _FORMAT):
                return None
            docs_dir, captures_dir = Path(body["docs_dir"]), Path(body["captures_dir"])
            if self.digest(docs_dir, captures_dir) != body["inputs"]:
                return None
            probes = body["probes"]
            if not isinstance(probes, list) or (
                    probes_digest(current_states(map(str, probes))) != body["probes_digest"]):
                return None  # an included file changed, appeared or went
            replay = Replay(int(body["status"]), str(body["stdout"]), str(body["stderr"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupt: the check runs
        return replay if replay.status in (0, 1) else None

    def store(self, docs_dir: Path, captures_dir: Path, before: str, replay: Replay,
              probes: dict[str, str] | None = None) -> None:
        """Keep ``replay`` for inputs hashed ``before`` the run, if they did not move since;
        ``probes``: the paths the run's include expansion looked at, with what it saw."""
        probes = probes or {}
        if replay.status not in (0, 1) or self.digest(docs_dir, captures_dir) != before:
            return
        if current_states(probes) != probes:  # an included file moved during the run
            return
        body = {"format": _FORMAT, "docs_dir": str(docs_dir), "captures_dir": str(captures_dir),
                "inputs": before, "probes": sorted(probes), "probes_digest": probes_digest(probes),
                "status": replay.status, "stdout": replay.stdout, "stderr": replay.stderr}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps({"sha256": _sha(body), "body": body},
                                               ensure_ascii=False))
        except OSError:
            pass  # a cache that can't be written only costs the next run its speed


def _sha(body: object) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8", "surrogateescape")).hexdigest()
