#!/usr/bin/env bash
# One command: set up, lint, then run every test (unit, mkdocs build, browser, real containerd).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check plugins tests diagram_src bench
.venv/bin/python -m pytest "$@"
