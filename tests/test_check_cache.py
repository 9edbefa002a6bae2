"""``execdocs check`` answers an unchanged project from its cache, and never answers a changed
one from it: each input the check reads (a page, a capture, a session file, mkdocs.yml, the
command line) changes the result of the run after the change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project, run_check
from execdocs.snippets import check_cache

PAGE = """\
# 노드

```console
$ kubectl get nodes
```
"""
NODES = "NAME    STATUS   AGE\nk3s-1   Ready    5d\n"
CLEAN = "snippets: 1 commands on 1 pages checked, 0 fence(s) opted out, 0 problems\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, {"nodes.md": PAGE})
    add_session(tmp_path)
    add_capture(tmp_path, "kubectl get nodes", NODES)
    return tmp_path


def _entries(root: Path) -> list[Path]:
    return sorted((root / check_cache.CACHE_DIR).glob("check-*.json"))


def _engine_must_notrun_check(monkeypatch) -> None:
    # proof the second run is the cache's: the engine would raise
    from execdocs.snippets import project as project_mod

    def boom(*a, **k):
        raise AssertionError("the check engine ran")

    monkeypatch.setattr(project_mod, "check_project", boom)


def test_an_unchanged_project_is_answered_from_the_cache(project: Path, capsys,
                                                         monkeypatch) -> None:
    (project / "docs" / "nodes.md").write_text(PAGE + "\n```console\n$ kubectl get pods\n```\n",
                                               encoding="utf-8")
    first = run_check(project, capsys)
    assert first[0] == 1 and "no capture in session 'lab'" in first[2]
    assert len(_entries(project)) == 1
    _engine_must_notrun_check(monkeypatch)
    assert run_check(project, capsys) == first  # same status, same stdout, same stderr


@pytest.mark.parametrize("change", ["page", "capture", "deleted capture", "new capture",
                                    "session", "config", "new page"])
def test_every_input_changes_the_warm_result(project: Path, capsys, change: str) -> None:
    assert run_check(project, capsys) == (0, CLEAN, "")
    assert run_check(project, capsys) == (0, CLEAN, "")  # warm
    cap = next((project / "captures" / "lab").glob("*.capture"))
    if change == "page":
        (project / "docs" / "nodes.md").write_text(PAGE.replace("nodes", "pods"),
                                                   encoding="utf-8")
        want = "snippet 'kubectl get pods': no capture in session 'lab'"
    elif change == "capture":  # one byte: the exit status
        cap.write_text(cap.read_text(encoding="utf-8").replace("exit: 0", "exit: 1"),
                       encoding="utf-8")
        want = "exit status 1, the page expects 0"
    elif change == "deleted capture":
        cap.unlink()
        want = "no capture in session 'lab'"
    elif change == "new capture":
        add_capture(project, "kubectl  get nodes", NODES, filename="b.capture")
        want = "2 captures match in session 'lab'"
    elif change == "session":
        path = project / "captures" / "lab" / "session.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("illustrative", "captured"),
                        encoding="utf-8")
        want = "capture has no capture time but its session says 'captured'"
    elif change == "config":
        path = project / "mkdocs.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("session: lab",
                                                                 "session: other"),
                        encoding="utf-8")
        want = "session 'other' does not exist"
    else:
        (project / "docs" / "sub").mkdir()
        (project / "docs" / "sub" / "pods.md").write_text(PAGE.replace("nodes", "pods"),
                                                          encoding="utf-8")
        want = "docs/sub/pods.md:4: snippet 'kubectl get pods': no capture"
    code, _out, err = run_check(project, capsys)
    assert code == 1 and want in err, err


def test_a_corrupt_or_forged_entry_is_ignored(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(PAGE.replace("nodes", "pods"), encoding="utf-8")
    first = run_check(project, capsys)
    assert first[0] == 1
    (entry,) = _entries(project)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["body"]["status"], data["body"]["stderr"] = 0, ""  # a forged "clean" verdict
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert run_check(project, capsys) == first
    entry.write_bytes(b'{"sha256": "x", "bo')  # truncated
    assert run_check(project, capsys) == first
    assert json.loads(entry.read_text(encoding="utf-8"))["body"]["status"] == 1  # rewritten


def test_the_command_line_is_part_of_the_key(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(PAGE.replace("nodes", "pods"), encoding="utf-8")
    full = run_check(project, capsys)
    quiet = run_check(project, capsys, "-q")
    assert full[0] == quiet[0] == 1 and full[2] and quiet[2] == ""
    assert run_check(project, capsys) == full and run_check(project, capsys, "-q") == quiet


def test_a_cache_that_cannot_be_written_is_no_error(project: Path, capsys) -> None:
    (project / ".cache").write_text("not a folder", encoding="utf-8")
    assert run_check(project, capsys) == (0, CLEAN, "")
    assert run_check(project, capsys) == (0, CLEAN, "")


def test_a_symlinked_capture_changes_the_key_by_its_target(project: Path, capsys) -> None:
    # the loader refuses a link (never follows it): pointing it elsewhere must still re-run
    assert run_check(project, capsys)[0] == 0
    outside = project / "elsewhere.capture"
    outside.write_text("x", encoding="utf-8")
    link = project / "captures" / "lab" / "link.capture"
    os.symlink(outside, link)
    first = run_check(project, capsys)
    assert first[0] == 1 and "link.capture" in first[2]
    link.unlink()
    assert run_check(project, capsys) == (0, CLEAN, "")
