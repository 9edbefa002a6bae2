"""Shared fixtures. The site is built once per test session (a real ``mkdocs build --strict``)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuiltSite:
    """A site built from the repository's mkdocs.yml into a temporary folder."""

    path: Path
    log: str
    """Everything ``mkdocs build`` printed (stdout and stderr)."""


def build_site(site_dir: Path, *, korean_search: bool = True) -> BuiltSite:
    """Run a real ``mkdocs build --strict`` of this repository into ``site_dir``.

    With ``korean_search=False`` the build is the same except that execdocs leaves Material's
    search index as Material wrote it (the baseline for the search measurement).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if korean_search:
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    else:
        script = (
            "import sys\n"
            "from mkdocs.commands.build import build\n"
            "from mkdocs.config import load_config\n"
            "cfg = load_config('mkdocs.yml', site_dir=sys.argv[1], strict=True)\n"
            "cfg.plugins['execdocs'].config.site.korean_search = False\n"
            "cfg.plugins.on_startup(command='build', dirty=False)\n"
            "try:\n    build(cfg)\nfinally:\n    cfg.plugins.on_shutdown()\n"
        )
        cmd = [sys.executable, "-c", script, str(site_dir)]
    proc = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build failed (exit {proc.returncode}):\n{log}", pytrace=False)
    return BuiltSite(site_dir, log)


CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a downloaded browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test.

    Shared because Playwright's sync API allows one running instance per thread: a second
    ``sync_playwright()`` opened by another module while this one lives fails.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site as published: ``mkdocs build --strict`` of the repository, built once."""
    return build_site(tmp_path_factory.mktemp("site") / "site")
