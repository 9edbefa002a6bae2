"""A config file that ``INHERIT``s another (MkDocs merges the parent under the file's own
values: Material's own docs and many sites keep a base config so): ``execdocs check``, the
MkDocs build and the Zensical engine read the same chain. The plugin's options and
``pymdownx.snippets`` may be in the parent, a secret in either file is a problem at that file's
line, and the merge is MkDocs' own (checked against ``mergedeep``, which MkDocs uses)."""

from __future__ import annotations

import secrets as rnd
import string
import subprocess
import sys
from pathlib import Path

import mergedeep
from _snippets_project import run_check
from execdocs import config_secrets
from execdocs.markdown.engine import Engine
from execdocs.mkdocs import config as schema

MKDOCS = Path(sys.executable).with_name("mkdocs")


def _token() -> str:
    return "ghp_" + "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(36))


def _project(root: Path, token: str) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "base").mkdir()
    (root / "snippets").mkdir()
    (root / "base" / "common.yml").write_text(
        "site_name: inherited\n"                   # 1
        "use_directory_urls: false\n"              # 2
        "theme:\n  name: material\n  language: en\n"  # 3-5
        "markdown_extensions:\n"                   # 6
        "  - pymdownx.superfences\n"               # 7
        "  - pymdownx.snippets:\n"                 # 8
        "      base_path: [snippets]\n"            # 9
        "      check_paths: true\n"                # 10
        "plugins:\n"                               # 11
        "  - execdocs:\n"                          # 12
        "      snippets:\n"                        # 13
        "        session: lab\n"                   # 14
        "extra:\n"                                 # 15
        f"  analytics_token: {token}\n",           # 16
        encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "INHERIT: base/common.yml\n"
        "site_name: the child's name wins\n"
        "nav:\n  - index.md\n", encoding="utf-8")
    (root / "snippets" / "nodes.md").write_text(
        "```console\n$ kubectl get nodes\n```\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text(
        "# Home\n\n--8<-- \"nodes.md\"\n\n```console\n$ k0s version\n```\n", encoding="utf-8")
    (root / "captures" / "lab").mkdir(parents=True)
    (root / "captures" / "lab" / "session.yml").write_text(
        "system: test\nprovenance: illustrative\n", encoding="utf-8")


def test_check_and_build_read_the_inherited_config(tmp_path: Path, capsys, monkeypatch) -> None:
    token = _token()
    _project(tmp_path, token)
    monkeypatch.chdir(tmp_path)  # pymdownx.snippets reads base_path from where MkDocs runs
    code, out, err = run_check(tmp_path, capsys)
    said = out + err
    assert code == 1, said
    assert token not in said and "Traceback" not in said
    # the plugin is configured in the parent only: the check found it and its session
    assert "docs/index.md:6: snippet 'k0s version': no capture in session 'lab'" in said, said
    # the include's base_path comes from the parent's markdown_extensions
    assert "snippets/nodes.md:2: snippet 'kubectl get nodes': no capture" in said, said
    assert "base/common.yml:16: a secret-value is in the config file" in said, said
    build = subprocess.run([str(MKDOCS), "build", "--strict"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 1
    assert token not in build.stdout + build.stderr
    for line in ("base/common.yml:16: a secret-value is in the config file",
                 "docs/index.md:6: snippet 'k0s version': no capture in session 'lab'",
                 "snippets/nodes.md:2: snippet 'kubectl get nodes': no capture"):
        assert line in build.stderr, build.stderr
    engine = Engine(tmp_path / "mkdocs.yml", under_zensical=True)
    assert [(p.path, p.line) for p in engine.config_problems] == [("base/common.yml", 16)]


def test_a_loop_of_inherits_is_followed_once(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("INHERIT: sub/b.yml\nsite_name: a\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text("INHERIT: ../a.yml\nextra: {}\n", encoding="utf-8")
    chain = config_secrets.inherited(tmp_path / "a.yml")
    assert [p.resolve() for p, _t in chain] == [(tmp_path / "a.yml").resolve(),
                                                (tmp_path / "sub" / "b.yml").resolve()]


def test_a_missing_parent_ends_the_chain(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("INHERIT: nowhere.yml\nsite_name: a\n",
                                         encoding="utf-8")
    assert [p.name for p, _t in config_secrets.inherited(tmp_path / "mkdocs.yml")] == [
        "mkdocs.yml"]


def test_the_merge_is_mkdocs_own() -> None:
    parent = {"theme": {"name": "material", "features": ["a", "b"], "palette": {"x": 1}},
              "markdown_extensions": ["toc", "admonition"], "extra": {"k": 1}, "p": 1}
    child = {"theme": {"features": ["c"], "palette": {"y": 2}},
             "markdown_extensions": ["tables"], "extra": None, "site_name": "c"}
    import copy
    expected = mergedeep.merge(copy.deepcopy(parent), copy.deepcopy(child))  # as MkDocs does
    assert schema._merge(parent, child) == expected
