"""Assertions on outputs: table-aware conditions and text checks, with row/column messages."""

from __future__ import annotations

import pytest
from execdocs.snippets.assertions import AssertionSyntaxError, evaluate, parse_assertion
from execdocs.snippets.tables import parse_tables

NODES = """\
NAME           STATUS     ROLES                  AGE   CONTAINER-RUNTIME
k3s-agent-1    NotReady   <none>                 12d   containerd://1.6.15-k3s1
k3s-server-1   Ready      control-plane,master   12d   containerd://1.6.15-k3s1
"""


def _check(text: str, stdout: str = NODES, stderr: str = "") -> str | None:
    return evaluate(parse_assertion(text), stdout, stderr, parse_tables(stdout))


@pytest.mark.parametrize("text", [
    "CONTAINER-RUNTIME~containerd://",
    "CONTAINER-RUNTIME^=containerd://1.6",
    "NAME^=k3s-",
    "AGE=12d",
    "STATUS!=Unknown",
    "any STATUS=NotReady",
    "no STATUS=Unknown",
    "STATUS=NotReady where NAME=k3s-agent-1",
    "ROLES~control-plane where STATUS=Ready",
    "rows=2", "rows>=1", "rows<3", "rows>1",
    "contains: containerd://1.6.15-k3s1",
    "matches: ^k3s-server-\\d\\s+Ready",
    "stderr contains: deprecated",
    "stderr matches: v1\\.\\d+",
])
def test_assertions_that_hold(text: str) -> None:
    assert _check(text, stderr="Warning: v1 ComponentStatus is deprecated in v1.19+") is None


@pytest.mark.parametrize(("text", "why"), [
    ("STATUS=Ready", "row 1 (NAME=k3s-agent-1), column STATUS is 'NotReady'"),
    ("CONTAINER-RUNTIME~docker://",
     "row 1 (NAME=k3s-agent-1), column CONTAINER-RUNTIME is 'containerd://1.6.15-k3s1' "
     "(and 1 more row(s))"),
    ("any STATUS=Unknown", "no row has STATUS=Unknown (column STATUS holds 'NotReady', 'Ready')"),
    ("no STATUS=Ready", "row 2 (NAME=k3s-server-1), column STATUS is 'Ready'"),
    ("STATUS=Ready where NAME=k3s-agent-1", "row 1 (NAME=k3s-agent-1), column STATUS is "
     "'NotReady'"),
    ("STATUS=Ready where NAME=k3s-9", "no row where NAME=k3s-9"),
    ("rows=3", "the table at output line 1 has 2 row(s)"),
    ("PORTS=80", "no table has column(s) PORTS (headers: NAME | STATUS | ROLES | AGE | "
     "CONTAINER-RUNTIME)"),
    ("contains: docker", "'docker' is not in stdout"),
    ("matches: ^docker", "'^docker' matches nothing in stdout"),
    ("stderr contains: error", "'error' is not in stderr"),
])
def test_failures_name_row_and_column(text: str, why: str) -> None:
    assert _check(text) == why


def test_no_table_in_output() -> None:
    assert _check("STATUS=Ready", stdout="deployment.apps/nginx created\n") == (
        "the output holds no table")


def test_multiword_column_and_header_only_table() -> None:
    out = "NAME    NOMINATED NODE\npod-1   <none>\n"
    assert _check("NOMINATED NODE=<none>", stdout=out) is None
    assert _check("rows=0", stdout="REPOSITORY    TAG\n") is None
    assert _check("TAG=latest", stdout="REPOSITORY    TAG\n") == (
        "the table at output line 1 has no rows")


@pytest.mark.parametrize(("text", "why"), [
    ("status=Ready", "cannot read 'status=Ready'"),
    ("STATUS", "cannot read 'STATUS'"),
    ("matches: (unclosed", "bad regular expression '(unclosed'"),
    ("STATUS=Ready where", "cannot read"),
])
def test_syntax_errors(text: str, why: str) -> None:
    with pytest.raises(AssertionSyntaxError) as err:
        parse_assertion(text)
    assert why in str(err.value)
