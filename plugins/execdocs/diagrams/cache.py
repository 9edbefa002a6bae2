"""Content-addressed cache of rendered diagrams under ``.cache/execdocs/diagrams/``.

Key = hash(environment fingerprint, script bytes, bytes of every helper module the script
imported). The helpers are only known after a render, so a small *deps* record, addressed by
the script's own hash, lists them; the entry itself is addressed by the full key. A hit needs
an entry whose key covers the current bytes of every listed helper, so a hit never runs code.

Entries are written atomically (unique temp file + ``os.replace``): two builds sharing one cache
at worst both write identical bytes. Each entry stores the hash of its payload; a truncated or
edited entry fails the check, and an entry of the wrong shape or with SVG the allowlist refuses
fails the renderer's ``validate``: both count as corrupt (rendered and written again).

Icons are stored once, content-addressed: an entry names each of its icons by the sha256 of
its data URI (``icons/<sha256>.txt`` holds the URI), so fifty diagrams drawn from the same
eight icons keep eight icon files, not fifty copies of each (most of an entry's bytes were its
icons, read, hashed and checked again on every warm build). An icon file is read and its hash
checked once per build; a missing, untrusted or damaged one makes every entry that names it
unusable (rendered again, and the render writes the icon again), never a page without it.

A cache that can't be written (read-only, or its folder can't be made) is not an error: the
build renders without caching and :attr:`DiagramCache.write_error` says why (warned once).

Nobody but the build may put an entry in: diagram scripts run while the build does, as the
same user, and a script can write files (``diagram_src/README.md``, threat model). So a file
under the cache is used only if it was there, unchanged, when the build began (same inode,
change time and size; a change time cannot be set back by a process), or this build wrote
it; at the end of the build every file changed by anyone else is removed, so the next build
renders that diagram again instead of trusting it (:meth:`DiagramCache.begin`,
:meth:`DiagramCache.end`). Another build sharing the cache at the same moment costs a re-render,
never a wrong picture.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from execdocs.atomic import write_atomic

_Sig = tuple[int, int, int]  # (inode, change time in ns, size) of one cache file
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FOREIGN = "\0foreign"  # _icon(): the file was changed during this build by someone else


class DiagramCache:
    """Look up and store rendered diagrams for one diagram source folder."""

    def __init__(self, root: Path, src_dir: Path, env_fingerprint: str):
        self.root = root
        self.src_dir = src_dir
        self.env = env_fingerprint
        self.corrupt: list[str] = []  # names whose entry was unreadable this build
        self._memo: dict[str, dict[str, Any]] = {}  # key -> payload, kept across serve rebuilds
        self._refs: dict[str, list[list[Any]]] | None = None  # page digest -> references
        self._refs_seen: set[str] = set()
        self._refs_dirty = False
        self.write_error = ""  # why the cache can't be written ("" while it can)
        self._known: dict[str, _Sig] = {}  # files as the build began, plus its own writes
        self._icons: dict[str, str | None] = {}  # icon digest -> data URI (None: unusable)
        # data URI -> its sha256, kept across builds: a site's renders carry the same few icons
        self._uri_digests: dict[str, str] = {}
        self.begin()

    # ------------------------------------------------------------------ who wrote what
    def begin(self) -> None:
        """Note every cache file as it is now: the only ones this build will trust."""
        self._known = self._listing()
        self._icons = {}  # each icon file is read and checked again, once, per build

    def end(self) -> list[str]:
        """Remove the files someone other than this build changed since :meth:`begin`
        (a diagram script, or another build); returns their paths relative to the cache."""
        now = self._listing()
        foreign = sorted(rel for rel, sig in now.items() if self._known.get(rel) != sig)
        for rel in foreign:
            del now[rel]
            # a read-only cache cannot be cleaned, but nothing else could write there either
            with contextlib.suppress(OSError):
                (self.root / rel).unlink()
            self._memo.pop(rel.removeprefix("entries/").removesuffix(".json"), None)
            self._icons.pop(rel.removeprefix("icons/").removesuffix(".txt"), None)
        if "refs.json" in foreign:
            self._refs = None
        self._known = now
        return foreign

    def _listing(self) -> dict[str, _Sig]:
        found: dict[str, _Sig] = {}
        sig = self._sig("refs.json")
        if sig is not None:
            found["refs.json"] = sig
        for sub in ("entries", "deps", "icons"):
            try:
                with os.scandir(self.root / sub) as it:
                    names = [e.name for e in it if not e.name.startswith(".")]
            except OSError:
                continue
            for name in names:
                sig = self._sig(f"{sub}/{name}")
                if sig is not None:
                    found[f"{sub}/{name}"] = sig
        return found

    def _sig(self, rel: str) -> _Sig | None:
        try:
            st = os.lstat(self.root / rel)
        except OSError:
            return None
        return (st.st_ino, st.st_ctime_ns, st.st_size)

    def _trusted(self, path: Path) -> bool:
        rel = path.relative_to(self.root).as_posix()
        sig = self._sig(rel)
        return sig is not None and self._known.get(rel) == sig

    def file_digest(self, rel: str) -> str | None:
        """sha256 of a file in the source folder, or None when it can't be read."""
        return self._file_digest(rel)

    def _file_digest(self, rel: str) -> str | None:
        try:
            return hashlib.sha256((self.src_dir / rel).read_bytes()).hexdigest()
        except OSError:
            return None

    def _script_id(self, script_digest: str) -> str:
        return hashlib.sha256(f"{self.env}\0{script_digest}".encode()).hexdigest()

    def _key(self, script_digest: str, dep_digests: dict[str, str]) -> str:
        text = self._script_id(script_digest) + "".join(
            f"\0{dep}\0{dep_digests[dep]}" for dep in sorted(dep_digests)
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def lookup(
        self, name: str, validate: Callable[..., str] | None = None
    ) -> dict[str, Any] | None:
        """The cached payload for the current bytes of ``name`` and its helpers, or None.

        ``validate(payload, cached=True)`` returns why an entry can't be used ("" if it can).
        """
        script_digest = self._file_digest(f"{name}.py")
        if script_digest is None:
            return None
        deps_path = self.root / "deps" / f"{self._script_id(script_digest)}.json"
        if not self._trusted(deps_path):
            return None  # absent, or changed during this build by someone else: render
        deps_record = self._load(deps_path)
        if deps_record is None or not isinstance(deps_record.get("deps"), list) or \
                not all(isinstance(d, str) for d in deps_record["deps"]):
            return None
        dep_digests = {}
        for dep in deps_record["deps"]:
            digest = self._file_digest(str(dep))
            if digest is None:
                return None  # a helper vanished: the script must run again to say what it needs
            dep_digests[str(dep)] = digest
        key = self._key(script_digest, dep_digests)
        if key in self._memo:
            return self._memo[key]
        path = self.root / "entries" / f"{key}.json"
        if not self._trusted(path):
            return None
        stored = _load_entry(path)
        if stored is None:
            self.corrupt.append(name)
            return None
        payload, damaged = self._with_icons(stored)
        if payload is None and not damaged:
            return None  # an icon file changed during this build by someone else: render
        if payload is None or (validate is not None and validate(payload, cached=True)):
            self.corrupt.append(name)
            return None
        self._memo[key] = payload
        return payload

    def _with_icons(self, stored: dict[str, Any]) -> tuple[dict[str, Any] | None, bool]:
        """(the payload with its icons' data URIs put back from the icon files, damaged).

        (None, False) when an icon file was changed by someone else during this build (like
        an untrusted entry: render again); (None, True) when one is missing or damaged, or the
        entry's icon references have the wrong shape (corrupt: render again).
        """
        refs = stored.get("icons")
        if not isinstance(refs, dict):
            return None, True
        icons: dict[str, Any] = {}
        for icon_id, ref in refs.items():
            if not isinstance(ref, dict) or set(ref) != {"w", "h", "sha256"} or \
                    not isinstance(ref["sha256"], str) or not _HEX64.fullmatch(ref["sha256"]):
                return None, True
            uri = self._icon(ref["sha256"])
            if uri is None or uri is _FOREIGN:
                return None, uri is None
            icons[icon_id] = {"w": ref["w"], "h": ref["h"], "uri": uri}
        return {**stored, "icons": icons}, False

    def _icon(self, digest: str) -> str | None:
        """The data URI stored under ``digest``, read and checked once per build: None when
        the file is missing or its bytes do not hash to its name, ``_FOREIGN`` when someone
        else changed it during this build."""
        if digest in self._icons:
            return self._icons[digest]
        rel = f"icons/{digest}.txt"
        uri: str | None = None
        sig = self._sig(rel)
        if sig is not None and self._known.get(rel) != sig:
            uri = _FOREIGN
        elif sig is not None:
            try:
                raw = (self.root / rel).read_bytes()
            except OSError:
                raw = b""
            if hashlib.sha256(raw).hexdigest() == digest and raw.isascii():
                uri = raw.decode("ascii")
        self._icons[digest] = uri
        return uri

    def store(self, payload: dict[str, Any]) -> None:
        """Store a successful render; errors are never stored.

        The key comes from the digests the worker took of the bytes it actually ran
        (``payload["inputs"]``: script first, then helpers), not from the files now on disk.
        """
        inputs: dict[str, str] = payload["inputs"]
        script_digest = inputs[payload["script"]]
        deps = {rel: digest for rel, digest in inputs.items() if rel != payload["script"]}
        key = self._key(script_digest, deps)
        self._memo[key] = payload
        refs = {}
        for icon_id, icon in payload["icons"].items():
            uri = icon["uri"].encode("ascii")
            digest = self._uri_digests.get(icon["uri"])
            if digest is None:
                digest = hashlib.sha256(uri).hexdigest()
                if len(self._uri_digests) < 4096:
                    self._uri_digests[icon["uri"]] = digest
            refs[icon_id] = {"w": icon["w"], "h": icon["h"], "sha256": digest}
            # written unless this build already read it whole or wrote it
            if self._icons.get(digest) != icon["uri"] and \
                    self._write(self.root / "icons" / f"{digest}.txt", uri):
                self._icons[digest] = icon["uri"]
        self._write(self.root / "entries" / f"{key}.json",
                    _entry_text({**payload, "icons": refs}).encode())
        self._write(self.root / "deps" / f"{self._script_id(script_digest)}.json",
                    {"deps": sorted(deps)})

    def _write(self, path: Path, data: dict[str, Any] | bytes) -> bool:
        """Write one record (JSON) or icon (bytes); True when this build's file is in place.
        A cache that can't be written is remembered, not raised."""
        if self.write_error:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = data if isinstance(data, bytes) else \
                json.dumps(data, ensure_ascii=False, sort_keys=True)
            written = write_atomic(path, text)
            rel = path.relative_to(self.root).as_posix()
            sig = self._sig(rel)
            if sig is not None and sig[0] == written.st_ino:  # still the file this build wrote
                self._known[rel] = sig
                return True
        except OSError as exc:
            self.write_error = f"Couldn't write the diagram cache '{path.parent}': " \
                f"{exc.strerror or exc}"
        return False

    def page_refs(self, digest: str) -> Any:
        """What was found earlier in a page source with this sha256 (shape: the caller's,
        checked there), or None."""
        if self._refs is None:
            index = self.root / "refs.json"
            data = (self._load(index) if self._trusted(index) else None) or {}
            pages = data.get("pages")
            self._refs = pages if data.get("env") == self.env and isinstance(pages, dict) else {}
        self._refs_seen.add(digest)
        return self._refs.get(digest)

    def store_page_refs(self, digest: str, refs: Any) -> None:
        """Remember a page's references (written by :meth:`flush_page_refs`)."""
        if self._refs is None:
            self.page_refs(digest)
        assert self._refs is not None
        self._refs[digest] = refs
        self._refs_seen.add(digest)
        self._refs_dirty = True

    def flush_page_refs(self) -> None:
        """Write the page index once per build, keeping only pages seen in this build."""
        if self._refs is None:
            return
        if self._refs_dirty or set(self._refs) != self._refs_seen:
            self._refs = {d: r for d, r in self._refs.items() if d in self._refs_seen}
            self._write(self.root / "refs.json", {"env": self.env, "pages": self._refs})
        self._refs_dirty = False
        self._refs_seen = set()

    @staticmethod
    def _load(path: Path) -> dict[str, Any] | None:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None


# An entry file is ``json.dumps({"payload": P, "sha256": D}, sort_keys=True,
# ensure_ascii=False)`` with D the sha256 of P's own serialisation: the serialisation of P
# stands verbatim between these two pieces, so it is written once and checked as it is read.
_ENTRY_HEAD = '{"payload": '
_ENTRY_TAIL = re.compile(r', "sha256": "([0-9a-f]{64})"\}')


def _entry_text(stored: dict[str, Any]) -> str:
    """The bytes of an entry file for ``stored`` (the same as dumping the record whole)."""
    text = json.dumps(stored, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f'{_ENTRY_HEAD}{text}, "sha256": "{digest}"}}'


def _load_entry(path: Path) -> dict[str, Any] | None:
    """The payload of an entry file, or None when it can't be read or is not, byte for byte,
    what :func:`_entry_text` writes for a payload whose serialisation hashes to its digest.

    Why the bytes and not the parsed record: hashing the payload's text as stored spares
    serialising every entry again on every warm build. What it detects is what the old
    check (parse, serialise again, hash) detected -- a truncated, damaged or edited entry --
    and a record with anything around the payload is refused too. The digest is a
    checksum, not a signature, in both: who may write the cache is decided by the file
    signatures (:meth:`begin`), and every payload is validated (shape, SVG allowlist).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    tail = _ENTRY_TAIL.search(text, max(0, len(text) - 80))
    if not text.startswith(_ENTRY_HEAD) or tail is None or tail.end() != len(text):
        return None
    body = text[len(_ENTRY_HEAD):tail.start()]
    if hashlib.sha256(body.encode()).hexdigest() != tail.group(1):
        return None
    try:
        stored = json.loads(body)
    except ValueError:
        return None
    return stored if isinstance(stored, dict) else None
