"""The check engine on every bad input of the issue, through ``execdocs check``.

Each case builds a small project (mkdocs.yml, a page, captures) in a temporary folder, runs the
real CLI, and asserts the exit status and the ``file:line: message`` it prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project, run_check
from execdocs.cli import main

PAGE = """\
# 노드

```console
$ kubectl get nodes
```
"""
NODES = "NAME    STATUS   AGE\nk3s-1   Ready    5d\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder
    make_project(tmp_path, {"nodes.md": PAGE})
    add_session(tmp_path)
    return tmp_path


def test_clean_project(project: Path, capsys) -> None:
    add_capture(project, "kubectl get nodes", NODES)
    code, out, err = run_check(project, capsys)
    assert (code, err) == (0, "")
    assert out == "snippets: 1 commands on 1 pages checked, 0 fence(s) opted out, 0 problems\n"


def test_missing_capture(project: Path, capsys) -> None:
    code, out, err = run_check(project, capsys)
    assert code == 1
    assert err.startswith("docs/nodes.md:4: snippet 'kubectl get nodes': no capture in session "
                          "'lab'\n  hint: record it with 'execdocs capture docs/nodes.md")
    assert out.endswith("1 problem\n")


def test_two_captures_matching(project: Path, capsys) -> None:
    add_capture(project, "kubectl get nodes", NODES, filename="a.capture")
    add_capture(project, "kubectl  get nodes", NODES, filename="b.capture")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.splitlines()[:3] == [
        "docs/nodes.md:4: snippet 'kubectl get nodes': 2 captures match in session 'lab'",
        "  captures/lab/a.capture",
        "  captures/lab/b.capture",
    ]


@pytest.mark.parametrize(("text", "where"), [
    ('command: kubectl get nodes\nrun: "x"\nexit: 0\n--- stdout\n--- stderr\n',
     "captures/lab/bad.capture:1: header 'command': value is not valid JSON"),
    ('command: "kubectl get nodes"\nexit: 0\n--- stdout\n--- stderr\n',
     "captures/lab/bad.capture:1: capture is missing 'run'"),
    ('command: "kubectl get nodes"\nrun: "kubectl get nodes"\nexit: "0"\n--- stdout\n'
     "--- stderr\n", "captures/lab/bad.capture:3: header 'exit' must be int, got str"),
])
def test_malformed_capture(project: Path, capsys, text: str, where: str) -> None:
    (project / "captures" / "lab" / "bad.capture").write_text(text, encoding="utf-8")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.splitlines()[0].startswith(where)
    # nothing lost: the page's command is still reported, with a pointer to the broken file
    assert "docs/nodes.md:4: snippet 'kubectl get nodes': no capture in session 'lab'" in err
    assert "1 capture file(s) of this session could not be read" in err


def test_malformed_session_file(project: Path, capsys) -> None:
    (project / "captures" / "lab" / "session.yml").write_text("system: [oops\n",
                                                              encoding="utf-8")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.startswith("captures/lab/session.yml:2: session file is not valid YAML")
    assert "docs/nodes.md:4: snippet 'kubectl get nodes': session 'lab' could not be loaded" in err


def test_non_utf8_output(project: Path, capsys) -> None:
    add_capture(project, "kubectl get nodes", b"NAME    STATUS\nk3s-\xff   Ready\n")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert ("docs/nodes.md:4: snippet 'kubectl get nodes': stdout is not valid UTF-8 "
            "(byte 0xff at stdout line 2)") in err


def test_crlf_output_is_read_like_lf(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        "<!-- execdocs: STATUS=Ready -->\n```console\n$ kubectl get nodes\n```\n",
        encoding="utf-8")
    add_capture(project, "kubectl get nodes", NODES.replace("\n", "\r\n").encode())
    code, _, err = run_check(project, capsys)
    assert (code, err) == (0, "")


def test_secret_in_output_fails_closed(project: Path, capsys) -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl"
    add_capture(project, "kubectl get nodes", f"NAME\nk3s-1\ntoken: {token}\n")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert ("docs/nodes.md:4: snippet 'kubectl get nodes': capture holds a secret: a jwt at "
            "stdout line 3, column 8") in err
    assert token not in err


def test_kubernetes_secret_in_output_fails_closed(project: Path, capsys) -> None:
    secret = ("apiVersion: v1\ndata:\n  username: YWRtaW4=\n  password: czNjcjN0LXBhc3M=\n"
              "kind: Secret\nmetadata:\n  name: db\ntype: Opaque\n")
    add_capture(project, "kubectl get nodes", secret)
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert ("docs/nodes.md:4: snippet 'kubectl get nodes': capture holds a secret: a secret-data "
            "at stdout line 3, column 13") in err
    assert "a secret-data at stdout line 4, column 13" in err
    assert "YWRtaW4=" not in err and "czNjcjN0LXBhc3M=" not in err


def test_bare_secret_value_from_a_secret_printing_command_fails_closed(
        project: Path, capsys) -> None:
    command = "kubectl get secret db -o jsonpath='{.data.password}'"
    (project / "docs" / "nodes.md").write_text(f"```console\n$ {command}\n```\n",
                                               encoding="utf-8")
    path = add_capture(project, command, "czNjcjN0LXBhc3M=")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert (f"docs/nodes.md:2: snippet '{command}': capture holds a secret: the stdout "
            "of a command that prints Secret values") in err
    assert "czNjcjN0LXBhc3M=" not in err
    path.unlink()
    add_capture(project, command, "<REDACTED:secret-data#1>")
    code, _, err = run_check(project, capsys)
    assert code == 0, err


def test_secret_in_command_asrun_check(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        "```console\n$ curl -u admin:<비밀번호> https://10.0.0.1:6443/\n```\n", encoding="utf-8")
    add_capture(project, "curl -u admin:<비밀번호> https://10.0.0.1:6443/",
                run="curl -H 'Authorization: Bearer abcdefghijklmnop' https://10.0.0.1:6443/")
    _, _, err = run_check(project, capsys)
    assert "capture holds a secret: a bearer-token at run line 1" in err


def test_failed_assertion_names_row_and_column(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        "# 노드\n\n<!-- execdocs\nSTATUS=NotReady where NAME=k3s-1\n-->\n"
        "```console\n$ kubectl get nodes\n```\n", encoding="utf-8")
    add_capture(project, "kubectl get nodes", NODES)
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.splitlines()[0] == (
        "docs/nodes.md:4: snippet 'kubectl get nodes': assertion 'STATUS=NotReady where "
        "NAME=k3s-1' failed: row 1 (NAME=k3s-1), column STATUS is 'Ready'")


def test_fence_in_content_tab_without_capture(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        '# 노드\n\n=== "런타임"\n\n    ```console\n    $ sudo crictl ps\n    ```\n',
        encoding="utf-8")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.startswith("docs/nodes.md:6: snippet 'sudo crictl ps': no capture in session")


def test_unclosed_fence(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text("# 노드\n\n```console\n$ kubectl get nodes\n",
                                               encoding="utf-8")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.startswith("docs/nodes.md:3: fence is never closed")


def test_placeholder_filled_with_two_tokens(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        "```console\n$ kubectl describe pod <pod명>\n```\n", encoding="utf-8")
    add_capture(project, "kubectl describe pod <pod명>",
                run="kubectl describe pod nginx-1 nginx-2")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.startswith(
        "docs/nodes.md:2: snippet 'kubectl describe pod <pod명>': placeholder <pod명> is filled "
        "with 'nginx-1 nginx-2' (2 tokens, expected one)")


def test_placeholder_filled_with_one_token_is_fine(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        "```console\n$ kubectl describe pod <pod명> -n <ns>\n```\n", encoding="utf-8")
    add_capture(project, "kubectl describe pod <pod명> -n <ns>",
                run="kubectl describe pod nginx-7c5ddbdf54-2xkqz -n default")
    assert run_check(project, capsys)[0] == 0


def test_sudo_prefix_is_not_part_of_the_command(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text("```console\n$ sudo crictl ps\n```\n",
                                               encoding="utf-8")
    add_capture(project, "sudo crictl ps", "CONTAINER   IMAGE\n", run="crictl ps")
    assert run_check(project, capsys)[0] == 0
    add_capture(project, "sudo crictl ps", "CONTAINER   IMAGE\n", run="sudo -n crictl ps")
    assert run_check(project, capsys)[0] == 0
    add_capture(project, "sudo crictl ps", "CONTAINER   IMAGE\n", run="sudo crictl pods")
    assert "the command as run is 'sudo crictl pods'" in run_check(project, capsys)[2]


def test_command_as_run_differs(project: Path, capsys) -> None:
    add_capture(project, "kubectl get nodes", NODES, run="kubectl get nodes -o wide")
    _, _, err = run_check(project, capsys)
    assert "the command as run is 'kubectl get nodes -o wide'" in err


def test_session_that_does_not_exist(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        "---\nexecdocs:\n  session: prod\n---\n```console\n$ kubectl get nodes\n```\n",
        encoding="utf-8")
    code, _, err = run_check(project, capsys)
    assert code == 1
    assert err.splitlines()[:2] == [
        "docs/nodes.md:6: snippet 'kubectl get nodes': session 'prod' does not exist",
        "  sessions in captures: lab",
    ]


def test_exit_status_expected_by_the_page(project: Path, capsys) -> None:
    add_capture(project, "kubectl get nodes", "", exit=1,
                stderr=b"The connection to the server localhost:8080 was refused\n")
    _, _, err = run_check(project, capsys)
    assert "snippet 'kubectl get nodes': exit status 1, the page expects 0" in err
    (project / "docs" / "nodes.md").write_text(
        "<!-- execdocs\nexit: 1\nstderr contains: was refused\n-->\n"
        "```console\n$ kubectl get nodes\n```\n", encoding="utf-8")
    assert run_check(project, capsys)[0] == 0


def test_opted_out_fence_is_listed(project: Path, capsys) -> None:
    (project / "docs" / "nodes.md").write_text(
        "<!-- execdocs: skip: 설치 스크립트 -->\n```console\n"
        "$ curl -sfL https://get.k3s.io | sh -\n```\n", encoding="utf-8")
    code, out, err = run_check(project, capsys)
    assert code == 0
    assert err == "docs/nodes.md:2: opted out: 설치 스크립트\n"
    assert "0 commands on 1 pages checked, 1 fence(s) opted out, 0 problems" in out


def test_orphan_capture_and_version_drift_are_warned(tmp_path: Path, monkeypatch,
                                                     capsys) -> None:
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, {"nodes.md": PAGE},
                 extra="        target_versions:\n          kubectl: v1.31\n")
    add_session(tmp_path, provenance="captured", versions={"kubectl": "v1.29.3"},
                when="2026-11-26")
    add_capture(tmp_path, "kubectl get nodes", NODES, captured="2026-11-26T10:00:00Z")
    orphan = add_capture(tmp_path, "kubectl get svc", "")
    code, _, err = run_check(tmp_path, capsys)
    assert code == 1
    assert (f"captures/lab/{orphan.name}:2: orphan capture: no page shows 'kubectl get svc' "
            "with session 'lab'") in err
    assert ("captures/lab/session.yml:1: session 'lab' recorded kubectl v1.29.3, the site "
            "targets v1.31") in err
    # checking one page does not judge orphans (other pages may use them)
    code, _, err = run_check(tmp_path, capsys, "docs/nodes.md")
    assert "orphan" not in err


def test_provenance_must_be_honest(project: Path, capsys) -> None:
    # an illustrative session must not carry a capture time...
    add_capture(project, "kubectl get nodes", NODES, captured="2026-11-26T10:00:00Z")
    _, _, err = run_check(project, capsys)
    assert "capture has a capture time but its session is 'illustrative'" in err
    # ...and a captured one must
    add_session(project, provenance="captured")
    add_capture(project, "kubectl get nodes", NODES, captured=None)
    _, _, err = run_check(project, capsys)
    assert "capture has no capture time but its session says 'captured'" in err


def test_usage_errors(tmp_path: Path, capsys) -> None:
    assert main(["check", "-f", str(tmp_path / "mkdocs.yml")]) == 2
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n", encoding="utf-8")
    assert main(["check", "-f", str(tmp_path / "mkdocs.yml")]) == 2
    assert "does not use the execdocs plugin" in capsys.readouterr().err
    assert main(["check", "--bogus"]) == 2


def test_the_project_itself_is_clean(capsys, monkeypatch) -> None:
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    code = main(["check"])
    out = capsys.readouterr()
    assert out.err == ""
    assert code == 0


def test_tabs_in_written_output_get_one_verdict_from_check_and_build(tmp_path: Path,
                                                                     capsys) -> None:
    # /etc/hosts prints tabs (the shape of the Kubernetes docs' HostAliases page); a page may
    # hold them as written, or as the blanks a terminal showed. Python-Markdown expands the
    # page's tabs before the build reads the fence, `execdocs check` reads the file as written:
    # both forgive blanks of another width, and both still see a changed word.
    import subprocess
    import sys

    root = make_project(tmp_path, {
        "hosts.md": "# hosts\n\n"
                    "```console\n$ cat /etc/hosts\n127.0.0.1\tlocalhost\n10.0.0.7\tweb-1\n```\n\n"
                    "- in a list:\n\n"
                    "    ```console\n    $ getent hosts web-1\n    10.0.0.7        web-1\n"
                    "    ```\n",
        "wrong.md": "# wrong\n\n```console\n$ cat /etc/hosts\n127.0.0.1\tlocalhost\n"
                    "10.0.0.7\tweb-2\n```\n"})
    add_session(root)
    add_capture(root, "cat /etc/hosts", b"127.0.0.1\tlocalhost\n10.0.0.7\tweb-1\n")
    add_capture(root, "getent hosts web-1", b"10.0.0.7\tweb-1\n")
    code, out, err = run_check(root, capsys)
    build = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict"],
                           cwd=root, capture_output=True, text=True, timeout=300)
    for said in (out + err, build.stderr):
        assert "docs/hosts.md" not in said, said
        assert "docs/wrong.md:5: snippet 'cat /etc/hosts': the output written in the page is " \
               "not what the capture holds" in said, said
    assert code == 1 and build.returncode == 1
