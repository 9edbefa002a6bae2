"""The render-time secret guard's verdicts kept across builds: which exact texts it found clean.

A rebuild of an unchanged site would otherwise scan every page's content and final HTML again
(most of what execdocs adds to a warm build of a large site). The guard's verdict on a text is
a pure function of that text and of the code judging it (``secrets.matches`` reads no setting),
so a text scanned clean stays clean until one of them changes. Kept are only *clean* verdicts,
each under a digest (SHA-256, which OpenSSL runs ~1.8x faster than BLAKE2b here) of
``check_cache.code_fingerprint`` (execdocs' files, including the rule data, and the judging
libraries), the kind of verdict, the whole text and whatever else the verdict read; a changed
byte anywhere is another digest, and the text is scanned.
A text holding a secret is never remembered: it is found, and reported, every build.

Kept in ``.cache/execdocs/guard/clean.json`` (git-ignored): read once when a build starts,
written at its end (failed builds too) with only the verdicts that build used, atomically.
A file that is unreadable, of the wrong shape, of other code, or whose payload hash does not
match is ignored as a whole. A file changed by anyone else during a build (a diagram script)
is replaced at its end by the build's own verdicts. What the memo cannot stop: a process of
the same user writing the file between builds; such a process can as well write an
``allow-secret`` directive into a page or change execdocs itself. A fresh clone (CI) has no
memo: what it publishes is scanned whole.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from execdocs.atomic import write_atomic
from execdocs.snippets.check_cache import code_fingerprint

PATH = Path(".cache") / "execdocs" / "guard" / "clean.json"
"""Where the memo is kept, under the project folder."""


class CleanMemo:
    """Digests of the texts found clean, each with a small integer the verdict carries (the
    content guard's "opens a wide context"). ``load`` once, ``get``/``put`` per text, ``save``
    once; ``path=None`` keeps the verdicts in memory only."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._seed_hash: hashlib._Hash | None = None
        self._old: dict[str, int] = {}
        self._used: dict[str, int] = {}
        self._stat: tuple[int, int, int] | None = None  # the file as this build read or wrote it
        self.hits = self.misses = 0

    @property
    def _seed(self) -> hashlib._Hash:
        # worked out when first needed: the fingerprint stats execdocs' files
        if self._seed_hash is None:
            self._seed_hash = hashlib.sha256(code_fingerprint().encode())
        return self._seed_hash

    def key(self, kind: str, text: str, *extra: object) -> str:
        """The digest of a verdict of ``kind`` on ``text`` and ``extra`` (reprs)."""
        h = self._seed.copy()
        h.update(f"{kind}\0{extra!r}\0".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:40]  # 160 bits: the file stays small

    def get(self, key: str) -> int | None:
        """The remembered value of a clean verdict, or None when the text is not known clean."""
        value = self._used.get(key)
        if value is None:
            value = self._old.get(key)
            if value is None:
                self.misses += 1
                return None
            self._used[key] = value
        self.hits += 1
        return value

    def put(self, key: str, value: int = 0) -> None:
        """Remember the text of ``key`` as clean."""
        self._used[key] = value

    def load(self) -> None:
        """Read the file (a missing or unusable one is an empty memo)."""
        self._old, self._used, self._stat = {}, {}, None
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as fh:
                self._stat = _stat_of(os.fstat(fh.fileno()))
                data = json.loads(fh.read())
            entries = data["entries"]
            if (data["fingerprint"] == self._seed.hexdigest() and isinstance(entries, dict)
                    and data["sha256"] == _sha(entries)
                    and all(type(v) is int for v in entries.values())):
                self._old = entries
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def save(self) -> None:
        """Write the verdicts this build used, unless the file holds exactly them already and
        nobody changed it since it was read."""
        if self.path is None:
            return
        try:
            now = _stat_of(os.stat(self.path))
        except OSError:
            now = None
        if (self._used == self._old and now is not None and now == self._stat) or (
                not self._used and now is None):  # a build that judged nothing writes nothing
            self._used = {}
            return
        data = {"fingerprint": self._seed.hexdigest(), "sha256": _sha(self._used),
                "entries": self._used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stat = _stat_of(write_atomic(self.path, json.dumps(data)))
        except OSError:
            self._stat = None  # a memo that can't be written only costs the next build time
        self._old, self._used = self._used, {}


def _stat_of(st: os.stat_result) -> tuple[int, int, int]:
    # ctime: no process can set it back, so a file rewritten since is told apart
    return st.st_ino, st.st_ctime_ns, st.st_size


def _sha(entries: dict[str, int]) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()
