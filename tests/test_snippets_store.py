"""Capture store: byte-exact round trips, readable files, malformed input reported at file:line."""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path
from typing import Any

import pytest
from execdocs.snippets.store import (
    Capture,
    Session,
    StoreError,
    capture_filename,
    dumps_capture,
    load_capture,
    load_session,
    load_store,
    loads_capture,
    save_capture,
    save_session,
)

TRICKY_OUTPUTS = {
    "empty": b"",
    "one newline": b"\n",
    "no final newline": b"NAME   STATUS\nk3s-1  Ready",
    "trailing spaces": b"NAME   STATUS   \nk3s-1  Ready    \n",
    "tabs": b"a\tb\t\n\tc\n",
    "blank lines": b"\n\nfirst\n\n\nlast\n\n",
    "crlf": b"NAME   STATUS\r\nk3s-1  Ready\r\n",
    "lone cr": b"progress 10%\rprogress 100%\n",
    "non-utf8": b"caf\xe9 \xff\xfe\n\x80",
    "ansi": b"\x1b[32mRunning\x1b[0m\n",
    "backslashes": b"C:\\path\\x41 \\\\ end\\\n",
    "hangul": "컨테이너 런타임: containerd\n".encode(),
    "markers look-alike": b"--- stdout\n--- stderr\n\\ No newline at end of output\n|x\n!y",
    "nul and del": b"\x00\x7f\n",
    "unicode separators": "a\u2028b\u0085c\n".encode(),
    "only spaces": b"   \n \t \n",
}


@pytest.mark.parametrize("data", TRICKY_OUTPUTS.values(), ids=TRICKY_OUTPUTS.keys())
def test_round_trip_is_byte_exact(data: bytes, tmp_path: Path) -> None:
    cap = Capture(command="cmd <x>", run="cmd y", exit=3, stdout=data, stderr=data[::-1],
                  captured="2026-11-26T15:30:12Z", normalise=["age"], redactions={"jwt": 2})
    path = tmp_path / "c.capture"
    save_capture(cap, path)
    back = load_capture(path)
    assert back.stdout == data
    assert back.stderr == data[::-1]
    assert (back.command, back.run, back.exit, back.captured) == (
        "cmd <x>", "cmd y", 3, "2026-11-26T15:30:12Z")
    assert back.normalise == ["age"] and back.redactions == {"jwt": 2}
    # saving again gives the same bytes: stable diffs
    assert dumps_capture(back) == path.read_text(encoding="utf-8")


def test_file_is_readable_and_editor_proof(tmp_path: Path) -> None:
    cap = Capture(command="kubectl get nodes", run="kubectl get nodes",
                  stdout=b"NAME   STATUS   \nk3s-1  Ready\r\n\x1b[0m\xff", stderr=b"")
    text = dumps_capture(cap)
    assert text == textwrap.dedent("""\
        # execdocs capture v1
        command: "kubectl get nodes"
        run: "kubectl get nodes"
        exit: 0
        captured: null
        normalise: []
        redactions: {}
        --- stdout
        !NAME   STATUS  \\x20
        !k3s-1  Ready\\x0d
        !\\x1b[0m\\xff
        \\ No newline at end of output
        --- stderr
        """)
    # no line ends in a blank and the file is plain UTF-8 without CR: editors and git keep it
    assert all(not ln.endswith((" ", "\t")) for ln in text.splitlines())
    assert "\r" not in text


def test_plain_lines_stay_verbatim_for_review() -> None:
    cap = Capture(command="c", run="c", stdout="NAME\t상태\nnode-1\tReady\n".encode())
    assert "|NAME\t상태\n|node-1\tReady\n--- stderr" in dumps_capture(cap)


def test_hand_written_file_loads_with_line_of_command(tmp_path: Path) -> None:
    text = ('# a comment\n\ncommand: "crictl ps"\nrun: "crictl ps"\nexit: 1\n'
            "--- stdout\n--- stderr\n|boom\n")
    cap = loads_capture(text, "captures/s/x.capture")
    assert cap.line == 3 and cap.exit == 1 and cap.stdout == b"" and cap.stderr == b"boom\n"
    assert cap.captured is None and cap.normalise == []


MALFORMED = {
    "bad json value": ('command: kubectl get nodes\nrun: "x"\nexit: 0\n--- stdout\n--- stderr\n',
                       1, "header 'command': value is not valid JSON"),
    "missing field": ('command: "x"\nexit: 0\n--- stdout\n--- stderr\n', 1,
                      "capture is missing 'run'"),
    "wrong type": ('command: "x"\nrun: "x"\nexit: "0"\n--- stdout\n--- stderr\n', 3,
                   "header 'exit' must be int, got str"),
    "bool exit": ('command: "x"\nrun: "x"\nexit: true\n--- stdout\n--- stderr\n', 3,
                  "header 'exit' must be int"),
    "unknown key": ('command: "x"\nrun: "x"\nexitcode: 0\n--- stdout\n--- stderr\n', 3,
                    "not a header line"),
    "duplicate key": ('command: "x"\ncommand: "y"\n', 2, "header 'command' given twice"),
    "no stderr": ('command: "x"\nrun: "x"\nexit: 0\n--- stdout\n|a\n', 5,
                  "capture has no '--- stderr' section"),
    "sections swapped": ('command: "x"\nrun: "x"\nexit: 0\n--- stderr\n--- stdout\n', 4,
                         "unexpected section '--- stderr'"),
    "bare output line": ('command: "x"\nrun: "x"\nexit: 0\n--- stdout\nNAME\n--- stderr\n', 5,
                         "output line must start with '|' or '!'"),
    "bad escape": ('command: "x"\nrun: "x"\nexit: 0\n--- stdout\n!a\\qb\n--- stderr\n', 5,
                   "bad escaped output line"),
    "stray no-newline": ('command: "x"\nrun: "x"\nexit: 0\n--- stdout\n'
                         '\\ No newline at end of output\n--- stderr\n', 5,
                         "with no output line before it"),
    "normalise not strings": ('command: "x"\nrun: "x"\nexit: 0\nnormalise: [1]\n--- stdout\n'
                              '--- stderr\n', 4, "'normalise' must be a list of strings"),
    "no final newline": ('command: "x"\nrun: "x"\nexit: 0\n--- stdout\n--- stderr', 5,
                         "does not end with a newline"),
    "crlf file": ('command: "x"\r\nrun: "x"\r\nexit: 0\r\n--- stdout\r\n|a\r\n--- stderr\r\n',
                  1, "capture file has CRLF line ends"),
}


@pytest.mark.parametrize(("text", "line", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_capture_names_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(StoreError) as err:
        loads_capture(text, "captures/lab/x.capture")
    problem = err.value.problem
    assert problem is not None
    assert (problem.path, problem.line) == ("captures/lab/x.capture", line)
    assert message in problem.message


def test_capture_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.capture"
    path.write_bytes(b'command: "x"\nrun: "x"\nexit: 0\n--- stdout\n|caf\xe9\n--- stderr\n')
    with pytest.raises(StoreError) as err:
        load_capture(path)
    assert err.value.problem.line == 5
    assert "not valid UTF-8" in err.value.problem.message


def _session(tmp_path: Path, name: str, body: str) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    (folder / "session.yml").write_text(body, encoding="utf-8")
    return folder


def test_session_round_trip(tmp_path: Path) -> None:
    s = Session(name="k3s-lab", system="k3s 단일 노드", provenance="reference",
                versions={"kubectl": "v1.31.2"}, when="2024-05-01",
                source="https://kubernetes.io/docs/tasks/debug/", note="복사한 출력")
    save_session(s, tmp_path / "k3s-lab")
    back = load_session(tmp_path / "k3s-lab")
    assert (back.name, back.system, back.provenance, back.versions, back.when, back.source,
            back.note) == ("k3s-lab", "k3s 단일 노드", "reference", {"kubectl": "v1.31.2"},
                           "2024-05-01", "https://kubernetes.io/docs/tasks/debug/", "복사한 출력")


@pytest.mark.parametrize(("body", "message"), [
    ("system: [unclosed\n", "not valid YAML"),
    ("provenance: captured\n", "needs 'system'"),
    ("system: x\nprovenance: recorded\n", "'provenance' must be one of"),
    ("system: x\nprovenance: reference\n", "needs 'source'"),
    ("system: x\nprovenance: captured\nversions: {k3s: 1.30}\n", "version strings"),
    ("system: x\nprovenance: captured\nwhen_: 1\n", "unknown session key"),
])
def test_bad_session_file(tmp_path: Path, body: str, message: str) -> None:
    folder = _session(tmp_path, "s", body)
    with pytest.raises(StoreError) as err:
        load_session(folder)
    assert message in err.value.problem.message
    assert err.value.problem.path == str(folder / "session.yml")


def test_store_collects_every_problem_and_keeps_the_rest(tmp_path: Path) -> None:
    good = _session(tmp_path, "good", "system: x\nprovenance: illustrative\n")
    save_capture(Capture(command="a", run="a", stdout=b"ok\n"), good / capture_filename("a"))
    (good / "broken.capture").write_text('command: "b"\n', encoding="utf-8")
    (good / "notes.txt").write_text("ignored", encoding="utf-8")
    _session(tmp_path, "bad", "system: [\n")
    (tmp_path / "nosession").mkdir()
    store = load_store(tmp_path)
    assert list(store.sessions) == ["good"]
    assert [c.command for c in store.sessions["good"].captures] == ["a"]
    where = sorted(Path(p.path).name for p in store.problems)
    assert where == ["broken.capture", "nosession", "session.yml"]


def test_find_matches_whitespace_normalised_command() -> None:
    s = Session(name="s", system="x", provenance="illustrative", captures=[
        Capture(command="kubectl  get nodes", run="kubectl get nodes"),
        Capture(command="kubectl get pods", run="kubectl get pods"),
    ])
    assert [c.run for c in s.find("kubectl get nodes ")] == ["kubectl get nodes"]


def test_capture_filename_is_readable_and_distinct() -> None:
    a = capture_filename("kubectl get nodes -o wide")
    b = capture_filename("kubectl get nodes -o-wide")
    assert a.startswith("kubectl-get-nodes-o-wide-") and a.endswith(".capture")
    assert a != b


def test_header_values_are_read_exactly_as_json_loads_reads_them() -> None:
    # the header lines' fast path (the decoder's scanner directly) gives json.loads' value,
    # or its very error, on every text: valid values, trailing data, bare whitespace, NaN,
    # control characters, lone surrogates, unterminated strings, random fragments
    from execdocs.snippets.capture_file import _json_value

    def outcome(fn: Any, text: str) -> str:
        try:
            return repr(("ok", fn(text)))
        except json.JSONDecodeError as exc:
            return repr(("error", str(exc)))

    texts = ['"a"', ' "kubectl get"', "0", " null", " [1, 2]", ' {"a": 1}', ' "x" y', " ", "",
             ' "\\u00e9"', " NaN", " -Infinity", " 1e5", ' "a\tb"', " tru", " 01",
             ' "\\ud800"', " [] ", '\t"x"\r', ' "x"\x0b', " 1 2", ' "open', ' {"a":1}}']
    rnd = random.Random(7)
    alphabet = '"{}[]:, \t\\u0123456789abcdefnulltrueNaN-.e+\x00\x0b'
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8)))
              for _ in range(20000)]
    assert [outcome(_json_value, t) for t in texts] == [outcome(json.loads, t) for t in texts]
