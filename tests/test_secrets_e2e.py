"""All planted secrets through every path: the check flags each at file:line, the capture
tool writes placeholders only (stdout, stderr, run:), and a real ``mkdocs build`` -- strict
(fails) and non-strict (passes) -- leaves no byte of any of them anywhere in site/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import secret_fixtures
from _snippets_project import add_capture, add_session, make_project
from execdocs.cli import main
from execdocs.snippets.check import Options, check_project
from execdocs.snippets.store import load_store

pytestmark = pytest.mark.slow
MKDOCS = Path(sys.executable).with_name("mkdocs")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> list[secret_fixtures.Fixture]:
    return secret_fixtures.made(tmp_path_factory)


def _project(root: Path, planted: list[secret_fixtures.Fixture]) -> Path:
    fences = []
    add_session(root)
    for i, f in enumerate(planted):
        command = f"cat out-{i}.txt"
        stream = {"stdout": f.text} if i % 2 == 0 else {"stderr": f.text.encode()}
        add_capture(root, command, **stream)
        fences.append(f"```console\n$ {command}\n```\n")
    # an author who pasted secrets straight into the page, outside any console fence
    pasted = "\n".join(f"```yaml\n{f.text}```\n" for f in planted[:8])
    make_project(root, {"index.md": "# 비밀 값 시험\n\n" + "\n".join(fences),
                        "pasted.md": "# 붙여 넣은 값\n\n" + pasted})
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("plugins:\n", "plugins:\n  - search\n", 1))
    return root


def _leaks(site: Path, planted: list[secret_fixtures.Fixture]) -> list[tuple[str, str]]:
    blobs = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    return [(f.name, str(p.relative_to(site))) for f in planted for v in f.values
            for p, data in blobs.items() if v.encode() in data]


def test_the_check_flags_each_at_file_and_line(tmp_path: Path,
                                               planted: list[secret_fixtures.Fixture]) -> None:
    root = _project(tmp_path, planted)
    store = load_store(root / "captures")
    page = (root / "docs" / "index.md").read_text()
    report = check_project({"docs/index.md": page}, store,
                           Options(captures_dir=root / "captures", session="lab",
                                   target_versions={}, fold_after=20),
                           whole_site=False)
    problems = [p for p in report.problems if "capture holds a secret" in p.message]
    for i, f in enumerate(planted):
        stream = "stdout" if i % 2 == 0 else "stderr"
        mine = [p for p in problems if f"'cat out-{i}.txt'" in p.message]
        assert any(f"{stream} line {f.line}," in p.message for p in mine), f.name
        assert all(p.path == "docs/index.md" and p.line and ".capture:" in p.detail
                   for p in mine)
    for p in report.problems:
        assert not any(v in p.format() for f in planted for v in f.values)


@pytest.mark.parametrize("strict", [True, False], ids=["strict-fails", "non-strict-passes"])
def test_mkdocs_build_publishes_no_byte_of_any_secret(
        tmp_path: Path, planted: list[secret_fixtures.Fixture], strict: bool) -> None:
    root = _project(tmp_path, planted)
    cmd = [str(MKDOCS), "build", "-f", str(root / "mkdocs.yml")] + (["--strict"] if strict else [])
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600)
    assert (done.returncode != 0) is strict, done.stderr[-2000:]
    site = root / "site"
    if not strict:
        assert (site / "search" / "search_index.json").is_file()
    assert site.is_dir() and _leaks(site, planted) == []  # whatever a failing build wrote
    assert not any(v in done.stderr + done.stdout for f in planted for v in f.values)
    assert "docs/pasted.md:" in done.stderr and "was withheld" in done.stderr
    if strict and not (site / "index.html").exists():
        return
    index = (site / "index.html").read_text()
    assert index.count("execdocs-withheld") >= len(planted) // 2
    pasted = (site / "pasted.html").read_text()
    assert pasted.count("execdocs-withheld") == 8
    assert "docs/pasted.md:" in done.stderr and "was withheld" in done.stderr


def test_capture_writes_placeholders_only(tmp_path: Path, capsys,
                                          planted: list[secret_fixtures.Fixture]) -> None:
    lines = []
    for i, f in enumerate(planted):
        (tmp_path / f"out-{i}.txt").write_text(f.text)
        lines.append(f"$ cat {tmp_path}/out-{i}.txt" if i % 2 == 0
                     else f"$ cat {tmp_path}/out-{i}.txt >&2")
    token = planted[0].values[0]
    page = tmp_path / "p.md"
    page.write_text("---\nexecdocs: {session: s}\n---\n```console\n" + "\n".join(lines)
                    + f"\n$ cat {tmp_path}/<token>.txt\n```\n")
    (tmp_path / f"{token}.txt").write_text("ok\n")
    rc = main(["capture", str(page), "--session", "s", "--captures", str(tmp_path / "cap"),
               "--update", "--system", "this test's files", "--fill", f"<token>={token}"])
    assert rc == 0
    written = b"".join(p.read_bytes() for p in (tmp_path / "cap" / "s").iterdir())
    assert [f.name for f in planted for v in f.values if v.encode() in written] == []
    assert b"<REDACTED:" in written and b"<REDACTED:secret-fill#1>" in written
    # the progress lines on the terminal (often a CI log) show the fill redacted too
    shown = capsys.readouterr()
    assert token not in shown.out + shown.err and "<REDACTED:secret-fill#1>" in shown.out
