#!/usr/bin/env bash
# Set up (once) and start SitMap. Arguments go to the app: scripts/run.sh [FILE] [--export OUT]
# (a FILE or OUT given relative to the folder it is run in: the app starts in that folder)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/setup.sh"
exec "$here/.venv/bin/python" "$here/main.py" "$@"
