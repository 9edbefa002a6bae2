"""The capture policy against a corpus of command forms (tests/samples/policy_corpus.py): real
commands from k3s, containerd, kubectl and Kubernetes docs, issues and cheat sheets, and
disguises of every refused class. Each verdict is written in the corpus by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from execdocs.capture.policy import Allowance, check, join_continuations

sys.path.insert(0, str(Path(__file__).parent / "samples"))
from policy_corpus import ALLOW, CORPUS  # noqa: E402

KINDS = {"not-read-only", "never-ends", "substitution", "expansion", "glob", "redirection",
         "background", "interpreter", "structure", "assignment", "path", "unicode",
         "unparsable", "repeats", "writes"}


def test_the_corpus_is_large_and_covers_every_class() -> None:
    assert len(CORPUS) >= 150
    assert sum(row[1] == ALLOW for row in CORPUS) >= 40
    assert {row[1] for row in CORPUS} == KINDS | {ALLOW}
    assert len({row[0] for row in CORPUS}) == len(CORPUS), "a command is listed twice"


@pytest.mark.parametrize("row", CORPUS, ids=[repr(r[0])[:60] for r in CORPUS])
def test_corpus_verdict(row: tuple[str, ...]) -> None:
    command, expected = row[0], row[1]
    verdict = check(command)
    if expected == ALLOW:
        assert verdict.allowed, verdict.message()
        assert verdict.reason == verdict.kind == verdict.hint == ""
        return
    assert not verdict.allowed, f"{command!r} was allowed"
    assert verdict.kind == expected, verdict.message()
    assert verdict.reason and verdict.hint, "a refusal names its reason and what to do"
    if len(row) > 3:
        assert row[3] in verdict.reason, verdict.reason


def test_continuations_are_joined_and_the_joined_text_is_what_runs() -> None:
    assert join_continuations("sudo \\\nrm -rf /x") == "sudo rm -rf /x"
    assert join_continuations("echo \\\\\nls") == "echo \\\\\nls"  # an escaped backslash
    verdict = check("kubectl get pods \\\n    -o wide")
    assert verdict.allowed and verdict.command == "kubectl get pods     -o wide"


def test_allow_lifts_only_not_known_refusals_for_that_program_or_subcommand() -> None:
    create = "kubectl -n demo create deploy nginx --image=nginx:1.27-alpine"
    assert check(create).kind == "not-read-only"
    assert "--allow 'kubectl create'" in check(create).hint
    by_sub = check(create, (Allowance.parse("kubectl create"),))
    assert by_sub.allowed and by_sub.allowed_by == "--allow 'kubectl create'"
    assert check(create, (Allowance.parse("kubectl"),)).allowed
    assert not check(create, (Allowance.parse("kubectl delete"),)).allowed
    assert not check("kubectl delete pod x", (Allowance.parse("kubectl create"),)).allowed
    # k3s' bundled kubectl is the same kubectl
    assert check("sudo k3s kubectl create ns x", (Allowance.parse("kubectl create"),)).allowed
    # unknown programs: by name, or name and first word
    assert check("k0sctl reset --force", (Allowance.parse("k0sctl reset"),)).allowed
    assert not check("k0sctl apply", (Allowance.parse("k0sctl reset"),)).allowed
    # never lifted by --allow: substitution, redirection, background, interpreters
    allow_all = (Allowance.parse("kubectl"), Allowance.parse("sh"), Allowance.parse("eval"))
    for command in ("kubectl get $(id)", "kubectl get pods > x", "kubectl proxy &",
                    "sh -c 'kubectl get pods'", "eval kubectl get pods",
                    "kubectl get pods | sh"):
        assert not check(command, allow_all).allowed, command
    # one allowed stage does not carry the others
    assert not check("kubectl create ns x && rm -rf /x", (Allowance.parse("kubectl"),)).allowed


@pytest.mark.parametrize("text", ["", "kubectl create x", "kubectl;rm", "$(id)", "a b c",
                                  "-f", "kubectl ../x"])
def test_allow_takes_one_or_two_plain_names(text: str) -> None:
    with pytest.raises(ValueError, match="is not PROGRAM"):
        Allowance.parse(text)
