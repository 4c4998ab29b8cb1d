#!/usr/bin/env bash
# Set up (once) and run the whole test suite, GUI tests included (offscreen, and one real window under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
# The architecture's boundaries (pyproject.toml [tool.importlinter]): imports only go down, no cycles.
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest -q "$@"
