"""The pytest plugin, driven with pytester: one item per command, ids, -k, plain failures."""

from __future__ import annotations

import pytest
from _snippets_project import add_capture, add_session, make_project

pytest_plugins = ["pytester"]

PAGE = """\
# 노드

<!-- execdocs
$ kubectl get nodes -o wide
  STATUS=Ready
-->
```console
$ kubectl get nodes -o wide
$ kubectl get pods
```

=== "탭"

    ```console
    $ sudo crictl ps
    ```
"""


@pytest.fixture
def project(pytester: pytest.Pytester):
    root = make_project(pytester.path, {"kubelet.md": PAGE, "plain.md": "# 명령 없음\n"})
    add_session(root)
    add_capture(root, "kubectl get nodes -o wide", "NAME    STATUS\nk3s-1   NotReady\n")
    add_capture(root, "kubectl get pods", "No resources found in default namespace.\n")
    add_capture(root, "kubectl get svc", "")  # orphan
    return root


def test_one_item_per_command_with_page_line_ids(pytester: pytest.Pytester, project) -> None:
    result = pytester.runpytest("--collect-only", "-q", "docs")
    result.stdout.fnmatch_lines([
        "docs/kubelet.md:8::kubectl get nodes -o wide",
        "docs/kubelet.md:9::kubectl get pods",
        "docs/kubelet.md:15::sudo crictl ps",
        "3 tests collected*",
    ])


def test_failures_print_the_problem_without_traceback(pytester: pytest.Pytester,
                                                      project) -> None:
    result = pytester.runpytest("docs", "captures")
    result.assert_outcomes(passed=4, failed=3)  # 3 commands, 3 captures, 1 session.yml
    out = result.stdout.str()
    assert ("docs/kubelet.md:5: snippet 'kubectl get nodes -o wide': assertion 'STATUS=Ready' "
            "failed: row 1 (NAME=k3s-1), column STATUS is 'NotReady'") in out
    assert "docs/kubelet.md:15: snippet 'sudo crictl ps': no capture in session 'lab'" in out
    assert "orphan capture: no page shows 'kubectl get svc' with session 'lab'" in out
    assert "Traceback" not in out and "raise SnippetFailure" not in out
    assert "pytest_plugin.py" not in out


def test_select_with_k(pytester: pytest.Pytester, project) -> None:
    result = pytester.runpytest("docs", "-k", "pods")
    result.assert_outcomes(passed=1, deselected=2)


def test_page_level_problem_gets_its_own_item(pytester: pytest.Pytester, project) -> None:
    (project / "docs" / "broken.md").write_text("```console\n$ kubectl get ns\n",
                                                encoding="utf-8")
    result = pytester.runpytest("docs/broken.md")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*docs/broken.md:1: fence is never closed*"])


def test_malformed_capture_fails_its_file_item(pytester: pytest.Pytester, project) -> None:
    (project / "captures" / "lab" / "bad.capture").write_text('command: "x"\n',
                                                              encoding="utf-8")
    result = pytester.runpytest("captures")
    result.stdout.fnmatch_lines(["*captures/lab/bad.capture:1: capture is missing 'run', 'exit'*"])


def test_projects_without_execdocs_are_left_alone(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yml", mkdocs="site_name: x\nplugins: [search]\n")
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "a.md").write_text("```console\n$ ls\n```\n", encoding="utf-8")
    result = pytester.runpytest("docs")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
