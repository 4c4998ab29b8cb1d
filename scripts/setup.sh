#!/usr/bin/env bash
# Set up SitMap on a fresh Debian/Ubuntu machine: system libraries Qt needs, then a
# virtual environment with the project and (with --test) its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

debs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libnss3 libxcomposite1
libxdamage1 libxrandr2 libxtst6 libxshmfence1 libxkbfile1 libxcb-cursor0 libxcb-icccm4
libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 fonts-noto-core fonts-noto-cjk
fonts-noto-color-emoji"
[ $want_test = 1 ] && debs="$debs xvfb xauth poppler-utils chromium desktop-file-utils xdg-utils shared-mime-info libfile-mimeinfo-perl x11-utils"
missing=""
for d in $debs; do dpkg -s "$d" >/dev/null 2>&1 || missing="$missing $d"; done
# ALSA's library: libasound2t64 on Debian 13 and Ubuntu 24.04 (where libasound2 is only a name for it)
if ! dpkg -s libasound2 >/dev/null 2>&1 && ! dpkg -s libasound2t64 >/dev/null 2>&1; then
  if apt-cache show libasound2t64 >/dev/null 2>&1; then missing="$missing libasound2t64"; else missing="$missing libasound2"; fi
fi
py=${PYTHON:-python3}
# an environment left without pip (made where Python had no ensurepip) is made again
if [ -x .venv/bin/python ] && ! .venv/bin/python -m pip --version >/dev/null 2>&1; then rm -rf .venv; fi
# a Debian python3 makes virtual environments only with python3-venv (its ensurepip)
if [ ! -x .venv/bin/python ] && ! "$py" -c "import ensurepip" >/dev/null 2>&1; then missing="$missing python3-venv"; fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Please install these Debian packages:$missing" >&2
  fi
fi

[ -x .venv/bin/python ] || "$py" -m venv .venv
# The project installed once (and again when pyproject.toml changes): a stamp says with which extras.
stamp=.venv/.sitmap-installed
if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ] && { [ $want_test = 0 ] || [ "$(cat "$stamp")" = test ]; }; then
  exit 0
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if [ $want_test = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  echo test > "$stamp"
else
  .venv/bin/python -m pip install -q -e .
  echo app > "$stamp"
fi
