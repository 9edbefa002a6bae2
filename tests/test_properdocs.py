"""ProperDocs (the maintained MkDocs 1.x fork) runs the plugin through its own entry point group
and builds this site byte-identical to MkDocs; it fails a strict build on a missing capture just
as MkDocs does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from _snippets_project import add_session, make_project

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
PROPERDOCS = Path(sys.executable).with_name("properdocs")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_the_plugin_declares_properdocs_support() -> None:
    (ep,) = [e for e in entry_points(group="properdocs.plugins") if e.name == "execdocs"]
    assert ep.value == "execdocs.mkdocs.plugin:ExecDocsPlugin"


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): _GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_site_like_mkdocs(tmp_path: Path) -> None:
    built = {}
    for tool, cmd in (("properdocs", [str(PROPERDOCS)]),
                      ("mkdocs", [sys.executable, "-m", "mkdocs"])):
        out = tmp_path / tool
        proc = subprocess.run([*cmd, "build", "--strict", "-d", str(out)], cwd=ROOT,
                              capture_output=True, text=True, env=ENV, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert "snippets: 31 commands on 9 pages checked" in proc.stderr
        built[tool] = _tree(out)
    assert b"ProperDocs" not in b"".join(built["properdocs"].values())  # only in the generator
    assert built["properdocs"].keys() == built["mkdocs"].keys()
    differ = [k for k in built["mkdocs"] if built["mkdocs"][k] != built["properdocs"][k]]
    assert differ == []


@pytest.mark.parametrize("quiet", [[], ["-q"]])
def test_properdocs_strict_fails_on_a_missing_capture(tmp_path: Path, quiet) -> None:
    make_project(tmp_path, {"index.md": "# 노드\n\n```console\n$ kubectl get nodes\n```\n"})
    add_session(tmp_path)
    proc = subprocess.run([str(PROPERDOCS), "build", "--strict", *quiet], cwd=tmp_path,
                          capture_output=True, text=True, env=ENV, timeout=300)
    assert proc.returncode == 1
    assert "Aborted with 1 execdocs problem in strict mode" in proc.stdout + proc.stderr
    if not quiet:
        assert ("docs/index.md:4: snippet 'kubectl get nodes': no capture in session 'lab'"
                in proc.stderr)
