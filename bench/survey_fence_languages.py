"""Which fence languages real MkDocs sites use for prompt+output blocks (evidence for issue 13).

Reads git mirrors of public MkDocs sites (``git show`` of HEAD, no work tree needed), finds the
fences of every page under the site's ``docs_dir`` with execdocs' own scanner (superfences'
rules), and counts, per fence language: fences with a ``$ `` prompt line, and of those the
ones that also hold output (a non-blank line after a prompt that is not itself a command, a
continuation or a comment). Prints a table; the numbers in bench/README.md come from it.

    .venv/bin/python bench/survey_fence_languages.py /work/.mirror/*/repo
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml
from execdocs.scan import find_fences


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def _docs_dir(repo: Path, files: list[str]) -> str | None:
    for cfg in ("mkdocs.yml", "mkdocs.yaml", "hack/api-docs/mkdocs.yml"):
        if cfg in files:
            text = _git(repo, "show", f"HEAD:{cfg}")
            try:
                data = yaml.load(text, Loader=yaml.BaseLoader) or {}
            except yaml.YAMLError:
                data = {}
            base = str(Path(cfg).parent) if "/" in cfg else ""
            docs = str(data.get("docs_dir") or "docs") if isinstance(data, dict) else "docs"
            return str(Path(base, docs)) if base and not docs.startswith("..") else \
                str(Path(base, docs).resolve().relative_to(Path.cwd().resolve())) \
                if docs.startswith("..") else docs
    return None


def _has_output(body: list[str]) -> bool:
    after_prompt = False
    continued = False
    for line in body:
        if line.startswith("$ "):
            after_prompt, continued = True, line.rstrip().endswith("\\")
            continue
        if continued:
            continued = line.rstrip().endswith("\\")
            continue
        if after_prompt and line.strip() and not line.lstrip().startswith("#"):
            return True
    return False


def survey(repo: Path) -> tuple[str, int, Counter[str], Counter[str]]:
    files = _git(repo, "ls-tree", "-r", "--name-only", "HEAD").split("\n")
    docs = _docs_dir(repo, files)
    if docs is None:
        return repo.parent.name, 0, Counter(), Counter()
    docs = docs.replace("hack/api-docs/../../docs", "docs")
    pages = [f for f in files if f.startswith(docs.rstrip("/") + "/") and f.endswith(".md")]
    prompt: Counter[str] = Counter()
    session: Counter[str] = Counter()
    for page in pages:
        text = _git(repo, "show", f"HEAD:{page}")
        fences, _ = find_fences(text.split("\n"))
        for f in fences:
            if any(ln.startswith("$ ") for ln in f.body):
                lang = f.lang or "(none)"
                prompt[lang] += 1
                if _has_output(f.body):
                    session[lang] += 1
    return repo.parent.name, len(pages), prompt, session


def main(argv: list[str]) -> None:
    total_p: Counter[str] = Counter()
    total_s: Counter[str] = Counter()
    for arg in argv:
        repo = Path(arg)
        name, pages, prompt, session = survey(repo)
        head = _git(repo, "log", "-1", "--format=%h %cs").strip()
        print(f"{name} ({head}): {pages} pages")
        for lang, n in prompt.most_common():
            print(f"    {lang:16} $-fences {n:4}   with output {session[lang]:4}")
        total_p += prompt
        total_s += session
    print("all sites:")
    for lang, n in total_p.most_common():
        print(f"    {lang:16} $-fences {n:4}   with output {total_s[lang]:4}")


if __name__ == "__main__":
    main(sys.argv[1:])
