"""One placeholder rule for the check and the capture tool (execdocs.snippets.placeholders):
what a <placeholder> is, what may fill it, and the check rejecting a capture whose run: is not
its documented command with such fills (the issue's injected `$(rm${IFS}-rf${IFS}/path)`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project
from execdocs.capture import commands
from execdocs.cli import main
from execdocs.snippets import check, placeholders

DOC = "kubectl describe pod <pod명>"


def test_capture_and_check_share_one_placeholder_rule() -> None:
    assert commands.placeholders is placeholders
    # the check imports the rule where it runs it (on a memo miss): that import, and no other
    # run_problem, in the check's source
    tree = ast.parse(Path(check.__file__).read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
               and any(a.name == "run_problem" for a in n.names)]
    assert [n.module for n in imports] == ["execdocs.snippets.placeholders"]
    assert not any(isinstance(n, ast.FunctionDef) and n.name == "run_problem"
                   for n in ast.walk(tree))
    page = commands.Documented("p.md", 1, "kubectl describe node <node name> -n <ns>")
    assert page.placeholders == ["<node name>", "<ns>"]  # the check's wider rule, both sides
    assert placeholders.names("sort <in >out") == []  # redirections are not placeholders


@pytest.mark.parametrize("fill", ["nginx-7c5ddbdf54-2xkqz", "k3s-agent-1", "10.42.0.7",
                                  "kube-system/coredns", "sha256:abc123", "a+b=c", "user@host",
                                  "v1.31.4+k3s1", "_x"])
def test_safe_fills(fill: str) -> None:
    assert placeholders.fill_problem(fill) is None
    assert placeholders.run_problem(DOC, f"kubectl describe pod {fill}") is None


@pytest.mark.parametrize(("fill", "said"), [
    ("$(rm${IFS}-rf${IFS}/path)", "it holds '$'"),
    ("`id`", "holds '`'"),
    ("x;rm", "holds ';'"),
    ("", "(empty)"),
    ("a b", "2 tokens"),
    ("-w", "starts with '-'"),
    ("--all-namespaces", "starts with '-'"),
    ("'x'", "holds \"'\""),
    ("x>y", "holds '>'"),
    ("\u2010x", "holds"),
    ("*", "holds '*'"),
])
def test_unsafe_fills(fill: str, said: str) -> None:
    why = placeholders.fill_problem(fill)
    assert why is not None and said in why, why
    ran = placeholders.run_problem(DOC, f"kubectl describe pod {fill}")
    assert ran is not None, fill
    if fill:  # an empty fill leaves "kubectl describe pod ": not the command at all
        assert ran.startswith("placeholder <pod명> is filled with"), ran


def test_run_that_is_not_the_documented_command() -> None:
    assert placeholders.run_problem(DOC, "kubectl delete pod x") is not None
    assert placeholders.run_problem("kubectl get pods", "kubectl get pods; rm -rf /x")
    assert placeholders.run_problem("sudo crictl ps", "crictl ps") is None  # sudo ignored


def test_check_rejects_an_injected_fill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, {"nodes.md": f"```console\n$ {DOC}\n```\n"})
    add_session(tmp_path)
    add_capture(tmp_path, DOC, run="kubectl describe pod $(rm${IFS}-rf${IFS}/path)")
    assert main(["check", "-f", str(tmp_path / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"docs/nodes.md:2: snippet '{DOC}': placeholder <pod명> is filled "
                          "with '$(rm${IFS}-rf${IFS}/path)' (it holds '$'; a fill is one word of "
                          "letters, digits and ._:@/+=-)")
    assert "hint: 'run' must be the documented command" in err
