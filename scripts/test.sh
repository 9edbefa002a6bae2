#!/usr/bin/env bash
# One command: set up, lint, check layering and types, then run every test (unit, mkdocs build, browser, real containerd).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check plugins tests diagram_src bench
# Layering (pyproject.toml [tool.importlinter]): cores import no engine and no adapter.
.venv/bin/lint-imports --no-cache
# Types of the package (pyproject.toml [tool.mypy]).
.venv/bin/mypy
# Dead code (functions, constants, fields nothing uses); framework hooks in the whitelist.
.venv/bin/vulture plugins/execdocs scripts/vulture_whitelist.py --min-confidence 60
.venv/bin/python -m pytest "$@"
