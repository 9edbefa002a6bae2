"""The triggers that let a text skip rules never make a rule miss: with every rule forced to
run, the same secrets are found in every planted secret and every test text; and a clean
kubectl table runs no rule at all (what keeps the check of 3,000 captures fast)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import secret_fixtures
import test_secret_families
import test_secrets
from execdocs import secret_fields, secret_gitleaks, secret_keywords, secret_triggers, secrets

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_snippets import _output  # noqa: E402  (the tables bench_secrets.py scans)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Every planted secret and every text of the secret tests, also joined to one line."""
    tmp = tmp_path_factory.mktemp("corpus")
    texts = [f.text for f in secret_fixtures.made(tmp_path_factory)]
    texts += [text for text, *_rest in test_secrets.CASES.values()]
    texts += [text for text, _expected in test_secrets.SECRET_CASES.values()]
    texts += [test_secrets.KUBECONFIG, test_secrets.STRING_DATA]
    texts += list(test_secret_families._clean_outputs(tmp).values())
    texts += [" ".join(t.splitlines()) for t in texts]  # the same, as one line
    return texts


def test_forcing_every_rule_finds_nothing_more(corpus: list[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus
    gated = [secrets.matches(t) for t in texts]
    assert sum(map(len, gated)) > 60  # the corpus does hold secrets
    # every field rule, the keyword rule and the base64 pass forced on every text; gitleaks'
    # rules keep gitleaks' own keyword test (forcing ~220 of them costs a minute)
    own = secret_fields.TRIGGERS | set(secret_keywords.PREFILTER_WORDS)
    monkeypatch.setattr(secrets, "_gate",
                        lambda low, raw=None: (secret_triggers.present(low) | own, True))
    monkeypatch.setattr(secret_fields.Rule, "may_match", lambda self, present, low: True)
    forced = [secrets.matches(t) for t in texts]
    assert [i for i, (a, b) in enumerate(zip(gated, forced, strict=True)) if a != b] == []


def test_each_field_rule_match_holds_one_of_its_triggers(corpus: list[str]) -> None:
    for text in corpus:
        low = text.lower()
        present = secret_triggers.present(low)
        for rule in secret_fields.RULES:
            if any(True for _ in rule.spans(text)):
                assert rule.may_match(present, low), (rule.kind, text[:60])
        if any(True for _ in secret_keywords.find(text, present=None)):
            assert not present.isdisjoint(secret_keywords.PREFILTER_WORDS)


def test_a_clean_kubectl_table_runs_no_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a rule ran on a clean table")

    monkeypatch.setattr(secret_fields.Rule, "spans", refuse)
    monkeypatch.setattr(secret_keywords, "find", refuse)
    monkeypatch.setattr(secret_gitleaks, "find", refuse)
    for i in range(20):
        parts = (("command", f"kubectl get pods -n ns-{i} -o wide", True),
                 ("stdout", _output(i), False), ("stderr", b"", False))
        assert secrets.scan_many(parts) == []


def test_one_word_wakes_its_rules_only() -> None:
    low = "name: web\nimage: ghcr.io/x/y:1.0\n"
    assert secret_triggers.present(low) == frozenset()
    present = secret_triggers.present("authorization: bearer abc")
    assert {"bearer", "auth"} <= present
    woken = {r.kind for r in secret_fields.RULES if r.may_match(present, "")}
    assert woken == {"bearer-token"}
