"""Version probes: parsing what each tool prints (k3s and crictl are not installed here, so
their lines are copied from their --version output format), and the real local probe."""

from __future__ import annotations

import subprocess

from execdocs.capture.runner import Runner
from execdocs.capture.versions import parse_probe_output, probe_script, probe_versions

M = "@@execdocs-probe"
K3S_NODE = f"""{M} kubectl
{{"clientVersion": {{"gitVersion": "v1.31.4+k3s1", "major": "1"}}}}
{M} exit 0
{M} k3s
k3s version v1.31.4+k3s1 (a562d090)
go version go1.22.9
{M} exit 0
{M} containerd
{M} exit 127
{M} containerd-server
Client:
  Version:  v1.7.23-k3s2
  Revision: 5d6b6ac1
  Go version: go1.22.9

Server:
  Version:  v1.7.23-k3s2
  Revision: 5d6b6ac1
  UUID: 0b0a5d3c
{M} exit 0
{M} ctr
{M} exit 127
{M} crictl
crictl version v1.31.0-k3s2
{M} exit 0
{M} runc
runc version 1.2.3
{M} exit 0
{M} os
PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
{M} exit 0
{M} kernel
6.8.0-49-generic
{M} exit 0
"""


def test_parse_a_k3s_node() -> None:
    assert parse_probe_output(K3S_NODE) == {
        "kubectl": "v1.31.4+k3s1", "k3s": "v1.31.4+k3s1", "containerd-server": "v1.7.23-k3s2",
        "crictl": "v1.31.0-k3s2", "runc": "1.2.3", "os": "Ubuntu 24.04.1 LTS",
        "kernel": "6.8.0-49-generic",
    }


def test_failed_probe_is_left_out_even_with_output() -> None:
    text = f"{M} runc\nrunc version 9.9\n{M} exit 1\n{M} kernel\n{M} exit 0\n"
    assert parse_probe_output(text) == {}


def test_probe_script_frames_every_probe() -> None:
    script = probe_script()
    assert script.count(f"echo '{M} ") == 9 and script.count(f'echo "{M} exit $?"') == 9


def test_local_probe_matches_the_machine() -> None:
    found = probe_versions(Runner())
    assert "k3s" not in found and "crictl" not in found  # not installed: left out, not guessed
    assert found["kernel"] == subprocess.run(["uname", "-r"], capture_output=True, text=True,
                                             check=True).stdout.strip()
    dpkg = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "containerd"],
                          capture_output=True, text=True, check=True).stdout
    assert dpkg.startswith(found["containerd"])
    assert found["os"].startswith("Debian GNU/Linux")
