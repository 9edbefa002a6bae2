"""`execdocs capture` through `main([...])`: usage errors, placeholders, bad input, timeouts,
and the minimal console-fence reading the tool uses until the snippets parser lands."""

from __future__ import annotations

from pathlib import Path

import pytest
from execdocs.capture.commands import commands_for_session
from execdocs.cli import main
from execdocs.snippets import store


def _page(tmp_path: Path, body: str, session: str | None = "s") -> Path:
    """A page whose front matter names ``session`` (the repository's mkdocs.yml default would
    otherwise apply: pytest runs from the project root)."""
    page = tmp_path / "p.md"
    front = f"---\nexecdocs: {{session: {session}}}\n---\n" if session else ""
    page.write_text(front + body, encoding="utf-8")
    return page


def test_commands_by_session_with_admonitions_tabs_directives_and_skips(
        tmp_path: Path) -> None:
    page = _page(tmp_path, session=None, body=(
        "---\ntitle: x\n---\n"                                    # 1-3: lines count
        "```console\n$ echo a\n$ echo b | wc -c\n```\n"            # 4-7
        '!!! note\n\n    ```console\n    $ uname -r\n    ```\n'   # 8-12
        '=== "tab"\n\n    ```console\n    $ kubectl get pods \\\n        -o wide\n    ```\n'
        "\n<!-- execdocs\nsession: other\n-->\n```console\n$ echo other\n```\n"
        "\n<!-- execdocs: skip: installs things -->\n```console\n$ curl x | sh\n```\n"))
    sel = commands_for_session([page], "lab", default_session="lab")
    assert [(d.line, d.command) for d in sel.commands] == [
        (5, "echo a"), (6, "echo b | wc -c"), (11, "uname -r"),
        (16, "kubectl get pods \\\n    -o wide")]
    assert sel.other_sessions == 1 and sel.skipped == 1
    assert [d.command for d in commands_for_session([page], "other").commands] == ["echo other"]
    assert commands_for_session([page], "lab").commands == []  # no default: nothing is lab's
    front = _page(tmp_path, "```console\n$ echo x\n```\n", session="k3s")
    assert commands_for_session([front], "lab", default_session="lab").commands == []
    assert [d.line for d in commands_for_session([front], "k3s").commands] == [5]


def test_a_site_without_superfences_records_the_fences_its_build_renders(tmp_path: Path) -> None:
    # MkDocs' default fenced_code takes no fence inside a list item: the build shows that one
    # as an indented code block, not a command, so capture must not record it either
    page = tmp_path / "p.md"
    page.write_text("```console\n$ kubectl get nodes\n```\n\n1. step\n\n"
                    "    ```console\n    $ kubectl get pods\n    ```\n", encoding="utf-8")
    both = commands_for_session([page], "lab", default_session="lab")
    top = commands_for_session([page], "lab", default_session="lab", superfences=False)
    assert [d.command for d in both.commands] == ["kubectl get nodes", "kubectl get pods"]
    assert [d.command for d in top.commands] == ["kubectl get nodes"]


def test_accept_without_update_is_a_usage_error(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    page = _page(tmp_path, "```console\n$ true\n```\n")
    assert main(["capture", str(page), "--session", "s", "--accept"]) == 2
    assert "--accept only makes sense with --update" in capsys.readouterr().err


def test_missing_session_flag_and_missing_page(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["capture", "x.md"]) == 2
    assert main(["capture", str(tmp_path / "nope.md"), "--session", "s"]) == 2
    assert "no such page" in capsys.readouterr().err
    assert main(["capture", "--session", "nothing", "--captures", str(tmp_path)]) == 2
    assert "session 'nothing' does not exist" in capsys.readouterr().err


def test_pages_with_nothing_in_the_session_are_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A mistyped --session used to print "0 will run" and exit 0, as if all were well.
    page = _page(tmp_path, "```console\n$ true\n$ echo x\n```\n", session="k3s-lab")
    assert main(["capture", str(page), "--session", "k3s-lb",
                 "--captures", str(tmp_path / "cap")]) == 2
    err = capsys.readouterr().err
    assert "no command of these pages is in session 'k3s-lb'; their sessions: 'k3s-lab' (2)" in err
    assert "hint: pass --session" in err
    assert not (tmp_path / "cap").exists()


def test_new_session_needs_system(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = _page(tmp_path, "```console\n$ echo hi\n```\n")
    assert main(["capture", str(page), "--session", "s", "--captures", str(tmp_path / "c"),
                 "--update"]) == 1
    assert "give --system" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_run_mode_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = _page(tmp_path, "```console\n$ echo hi\n```\n")
    assert main(["capture", str(page), "--session", "s", "--captures",
                 str(tmp_path / "c"), "--run"]) == 0
    out = capsys.readouterr().out
    assert "[1/1] $ echo hi  → exit 0, new, not written" in out
    assert "--run: nothing written" in out
    assert not (tmp_path / "c").exists()


def test_placeholders_need_a_fill_and_the_fill_is_recorded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = _page(tmp_path, "# p\n\n```console\n$ echo <pod명> <노드명>\n```\n")
    root = tmp_path / "c"
    args = ["capture", str(page), "--session", "s", "--captures", str(root), "--update",
            "--system", "x"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{page}:7: 'echo <pod명> <노드명>': placeholder <pod명> has no value" in err
    assert "hint: pass --fill '<pod명>=VALUE'" in err
    assert main([*args, "--fill", "<pod명>=nginx-abc", "--fill", "<노드명>=k3s-m1"]) == 0
    cap = store.load_session(root / "s").captures[0]
    assert cap.command == "echo <pod명> <노드명>"
    assert cap.run == "echo nginx-abc k3s-m1"
    assert cap.stdout == b"nginx-abc k3s-m1\n"
    capsys.readouterr()
    # Refreshing later reuses the recorded value: no --fill needed.
    assert main(args) == 0
    assert "$ echo nginx-abc k3s-m1  → exit 0, identical" in capsys.readouterr().out


def test_bad_fill_and_env_are_usage_errors(tmp_path: Path) -> None:
    page = _page(tmp_path, "```console\n$ true\n```\n")
    assert main(["capture", str(page), "--session", "s", "--fill", "novalue"]) == 2
    assert main(["capture", str(page), "--session", "s", "--env", "=x"]) == 2


def test_malformed_stored_capture_is_reported_with_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "c" / "s"
    folder.mkdir(parents=True)
    (folder / "session.yml").write_text("system: x\nprovenance: captured\n")
    (folder / "bad.capture").write_text('# execdocs capture v1\ncommand: "echo hi"\nexit: zero\n')
    page = _page(tmp_path, "```console\n$ echo hi\n```\n")
    assert main(["capture", str(page), "--session", "s", "--captures", str(tmp_path / "c")]) == 1
    assert f"{folder / 'bad.capture'}:3: header 'exit': value is not valid JSON" in \
        capsys.readouterr().err


def test_timeout_is_reported_and_nothing_written(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    page = _page(tmp_path, "```console\n$ sleep 20\n```\n")
    root = tmp_path / "c"
    assert main(["capture", str(page), "--session", "s", "--captures", str(root), "--update",
                 "--system", "x", "--timeout", "0.5"]) == 1
    out = capsys.readouterr().out
    assert "$ sleep 20  → -, timed-out" in out and "no answer within 0.5s" in out
    assert not list(root.glob("s/*.capture"))


def test_illustrative_session_is_not_silently_turned_captured(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "c" / "s"
    folder.mkdir(parents=True)
    (folder / "session.yml").write_text("system: written by hand\nprovenance: illustrative\n"
                                        "note: placeholder output, to be recorded\n")
    for cmd in ("echo a", "echo b"):
        store.save_capture(store.Capture(cmd, cmd, 0, b"x\n"), folder / store.capture_filename(cmd))
    one = _page(tmp_path, "```console\n$ echo a\n```\n")
    args = ["capture", "--captures", str(tmp_path / "c"), "--session", "s", "--update",
            "--accept", "--system", "Debian"]
    assert main([args[0], str(one), *args[1:]]) == 1
    assert "is 'illustrative' and 1 of its captures are not in this run" in \
        capsys.readouterr().err
    assert main(args) == 0  # re-recording all of them makes it a captured session
    session = store.load_session(folder)
    assert session.provenance == "captured" and session.system == "Debian"
    assert session.note == ""  # the old note described illustrative output
    assert {c.stdout for c in session.captures} == {b"a\n", b"b\n"}
    assert all(c.captured for c in session.captures)


def test_conversion_to_captured_is_all_or_nothing(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "c" / "s"
    folder.mkdir(parents=True)
    (folder / "session.yml").write_text("system: written by hand\nprovenance: illustrative\n")
    for cmd in ("echo a", "sleep 20"):
        store.save_capture(store.Capture(cmd, cmd, 0, b"x\n"), folder / store.capture_filename(cmd))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    rc = main(["capture", "--captures", str(tmp_path / "c"), "--session", "s", "--update",
               "--accept", "--timeout", "0.5"])
    assert rc == 1
    captured = capsys.readouterr()
    assert "$ echo a  → exit 0, structural, held back until the whole session is re-recorded" \
        in captured.out
    assert "$ sleep 20  → -, timed-out" in captured.out
    assert "session 's' stays 'illustrative': 1 of its captures could not be re-recorded " \
        "(first: 'sleep 20'); nothing written" in captured.err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_an_output_past_the_limit_is_reported_and_nothing_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = _page(tmp_path, "```console\n$ head -c 3000000 /dev/zero\n```\n")
    root = tmp_path / "c"
    assert main(["capture", str(page), "--session", "s", "--captures", str(root), "--update",
                 "--system", "x"]) == 1
    out = capsys.readouterr().out
    assert "printed more than 1,000,000 bytes and was stopped; nothing written" in out
    assert not list(root.glob("s/*.capture"))
