"""``execdocs check`` (and pytest) expand ``--8<--`` includes as ``mkdocs build`` does.

One site holds every shape pymdownx.snippets knows (inline and block includes, line ranges,
sections, nested includes, an escaped marker, ``dedent_subsections``, MkDocs' ``!relative``
base path, a file MkDocs does not build as a page, a missing file) and a secret in mkdocs.yml;
a real ``mkdocs build --strict`` and the real CLI must report the same problems, word for word,
at the included files' lines. Then what the check must refuse (a URL, a missing file under
``check_paths``, settings it cannot read as MkDocs does), and its cache: an edited included
file is a new verdict.
"""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project, run_check

pytest_plugins = ["pytester"]
CLI = [sys.executable, "-m", "execdocs"]
MKDOCS = [sys.executable, "-m", "mkdocs"]
SNIPPETS = "  - pymdownx.snippets:\n{options}  - pymdownx.tabbed:"


def _gh_token() -> str:
    import secrets as rnd
    import string
    return "ghp_" + "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(36))


def _site(root: Path, pages: dict[str, str], options: str, extra: str = "") -> Path:
    for name in pages:
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    make_project(root, pages, extra=extra)
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "  - pymdownx.tabbed:", SNIPPETS.format(options=textwrap.indent(
            textwrap.dedent(options), "      "))), encoding="utf-8")
    add_session(root)
    return root


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "check", "-f", str(root / "mkdocs.yml"), *args], cwd=root,
                          capture_output=True, text=True, timeout=120)


def _blocks(lines: list[str], prefix: re.Pattern[str] | None = None) -> list[str]:
    """Problems as printed: a first line (after the log prefix, if any) and its indented
    detail/hint lines."""
    out: list[str] = []
    open_block = False
    for line in lines:
        if open_block and line.startswith("  "):
            out[-1] += "\n" + line
            continue
        m = prefix.match(line) if prefix is not None else re.match(r"(\S.*)$", line)
        open_block = m is not None
        if m:
            out.append(m.group(1))
    return out


# The page includes everything; docs/includes/check.md is a page of its own too (MkDocs
# builds it), snippets/ lies outside docs (found through `!relative $config_dir/snippets`),
# docs/.snippets/ is a folder MkDocs never builds pages from.
INDEX = """\
---
title: 설치
---
# 설치

--8<-- "includes/check.md"

```console
$ kubectl get nodes
```

;--8<-- "not/an/include.md"

--8<-- "parts.md:2:4"

--8<--
sections.md:deploy
outer.md
--8<--

--8<-- ".snippets/hidden.md"

--8<-- "missing.md"
"""
PAGES = {
    "index.md": INDEX,
    # excluded from execdocs and opted out: their includes are not checked either
    "legacy/old.md": '# old\n\n--8<-- "parts.md"\n',
    "later.md": '---\nexecdocs: {skip: not captured yet}\n---\n--8<-- "parts.md"\n',
}
OPTIONS = """\
base_path: [docs, !relative $config_dir/snippets]
dedent_subsections: true
"""


def _includes_site(root: Path, token: str) -> Path:
    _site(root, PAGES, OPTIONS)
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "        session: lab\n", "        session: lab\n        exclude: ['legacy/**']\n")
        + f"extra:\n  api_token: {token}\n", encoding="utf-8")
    _write(root, "docs/includes/check.md", """\
        Check:

        ```console
        $ kubectl get svc
        ```
        """)
    _write(root, "snippets/parts.md", """\
        zero
        ```console
        $ crictl ps
        ```
        after
        """)
    _write(root, "snippets/sections.md", """\
        # not included
            --8<-- [start:deploy]
            ```console
            $ kubectl get deploy
            ```
            --8<-- [end:deploy]
        ```console
        $ kubectl get all
        ```
        """)
    _write(root, "snippets/outer.md", """\
        Outer:

        --8<-- "inner.md"
        """)
    _write(root, "snippets/inner.md", """\
        ```console
        $ kubectl get events
        ```
        """)
    _write(root, "docs/.snippets/hidden.md", "```console\n$ kubectl get cm\n```\n")
    add_capture(root, "kubectl get nodes", "NAME    STATUS\nk3s-1   Ready\n")
    add_capture(root, "kubectl get events", "LAST SEEN   TYPE\n1m   Normal\n")
    return root


@pytest.mark.slow
def test_build_and_check_report_the_same_problems_at_the_included_lines(tmp_path: Path
                                                                        ) -> None:
    token = _gh_token()
    root = _includes_site(tmp_path, token)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    build = subprocess.run([*MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml")],
                           cwd=root, capture_output=True, text=True, env=env, timeout=300)
    check = _check(root)
    assert build.returncode == 1
    assert "Aborted with 6 execdocs problems" in build.stdout + build.stderr
    assert check.returncode == 1
    for out in (build.stdout + build.stderr, check.stdout + check.stderr):
        assert "Traceback" not in out and token not in out
    built = _blocks((build.stdout + build.stderr).splitlines(),
                    re.compile(r"^WARNING\s+-\s+execdocs(?:\.site)?: (.*)$"))
    # the render-time guard's last pass also withholds the token from every page's frame:
    # that is the build's alone (the check publishes nothing)
    built = [b for b in built if "secret(s) left in the page's final HTML" not in b
             and "secret(s) in the theme's page" not in b]
    checked = [b for b in _blocks(check.stderr.splitlines()) if ": opted out: " not in b]
    assert "snippets/parts.md:2: opted out: not captured yet" in check.stderr  # later.md
    assert sorted(built) == sorted(checked)
    secret_line = (root / "mkdocs.yml").read_text(encoding="utf-8").split("\n").index(
        f"  api_token: {token}") + 1
    heads = sorted(b.split("\n")[0].split(": ")[0] for b in checked)
    assert heads == sorted([
        "docs/includes/check.md:4",  # included by index.md ...
        "docs/includes/check.md:4",  # ... and a page of its own
        "snippets/parts.md:3",  # the line range 2:4 (and not for the excluded or opted-out page)
        "snippets/sections.md:4",  # the section, dedented
        "docs/.snippets/hidden.md:2",  # included; not a page of its own (MkDocs skips .*)
        f"mkdocs.yml:{secret_line}",  # extra: api_token
    ]), checked
    assert (f"mkdocs.yml:{secret_line}: a secret-value is in the config file: the theme would "
            "publish it on every page") in check.stderr
    # kubectl get events (nested include, captured) is checked clean; the rest never shown
    assert check.stdout == ("snippets: 7 commands on 3 pages checked, 1 fence(s) opted out, "
                            "6 problems\n")
    # (the build's snippets summary leaves out the config file's problem: the site reports it)
    assert "INFO    -  execdocs: snippets: 7 commands on 3 pages checked, 1 fence(s) opted out, " \
        "5 problems" in build.stdout + build.stderr
    for never in ("kubectl get all", "not/an/include", "missing.md", "legacy/old.md",
                  "later.md", "kubectl get events"):
        assert never not in check.stderr
    assert "captures/lab" not in check.stderr.replace("or write captures/lab", "")  # no orphan
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "not/an/include.md" in html  # the escaped marker is shown, as written


def _run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code, out, err = run_check(root, capsys, *args)
    return code, err + out


def test_the_check_cache_sees_included_files_change(tmp_path: Path, capsys,
                                                    monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = _site(tmp_path, {"index.md": '# i\n\n--8<-- "part.md"\n'},
                 "base_path: [first, second]\n")
    add_capture(root, "kubectl get nodes", "NAME\nk3s-1\n")
    part = _write(root, "second/part.md", "```console\n$ kubectl get nodes\n```\n")
    assert _run(root, capsys) == (0, "snippets: 1 commands on 1 pages checked, 0 fence(s) "
                                     "opted out, 0 problems\n")
    part.write_text("```console\n$ kubectl get pods\n```\n", encoding="utf-8")
    code, out = _run(root, capsys)
    assert code == 1 and "second/part.md:2: snippet 'kubectl get pods': no capture" in out
    # a file of that name in an earlier base path wins, as in the build
    _write(root, "first/part.md", "```console\n$ kubectl get nodes\n```\n")
    code, out = _run(root, capsys)
    assert code == 0, out
    (root / "first" / "part.md").unlink()
    code, out = _run(root, capsys)
    assert code == 1 and "second/part.md:2" in out
    # unchanged inputs: answered from the cache (the engine would raise)
    from execdocs.snippets import project as project_mod

    monkeypatch.setattr(project_mod, "check_project", lambda *a, **k: 1 / 0)
    assert _run(root, capsys) == (code, out)


def test_a_missing_included_file_under_check_paths_is_a_problem_at_its_line(
        tmp_path: Path) -> None:
    root = _site(tmp_path, {"index.md": '# i\n\n--8<-- "outer.md"\n\n```console\n'
                                        '$ kubectl get nodes\n```\n'},
                 "base_path: [docs/inc]\ncheck_paths: true\n")
    add_capture(root, "kubectl get nodes", "NAME\nk3s-1\n")
    _write(root, "docs/inc/outer.md", 'Outer\n\n--8<-- "gone.md"\n')
    result = _check(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "docs/inc/outer.md:3: included file or section not found (check_paths: true makes "
        "the build fail here)\n  Snippet at path 'gone.md' could not be found\n  hint: ")
    assert "base_path: docs/inc" in result.stderr
    # the page's own command is still checked: its capture is no orphan
    assert "orphan" not in result.stderr
    assert result.stdout.startswith("snippets: 1 commands on 2 pages checked")


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Recorder.seen.append(self.path)
        body = b"```console\n$ curl -s evil\n```\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_url_includes_are_never_downloaded(tmp_path: Path) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/remote.md"
    try:
        root = _site(tmp_path, {"index.md": f'# i\n\n--8<-- "{url}"\n'},
                     "url_download: true\n")
        result = _check(root)
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.seen == []
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"docs/index.md:3: '--8<-- \"{url}\"': execdocs check does not download included "
        "URLs, so what the build would include from it is not checked\n"
        "  url_download is true in mkdocs.yml\n"
        "  hint: keep the file in the repository and include it by path\n")


@pytest.mark.parametrize(("options", "words"), [
    ("base_path: !ENV SNIPPETS_DIR\n", "'base_path' must be a path or a list of paths"),
    ("base_path: [docs, !relative $site_dir]\n", "'!relative $site_dir'"),
    ("auto_append: !ENV [FOOTER]\n", "'auto_append: !ENV ...' is resolved by MkDocs"),
    ("no_such_option: 1\n", "pymdownx.snippets refuses them"),
    ("check_paths: maybe\n", "pymdownx.snippets refuses them"),
])
def test_settings_the_check_cannot_read_as_mkdocs_does_are_a_usage_error(
        tmp_path: Path, capsys, options: str, words: str) -> None:
    root = _site(tmp_path, {"index.md": '--8<-- "x.md"\n'}, options)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    line = text.index("      " + options.rstrip("\n")) + 1
    code, out = _run(root, capsys)
    assert code == 2 and "Traceback" not in out
    assert out.startswith(f"execdocs check: mkdocs.yml:{line}: pymdownx.snippets options: ")
    assert words in out


def test_pytest_items_come_from_included_files_and_a_config_secret_fails(
        pytester: pytest.Pytester) -> None:
    token = _gh_token()
    root = _site(pytester.path, {"index.md": '# i\n\n--8<-- "part.md"\n'},
                 "base_path: [docs/inc]\n", extra=f"extra:\n  token: {token}\n")
    _write(root, "docs/inc/part.md", "```console\n$ kubectl get svc\n```\n")
    result = pytester.runpytest("docs", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=3)  # the command (twice: page and include) and mkdocs.yml
    out = result.stdout.str()
    assert "docs/inc/part.md:2: snippet 'kubectl get svc': no capture in session 'lab'" in out
    line = (root / "mkdocs.yml").read_text(encoding="utf-8").split("\n").index(
        f"  token: {token}") + 1
    assert re.search(rf"mkdocs\.yml:{line}: a [a-z-]+ is in the config file", out)
    assert "FAILED mkdocs.yml::config" in out
    # the two items have their own ids: the file's own, and the page that includes it
    assert "FAILED docs/inc/part.md:2::kubectl get svc (in docs/index.md)" in out
    assert re.search(r"FAILED docs/inc/part\.md:2::kubectl get svc( -|$)", out, re.M), out
    assert token not in out and "Traceback" not in out


def test_restrict_base_path_and_auto_append_are_the_sites(tmp_path: Path, capsys,
                                                          monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # pymdownx.snippets reads a relative base_path from here
    root = _site(tmp_path, {"index.md": '# i\n\n--8<-- "../../outside.md"\n'},
                 "base_path: [docs/inc]\n")
    _write(root, "outside.md", "```console\n$ kubectl get ns\n```\n")
    (root / "docs" / "inc").mkdir()
    assert _run(root, capsys) == (0, "snippets: 0 commands on 1 pages checked, 0 fence(s) "
                                     "opted out, 0 problems\n")  # restricted: not included
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "      base_path: [docs/inc]\n", "      base_path: [docs/inc]\n"
        "      restrict_base_path: false\n      auto_append: [../../footer.md]\n"),
        encoding="utf-8")
    _write(root, "footer.md", "```console\n$ kubectl version\n```\n")
    code, out = _run(root, capsys)
    assert code == 1
    assert "outside.md:2: snippet 'kubectl get ns': no capture in session 'lab'" in out
    # the appended footer is named at its own file and line (the build's line map is told
    # what pymdownx.snippets appends), in the check as in the build
    assert "\nfooter.md:2: snippet 'kubectl version': no capture in session 'lab'" in out
