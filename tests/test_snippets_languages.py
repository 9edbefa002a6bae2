"""Prompt+output fences in languages other than ``console``: ``snippets: languages:``.

Evidence (bench/survey_fence_languages.py over nine public MkDocs sites of this field, 1,537
pages, numbers in bench/README.md): prompt+output blocks are written ``console`` (115 with
output), ``bash``/``shell``/``sh`` or with no language; ``shell-session`` and ``sh-session`` do
not occur once. They are GitHub Linguist's ShellSession (languages.yml: extension
``.sh-session``, aliases ``bash session``, ``console``) and Pygments' second name for the
``console`` lexer (``shell-session``). So execdocs owns ``console`` by default and a site that
writes sessions another way says so (``languages: [console, sh-session]``); until then a
``$ `` line in such a fence is reported as unchecked at page:line and the fence stays as written.

Page shapes nobody here wrote:
- OCLIF_USAGE: the usage block oclif's README generator writes (``sh-session``), as in
  dallonf/causelang's cause-cli README (npm package cause-cli 0.0.0).
- PHONOSYNTHESIS: the install block of shraddhabarke/Phonosynthesis' README (``shellsession``,
  Linguist's language name), here also spelt ``ShellSession`` as Linguist capitalises it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _snippets_project import add_capture, add_session, make_project
from execdocs.mkdocs.config import load_project
from execdocs.problems import ExecDocsError
from execdocs.snippets.parse import parse_page

OCLIF_USAGE = """\
# Usage
<!-- usage -->
```sh-session
$ npm install -g cause-cli
$ cause COMMAND
running command...
$ cause (-v|--version|version)
cause-cli/0.0.0 linux-x64 node-v14.5.0
$ cause --help [COMMAND]
USAGE
  $ cause COMMAND
...
```
<!-- usagestop -->
"""

PHONOSYNTHESIS = """\
### Clone the repo and install Python dependencies

```shellsession
$ git clone https://github.com/shraddhabarke/Phonosynthesis.git
$ cd Phonosynthesis
$ pip install -e .
```
"""


def test_sh_session_is_reported_unchecked_by_default_and_kept() -> None:
    parsed = parse_page("docs/cli.md", OCLIF_USAGE)
    assert parsed.fences == []  # not owned: rendered exactly as written
    [problem] = parsed.problems
    assert problem.line == 3
    assert "fence 'sh-session' holds '$ ' commands but is not a console fence" in (
        problem.message)
    assert "add 'sh-session' to 'snippets: languages:'" in (problem.hint or "")
    assert "snippet languages: console" in (problem.detail or "")
    assert parsed.foreign_prompts == 4  # the prompts a highlighter may show are expected


def test_sh_session_in_languages_is_a_snippet_with_its_written_output() -> None:
    parsed = parse_page("docs/cli.md", OCLIF_USAGE, languages=("console", "sh-session"))
    assert parsed.problems == []
    [fence] = parsed.fences
    assert [c.text for c in fence.commands] == [
        "npm install -g cause-cli", "cause COMMAND", "cause (-v|--version|version)",
        "cause --help [COMMAND]"]
    assert [c.line for c in fence.commands] == [4, 5, 7, 9]
    # written output is the page's claim, kept line for line (the indented '$' is output)
    assert fence.commands[1].output == ["running command..."]
    assert fence.commands[3].output == ["USAGE", "  $ cause COMMAND", "..."]


@pytest.mark.parametrize("spelt", ["shellsession", "ShellSession"])
def test_language_names_compare_case_insensitively(spelt: str) -> None:
    page = PHONOSYNTHESIS.replace("```shellsession", f"```{spelt}")
    reported = parse_page("docs/install.md", page)
    assert [p.line for p in reported.problems] == [3]
    assert "add 'shellsession'" in (reported.problems[0].hint or "")
    owned = parse_page("docs/install.md", page, languages=("console", "shellsession"))
    assert owned.problems == []
    assert [c.text for f in owned.fences for c in f.commands] == [
        "git clone https://github.com/shraddhabarke/Phonosynthesis.git", "cd Phonosynthesis",
        "pip install -e ."]


def test_a_fence_without_language_is_hinted_without_the_option() -> None:
    parsed = parse_page("docs/x.md", "```\n$ kubectl get ns\nNAME   STATUS\n```\n")
    [problem] = parsed.problems
    assert "fence '(no language)'" in problem.message
    assert "languages" not in (problem.hint or "")


def _project(tmp_path: Path, languages: str) -> Path:
    return make_project(tmp_path, {"index.md": OCLIF_USAGE.replace(
        "$ cause --help [COMMAND]\nUSAGE\n  $ cause COMMAND\n...\n", "")},
        extra=f"        languages: {languages}\n")


def test_the_option_reaches_the_cli_check_and_is_normalised(tmp_path: Path) -> None:
    root = _project(tmp_path, "[console, SH-Session, sh-session]")
    project = load_project(root / "mkdocs.yml")
    assert project is not None
    assert project.options.languages == ("console", "sh-session")
    with pytest.raises(ExecDocsError, match="invalid option 'plugins: execdocs: snippets'"):
        load_project(_project(tmp_path / "bad", "console").joinpath("mkdocs.yml"))


@pytest.mark.slow
def test_a_build_owns_sh_session_fences_when_configured(tmp_path: Path) -> None:
    root = _project(tmp_path, "[console, sh-session]")
    add_session(root, provenance="reference", source="https://github.com/dallonf/causelang")
    add_capture(root, "npm install -g cause-cli", "added 1 package in 2s\n")
    add_capture(root, "cause COMMAND", "running command...\n")
    add_capture(root, "cause (-v|--version|version)", "cause-cli/0.0.0 linux-x64 node-v14.5.0\n")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                           str(root / "mkdocs.yml")], cwd=root, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "snippets: 3 commands on 1 pages checked" in proc.stderr
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-copy="npm install -g cause-cli"' in html
    assert "added 1 package in 2s" in html  # the capture is shown under the command
    assert html.count('class="execdocs-output execdocs-reference no-copy"') == 3


# an indented code block (after a paragraph and a blank line) holding two fences
IN_CODE = "Text.\n\n        ```{lang}\n        {line}\n        ```\n"


@pytest.mark.parametrize("languages", [("console",), ("console", "sh-session")])
def test_the_snippet_scan_skips_the_structure_parse_only_for_plain_code(languages) -> None:
    from execdocs.scan import scan

    plain = IN_CODE.format(lang="yaml", line="a: 1")
    assert scan(plain).fences == []  # exact: code text to Python-Markdown
    assert len(scan(plain, snippets=languages).fences) == 1  # not a snippet: not looked at
    assert parse_page("docs/p.md", plain, languages=languages).problems == []
    for lang, line in (("console", "$ ls"), ("sh-session", "$ ls"), ("bash", "$ ls")):
        text = IN_CODE.format(lang=lang, line=line)
        found = scan(text, snippets=languages)
        assert found.fences == [] and "indented code block" in found.doubts[0][1]
