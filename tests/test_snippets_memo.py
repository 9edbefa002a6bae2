"""Remembered verdicts (``snippets/memo.py``): a run with a warm memo reports exactly what a run
without one reports, and a changed capture or page is judged again, never served from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project
from execdocs.snippets import check as check_mod
from execdocs.snippets.check import Options, check_project
from execdocs.snippets.memo import VerdictMemo
from execdocs.snippets.store import load_store

# Problems of several kinds: a failed table assertion, an exit status, a written output that
# contradicts the capture, a secret in an output, a fence inside an indented code block (the
# scanner's block parse, also remembered).
PAGE = """\
# 노드

<!-- execdocs
$ kubectl get nodes
  STATUS=Ready
-->
```console
$ kubectl get nodes
NAME    STATUS   AGE
k3s-1   Ready    9d
```

!!! note

    ```console
    $ kubectl get pods
    ```

- item

        ```console
        $ kubectl version
        ```

```console
$ cat token.txt
```
"""
NODES = "NAME    STATUS     AGE\nk3s-1   NotReady   5d\n"
TOKEN = "token: ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8" + "\n"  # GitHub PAT shape


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, {"nodes.md": PAGE})
    add_session(tmp_path)
    add_capture(tmp_path, "kubectl get nodes", NODES)
    add_capture(tmp_path, "kubectl get pods", "No resources found\n", exit=1)
    add_capture(tmp_path, "cat token.txt", TOKEN)
    return tmp_path


def _problems(root: Path, memo: VerdictMemo | None) -> list[str]:
    options = Options(captures_dir=root / "captures", session="lab", target_versions={},
                      fold_after=20)
    source = (root / "docs" / "nodes.md").read_text(encoding="utf-8")
    report = check_project({"docs/nodes.md": source}, load_store(root / "captures"), options,
                           memo=memo)
    if memo is not None:
        memo.save()
    return [p.format() for p in report.problems]


def _memo(root: Path) -> VerdictMemo:
    memo = VerdictMemo(root)
    memo.load()
    return memo


def test_a_warm_memo_reports_exactly_what_no_memo_does(project: Path, monkeypatch) -> None:
    fresh = _problems(project, None)
    kinds = ["assertion 'STATUS=Ready' failed", "exit status 1", "not what the capture holds",
             "capture holds a secret", "fence inside an indented code block"]
    for kind in kinds:
        assert any(kind in p for p in fresh), (kind, fresh)
    assert _problems(project, _memo(project)) == fresh  # cold memo, written at the end
    warm = _memo(project)
    # proof the verdicts come from the memo: the checks and the block parse would raise
    monkeypatch.setattr(check_mod, "_capture_problems", _boom)
    monkeypatch.setattr("execdocs.snippets.memo.code_blocks", _boom)
    assert _problems(project, warm) == fresh
    # three captures checked, one block parse, one fence search
    assert warm.misses == 0 and warm.hits == 3 + 1 + 1


def _boom(*a, **k):
    raise AssertionError("recomputed")


@pytest.mark.parametrize("change", ["capture", "page", "session"])
def test_a_change_is_judged_again(project: Path, change: str) -> None:
    _problems(project, _memo(project))
    if change == "capture":
        add_capture(project, "kubectl get nodes", NODES.replace("NotReady", "Ready   "))
    elif change == "page":
        path = project / "docs" / "nodes.md"
        path.write_text(path.read_text(encoding="utf-8").replace("Ready    9d", "Ready    5d"),
                        encoding="utf-8")
    else:
        add_session(project, provenance="captured")
    assert _problems(project, _memo(project)) == _problems(project, None)


def test_a_corrupt_or_edited_memo_is_ignored(project: Path) -> None:
    fresh = _problems(project, None)
    _problems(project, _memo(project))
    path = project / ".cache" / "execdocs" / "snippets" / "verdicts.json"
    head, entries = path.read_text(encoding="utf-8").split("\n")
    edited = {key: [] for key in json.loads(entries)}  # every verdict edited to "no problem"
    path.write_text(head + "\n" + json.dumps(edited), encoding="utf-8")  # the old checksum
    memo = _memo(project)
    assert _problems(project, memo) == fresh and memo.hits == 0
    path.write_bytes(b"\x00garbage")
    assert _problems(project, _memo(project)) == fresh


@pytest.mark.slow
def test_a_second_build_warns_exactly_what_the_first_did(project: Path) -> None:
    # the build reads the memo in on_config and writes it in on_post_build: a second real
    # build answers from it and must report the same problems at the same lines
    import os
    import subprocess
    import sys

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")

    def build() -> list[str]:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml"],
                              cwd=project, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        return [ln for ln in done.stderr.splitlines() if ln.startswith("WARNING")]

    first = build()
    assert (project / ".cache" / "execdocs" / "snippets" / "verdicts.json").is_file()
    assert any("capture holds a secret" in ln for ln in first), first
    assert any("assertion 'STATUS=Ready' failed" in ln for ln in first), first
    assert build() == first
