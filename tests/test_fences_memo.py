"""The fence finder's memo (``VerdictMemo.find_fences``): a remembered answer is exactly what the
finder gives, for the same text under the same settings only; settings it cannot describe the
same way in every process (a custom fence's own validator) are never remembered."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from _site_markdown import site_extensions
from execdocs import scan
from execdocs.snippets.memo import VerdictMemo

TESTS = Path(__file__).parent
CORPORA = sorted((TESTS / "samples").rglob("*.md")) + sorted(
    (TESTS.parent / "docs").rglob("*.md"))


def site_markdown(**changes: object) -> markdown.Markdown:
    names, configs = site_extensions()
    configs = {**configs, **changes.pop("configs", {})}  # type: ignore[dict-item]
    return markdown.Markdown(extensions=names, extension_configs=configs, **changes)


def lines_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S).split("\n")


def fresh(root: Path) -> VerdictMemo:
    memo = VerdictMemo(root)
    memo.load()
    return memo


def test_every_corpus_page_gets_the_finders_answer_cold_and_warm(tmp_path: Path) -> None:
    assert len(CORPORA) > 20
    pages = [lines_of(p) for p in CORPORA]
    # and each page with its lines indented into a list item, quoted, and cut short (an
    # unclosed fence): bodies that are not a plain cut of the lines, fences left open
    pages += [["- item", ""] + ["    " + ln if ln else "" for ln in p] for p in pages[:10]]
    pages += [["> " + ln for ln in p] for p in pages[:10]]
    pages += [p[: len(p) // 2] for p in pages[:10]]
    # trailing blanks, tabs and CRs inside bodies are the code's own
    pages.append(["```console", "$ kubectl get pods   ", "NAME\t ", "```", "", "```bash\r",
                  "echo hi  \r", "```\r", "", "- a", "", "\t```yaml", "\tkey: 1 ", "\t```"])
    memo = fresh(tmp_path)
    md = site_markdown()
    expected = [scan.find_fences(p, md) for p in pages]
    assert sum(len(found) for found, _ in expected) > 100
    assert any(unclosed is not None for _, unclosed in expected)
    assert [memo.find_fences(p, site_markdown()) for p in pages] == expected
    assert memo.hits == 0
    memo.save()
    warm = fresh(tmp_path)
    assert [warm.find_fences(p, site_markdown()) for p in pages] == expected
    assert warm.misses == 0 and warm.hits == len(pages)


def test_settings_are_described_the_same_in_another_process() -> None:
    here = scan.finder_settings(site_markdown())
    assert here is not None
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from _site_markdown import "
            "site_extensions; import markdown; from execdocs import scan; n, c = "
            "site_extensions(); print(scan.finder_settings(markdown.Markdown(extensions=n, "
            "extension_configs=c)))")
    out = subprocess.run([sys.executable, "-c", code, str(TESTS)], capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == here


def test_other_settings_are_another_key_and_never_this_ones_answer(tmp_path: Path) -> None:
    # tab length decides how deep an indented fence is; a custom fence name decides whether
    # ```mermaid opens a fence with options the highlighter refuses
    page = ["- item", "", "\t```console", "\t$ kubectl get nodes", "\t```", "",
            '```mermaid title="x"', "graph LR", "```"]
    plain = scan.finder_settings(site_markdown())
    wide = scan.finder_settings(site_markdown(tab_length=2))
    fences = {"pymdownx.superfences": {"custom_fences": [
        {"name": "mermaid", "class": "mermaid",
         "format": __import__("pymdownx.superfences").superfences.fence_code_format}]}}
    custom = scan.finder_settings(site_markdown(configs=fences))
    assert None not in (plain, wide, custom) and len({plain, wide, custom}) == 3
    memo = fresh(tmp_path)
    for md in (site_markdown(), site_markdown(tab_length=2), site_markdown(configs=fences),
               site_markdown()):
        assert memo.find_fences(page, md) == scan.find_fences(page, md)
    assert memo.misses == 3 and memo.hits == 1


def test_a_custom_validator_of_its_own_is_never_remembered(tmp_path: Path) -> None:
    # a user's validator may read anything: the fence finder runs every time
    def validator(language: str, inputs: dict, options: dict, attrs: dict, md: object) -> bool:
        return "skip" not in inputs

    fences = {"pymdownx.superfences": {"custom_fences": [
        {"name": "demo", "class": "demo", "validator": validator,
         "format": __import__("pymdownx.superfences").superfences.fence_code_format}]}}
    md = site_markdown(configs=fences)
    assert scan.finder_settings(md) is None
    page = ["```demo", "a", "```", "", "```{.demo skip=1}", "b", "```"]
    memo = fresh(tmp_path)
    assert memo.find_fences(page, md) == scan.find_fences(page, md)
    assert memo.hits == memo.misses == 0
    memo.save()
    assert not (tmp_path / ".cache").exists()  # nothing was remembered


@pytest.mark.parametrize("damage", ["no rows", "bad first row", "wrong length", "start past end",
                                    "body past the page", "body of numbers", "cut negative"])
def test_a_damaged_entry_is_recomputed(tmp_path: Path, damage: str) -> None:
    page = lines_of(TESTS / "samples" / "scan" / "shapes.md")
    memo = fresh(tmp_path)
    expected = memo.find_fences(page, site_markdown())
    memo.save()
    path = tmp_path / ".cache" / "execdocs" / "snippets" / "verdicts.json"
    head, body = path.read_text(encoding="utf-8").split("\n")
    entries = json.loads(body)
    (key, rows), = entries.items()
    row = next(r for r in rows[1:] if isinstance(r[6], dict) and r[6]["n"] > 0)
    if damage == "no rows":
        rows.clear()
    elif damage == "bad first row":
        rows[0] = ["x"]
    elif damage == "wrong length":
        row.pop()
    elif damage == "start past end":
        row[0] = row[1]
    elif damage == "body past the page":
        row[6]["n"] = len(page)
    elif damage == "body of numbers":
        row[6] = [1, 2]
    else:
        row[6]["cut"] = -1
    from execdocs.snippets.memo import dumps

    # a well-formed file of this code, checksum right, whose entry is wrong
    path.write_bytes(dumps(json.loads(head)["fingerprint"], entries))
    warm = fresh(tmp_path)
    assert warm.find_fences(page, site_markdown()) == expected
    assert warm.misses == 1 and warm.hits == 0


def test_an_extension_whose_highlight_settings_fail_is_passed_over_as_superfences_does(
        tmp_path: Path) -> None:
    class Odd(markdown.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.registerExtension(self)

        def get_pymdownx_highlight_settings(self) -> dict:
            raise AttributeError("not a highlighter")

    names, configs = site_extensions()
    md = markdown.Markdown(extensions=[Odd(), *names], extension_configs=configs)
    assert scan.finder_settings(md) is not None  # no error: the highlighter after it is used
    page = ["```console", "$ kubectl get nodes", "```"]
    assert fresh(tmp_path).find_fences(page, md) == scan.find_fences(page, md)


def test_an_option_whose_repr_fails_means_no_memo(tmp_path: Path) -> None:
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    md = site_markdown()
    md.preprocessors["fenced_code_block"].config["odd"] = Broken()
    assert scan.finder_settings(md) is None
    page = ["```console", "$ kubectl get nodes", "```"]
    memo = fresh(tmp_path)
    assert memo.find_fences(page, md) == scan.find_fences(page, md)
    assert memo.hits == memo.misses == 0
