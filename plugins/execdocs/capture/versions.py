"""Record which versions of which tools a capture session ran against.

Each probe runs on the capture target itself (locally or over ssh, through the same runner and
pinned environment as the captured commands). A tool that is not installed is left out rather
than guessed: the session then honestly lacks, say, ``k3s``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from execdocs.capture.runner import Runner


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _kubectl(out: str) -> str | None:
    try:
        return json.loads(out)["clientVersion"]["gitVersion"]
    except (ValueError, KeyError, TypeError):
        return None


def _k3s(out: str) -> str | None:
    m = re.search(r"k3s version (\S+)", out)
    return m.group(1) if m else None


def _containerd(out: str) -> str | None:
    # `containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3`
    parts = _first_line(out).split()
    return parts[2] if len(parts) >= 3 and parts[0] == "containerd" else None


def _ctr_server(out: str) -> str | None:
    # `ctr version` prints a Client: and a Server: block, each with `Version:`.
    m = re.search(r"Server:\s*\n\s*Version:\s*(\S+)", out)
    return m.group(1) if m else None


def _ctr_client(out: str) -> str | None:
    m = re.search(r"ctr (?:github.com/containerd/containerd )?(\S+)", out)
    return m.group(1) if m else None


def _crictl(out: str) -> str | None:
    m = re.search(r"crictl version (\S+)", out)
    return m.group(1) if m else None


def _runc(out: str) -> str | None:
    m = re.search(r"runc version (\S+)", out)
    return m.group(1) if m else None


def _os(out: str) -> str | None:
    m = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', out, re.M)
    return m.group(1) if m else None


def _kernel(out: str) -> str | None:
    return _first_line(out) or None


# (key, command, parser). `sudo` because ctr/crictl need the daemon's root-owned socket; the
# runner makes it `sudo -n` (never prompts) or drops it when already root.
PROBES: tuple[tuple[str, str, Callable[[str], str | None]], ...] = (
    ("kubectl", "kubectl version --client -o json", _kubectl),
    ("k3s", "k3s --version", _k3s),
    ("containerd", "sudo containerd --version", _containerd),
    ("containerd-server", "sudo ctr --connect-timeout 1s version", _ctr_server),
    ("ctr", "ctr --version", _ctr_client),
    ("crictl", "crictl --version", _crictl),
    ("runc", "sudo runc --version", _runc),
    ("os", "cat /etc/os-release", _os),
    ("kernel", "uname -r", _kernel),
)
"""What ``probe_versions`` asks, in order; a key is recorded only when its probe answers."""


_MARK = "@@execdocs-probe"


def probe_script() -> str:
    """One shell script running every probe, each answer framed by marker lines, so a remote
    target costs one ssh connection instead of one per tool."""
    parts = []
    for key, command, _parse in PROBES:
        parts.append(f"echo '{_MARK} {key}'; {command} 2>/dev/null; echo \"{_MARK} exit $?\"")
    return "\n".join(parts)


def parse_probe_output(text: str) -> dict[str, str]:
    """Versions from ``probe_script()``'s output; a probe that failed or said nothing is left
    out."""
    parsers = {key: parse for key, _command, parse in PROBES}
    found: dict[str, str] = {}
    key: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith(_MARK + " "):
            word = line[len(_MARK) + 1:]
            if key is not None and word.startswith("exit "):
                value = parsers[key]("\n".join(body)) if word == "exit 0" else None
                if value:
                    found[key] = value
                key = None
            elif word in parsers:
                key, body = word, []
        elif key is not None:
            body.append(line)
    return {k: found[k] for k in parsers if k in found}


def probe_versions(runner: Runner, timeout: float = 60.0) -> dict[str, str]:
    """Versions found on ``runner``'s target, e.g. ``{"containerd": "1.6.20~ds1", ...}``."""
    result = runner.run(probe_script(), timeout=timeout)
    return parse_probe_output(result.stdout.decode("utf-8", errors="replace"))
