"""``execdocs render``: the same renderer outside MkDocs, exit 0 clean / 1 problems / 2 usage."""

from __future__ import annotations

import pytest
from diagrams_project import Project
from execdocs.cli import main

pytestmark = pytest.mark.slow


def test_render_writes_standalone_svgs(tmp_path, monkeypatch, capsys):
    project = Project(tmp_path / "proj")
    monkeypatch.chdir(project.root)
    assert main(["render", "cluster", "-o", "out"]) == 0
    svg = (project.root / "out" / "cluster.svg").read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<symbol id=" in svg and "site-packages" not in svg
    assert "out/cluster.svg: rendered" in capsys.readouterr().out
    assert main(["render", "cluster", "-o", "out"]) == 0
    assert "out/cluster.svg: cache" in capsys.readouterr().out


def test_render_reports_a_broken_script_with_its_line(tmp_path, monkeypatch, capsys):
    project = Project(tmp_path / "proj")
    project.script("cluster", "from diagrams import Diagram\nraise RuntimeError('고장')\n")
    monkeypatch.chdir(project.root)
    assert main(["render", "cluster", "-o", "out"]) == 1
    err = capsys.readouterr().err
    assert "diagram_src/cluster.py:2: diagram 'cluster' failed: RuntimeError: 고장" in err
    assert not (project.root / "out" / "cluster.svg").exists()


def test_unknown_name_and_usage(tmp_path, monkeypatch, capsys):
    project = Project(tmp_path / "proj")
    monkeypatch.chdir(project.root)
    assert main(["render", "nosuch"]) == 1
    assert "unknown diagram 'nosuch'" in capsys.readouterr().err
    assert main(["render", "--timeout", "soon"]) == 2
