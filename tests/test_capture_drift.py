"""Drift classes and the per-cell report, on hand-written kubectl/ctr/crictl outputs."""

from __future__ import annotations

import pytest
from execdocs.capture.drift import (
    EXIT_STATUS_CHANGED,
    IDENTICAL,
    STRUCTURAL,
    VOLATILE_ONLY,
    Output,
    classify,
    normalise,
)

PODS = (
    "NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE     "
    "NOMINATED NODE   READINESS GATES\n"
    "nginx-7c5ddbdf54-x8f9z   1/1     Running   0          5m    10.42.0.9    k3s-m1   "
    "<none>           <none>\n"
)
# Re-padded (RESTARTS grew), new pod hash, new IP, new age: all volatile.
PODS_LATER = (
    "NAME                     READY   STATUS    RESTARTS      AGE    IP            NODE     "
    "NOMINATED NODE   READINESS GATES\n"
    "nginx-6d9c8f7b45-q2w4z   1/1     Running   2 (3m ago)    2d3h   10.42.1.17    k3s-m1   "
    "<none>           <none>\n"
)


def out(stdout: str, exit_status: int = 0, stderr: str = "") -> Output:
    return Output(exit_status, stdout.encode(), stderr.encode())


def test_identical() -> None:
    d = classify(out(PODS), out(PODS))
    assert d.kind == IDENTICAL and d.changes == []


def test_repadded_table_with_only_volatile_cells_is_volatile_only() -> None:
    d = classify(out(PODS), out(PODS_LATER))
    assert d.kind == VOLATILE_ONLY
    assert "row nginx-…: RESTARTS 0 → 2 (3m ago) (volatile)" in d.changes
    assert "row nginx-…: IP 10.42.0.9 → 10.42.1.17 (volatile)" in d.changes
    assert "row nginx-…: AGE 5m → 2d3h (volatile)" in d.changes


def test_moved_pod_is_structural_with_the_cell_named() -> None:
    d = classify(out(PODS), out(PODS_LATER.replace("k3s-m1", "k3s-a2")))
    assert d.kind == STRUCTURAL
    assert "row nginx-…: NODE k3s-m1 → k3s-a2" in d.changes


def test_status_change_and_added_and_removed_rows() -> None:
    old = "TASK     PID     STATUS\nweb-1    7689    RUNNING\nweb-3    7702    RUNNING\n"
    new = "TASK     PID      STATUS\nweb-1    18812    STOPPED\nweb-2    18901    RUNNING\n"
    d = classify(out(old), out(new))
    assert d.kind == STRUCTURAL
    assert d.changes == [
        "row web-1: PID 7689 → 18812 (volatile)",
        "row web-1: STATUS RUNNING → STOPPED",
        "row web-3: removed",
        "row web-2: added",
    ]


def test_exit_status_change_wins() -> None:
    d = classify(out(PODS), out("", 1, "error: the server doesn't have a resource type\n"))
    assert d.kind == EXIT_STATUS_CHANGED
    assert d.changes[0] == "exit status 0 → 1"
    d = classify(out(PODS, 0), out(PODS, 1))
    assert d.kind == EXIT_STATUS_CHANGED and d.changes == ["exit status 0 → 1"]


def test_crictl_ids_and_created_are_volatile() -> None:
    old = ("CONTAINER           IMAGE               CREATED             STATE     NAME    POD ID\n"
           "3f4e5a6b7c8d9       8c811b4aec35f       2 hours ago         Running   nginx   "
           "a1b2c3d4e5f60\n")
    new = ("CONTAINER           IMAGE               CREATED              STATE     NAME    "
           "POD ID\n"
           "9e8d7c6b5a4f3       8c811b4aec35f       About a minute ago   Running   nginx   "
           "0f1e2d3c4b5a6\n")
    assert classify(out(old), out(new)).kind == VOLATILE_ONLY
    assert classify(out(old), out(new.replace("Running", "Exited "))).kind == STRUCTURAL


def test_warning_before_table_and_plain_text_diff() -> None:
    old = 'WARN[0000] image connect using default endpoints\nIMAGE   TAG\nnginx   1.27\n'
    new = 'WARN[0000] image connect using default endpoints\nIMAGE   TAG\nnginx   1.28\n'
    d = classify(out(old), out(new))
    assert d.kind == STRUCTURAL and d.changes == ["row nginx: TAG 1.27 → 1.28"]
    d = classify(out("Client Version: v1.31.2\n"), out("Client Version: v1.32.4\n"))
    assert d.kind == STRUCTURAL
    assert "-Client Version: v1.31.2" in d.changes and "+Client Version: v1.32.4" in d.changes


def test_timestamps_in_text_are_volatile() -> None:
    old = 'time="2026-11-26T15:30:05.019878177Z" level=info msg="started"\n'
    new = 'time="2026-11-27T09:01:44.5Z" level=info msg="started"\n'
    assert classify(out(old), out(new)).kind == VOLATILE_ONLY
    assert classify(out(old), out(new.replace("started", "stopped"))).kind == STRUCTURAL


def test_stderr_counts_too() -> None:
    assert classify(out("x\n", 0, "a\n"), out("x\n", 0, "b\n")).kind == STRUCTURAL


@pytest.mark.parametrize(("text", "expected"), [
    ("Events at Thu, 26 Nov 2026 15:30:05 +0000", "Events at <TIME>"),
    ("since 2026-11-26 15:30:05 +0000 UTC", "since <TIME>"),
    ("IP: 10.42.0.9/24 and fe80::1 and 2001:db8::ff00:42:8329", "IP: <IP> and <IP> and <IP>"),
    ("clock 15:30:05 is not an address", "clock 15:30:05 is not an address"),
    ("coredns-ccb96694c-4gtxp kube-proxy-x8f9z", "coredns-… kube-proxy-…"),
    ("k3s-server and nginx-deployment stay", "k3s-server and nginx-deployment stay"),
    ("Restart Count:  3", "Restart Count:  <N>"),
    ("3 hours ago / 28 (3m38s ago)", "<AGO> / 28 (<AGO>)"),
    # image digests stay: a new digest is a new image
    ("sha256:edf289a295885f5e5543021b53fc621c3b6663b08d989e2eb22f21cb6524143c",
     "sha256:edf289a295885f5e5543021b53fc621c3b6663b08d989e2eb22f21cb6524143c"),
    ("containerd://" + "ab" * 32, "containerd://<ID>"),
])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected
