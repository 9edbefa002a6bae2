#!/usr/bin/env bash
# Re-record the site's `ctr` captures (session containerd-standalone) for real: start a
# standalone containerd in a temporary folder, import an image built from busybox-static, run
# one container, refresh the session's captures with `execdocs capture`, stop the daemon.
# Needs root (containerd and runc). Extra arguments go to `execdocs capture` (e.g. --match).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python scripts/record_containerd_captures.py "$@"
