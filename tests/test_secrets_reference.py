"""The fast paths of the secret rules find exactly what the plain searches find, over a corpus
of real text: this site's built pages (as the render-time guard reads them), the HTML templates
of Material for MkDocs and the Python sources of the installed MkDocs, Python-Markdown,
PyMdown Extensions, Jinja and Click (real code full of ``key``, ``token`` and ``password``
that nobody here wrote; read where pip installed them, versions in the failure message), and
every planted secret and clean output of the secret tests, alone, joined to one line and
planted inside a page.

The reference path is the search each fast path replaces, kept here: the keyword rule's
regex over the whole text (not only the stretches of lines a key can be on), every gitleaks
rule's and field rule's ``finditer`` over the whole text (not only where its literals start a
match), the blob regex tried at every position, and ``str.lower()`` of the whole text.
"""

from __future__ import annotations

import json
import random
import re
import sys
import tomllib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest
import secret_fixtures
import test_secret_families
import test_secrets
from execdocs import (
    secret_encoded,
    secret_fields,
    secret_gitleaks,
    secret_html,
    secret_keywords,
    secret_starts,
    secrets,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_snippets import _output  # noqa: E402  (the tables bench_secrets.py scans)

PACKAGES = ("mkdocs", "markdown", "pymdownx", "jinja2", "click")
DISTRIBUTIONS = ("mkdocs", "markdown", "pymdown-extensions", "jinja2", "click", "mkdocs-material")
LIMIT = 150_000  # characters of sources (and as many of templates): the reference is slow
_ICON = re.compile(r"(base64,[A-Za-z0-9+/=]{200})[A-Za-z0-9+/=]+")
_WORDS = re.compile(r"token|passw|secret|api_?key|auth", re.I)


def _installed() -> list[str]:
    """Python sources of PACKAGES that mention a secret-ish word, and Material's templates."""
    import material

    texts: list[str] = []
    for name in PACKAGES:
        root = Path(__import__(name).__file__).parent
        size = 0
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            if _WORDS.search(text) and size < LIMIT // len(PACKAGES):
                texts.append(text)
                size += len(text)
    templates = Path(material.__file__).parent / "templates"
    for path in sorted(templates.rglob("*.html")):
        if path.stat().st_size < 20_000 and sum(map(len, texts)) < 2 * LIMIT:
            texts.append(path.read_text(encoding="utf-8"))
    return texts


@pytest.fixture(scope="module")
def corpus(built_site: object, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    pages = sorted(Path(built_site.path).rglob("*.html"))  # type: ignore[attr-defined]
    page_texts = []  # the middle 40,000 characters of each (the reference path is slow)
    for path in pages:
        text = secret_html.segments(path.read_text(encoding="utf-8"))[0]
        # the diagrams' icons (data: URIs) cut to 200 base64 characters each: the plain
        # search of a lazy-run rule costs ~20 s on a page that holds them whole
        text = _ICON.sub(r"\1", text)
        page_texts.append(text[max(0, len(text) // 2 - 20_000): len(text) // 2 + 20_000])
    planted = [f.text for f in secret_fixtures.made(tmp_path_factory)]
    planted += [text for text, *_rest in test_secrets.CASES.values()]
    planted += [text for text, _expected in test_secrets.SECRET_CASES.values()]
    planted += [test_secrets.KUBECONFIG, test_secrets.STRING_DATA]
    planted += list(test_secret_families._clean_outputs(tmp_path_factory.mktemp("c")).values())
    planted += [" ".join(t.splitlines()) for t in planted]
    page = max(page_texts, key=len)
    inside = []  # each in a different 1,500 characters of the page, at a different place
    for i, t in enumerate(planted):
        at = i * 997 % (len(page) - 1500)
        piece = page[at:at + 1500]
        inside.append(piece[:i * 31 % 1500] + t + piece[i * 31 % 1500:])
    odd = ["\u212aey = Qx7Lm2Vb9Rt4Wz8K3Hd6Jf\n" + page[:3000],  # KELVIN SIGN lowers to k
           "İİ token = Qx7Lm2Vb9Rt4Wz8K3Hd6Jf\n" + page[:3000],  # lowers to two characters
           "ſecret_key = Qx7Lm2Vb9Rt4Wz8K3Hd6Jf 비밀 \udcff\n" + page[:3000],
           "가" * 40 + base64_blob() + "\n" + "나" * 3 + base64_blob() + "\udcff"]
    tables = [_output(i).decode() for i in range(5)]
    return page_texts + _installed() + planted + inside + odd + tables


def base64_blob() -> str:
    import base64
    return base64.b64encode(b"apiVersion: v1\nusers:\n- user:\n    token: Zq83kfPqLm2Vb9Rt\n"
                            ).decode()


def _reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fast path replaced by the plain search it stands for."""
    monkeypatch.setattr(secret_keywords, "stretches",
                        lambda text, low, words=(): [(0, len(text), len(text))])
    monkeypatch.setattr(secret_starts, "positions", lambda *args: None)  # gitleaks and fields
    monkeypatch.setattr(secret_encoded, "blobs", lambda text: secret_encoded.BASE64.finditer(text))

    def lower(text: str) -> tuple[str, bytes]:
        low = text.lower()
        return low, low.encode("utf-8", "surrogatepass")

    monkeypatch.setattr(secrets, "_lower", lower)


def _every(texts: list[str]) -> list[tuple[list[tuple[str, int, int]], list[secrets.Finding]]]:
    # as output, and the short ones as command lines too (shell: KEY=value ends at a blank)
    return [(secrets.matches(t), secrets.scan(t, shell=True) if len(t) < 5000 else [])
            for t in texts]


def test_fast_paths_find_what_the_plain_searches_find(
        corpus: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _every(corpus)
    with monkeypatch.context() as m:
        _reference(m)
        slow = _every(corpus)
    versions = {d: metadata.version(d) for d in DISTRIBUTIONS}
    differ = [(i, corpus[i][:80]) for i, (a, b) in enumerate(zip(fast, slow, strict=True))
              if a != b]
    assert differ == [], versions
    assert sum(len(found) for found, _shell in fast) > 150  # the corpus holds secrets
    assert len(corpus) > 400 and sum(map(len, corpus)) > 800_000


def test_the_fast_paths_leave_most_of_a_page_unsearched(corpus: list[str]) -> None:
    # what the reference test compares is really another path: on a page of this site the
    # keyword rule searches a small part of the text, and the rules with a literal start
    # are tried only there
    page = corpus[0]
    low = page.lower()
    searched = sum(stop - start for start, stop, _end in secret_keywords.stretches(page, low))
    assert searched < len(page) / 5
    rules = {r.id: r for r in secret_gitleaks.load()[0]}
    assert rules["jwt"].starts == (("ey",), ())
    assert rules["generic-api-key"].lazy is not None
    # every rule but a few with rare keywords is anchored; sumologic-access-id (two lazy
    # runs, the keyword 'sumo' found inside a diagram's base64 icon) took ~20 s per page
    # of this site when searched everywhere
    assert rules["sumologic-access-id"].lazy is not None
    assert sum(1 for r in rules.values() if r.starts is None and r.lazy is None) <= 6


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b(ey[a-z]{3})", (("ey",), ())),
    (r"(?i)\b(?:ghp|gho)_x", ((), ("gho_", "ghp_"))),
    (r"s\.(?i:[a-z]{24})|hvs\.", (("hvs.", "s."), ())),
    (r"(?i)(?:(?-i:[Aa]pi)|key)=", ((), ("api=", "key="))),  # '=' under (?i): all folded
    (r"(?i)(?:(?-i:[Aa]pi)|key)(?-i:=)", (("Api=", "api="), ("key=",))),
    (r"x{2,}y", (("xx",), ())),
    (r"[\w.-]{0,50}?key", None),   # an optional run first: tried everywhere
    (r"a?bc", None),
    (r"[a-z]{3}", None),           # too many characters to list
])
def test_prefixes(pattern: str, expected: tuple[tuple[str, ...], tuple[str, ...]] | None
                  ) -> None:
    assert secret_starts.prefixes(pattern) == expected


@pytest.mark.parametrize("text", [
    "x name: DB_PASSWORD\n  value: s3cr3t\n", '{"name": "DB_PASSWORD", "value": "s3cr3t"}',
    '\\"name\\":\\"DB_PASSWORD\\",\\"value\\":\\"s3cr3t\\"', "--token s3cr3tS3cr3t",
    "a.--db-password s3cr3t", '"my secret": "s3cr3t"', "API_KEY=s3cr3t", "db.password = s3cr3t",
])
def test_each_form_keeps_its_line(text: str) -> None:
    low = text.lower()
    assert secret_keywords.stretches(text, low) != []
    assert list(secret_keywords.find(text, present=None)) != []


def test_prose_and_code_lines_are_not_searched() -> None:
    text = ("for(var[key,value]of Object.entries(palette.color))\n"
            "토큰(token)은 비밀입니다\nt.pathname+\".\"+e\n")
    assert secret_keywords.stretches(text, text.lower()) == []


def _blobs(find: Callable[[str], object], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in find(text)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lead", ["", "가나다 ", "\udcff\udcfe ", "é" * 33])
def test_blob_offsets_in_any_text(lead: str) -> None:
    text = lead + base64_blob() + " 쿠버네티스 " + base64_blob()[:40] + "\n"
    assert _blobs(secret_encoded.blobs, text) == _blobs(secret_encoded.BASE64.finditer, text)
    assert len(_blobs(secret_encoded.blobs, text)) == 2


def test_the_derived_rule_file_is_what_the_rules_give() -> None:
    # data/gitleaks.derived.json saves every process ~0.3 s of pattern analysis; it must be
    # exactly what the analysis gives for today's rules and code (regenerate:
    # python -m execdocs.secret_gitleaks)
    on_disk = json.loads(secret_gitleaks.DERIVED.read_text(encoding="utf-8"))
    assert on_disk == secret_gitleaks.derive()
    assert all(rule.derived is not None for rule in secret_gitleaks.load()[0])


def test_the_kept_rules_are_used_only_for_the_rule_file_they_were_made_from() -> None:
    # the derived file keeps the parsed rules (no TOML parse per process) under the rule
    # file's SHA-256: any other bytes, or a kept copy of the wrong shape, parse the TOML again
    derived, raw = secret_gitleaks._read_derived(), secret_gitleaks.DATA.read_bytes()
    kept = secret_gitleaks._kept_rules(derived, raw)
    parsed = tomllib.loads(raw.decode("utf-8"))
    assert kept == {"allowlist": parsed["allowlist"],
                    "rules": list(secret_gitleaks._ported(parsed))}
    assert secret_gitleaks._kept_rules(derived, raw + b"\n") is None  # the rules changed
    assert secret_gitleaks._kept_rules({**derived, "toml": {"rules": "x"}}, raw) is None
    broken = {**derived, "toml": {"allowlist": {}, "rules": [{"id": "x"}]}}
    assert secret_gitleaks._kept_rules(broken, raw) is None
    assert secret_gitleaks._kept_rules({}, raw) is None


def test_a_derived_entry_is_used_only_for_its_own_pattern() -> None:
    entry = secret_gitleaks.derive()["rules"]["jwt"]
    assert secret_gitleaks._fits(entry, entry["source"])
    assert not secret_gitleaks._fits(entry, entry["source"] + "x")  # the rule changed
    assert not secret_gitleaks._fits({**entry, "starts": [["ey"]]}, entry["source"])
    assert not secret_gitleaks._fits({**entry, "lazy": [1, "x"]}, entry["source"])
    assert not secret_gitleaks._fits("junk", entry["source"])
    # a rule without its entry works it out itself, to the same result
    bare = secret_gitleaks.GitleaksRule(id="jwt", source=entry["source"], keywords=(),
                                        entropy=0.0, secret_group=0, allow_specs=())
    assert bare.pattern == entry["pattern"]
    assert bare.starts == (("ey",), ())


def test_bare_bootstrap_tokens_are_what_the_regex_finds_everywhere() -> None:
    # the rule is tried only around its second half; on random texts dense in dots, token
    # characters and near-misses it finds exactly what searching every position finds
    rnd = random.Random(5)
    alphabet = "abcdef0123456789.-_ xyzABC\n"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 80)))
        if rnd.random() < 0.5:
            at = rnd.randint(0, len(text))
            text = text[:at] + "abc123." + "".join(
                rnd.choice("abcdefghij0123456789") for _ in range(16)) + text[at:]
        expected = [m.span("secret") for m in secret_fields._BOOTSTRAP_BARE.finditer(text)]
        assert list(secret_fields._bare_bootstrap_tokens(text)) == expected, text
