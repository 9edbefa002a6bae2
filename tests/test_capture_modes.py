"""Plan, run and update modes of `execdocs capture`, proved with a PATH of logging stub programs.

Every program name that appears in the corpus (tests/samples/policy_corpus.py) and on the site's
pages gets a stub in a temporary bin folder placed first on PATH: the stub appends its name and
arguments to a log and exits 0 (the `sh` stub logs, then hands over to /bin/sh, because the
runner itself starts `sh -c`). An empty log after a run means nothing was executed -- not the
runner's shell, not any program. A positive control shows the stubs do log what runs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from execdocs.capture.policy import check
from execdocs.capture.record import CaptureOptions, Planned, record
from execdocs.capture.runner import Runner
from execdocs.cli import main
from execdocs.cli.capture import print_plan
from execdocs.snippets import store

sys.path.insert(0, str(Path(__file__).parent / "samples"))
from policy_corpus import ALLOW, CORPUS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
SITE_SESSIONS = sorted(p.name for p in (ROOT / "captures").iterdir() if p.is_dir())
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._+-]*")


def _program_names() -> set[str]:
    words: set[str] = {"sh", "bash", "sudo", "timeout", "rm"}
    texts = [row[0] for row in CORPUS]
    texts += [line for page in DOCS for line in page.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        for word in re.split(r"[\s|;&()`$<>'\"{}=]+", text):
            if _NAME.fullmatch(word):
                words.add(word)
    # the runner's sudo shim asks `id -u` whether it runs as root and calls `env`: real ones
    return words - {"id", "env"}


@pytest.fixture
def stubs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bin folder of logging stubs first on PATH; returns the log file."""
    bin_dir = tmp_path / "stub-bin"
    bin_dir.mkdir()
    log = tmp_path / "executed.log"
    for name in _program_names():
        then = 'exec /bin/sh "$@"' if name == "sh" else "exit 0"
        # one log line per call (the runner's `sh -c` script spans lines); absolute paths, as
        # PATH leads to the stubs
        (bin_dir / name).write_text(
            f'#!/bin/sh\nprintf "%s\\n" "{name} $(printf "%s" "$*" | /usr/bin/tr "\\n" " ")"'
            f' >> {log}\n{then}\n', encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return log


def _executed(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _site_args(session: str) -> list[str]:
    return ["capture", *map(str, DOCS), "--session", session, "--config-file",
            str(ROOT / "mkdocs.yml"), "--captures", str(ROOT / "captures")]


def test_the_stubs_log_what_runs(stubs: Path, tmp_path: Path) -> None:
    """Positive control: an allowed command under --run reaches its stub."""
    planned = [Planned("kubectl get nodes -o wide", "kubectl get nodes -o wide")]
    report = record(planned, Runner(), tmp_path / "c", "s", CaptureOptions())
    assert report.outcomes[0].status == "new"
    assert "kubectl get nodes -o wide" in _executed(stubs)


def test_plan_mode_executes_nothing_for_the_corpus(
        stubs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    planned = [Planned(row[0], row[0]) for row in CORPUS]
    rc = print_plan(planned, [], CaptureOptions(), "local", "s")
    assert rc == 1  # the corpus has refused commands
    out = capsys.readouterr().out
    assert "plan only, nothing is executed" in out
    refused = sum(row[1] != ALLOW for row in CORPUS)
    assert f"{len(CORPUS) - refused} will run, {refused} refused" in out
    assert out.count("→ refused: ") == refused
    assert _executed(stubs) == []


@pytest.mark.parametrize("session", SITE_SESSIONS)
def test_plan_mode_executes_nothing_for_the_site(
        session: str, stubs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (ROOT / "captures").rglob("*") if p.is_file()}
    rc = main(_site_args(session))
    out = capsys.readouterr().out
    assert "nothing was executed" in out
    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert lines, out
    assert rc == (1 if any("→ refused" in line for line in lines) else 0)
    assert _executed(stubs) == []
    assert {p: p.read_bytes() for p in (ROOT / "captures").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("update", [False, True], ids=["run", "update"])
def test_run_and_update_never_execute_a_refused_corpus_command(
        update: bool, stubs: Path, tmp_path: Path) -> None:
    refused = [Planned(row[0], row[0]) for row in CORPUS if row[1] != ALLOW]
    options = CaptureOptions(update=update, system="stub programs")
    report = record(refused, Runner(timeout=5), tmp_path / "c", "s", options)
    assert [o.status for o in report.outcomes] == ["refused"] * len(refused)
    assert all(o.reason.startswith("refused: ") and o.result is None for o in report.outcomes)
    assert _executed(stubs) == []
    assert not (tmp_path / "c").exists()


def test_run_mode_on_the_site_runs_only_allowed_commands(
        stubs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main([*_site_args("k3s-illustrative"), "--run", "--fill", "<pod명>=nginx-1"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "kubectl create deploy nginx --image=nginx:1.27-alpine  → -, refused" in out
    ran = _executed(stubs)
    assert ran, "the allowed commands reached their stubs"
    assert not any(line.startswith("kubectl create") for line in ran)
    for line in ran:  # every program that ran belongs to a command the policy allows
        assert line.split()[0] in {"sh", "sudo", "k3s", "kubectl", "crictl", "ctr", "nerdctl",
                                   "systemctl", "journalctl", "ps", "egrep", "grep"}, line


def test_plan_prints_allow_lines_prominently_and_exit_codes(
        tmp_path: Path, stubs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n$ kubectl get pods\n"
                    "$ kubectl create ns demo\n```\n", encoding="utf-8")
    args = ["capture", str(page), "--session", "s", "--captures", str(tmp_path / "c")]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "[1/2] $ kubectl get pods  → will run" in out
    assert "[2/2] $ kubectl create ns demo  → refused: 'kubectl create' changes the cluster" in out
    assert "1 will run, 1 refused" in out
    assert main([*args, "--allow", "kubectl create"]) == 0
    out = capsys.readouterr().out
    assert "!! --allow 'kubectl create': runs although not known to be read-only" in out
    assert "→ will run (allowed by --allow 'kubectl create')" in out
    assert main([*args, "--allow", "kubectl;rm"]) == 2
    assert "is not PROGRAM" in capsys.readouterr().err
    assert _executed(stubs) == []
    # --allow works in --run too, and only for what it names
    assert main([*args, "--run", "--allow", "kubectl create"]) == 0
    assert "kubectl create ns demo" in _executed(stubs)


def test_help_describes_three_modes_and_never_calls_a_running_mode_a_preview(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["capture", "--help"]) == 0
    text = capsys.readouterr().out
    assert "prints the plan and runs nothing" in text
    assert "--run" in text and "--update" in text and "--allow" in text
    assert "preview" not in text.lower() and "dry run" not in text.lower()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "preview" not in readme.lower() and "dry run" not in readme.lower()
    assert "미리보기" not in readme and "미리 보기" not in readme
    for phrase in ("--allow", "--run", "--update", "not known to be read-only"):
        assert phrase in readme


def test_a_fill_is_one_safe_word(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n"
                    "$ kubectl describe pod <pod명>\n```\n", encoding="utf-8")
    args = ["capture", str(page), "--session", "s", "--captures", str(tmp_path / "c")]
    for bad in ("$(rm${IFS}-rf${IFS}/tmp/x)", "a b", "-w", "x;rm", "`id`", ""):
        assert main([*args, "--fill", f"<pod명>={bad}"]) == 2, bad
        assert "--fill '<pod명>=…'" in capsys.readouterr().err
    assert main([*args, "--fill", "<pod명>=nginx-7c5ddbdf54-2xkqz"]) == 0
    assert "$ kubectl describe pod nginx-7c5ddbdf54-2xkqz  → will run" in \
        capsys.readouterr().out


def test_a_stored_run_line_with_an_injected_fill_is_never_executed(
        tmp_path: Path, stubs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's case: a capture whose run: fills <pod명> with $(rm${IFS}-rf${IFS}/path)."""
    victim = tmp_path / "victim"
    victim.mkdir()
    folder = tmp_path / "c" / "s"
    folder.mkdir(parents=True)
    (folder / "session.yml").write_text("system: x\nprovenance: captured\n")
    injected = f"kubectl describe pod $(rm${{IFS}}-rf${{IFS}}{victim})"
    for command, run in (("kubectl describe pod <pod명>", injected),
                         ("kubectl get pods", "kubectl get pods; rm -rf " + str(victim))):
        store.save_capture(store.Capture(command, run, 0, b"x\n", captured="2026-11-26T00:00:00Z"),
                           folder / store.capture_filename(command))
    page = tmp_path / "p.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n"
                    "$ kubectl describe pod <pod명>\n```\n", encoding="utf-8")
    for args in (["capture", "--session", "s", "--captures", str(tmp_path / "c")],
                 ["capture", str(page), "--session", "s", "--captures", str(tmp_path / "c")]):
        for mode in ([], ["--run"], ["--update", "--accept"]):
            assert main([*args, *mode]) == 1
            captured = capsys.readouterr()
            assert "stored run: line not run" in captured.err
    assert victim.is_dir() and _executed(stubs) == []
    # and the check rejects such a capture
    assert check(injected).kind == "substitution"


def test_unreachable_ssh_host_is_reported_and_nothing_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A real ssh client against a closed port on 127.0.0.1: ssh itself fails (exit 255)."""
    from capture_lab import _free_port

    config = tmp_path / "ssh_config"
    config.write_text(f"Host closed\n  HostName 127.0.0.1\n  Port {_free_port()}\n"
                      f"  UserKnownHostsFile {tmp_path / 'known_hosts'}\n")
    page = tmp_path / "p.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n$ uname -r\n```\n",
                    encoding="utf-8")
    root = tmp_path / "c"
    rc = main(["capture", str(page), "--session", "s", "--captures", str(root), "--ssh",
               "closed", "--ssh-config", str(config), "--update", "--system", "x"])
    assert rc == 1
    out = capsys.readouterr().out
    assert "$ uname -r  → exit 255, unreachable" in out
    assert "ssh could not reach 'closed': ssh: connect to host 127.0.0.1 port" in out
    assert "Connection refused" in out
    assert "1 unreachable" in out and "0 written" in out
    assert not root.exists()


def test_a_host_key_mismatch_is_unreachable_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A real sshd whose host key is not the one known: ssh refuses before anything runs."""
    from capture_lab import sshd_lab

    page = tmp_path / "p.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n$ uname -r\n```\n",
                    encoding="utf-8")
    root = tmp_path / "c"
    with sshd_lab() as ssh_config:
        known = Path(re.search(r"UserKnownHostsFile (\S+)", ssh_config.read_text())[1])
        host = known.read_text().split()[0]
        known.write_text(f"{host} ssh-ed25519 "
                         "AAAAC3NzaC1lZDI1NTE5AAAAIGm3lWQhh4c4qjzKL3Fh0YlV0x1Z1zQvZzq9bXk0cQ1A\n")
        rc = main(["capture", str(page), "--session", "s", "--captures", str(root), "--ssh",
                   "lab", "--ssh-config", str(ssh_config), "--update", "--system", "x"])
    assert rc == 1
    out = capsys.readouterr().out
    assert "→ exit 255, unreachable" in out and "nothing written" in out
    assert not root.exists()


def test_allow_mutating_runs_a_refused_command_but_never_an_unparsable_one(
        stubs: Path, tmp_path: Path) -> None:
    planned = [Planned("kubectl delete pod x", "kubectl delete pod x"),
               Planned("kubectl get pods 'unclosed", "kubectl get pods 'unclosed")]
    report = record(planned, Runner(timeout=5), tmp_path / "c", "s",
                    CaptureOptions(allow_mutating=True))
    assert [o.status for o in report.outcomes] == ["new", "refused"]
    assert "the shell parser cannot read it" in report.outcomes[1].reason
    ran = [line for line in _executed(stubs) if not line.startswith("sh -c ")]
    assert ran == ["kubectl delete pod x"]
