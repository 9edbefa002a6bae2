"""The one config schema: every adapter reads mkdocs.yml through it, reports bad values alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _snippets_project import add_session, make_project
from execdocs.cli import main
from execdocs.mkdocs.config import ExecDocsConfig, load_project, validate

BAD = "  - execdocs:\n      snippets:\n        fold_after: many\n"


def _bad_project(root: Path) -> Path:
    make_project(root, {"index.md": "# 홈\n"})
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - execdocs:\n      snippets:\n        session: lab\n", BAD)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def test_every_option_has_a_default_and_a_docstring() -> None:
    # The schema is where options are documented: no option without its line of explanation.
    for _, sub in ExecDocsConfig._schema:
        for name, option in sub.config_class._schema:
            # Unset means something explicit here: no site session, or "follow the language".
            optional = {"session", "korean_search", "korean_line_breaks"}
            assert option.default is not None or name in optional, name
        source = Path(sys.modules[sub.config_class.__module__].__file__).read_text("utf-8")
        for name, _ in sub.config_class._schema:
            after = source.split(f"\n    {name} = ", 1)[1].split("\n", 2)[1]
            assert after.strip().startswith('"""'), f"{sub.config_class.__name__}.{name}"


def test_cli_check_reports_a_bad_value_with_file_and_key(tmp_path: Path, monkeypatch,
                                                         capsys) -> None:
    root = _bad_project(tmp_path)
    monkeypatch.chdir(root)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert ("mkdocs.yml: invalid option 'plugins: execdocs: snippets': Sub-option 'fold_after'"
            in err)
    assert "Traceback" not in err


def test_render_reads_its_settings_from_mkdocs_yml(tmp_path: Path, monkeypatch, capsys) -> None:
    root = _bad_project(tmp_path)
    monkeypatch.chdir(root)
    assert main(["render", "x"]) == 2  # the same bad value stops `render` too
    assert "Sub-option 'fold_after'" in capsys.readouterr().err
    (root / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - execdocs:\n      diagrams:\n        src_dir: art\n"
        "      snippets:\n        captures_dir: caps\n", encoding="utf-8")
    project = load_project(root / "mkdocs.yml")
    assert project is not None
    assert project.options.captures_dir == root / "caps"
    assert main(["render", "nosuch"]) == 1
    assert "art/nosuch.py: unknown diagram 'nosuch'" in capsys.readouterr().err


@pytest.mark.slow
def test_mkdocs_reports_the_same_bad_value(tmp_path: Path) -> None:
    root = _bad_project(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert proc.returncode != 0
    assert "Sub-option 'fold_after'" in proc.stdout + proc.stderr


def test_unknown_tags_are_tolerated_and_defaults_filled(tmp_path: Path) -> None:
    make_project(tmp_path, {"index.md": "# 홈\n"})
    add_session(tmp_path)
    config = validate({}, tmp_path / "mkdocs.yml")
    assert config.snippets.fold_after == 20 and config.diagrams.src_dir == "diagram_src"
    project = load_project(tmp_path / "mkdocs.yml")  # has !!python/object/apply-free YAML
    assert project is not None and project.options.session == "lab"
