#!/usr/bin/env bash
# Set up (once) and start SitMap. Arguments go to the app: scripts/run.sh [FILE] [--export OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python main.py "$@"
