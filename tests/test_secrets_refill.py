"""A secret given with --fill is stored redacted in run:; running that capture again without
it is refused, and the refusal says which fill to give and how (page, session, --fill)."""

from __future__ import annotations

import secrets as rnd
from pathlib import Path

import pytest
from execdocs.capture.redact import redacted_fills
from execdocs.cli import main


def test_refusal_names_the_fill_to_give_again(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    token = "ghp_" + rnd.token_hex(18)
    (tmp_path / f"{token}.txt").write_text("ok\n")
    page = tmp_path / "p.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n"
                    f"$ cat {tmp_path}/<token>.txt\n```\n")
    base = ["capture", "--session", "s", "--captures", str(tmp_path / "cap")]
    assert main([*base[:1], str(page), *base[1:], "--update", "--system", "this test",
                 "--fill", f"<token>={token}"]) == 0
    stored = next((tmp_path / "cap" / "s").glob("*.capture")).read_text()
    assert token not in stored and "<REDACTED:secret-fill#1>" in stored
    capsys.readouterr()
    for args in ([*base[:1], str(page), *base[1:]], base):  # from the page, from the session
        assert main(args) == 1
        err = capsys.readouterr().err
        assert "stored run: line not run: <token> held a secret" in err, err
        assert ("hint: give it again with its page: execdocs capture PAGE --session s "
                "--fill '<token>=VALUE'") in err
        assert token not in err
    # and doing what it says plans the command again
    assert main([*base[:1], str(page), *base[1:], "--fill", f"<token>={token}"]) == 0
    assert "will run" in capsys.readouterr().out


def test_redacted_fills_only_names_redacted_placeholders() -> None:
    command = "kubectl --token=<token> -n <namespace> get pods"
    assert redacted_fills(command, "kubectl --token=<REDACTED:secret-fill#1> -n web get pods") \
        == ["<token>"]
    assert redacted_fills(command, "kubectl --token=abc -n web get pods") == []
    assert redacted_fills("kubectl get pods", "kubectl get pods") == []
