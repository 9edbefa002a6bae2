#!/usr/bin/env bash
# One command: set up, build the offline copy into site/, then serve on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/mkdocs build --strict
exec .venv/bin/mkdocs serve --strict -a 127.0.0.1:8000 "$@"
