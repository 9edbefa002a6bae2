"""The rendering environment: Graphviz and the Hangul font, checked once at start.

A missing ``dot`` or font is a broken environment (an :class:`ExecDocsError`), not a content
problem: without the font Graphviz measures Korean labels with fallback glyphs and says nothing.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
from dataclasses import dataclass

from execdocs.problems import ExecDocsError

# Bumped whenever the worker or the SVG post-processing changes its output: part of the cache key.
# 7: icons stored once in the cache, content-addressed (entries name them by digest);
# 6: a render whose text holds a secret is refused; 5: fork per job
RENDERER_VERSION = "7"
# Icons are downscaled to this many pixels (from 256) before they are inlined.
ICON_PX = 64
APT_HINT = "sudo apt-get update && sudo apt-get install -y graphviz fonts-nanum fontconfig"


@dataclass(frozen=True)
class RenderEnv:
    """What the output depends on besides the scripts: part of every cache key."""

    dot: str
    graphviz_version: str
    font: str
    font_file: str
    diagrams_version: str
    pillow_version: str

    def fingerprint(self) -> str:
        """A hash of everything in the environment that can change a rendered SVG."""
        parts = (
            RENDERER_VERSION,
            str(ICON_PX),
            self.graphviz_version,
            self.font,
            self.font_file,
            self.diagrams_version,
            self.pillow_version,
        )
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def check_env(font: str) -> RenderEnv:
    """Find ``dot`` and the Hangul font ``font``; raise :class:`ExecDocsError` with the fix."""
    dot = shutil.which("dot")
    if dot is None:
        raise ExecDocsError(
            "diagrams: Couldn't find Graphviz: no 'dot' on PATH\n"
            f"  PATH={os.environ.get('PATH', '')}\n"
            f"  hint: {APT_HINT}"
        )
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise ExecDocsError(
            "diagrams: Couldn't check the Hangul font: no 'fc-list' (fontconfig) on PATH\n"
            f"  hint: {APT_HINT}"
        )
    # the two run side by side: every build that names a diagram waits for both (~14 + 9 ms)
    try:
        version_run = subprocess.Popen([dot, "-V"], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise ExecDocsError(f"diagrams: Couldn't run '{dot} -V': {exc}") from exc
    try:
        font_run = subprocess.Popen([fc_list, f":family={font}:lang=ko", "file"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True)
    except OSError:
        font_run = None
    try:
        out, err = version_run.communicate(timeout=30)
    except subprocess.TimeoutExpired as exc:
        _stop(version_run)
        _stop(font_run)
        raise ExecDocsError(f"diagrams: Couldn't run '{dot} -V': {exc}") from exc
    version = (err or out).strip()
    if version_run.returncode != 0 or "graphviz" not in version.lower():
        _stop(font_run)
        raise ExecDocsError(f"diagrams: '{dot} -V' failed: {version}\n  hint: {APT_HINT}")
    font_file = _font_file(font, font_run)
    return RenderEnv(
        dot=dot,
        graphviz_version=version,
        font=font,
        font_file=font_file,
        diagrams_version=importlib.metadata.version("diagrams"),
        pillow_version=importlib.metadata.version("pillow"),
    )


def _stop(run: subprocess.Popen[str] | None) -> None:
    """Kill a check that is no longer waited for, and reap it (no zombie, no open pipe)."""
    if run is not None:
        run.kill()
        run.communicate()


def _font_file(font: str, run: subprocess.Popen[str] | None) -> str:
    """The file of ``font`` if fontconfig knows it with Korean coverage (``run``: the
    ``fc-list`` asking it), else raise."""
    stdout = ""
    if run is not None:
        try:
            stdout, _ = run.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            _stop(run)
    files = sorted(line.strip().rstrip(":") for line in stdout.splitlines() if line.strip())
    if not files:
        raise ExecDocsError(
            f"diagrams: Couldn't find the Hangul font '{font}' (fc-list knows no such family "
            "with Korean coverage); Graphviz would measure Korean labels with fallback glyphs\n"
            f"  hint: {APT_HINT}   (then 'fc-list :lang=ko family' lists usable fonts)"
        )
    # The regular face sorts first among NanumGothic.ttf / NanumGothicBold.ttf ...
    regular = [f for f in files if "bold" not in os.path.basename(f).lower()]
    return (regular or files)[0]
