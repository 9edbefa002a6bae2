"""Real ``mkdocs build`` runs: outputs under commands, all problems reported, strict fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project

pytestmark = pytest.mark.slow
MKDOCS = [sys.executable, "-m", "mkdocs"]
ROOT = Path(__file__).resolve().parent.parent

PAGE = """\
# 노드

<!-- execdocs
$ kubectl get nodes
  STATUS=Ready
-->
```console
$ kubectl get nodes
$ kubectl get pods -A
```

=== "런타임"

    ```console
    $ sudo crictl ps
    ```

!!! note
    ```console
    $ echo '<b>'
    ```
"""


def _build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([*MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           *extra], cwd=root, capture_output=True, text=True, env=env,
                          timeout=300)


def _clean_project(tmp_path: Path) -> Path:
    make_project(tmp_path, {"index.md": PAGE})
    add_session(tmp_path, provenance="reference", source="https://kubernetes.io/docs/")
    add_capture(tmp_path, "kubectl get nodes", "NAME    STATUS\nk3s-1   Ready\n")
    add_capture(tmp_path, "kubectl get pods -A", "NAMESPACE   NAME\nkube-system   coredns\n")
    add_capture(tmp_path, "sudo crictl ps", "CONTAINER   IMAGE\nabc   nginx\n")
    add_capture(tmp_path, "echo '<b>'", "<b><script>alert(1)</script>\n")
    return tmp_path


def test_build_places_outputs_under_each_command(tmp_path: Path) -> None:
    root = _clean_project(tmp_path)
    proc = _build(root)
    assert proc.returncode == 0, proc.stderr
    assert "snippets: 4 commands on 1 pages checked, 0 fence(s) opted out, 0 problems" in (
        proc.stderr)
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    order = [html.index(s) for s in ('data-copy="kubectl get nodes"', "k3s-1   Ready",
                                     'data-copy="kubectl get pods -A"', "coredns",
                                     'data-copy="sudo crictl ps"', "abc   nginx",
                                     "data-copy=\"echo '&lt;b&gt;'\"".replace("'", "&#x27;"),
                                     "&lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>")]
    assert order == sorted(order)
    assert "<script>alert" not in html
    assert html.count('class="execdocs-output execdocs-reference no-copy"') == 4
    assert "execdocs" + "snippet" not in html.replace("execdocs-", "")  # no placeholder left
    assert "<!-- execdocs" not in html  # directives do not leak into the page
    assert 'href="assets/execdocs/snippets.css"' in html
    assert (root / "site" / "assets" / "execdocs" / "snippets.css").is_file()
    # the tab and the admonition kept their snippet inside them
    tab = html[html.index('class="tabbed-block"'):]
    assert tab.index('data-copy="sudo crictl ps"') < tab.index("</div>\n</div>")


def test_one_build_reports_every_problem_and_strict_fails(tmp_path: Path) -> None:
    root = _clean_project(tmp_path)
    (root / "captures" / "lab" / "broken.capture").write_text("command: nope\n",
                                                              encoding="utf-8")
    for path in (root / "captures" / "lab").glob("kubectl-get-nodes-*.capture"):
        path.write_text(path.read_text(encoding="utf-8").replace("Ready", "NotReady"),
                        encoding="utf-8")
    for path in (root / "captures" / "lab").glob("sudo-crictl-ps-*.capture"):
        path.unlink()
    (root / "docs" / "other.md").write_text("# 다른 쪽\n\n```console\n$ kubectl get ns\n",
                                            encoding="utf-8")
    proc = _build(root)
    assert proc.returncode != 0
    log = proc.stderr
    assert "captures/lab/broken.capture:1: header 'command': value is not valid JSON" in log
    assert ("docs/index.md:5: snippet 'kubectl get nodes': assertion 'STATUS=Ready' failed: "
            "row 1 (NAME=k3s-1), column STATUS is 'NotReady'") in log
    assert "docs/index.md:15: snippet 'sudo crictl ps': no capture in session 'lab'" in log
    assert "docs/other.md:3: fence is never closed" in log
    # the plugin aborts by itself with its own count (MkDocs' count is lost under -q/-v)
    assert "Aborted with 4 execdocs problems in strict mode" in proc.stdout + log


def _missing_capture_project(root: Path, strict_in_yml: bool = False) -> Path:
    make_project(root, {"index.md": "# 노드\n\n```console\n$ kubectl get nodes\n```\n"},
                 extra="strict: true\n" if strict_in_yml else "")
    add_session(root)
    return root


@pytest.mark.parametrize("flags", [["--strict", "-q"], ["--strict", "-v"], ["--strict"]])
def test_strict_fails_whatever_the_log_level(tmp_path: Path, flags: list[str]) -> None:
    root = _missing_capture_project(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([*MKDOCS, "build", *flags, "-f", str(root / "mkdocs.yml")], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Aborted with 1 execdocs problem in strict mode" in proc.stdout + proc.stderr
    if "-q" not in flags:
        assert "docs/index.md:4: snippet 'kubectl get nodes': no capture in session 'lab'" in (
            proc.stderr)


def test_strict_true_in_mkdocs_yml_fails_under_quiet(tmp_path: Path) -> None:
    root = _missing_capture_project(tmp_path, strict_in_yml=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([*MKDOCS, "build", "-q", "-f", str(root / "mkdocs.yml")], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1
    assert "Aborted with 1 execdocs problem in strict mode" in proc.stdout + proc.stderr


def test_not_strict_reports_and_builds(tmp_path: Path) -> None:
    root = _missing_capture_project(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([*MKDOCS, "build", "-f", str(root / "mkdocs.yml")], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0
    assert "no capture in session 'lab'" in proc.stderr and "Aborted" not in proc.stderr


def test_the_project_site_builds_strict(tmp_path: Path) -> None:
    proc = _build(ROOT, "-d", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr
    assert "0 problems" in proc.stderr
    kubelet = (tmp_path / "site" / "kubelet.html").read_text(encoding="utf-8")
    kubelet = kubelet.replace("\u2060", "")  # the word joiners the site adds to Korean text
    assert "k3s-agent-1    NotReady" in kubelet
    assert kubelet.count("예시 출력(illustrative)") >= 10
    # The site's one reference output (containerd/nerdctl#128) is on the k3s page; the kubelet
    # page's old reference (a 2018 kubernetes.io crictl example) was replaced by the cluster's.
    k3s = (tmp_path / "site" / "k3s-containerd.html").read_text(encoding="utf-8")
    assert "참고 출력(reference)" in k3s.replace("\u2060", "")
    assert "캡처한 출력" in kubelet  # the real standalone-containerd ctr captures
    # outputs are searchable, the repeated provenance line is not
    index = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "k3s-agent-1" in index and "NotReady" in index
    # (the sessions page names the kinds once each, as its content: that entry is expected)
    import json
    docs = json.loads(index)["docs"]
    assert not [d["location"] for d in docs if "예시 출력(illustrative)" in d["text"]
                and not d["location"].startswith("sessions.html")]


def test_an_english_site_gets_english_words(tmp_path: Path) -> None:
    root = _clean_project(tmp_path)
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("language: ko", "language: en"),
                   encoding="utf-8")
    (root / "docs" / "more.md").write_text(
        "# More\n\n```console\n$ kubectl get ns\nNAME      STATUS\n```\n", encoding="utf-8")
    proc = _build(root)
    assert "no capture in session 'lab'" in proc.stderr  # the log stays English either way
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Reference output" in page and "source and environment" in page
    assert "참고 출력" not in page and "출처" not in page
    more = (root / "site" / "more.html").read_text(encoding="utf-8")
    assert "Output as written on the page" in more and "페이지에 적힌" not in more
