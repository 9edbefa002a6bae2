"""Tables cut at the header's word positions, on outputs shaped like real captures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from execdocs.capture.drift import STRUCTURAL, Output, classify
from execdocs.cli import main
from execdocs.snippets.assertions import evaluate, parse_assertion
from execdocs.snippets.table_cut import cut_field
from execdocs.snippets.tables import compile_prompts, parse_tables, trailing_lines
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from table_corpus import load, samples

TABLES = Path(__file__).parent / "samples" / "snippets" / "tables"


def _read(name: str) -> str:
    return (TABLES / name).read_bytes().decode("utf-8")


def test_crictl_warnings_become_preamble_and_spaced_headers_stay_whole() -> None:
    (table,) = parse_tables(_read("crictl-ps-warnings.txt"))
    assert [ln[:10] for ln in table.preamble] == ["WARN[0000]", "ERRO[0000]"]
    assert table.line == 3
    assert table.header == ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT",
                            "POD ID", "POD"]
    assert table.rows == [
        ["6c1a4f0b2d7e5", "8e75cbc5b25c8", "2 hours ago", "Running", "nginx", "0",
         "1e0b5a8c3f947", "nginx-7c5ddbdf54-2xkqz"],
        ["b2f9d1c0a3e44", "ead0a4a53df89", "28 hours ago", "Running", "coredns", "3",
         "5d8e1a2b3c4d5", "coredns-59b4f5bbd5-xk2lp"],
    ]


def test_several_tables_none_multiword_cells_and_trailing_spaces() -> None:
    nodes, pods = parse_tables(_read("kubectl-get-nodes-pods.txt"))
    assert nodes.preamble == ["Warning: v1 ComponentStatus is deprecated in v1.19+"]
    assert nodes.rows == [["node/k3s-1", "Ready", "control-plane,master", "12d",
                           "v1.26.1+k3s1"]]
    assert pods.line == 5 and pods.preamble == []
    assert pods.header == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "NOMINATED NODE",
                           "READINESS GATES"]
    assert pods.rows == [
        ["pod/nginx-7c5ddbdf54-2xkqz", "1/1", "Running", "0", "2 hours ago", "<none>", "<none>"],
        ["pod/crashy-5f6d7c8b9-abcde", "0/1", "CrashLoopBackOff", "28 (3m38s ago)", "4d",
         "<none>", "<none>"],
    ]


def test_crlf_output() -> None:
    (table,) = parse_tables(_read("crlf.txt"))
    assert table.rows == [["k3s-1", "Ready", "<none>", "5d"]]


def test_wide_characters_rune_aligned_and_ellipsis() -> None:
    (table,) = parse_tables(_read("cjk-runes.txt"))
    assert table.rows == [["파드-하나", "1/1", "Running", "tier=웹서버"],
                          ["nginx-abc", "1/1", "Running", "tier=web…"]]


def test_wide_characters_display_aligned() -> None:
    (table,) = parse_tables(_read("cjk-display.txt"))
    assert table.rows == [["파드-하나", "1/1", "Running"], ["nginx-abc", "0/1", "Pending"]]


def test_empty_cells_stay_empty_and_columns_keep_their_place() -> None:
    text = ("REF      TYPE    LABELS\n"
            "busybox  image\n"
            "pause            io.cri-containerd.pinned=pinned\n")
    (table,) = parse_tables(text)
    assert table.rows == [["busybox", "image", ""],
                          ["pause", "", "io.cri-containerd.pinned=pinned"]]


def test_header_only_table_and_text_without_table() -> None:
    (table,) = parse_tables("REPOSITORY    TAG    IMAGE ID\n")
    assert table.rows == []
    assert parse_tables("deployment.apps/nginx created\n") == []
    # describe-style key/value text and mixed-case column titles are not tables
    assert parse_tables("Name:   k3s-1\nType    Status\n----    ------\n") == []


def test_split_row_uses_positions_not_whitespace() -> None:
    assert cut_field("a b c   d", [0, 8], ["A", "B"]) == (["a b c", "d"], "")


def test_cli_table_prints_json(tmp_path: Path, capsys) -> None:
    assert main(["table", str(TABLES / "kubectl-get-nodes-pods.txt")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["header"][:2] for t in data] == [["NAME", "STATUS"], ["NAME", "READY"]]
    assert data[0]["preamble"] == ["Warning: v1 ComponentStatus is deprecated in v1.19+"]
    assert data[1]["rows"][1][3] == "28 (3m38s ago)"


def test_cli_table_reads_a_capture_and_reports_bad_input(tmp_path: Path, capsys) -> None:
    cap = tmp_path / "x.capture"
    cap.write_text('command: "k"\nrun: "k"\nexit: 0\n--- stdout\n|A    B\n|1    2 3\n'
                   "--- stderr\n", encoding="utf-8")
    assert main(["table", str(cap)]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"header": ["A", "B"], "rows": [["1", "2 3"]], "line": 1, "preamble": []}]
    bad = tmp_path / "bad.capture"
    bad.write_text('command: "k"\n', encoding="utf-8")
    assert main(["table", str(bad)]) == 1
    assert "bad.capture:1: capture is missing 'run', 'exit'" in capsys.readouterr().err
    assert main(["table", str(tmp_path / "missing.txt")]) == 2
    assert main(["table"]) == 2


def test_hand_aligned_row_off_by_one_snaps_to_the_word() -> None:
    text = ("NAME      STATUS   AGE\n"
            "node-1   Ready     5d\n"     # STATUS one column early, AGE one late
            "node-22    NotReady 6d\n")
    (table,) = parse_tables(text)
    assert table.rows == [["node-1", "Ready", "5d"], ["node-22", "NotReady", "6d"]]


def test_empty_listing_with_single_blank_header() -> None:
    # ctr pads with one blank: with no image the header's words are one blank apart
    (table,) = parse_tables("REF TYPE DIGEST SIZE PLATFORMS LABELS \n")
    assert table.header == ["REF", "TYPE", "DIGEST", "SIZE", "PLATFORMS", "LABELS"]
    assert table.rows == []
    # but an upper-case line followed by text is no header
    assert parse_tables("NOTE THIS\nsomething else\n") == []


# --- the real-output corpus (samples/tables/): expectations written by hand, see its README ---


@pytest.mark.parametrize("path", samples(), ids=lambda p: p.stem)
def test_real_published_output(path: Path) -> None:
    sample = load(path)
    tables = parse_tables(sample.text)
    assert len(tables) == sample.tables, [t.header for t in tables]
    for k, exp in sorted(sample.expected.items()):
        table = tables[k - 1]
        if exp.header is not None:
            assert table.header == exp.header, f"table {k}"
        if exp.rows is not None:
            assert len(table.rows) == exp.rows, (f"table {k}", table.rows)
        if exp.unaligned is not None:
            assert len(table.unaligned) == exp.unaligned, (f"table {k}", table.unaligned)
        if exp.preamble is not None:
            assert len(table.preamble) == exp.preamble, (f"table {k}", table.preamble)
        for row, column, value in exp.cells:
            col = table.column(column)
            assert col is not None, f"table {k}: no column {column}"
            assert table.rows[row - 1][col] == value, f"table {k} row {row} {column}"
    if sample.trailing is not None:
        assert len(trailing_lines(sample.text)) == sample.trailing


def test_corpus_is_large_and_cited() -> None:
    paths = samples()
    assert len(paths) >= 40
    sources = {load(p).source for p in paths}
    assert all(s.startswith("https://") for s in sources)
    assert len(sources) >= 35  # distinct threads and pages, not one block cut many ways


# --- classes the corpus search found no published sample of: constructed input, said so ---

def test_constructed_elision_lines_are_no_rows_and_the_table_goes_on() -> None:
    # constructed (no published sample with '# [...]' inside a table was found)
    text = ("$ kubectl get pods -A\n"
            "NAMESPACE     NAME                 READY   STATUS    RESTARTS   AGE\n"
            "kube-system   coredns-abc          1/1     Running   0          5d\n"
            "# [...]\n"
            "kube-system   metrics-server-xyz   1/1     Running   2          5d\n"
            "...\n"
            "default       web-1                0/1     Pending   0          1m\n")
    (table,) = parse_tables(text)
    assert [r[1] for r in table.rows] == ["coredns-abc", "metrics-server-xyz", "web-1"]
    assert table.elided == [4, 6] and table.unaligned == []
    assert table.preamble == ["$ kubectl get pods -A"]


def test_constructed_markdown_bold_value_is_read_whole_and_unwrapped() -> None:
    # constructed: a poster bolded one value, which pushes the rest of the row 4 to the right
    text = ("NAME          READY   STATUS    RESTARTS   AGE\n"
            "web-1         1/1     Running   0          19m\n"
            "web-2         0/1     **Error**   3          19m\n"
            "web-3         1/1     Running   0          **19m**\n")
    (table,) = parse_tables(text)
    assert table.unaligned == []
    assert table.rows[1] == ["web-2", "0/1", "Error", "3", "19m"]
    assert table.rows[2] == ["web-3", "1/1", "Running", "0", "19m"]


def test_constructed_blank_lines_between_header_and_rows() -> None:
    # constructed: a blog engine put a blank line after the header and between the rows
    text = ("NAME     STATUS   ROLES           AGE   VERSION\n"
            "\n"
            "node-1   Ready    control-plane   12d   v1.30.1\n"
            "\n"
            "node-2   Ready    <none>          12d   v1.30.1\n"
            "\n"
            "Both nodes are Ready.\n")
    (table,) = parse_tables(text)
    assert [r[0] for r in table.rows] == ["node-1", "node-2"]
    assert trailing_lines(text) == ["Both nodes are Ready."]


def test_a_blank_line_after_rows_still_ends_the_table() -> None:
    text = ("NAME     STATUS\n"
            "node-1   Ready\n"
            "\n"
            "node-2   Ready    extra\n")
    (table,) = parse_tables(text)
    assert table.rows == [["node-1", "Ready"]]
    assert trailing_lines(text) == ["node-2   Ready    extra"]


def test_prompt_shapes_are_configurable() -> None:
    text = ("PS C:\\> kubectl get nodes\n"
            "NAME     STATUS\n"
            "node-1   Ready\n"
            "PS C:\\> kubectl get ns\n"
            "NAME      STATUS\n"
            "default   Active\n")
    nodes, ns = parse_tables(text)
    # without the PowerShell shape the prompt line is taken for a row and cannot be aligned
    assert [u.line for u in nodes.unaligned] == [4]
    ps = compile_prompts([r"PS [A-Z]:\\[^>]*> "])
    nodes, ns = parse_tables(text, ps)
    assert nodes.rows == [["node-1", "Ready"]] and nodes.unaligned == []
    assert ns.preamble == ["PS C:\\> kubectl get ns"]
    # the defaults can be switched off: then '$ ' is an ordinary line
    plain = compile_prompts(defaults=False)
    (t,) = parse_tables("NAME   STATUS\nweb    Up\n$ kubectl get ns\n", plain)
    assert len(t.unaligned) == 1
    with pytest.raises(re.error):
        compile_prompts(["("])


def test_unaligned_row_makes_table_assertions_fail_closed() -> None:
    text = ("NAME     STATUS    AGE\n"
            "web-1    Running   5d\n"
            "web-2 Failed 3d (pasted by hand)\n")
    tables = parse_tables(text)
    assert tables[0].rows == [["web-1", "Running", "5d"]]
    failure = evaluate(parse_assertion("STATUS=Running"), text, "", tables)
    assert failure is not None and "cannot be placed under its header (output line 3" in failure
    assert "execdocs table" in failure


def test_drift_sees_a_change_inside_an_unaligned_row() -> None:
    old = b"NAME     STATUS    AGE\nweb-1    Running   5d\nweb-2 Running 3d (by hand)\n"
    new = b"NAME     STATUS    AGE\nweb-1    Running   6d\nweb-2 Failed 3d (by hand)\n"
    drift = classify(Output(0, old, b""), Output(0, new, b""))
    assert drift.kind == STRUCTURAL
    assert any("web-2 Failed" in c for c in drift.changes)


def test_split_row_refuses_what_it_cannot_align() -> None:
    cells, why = cut_field("kubectl describe node nodea", [0, 10, 19], ["column 1", "column 2",
                                                                       "column 3"])
    assert cells is None and "runs across the start of 'column 2'" in why


def test_cli_table_reports_preamble_and_unaligned_rows(tmp_path: Path, capsys) -> None:
    out = tmp_path / "paste.txt"
    out.write_text("[root@node ~]# kubectl get svc\n"
                   "NAME         TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n"
                   "kubernetes   ClusterIP      10.96.0.1       <none>        443/TCP   13m\n"
                   "    LoadBalancer   10.101.168.76   <pending>     80/TCP   4m52s\n"
                   "[root@node ~]#\n", encoding="utf-8")
    assert main(["table", str(out)]) == 1
    captured = capsys.readouterr()
    (data,) = json.loads(captured.out)
    assert data["rows"] == [["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "13m"]]
    assert data["preamble"] == ["[root@node ~]# kubectl get svc"]
    assert data["unaligned"][0]["line"] == 4
    assert data["trailing"] == ["[root@node ~]#"]
    err = captured.err
    assert f"{out}:2: table 1: NAME | TYPE" in err and "1 row(s), 1 unaligned" in err
    assert "  preamble: [root@node ~]# kubectl get svc" in err
    assert f"{out}:4: row cannot be aligned: 'LoadBalancer' runs across the start of 'TYPE'" in err
    assert "    LoadBalancer   10.101.168.76" in err
    assert "1 row(s) cannot be aligned" in err


def test_cli_table_prompt_option(tmp_path: Path, capsys) -> None:
    out = tmp_path / "ps.txt"
    out.write_text("NAME     STATUS\nnode-1   Ready\nPS C:\\> kubectl get ns\n", encoding="utf-8")
    assert main(["table", str(out)]) == 1
    capsys.readouterr()
    assert main(["table", "--prompt", r"PS [A-Z]:\\[^>]*> ", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["trailing"] == ["PS C:\\> kubectl get ns"]
    assert main(["table", "--prompt", "(", str(out)]) == 2
    assert "bad --prompt expression" in capsys.readouterr().err
    assert main(["table", "--no-default-prompts", str(TABLES / "crlf.txt")]) == 0


# --- properties: tabwriter re-pads every column when one value grows; the cells never change ---

_HEADER_WORDS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "CONTAINER ID",
                 "IMAGE", "CREATED", "POD ID", "TYPE", "PORT(S)", "NOMINATED NODE", "REF",
                 "SIZE", "CHART", "APP VERSION", "REVISION", "UPDATED"]
# values as kubectl, crictl and helm print them: no blank at either end, never two in a row, no
# tab; no '$', '#', '@', '*' (prompt and Markdown shapes); not only dots (an elision line)
_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789-./:<>(),+=", min_size=1, max_size=12)
_VALUE = st.lists(_WORD, min_size=1, max_size=3).map(" ".join).filter(
    lambda v: v.strip(".") != "")
# a first cell holds a lower-case letter, as names do: an all-capital row would read as a header
_NAME = _VALUE.filter(lambda v: any(c.islower() for c in v))


@st.composite
def _tables(draw) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(st.sampled_from(_HEADER_WORDS), min_size=2, max_size=6, unique=True))
    n = len(header)
    rest = st.lists(st.one_of(st.just(""), _VALUE), min_size=n - 1, max_size=n - 1)
    # a row fills some column past its first when the table has three or more (kubectl,
    # crictl, docker and helm always do; a line filling only the first is reported)
    if n >= 3:
        rest = rest.filter(any)
    rows = draw(st.lists(st.tuples(_NAME, rest), min_size=1, max_size=5))
    return header, [[first, *more] for first, more in rows]


def _render(header: list[str], rows: list[list[str]], padding: int) -> str:
    """What Go's tabwriter prints (cells padded to the column's widest value plus ``padding``
    blanks; the last column unpadded; trailing blanks trimmed, as kubectl's printer does)."""
    table = [header, *rows]
    widths = [max(len(r[c]) for r in table) + padding for c in range(len(header))]
    lines = []
    for r in table:
        padded = "".join(cell.ljust(w) for cell, w in zip(r[:-1], widths, strict=False))
        lines.append((padded + r[-1]).rstrip() + "\n")
    return "".join(lines)


def _render_tabbed(header: list[str], rows: list[list[str]]) -> str:
    """What helm prints (gosuri/uitable: each cell padded to its column's width, then a tab)."""
    table = [header, *rows]
    widths = [max(len(r[c]) for r in table) for c in range(len(header))]
    return "".join("\t".join([*(cell.ljust(w) for cell, w in zip(r[:-1], widths, strict=False)),
                              r[-1]]) + "\n" for r in table)


def _parsed(text: str) -> list[list[str]]:
    (table,) = parse_tables(text)
    assert table.unaligned == []
    return table.rows


def _grown(rows: list[list[str]], where: tuple[int, int], extra: str) -> list[list[str]]:
    r, c = where
    out = [list(row) for row in rows]
    out[r % len(out)][c % len(out[0])] += extra
    return out


@settings(max_examples=150, deadline=None)
@given(_tables(), st.integers(2, 4), st.tuples(st.integers(0, 9), st.integers(0, 9)), _WORD)
def test_repadding_when_a_value_grows_never_changes_the_cells(table, padding, where, extra) -> None:
    header, rows = table
    grown = _grown(rows, where, extra)
    assert _parsed(_render(header, rows, padding)) == rows
    assert _parsed(_render(header, grown, padding)) == grown


@settings(max_examples=100, deadline=None)
@given(_tables(), st.tuples(st.integers(0, 9), st.integers(0, 9)), _WORD)
def test_single_blank_padding_ctr_style(table, where, extra) -> None:
    header, rows = table
    grown = _grown(rows, where, extra)
    for version in (rows, grown):
        text = _render(header, version, 1)
        found = parse_tables(text)
        # padding 1 leaves a header word as wide as its column one blank from the next word,
        # which nothing can tell from a two-word header cell (CONTAINER ID): such draws are
        # not tables this property is about
        assume(len(found) == 1 and found[0].header == header)
        assert _parsed(text) == version


@settings(max_examples=150, deadline=None)
@given(_tables(), st.tuples(st.integers(0, 9), st.integers(0, 9)), _WORD)
def test_tab_separated_helm_style_and_its_expanded_copy(table, where, extra) -> None:
    header, rows = table
    grown = _grown(rows, where, extra)
    for version in (rows, grown):
        text = _render_tabbed(header, version)
        assert _parsed(text) == version
        expanded = "".join(line.expandtabs(8).rstrip() + "\n" for line in text.splitlines())
        found = parse_tables(expanded)
        assume(len(found) == 1 and found[0].header == header)
        assert _parsed(expanded) == version


def test_a_gap_inside_a_value_is_reported_even_in_the_last_column() -> None:
    # constructed: tabwriter pads nothing after the last cell, so a double blank there may be
    # the value's own (an event message) or a value pasted out of place; nothing tells which,
    # so the row is reported rather than read (fail closed; the site's captures have none)
    text = ("LAST SEEN   TYPE      REASON    OBJECT      MESSAGE\n"
            "2m          Normal    Pulled    pod/web-1   Pulled image nginx\n"
            "3m          Warning   BackOff   pod/web-1   Back-off restarting  failed container\n")
    (table,) = parse_tables(text)
    assert table.rows == [["2m", "Normal", "Pulled", "pod/web-1", "Pulled image nginx"]]
    assert [u.line for u in table.unaligned] == [3]
    # a drifted value lands under the next header only within the window, and once
    (t,) = parse_tables("NAME    PORT(S)     AGE\nweb     80/TCP   54s\n")
    assert t.rows == [["web", "80/TCP", "54s"]]
    (t,) = parse_tables("NAME    PORT(S)     AGE\nweb     80/TCP     7/UDP   54s\n")
    assert t.rows == []
    assert "'54s' at column 28 starts under no header word" in t.unaligned[0].reason


def test_only_first_column_filled_is_reported_unless_the_table_has_two_columns() -> None:
    # constructed: ctr namespaces ls leaves LABELS empty; a kubectl row never leaves all but NAME
    (ns,) = parse_tables("NAME    LABELS \ndefault        \nk8s.io         \n")
    assert ns.rows == [["default", ""], ["k8s.io", ""]] and ns.unaligned == []
    (pods,) = parse_tables("NAME    READY   STATUS\nweb-1   1/1     Running\nstatus:\n")
    assert pods.rows == [["web-1", "1/1", "Running"]]
    assert "only the first column holds text" in pods.unaligned[0].reason


def test_an_indented_block_is_read_and_its_lines_are_kept_as_written() -> None:
    text = "    $ kubectl get ns\n    NAME      STATUS\n    default   Active\n"
    (table,) = parse_tables(text)
    assert table.rows == [["default", "Active"]]
    assert table.preamble == ["    $ kubectl get ns"]
