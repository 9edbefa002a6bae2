"""A secret in mkdocs.yml is a problem at its line, for ``execdocs check`` as for the builds.

Real configs nobody here wrote (``samples/mkdocs_configs``, cited in its SOURCES.md) give no
problem, though the rule set alone misreads 23 of their nav and redirect lines as ``key: value``
secrets; the same shapes holding real-looking values are still found. The real CLI, the
Zensical extension's engine and (in ``test_check_includes.py``) a real ``mkdocs build --strict``
say it in the same words.
"""

from __future__ import annotations

import secrets as rnd
import string
import subprocess
import sys
from pathlib import Path

from _snippets_project import make_project
from execdocs import config_secrets, secrets
from execdocs.markdown.engine import Engine

CORPUS = Path(__file__).parent / "samples" / "mkdocs_configs"


def _token() -> str:
    return "ghp_" + "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(36))


def test_real_configs_hold_no_secret() -> None:
    files = sorted(CORPUS.glob("*.yml"))
    assert len(files) == 13
    misread = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        misread += len(secrets.scan(text))  # the shapes the config scan reads for what they are
        assert config_secrets.problems(text, path.name) == [], path.name
    # 2: nav pairs like '- k0s token: cli/k0s_token.md' (the kubeconfig rule's token:) read
    # whole are a file name, not a value; 19 before the keyword rule took relative paths
    # (path/to/file.ext) for what they are, 23 before that
    assert misread == 2


def test_the_same_shapes_holding_real_looking_values_are_found() -> None:
    token = _token()
    lines = [
        "site_name: x",
        f"repo_url: https://oauth2:{token}@github.com/a/b",  # 2
        "nav:",
        "  - Secret: guide/scanner/secret.md",  # a title and its page (trivy)
        f"  - 'Tokens {token}': index.md",  # 5: a title shown in the menu
        "  - Password: page.md  # password: Sup3rS3cretValue9",  # 6: the comment
        "  - GitLab: https://deploy:S3cr3tPassw0rd@gitlab.example.com/x",  # 7: the link
        "extra:",
        "  password: Sup3rS3cretValue9",  # 9: not a page, a value
        "plugins:",
        "  - redirects:",
        "      redirect_maps:",
        "        manually-create-secrets.md: service-account-secrets.md",  # argo-workflows
        f"        secret.md: {token}",  # 14
    ]
    found = config_secrets.problems("\n".join(lines) + "\n", "mkdocs.yml")
    assert sorted({p.line for p in found}) == [2, 5, 6, 7, 9, 14]
    for p in found:
        assert p.path == "mkdocs.yml" and token not in p.format()
        assert p.message.endswith("is in the config file: the theme would publish it on "
                                  "every page (navigation, site name, footer)")
        assert p.hint == "take it out of the config file (and rotate it if it was real)"


def test_a_file_that_is_not_yaml_is_scanned_as_text() -> None:
    token = _token()
    found = config_secrets.problems(f"nav: [unclosed\n  - Secret: {token}\n", "mkdocs.yml")
    assert [p.line for p in found] == [2]


def test_check_and_the_zensical_extension_say_it_in_the_same_words(tmp_path: Path,
                                                                  monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # Zensical runs in the project folder
    token = _token()
    make_project(tmp_path, {"index.md": "# 홈\n"})
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + f"nav:\n  - '설정 {token}': index.md\n",
                   encoding="utf-8")
    line = yml.read_text(encoding="utf-8").split("\n").index(f"  - '설정 {token}': index.md") + 1
    result = subprocess.run([sys.executable, "-m", "execdocs", "check", "-f", str(yml)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert token not in result.stderr + result.stdout
    expected = (f"mkdocs.yml:{line}: a github-pat is in the config file: the theme would "
                "publish it on every page (navigation, site name, footer)\n"
                "  hint: take it out of the config file (and rotate it if it was real)\n")
    assert result.stderr == expected
    assert result.stdout.endswith(", 1 problem\n")
    engine = Engine(yml, under_zensical=True)
    assert "".join(p.format() + "\n" for p in engine.config_problems) == expected
